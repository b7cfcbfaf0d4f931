"""The 台账 (ledger): every notice of a year, quarter or domain, with its figures, as .xlsx.

What the words mean here, so that the workbook, ``gongkai due`` and
``gongkai notice show`` never disagree:

- **Published (公开日期)** is the date of the notice's *first posting* on a
  board. Recording that posting is what moves a notice from 已审核 to 已公开
  (:func:`app.notices.boards.post`), and it is also the first day of its 公示期. It is
  the date the clerk typed for the posting, not the moment the record was
  made. A notice withdrawn after it went up keeps its published date: it was
  disclosed, and the ledger is a record of what happened.
- **Overdue (超期)** follows :mod:`app.reports.due`: a notice with a deadline is late
  when it went up after the deadline (days late = published − due), or when it
  is still 草稿/已审核 and the deadline is before today (days late = today −
  due). Publishing on the deadline itself is on time. Notices whose rule gives
  no date (及时, 长期, 定期, unrecognised wording) are never late, and a notice
  withdrawn before it went up is not late either (due.py drops it as well).
- **On time (按时公开)**: published and not late. The on-time rate is on time /
  (on time + overdue): of the notices whose deadline has been settled one way
  or the other, the share that made it. Notices not yet due do not count.
- **Still open (未公开)**: 草稿 or 已审核 — not yet on any board.
- **Where it went (按公开渠道)** follows the records, not the catalog: a board when
  the notice was posted, 政府网站 when the county replied published with a URL, any
  other channel when the clerk recorded it (:mod:`app.notices.channels`; a record
  replaced or withdrawn does not count). Beside it, how many notices the item asks
  to go there, and of the approved and published ones (not drafts, not withdrawn)
  how many have not: 要求未完成.

Everything is read in one read transaction (one snapshot of the database) with
a handful of set-based queries, never one query per notice.

**Adding a sheet (依申请公开 requests and anything after them).** A
:data:`SheetSource` is a function ``(store, ledger_filter, today) -> Sheet``. Pass it
to :func:`read_ledger` (``extra=[...]``) or :func:`export_ledger`: it runs
inside the same snapshot as the notices, its :class:`Sheet` is written after
the domain sheets with the same look (title line, frozen header, autofilter,
real dates, marked rows with the fill *and* the text column the sheet
provides), and its ``summary`` lines are added to the 汇总 sheet under the
sheet's title. ``front=[...]`` sources are written right after 汇总 instead.
``gongkai ledger export`` passes the sources listed in
:data:`app.reports.ledger_view.FRONT_SHEETS` (公开覆盖, :mod:`app.reports.coverage`)
and :data:`app.reports.ledger_view.EXTRA_SHEETS`. A sheet may also colour single
cells, merge a cell with its right-hand neighbours, and add tables and note lines
under its own (:class:`Sheet`).

**Writing.** openpyxl writes the workbook around the table rows; the rows are
written as sheet XML here, because openpyxl's own cell writer is most of the
time of a large ledger (see :func:`_row_xml`).

The filter is by 信息形成日期 (``formed``): a notice belongs to the year, quarter
and month in which its information was formed, as its deadline counts from it.
"""

from __future__ import annotations

import io
import json
import math
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from app import clock
from app.atomic import atomic_path, check_output
from app.catalog.domains import resolve_domain
from app.errors import UserError
from app.facts import CHANNELS, STATUSES, SYNC_STATES, offline_only, order_like
from app.notices.channels import BOARD_CHANNEL, WEBSITE, short_name, went_channels
from app.notices.drafts import publicity_end
from app.store import Store
from app.township import get_township
from app.workdays import Calendar

SUMMARY_SHEET = "汇总"
OVERDUE_YES, OVERDUE_NO = "是", "否"


# --------------------------------------------------------------------------- filter


@dataclass(frozen=True)
class LedgerFilter:
    """Which notices a ledger holds: formed in ``year`` (and ``quarter``), of ``domain``."""

    year: int
    quarter: int | None = None
    domain: str | None = None

    @property
    def months(self) -> list[int]:
        """The months the filter spans, in order."""
        if self.quarter:
            return list(range(self.quarter * 3 - 2, self.quarter * 3 + 1))
        return list(range(1, 13))

    @property
    def first_day(self) -> date:
        """The first day of the period (inclusive)."""
        return date(self.year, self.months[0], 1)

    @property
    def end_day(self) -> date:
        """The day after the period (exclusive)."""
        last = self.months[-1]
        return date(self.year + 1, 1, 1) if last == 12 else date(self.year, last + 1, 1)

    @property
    def period(self) -> str:
        """The period in the clerk's words: ``2026年`` or ``2026年第3季度``."""
        return f"{self.year}年" + (f"第{self.quarter}季度" if self.quarter else "")

    def describe(self) -> str:
        """The period and domain in the clerk's words: ``2026年第3季度，社会救助领域``."""
        return self.period + "，" + (f"{self.domain}领域" if self.domain else "全部领域")

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"year": self.year, "quarter": self.quarter, "domain": self.domain}


def _number(text: str | int | None, what: str, low: int, high: int) -> int | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    value = str(text).strip()
    if not re.fullmatch(r"\d{1,4}", value) or not low <= int(value) <= high:
        raise UserError(f"{what}「{value}」不对，{what}应在{low}到{high}之间。")
    return int(value)


def make_filter(store: Store, year: str | int | None = None, quarter: str | int | None = None,
                domain: str | None = None, today: date | None = None) -> LedgerFilter:
    """Check the clerk's choices and resolve the domain (a county's other name works too).

    ``year`` defaults to the current year (:mod:`app.clock`). An unknown domain,
    a quarter outside 1–4 or an impossible year is refused with one sentence.
    """
    this_year = (today or clock.today()).year
    chosen_year = _number(year, "年份", 2000, this_year) or this_year
    chosen_quarter = _number(quarter, "季度", 1, 4)
    name = None
    if domain is not None and domain.strip():
        name = resolve_domain(store, domain)
        if name is None:
            raise UserError(f"目录里没有「{domain.strip()}」这个领域。")
    return LedgerFilter(chosen_year, chosen_quarter, name)


