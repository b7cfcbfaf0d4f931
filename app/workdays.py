"""Official working days: the State Council's yearly holiday arrangement.

chinesecalendar knows the years up to its release; the clerk (or the county,
through sync) loads later years, and a loaded year overrides the library's so
that a corrected arrangement wins. A year known to neither is counted Monday to
Friday, and every answer that touched it says ``calendar_known: False``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar  # type: ignore[import-untyped]  # ships no type hints
from chinese_calendar import constants as _cc

from app.errors import UserError
from app.store import Store, now_iso

LIBRARY_YEARS: frozenset[int] = frozenset(d.year for d in _cc.holidays)
WEEKDAY_NAMES = "一二三四五六日"
#: The days a clerk may type for a notice, a request or a working-day sum. The
#: 条例 and the township catalogs are of this century (chinesecalendar starts in
#: 2004, arrangements load for 2000–2100), and a four-year sum from the last day
#: still ends far inside what Python's dates and the store's ISO text can hold.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
#: The most working days one sum may count: about four years, far past any 公开时限,
#: 公示期 or the 条例's clock with every pause, and short enough to answer at once.
MAX_WORKDAYS = 1000


@dataclass(frozen=True)
class DayCount:
    """The answer to "N working days after D"."""

    start: date
    n: int
    date: date
    calendar_known: bool
    unknown_years: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        """The JSON shape printed by ``gongkai workdays add --json``."""
        return {
            "start": self.start.isoformat(),
            "n": self.n,
            "date": self.date.isoformat(),
            "weekday": "星期" + WEEKDAY_NAMES[self.date.weekday()],
            "calendar_known": self.calendar_known,
            "unknown_years": list(self.unknown_years),
        }


@dataclass(frozen=True)
class Arrangement:
    """One year's arrangement: days off that would be workdays, and 调休 days on."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]


class Calendar:
    """Answers working-day questions from the library and the loaded arrangements."""

    def __init__(self, loaded: dict[int, Arrangement] | None = None) -> None:
        self.loaded = loaded or {}

    @classmethod
    def from_store(cls, store: Store) -> Calendar:
        """A calendar with every arrangement the data folder has loaded."""
        loaded = {}
        for row in store.query("SELECT year, holidays, workdays FROM calendar_years"):
            loaded[row["year"]] = Arrangement(
                row["year"],
                frozenset(date.fromisoformat(d) for d in json.loads(row["holidays"])),
                frozenset(date.fromisoformat(d) for d in json.loads(row["workdays"])),
            )
        return cls(loaded)

    def knows(self, year: int) -> bool:
        """Whether the official arrangement of ``year`` is known."""
        return year in self.loaded or year in LIBRARY_YEARS

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is an official working day (weekdays only, for an unknown year)."""
        arrangement = self.loaded.get(day.year)
        if arrangement is not None:
            if day in arrangement.workdays:
                return True
            return day.weekday() < 5 and day not in arrangement.holidays
        if day.year in LIBRARY_YEARS:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def add_workdays(self, start: date, n: int) -> DayCount:
        """The ``n``-th working day after ``start`` (``start`` itself is day 0)."""
        if n < 0:
            raise UserError("工作日天数不能是负数。")
        check_count(n, MAX_WORKDAYS, "工作日")
        day, left, unknown = start, n, set()
        while left > 0:
            day = _next(day, 1)
            if not self.knows(day.year):
                unknown.add(day.year)
            if self.is_workday(day):
                left -= 1
        return DayCount(start, n, day, not unknown, tuple(sorted(unknown)))

    def add_days(self, start: date, n: int) -> DayCount:
        """``n`` calendar days after ``start``; known-ness is of the years crossed."""
        end = _next(start, n)
        years = range(start.year, end.year + 1)
        unknown = tuple(y for y in years if not self.knows(y))
        return DayCount(start, n, end, not unknown, unknown)

    def year_status(self, year: int) -> str:
        """``已载入`` / ``内置`` / ``未知`` for the 设置 page and the 工作台 warning."""
        if year in self.loaded:
            return "已载入"
        if year in LIBRARY_YEARS:
            return "内置"
        return "未知"


def check_count(n: int, most: int, unit: str) -> None:
    """Refuse a sum of more than ``most`` days (a slip of the keyboard, not a deadline)."""
    if n > most:
        raise UserError(f"{n}个{unit}太多了，一次最多计算{most}个{unit}。")


def _next(day: date, n: int) -> date:
    """``day`` moved by ``n`` days, refused with a sentence past the calendar's last year."""
    try:
        return day + timedelta(days=n)
    except OverflowError as exc:
        raise UserError(f"从{day.isoformat()}往后推算超出了日历的范围，请核对日期。") from exc


