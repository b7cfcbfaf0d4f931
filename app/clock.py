"""Today's date, as the program sees it.

``GONGKAI_TODAY=2026-11-23`` pins it, so that tests, demonstrations and
training data folders give the same answers on any day; nothing else moves it.
"""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    """The current date, or the one pinned by ``GONGKAI_TODAY``."""
    pinned = os.environ.get("GONGKAI_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()
