"""两微一端: a copy-ready post (plain text, and the 图解 or the sheet's page images).

(Interface fixed for the parts built beside it; the helper building channels fills it in.)
"""

from __future__ import annotations

from pathlib import Path

from app.store import Store


def export_social(store: Store, notice_id: str, folder: Path) -> list[Path]:
    """Write the post's text and images into ``folder``; returns the files written."""
    raise NotImplementedError
