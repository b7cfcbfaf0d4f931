"""The plan of the year: every periodic and standing duty of the catalog, period by period.

A periodic item expects one notice per period. A notice of the item whose
信息形成日期 lies in a period's window (the period itself, stretched to the due
date where the 公开时限 allows days after the period's end) fulfils the earliest
period of that window not yet fulfilled, so a quarter's report formed on 5
October still answers the third quarter. Whether it was *on time* follows the
ledger's rule: published (first posted) on or before the period's due date.

A standing item is confirmed once per confirmation period (every N months, N set
by the township): a posting of one of its notices with a photo in the period, or
a fresh photo of the board recorded with :func:`confirm_standing`.

An item marked 不涉及 keeps its reason and leaves the plan: its periods are listed
as ``not_applicable`` and count for nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app import clock
from app.catalog.item import CatalogItem
from app.catalog.items import get_item, list_items
from app.catalog.schedule import (
    CONFIRM_MONTHS,
    DEFAULT_CONFIRM_MONTHS,
    Period,
    Schedule,
    confirm_period_kind,
    due_of,
    periods_of,
    read_schedule,
    schedule_from_json,
)
from app.errors import UserError
from app.notices.boards import find_board, store_photo
from app.store import Store, now_iso
from app.workdays import Calendar, parse_date

#: ``status`` of CONTRACT.md and the clerk's words.
PLAN_STATUSES: dict[str, str] = {
    "fulfilled": "已落实", "open": "待公开", "late": "已逾期", "not_applicable": "不涉及",
}
#: What the 台账's coverage sheet writes for each entry.
COVERAGE: dict[str, str] = {
    "on_time": "✓", "late": "逾期", "missing": "缺失", "drafted": "已起草",
    "pending": "未到期", "not_applicable": "不涉及",
}
CONFIRM_SETTING = "plan.confirm_months"
#: The day the township's records on the desk begin: periods due before it are not the
#: desk's to judge (a desk installed in November knows nothing of March's notices).
SINCE_SETTING = "plan.since"
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class PlanEntry:
    """One period of one item: when it falls due and what the desk holds for it."""

    item_id: str
    domain: str
    title: str
    kind: str
    period: Period
    due: date
    calendar_known: bool
    status: str
    coverage: str
    notice_id: str | None = None
    published: date | None = None
    reason: str = ""

    @property
    def status_label(self) -> str:
        """The status in the clerk's words."""
        return PLAN_STATUSES[self.status]

    def to_json(self) -> dict[str, Any]:
        """The entry of ``plan --json`` (CONTRACT.md), with the clerk's words beside."""
        return {
            "item_id": self.item_id, "period": self.period.label, "due": self.due.isoformat(),
            "status": self.status, "notice_id": self.notice_id, "domain": self.domain,
            "title": self.title, "kind": self.kind, "coverage": self.coverage,
            "start": self.period.start.isoformat(), "end": self.period.end.isoformat(),
            "published": self.published.isoformat() if self.published else None,
            "calendar_known": self.calendar_known, "reason": self.reason,
        }


@dataclass(frozen=True)
class Question:
    """An item whose 公开时限 the program could not turn into dates: the clerk is asked once."""

    item_id: str
    domain: str
    title: str
    time_limit: str


@dataclass
class Plan:
    """The plan of one year, as of ``today``."""

    year: int
    today: date
    entries: list[PlanEntry] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    not_applicable: dict[str, str] = field(default_factory=dict)
    events: int = 0
    since: date | None = None

    def to_json(self) -> dict[str, Any]:
        """``gongkai plan --json``."""
        return {
            "year": self.year, "today": self.today.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "entries": [e.to_json() for e in self.entries],
            "questions": [{"item_id": q.item_id, "domain": q.domain, "title": q.title,
                           "time_limit": q.time_limit} for q in self.questions],
            "not_applicable": [{"item_id": k, "reason": v}
                               for k, v in self.not_applicable.items()],
            "events": self.events,
        }


@dataclass(frozen=True)
class ItemPlan:
    """What the clerk said of one item."""

    schedule: Schedule | None = None
    not_applicable: str | None = None
    confirm_months: int | None = None


def check_year(year: int | str | None, today: date | None = None) -> int:
    """A plan year from the CLI or the GUI; UserError for anything else."""
    if year is None:
        return (today or clock.today()).year
    try:
        value = int(str(year).strip())
    except ValueError:
        raise UserError(f"「{year}」不是年份。") from None
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise UserError(f"年份应在{FIRST_YEAR}到{LAST_YEAR}之间。")
    return value


def item_plans(store: Store) -> dict[str, ItemPlan]:
    """Every item the clerk said something of."""
    out = {}
    for r in store.query("SELECT item_id, schedule, not_applicable, confirm_months"
                         " FROM item_plans"):
        schedule = None
        if r["schedule"]:
            try:
                schedule = schedule_from_json(json.loads(r["schedule"]))
            except (UserError, ValueError):
                schedule = None
        out[r["item_id"]] = ItemPlan(schedule, r["not_applicable"], r["confirm_months"])
    return out


