"""The 图解 (一图读懂): a tall picture for a phone or a screen, and the same as a PDF.

One layout (:func:`layout_graphic`) is drawn once: to a PDF page 540 pt wide
and as tall as the content, in the bundled faces, and the PNG is that page
rendered by PDFium at exactly :data:`PNG_WIDTH` pixels (2 px a point). From
the top: a red title band (title, subtitle), the figures (label small, value
large), the numbered key points each in its own box, and a foot with the QR
code, the 咨询电话 in large type, the issuer and the date.

Type never shrinks to fit: no text is smaller than :data:`MIN_PT` (28 px in
the PNG, about the size of a phone's body text when the picture fills the
screen's width); long content only makes the picture taller.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.errors import UserError
from app.notices.interpretation import Graphic
from app.printing.drawn import (
    Box,
    Picture,
    QrCode,
    pdf_bytes,
    png_pages,
    wrap,
    write_pdf,
    write_png,
)
from app.printing.fonts import Face, bundled_face
from app.printing.pdf_fonts import width
from app.printing.typeset import title_lines
from app.store import Store

#: The width of the picture for an official account (两微一端), in pixels.
PNG_WIDTH = 1080
#: The PDF page's width in points; the PNG is drawn at PNG_WIDTH / PAGE_W px a point.
PAGE_W = 540.0
#: The smallest type anywhere on the 图解, in points (28 px in the PNG).
MIN_PT = 14.0
RED = "#C8102E"
INK = "#222222"
PALE = "#FFF4F1"
MARGIN = 24.0
TITLE_PT = 30.0
SUBTITLE_PT = 15.0
HEADING_PT = 18.0
BODY_PT = 15.0
LABEL_PT = MIN_PT
VALUE_PT = 26.0
PHONE_PT = 24.0
LEAD = 1.45  # line height over type size
#: Pictures taller than this are refused: WeChat shows no more (and a typo in a
#: point could otherwise make a picture no one can open).
MOST_H = 14400.0


def _faces() -> tuple[Face, Face]:
    return bundled_face("title"), bundled_face("heading")


def _lines(pic: Picture, x: float, top: float, text: str, face: Face, size: float,
           room: float, color: str) -> float:
    """Write ``text`` wrapped to ``room`` from ``top``; returns the top of what follows."""
    for line in wrap(text, face, size, room):
        pic.text(x, top, line, face, size, color)
        top += size * LEAD
    return top


def layout_graphic(content: Graphic) -> Picture:
    """The 图解's drawing records, on a page of its own height (points)."""
    from app.errors import UserError

    title_face, sans = _faces()
    inner = PAGE_W - 2 * MARGIN
    pic = Picture(PAGE_W, 0.0)
    # Title band.
    top = MARGIN
    band_items_start = len(pic.items)
    pic.items.append(Box(0, 0, 0, 0))  # placeholder, replaced once the band's height is known
    # A title breaks between words into balanced lines, as on the board sheet.
    for line in title_lines(content.title or "一图读懂", title_face, TITLE_PT, inner):
        pic.text(MARGIN, top, line, title_face, TITLE_PT, "#FFFFFF")
        top += TITLE_PT * LEAD
    if content.subtitle:
        top = _lines(pic, MARGIN, top + 4, content.subtitle, sans, SUBTITLE_PT, inner,
                     "#FFE9A8")
    top += MARGIN * 0.6
    pic.items[band_items_start] = Box(0, 0, PAGE_W, top, fill=RED)
    top += MARGIN
    # Figures, two to a row.
    figures = list(content.figures)
    gap = 12.0
    cell_w = (inner - gap) / 2
    for start in range(0, len(figures), 2):
        row = figures[start:start + 2]
        w = inner if len(row) == 1 else cell_w
        heights = []
        for k, fig in enumerate(row):
            x = MARGIN + k * (cell_w + gap)
            label = wrap(fig.label, sans, LABEL_PT, w - 24)
            value = wrap(fig.value, sans, VALUE_PT, w - 24)
            heights.append(16 + len(label) * LABEL_PT * LEAD + len(value) * VALUE_PT * LEAD + 8)
        h = max(heights)
        for k, fig in enumerate(row):
            x = MARGIN + k * (cell_w + gap)
            pic.items.append(Box(x, top, w, h, fill=PALE, stroke=RED, radius=8, line=1.2))
            y = _lines(pic, x + 12, top + 12, fig.label, sans, LABEL_PT, w - 24, "#7A4A3A")
            _lines(pic, x + 12, y, fig.value, sans, VALUE_PT, w - 24, RED)
        top += h + gap
    if figures:
        top += MARGIN - gap
    # Numbered key points, each in a box.
    badge = 30.0
    for n, (heading, text) in enumerate(content.points, start=1):
        x_text = MARGIN + 14 + badge + 10
        room = PAGE_W - MARGIN - 14 - x_text
        head = wrap(heading, sans, HEADING_PT, room) if heading else []
        body = wrap(text, sans, BODY_PT, room) if text else []
        h = 14 + max(badge, len(head) * HEADING_PT * LEAD + len(body) * BODY_PT * LEAD) + 10
        pic.items.append(Box(MARGIN, top, inner, h, fill="#FFFFFF", stroke="#E3B5AC",
                             radius=8, line=1.2))
        pic.items.append(Box(MARGIN, top + 8, 5, h - 16, fill=RED))  # inside the round corners
        pic.items.append(Box(MARGIN + 14, top + 14, badge, badge, fill=RED, radius=badge / 2))
        number = str(n)
        size = HEADING_PT if len(number) < 2 else MIN_PT
        pic.text(MARGIN + 14 + (badge - width(number, sans, size)) / 2,
                 top + 14 + (badge - size) / 2, number, sans, size, "#FFFFFF")
        y = top + 14
        for line in head:
            pic.text(x_text, y, line, sans, HEADING_PT, RED)
            y += HEADING_PT * LEAD
        for line in body:
            pic.text(x_text, y, line, sans, BODY_PT, INK)
            y += BODY_PT * LEAD
        top += h + 12
    # Foot: QR code, phone, issuer and date.
    top += 8
    foot_top = top
    pic.items.append(Box(0, foot_top, PAGE_W, 1.5, fill=RED))
    top += 18
    x = MARGIN
    qr_side = 0.0
    if content.qr_url:
        qr_side = 120.0
        pic.items.append(QrCode(MARGIN, top, qr_side, content.qr_url))
        pic.text(MARGIN + (qr_side - 4 * MIN_PT) / 2, top + qr_side + 4, "扫码看原文",
                 sans, MIN_PT, "#555555")
        x = MARGIN + qr_side + 20
    room = PAGE_W - MARGIN - x
    y = top
    if content.phone:
        y = _lines(pic, x, y, content.phone_label or "咨询电话", sans, LABEL_PT, room, "#555555")
        y = _lines(pic, x, y, content.phone, sans, PHONE_PT, room, RED) + 6
    if content.issuer:
        y = _lines(pic, x, y, content.issuer, sans, LABEL_PT, room, INK)
    if content.date:
        y = _lines(pic, x, y, content.date, sans, LABEL_PT, room, INK)
    bottom = max(y, top + (qr_side + 4 + MIN_PT * LEAD if qr_side else 0))
    pic.height = bottom + MARGIN
    if pic.height > MOST_H:
        raise UserError("图解内容太多，一张图放不下：请把要点压缩一些，或分成几张图。")
    return pic