def check_target(path: Path) -> Path:
    """Refuse, before anything is read or written, a file name that is not an .xlsx."""
    return check_output(path, "台账", "Excel 文件", ".xlsx")


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Posting:
    """One time a notice went up on a board, and when (if yet) it came down."""

    board: str
    posted: date
    taken_down: date | None


@dataclass(frozen=True)
class LedgerRow:
    """One notice as the ledger records it."""

    notice_id: str
    domain: str
    item_id: str
    level1: str
    level2: str
    kind: str
    title: str
    status: str
    formed: date
    due: date | None
    calendar_known: bool
    published: date | None
    channels: tuple[str, ...]
    postings: tuple[Posting, ...]
    publicity_start: date | None
    publicity_end: date | None
    sync: str
    county_url: str | None
    county_reason: str | None
    overdue: bool
    days_late: int
    #: The passed review steps that approved the text now in force: (step, reviewer).
    reviewers: tuple[tuple[str, str], ...] = ()
    #: 严重 proofreading findings mended (``notice fix``) in the revisions up to the approved one.
    proof_fixed: int = 0
    #: The channels it actually went out on (postings, the county's URL, channel records).
    went: frozenset[str] = frozenset()
    #: 仅限线下公开，不上网 (the item's audience is a 特定群体, or it names no website).
    offline_only: bool = False

    @property
    def required(self) -> list[str]:
        """The item's channels this notice owes: never the website when it must stay offline."""
        return [c for c in self.channels if not (self.offline_only and c == WEBSITE)]

    @property
    def missing(self) -> list[str]:
        """The channels it owes and has not gone out on, once approved (none for drafts)."""
        if self.status not in ("approved", "published"):
            return []
        return [c for c in self.required if c not in self.went]

    @property
    def went_text(self) -> str:
        """Where it went, then what the item asks that it has not: 广播电视；未完成：两微一端."""
        went = "、".join(short_name(c) for c in order_like(list(self.went), CHANNELS))
        missing = "、".join(short_name(c) for c in self.missing)
        return went + (f"；未完成：{missing}" if missing else "")

    @property
    def reviewers_text(self) -> str:
        """Who approved it, step by step: 初审 王明；审核 李华；审发 张强."""
        return "；".join(f"{step} {name}" for step, name in self.reviewers)

    @property
    def status_label(self) -> str:
        """The status in the clerk's words (已公开 …)."""
        return STATUSES.get(self.status, self.status)

    @property
    def sync_label(self) -> str:
        """The county sync state in the clerk's words."""
        return SYNC_STATES.get(self.sync, self.sync)

    @property
    def still_open(self) -> bool:
        """草稿 or 已审核: not on any board yet."""
        return self.status in ("draft", "approved")

    @property
    def on_time(self) -> bool:
        """Published, and not after its deadline (or it had none)."""
        return self.published is not None and not self.overdue

    @property
    def taken_down(self) -> date | None:
        """When the last board was cleared, once every posting has come down."""
        if not self.postings or any(p.taken_down is None for p in self.postings):
            return None
        return max(p.taken_down for p in self.postings if p.taken_down)

    @property
    def county_reply(self) -> str:
        """The county's word: where it published the notice, or why it returned it."""
        if self.county_reason:
            return f"退回：{self.county_reason}"
        return self.county_url or ""

    def to_json(self) -> dict[str, Any]:
        """As JSON (dates as ISO strings)."""
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "id": self.notice_id, "domain": self.domain, "item_id": self.item_id,
            "level1": self.level1, "level2": self.level2, "kind": self.kind,
            "title": self.title, "status": self.status, "formed": iso(self.formed),
            "due": iso(self.due), "calendar_known": self.calendar_known,
            "published": iso(self.published), "channels": list(self.channels),
            "postings": [{"board": p.board, "posted": iso(p.posted),
                          "taken_down": iso(p.taken_down)} for p in self.postings],
            "publicity": ({"start": iso(self.publicity_start), "end": iso(self.publicity_end)}
                          if self.publicity_start or self.publicity_end else None),
            "sync": self.sync, "county_url": self.county_url,
            "county_reason": self.county_reason, "overdue": self.overdue,
            "days_late": self.days_late,
            "reviewers": [{"step": s, "reviewer": r} for s, r in self.reviewers],
            "proof_fixed": self.proof_fixed,
            "went": order_like(list(self.went), CHANNELS), "missing": self.missing,
        }


def lateness(status: str, due: date | None, published: date | None, today: date) -> int:
    """Days late by the rule of :mod:`app.reports.due` (0 when not late); see the module doc."""
    if due is None:
        return 0
    if published is not None:
        return max(0, (published - due).days)
    if status in ("draft", "approved") and due < today:
        return (today - due).days
    return 0


# --------------------------------------------------------------------------- summary


@dataclass
class Counts:
    """The figures of one line of the summary."""

    total: int = 0
    published: int = 0
    on_time: int = 0
    overdue: int = 0
    still_open: int = 0
    withdrawn: int = 0
    #: 严重 proofreading findings fixed before approval (not a count of notices).
    proof_fixed: int = 0

    def add(self, row: LedgerRow) -> None:
        """Count one notice."""
        self.total += 1
        self.proof_fixed += row.proof_fixed
        self.published += row.published is not None
        self.on_time += row.on_time
        self.overdue += row.overdue
        self.still_open += row.still_open
        self.withdrawn += row.status == "withdrawn"

    @property
    def on_time_rate(self) -> float | None:
        """按时公开 / (按时公开 + 超期), or None while nothing has been settled."""
        settled = self.on_time + self.overdue
        return self.on_time / settled if settled else None

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        rate = self.on_time_rate
        return {"total": self.total, "published": self.published, "on_time": self.on_time,
                "overdue": self.overdue, "open": self.still_open, "withdrawn": self.withdrawn,
                "on_time_rate": None if rate is None else round(rate, 4),
                "proof_fixed": self.proof_fixed}


@dataclass
class ChannelCounts:
    """One channel's line: notices that went out on it, that the item asks, asked and not done."""

    went: int = 0
    required: int = 0
    missing: int = 0

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"went": self.went, "required": self.required, "missing": self.missing}