def schedule_for(item: CatalogItem, said: ItemPlan | None) -> Schedule:
    """The item's schedule: the clerk's answer where given, else what its 公开时限 reads."""
    if said and said.schedule:
        return said.schedule
    return read_schedule(item.time_limit, item.rule)


def confirm_months(store: Store) -> int:
    """The township's months between two confirmations of a standing posting."""
    try:
        value = int(store.get_setting(CONFIRM_SETTING, "") or DEFAULT_CONFIRM_MONTHS)
    except ValueError:
        return DEFAULT_CONFIRM_MONTHS
    return value if value in CONFIRM_MONTHS else DEFAULT_CONFIRM_MONTHS


def plan_since(store: Store) -> date | None:
    """The day the plan starts counting from, if the township set one."""
    text = store.get_setting(SINCE_SETTING, "") or ""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def set_plan_since(store: Store, day: str | None) -> None:
    """Count the plan from ``day`` (periods due earlier are left out); ``None`` counts all."""
    value = parse_date(day).isoformat() if day else ""
    store.set_settings({SINCE_SETTING: value})


# --------------------------------------------------------------------------- building

#: A 政策解读 explains what an item's period asks for; it never answers the period itself.
_NOTICES_SQL = """
SELECT n.id, c.item_id, n.formed, MIN(p.posted) AS published
FROM notices n JOIN catalog_items c ON c.pk = n.item_pk
LEFT JOIN postings p ON p.notice_id = n.id
WHERE n.status != 'withdrawn' AND n.kind != '解读' AND n.formed >= :first AND n.formed <= :last
GROUP BY n.id ORDER BY n.formed, n.created_at
"""
_PHOTO_POSTINGS_SQL = """
SELECT c.item_id, n.id AS notice_id, p.posted AS day
FROM postings p JOIN notices n ON n.id = p.notice_id JOIN catalog_items c ON c.pk = n.item_pk
WHERE p.photo IS NOT NULL AND n.status != 'withdrawn' AND n.kind != '解读'
  AND p.posted >= :first AND p.posted <= :last
"""


def build_plan(store: Store, year: int | None = None, today: date | None = None) -> Plan:
    """The plan of ``year`` (this year by default) from the catalog and the desk's records."""
    today = today or clock.today()
    year = check_year(year, today)
    with store.snapshot():
        items = list_items(store)
        said = item_plans(store)
        cal = Calendar.from_store(store)
        default_months = confirm_months(store)
        since = plan_since(store)
        bounds = {"first": date(year - 1, 1, 1).isoformat(),
                  "last": date(year + 1, 12, 31).isoformat()}
        notices: dict[str, list[tuple[str, date, date | None]]] = defaultdict(list)
        for r in store.query(_NOTICES_SQL, bounds):
            notices[r["item_id"]].append((r["id"], date.fromisoformat(r["formed"]),
                                          date.fromisoformat(r["published"])
                                          if r["published"] else None))
        seen: dict[str, list[tuple[date, str | None]]] = defaultdict(list)
        for r in store.query(_PHOTO_POSTINGS_SQL, bounds):
            seen[r["item_id"]].append((date.fromisoformat(r["day"]), r["notice_id"]))
        for r in store.query("SELECT item_id, day FROM standing_checks"
                             " WHERE day >= :first AND day <= :last", bounds):
            seen[r["item_id"]].append((date.fromisoformat(r["day"]), None))
    plan = Plan(year, today, since=since)
    for item in items:
        mine = said.get(item.id)
        schedule = schedule_for(item, mine)
        reason = mine.not_applicable if mine else None
        if reason:
            plan.not_applicable[item.id] = reason
        if schedule.kind == "event":
            plan.events += 1
        elif schedule.kind == "unknown":
            if not reason:
                plan.questions.append(Question(item.id, item.domain, item.title(),
                                               item.time_limit))
        elif schedule.kind == "periodic":
            plan.entries += _periodic(item, schedule, year, today, cal,
                                      notices.get(item.id, []), reason)
        else:
            months = (mine.confirm_months if mine and mine.confirm_months in CONFIRM_MONTHS
                      else default_months)
            plan.entries += _standing(item, months, year, today, seen.get(item.id, []), reason)
    if since is not None:
        plan.entries = [e for e in plan.entries if e.due >= since]
    return plan


