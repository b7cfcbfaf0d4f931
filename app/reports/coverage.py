"""公开覆盖: the plan of the year as the 台账 shows it, item by item and period by period.

Every cell is a :class:`app.planning.plan.PlanEntry` of :func:`app.planning.plan.build_plan`
written as its :data:`app.planning.plan.COVERAGE` word, so the sheet, the 台账 page and
``gongkai plan --json`` never disagree. The grid has one column per month of the
filter: a monthly item fills one cell a month, a quarter's cell spans its three
months, a half-year's six and a year's twelve (standing items likewise, by their
confirmation period). A quarter filter keeps the periods that overlap the quarter,
cut to its months; a domain filter keeps that domain's items.

Under the grid, the months in which a domain published nothing at all: no notice
of the domain was *first posted* that month (the ledger's meaning of published,
so a notice withdrawn after it went up still counts). Only months that have
begun by the ledger's day count; the current month counts as far as it has gone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.catalog.schedule import PERIOD_KINDS
from app.planning.plan import COVERAGE, PlanEntry, build_plan
from app.reports.ledger import Block, Column, LedgerFilter, Sheet
from app.store import Store
from app.township import get_township

SHEET_NAME = "公开覆盖"
#: Cells the sheet and the page colour: the period went wrong.
ALARMS = frozenset({"late", "missing"})
QUIET = "无公开"
#: How a standing item's confirmation period reads in the 周期 column.
_CONFIRM_WORDS = {"month": "每月", "quarter": "每季度", "half": "每半年", "year": "每年"}

_PUBLISHED_SQL = """
SELECT d.name AS domain, MIN(p.posted) AS published
FROM postings p
JOIN notices n ON n.id = p.notice_id
JOIN catalog_items c ON c.pk = n.item_pk
JOIN domains d ON d.id = c.domain_id
WHERE (:domain IS NULL OR d.name = :domain)
GROUP BY n.id
HAVING MIN(p.posted) >= :first AND MIN(p.posted) < :end
"""


def period_kind(label: str) -> str:
    """``month``, ``quarter``, ``half`` or ``year`` from a period label (``2026-Q4`` …)."""
    if len(label) == 4:
        return "year"
    return {"Q": "quarter", "H": "half"}.get(label[5], "month")


@dataclass(frozen=True)
class CoverageCell:
    """One period of an item, placed in the grid: ``first`` month column, ``span`` columns."""

    entry: PlanEntry
    first: int
    span: int

    @property
    def word(self) -> str:
        """What the cell says: ✓, 逾期, 缺失 …"""
        return COVERAGE[self.entry.coverage]

    @property
    def alarm(self) -> bool:
        """Late or missing: coloured on the sheet and the page."""
        return self.entry.coverage in ALARMS


@dataclass(frozen=True)
class CoverageRow:
    """One item of the plan with its periods in the filter's months."""

    item_id: str
    domain: str
    title: str
    cycle: str
    cells: tuple[CoverageCell, ...]
    reason: str

    @property
    def note(self) -> str:
        """The reason of a 不涉及 item, or what went wrong period by period."""
        if self.reason:
            return f"不涉及：{self.reason}"
        missing = [c.entry for c in self.cells if c.entry.coverage == "missing"]
        late = [c.entry for c in self.cells if c.entry.coverage == "late"]
        parts = []
        if missing:
            # A monthly item missed all year would need a line per month with dates.
            parts.append("缺失：" + "、".join(_short(e) for e in missing)
                         + (f"（截止{_day(missing[0].due)}）" if len(missing) == 1 else ""))
        if late:
            parts.append("逾期：" + "、".join(
                f"{_short(e)}（截止{_day(e.due)}，"
                + (f"{_day(e.published)}公开）" if e.published else "已起草未张贴）")
                for e in late))
        return "；".join(parts)


def _short(entry: PlanEntry) -> str:
    # The sheet is of one year: 第一季度, 3月, 下半年, 全年.
    words = entry.period.words()
    return words[len(f"{entry.period.start.year}年"):] or "全年"


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"


@dataclass(frozen=True)
class QuietDomain:
    """Notices of one domain first posted in each month of the filter (None: not begun)."""

    domain: str
    counts: tuple[int | None, ...]


@dataclass(frozen=True)
class Coverage:
    """The coverage of one ledger filter, as of ``today``."""

    year: int
    months: tuple[int, ...]
    today: date
    rows: tuple[CoverageRow, ...]
    quiet: tuple[QuietDomain, ...]

    @property
    def entries(self) -> list[PlanEntry]:
        """Every plan entry the grid shows, row by row."""
        return [c.entry for row in self.rows for c in row.cells]

    def quiet_months(self, domain: str) -> list[int]:
        """The months (numbers) in which ``domain`` published nothing."""
        line = next((q for q in self.quiet if q.domain == domain), None)
        if line is None:
            return []
        return [m for m, n in zip(self.months, line.counts, strict=True) if n == 0]

    def counts(self) -> Counter[str]:
        """Periods per coverage key (``on_time`` …) over the grid."""
        return Counter(e.coverage for e in self.entries)

    def summary(self) -> tuple[tuple[str, Any], ...]:
        """The lines of the 汇总 sheet (and the sentence of the export)."""
        c = self.counts()
        return (("按时公开（期）", c["on_time"]), ("逾期（期）", c["late"]),
                ("缺失（期）", c["missing"]), ("已起草未到期（期）", c["drafted"]),
                ("未到期（期）", c["pending"]),
                ("不涉及（项）", sum(1 for r in self.rows if r.reason)),
                ("无公开的月份（个）", sum(len(self.quiet_months(q.domain))
                                           for q in self.quiet)))


