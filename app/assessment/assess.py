"""考核自评: the county's scoring rules applied to the desk's own records.

The active rules file (:mod:`app.assessment.rules`) lists indicators; each names
a counter of :data:`COUNTERS`, and each record the counter finds costs the
indicator's ``per`` points, up to its ``points``. The score is the rules'
``max`` less every deduction. What each counter counts, for year Y (or one
quarter of it), as of ``today``:

- ``late_notices``: notices formed in the window that the 台账 calls 超期
  (:func:`app.reports.ledger.lateness`: went up after the due date, or still
  not up and the due date has passed).
- ``missing_periods`` / ``standing_unconfirmed``: periods of the plan of the year
  (:func:`app.planning.plan.build_plan`) ending in the window whose due date has
  passed with nothing drafted (coverage ``missing``), periodic or standing. A
  period answered late by a notice is that notice's lateness, counted once.
- ``postings_without_photo``: notices with a posting in the window recorded
  without a photo (one record per notice, the boards named).
- ``privacy_after_approval``: notices formed in the window whose approved text
  holds personal data as the desk's checker reads it today.
- ``returned_by_county``: notices formed in the window the county ever returned.
- ``late_requests``: requests received in the window answered after their due date.
- ``unanswered_requests``: requests received in the window not answered and past due.
- ``annual_report_missing``: the 年度报告 of year Y−1, due by 31 January of Y
  (条例 第四十九条), counts as filed only when the clerk has recorded the day it
  was published (:func:`record_annual_report`) and that day is not later than
  the due date. It is counted in the year (or first quarter) once 31 January has passed.
- ``rectify_overdue``: 整改 problems of lists received in Y, not fixed and past
  their deadline, or fixed after it (deadline in the window).

Records name a request by its number and what was asked, never the applicant:
the deduction lines go into the 佐证材料 sent to the county.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app import clock
from app.assessment.counters import COUNTERS
from app.assessment.rules import active_rules
from app.errors import UserError
from app.info_requests.cases import InfoRequest, list_requests
from app.notices.drafts import published_phones
from app.notices.privacy import KINDS, find_personal_data
from app.planning.plan import build_plan, check_year
from app.planning.rectify import list_problems
from app.reports.ledger import LedgerFilter, read_ledger
from app.store import Store

#: COUNTERS lives in app.assessment.counters (the rules reader checks names against it).
__all__ = ["COUNTERS", "Assessment", "Deduction", "Record", "assess"]



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
    quarter: int | None = None
    #: What each indicator counts: its key → a key of :data:`COUNTERS`.
    counts: dict[str, str] = field(default_factory=dict)

    @property
    def lost(self) -> float:
        """The points lost in all."""
        return round(sum(d.points for d in self.deductions), 2)

    def to_json(self) -> dict[str, Any]:
        """``assess --json``."""
        return {"year": self.year, "quarter": self.quarter, "score": self.score,
                "max": self.max, "rules": self.rules_label, "example": self.example,
                "deductions": [d.to_json() for d in self.deductions]}


@dataclass(frozen=True)
class Window:
    """The days an assessment looks at: a year, or one quarter of it."""

    year: int
    quarter: int | None
    today: date
    #: Reads two counters share (the plan of the year, the year's requests), made once.
    shared: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def once(self, name: str, read: Callable[[], Any]) -> Any:
        """``read()`` the first time ``name`` is asked for, the same answer after."""
        if name not in self.shared:
            self.shared[name] = read()
        return self.shared[name]

    @property
    def first(self) -> date:
        """The first day (inclusive)."""
        return date(self.year, (self.quarter or 1) * 3 - 2, 1)

    @property
    def last(self) -> date:
        """The last day (inclusive)."""
        if not self.quarter or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, self.quarter * 3 + 1, 1) - timedelta(days=1)

    def holds(self, day: date | None) -> bool:
        """Whether ``day`` falls inside."""
        return day is not None and self.first <= day <= self.last

    @property
    def words(self) -> str:
        """``2026年`` or ``2026年第3季度``."""
        return f"{self.year}年" + (f"第{self.quarter}季度" if self.quarter else "")


Counter = Callable[[Store, Window], list[Record]]


def _late_notices(store: Store, w: Window) -> list[Record]:
    ledger = read_ledger(store, LedgerFilter(w.year, w.quarter), w.today)
    out = [Record("notice", r.notice_id, f"{r.title}（期限{r.due}，超期{r.days_late}天）")
           for r in ledger.rows if r.overdue]
    # A periodic item's notice has no deadline of its own (定期 gives none): its period's
    # due date in the plan is the one it kept or missed.
    counted = {r.id for r in out}
    plan = w.once("plan", lambda: build_plan(store, w.year, w.today))
    for e in plan.entries:
        if (e.kind == "periodic" and e.coverage == "late" and e.notice_id
                and e.notice_id not in counted and w.holds(e.due)):
            when = f"{e.published}才公开" if e.published else "尚未公开"
            out.append(Record("notice", e.notice_id,
                              f"{e.title} {e.period.words()}（应于{e.due}前公开，{when}）"))
            counted.add(e.notice_id)
    return out


def _plan_missing(kind: str) -> Counter:
    def count(store: Store, w: Window) -> list[Record]:
        plan = w.once("plan", lambda: build_plan(store, w.year, w.today))
        return [Record("plan", f"{e.item_id}@{e.period.label}",
                       f"{e.title} {e.period.words()}（应于{e.due}前"
                       + ("公开）" if kind == "periodic" else "复核）"))
                for e in plan.entries
                if e.kind == kind and e.coverage == "missing" and w.holds(e.period.end)]
    return count


_NO_PHOTO_SQL = """
SELECT n.id, r.title, b.name, p.posted
FROM postings p JOIN notices n ON n.id = p.notice_id JOIN boards b ON b.id = p.board_id
JOIN notice_revisions r ON r.notice_id = n.id AND r.rev = n.current_rev
WHERE p.photo IS NULL AND p.posted >= ? AND p.posted <= ?
ORDER BY p.posted, n.id, b.position
"""


def _postings_without_photo(store: Store, w: Window) -> list[Record]:
    boards: dict[str, tuple[str, list[str]]] = {}
    for r in store.query(_NO_PHOTO_SQL, (w.first.isoformat(), w.last.isoformat())):
        boards.setdefault(r["id"], (r["title"], []))[1].append(f"{r['name']} {r['posted']}")
    return [Record("notice", nid, f"{title}（{'、'.join(where)}无照片）")
            for nid, (title, where) in boards.items()]


_APPROVED_SQL = """
SELECT n.id, r.title, r.body FROM notices n
JOIN notice_revisions r ON r.notice_id = n.id AND r.rev = n.approved_rev
WHERE n.approved_rev IS NOT NULL AND n.formed >= ? AND n.formed <= ?
ORDER BY n.formed, n.id
"""


def _privacy_after_approval(store: Store, w: Window) -> list[Record]:
    phones = published_phones(store)
    out = []
    for r in store.query(_APPROVED_SQL, (w.first.isoformat(), w.last.isoformat())):
        found = find_personal_data(r["title"] + "\n" + r["body"], phones)
        if found:
            kinds = "、".join(dict.fromkeys(KINDS[f.kind] for f in found))
            out.append(Record("notice", r["id"], f"{r['title']}（审核通过的文本含{kinds}）"))
    return out


_RETURNED_SQL = """
SELECT n.id, r.title, MAX(c.reason) AS reason FROM notices n
JOIN notice_revisions r ON r.notice_id = n.id AND r.rev = n.current_rev
JOIN county_replies c ON c.notice_id = n.id AND c.state = 'returned'
WHERE n.formed >= ? AND n.formed <= ?
GROUP BY n.id ORDER BY n.formed, n.id
"""


def _returned_by_county(store: Store, w: Window) -> list[Record]:
    return [Record("notice", r["id"], f"{r['title']}（退回：{r['reason'] or '未说明理由'}）")
            for r in store.query(_RETURNED_SQL, (w.first.isoformat(), w.last.isoformat()))]


def _asked(request: InfoRequest) -> str:
    words = " ".join(request.content.split())
    return words if len(words) <= 20 else words[:20] + "…"


def _requests(store: Store, w: Window) -> list[InfoRequest]:
    found: list[InfoRequest] = w.once("requests",
                                      lambda: list_requests(store, w.year, today=w.today))
    return found


def _late_requests(store: Store, w: Window) -> list[Record]:
    return [Record("request", q.id, f"{q.id}「{_asked(q)}」（期限{q.clock.due}，"
                                    f"{q.answered}答复）")
            for q in _requests(store, w)
            if w.holds(q.received) and q.answered and q.clock.due
            and q.answered > q.clock.due]


def _unanswered_requests(store: Store, w: Window) -> list[Record]:
    return [Record("request", q.id, f"{q.id}「{_asked(q)}」（期限{q.clock.due}，至今未答复）")
            for q in _requests(store, w)
            if w.holds(q.received) and q.state == "overdue"]


ANNUAL_SETTING = "assess.annual_report_published.{year}"


def annual_report_due(year: int) -> date:
    """The day the 年度报告 of ``year`` must be published by (条例 第四十九条: 1月31日)."""
    return date(year + 1, 1, 31)


def annual_report_published(store: Store, year: int) -> date | None:
    """The day the clerk recorded the 年度报告 of ``year`` as published, if any."""
    text = store.get_setting(ANNUAL_SETTING.format(year=year), "") or ""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def record_annual_report(store: Store, year: int, published: date | None,
                         today: date | None = None) -> None:
    """Record the day the 年度报告 of ``year`` was published (None: not published)."""
    today = today or clock.today()
    if published is not None and published > today:
        raise UserError("发布日期不能晚于今天。")
    if published is not None and published.year < year:
        raise UserError(f"{year}年度报告的发布日期不能早于{year}年。")
    store.set_settings({ANNUAL_SETTING.format(year=year):
                        published.isoformat() if published else ""})


def _annual_report_missing(store: Store, w: Window) -> list[Record]:
    year = w.year - 1
    due = annual_report_due(year)
    if not w.holds(due) or w.today <= due:
        return []
    published = annual_report_published(store, year)
    if published is not None and published <= due:
        return []
    said = f"{published}才发布" if published else "未记录发布日期"
    return [Record("report", f"annual-report-{year}",
                   f"{year}年政府信息公开工作年度报告（应于{due}前发布，{said}）")]


def _rectify_overdue(store: Store, w: Window) -> list[Record]:
    problems = list_problems(store, w.year)
    out = []
    for p in problems:
        if not w.holds(p.deadline):
            continue
        if p.overdue(w.today):
            out.append(Record("problem", p.id, f"{p.problem[:30]}（期限{p.deadline}，未整改）"))
        elif p.fixed_late and p.fix is not None:
            out.append(Record("problem", p.id, f"{p.problem[:30]}（期限{p.deadline}，"
                                               f"{p.fix.fixed_on}才整改）"))
    return out


#: The function behind each counter of :data:`COUNTERS`.
COUNTING: dict[str, Counter] = {
    "late_notices": _late_notices,
    "missing_periods": _plan_missing("periodic"),
    "standing_unconfirmed": _plan_missing("standing"),
    "postings_without_photo": _postings_without_photo,
    "privacy_after_approval": _privacy_after_approval,
    "returned_by_county": _returned_by_county,
    "late_requests": _late_requests,
    "unanswered_requests": _unanswered_requests,
    "annual_report_missing": _annual_report_missing,
    "rectify_overdue": _rectify_overdue,
}


def check_quarter(quarter: int | str | None) -> int | None:
    """A quarter from the CLI or the GUI (1–4, or None for the year)."""
    if quarter is None or quarter == "":
        return None
    if str(quarter).strip() not in ("1", "2", "3", "4"):
        raise UserError("季度只能是1、2、3或4。")
    return int(str(quarter).strip())


def assess(store: Store, year: int | None = None, today: date | None = None,
           quarter: int | None = None) -> Assessment:
    """The score the active rules file gives the desk's records of ``year`` (or a quarter)."""
    today = today or clock.today()
    window = Window(check_year(year, today), check_quarter(quarter), today)
    with store.snapshot():
        rules = active_rules(store)
        found: dict[str, list[Record]] = {}
        deductions = []
        for ind in rules.indicators:
            if ind.counts not in found:
                found[ind.counts] = COUNTING[ind.counts](store, window)
            records = found[ind.counts]
            lost = round(min(ind.points, ind.per * len(records)), 2)
            if records and lost > 0:
                deductions.append(Deduction(ind.key, ind.name, ind.section, lost,
                                            tuple(records)))
    score = round(max(0.0, rules.max - sum(d.points for d in deductions)), 2)
    return Assessment(window.year, rules.label, score, rules.max, deductions,
                      [(i.key, i.name, i.section, i.points) for i in rules.indicators],
                      rules.example, window.quarter, {i.key: i.counts for i in rules.indicators})