def _periodic(item: CatalogItem, schedule: Schedule, year: int, today: date, cal: Calendar,
              notices: list[tuple[str, date, date | None]], reason: str | None
              ) -> list[PlanEntry]:
    assert schedule.period is not None
    periods = periods_of(schedule.period, year - 1)[-1:] + periods_of(schedule.period, year)
    dues = [due_of(schedule, p, cal) for p in periods]
    taken: dict[int, tuple[str, date | None]] = {}
    for drafted, formed, first_posted in notices:
        # The earliest period whose window holds the 信息形成日期 and is still unanswered.
        for i, (p, (due, _known)) in enumerate(zip(periods, dues, strict=True)):
            if i not in taken and p.start <= formed <= max(p.end, due):
                taken[i] = (drafted, first_posted)
                break
    out = []
    for i, (p, (due, known)) in enumerate(zip(periods, dues, strict=True)):
        if p.start.year != year:
            continue
        notice_id: str | None = taken[i][0] if i in taken else None
        published = taken[i][1] if i in taken else None
        status, coverage = _judge(due, today, notice_id is not None, published, reason)
        out.append(PlanEntry(item.id, item.domain, item.title(), "periodic", p, due, known,
                             status, coverage, notice_id, published, reason or ""))
    return out


def _judge(due: date, today: date, drafted: bool, published: date | None,
           reason: str | None) -> tuple[str, str]:
    if reason:
        return "not_applicable", "not_applicable"
    if published is not None:
        return ("fulfilled", "on_time") if published <= due else ("late", "late")
    if drafted:
        return ("fulfilled", "drafted") if today <= due else ("late", "late")
    return ("open", "pending") if today <= due else ("late", "missing")


def _standing(item: CatalogItem, months: int, year: int, today: date,
              seen: list[tuple[date, str | None]], reason: str | None) -> list[PlanEntry]:
    out = []
    for p in periods_of(confirm_period_kind(months), year):
        inside = sorted((d, n) for d, n in seen if p.start <= d <= p.end)
        confirmed = inside[-1] if inside else None
        status, coverage = _judge(p.end, today, False, confirmed[0] if confirmed else None,
                                  reason)
        out.append(PlanEntry(item.id, item.domain, item.title(), "standing", p, p.end, True,
                             status, coverage, confirmed[1] if confirmed else None,
                             confirmed[0] if confirmed else None, reason or ""))
    return out


# --------------------------------------------------------------------------- the clerk's word


def _said(store: Store, item_id: str, column: str, value: Any, action: str,
          detail: dict[str, Any]) -> None:
    get_item(store, item_id)  # an unknown item is refused with the catalog's own sentence
    with store.transaction() as conn:
        conn.execute(
            f"INSERT INTO item_plans (item_id, {column}, updated_at, updated_by)"  # noqa: S608
            " VALUES (?, ?, ?, ?) ON CONFLICT(item_id) DO UPDATE SET"
            f" {column} = excluded.{column}, updated_at = excluded.updated_at,"
            " updated_by = excluded.updated_by",
            (item_id, value, now_iso(), store.get_setting("clerk", "") or ""))
        store.audit(action, item_id, detail)


def set_not_applicable(store: Store, item_id: str, reason: str | None) -> None:
    """Mark an item 不涉及 with its reason (``None`` or empty: it is carried out again)."""
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > 500:
        raise UserError("不涉及的理由请控制在500字以内。")
    _said(store, item_id, "not_applicable", reason, "plan.not_applicable",
          {"reason": reason})


def set_schedule(store: Store, item_id: str, schedule: dict[str, Any] | None) -> Schedule | None:
    """Keep the clerk's answer to when an item falls due (``None``: as the catalog reads)."""
    checked = schedule_from_json(schedule) if schedule is not None else None
    _said(store, item_id, "schedule",
          json.dumps(checked.to_json(), ensure_ascii=False) if checked else None,
          "plan.schedule", {"schedule": checked.to_json() if checked else None})
    return checked


def set_confirm_months(store: Store, item_id: str | None, months: int | None) -> None:
    """Months between confirmations of one standing item, or the township's default."""
    if months is not None and months not in CONFIRM_MONTHS:
        raise UserError("复核周期只能是1、3、6或12个月。")
    if item_id is None:
        store.set_settings({CONFIRM_SETTING: str(months or DEFAULT_CONFIRM_MONTHS)})
        return
    _said(store, item_id, "confirm_months", months, "plan.confirm_months", {"months": months})


def confirm_standing(store: Store, item_id: str, day: str | None = None,
                     board: str | None = None, photo: Path | None = None, note: str = "",
                     today: date | None = None) -> int:
    """Record that a standing item's posting was seen again (a fresh photo); returns its id."""
    item = get_item(store, item_id)
    today = today or clock.today()
    when = parse_date(day) if day else today
    if when > today:
        raise UserError("复核日期不能晚于今天。")
    if photo is None and not note.strip():
        raise UserError("复核长期公开须附公开栏照片或写明复核情况。")
    board_id = find_board(store, board).id if board else None
    digest = store_photo(store, photo) if photo else None
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO standing_checks (item_id, day, board_id, photo, note, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (item.id, when.isoformat(), board_id, digest,
                                          note.strip()[:500], now_iso()))
        store.audit("plan.confirm", item.id, {"day": when.isoformat(), "board": board,
                                              "photo": digest})
    return int(cur.lastrowid or 0)
