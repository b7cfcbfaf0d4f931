"""How wide each column of a 名单 is, and at what size the table prints, measured from its cells.

A column is never narrower than the widest piece of text that must not break
in it: a whole name, a whole number (ID, phone, amount), a header word. Past
that, room goes to the columns whose cells would otherwise wrap. When the
columns cannot all have their pieces at the body size, the table steps down
through the paper's sizes to a floor still legible on a board, and then the
sheet turns to landscape; the PDF and the DOCX take the same widths from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.printing.fonts import Face
from app.printing.pdf_fonts import width

#: Cell padding on either side, as a fraction of the table's type size.
PAD = 0.25
#: Room past the widest piece: Word and LibreOffice round widths to their own
#: units, and a name that fits to the point in the PDF wrapped in LibreOffice.
SLACK = 0.1
#: A run of more Chinese characters than this in a body cell is prose (a
#: remark, an address), which may break anywhere; shorter runs are names and
#: place names, which never break.
WORD_MOST = 8
#: Prose still keeps this many characters on a line, never one per line.
PROSE_LEAST = 4
#: Point sizes by their Chinese names, for the preview's note.
SIZE_NAMES = {26: "一号", 22: "二号", 18: "小二号", 16: "三号", 15: "小三号", 14: "四号",
              12: "小四号", 10.5: "五号", 9: "小五号"}

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")
# A line may break before an opening bracket and after closing punctuation,
# so 保障金额（元/月） wraps as 保障金额 / （元/月）.
_MAY_BREAK = re.compile(r"[\s，、；：。！？）)\]】〕》〉」』”’（(\[【〔《〈「『“‘]")
_BREAK = re.compile(r"(?<=[，、；：。！？）)\]】〕》〉」』”’])|(?=[（(\[【〔《〈「『“‘])")


@dataclass(frozen=True)
class TableLayout:
    """A table's type size and column widths (points, summing to the text width).

    ``fits`` is False when even the floor size in landscape left some column
    narrower than its widest unbreakable piece.
    """

    size: float
    widths: tuple[float, ...]
    fits: bool = True

    @property
    def padding(self) -> float:
        """The cell padding on either side, in points."""
        return PAD * self.size


@dataclass(frozen=True)
class SheetPlan:
    """How a sheet's tables print: each one's layout, the page's turn and what to tell the clerk."""

    tables: tuple[TableLayout, ...]
    landscape: bool
    notes: tuple[str, ...]


@lru_cache(maxsize=65536)
def _unit(text: str, face: Face) -> float:
    # Widths grow linearly with size, so every string is measured once, at 1 pt.
    return width(text, face, 1.0)


def measure(text: str, face: Face, size: float) -> float:
    """How wide ``text`` prints in ``face`` at ``size`` points (cached)."""
    return _unit(text, face) * size


def _split_han(chunk: str, header: bool) -> tuple[list[str], bool]:
    """``chunk`` cut where a long run of Chinese characters may break; and whether it is prose."""
    cuts: set[int] = set()
    prose = False
    for run in _HAN.finditer(chunk):
        n = run.end() - run.start()
        if header and n >= 4:
            # Header words are mostly two characters, a three-character one
            # first when the count is odd: 家庭/人口, 身份证/号码, 拟保障/金额.
            first = 3 if n % 2 else 2
            cuts.update(range(run.start() + first, run.end(), 2))
        elif not header and n > WORD_MOST:
            prose = True
            cuts.update(range(run.start() + 1, run.end()))
    if not cuts:
        return [chunk], prose
    edges = [0, *sorted(cuts), len(chunk)]
    return [chunk[a:b] for a, b in zip(edges, edges[1:], strict=False)], prose


def pieces(text: str, header: bool = False) -> tuple[list[str], bool]:
    """``text`` as the pieces a line may break between, and whether it holds prose.

    A piece that follows a space starts with that space (dropped at a line's start).
    """
    out: list[str] = []
    prose = False
    for w, word in enumerate(text.split()):
        for c, chunk in enumerate(part for part in _BREAK.split(word) if part):
            parts, is_prose = _split_han(chunk, header)
            prose = prose or is_prose
            out += [(" " if w and not c and not p else "") + part for p, part in enumerate(parts)]
    return out, prose


