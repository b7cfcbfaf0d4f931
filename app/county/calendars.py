"""The State Council's holiday arrangement per year, as the county hands it to townships."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.county.catalog_versions import read_json
from app.county.database import Database, now_iso
from app.county.errors import Refused
from app.county.schema import calendar_years
from app.errors import UserError
from app.workdays import validate_arrangement


def load_calendar(db: Database, data: Any, source: str = "") -> dict[str, Any]:
    """Check and store a year's arrangement (replacing that year's); returns it as served."""
    try:
        arrangement = validate_arrangement(data)
    except UserError as exc:
        raise Refused(422, str(exc)) from exc
    document = {"year": arrangement.year,
                "holidays": sorted(d.isoformat() for d in arrangement.holidays),
                "workdays": sorted(d.isoformat() for d in arrangement.workdays)}
    values = {"document": json.dumps(document), "loaded": now_iso(), "source": source}
    with db.write() as conn:
        known = conn.execute(select(calendar_years.c.year)
                             .where(calendar_years.c.year == arrangement.year)).scalar()
        if known is None:
            conn.execute(calendar_years.insert().values(year=arrangement.year, **values))
        else:
            conn.execute(calendar_years.update()
                         .where(calendar_years.c.year == arrangement.year).values(**values))
    return document


def load_calendar_file(db: Database, path: Path) -> dict[str, Any]:
    """``gongkai-county calendar load FILE.json``."""
    return load_calendar(db, read_json(path, "节假日安排文件"), Path(path).name)


def calendar_year(db: Database, year: int) -> dict[str, Any] | None:
    """A loaded year's arrangement in the CONTRACT shape, or None."""
    with db.read() as conn:
        text = conn.execute(select(calendar_years.c.document)
                            .where(calendar_years.c.year == year)).scalar()
    return json.loads(text) if text else None
