"""The electronic screen (村公示栏（电子屏）): a notice as a sequence of screen pages.

(Interface fixed for the parts built beside it; the helper drawing them fills it in.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.store import Store


@dataclass(frozen=True)
class ScreenSize:
    """A screen's pixels, and the smallest type height it may show (pixels)."""

    width: int
    height: int
    min_type: int


def parse_size(text: str) -> ScreenSize:
    """``1920x1080`` → a ScreenSize with its minimum type height; UserError if not a size."""
    raise NotImplementedError


def export_screen(store: Store, notice_ids: list[str], folder: Path, size: ScreenSize
                  ) -> list[Path]:
    """Write every notice's screen pages as PNG into ``folder`` (one loop for a USB stick)."""
    raise NotImplementedError