def least(text: str, face: Face, header: bool = False) -> float:
    """The narrowest ``text`` can be set at 1 pt without breaking where it must not."""
    if not header and len(text) <= WORD_MOST and not _MAY_BREAK.search(text):
        return _unit(text, face)  # most cells of a 名单: a name, a number, a village
    parts, prose = pieces(text, header)
    widest = max((_unit(p.strip(), face) for p in parts), default=0.0)
    if prose:
        run = max(_HAN.findall(text), key=len)
        widest = max(widest, _unit(run[:PROSE_LEAST], face))
    return widest


def lines(text: str, face: Face, size: float, room: float,
          header: bool = False) -> list[str] | None:
    """``text`` filled into lines no wider than ``room``, breaking only between pieces.

    None for prose (the paragraph setter breaks it) or when a piece is wider than ``room``.
    """
    parts, prose = pieces(text, header)
    if prose:
        return None
    out: list[str] = []
    line = ""
    for part in parts:
        if measure(part.strip(), face, size) > room:
            return None
        if line and measure(line + part, face, size) > room:
            out.append(line)
            line = part.lstrip()
        else:
            line += part
    return [*out, line] if line or not out else out


@dataclass(frozen=True)
class _Columns:
    least: tuple[float, ...]
    natural: tuple[float, ...]


def _columns(rows: list[list[str]], body: Face, heading: Face) -> _Columns:
    """Each column's narrowest and natural width at 1 pt, padding included."""
    least_w, natural = [], []
    for c in range(len(rows[0])):
        cells = {r[c] for r in rows[1:]}
        head = rows[0][c]
        lo = max([least(head, heading, header=True), *(least(t, body) for t in cells)])
        hi = max([_unit(head, heading), *(_unit(t, body) for t in cells)])
        least_w.append(lo + 2 * PAD + SLACK)
        natural.append(max(lo, hi) + 2 * PAD + SLACK)
    return _Columns(tuple(least_w), tuple(natural))


def _widths(columns: _Columns, size: float, total: float) -> tuple[float, ...]:
    lo = [w * size for w in columns.least]
    hi = [w * size for w in columns.natural]
    if sum(hi) <= total:
        # Everything fits on one line: the rest goes by how much each column holds.
        return tuple(h + (total - sum(hi)) * h / sum(hi) for h in hi)
    spare = total - sum(lo)
    want = [h - w for w, h in zip(lo, hi, strict=True)]
    if spare < 0 or not sum(want):
        return tuple(total * w / sum(lo) for w in lo)
    return tuple(w + spare * x / sum(want) for w, x in zip(lo, want, strict=True))


def plan_sheet(tables: list[list[list[str]]], body: Face, heading: Face,
               steps: tuple[float, ...], portrait: float, landscape: float) -> SheetPlan:
    """Sizes and widths of a sheet's tables for a text block ``portrait`` (or ``landscape``) wide.

    Each table takes the largest of ``steps`` (the body size first, the floor
    last) at which its columns fit upright. If one fits at none, the whole
    sheet turns to landscape: a sheet whose 名单 needs it is mostly that 名单,
    and pages of two orientations would be posted and printed askew.
    """
    columns = [_columns(rows, body, heading) for rows in tables]

    def sizes(c: _Columns, total: float) -> list[float]:
        # A hair of slack, so that a table that fits exactly is not refused for rounding.
        return [s for s in steps if s * sum(c.least) <= total + 0.01]

    turned = not all(sizes(c, portrait) for c in columns)
    total = landscape if turned else portrait
    layouts: list[TableLayout] = []
    for c in columns:
        fitting = sizes(c, total)
        size = fitting[0] if fitting else steps[-1]
        layouts.append(TableLayout(size, _widths(c, size, total), bool(fitting)))
    smaller = sorted({t.size for t in layouts if t.size != steps[0]}, reverse=True)
    named = "、".join(size_name(s) for s in smaller)
    notes: list[str] = []
    if not all(t.fits for t in layouts):
        notes.append(f"名单列太多，横向页面用{size_name(steps[-1])}字也排不下，"
                     "部分格内文字已折行，建议把名单分成几张表。")
    elif turned:
        notes.append("名单列较多，已改为横向页面" + (f"，表格用{named}字。" if named else "。"))
    elif named:
        notes.append(f"名单列较多，表格已缩小为{named}字。")
    return SheetPlan(tuple(layouts), turned, tuple(notes))


def size_name(size: float) -> str:
    """小四号, 三号 … for a point size (or "11磅" for one without a Chinese name)."""
    return SIZE_NAMES.get(size, f"{size:g}磅")
