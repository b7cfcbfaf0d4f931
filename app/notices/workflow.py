"""How the township works: review steps and who may pass them, its villages' boards, the
numbers it publishes.

设置 saves each of these on its own (one box, one save), so a refused phone number
never keeps the boards or the review steps from being saved; :func:`set_workflow`
is the all-at-once form kept for scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.notices import boards, review
from app.phones import split_phones
from app.store import Store

#: Field names as the refusals say them.
OFFICE_PHONES = "办公电话"


@dataclass(frozen=True)
class Workflow:
    """The 设置 that shape the notice workflow."""

    review_steps: int
    villages: list[str]
    office_phones: list[str]


def get_workflow(store: Store) -> Workflow:
    """Current review steps, villages (from their boards) and published office numbers."""
    villages = [boards.village_name(b.name) for b in boards.list_boards(store)
                if b.kind == "village"]
    phones = [p for p in (store.get_setting("office_phones", "") or "").split(",") if p]
    return Workflow(len(review.review_steps(store)), villages, phones)


_SPLIT = re.compile(r"[\s,，、;；]+")


def split_names(text: str) -> list[str]:
    """Names typed in one box, separated by commas, 、, semicolons, spaces or new lines."""
    return [name for name in _SPLIT.split(text.strip()) if name]


def set_villages(store: Store, villages: str) -> list[str]:
    """Save the villages typed in 设置 (one board each); the villages as 设置 shows them."""
    boards.set_villages(store, split_names(villages))
    return get_workflow(store).villages


def set_office_phones(store: Store, office_phones: str) -> list[str]:
    """Save the township's published office numbers, each as typed (spaces tidied).

    They are stored comma-separated under ``office_phones``, which the privacy
    check reads (:func:`app.notices.drafts.published_phones`). A number that is
    not one is refused, named, and nothing changes.
    """
    phones = split_phones(office_phones, OFFICE_PHONES)
    store.set_settings({"office_phones": ",".join(phones)})
    return phones


def get_reviewers(store: Store) -> tuple[dict[str, list[str]], bool]:
    """Who may pass each review step (empty when anyone may), and whether one person may
    pass every step (the rules themselves are :mod:`app.notices.review`'s)."""
    return review.reviewers(store), review.one_reviewer(store)


def set_reviewers(store: Store, named: dict[str, list[str]], one: bool) -> None:
    """Record who may pass each step, and whether one person may pass every step."""
    review.set_reviewers(store, named, one)


def set_review(store: Store, review_steps: int, named: dict[str, list[str]], one: bool) -> None:
    """The 审核步骤 box of 设置: how many steps, who may pass each, in one transaction."""
    with store.transaction():
        review.set_review_steps(store, review_steps)
        set_reviewers(store, named, one)


def set_workflow(store: Store, review_steps: int, villages: str, office_phones: str) -> Workflow:
    """Save all three at once (one transaction); a bad phone number refuses the whole save."""
    with store.transaction():
        review.set_review_steps(store, review_steps)
        set_villages(store, villages)
        set_office_phones(store, office_phones)
    return get_workflow(store)
