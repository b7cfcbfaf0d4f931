"""The 图解 (一图读懂): a tall picture for a phone or a screen, and the same as a PDF.

(Interface fixed for the parts built beside it; the helper drawing it fills it in.)
"""

from __future__ import annotations

from pathlib import Path

from app.notices.interpretation import Graphic

#: The width of the picture for an official account (两微一端), in pixels.
PNG_WIDTH = 1080


def render_graphic_png(content: Graphic, out: Path) -> Path:
    """Draw the 图解 as a PNG ``PNG_WIDTH`` pixels wide (as tall as it needs); returns ``out``."""
    raise NotImplementedError


def render_graphic_pdf(content: Graphic, out: Path) -> Path:
    """Draw the same 图解 as a one-page PDF of its own height; returns ``out``."""
    raise NotImplementedError