@dataclass(frozen=True)
class Summary:
    """Counts per domain, per month (of 信息形成日期) and per channel, and in all."""

    total: Counts
    domains: list[tuple[str, Counts]]
    months: list[tuple[int, Counts]]
    channels: list[tuple[str, ChannelCounts]]

    def to_json(self, year: int) -> dict[str, Any]:
        """As JSON: ``domains`` and ``months`` are lists of counts with their key."""
        return self.total.to_json() | {
            "domains": [{"domain": d} | c.to_json() for d, c in self.domains],
            "months": [{"month": f"{year}-{m:02d}"} | c.to_json() for m, c in self.months],
            "channels": [{"channel": ch} | c.to_json() for ch, c in self.channels],
        }


def summarise(rows: Sequence[LedgerRow], domains: Sequence[str],
              months: Sequence[int]) -> Summary:
    """Count the rows: every domain of ``domains`` (zeros too), then any other met in rows."""
    total = Counts()
    by_domain: dict[str, Counts] = {d: Counts() for d in domains}
    by_month: dict[int, Counts] = {m: Counts() for m in months}
    by_channel: dict[str, ChannelCounts] = defaultdict(ChannelCounts)
    for row in rows:
        total.add(row)
        by_domain.setdefault(row.domain, Counts()).add(row)
        by_month.setdefault(row.formed.month, Counts()).add(row)
        for channel in row.went:
            by_channel[channel].went += 1
        # 目录要求 is what the catalog's row names; 要求未完成 what this notice still owes.
        for channel in row.channels:
            by_channel[channel].required += 1
        for channel in row.missing:
            by_channel[channel].missing += 1
    channels = order_like(list(by_channel), CHANNELS)
    return Summary(total, list(by_domain.items()), sorted(by_month.items()),
                   [(ch, by_channel[ch]) for ch in channels])


# --------------------------------------------------------------------------- sheets


@dataclass(frozen=True)
class Column:
    """A column of a ledger sheet: its header, the widest it may grow, and what it holds.

    ``kind`` is ``text`` (one line), ``center`` (a short word, centred),
    ``wrap`` (several lines), ``date`` (an Excel date), ``int`` or ``percent``.
    """

    header: str
    width: float
    kind: str = "text"


@dataclass(frozen=True)
class Block:
    """A second table under a sheet's own, in the same columns: a heading line, then rows.

    ``marked`` holds (row, column) cells to fill, 0-based within the block.
    """

    heading: str
    rows: tuple[tuple[Any, ...], ...]
    marked: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class Sheet:
    """A table for the workbook, written the same way whoever builds it.

    ``marked`` holds the 0-based indexes of rows to fill (overdue); the sheet
    should also say so in a text column, which survives black-and-white
    printing. ``cell_marks`` fills single cells (row, column) instead, for a
    grid whose words say what is wrong. ``spans`` merges a cell (row, column)
    with the cells to its right (their values should be None). ``summary``
    lines (label, value) go on the 汇总 sheet; ``below`` tables and ``notes``
    lines follow the table; ``filtered`` gives the table an autofilter.
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    marked: frozenset[int] = frozenset()
    summary: tuple[tuple[str, Any], ...] = ()
    cell_marks: frozenset[tuple[int, int]] = frozenset()
    spans: Mapping[tuple[int, int], int] = field(default_factory=dict)
    filtered: bool = True
    below: tuple[Block, ...] = ()
    notes: tuple[str, ...] = ()


#: Builds one more sheet from the same snapshot the notices are read in; the
#: date is the ledger's "today", against which anything is overdue.
SheetSource = Callable[[Store, LedgerFilter, date], Sheet]

NOTICE_COLUMNS: tuple[Column, ...] = (
    Column("序号", 6, "int"),
    Column("目录编号", 11),
    Column("一级事项", 14, "wrap"),
    Column("二级事项", 14, "wrap"),
    Column("类型", 7, "center"),
    Column("标题", 32, "wrap"),
    Column("状态", 8, "center"),
    Column("审核人", 20, "wrap"),
    Column("信息形成日期", 13, "date"),
    Column("公开时限截止", 13, "date"),
    Column("公开日期", 12, "date"),
    Column("是否超期", 9, "center"),
    Column("超期天数", 9, "int"),
    Column("公开渠道", 22, "wrap"),
    Column("实际公开渠道", 22, "wrap"),
    Column("张贴公开栏", 30, "wrap"),
    Column("撤栏日期", 12, "date"),
    Column("公示期起", 12, "date"),
    Column("公示期止", 12, "date"),
    Column("县级平台", 11, "center"),
    Column("县级平台回复", 24, "wrap"),
    Column("备注", 16, "wrap"),
    Column("信息编号", 10),
)


def _posting_text(p: Posting) -> str:
    down = f"{p.taken_down.isoformat()}撤下" if p.taken_down else "未撤下"
    return f"{p.board}：{p.posted.isoformat()}张贴，{down}"


def _notice_cells(number: int, row: LedgerRow) -> tuple[Any, ...]:
    note = "" if row.calendar_known else "该年节假日安排未载入，日期按周一至周五推算"
    return (
        number, row.item_id, row.level1, row.level2, row.kind, row.title, row.status_label,
        row.reviewers_text, row.formed, row.due, row.published,
        OVERDUE_YES if row.overdue else OVERDUE_NO, row.days_late or None, "、".join(row.channels),
        row.went_text,
        "\n".join(_posting_text(p) for p in row.postings), row.taken_down,
        row.publicity_start, row.publicity_end, row.sync_label, row.county_reply, note,
        row.notice_id[:8],
    )


def notice_sheet(domain: str, rows: Sequence[LedgerRow], township: str,
                 flt: LedgerFilter) -> Sheet:
    """The sheet of one domain's notices, overdue rows marked."""
    return Sheet(
        name=domain, title=f"{township}{domain}领域政务公开台账（{flt.period}）",
        columns=NOTICE_COLUMNS,
        rows=tuple(_notice_cells(k, row) for k, row in enumerate(rows, start=1)),
        marked=frozenset(k for k, row in enumerate(rows) if row.overdue),
    )


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Ledger:
    """Everything one export writes, read from one snapshot of the database."""

    township: str
    county: str
    filter: LedgerFilter
    as_of: date
    rows: list[LedgerRow]
    summary: Summary
    extra_sheets: list[Sheet] = field(default_factory=list)
    #: Sheets written right after 汇总 (the 公开覆盖 overview), before the domain sheets.
    front_sheets: list[Sheet] = field(default_factory=list)

    def by_domain(self) -> list[tuple[str, list[LedgerRow]]]:
        """The rows grouped by domain, in the township's domain order; empty domains left out."""
        groups: dict[str, list[LedgerRow]] = {}
        for row in self.rows:
            groups.setdefault(row.domain, []).append(row)
        return [(d, groups[d]) for d, _ in self.summary.domains if d in groups]

    def sheets(self) -> list[Sheet]:
        """Every table sheet after 汇总: the front ones, one per domain with notices, the extra."""
        return [*self.front_sheets, *(notice_sheet(d, rows, self.township, self.filter)
                                      for d, rows in self.by_domain()), *self.extra_sheets]

    def added_sheets(self) -> list[Sheet]:
        """The sheets not built from the notices (front, then extra): their 汇总 lines."""
        return [*self.front_sheets, *self.extra_sheets]

    def to_json(self) -> dict[str, Any]:
        """The figures as JSON (no rows)."""
        return {"filter": self.filter.to_json(), "as_of": self.as_of.isoformat(),
                "township": self.township} | self.summary.to_json(self.filter.year)


