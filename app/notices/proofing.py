"""The proofreading pass on the desk: what the rules are told, where findings stand, fixes.

The rules live in :mod:`app.notices.proofread`; this module gives them the
desk's facts (:func:`proof_context`), places their findings by line and
column as ``notice check`` shows them, and applies a chosen fix as a new
revision. It is always called as ``proofread.proofread(...)`` so that one
name stands for the rules everywhere.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from app.catalog.items import get_item
from app.errors import UserError
from app.notices import drafts, proofread
from app.notices.privacy import lines_and_columns
from app.store import Store
from app.township import get_township

WHITELIST_KEY = "proofreading.whitelist"
#: The township's own fixed expressions (its 党委 and 政府, villages, local bodies), checked
#: like the country's: one character off is 严重.
PHRASES_KEY = "proofreading.phrases"
#: A township's own words (村名, 人名 of officials, local terms), not a dictionary.
WHITELIST_LIMIT, WORD_LIMIT = 500, 30
SEVERE = "严重"
#: Channels that carry a notice beyond the people it concerns: a notice on any of
#: them is read by 全社会, whatever its audience column says.
WIDE_CHANNELS = frozenset({"政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视",
                           "纸质媒体"})


def parse_words(text: str | None) -> list[str]:
    """The words of a list typed as ``词,词`` (commas, 、, semicolons, spaces or new lines)."""
    return [w for w in re.split(r"[\s,，、;；]+", text or "") if w]


#: The two word lists of 设置 › 校对: what the CLI and the window call each.
WORD_LISTS = {WHITELIST_KEY: "校对白名单", PHRASES_KEY: "本镇规范用语"}


def words(store: Store, key: str) -> tuple[str, ...]:
    """One of :data:`WORD_LISTS` as stored, in the order given."""
    return tuple(dict.fromkeys(parse_words(store.get_setting(key, ""))))


def set_words(store: Store, key: str, given: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Replace one of :data:`WORD_LISTS` (stripped, each word once); returns it as stored."""
    what = WORD_LISTS[key]
    clean = tuple(dict.fromkeys(w for word in given for w in parse_words(word)))
    long = [w for w in clean if len(w) > WORD_LIMIT]
    if long:
        raise UserError(f"「{long[0][:WORD_LIMIT]}…」太长了，{what}的每个词不超过"
                        f"{WORD_LIMIT}个字。")
    if len(clean) > WHITELIST_LIMIT:
        raise UserError(f"{what}最多{WHITELIST_LIMIT}个词，现在有{len(clean)}个。")
    store.set_settings({key: "\n".join(clean)})
    return clean


