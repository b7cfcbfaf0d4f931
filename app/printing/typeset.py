"""Chinese text set the way a typesetter would: where lines may break, and balanced titles.

(Placeholder: the functions keep today's reportlab behaviour until the line
breaker lands; every renderer already calls them, so it lands in one place.)
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from app.printing.fonts import Face
from app.printing.pdf_fonts import markup


def paragraph(text: str, style: ParagraphStyle, face: Face) -> Flowable:
    """A flowable that sets ``text`` in ``style`` (whose font is ``face``), fallbacks included."""
    return Paragraph(markup(text, face), style)


def title(text: str, style: ParagraphStyle, face: Face, width: float) -> Flowable:
    """A centred title broken into balanced lines no wider than ``width``."""
    return Paragraph(markup(text, face), style)
