"""What the 公开信息 editor reads about one notice, in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.catalog.item import CatalogItem
from app.catalog.items import get_item
from app.errors import UserError
from app.notices import drafts
from app.notices.privacy import lines_and_columns
from app.notices.proofread import Proof, ProofContext
from app.notices.review import review_state
from app.store import Store
from app.township import get_township

#: The settings key of the words the township allows (villages, names, place names).
WHITELIST_KEY = "proofreading.whitelist"
#: Enough for every village, group and name of a township; more is a paste gone wrong.
WHITELIST_LIMIT = 2000
WORD_LIMIT = 40


@dataclass(frozen=True)
class EditorState:
    """Everything the editor needs about one notice, read in one go."""

    notice: drafts.Notice
    elements: list[str]
    phones: tuple[str, ...]
    revisions: list[dict[str, Any]]
    review: str = ""
    #: Unsaved text from before a crash, to be put back in the editor.
    recovered: drafts.Autosave | None = None
    #: What the proofreading pass checks the text against.
    proof: ProofContext = field(default_factory=ProofContext)


def get_whitelist(store: Store) -> list[str]:
    """The words 校对 leaves alone, as set in 设置 › 校对白名单, in the order typed."""
    stored = store.get_setting(WHITELIST_KEY, "") or ""
    return [w for w in stored.split("\n") if w]


def set_whitelist(store: Store, words: list[str] | str) -> list[str]:
    """Store the words 校对 leaves alone (one transaction); blanks dropped, each kept once."""
    typed = words.splitlines() if isinstance(words, str) else words
    clean: list[str] = []
    for word in (w.strip() for w in typed):
        if len(word) > WORD_LIMIT:
            raise UserError(f"「{word[:12]}…」太长了，白名单每行一个词，不超过{WORD_LIMIT}个字。")
        if word and word not in clean:
            clean.append(word)
    if len(clean) > WHITELIST_LIMIT:
        raise UserError(f"白名单最多{WHITELIST_LIMIT}个词，现在有{len(clean)}个。")
    store.set_settings({WHITELIST_KEY: "\n".join(clean)})
    return clean


def proof_line(proof: Proof, line: int, col: int) -> str:
    """One finding as the editor lists it: 「[严重] 第3行第5字 固定表述：原文 → 建议」."""
    first = proof.fixes[0] if proof.fixes else None
    fix = "" if first is None else " → " + (first.replacement if first.replacement is not None
                                            else first.label)
    return f"[{proof.severity}] 第{line}行第{col}字 {proof.rule}：{proof.text}{fix}"


def proof_lines(title: str, body: str, proofs: list[Proof]) -> list[str]:
    """:func:`proof_line` for every finding, placed in one pass over the text."""
    places = lines_and_columns(title + "\n" + body, [p.start for p in proofs])
    return [proof_line(p, line, col) for p, (line, col) in zip(proofs, places, strict=True)]


def reaches_public(item: CatalogItem) -> bool:
    """Whether the item's notices reach 全社会 or the website (an unmarked item counts as yes)."""
    if not item.audience and not item.channels:
        return True
    return "全社会" in item.audience or any("网站" in c for c in item.channels)


def proof_context(store: Store, notice: drafts.Notice,
                  item: CatalogItem | None = None) -> ProofContext:
    """What the notice's text should agree with: township, issuer, numbers, 公示期, whitelist."""
    item = item or get_item(store, notice.item_id, notice.item_rev)
    phones = drafts.published_phones(store) + ((notice.phone,) if notice.phone else ())
    period = notice.publicity or {}
    start, end = period.get("start"), period.get("end")
    return ProofContext(
        township=get_township(store).township, issuer=notice.issuer,
        phones=tuple(dict.fromkeys(phones)),
        publicity=(start, end) if start and end else None,
        public=reaches_public(item), whitelist=frozenset(get_whitelist(store)))


def editor_state(store: Store, notice_id: str) -> EditorState:
    """The notice, its item's 要素, the numbers never to mask, its revisions and review."""
    notice = drafts.get_notice(store, notice_id)
    item = get_item(store, notice.item_id, notice.item_rev)
    left = drafts.recovered(store, notice_id)
    if left is not None and (left.title, left.body) == (notice.title, notice.body):
        left = None
    review = review_state(store, notice_id).summary() if notice.status == "draft" else ""
    return EditorState(notice, item.elements, drafts.published_phones(store),
                       drafts.revisions(store, notice_id), review, left,
                       proof_context(store, notice, item))