def set_word_lists(store: Store, whitelist_words: list[str],
                   phrases: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Replace both lists of 设置 › 校对 in one transaction (both or neither)."""
    with store.transaction():
        return (set_words(store, WHITELIST_KEY, whitelist_words),
                set_words(store, PHRASES_KEY, phrases))


def whitelist(store: Store) -> tuple[str, ...]:
    """The words the township has told proofreading to leave alone, in the order given."""
    return words(store, WHITELIST_KEY)


def set_whitelist(store: Store, given: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Replace the whitelist (stripped, each word once); returns it as stored."""
    return set_words(store, WHITELIST_KEY, given)


def is_public(audience: list[str], channels: list[str]) -> bool:
    """Whether a notice of this item reaches 全社会 (unknown audience counts as public)."""
    if not audience or "全社会" in audience:
        return True
    return bool(WIDE_CHANNELS.intersection(channels))


def proof_context(store: Store, notice: drafts.Notice) -> proofread.ProofContext:
    """What the desk knows that the notice's text should agree with."""
    item = get_item(store, notice.item_id, notice.item_rev)
    publicity = None
    if notice.publicity and notice.publicity.get("start") and notice.publicity.get("end"):
        publicity = (str(notice.publicity["start"]), str(notice.publicity["end"]))
    # The notice's own phone line is the township's word too, even before it is published.
    phones = tuple(dict.fromkeys(drafts.published_phones(store)
                                 + ((notice.phone,) if notice.phone else ())))
    return proofread.ProofContext(
        township=get_township(store).township, issuer=notice.issuer,
        phones=phones, publicity=publicity,
        public=is_public(list(item.audience), list(item.channels)),
        whitelist=frozenset(whitelist(store)), phrases=frozenset(words(store, PHRASES_KEY)))


def findings(store: Store, notice: drafts.Notice) -> list[proofread.Proof]:
    """The proofreading findings of this revision of the notice, in text order."""
    return list(proofread.proofread(notice.title, notice.body, proof_context(store, notice)))


def placed(title: str, body: str, proofs: list[proofread.Proof]) -> list[dict[str, Any]]:
    """Each finding in the CONTRACT's JSON shape, line and column counted from 1."""
    places = lines_and_columns(title + "\n" + body, [p.start for p in proofs])
    return [p.to_json(line, col) for p, (line, col) in zip(proofs, places, strict=True)]


def finding_line(entry: dict[str, Any]) -> str:
    """One finding for the clerk: 「第3行第5字 [严重] 固定表述：错 → 对（说明）」."""
    fix = f" → {entry['fix']}" if entry.get("fix") is not None else ""
    why = f"（{entry['explanation']}）" if entry.get("explanation") else ""
    return (f"第{entry['line']}行第{entry['col']}字 [{entry['severity']}] "
            f"{entry['rule']}：{entry['text']}{fix}{why}")


def record_of(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a review step keeps of the open findings: rule, severity, text, line, col."""
    return [{k: e[k] for k in ("rule", "severity", "text", "line", "col")} for e in entries]


def check_notice(store: Store, notice_id: str) -> drafts.CheckResult:
    """:func:`app.notices.drafts.check_notice` with the proofreading findings added."""
    notice = drafts.get_notice(store, notice_id)
    result = drafts.check_notice(store, notice_id)
    return replace(result, proofreading=placed(notice.title, notice.body,
                                               findings(store, notice)))


def _change_text(applied: list[tuple[proofread.Proof, str]]) -> str:
    return "校对：" + "；".join(f"{p.rule} {p.text} → {new}" for p, new in applied)


def _save(store: Store, notice: drafts.Notice, title: str, body: str,
          applied: list[tuple[proofread.Proof, str]], author: str) -> drafts.Notice:
    with store.transaction():
        saved = drafts.edit_notice(store, notice.id, title, body, author,
                                   change=_change_text(applied))
        if saved.rev != notice.rev:
            # What the 台账 counts: which findings were mended, and how grave they were.
            store.audit("notice.proofread_fix", notice.id, {
                "rev": saved.rev,
                "fixes": [{"rule": p.rule, "severity": p.severity, "text": p.text,
                           "replacement": new} for p, new in applied]}, actor=author)
    return saved


def fix_notice(store: Store, notice_id: str, finding: int, choice: int = 0,
               author: str = "") -> drafts.Notice:
    """Apply fix ``choice`` of finding ``finding`` (1-based, in check order) as a new revision."""
    notice = drafts.get_notice(store, notice_id)
    proofs = findings(store, notice)
    if not proofs:
        raise UserError("这条公开信息没有校对问题需要改正。")
    if not 1 <= finding <= len(proofs):
        raise UserError(f"没有第{finding}处校对问题，现在共有{len(proofs)}处。")
    proof = proofs[finding - 1]
    if not 0 <= choice < len(proof.fixes):
        raise UserError(f"第{finding}处（{proof.rule}：{proof.text}）没有第{choice + 1}种改法，"
                        "请在编辑器中手工修改。")
    fix = proof.fixes[choice]
    try:
        title, body = proofread.apply_fix(notice.title, notice.body, proof, choice)
    except ValueError as exc:
        raise UserError(f"第{finding}处（{proof.rule}：{proof.text}）不能自动改正，"
                        "请在编辑器中手工修改。") from exc
    return _save(store, notice, title, body,
                 [(proof, fix.replacement if fix.replacement is not None else fix.label)],
                 author)


def fix_all(store: Store, notice_id: str, author: str = "") -> tuple[drafts.Notice, int]:
    """Apply every finding's first replacement, in one new revision; returns it and the count.

    Applied from the right so the offsets of the findings before each stay
    true; a finding overlapping one already mended, or with only a
    structural fix, is left for the clerk.
    """
    notice = drafts.get_notice(store, notice_id)
    title, body = notice.title, notice.body
    applied: list[tuple[proofread.Proof, str]] = []
    left_edge = len(title) + 1 + len(body) + 1
    for proof in sorted(findings(store, notice), key=lambda p: (p.start, p.end), reverse=True):
        first = proof.fixes[0] if proof.fixes else None
        if first is None or first.replacement is None or proof.end > left_edge:
            continue
        title, body = proofread.apply_fix(title, body, proof, 0)
        applied.append((proof, first.replacement))
        left_edge = proof.start
    if not applied:
        return notice, 0
    applied.reverse()  # the change text reads in text order
    return _save(store, notice, title, body, applied, author), len(applied)
