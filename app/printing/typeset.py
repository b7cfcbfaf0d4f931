"""Chinese text set the way a typesetter would: where lines may break, and balanced titles.

Every renderer sets its running text through :func:`paragraph` and its title
through :func:`title`. Where the lines break is decided by
:mod:`app.printing.linebreak` (避头尾, units such as 〔2021〕57号 kept whole,
balanced title lines; the rules are written down there); this module measures
with the face that prints (fallback faces included, :mod:`app.printing.pdf_fonts`)
and draws the lines: justified text is flush on both sides but for its last
line, spread (or, for a line a closing stop overruns, tightened) evenly between
the characters, as Chinese text is set.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from app.printing.fonts import Face
from app.printing.linebreak import Measure, balance_title, break_lines
from app.printing.pdf_fonts import register, runs
from app.printing.pdf_fonts import width as text_width

#: How far (in ems) a closing stop may overrun a line before its unit moves down.
SQUEEZE = 0.5


@lru_cache(maxsize=65536)
def _char_width(char: str, face: Face, size: float) -> float:
    return text_width(char, face, size)


def measure(face: Face, size: float) -> Measure:
    """How wide text prints in ``face`` at ``size`` (TrueType widths add up, so per glyph)."""
    return lambda text: sum(_char_width(c, face, size) for c in text)


class SetText(Flowable):
    """Lines of text broken by :mod:`app.printing.linebreak`, drawn in a paragraph style.

    Honours the style's alignment, leading, indents, space before and after and
    text colour; splits across frames between lines, never leaving a single
    first line at the foot of a page (unless the style allows orphans).
    """

    def __init__(self, text: str, style: ParagraphStyle, face: Face, *,
                 is_title: bool = False, title_width: float | None = None,
                 indent_first: bool = True, lines: list[str] | None = None,
                 ends_paragraph: bool = True) -> None:
        super().__init__()
        self.text, self.style, self.face = text, style, face
        self.is_title, self.title_width = is_title, title_width
        self.indent_first, self.ends_paragraph = indent_first, ends_paragraph
        self._fixed = lines
        self._lines: list[str] = lines or []
        self._room: float | None = None
        self._measure = measure(face, style.fontSize)

    def _indent(self) -> float:
        return self.style.firstLineIndent if self.indent_first else 0.0

    def lines(self, room: float) -> list[str]:
        """The lines in a column ``room`` points wide (indents taken off already)."""
        if self._fixed is not None:
            return self._fixed
        if room != self._room:
            self._room = room
            if self.is_title:
                limit = min(room, self.title_width or room)
                self._lines = balance_title(self.text, limit, self._measure)
            else:
                self._lines = break_lines(self.text, room, self._measure, self._indent(),
                                          SQUEEZE * self.style.fontSize)
        return self._lines

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """As wide as offered; as tall as its lines."""
        room = available_width - self.style.leftIndent - self.style.rightIndent
        self.width = available_width
        self.height = len(self.lines(room)) * self.style.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """The lines that fit in ``available_height``, and the rest as a new paragraph."""
        self.wrap(available_width, available_height)
        lines = self._lines
        fit = int((available_height + 1e-6) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if fit == 1 and not self.style.allowOrphans:
            fit = 0
        if fit and len(lines) - fit == 1 and not self.style.allowWidows:
            fit -= 1
        if fit <= 0:
            return []
        head = SetText("".join(lines[:fit]), self.style, self.face,
                       indent_first=self.indent_first, lines=lines[:fit], ends_paragraph=False)
        tail = SetText("".join(lines[fit:]), self.style, self.face, indent_first=False,
                       is_title=self.is_title, ends_paragraph=self.ends_paragraph,
                       lines=lines[fit:] if self.is_title or self._fixed else None)
        head.spaceAfter = 0
        tail.spaceBefore = 0
        return [head, tail]

    def draw(self) -> None:
        """Each line in one text object, a font change per fallback run."""
        style, canvas = self.style, self.canv
        canvas.setFillColor(style.textColor)
        room = self.width - style.leftIndent - style.rightIndent
        y = self.height - style.fontSize
        for n, line in enumerate(self._lines):
            shown = line.strip(" \n")
            left = style.leftIndent + (self._indent() if n == 0 else 0.0)
            space = room - (left - style.leftIndent)
            natural = self._measure(shown)
            last = n == len(self._lines) - 1 and self.ends_paragraph or line.endswith("\n")
            gaps = max(len(shown) - 1, 1)
            spacing = 0.0
            if natural > space or (style.alignment == TA_JUSTIFY and not last):
                spacing = (space - natural) / gaps
            x = left
            if style.alignment == TA_CENTER:
                x += max(space - natural, 0.0) / 2
            elif style.alignment == TA_RIGHT:
                x += max(space - natural, 0.0)
            text = canvas.beginText(x, y)
            text.setCharSpace(spacing)
            for chosen, run in runs(shown, self.face):
                text.setFont(register(chosen), style.fontSize)
                text.textOut(run)
            canvas.drawText(text)
            y -= style.leading


def paragraph(text: str, style: ParagraphStyle, face: Face) -> Flowable:
    """A flowable that sets ``text`` in ``style`` (whose font is ``face``), fallbacks included."""
    return SetText(text, style, face)


def title_lines(text: str, face: Face, size: float, width: float) -> list[str]:
    """The balanced lines of a title ``width`` points wide (for DOCX, which breaks at them)."""
    return balance_title(text, width, measure(face, size))


def title(text: str, style: ParagraphStyle, face: Face, width: float) -> Flowable:
    """A centred title broken into balanced lines no wider than ``width``."""
    return SetText(text, style, face, is_title=True, title_width=width)
