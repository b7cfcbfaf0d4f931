"""Today's date, as the program sees it.

``GONGKAI_TODAY=2026-11-23`` pins it, so that tests, demonstrations and
training data folders give the same answers on any day; nothing else moves it.
"""

from __future__ import annotations

import os
from datetime import date

from app.errors import UserError


def today() -> date:
    """The current date, or the one pinned by ``GONGKAI_TODAY``."""
    pinned = os.environ.get("GONGKAI_TODAY")
    if not pinned:
        return date.today()
    try:
        return date.fromisoformat(pinned)
    except ValueError as exc:
        # Typed by a person setting up a demonstration: a sentence, not a traceback.
        raise UserError(f"环境变量 GONGKAI_TODAY 的值「{pinned}」不是日期，请写成 2026-11-23"
                        " 这样的格式，或者删去它。", str(exc)) from exc
