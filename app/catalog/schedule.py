"""When a catalog item falls due, read from its 公开时限 (or from what the clerk said of it).

Three shapes of duty: a *periodic* item (每月, 每季度, 每半年, 每年, 每年3月底前,
每季度结束后10个工作日内) expects one notice per period; an *event* item
(信息形成之日起20个工作日, 及时公开) expects nothing until something happens and
then has the notice's own deadline; a *standing* item (长期公开, 常态化公开)
expects a posting that is seen again every few months. A text whose date we
cannot work out is ``unknown``: the plan asks the clerk once and keeps the answer,
because a guessed deadline is worse than none.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from app.catalog.timelimits import arabic_numerals
from app.errors import UserError
from app.facts import squash
from app.store import Store
from app.workdays import Calendar

#: The shapes of duty, with the clerk's words.
SCHEDULE_KINDS: dict[str, str] = {
    "periodic": "定期公开", "standing": "长期公开", "event": "随事项发生", "unknown": "未能识别",
}
#: Periods a plan counts in, their clerk's words and length in months.
PERIOD_KINDS: dict[str, tuple[str, int]] = {
    "month": ("每月", 1), "quarter": ("每季度", 3), "half": ("每半年", 6), "year": ("每年", 12),
}
#: How a periodic item's due date follows from its period.
DUE_FORMS: dict[str, str] = {
    "end": "期末前", "workdays": "期满后N个工作日内", "days": "期满后N日内",
    "date": "每年固定日期前",
}
#: Months between two confirmations of a standing posting, as a township may choose them.
CONFIRM_MONTHS: tuple[int, ...] = (1, 3, 6, 12)
DEFAULT_CONFIRM_MONTHS = 6


@dataclass(frozen=True)
class Schedule:
    """An item's duty: its kind, its period and how the due date follows from the period.

    ``due`` is ``end`` (the period's last day), ``workdays``/``days`` (``n`` after the
    period's end) or ``date`` (``month``/``day`` of the period's year; ``day`` 0 is the
    month's end). ``source`` says who decided: the catalog's text or the clerk.
    """

    kind: str
    period: str | None = None
    due: str = "end"
    n: int = 0
    month: int = 0
    day: int = 0
    source: str = "catalog"

    def to_json(self) -> dict[str, Any]:
        """As stored and shown in ``plan --json``."""
        return asdict(self)

    def describe(self) -> str:
        """In the clerk's words: ``每季度，期满后10个工作日内``."""
        if self.kind != "periodic" or not self.period:
            return SCHEDULE_KINDS[self.kind]
        text = PERIOD_KINDS[self.period][0]
        if self.due == "workdays":
            return f"{text}，期满后{self.n}个工作日内"
        if self.due == "days":
            return f"{text}，期满后{self.n}日内"
        if self.due == "date":
            return f"{text}{self.month}月{'底' if not self.day else f'{self.day}日'}前"
        return f"{text}，期末前"


def schedule_from_json(data: Any) -> Schedule:
    """A schedule the clerk gave (stored JSON or typed arguments), checked; UserError if not."""
    if not isinstance(data, dict):
        raise UserError("公开周期的设定无法识别。")
    kind = data.get("kind")
    if kind not in SCHEDULE_KINDS or kind == "unknown":
        raise UserError("公开周期只能是定期、长期或随事项发生。")
    if kind != "periodic":
        return Schedule(kind, source="clerk")
    period, due = data.get("period"), data.get("due", "end")
    if period not in PERIOD_KINDS:
        raise UserError("定期公开须说明周期：每月、每季度、每半年或每年。")
    if due not in DUE_FORMS:
        raise UserError("截止方式只能是期末、期满后N个工作日、期满后N日或每年固定日期。")
    n, month, day = (_int(data.get(k, 0)) for k in ("n", "month", "day"))
    if due in ("workdays", "days") and not 1 <= n <= 60:
        raise UserError("期满后的天数应在1到60之间。")
    if due == "date":
        if period != "year":
            raise UserError("固定日期只用于每年公开的事项。")
        if not 1 <= month <= 12 or not 0 <= day <= calendar.monthrange(2024, month)[1]:
            raise UserError("固定日期不是有效的月、日。")
    return Schedule("periodic", period, due, n if due in ("workdays", "days") else 0,
                    month if due == "date" else 0, day if due == "date" else 0, "clerk")


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError("公开周期的设定中数字无法识别。")
    return value


_PERIOD_WORDS = (
    ("half", re.compile(r"每半年|半年度|按半年")),
    ("quarter", re.compile(r"每季度|每季|按季|季度")),
    ("month", re.compile(r"每月|按月|月度")),
    ("year", re.compile(r"每年|年度|按年|每一年|年底|年末")),
)
_AFTER = re.compile(r"(?:结束|终了|期满|届满|到期)?后(\d+)个?(工作日|日|天)(?:内|以内|之内)?")
_AFTER_END = re.compile(r"(?:结束|终了|期满|届满|末)后\d+个?(?:工作日|日|天)")
_MONTH_END = re.compile(r"(\d+)月(?:底|末|份)(?:前|之前|以前)?")
_MONTH_DAY = re.compile(r"(\d+)月(\d+)日(?:前|之前|以前)")
_YEAR_END = re.compile(r"年底|年末")
#: Words that name a moment we cannot place without the clerk (年初: which day?).
_VAGUE = re.compile(r"年初|月初|季初|上旬|中旬|下旬|之初|初期")


def read_schedule(time_limit: str, rule: dict[str, Any] | None) -> Schedule:
    """The schedule a catalog row implies (``unknown`` where its date cannot be worked out)."""
    kind = (rule or {}).get("kind")
    text = arabic_numerals(squash(time_limit or ""), months=True)
    text = re.sub(r"公示(?:期|时间)?[^，。；,;]*", "", text)
    period = next((p for p, pattern in _PERIOD_WORDS if pattern.search(text)), None)
    # 每季度结束后10个工作日内 counts its days from the period's end: a periodic duty, though
    # the catalog's rule reads it as working days. Without the period's end it is an event.
    if kind in ("workdays", "days", "immediate") and not (period and _AFTER_END.search(text)):
        return Schedule("event")
    if kind == "continuous":
        return Schedule("standing")
    if period is None and kind == "periodic":
        period = (rule or {}).get("period")
    if period not in PERIOD_KINDS:
        return Schedule("unknown")
    if _VAGUE.search(text):
        return Schedule("unknown", period)
    if match := _AFTER.search(text):
        n = int(match.group(1))
        if not 1 <= n <= 60:
            return Schedule("unknown", period)
        return Schedule("periodic", period, "workdays" if match.group(2) == "工作日" else "days", n)
    if period == "year" and (match := _MONTH_DAY.search(text)):
        month, day = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]:
            return Schedule("periodic", "year", "date", month=month, day=day)
        return Schedule("unknown", period)
    if period == "year" and (match := _MONTH_END.search(text)):
        month = int(match.group(1))
        if 1 <= month <= 12:
            return Schedule("periodic", "year", "date", month=month)
        return Schedule("unknown", period)
    if re.search(r"\d", text) and not _YEAR_END.search(text):
        return Schedule("unknown", period)  # a number we did not read: ask, do not guess
    return Schedule("periodic", period)


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """One period of a plan: ``2026-Q4``, ``2026-11``, ``2026-H2`` or ``2026``."""

    label: str
    start: date
    end: date

    def words(self) -> str:
        """In the clerk's words: ``2026年第四季度``, ``2026年11月``, ``2026年下半年``."""
        year = self.label[:4]
        tail = self.label[5:]
        if not tail:
            return f"{year}年"
        if tail.startswith("Q"):
            return f"{year}年第{'一二三四'[int(tail[1]) - 1]}季度"
        if tail.startswith("H"):
            return f"{year}年{'上下'[int(tail[1]) - 1]}半年"
        return f"{year}年{int(tail)}月"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def periods_of(kind: str, year: int) -> list[Period]:
    """The periods of ``kind`` in ``year``, in order."""
    if kind == "year":
        return [Period(str(year), date(year, 1, 1), date(year, 12, 31))]
    months = PERIOD_KINDS[kind][1]
    out = []
    for i in range(12 // months):
        first = i * months + 1
        label = {"month": f"{year}-{first:02d}", "quarter": f"{year}-Q{i + 1}",
                 "half": f"{year}-H{i + 1}"}[kind]
        out.append(Period(label, date(year, first, 1), _month_end(year, first + months - 1)))
    return out


def period_of(kind: str, day: date) -> Period:
    """The period of ``kind`` that holds ``day``."""
    return next(p for p in periods_of(kind, day.year) if p.start <= day <= p.end)


def confirm_period_kind(months: int) -> str:
    """The period a standing item is confirmed in, from the months between confirmations."""
    return {1: "month", 3: "quarter", 6: "half", 12: "year"}[months]


def due_of(schedule: Schedule, period: Period, cal: Calendar) -> tuple[date, bool]:
    """The due date of ``period`` under ``schedule``, and whether the calendar was known."""
    if schedule.due == "workdays":
        counted = cal.add_workdays(period.end, schedule.n)
        return counted.date, counted.calendar_known
    if schedule.due == "days":
        return period.end + timedelta(days=schedule.n), True
    if schedule.due == "date":
        year = period.start.year
        if schedule.day:
            return date(year, schedule.month, min(schedule.day, calendar.monthrange(
                year, schedule.month)[1])), True
        return _month_end(year, schedule.month), True
    return period.end, True


def reporting_due(schedule: Schedule, formed: date, cal: Calendar) -> tuple[date, bool] | None:
    """The due date a periodic item's notice formed on ``formed`` answers, and whether the
    calendar was known; None for a schedule that is not periodic.

    It is the period the plan would give a lone notice: the earliest whose window (the
    period, stretched to its due date) holds the day, so a quarter's report formed on
    5 October answers the third quarter when its 10 working days run to 20 October.
    """
    if schedule.kind != "periodic" or not schedule.period:
        return None
    now = period_of(schedule.period, formed)
    before = period_of(schedule.period, now.start - timedelta(days=1))
    for period in (before, now):
        due, known = due_of(schedule, period, cal)
        if period.start <= formed <= max(period.end, due):
            return due, known
    return None


def stored_schedule(store: Store, item_id: str) -> Schedule | None:
    """The clerk's answer for one item (``gongkai plan set``), if any and still readable."""
    import json

    text = store.scalar("SELECT schedule FROM item_plans WHERE item_id = ?", (item_id,))
    if not text:
        return None
    try:
        return schedule_from_json(json.loads(text))
    except (UserError, ValueError):
        return None


def item_schedule(store: Store, item_id: str, time_limit: str,
                  rule: dict[str, Any] | None) -> Schedule:
    """The item's schedule: the clerk's answer where given, else what its 公开时限 reads."""
    return stored_schedule(store, item_id) or read_schedule(time_limit, rule)
