"""Official working days: the State Council's yearly holiday arrangement.

chinesecalendar knows the years up to its release; the clerk (or the county,
through sync) loads later years, and a loaded year overrides the library's so
that a corrected arrangement wins. A year known to neither is counted Monday to
Friday, and every answer that touched it says ``calendar_known: False``.
"""

from __future__ import annotations

import json
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
        day, left, unknown = start, n, set()
        while left > 0:
            day += timedelta(days=1)
            if not self.knows(day.year):
                unknown.add(day.year)
            if self.is_workday(day):
                left -= 1
        return DayCount(start, n, day, not unknown, tuple(sorted(unknown)))

    def add_days(self, start: date, n: int) -> DayCount:
        """``n`` calendar days after ``start``; known-ness is of the years crossed."""
        end = start + timedelta(days=n)
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


def parse_date(text: str) -> date:
    """An ISO date from the clerk or a script, refused with a plain sentence if malformed."""
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise UserError(f"日期「{text}」格式不对，请写成 2026-11-23 这样的格式。") from exc


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


def load_arrangement_file(store: Store, path: Path) -> Arrangement:
    """Load a year's arrangement from a JSON file (``gongkai workdays load``)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError("无法读取节假日安排文件，请确认它是 JSON 格式。", str(exc)) from exc
    return load_arrangement(store, data, source=Path(path).name)


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