_NOTICES_SQL = """
SELECT n.id, n.kind, n.status, n.formed, n.due, n.due_known, n.sync, n.county_url,
       n.county_reason, c.item_id, c.level1, c.level2, c.rule, c.channels, c.audience,
       d.name AS domain,
       r.title
FROM notices n
JOIN catalog_items c ON c.pk = n.item_pk
JOIN domains d ON d.id = c.domain_id
JOIN notice_revisions r ON r.notice_id = n.id AND r.rev = n.current_rev
WHERE n.formed >= :first AND n.formed < :end AND (:domain IS NULL OR d.name = :domain)
ORDER BY d.position, d.id, n.formed, n.created_at, n.id
"""

_POSTINGS_SQL = """
SELECT p.notice_id, b.name, p.posted, p.taken_down
FROM postings p
JOIN boards b ON b.id = p.board_id
JOIN notices n ON n.id = p.notice_id
JOIN catalog_items c ON c.pk = n.item_pk
JOIN domains d ON d.id = c.domain_id
WHERE n.formed >= :first AND n.formed < :end AND (:domain IS NULL OR d.name = :domain)
ORDER BY p.posted, b.position
"""

#: The review steps that count for a notice: passed, in its current review round,
#: on the revision that was approved (a text sent back and changed is reviewed anew).
_REVIEWERS_SQL = """
SELECT s.notice_id, s.step_name, s.reviewer
FROM review_steps s
JOIN notices n ON n.id = s.notice_id
JOIN catalog_items c ON c.pk = n.item_pk
JOIN domains d ON d.id = c.domain_id
WHERE s.outcome = 'passed' AND s.round = n.review_round AND s.rev = n.approved_rev
  AND n.formed >= :first AND n.formed < :end AND (:domain IS NULL OR d.name = :domain)
ORDER BY s.notice_id, s.step, s.id
"""


#: Where the notices went besides the boards and the website (app.notices.channels).
_CHANNEL_RECORDS_SQL = """
SELECT r.id, r.notice_id, r.channel, r.note
FROM channel_records r
JOIN notices n ON n.id = r.notice_id
JOIN catalog_items c ON c.pk = n.item_pk
JOIN domains d ON d.id = c.domain_id
WHERE n.formed >= :first AND n.formed < :end AND (:domain IS NULL OR d.name = :domain)
"""

#: The proofreading fixes (app.notices.proofing) saved in revisions up to the approved one.
_PROOF_FIXES_SQL = """
SELECT a.subject AS notice_id, a.detail
FROM audit_log a
JOIN notices n ON n.id = a.subject
JOIN catalog_items c ON c.pk = n.item_pk
JOIN domains d ON d.id = c.domain_id
WHERE a.action = 'notice.proofread_fix' AND n.approved_rev IS NOT NULL
  AND CAST(json_extract(a.detail, '$.rev') AS INTEGER) <= n.approved_rev
  AND n.formed >= :first AND n.formed < :end AND (:domain IS NULL OR d.name = :domain)
"""


def _severe_fixes(detail: str) -> int:
    try:
        fixes = json.loads(detail).get("fixes", [])
    except (ValueError, AttributeError):
        return 0
    return sum(1 for f in fixes if isinstance(f, dict) and f.get("severity") == "严重")


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def read_ledger(store: Store, flt: LedgerFilter, today: date | None = None,
                extra: Sequence[SheetSource] = (), front: Sequence[SheetSource] = ()
                ) -> Ledger:
    """Every notice of the filter as ledger rows, with the summary, from one snapshot.

    ``extra`` and ``front`` sheet sources run inside the same snapshot (see the
    module docstring); the front sheets come right after 汇总.
    """
    today = today or clock.today()
    params = {"first": flt.first_day.isoformat(), "end": flt.end_day.isoformat(),
              "domain": flt.domain}
    with store.snapshot():
        info = get_township(store)
        cal = Calendar.from_store(store)
        postings: dict[str, list[Posting]] = defaultdict(list)
        for p in store.query(_POSTINGS_SQL, params):
            postings[p["notice_id"]].append(
                Posting(p["name"], date.fromisoformat(p["posted"]), _day(p["taken_down"])))
        reviewers: dict[str, dict[str, str]] = defaultdict(dict)
        for s in store.query(_REVIEWERS_SQL, params):
            # One name per step; should a step have been recorded twice, the later counts.
            reviewers[s["notice_id"]][s["step_name"]] = s["reviewer"]
        fixed: dict[str, int] = defaultdict(int)
        for f in store.query(_PROOF_FIXES_SQL, params):
            fixed[f["notice_id"]] += _severe_fixes(f["detail"])
        recorded = went_channels(store.query(_CHANNEL_RECORDS_SQL, params))
        parsed: dict[str, Any] = {}
        rows = [_ledger_row(r, postings.get(r["id"], []), cal, today, parsed,
                            tuple(reviewers.get(r["id"], {}).items()), fixed.get(r["id"], 0),
                            recorded.get(r["id"], set()))
                for r in store.query(_NOTICES_SQL, params)]
        if flt.domain:
            domains = [flt.domain]
        else:
            domains = [r["name"] for r in store.query(
                "SELECT name FROM domains WHERE NOT hidden ORDER BY position, id")]
        before = [source(store, flt, today) for source in front]
        sheets = [source(store, flt, today) for source in extra]
    return Ledger(info.township, info.county, flt, today, rows,
                  summarise(rows, domains, flt.months), sheets, before)


