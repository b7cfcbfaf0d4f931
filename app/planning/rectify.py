"""整改: the county's problem lists (测评问题清单), each problem's deadline and its fix.

(Interface fixed for the parts built beside it; the helper building 整改 fills it in.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.store import Store


@dataclass(frozen=True)
class Fix:
    """What the township did about a problem, when, and the evidence."""

    fixed_on: date
    action: str
    evidence: tuple[dict[str, str], ...]  # {"kind": "photo"|"file"|"screenshot", "sha256", "name"}
    author: str


@dataclass(frozen=True)
class Problem:
    """One problem of a county list."""

    id: str
    list_title: str
    received: date
    seq: int
    problem: str
    indicator: str
    requirement: str
    target_kind: str  # "notice" | "item" | "board" | ""
    target_id: str
    days: int
    deadline: date
    calendar_known: bool
    fixes: tuple[Fix, ...] = field(default_factory=tuple)

    @property
    def fix(self) -> Fix | None:
        """The fix that counts (the latest recorded)."""
        return self.fixes[-1] if self.fixes else None

    @property
    def fixed_late(self) -> bool:
        """Fixed, but after its deadline."""
        return self.fix is not None and self.fix.fixed_on > self.deadline

    def overdue(self, today: date) -> bool:
        """Not fixed and past its deadline."""
        return self.fix is None and today > self.deadline

    def to_json(self) -> dict[str, Any]:
        """As JSON for ``rectify list --json``."""
        raise NotImplementedError


def list_problems(store: Store, year: int | None = None) -> list[Problem]:
    """Every problem (of lists received in ``year``, or all), oldest list first."""
    raise NotImplementedError


def import_rows(store: Store, title: str, source: str, received: date,
                rows: list[dict[str, str]]) -> list[Problem]:
    """Keep one problem list in one transaction; rows carry 问题/指标/整改要求/期限(工作日)/关联."""
    raise NotImplementedError
