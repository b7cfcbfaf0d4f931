"""Pictures laid out once as drawing records, printed as PDF pages and rasterised from them.

The 图解 and the screen pages are not flowing documents: every box and line
has a place computed here first (top-down, in points), so the tests read the
very records that are drawn, the PDF is drawn from them with reportlab in the
bundled faces, and the PNG is that PDF turned into pixels by PDFium. One
drawing code for both files means the PNG can never say something the PDF
does not.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]  # ships no type hints
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from app.atomic import atomic_path, write_bytes
from app.printing import qr
from app.printing.fonts import Face
from app.printing.linebreak import break_lines
from app.printing.pdf_fonts import register, runs, width

#: Where the baseline sits under a line's top, as a fraction of the type size
#: (CJK faces fill the em box; this centres the ideographs in it).
BASELINE = 0.86


@dataclass(frozen=True)
class TextRun:
    """One line of text: its top-left corner, face, size (points) and colour."""

    x: float
    top: float
    text: str
    face: Face
    size: float
    color: str


@dataclass(frozen=True)
class Box:
    """A rectangle, filled and/or stroked; ``radius`` rounds its corners."""

    x: float
    top: float
    w: float
    h: float
    fill: str = ""
    stroke: str = ""
    radius: float = 0.0
    line: float = 1.0


@dataclass(frozen=True)
class QrCode:
    """A QR code to ``url`` in a square of side ``side``, quiet zone included."""

    x: float
    top: float
    side: float
    url: str


@dataclass
class Picture:
    """One page of drawing records, ``width`` by ``height`` points."""

    width: float
    height: float
    background: str = "#FFFFFF"
    items: list[TextRun | Box | QrCode] = field(default_factory=list)

    @property
    def texts(self) -> list[TextRun]:
        """Every line of text on the page, in drawing order."""
        return [i for i in self.items if isinstance(i, TextRun)]

    def text(self, x: float, top: float, text: str, face: Face, size: float,
             color: str) -> TextRun:
        """Put one line of text; returns its record."""
        run = TextRun(x, top, text, face, size, color)
        self.items.append(run)
        return run


def wrap(text: str, face: Face, size: float, room: float) -> list[str]:
    """``text`` broken into lines no wider than ``room`` (避头尾 kept), newlines dropped."""
    lines = break_lines(text, room, lambda s: width(s, face, size))
    return [line.rstrip("\n").rstrip() for line in lines]


def draw(canvas: Canvas, picture: Picture) -> None:
    """Draw ``picture`` on the current page of ``canvas`` (page size already set)."""
    h = picture.height
    canvas.setFillColor(HexColor(picture.background))
    canvas.rect(0, 0, picture.width, h, stroke=0, fill=1)
    for item in picture.items:
        if isinstance(item, Box):
            canvas.setLineWidth(item.line)
            if item.fill:
                canvas.setFillColor(HexColor(item.fill))
            if item.stroke:
                canvas.setStrokeColor(HexColor(item.stroke))
            y = h - item.top - item.h
            if item.radius:
                canvas.roundRect(item.x, y, item.w, item.h, item.radius,
                                 stroke=int(bool(item.stroke)), fill=int(bool(item.fill)))
            else:
                canvas.rect(item.x, y, item.w, item.h, stroke=int(bool(item.stroke)),
                            fill=int(bool(item.fill)))
        elif isinstance(item, QrCode):
            _draw_qr(canvas, item, h)
        else:
            canvas.setFillColor(HexColor(item.color))
            x, y = item.x, h - item.top - item.size * BASELINE
            for face, run in runs(item.text, item.face):
                canvas.setFont(register(face), item.size)
                canvas.drawString(x, y, run)
                x += width(run, face, item.size)


def _draw_qr(canvas: Canvas, code: QrCode, page_h: float) -> None:
    count = len(qr.qr_modules(code.url)) + 2 * qr.BORDER
    module = code.side / count
    canvas.setFillColor(HexColor("#FFFFFF"))
    canvas.rect(code.x, page_h - code.top - code.side, code.side, code.side, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    for r, c, length in qr.dark_runs(code.url):
        canvas.rect(code.x + c * module, page_h - code.top - (r + 1) * module,
                    length * module, module, stroke=0, fill=1)


def pdf_bytes(pictures: list[Picture], title: str) -> bytes:
    """The pictures as a PDF, one page each, each page its picture's size."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("gongkai")
    for picture in pictures:
        canvas.setPageSize((picture.width, picture.height))
        draw(canvas, picture)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def write_pdf(pictures: list[Picture], title: str, out: Path) -> Path:
    """Write the pictures as a PDF to ``out`` atomically; returns ``out``."""
    write_bytes(out, pdf_bytes(pictures, title))
    return out


def png_pages(pdf: bytes, width_px: int) -> list[bytes]:
    """Every page of ``pdf`` as a PNG exactly ``width_px`` wide (height in proportion)."""
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    try:
        out = []
        for n in range(len(document)):
            page = document[n]
            try:
                w_pt, h_pt = page.get_size()
                scale = width_px / w_pt
                bitmap = page.render(scale=scale, rev_byteorder=True)
                image = bitmap.to_pil().convert("RGB")
                bitmap.close()
            finally:
                page.close()
            target = (width_px, round(h_pt * scale))
            if image.size != target:  # PDFium rounds up a fraction of a pixel
                image = image.resize(target, Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            image.save(buffer, "PNG", optimize=True)
            out.append(buffer.getvalue())
        return out
    finally:
        document.close()


def write_png(data: bytes, out: Path) -> Path:
    """Write a PNG's bytes to ``out`` whole or not at all; returns ``out``."""
    with atomic_path(out) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
    return out
