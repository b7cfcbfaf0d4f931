"""What the 公开信息 editor reads about one notice, in one go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.catalog.items import get_item
from app.notices import drafts
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


def editor_state(store: Store, notice_id: str) -> EditorState:
    """The notice, its item's 要素, the numbers never to mask, its revisions and review."""
    notice = drafts.get_notice(store, notice_id)
    item = get_item(store, notice.item_id, notice.item_rev)
    left = drafts.recovered(store, notice_id)
    if left is not None and (left.title, left.body) == (notice.title, notice.body):
        left = None
    review = review_state(store, notice_id).summary() if notice.status == "draft" else ""
    return EditorState(notice, item.elements, drafts.published_phones(store),
                       drafts.revisions(store, notice_id), review, left)