def check_day(day: date, what: str = "日期") -> date:
    """``day`` if it lies in the years the program holds (:data:`FIRST_DAY`–:data:`LAST_DAY`)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UserError(f"{what}「{day.isoformat()}」不在{FIRST_DAY.year}年到{LAST_DAY.year}年"
                        "之间，请核对。")
    return day


def parse_date(text: str) -> date:
    """An ISO date from the clerk or a script, refused with a plain sentence if malformed."""
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise UserError(f"日期「{str(text)[:20]}」格式不对，"
                        "请写成 2026-11-23 这样的格式。") from exc


def validate_arrangement(data: Any) -> Arrangement:
    """Check a year's arrangement (CONTRACT.md shape) and return it, or refuse it whole."""
    if not isinstance(data, dict) or not isinstance(data.get("year"), int):
        raise UserError("节假日安排文件格式不对：需要 year、holidays、workdays 三项。")
    year = data["year"]
    if not 2000 <= year <= 2100:
        raise UserError(f"节假日安排的年份 {year} 不合理。")
    sets = []
    for key in ("holidays", "workdays"):
        values = data.get(key)
        if not isinstance(values, list):
            raise UserError(f"节假日安排缺少 {key} 日期列表。")
        days = set()
        for text in values:
            day = parse_date(text)
            if day.year != year:
                raise UserError(f"日期 {day} 不属于 {year} 年的安排。")
            days.add(day)
        sets.append(frozenset(days))
    holidays, workdays = sets
    if both := sorted(holidays & workdays):
        raise UserError(f"{both[0]} 同时被列为放假和上班，请核对后再载入。")
    if weekday := next((d for d in sorted(workdays) if d.weekday() < 5), None):
        raise UserError(f"{weekday} 是工作日，不需要列为调休上班日，请核对后再载入。")
    return Arrangement(year, holidays, workdays)


def load_arrangement(store: Store, data: Any, source: str = "手工载入") -> Arrangement:
    """Validate and store a year's arrangement, replacing any earlier one for that year."""
    arrangement = validate_arrangement(data)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO calendar_years (year, holidays, workdays, source, loaded_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(year) DO UPDATE SET holidays = excluded.holidays,"
            " workdays = excluded.workdays, source = excluded.source,"
            " loaded_at = excluded.loaded_at",
            (arrangement.year, _dates_json(arrangement.holidays),
             _dates_json(arrangement.workdays), source, now_iso()),
        )
        store.audit("calendar.load", str(arrangement.year),
                    {"holidays": len(arrangement.holidays),
                     "workdays": len(arrangement.workdays), "source": source})
    return arrangement


#: What a clerk writes between the first and the last day of a range.
_RANGE_SEP = r"(?:至|到|~|～|—{1,2}|–|－|-|一)"
#: A day, fully written or with its year left to the dialog's: 2027-02-06, 2027/2/6,
#: 2027.2.6, 2027年2月6日, 20270206, 2月6日, 2/6, 2.6.
_FULL_DAY = (
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})",
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?",
    r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})",
    r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?",
    r"(?P<m>\d{1,2})[/.](?P<d>\d{1,2})",
)
#: The end of a range may leave out what it shares with its start: 至12日, ~2-12.
_END_DAY = (*_FULL_DAY, r"(?P<m>\d{1,2})-(?P<d>\d{1,2})", r"(?P<d>\d{1,2})[日号]?")
_START_RE = [re.compile(p) for p in _FULL_DAY]
_END_RE = [re.compile(p) for p in _END_DAY]
_SEP_RE = re.compile(_RANGE_SEP)
#: Words copied along from the State Council's notice: （星期六）, 放假调休，共8天, 上班.
_NOISE = re.compile(r"[（(][^）)]*[）)]|共\d+天|放假|调休|上班|休息|补班|星期[一二三四五六日天]"
                    r"|周[一二三四五六日天]|\s+")
_ITEM_SEP = re.compile(r"[、，,；;]+")
#: The longest run of days off an arrangement has had is under a fortnight; a longer
#: range is almost always a typing slip (2027-02-06至2027-12-06).
LONGEST_RANGE = 20


@dataclass(frozen=True)
class LineProblem:
    """A line of the holiday editor the program could not read, and why."""

    line: int
    text: str
    reason: str


def _take_day(text: str, pos: int, patterns: list[re.Pattern[str]], year: int,
              month: int | None) -> tuple[date, int] | str | None:
    """The day written at ``pos`` (longest match) and where it ends; None if none is
    written there, a reason if what is written is no day of the calendar (2027-02-30)."""
    best: re.Match[str] | None = None
    for pattern in patterns:
        m = pattern.match(text, pos)
        if m and (best is None or m.end() > best.end()):
            best = m
    if best is None:
        return None
    parts = best.groupdict()
    try:
        day = date(int(parts["y"]) if parts.get("y") else year,
                   int(parts["m"]) if parts.get("m") else (month or 0), int(parts["d"]))
    except ValueError:
        return "没有这一天"
    return day, best.end()