def _ledger_row(r: Any, postings: list[Posting], cal: Calendar, today: date,
                parsed: dict[str, Any], reviewers: tuple[tuple[str, str], ...],
                proof_fixed: int, recorded: set[str]) -> LedgerRow:
    # Rules and channel lists repeat across the notices of one item: parse each once.
    rule = parsed.get(r["rule"]) or parsed.setdefault(r["rule"], json.loads(r["rule"]))
    channels = (parsed.get(r["channels"])
                or parsed.setdefault(r["channels"], tuple(json.loads(r["channels"]))))
    due = _day(r["due"])
    published = min((p.posted for p in postings), default=None)
    known = bool(r["due_known"])
    start = end = None
    # The 公示期 and its calendar flag are worked out as get_notice does, so the
    # ledger and ``notice show`` agree to the day.
    if rule.get("publicity") and published is not None:
        start = published
        counted = publicity_end(cal, rule, published)
        if counted is not None:
            end = counted.date
            known = known and counted.calendar_known
    late = lateness(r["status"], due, published, today)
    went = set(recorded)
    if postings:
        went.add(BOARD_CHANNEL)
    if r["county_url"]:
        went.add(WEBSITE)
    return LedgerRow(
        notice_id=r["id"], domain=r["domain"], item_id=r["item_id"], level1=r["level1"],
        level2=r["level2"], kind=r["kind"], title=r["title"], status=r["status"],
        formed=date.fromisoformat(r["formed"]), due=due, calendar_known=known,
        published=published, channels=channels, postings=tuple(postings),
        publicity_start=start, publicity_end=end, sync=r["sync"], county_url=r["county_url"],
        county_reason=r["county_reason"], overdue=late > 0, days_late=late,
        reviewers=reviewers, proof_fixed=proof_fixed, went=frozenset(went),
        offline_only=offline_only(channels, parsed.get(r["audience"]) or parsed.setdefault(
            r["audience"], tuple(json.loads(r["audience"])))),
    )


# --------------------------------------------------------------------------- writing

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=False)
_WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
_TITLE_FONT = Font(name="黑体", size=16, bold=True)
_HEAD_FONT = Font(name="黑体", size=10, bold=True)
_BODY_FONT = Font(name="仿宋", size=10)
_NOTE_FONT = Font(name="仿宋", size=10, italic=True)
_LATE_FONT = Font(name="仿宋", size=10, color="9C0006")
_LATE_FLAG_FONT = Font(name="黑体", size=10, bold=True, color="9C0006")
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_LATE_FILL = PatternFill("solid", fgColor="FFC7CE")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_FORMATS = {"date": "yyyy-mm-dd", "int": "0", "percent": "0.0%"}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
#: The column every sheet may name to say, in words, that a row is marked.
FLAG_HEADER = "是否超期"


def _clean(value: Any) -> Any:
    # Control characters pasted from other programs make the file unreadable.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


_NARROW = re.compile(r"[\x00-\u2e7f]+")


def _width(text: str) -> float:
    # A Chinese character (anything past U+2E7F) is about two digits wide in
    # Excel's width unit: the narrow ones are cut out and what is left counted twice.
    longest = max(text.split("\n"), key=len, default="") if "\n" in text else text
    return (len(longest) + len(_NARROW.sub("", longest))) * 1.1


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unused Excel sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    base = _SHEET_BAD.sub("_", name).strip("'") or "台账"
    base = base[:31]
    candidate, n = base, 1
    while candidate.lower() in used or candidate.lower() == "history":
        n += 1
        suffix = f"({n})"
        candidate = base[:31 - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


def _title_rows(ws: Worksheet, lines: Sequence[str], span: int) -> int:
    """Write the title (and subtitle lines) merged across ``span`` columns; next free row."""
    for k, text in enumerate(lines, start=1):
        cell = ws.cell(k, 1, _clean(text))
        cell.font = _TITLE_FONT if k == 1 else _BODY_FONT
        cell.alignment = _CENTER if k == 1 else Alignment(horizontal="left", vertical="center")
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=max(span, 1))
        ws.row_dimensions[k].height = 30 if k == 1 else 18
    return len(lines) + 1


def _print_setup(ws: Worksheet, header_row: int) -> None:
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    # Twenty-two columns are unreadable shrunk onto A4; a township office that
    # prints A3 board sheets has the paper, and Excel falls back to A4 if not.
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    _fit_to_width(ws)


def _fit_to_width(ws: Worksheet) -> None:
    # As many pages down as it takes, one page across.
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None  # WorksheetProperties always makes one
    setup.fitToPage = True