def _name(content: Graphic) -> str:
    return re.sub(r"\s+", " ", content.title).strip() or "一图读懂"


def render_graphic_png(content: Graphic, out: Path) -> Path:
    """Draw the 图解 as a PNG ``PNG_WIDTH`` pixels wide (as tall as it needs); returns ``out``."""
    pdf = pdf_bytes([layout_graphic(content)], _name(content))
    return write_png(png_pages(pdf, PNG_WIDTH)[0], out)


def render_graphic_pdf(content: Graphic, out: Path) -> Path:
    """Draw the same 图解 as a one-page PDF of its own height; returns ``out``."""
    return write_pdf([layout_graphic(content)], _name(content), out)


def write_graphic(store: Store, notice_id: str, out: Path) -> Path:
    """The 图解 of a 解读 as ``out``: a PNG 1080 px wide or a PDF, by its extension."""
    from app.notices.drafts import get_notice
    from app.notices.interpretation import graphic_content

    if out.suffix.lower() not in (".png", ".pdf"):
        raise UserError("图解只能保存为 .png（手机、公众号）或 .pdf（打印、电子屏）。")
    if get_notice(store, notice_id).kind != "解读":
        raise UserError("只有政策解读才有图解：请打开它的解读，或先「起草解读」。")
    content = graphic_content(store, notice_id)
    return (render_graphic_png if out.suffix.lower() == ".png" else render_graphic_pdf)(
        content, out)
