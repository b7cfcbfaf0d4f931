"""明白纸 as DOCX: the same sections, type sizes and QR code as the PDF handout, editable.

Two copies on one sheet are two columns of a landscape A4 page with a line
between them to cut along; Word and WPS keep that layout when the clerk edits.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.lib.units import mm

from app.atomic import atomic_path
from app.errors import UserError
from app.printing.handout_pdf import HALF, HANDOUT
from app.printing.qr import qr_png
from app.printing.sheet import DRAFT_MARK, Sheet, handout_parts
from app.printing.sheet_docx import (
    FACES,
    PADDING,
    add_masthead,
    add_run,
    add_title,
    new_document,
)


def _two_columns(section: object) -> None:
    columns = section._sectPr.find(qn("w:cols"))  # type: ignore[attr-defined]
    if columns is None:
        columns = OxmlElement("w:cols")
        section._sectPr.append(columns)  # type: ignore[attr-defined]
    columns.set(qn("w:num"), "2")
    columns.set(qn("w:space"), str(int(24 / 25.4 * 1440)))  # 24 mm between the copies
    columns.set(qn("w:sep"), "1")  # the line to cut along


def render_handout_docx(sheet: Sheet, out: Path, copies_per_sheet: int = 1,
                        qr_url: str = "") -> None:
    """Write a 明白纸 as an editable .docx: one A4, or two A5 copies side by side on A4."""
    if copies_per_sheet not in (1, 2):
        raise UserError("每张纸只能印一份或两份。")
    two = copies_per_sheet == 2
    paper = HALF if two else HANDOUT
    doc = new_document()
    section = doc.sections[0]
    if two:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        _two_columns(section)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    margin = Mm(12 if two else 20)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    b = paper.body_pt
    if sheet.draft:
        mark = section.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(mark, DRAFT_MARK, FACES["heading"], b, bold=True)
    code = qr_png(qr_url) if qr_url else b""
    for copy in range(copies_per_sheet):
        add_masthead(doc, sheet.heading, paper.title_pt)
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        column = paper.size[0] - 2 * (12 if two else 20) * mm - PADDING
        add_title(title, sheet.title, paper.title_pt, column)
        for heading, text in handout_parts(sheet):
            if heading:
                add_run(doc.add_paragraph(), heading, FACES["heading"], b, bold=True)
            if text:
                add_run(doc.add_paragraph(), text, FACES["body"], b)
        if sheet.phone_line:
            add_run(doc.add_paragraph(), sheet.phone_line, FACES["heading"], b, bold=True)
        if sheet.closing:
            add_run(doc.add_paragraph(), sheet.closing, FACES["body"], b)
        if code:
            picture = doc.add_paragraph()
            run = picture.add_run()
            run.add_picture(io.BytesIO(code), width=Pt(b * 5))
            # Even the picture's run names the face, so every run in the file carries one.
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"),
                                                                  FACES["body"])
            add_run(picture, sheet.qr_caption, FACES["body"], paper.table_pt)
        for line in (sheet.issuer, sheet.dated):
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            add_run(paragraph, line, FACES["sign"], b)
        if copy + 1 < copies_per_sheet:
            add_run(paragraph, "", FACES["sign"], b)
            paragraph.runs[-1].add_break(WD_BREAK.COLUMN)
    with atomic_path(out) as tmp:
        doc.save(tmp)