def read_coverage(store: Store, flt: LedgerFilter, today: date) -> Coverage:
    """The plan of the filter's year and the months without publication, in one snapshot."""
    params = {"first": flt.first_day.isoformat(), "end": flt.end_day.isoformat(),
              "domain": flt.domain}
    with store.snapshot():
        plan = build_plan(store, flt.year, today)
        if flt.domain:
            domains = [flt.domain]
        else:
            domains = [r["name"] for r in store.query(
                "SELECT name FROM domains WHERE NOT hidden ORDER BY position, id")]
        published = Counter((r["domain"], int(r["published"][5:7]))
                            for r in store.query(_PUBLISHED_SQL, params))
    months = tuple(flt.months)
    quiet = tuple(
        QuietDomain(d, tuple(published[(d, m)] if date(flt.year, m, 1) <= today else None
                             for m in months))
        for d in domains)
    return Coverage(flt.year, months, today, _rows(plan.entries, flt), quiet)


def _rows(entries: list[PlanEntry], flt: LedgerFilter) -> tuple[CoverageRow, ...]:
    first_month, last_month = flt.months[0], flt.months[-1]
    by_item: dict[str, list[CoverageCell]] = {}
    heads: dict[str, PlanEntry] = {}
    for e in entries:  # build_plan lists them in the catalog's order, domain by domain
        if flt.domain and e.domain != flt.domain:
            continue
        if e.period.start >= flt.end_day or e.period.end < flt.first_day:
            continue
        start = max(e.period.start.month, first_month)
        end = min(e.period.end.month, last_month)
        heads.setdefault(e.item_id, e)
        by_item.setdefault(e.item_id, []).append(
            CoverageCell(e, start - first_month, end - start + 1))
    return tuple(CoverageRow(item_id, heads[item_id].domain, heads[item_id].title,
                             _cycle(heads[item_id]), tuple(cells), heads[item_id].reason)
                 for item_id, cells in by_item.items())


def _cycle(entry: PlanEntry) -> str:
    kind = period_kind(entry.period.label)
    if entry.kind == "standing":
        return f"长期（{_CONFIRM_WORDS[kind]}复核）"
    return PERIOD_KINDS[kind][0]


# --------------------------------------------------------------------------- the sheet

LEAD_COLUMNS: tuple[Column, ...] = (
    Column("领域", 12, "wrap"),
    Column("目录编号", 11),
    Column("事项", 30, "wrap"),
    Column("周期", 22, "center"),
)
NOTE_COLUMN = Column("说明", 40, "wrap")
SHEET_NOTES = (
    "说明：",
    "1. 每格为该期的公开情况：✓ 按时公开；逾期 晚于截止日公开，或已起草、过了截止日仍未张贴；"
    "缺失 过了截止日仍无公开信息；已起草 已起草、尚未到截止日；未到期 尚未到截止日；"
    "不涉及 本乡镇不涉及的事项（理由见说明）。",
    "2. 季度、半年、全年的一期跨它所含的各月；长期公开事项按复核周期，期内有带照片的张贴"
    "或复核记录即为✓。逾期、缺失以红色底纹标出。",
    "3. 无公开的月份：该领域当月没有首次张贴的公开信息（按首次张贴日期，撤回的也算已公开过）；"
    "只统计到统计日为止的月份。",
)


def coverage_sheet(coverage: Coverage, township: str, flt: LedgerFilter) -> Sheet:
    """The 公开覆盖 sheet: the grid, then the months without publication per domain."""
    n = len(coverage.months)
    columns = (*LEAD_COLUMNS, *(Column(f"{m}月", 7, "center") for m in coverage.months),
               NOTE_COLUMN)
    lead = len(LEAD_COLUMNS)
    rows: list[tuple[Any, ...]] = []
    marks: set[tuple[int, int]] = set()
    spans: dict[tuple[int, int], int] = {}
    for index, row in enumerate(coverage.rows):
        cells: list[Any] = [None] * n
        for c in row.cells:
            cells[c.first] = c.word
            if c.span > 1:
                spans[(index, lead + c.first)] = c.span
            if c.alarm:
                marks.add((index, lead + c.first))
        rows.append((row.domain, row.item_id, row.title, row.cycle, *cells, row.note))
    quiet_rows: list[tuple[Any, ...]] = []
    quiet_marks: set[tuple[int, int]] = set()
    for index, line in enumerate(coverage.quiet):
        counts: list[Any] = []
        for k, count in enumerate(line.counts):
            if count == 0:
                quiet_marks.add((index, lead + k))
            counts.append("" if count is None else QUIET if count == 0 else count)
        months = coverage.quiet_months(line.domain)
        note = ("无公开：" + "、".join(f"{m}月" for m in months) if months
                else "各月均有公开" if any(c is not None for c in line.counts) else "")
        quiet_rows.append((line.domain, "", "当月首次张贴的公开信息（条）", "每月", *counts,
                           note))
    return Sheet(
        name=SHEET_NAME, title=f"{township}政务公开覆盖情况（{flt.period}）",
        columns=columns, rows=tuple(rows), cell_marks=frozenset(marks), spans=spans,
        filtered=False, summary=coverage.summary(), notes=SHEET_NOTES,
        below=(Block("无公开的月份（各领域当月没有任何公开信息首次张贴）", tuple(quiet_rows),
                     frozenset(quiet_marks)),),
    )


def coverage_source(store: Store, flt: LedgerFilter, today: date) -> Sheet:
    """The 公开覆盖 sheet as a :data:`app.reports.ledger.SheetSource` (the ledger's snapshot)."""
    return coverage_sheet(read_coverage(store, flt, today), get_township(store).township, flt)