def _read_item(item: str, year: int) -> tuple[date, date] | str:
    """One day or range of days, or the reason it cannot be read."""
    start = _take_day(item, 0, _START_RE, year, None)
    if not isinstance(start, tuple):
        return start or "看不懂"
    first, pos = start
    if pos == len(item):
        return first, first
    sep = _SEP_RE.match(item, pos)
    end = _take_day(item, sep.end(), _END_RE, first.year, first.month) if sep else None
    if isinstance(end, str):
        return end
    if end is None or end[1] != len(item):
        return "看不懂"
    last = end[0]
    if last < first:
        return "起止日期前后颠倒了"
    if (last - first).days + 1 > LONGEST_RANGE:
        return f"跨了{(last - first).days + 1}天，放假不会这么长，请核对"
    return first, last


def read_day_lines(text: str, year: int) -> tuple[list[date], list[LineProblem]]:
    """The days of a year written one day or range per line, the way clerks write them.

    ``2027-02-06至2027-02-12``, ``2027-02-06~2027-02-12``, ``2027年2月6日至12日``,
    ``2月6日—2月12日`` (the year is ``year``), ``2027.2.6``; several on one line
    separated by 、 or commas; weekdays and words copied from the State Council's
    notice (（星期六）, 放假调休，共8天) are passed over. A range's days outside
    ``year`` are left out (元旦 may start in December). Lines that cannot be read are
    returned as problems, numbered from 1; the rest are read all the same.
    """
    days: set[date] = set()
    problems: list[LineProblem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        items = [i for i in _ITEM_SEP.split(_NOISE.sub("", line)) if i]
        found: list[date] = []
        reason = ""
        for item in items:
            read = _read_item(item, year)
            if isinstance(read, str):
                reason = read
                break
            first, last = read
            found.extend(first + timedelta(days=k) for k in range((last - first).days + 1))
        in_year = [d for d in found if d.year == year]
        if not reason and found and not in_year:
            reason = f"不是{year}年的日期"
        if reason:
            problems.append(LineProblem(number, line.strip(), reason))
        days.update(in_year)
    return sorted(days), problems


def day_lines(days: list[str] | list[date]) -> list[str]:
    """Days as the editor shows them: a run of consecutive days as one range line."""
    ordered = sorted({d if isinstance(d, date) else date.fromisoformat(d) for d in days})
    lines: list[str] = []
    k = 0
    while k < len(ordered):
        j = k
        while j + 1 < len(ordered) and ordered[j + 1] - ordered[j] == timedelta(days=1):
            j += 1
        first, last = ordered[k], ordered[j]
        lines.append(first.isoformat() if first == last
                     else f"{first.isoformat()}至{last.isoformat()}")
        k = j + 1
    return lines


def typed_arrangement(year: int, holidays: str, workdays: str) -> dict[str, Any]:
    """The arrangement typed in the holiday editor, in the CONTRACT.md shape.

    Refused with one sentence naming every line it cannot read (the box and the
    line number), so the clerk fixes those and keeps the rest.
    """
    found: dict[str, list[str]] = {}
    said: list[str] = []
    for key, label, text in (("holidays", "放假日期", holidays),
                             ("workdays", "调休上班日期", workdays)):
        days, problems = read_day_lines(text, year)
        found[key] = [d.isoformat() for d in days]
        said += [f"{label}第{p.line}行「{p.text}」{p.reason}" for p in problems]
    if said:
        shown = "；".join(said[:3]) + (f"；另有{len(said) - 3}行也有问题" if len(said) > 3 else "")
        raise UserError(f"{shown}。请写成 {year}-02-06 或 {year}-02-06至{year}-02-12"
                        f" 这样的日期，其余各行已保留。")
    return {"year": year, **found}


def load_typed_arrangement(store: Store, year: int, holidays: str,
                           workdays: str) -> Arrangement:
    """Read and store the arrangement typed in 设置's holiday editor (source 手工录入)."""
    return load_arrangement(store, typed_arrangement(year, holidays, workdays), "手工录入")


def load_arrangement_file(store: Store, path: Path) -> Arrangement:
    """Load a year's arrangement from a JSON file (``gongkai workdays load``)."""
    try:
        # A year's arrangement is a few kilobytes; anything far larger is not one.
        if Path(path).stat().st_size > _MAX_ARRANGEMENT_BYTES:
            raise UserError("节假日安排文件太大了，不像是一年的放假安排。")
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UserError("无法读取节假日安排文件，请确认它是 JSON 格式。", str(exc)) from exc
    return load_arrangement(store, data, source=Path(path).name)


_MAX_ARRANGEMENT_BYTES = 1_000_000


def arrangement_json(calendar: Calendar, year: int) -> dict[str, Any]:
    """A year's arrangement in the CONTRACT.md shape, from the loaded data or the library."""
    if year in calendar.loaded:
        a = calendar.loaded[year]
        return {"year": year, "holidays": sorted(d.isoformat() for d in a.holidays),
                "workdays": sorted(d.isoformat() for d in a.workdays)}
    holidays = sorted(d.isoformat() for d in _cc.holidays if d.year == year and d.weekday() < 5)
    workdays = sorted(d.isoformat() for d in _cc.workdays if d.year == year)
    return {"year": year, "holidays": holidays, "workdays": workdays}


def _dates_json(days: frozenset[date]) -> str:
    return json.dumps(sorted(d.isoformat() for d in days))
