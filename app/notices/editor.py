"""What the 公开信息 editor reads about one notice, in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.notices import drafts
from app.notices.privacy import lines_and_columns
from app.notices.proofing import proof_context
from app.notices.proofread import Proof, ProofContext
from app.notices.review import review_state
from app.store import Store


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


def editor_state(store: Store, notice_id: str) -> EditorState:
    """The notice, its item's 要素, the numbers never to mask, its revisions and review."""
    notice = drafts.get_notice(store, notice_id)
    left = drafts.recovered(store, notice_id)
    if left is not None and (left.title, left.body) == (notice.title, notice.body):
        left = None
    review = review_state(store, notice_id).summary() if notice.status == "draft" else ""
    return EditorState(notice, drafts.notice_elements(store, notice),
                       drafts.published_phones(store),
                       drafts.revisions(store, notice_id), review, left,
                       proof_context(store, notice))
