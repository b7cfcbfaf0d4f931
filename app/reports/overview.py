"""What the first screen (工作台) shows, gathered in one call for a background worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app import clock
from app.catalog import domains
from app.reports.due import DueLine, due_lines
from app.store import Store
from app.township import Township, get_township
from app.workdays import Calendar


@dataclass(frozen=True)
class Overview:
    """The township, its catalog in numbers, the calendar years, and the work that is due."""

    township: Township
    domains: list[domains.Domain]
    items: int
    years: list[tuple[int, str]]
    due: list[DueLine] = field(default_factory=list)

    def unknown_years(self) -> list[int]:
        """Years whose holiday arrangement is not known (deadlines count Mon–Fri there)."""
        return [y for y, status in self.years if status == "未知"]


def overview(store: Store, today: date | None = None) -> Overview:
    """Everything the 工作台 needs, read in one go."""
    today = today or clock.today()
    cal = Calendar.from_store(store)
    rows = domains.list_domains(store)
    years = [(y, cal.year_status(y)) for y in (today.year, today.year + 1)]
    return Overview(get_township(store), rows, sum(d.items for d in rows), years,
                    due_lines(store, today))
