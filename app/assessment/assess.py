"""考核自评: the county's scoring rules applied to the desk's own records.

(Interface fixed for the parts built beside it; the helper building the
assessment fills in :func:`assess`.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.store import Store

#: What a rules file's indicator may count, from the desk's own records: the clerk's words
#: and the kind of record each deduction names (the 佐证材料 file sorts its material so).
COUNTERS: dict[str, tuple[str, str]] = {
    "late_notices": ("公开不及时的信息", "notice"),
    "missing_periods": ("应公开未公开的期次", "plan"),
    "standing_unconfirmed": ("长期公开未按期复核", "plan"),
    "postings_without_photo": ("公开栏张贴无照片", "notice"),
    "privacy_after_approval": ("审核通过后仍含个人信息", "notice"),
    "returned_by_county": ("被县级平台退回的信息", "notice"),
    "late_requests": ("依申请公开超期答复", "request"),
    "unanswered_requests": ("依申请公开逾期未答复", "request"),
    "annual_report_missing": ("年度报告未按时发布", "report"),
    "rectify_overdue": ("整改逾期未完成或逾期完成", "problem"),
}


@dataclass(frozen=True)
class Record:
    """One record that causes a deduction: a notice, a request, a plan period, a problem."""

    kind: str  # "notice" | "request" | "plan" | "problem" | "item" | "posting" | "report"
    id: str
    label: str  # what the clerk reads: the title, the applicant, the period

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"kind": self.kind, "id": self.id, "label": self.label}


@dataclass(frozen=True)
class Deduction:
    """Points lost on one indicator, and the records that lose them."""

    indicator: str  # the indicator's key in the rules file
    name: str
    section: str
    points: float
    records: tuple[Record, ...]

    def to_json(self) -> dict[str, Any]:
        """The deduction of ``assess --json`` (CONTRACT.md): records as their ids."""
        return {"indicator": self.indicator, "name": self.name, "section": self.section,
                "points": self.points, "records": [r.id for r in self.records],
                "details": [r.to_json() for r in self.records]}


@dataclass
class Assessment:
    """The score of one year (or quarter) under one rules file."""

    year: int
    rules_label: str
    score: float
    max: float
    deductions: list[Deduction] = field(default_factory=list)
    #: Every indicator of the rules file in its order: (key, name, section, points).
    indicators: list[tuple[str, str, str, float]] = field(default_factory=list)
    example: bool = False

    def to_json(self) -> dict[str, Any]:
        """``assess --json``."""
        return {"year": self.year, "score": self.score, "max": self.max,
                "rules": self.rules_label, "example": self.example,
                "deductions": [d.to_json() for d in self.deductions]}


def assess(store: Store, year: int | None = None, today: date | None = None,
           quarter: int | None = None) -> Assessment:
    """The score the active rules file gives the desk's records of ``year``."""
    raise NotImplementedError