def _column_widths(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> list[float]:
    """Each column as wide as its widest text, between a floor and the column's maximum."""
    widths = [_width(c.header) + 2 for c in columns]
    measured = [k for k, c in enumerate(columns) if c.kind in ("text", "center", "wrap")]
    for values in rows:
        for k in measured:
            value = values[k]
            # Measuring is the slow part; a string too short to widen the
            # column is not measured.
            if isinstance(value, str) and len(value) * 2.2 + 2 > widths[k]:
                widths[k] = max(widths[k], _width(value) + 2)
    return [max(12 if c.kind == "date" else 6, min(w, c.width))
            for c, w in zip(columns, widths, strict=True)]


def _lines(value: Any, width: float) -> int:
    """How many lines a wrapped cell of ``width`` needs for ``value``."""
    if not isinstance(value, str) or not value:
        return 1
    usable = max(width - 1.5, 1.0)
    if "\n" not in value and len(value) * 2.2 <= usable:
        return 1
    return sum(max(1, math.ceil(_width(line) / usable)) for line in value.split("\n"))


class _CellStyles:
    """One named style per look of a table cell, registered with the workbook once.

    Setting font, border, alignment, fill and format on each of 200,000 cells
    one by one costs seconds (openpyxl hashes every style object each time);
    a named style is applied in one step, and the clerk sees tidy names in
    Excel's style list. The table rows are written as XML (see
    :func:`_row_xml`), so each look is also turned into its cell format number once.
    """

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.names: dict[tuple[str, bool, bool], str] = {}
        self.ids: dict[Any, int] = {}

    def name(self, kind: str, late: bool, flag: bool) -> str:
        """The style of a cell of ``kind`` in a marked (``late``) row or not."""
        key = (kind, late, flag and late)
        name = self.names.get(key)
        if name is None:
            name = f"台账{len(self.names) + 1:02d}"
            style = NamedStyle(name=name, border=_BORDER, number_format=_FORMATS.get(kind,
                                                                                     "General"))
            style.font = (_LATE_FLAG_FONT if key[2] else _LATE_FONT if late else _BODY_FONT)
            style.alignment = (_WRAP if kind == "wrap" else
                               _CENTER if kind in (*_FORMATS, "center") else _LEFT)
            if late:
                style.fill = _LATE_FILL
            self.book.add_named_style(style)
            self.names[key] = name
        return name

    def _probe(self) -> Cell:
        # A cell of no sheet's grid: styling it registers the look with the workbook.
        return Cell(self.book.worksheets[0], row=1, column=1)

    def id(self, kind: str, late: bool, flag: bool) -> int:
        """The cell format number of :meth:`name`'s style, for the rows' XML."""
        key = (kind, late, flag and late)
        found = self.ids.get(key)
        if found is None:
            probe = self._probe()
            probe.style = self.name(kind, late, flag)
            found = self.ids[key] = int(probe.style_id)
        return found

    def line_id(self, font: Font, wrap: bool) -> int:
        """The cell format number of a line of text (a heading, a note) across the sheet."""
        key = ("line", font, wrap)
        found = self.ids.get(key)
        if found is None:
            probe = self._probe()
            probe.font = font
            probe.alignment = Alignment(horizontal="left", vertical="center", wrap_text=wrap)
            found = self.ids[key] = int(probe.style_id)
        return found


# --------------------------------------------------------------------------- rows as XML
#
# openpyxl spends about 10 µs on every cell it writes, even in write-only mode:
# 2.6 s for the 220,000 cells of 10,000 notices. So openpyxl writes the workbook
# around the rows (styles, widths, merged titles, panes, filters, print setup,
# the 汇总 sheet) with one marker cell where a sheet's rows go, and the rows
# are written here as the <row> elements of the Office Open XML sheet, with the
# cell formats openpyxl registered (:meth:`_CellStyles.id`), then put in place
# of the marker (:func:`_fill_rows`). Strings are inline strings, as openpyxl
# writes them, so a title beginning with "=" is text, never a formula.

_EXCEL_DAY0 = date(1899, 12, 30).toordinal()


def _letters(count: int) -> list[str]:
    return [get_column_letter(k) for k in range(1, count + 1)]


def _xml_text(text: str) -> str:
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        text = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\r", "&#13;"))
    return text


def _cell_xml(ref: str, style: int, value: Any) -> str:
    """One ``<c>`` element: text, number, date (an Excel day number) or an empty styled cell."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value:
            return f'<c r="{ref}" s="{style}"/>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return (f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{_xml_text(value)}'
                "</t></is></c>")
    if value is None:
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        number: float = to_excel(value)
    elif isinstance(value, date):
        number = value.toordinal() - _EXCEL_DAY0
        if 0 < number <= 60:  # Excel's 29 February 1900, as openpyxl counts it
            number -= 1
    elif isinstance(value, int | float):
        number = value
    else:
        return _cell_xml(ref, style, str(value))
    return f'<c r="{ref}" s="{style}" t="n"><v>{number}</v></c>'


def _row_xml(r: int, letters: Sequence[str], looks: Sequence[int], values: Sequence[Any],
             height: float | None = None) -> str:
    """One ``<row>`` element of cells ``values`` with the cell formats ``looks``."""
    number = str(r)
    cells = "".join([_cell_xml(letter + number, look, value)
                     for letter, look, value in zip(letters, looks, values, strict=True)])
    tall = f' ht="{height:g}" customHeight="1"' if height else ""
    return f'<row r="{number}"{tall}>{cells}</row>'


@dataclass
class _Rows:
    """The XML rows of one sheet, put in place of ``marker`` once openpyxl has saved."""

    marker: str
    xml: str
    dimension: str


def _fill_rows(frame: bytes, target: str, rows: Sequence[_Rows]) -> None:
    """Copy the workbook openpyxl wrote to ``target``, each marker row replaced by its rows."""
    left = {r.marker.encode(): r for r in rows}
    with ZipFile(io.BytesIO(frame)) as src, ZipFile(target, "w", ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                for marker in [m for m in left if m in data]:
                    data = _put_rows(data.decode("utf-8"), left.pop(marker)).encode("utf-8")
            out.writestr(info, data)
    if left:
        raise RuntimeError("the workbook lost the place of a sheet's rows")


def _put_rows(text: str, rows: _Rows) -> str:
    at = text.index(rows.marker)
    start = text.rindex("<row", 0, at)
    end = text.index("</row>", at) + len("</row>")
    # openpyxl counted the marker's row as the last one (the dimension comes before the rows).
    head = _DIMENSION.sub(f'<dimension ref="{rows.dimension}"/>', text[:start], count=1)
    return head + rows.xml + text[end:]


_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


def _write_table_sheet(ws: Worksheet, sheet: Sheet, subtitle: str,
                       styles: _CellStyles) -> _Rows | None:
    """Everything of a table sheet but its rows; the rows as XML (None: there are none)."""
    columns = sheet.columns
    header = _title_rows(ws, [sheet.title, subtitle], len(columns))
    flag = next((k for k, c in enumerate(columns) if c.header == FLAG_HEADER), None)
    for col, column in enumerate(columns, start=1):
        cell = ws.cell(header, col, column.header)
        cell.font, cell.alignment, cell.border, cell.fill = (_HEAD_FONT, _CENTER, _BORDER,
                                                             _HEAD_FILL)
    blocks = [(b.rows, b.marked) for b in sheet.below]
    for name, rows in ((sheet.name, sheet.rows), *((b.heading, b.rows) for b in sheet.below)):
        for index, values in enumerate(rows):
            if len(values) != len(columns):
                raise ValueError(f"row {index + 1} of {name} has {len(values)} cells")
    widths = _column_widths(columns, [*sheet.rows, *(v for rows, _ in blocks for v in rows)])
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    letters = _letters(len(columns))
    looks = [[styles.id(c.kind, late, k == flag) for k, c in enumerate(columns)]
             for late in (False, True)]
    alarm = [styles.id(c.kind, True, False) for c in columns]
    wrapped = [k for k, c in enumerate(columns) if c.kind == "wrap"]
    out: list[str] = []

    def table(first: int, rows: Sequence[Sequence[Any]], marked: frozenset[int],
              cells: frozenset[tuple[int, int]]) -> int:
        by_row: dict[int, list[int]] = defaultdict(list)
        for index, col in cells:
            by_row[index].append(col)
        r = first - 1
        for index, values in enumerate(rows):
            r += 1
            look = looks[index in marked]
            if index in by_row:
                look = list(look)
                for col in by_row[index]:
                    look[col] = alarm[col]
            # Neither Excel nor LibreOffice grows a row for wrapped text it did not
            # lay out itself, so the height is set here from the lines each cell needs.
            lines = max((_lines(values[k], widths[k]) for k in wrapped), default=1)
            out.append(_row_xml(r, letters, look, values, 13.5 * lines + 2 if lines > 1
                                else None))
        return r

    def line(r: int, text: str, font: Font, wrap: bool) -> None:
        lines = _lines(text, sum(widths)) if wrap else 1
        out.append(_row_xml(r, letters[:1], [styles.line_id(font, wrap)], [text],
                            13.5 * lines + 2 if lines > 1 else None))
        ws.merged_cells.add(f"A{r}:{letters[-1]}{r}")

    last = table(header + 1, sheet.rows, sheet.marked, sheet.cell_marks)
    for (index, col), span in sheet.spans.items():
        r = header + 1 + index
        ws.merged_cells.add(f"{letters[col]}{r}:{letters[col + span - 1]}{r}")
    ws.freeze_panes = ws.cell(header + 1, 1).coordinate
    if sheet.filtered:
        ws.auto_filter.ref = f"A{header}:{letters[-1]}{header + max(len(sheet.rows), 1)}"
    for block in sheet.below:
        line(last + 2, block.heading, _HEAD_FONT, False)
        last = table(last + 3, block.rows, frozenset(), block.marked)
    if sheet.notes:
        last += 1
        for text in sheet.notes:
            last += 1
            line(last, text, _NOTE_FONT, True)
    _print_setup(ws, header)
    if not out:
        return None
    marker = f"gongkai-rows-{uuid.uuid4().hex}"
    ws.cell(header + 1, 1, marker)
    return _Rows(marker, "".join(out), f"A1:{letters[-1]}{last}")


_COUNT_HEADERS = ("总数", "已公开", "按时公开", "超期", "未公开", "已撤回", "按时公开率")


def _count_values(c: Counts) -> list[Any]:
    return [c.total, c.published, c.on_time, c.overdue, c.still_open, c.withdrawn,
            c.on_time_rate]


def _summary_table(ws: Worksheet, row: int, heading: str, key: str,
                   lines: Sequence[tuple[str, list[Any]]], total: list[Any] | None,
                   table_name: str, headers: Sequence[str] = _COUNT_HEADERS) -> int:
    """A heading, a table (an Excel table, so it has its own filter) and its 合计 line."""
    ws.cell(row, 1, heading).font = _HEAD_FONT
    row += 1
    for col, text in enumerate([key, *headers], start=1):
        cell = ws.cell(row, col, text)
        cell.font, cell.alignment, cell.border, cell.fill = (_HEAD_FONT, _CENTER, _BORDER,
                                                             _HEAD_FILL)
    first = row
    for label, values in lines:
        row += 1
        _summary_line(ws, row, label, values, _BODY_FONT)
    if lines:
        ref = f"A{first}:{get_column_letter(len(headers) + 1)}{row}"
        table = Table(displayName=table_name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
        ws.add_table(table)
    if total is not None:
        # Kept below the table, not in it, so that sorting or filtering the
        # table never moves the 合计 line into the middle.
        row += 1
        _summary_line(ws, row, "合计", total, _HEAD_FONT)
        for col in range(1, len(headers) + 2):
            ws.cell(row, col).fill = _TOTAL_FILL
    return row + 2


def _summary_line(ws: Worksheet, row: int, label: str, values: list[Any], font: Font) -> None:
    cell = ws.cell(row, 1, _clean(label))
    cell.font, cell.border, cell.alignment = font, _BORDER, _LEFT
    for col, value in enumerate(values, start=2):
        cell = ws.cell(row, col, "—" if value is None else value)
        cell.font, cell.border, cell.alignment = font, _BORDER, _CENTER
        cell.number_format = "0.0%" if isinstance(value, float) else "0"


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _write_summary(ws: Worksheet, ledger: Ledger) -> None:
    s = ledger.summary
    span = len(_COUNT_HEADERS) + 1
    township = ledger.township or "本乡镇"
    total = s.total
    row = _title_rows(ws, [
        f"{township}政务公开工作台账",
        f"统计范围：{ledger.filter.describe()}（按信息形成日期）；统计截至{ledger.as_of.isoformat()}",
        f"公开信息 {total.total} 条：已公开 {total.published} 条，其中按时公开 {total.on_time} 条；"
        f"超期 {total.overdue} 条；未公开 {total.still_open} 条；已撤回 {total.withdrawn} 条。"
        f"按时公开率 {_percent(total.on_time_rate)}",
    ], span)
    row = _summary_table(ws, row, "一、按领域统计", "领域",
                         [(d, _count_values(c)) for d, c in s.domains], _count_values(total),
                         "ByDomain")
    row = _summary_table(ws, row, "二、按月份统计（按信息形成日期）", "月份",
                         [(f"{ledger.filter.year}年{m}月", _count_values(c)) for m, c in s.months],
                         _count_values(total), "ByMonth")
    row = _summary_table(ws, row, "三、按公开渠道统计（按实际公开的记录）", "公开渠道",
                         [(ch, [c.went, c.required, c.missing]) for ch, c in s.channels], None,
                         "ByChannel", headers=("实际公开", "目录要求", "要求未完成"))
    number = "四五六七八九十"
    k = -1
    for sheet in ledger.added_sheets():
        if not sheet.summary:
            continue
        k += 1
        ws.cell(row, 1, f"{number[min(k, len(number) - 1)]}、{sheet.title}").font = _HEAD_FONT
        for label, value in sheet.summary:
            row += 1
            ws.cell(row, 1, _clean(label)).font = _BODY_FONT
            ws.cell(row, 2, _clean(value)).font = _BODY_FONT
        row += 2
    row = _summary_table(ws, row, f"{number[min(k + 1, len(number) - 1)]}、"
                         "审核通过前经校对改正的严重问题（按领域）", "公开领域",
                         [(d, [c.proof_fixed]) for d, c in s.domains], [total.proof_fixed],
                         "ProofFixed", headers=("处数",))
    notes = [
        "说明：",
        "1. 公开日期为首次张贴到公开栏的日期（记录张贴即为已公开），也是公示期的第一天。",
        "2. 超期：张贴晚于公开时限截止日，或截至统计日仍未张贴且已过截止日；"
        "公开时限为及时、长期、定期或未能识别的事项不计超期。",
        "3. 按时公开率 = 按时公开 ÷（按时公开 + 超期）；尚未到期的未公开信息不计入。",
        "4. 各领域明细见后面的工作表，超期的行以红色底纹标出，并在“是否超期”一列写明；"
        "“信息编号”为编号的前8位，在工作台中可凭它查到这条公开信息。",
        "5. 审核人：审核通过现行文本的各步审核人（退回修改后重新审核的，只列重新审核的）。",
        "6. 校对改正的严重问题：审核通过的公开信息，在通过的版本之前按校对建议改正的严重问题处数"
        "（在工作台中用“按校对改正”所改的；手工改的不计）。",
        "7. 按公开渠道统计：“实际公开”是确有公开记录的条数——公开栏按张贴记录，政府网站按县级平台"
        "回复的发布网址，其他渠道按信息员记录的渠道公开情况（已更正、撤销的记录不计）；“目录要求”是"
        "目录事项列有该渠道的条数；“要求未完成”是已审核、已公开的信息中目录要求该渠道而尚无记录的条数"
        "（仅限线下公开、不上网的信息不计政府网站）。",
    ]
    for text in notes:
        ws.cell(row, 1, text).font = _NOTE_FONT
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        row += 1
    ws.column_dimensions["A"].width = 24
    for col in range(2, span + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    _fit_to_width(ws)


def write_ledger(path: Path, ledger: Ledger) -> list[str]:
    """Write the workbook (汇总 first, then a sheet per domain, then extra sheets), atomically.

    Returns the sheet names in order. The file at ``path`` is either the old
    one or the whole new workbook, never half of it.
    """
    path = check_target(path)
    book = Workbook()
    summary = book.active
    assert summary is not None  # a new workbook starts with one sheet
    summary.title = SUMMARY_SHEET
    used = {SUMMARY_SHEET.lower()}
    _write_summary(summary, ledger)
    subtitle = f"统计范围：{ledger.filter.describe()}；统计截至{ledger.as_of.isoformat()}"
    styles = _CellStyles(book)
    rows = []
    for sheet in ledger.sheets():
        ws = book.create_sheet(sheet_name(sheet.name, used))
        written = _write_table_sheet(ws, sheet, subtitle, styles)
        if written is not None:
            rows.append(written)
    frame = io.BytesIO()
    book.save(frame)
    with atomic_path(path) as tmp:
        _fill_rows(frame.getvalue(), tmp, rows)
    return book.sheetnames


def _said(label: str, value: Any) -> str:
    """A 汇总 line in a sentence: 收到申请（件）, 3 → 收到申请 3 件."""
    unit = re.fullmatch(r"(.*)（(.+)）", label)
    return f"{unit[1]} {value} {unit[2]}" if unit else f"{label} {value}"


@dataclass(frozen=True)
class LedgerExport:
    """What an export wrote."""

    path: Path
    ledger: Ledger
    sheets: list[str]

    def summary_line(self) -> str:
        """One sentence for the clerk."""
        t = self.ledger.summary.total
        return (f"已导出{self.ledger.filter.describe().replace('，', '')}台账到 {self.path}："
                f"公开信息 {t.total} 条，已公开 {t.published} 条（按时 {t.on_time} 条），"
                f"超期 {t.overdue} 条，未公开 {t.still_open} 条，"
                f"按时公开率 {_percent(t.on_time_rate)}"
                + "".join(f"；{sheet.name}：" + "，".join(_said(label, value)
                                                       for label, value in sheet.summary)
                          for sheet in self.ledger.added_sheets() if sheet.summary)
                + "。")

    def to_json(self) -> dict[str, Any]:
        """The counts and what was written."""
        return {"file": str(self.path), "sheets": self.sheets} | self.ledger.to_json()


def export_ledger(store: Store, path: Path, flt: LedgerFilter, today: date | None = None,
                  extra: Sequence[SheetSource] = (), front: Sequence[SheetSource] = ()
                  ) -> LedgerExport:
    """Read the ledger of ``flt`` (one snapshot) and write it to ``path`` (.xlsx, atomically)."""
    path = check_target(path)
    ledger = read_ledger(store, flt, today, extra, front)
    return LedgerExport(path, ledger, write_ledger(path, ledger))

