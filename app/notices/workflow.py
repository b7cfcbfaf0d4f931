"""How the township works: review steps, its villages' boards, the numbers it publishes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import UserError
from app.notices import boards, review
from app.store import Store


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


def set_workflow(store: Store, review_steps: int, villages: str, office_phones: str) -> Workflow:
    """Save all three at once (one transaction); a bad phone number refuses the whole save."""
    phones = [p for p in _SPLIT.split(office_phones.strip()) if p]
    for phone in phones:
        if not re.fullmatch(r"[\d\-—()（）转+]{5,20}", phone):
            raise UserError(f"电话号码「{phone}」格式不对。")
    names = [v for v in _SPLIT.split(villages.strip()) if v]
    with store.transaction():
        review.set_review_steps(store, review_steps)
        boards.set_villages(store, names)
        store.set_settings({"office_phones": ",".join(phones)})
    return get_workflow(store)
