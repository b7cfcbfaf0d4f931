"""明白纸 as DOCX: the same sections, flow, footer strip and QR code as the PDF handout, editable.

Section headings are white on a shaded tab, a 办理流程 that lists steps is a
table of bordered, shaded boxes with 「→」 cells between them, and the QR code
and phone line sit in a shaded one-row table at the foot. Word lays out its
own pages, so the type size is chosen from an estimate of the lines each part
takes, stepping down as the PDF does until the copy should fit its page.

Two copies on one sheet are two columns of a landscape A4 page with a line
between them to cut along; Word and WPS keep that layout when the clerk edits.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from app.atomic import atomic_path
from app.errors import UserError
from app.printing.handout_pdf import HALF, HANDOUT, SCALES
from app.printing.qr import qr_png
from app.printing.sheet import DRAFT_MARK, HandoutSection, Sheet, handout_sections
from app.printing.sheet_docx import (
    FACES,
    add_masthead,
    add_run,
    add_title,
    new_document,
)
from app.printing.sheet_pdf import Paper
from app.printing.steps import Flow, find_flow, is_procedure

#: The PDF's colours, as Word writes them.
ACCENT = "A81717"
TINT = "FCEDE8"
#: Line height as a multiple of the type size, as Word and LibreOffice set the
#: Chinese faces at the handout's line spacing (measured, with a margin).
_LINE = 1.75
_SPACING = 1.25
#: Word's default cell margins, 0.19 cm left and right, in points.
_CELL_MARGINS = 2 * 0.19 / 2.54 * 72
#: Between the two copies of a two-up sheet.
_COLUMN_GAP_MM = 24


def _two_columns(section: object) -> None:
    columns = section._sectPr.find(qn("w:cols"))  # type: ignore[attr-defined]
    if columns is None:
        columns = OxmlElement("w:cols")
        section._sectPr.append(columns)  # type: ignore[attr-defined]
    columns.set(qn("w:num"), "2")
    columns.set(qn("w:space"), str(int(_COLUMN_GAP_MM / 25.4 * 1440)))
    columns.set(qn("w:sep"), "1")  # the line to cut along


def _shading(fill: str) -> BaseOxmlElement:
    shd = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shd.set(qn(key), value)
    return shd


def _borders(cell: _Cell, value: str) -> None:
    """All four borders of ``cell``: a line of the accent colour, or none (``nil``)."""
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), value)
        if value != "nil":
            edge.set(qn("w:sz"), "12")
            edge.set(qn("w:color"), ACCENT)
        borders.append(edge)
    properties.append(borders)


def _margins(cell: _Cell, points: float) -> None:
    """Room above and below the text of a box, which Word's default cell leaves out."""
    margins = OxmlElement("w:tcMar")
    for side in ("top", "bottom"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(int(points * 20)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    cell._tc.get_or_add_tcPr().append(margins)


def _gap_row(table: Table, widths: Sequence[Length], size: float) -> None:
    """A short borderless row between two rows of boxes, so that they do not touch."""
    cells = table.add_row().cells
    for cell, value in zip(cells, widths, strict=True):
        cell.width = value
        _borders(cell, "nil")
        paragraph = _first(cell)
        paragraph.paragraph_format.line_spacing = 1.0
        add_run(paragraph, "", FACES["body"], size * 0.4)
        mark = OxmlElement("w:rPr")
        small = OxmlElement("w:sz")
        small.set(qn("w:val"), str(max(2, int(size * 0.8))))
        mark.append(small)
        paragraph._p.get_or_add_pPr().append(mark)


def _shade(cell: _Cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(_shading(fill))


def _paragraph(doc: DocxDocument | _Cell, text: str, face: str, size: float,
               align: WD_ALIGN_PARAGRAPH | None = None, bold: bool = False,
               color: str = "") -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.line_spacing = _SPACING
    if align is not None:
        paragraph.alignment = align
    add_run(paragraph, text, face, size, bold=bold)
    if color:
        paragraph.runs[-1].font.color.rgb = RGBColor.from_string(color)
    return paragraph


def _first(cell: _Cell) -> Paragraph:
    """The cell's own first paragraph, set to the handout's spacing."""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = _SPACING
    return paragraph


def _heading(doc: DocxDocument, text: str, size: float) -> None:
    """White 黑体 on a shaded tab, and a rule of the tab's colour across the column."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(size * 0.5), Pt(size * 0.25), 1.15
    # The spaces inside the run pad the tab; the shading is the run's, so it is
    # as wide as the heading, like the PDF's.
    add_run(paragraph, f"\u3000{text}\u3000", FACES["heading"], size * 1.12)
    run = paragraph.runs[-1]
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    run._element.get_or_add_rPr().append(_shading(ACCENT))
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "0"),
                       ("w:color", ACCENT)):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _chars(text: str) -> float:
    """How many full-width characters ``text`` is as wide as.

    Latin letters and digits are about half, and Word and LibreOffice put a
    little space wherever they meet Chinese (「第 1 项」).
    """
    wide = [unicodedata.east_asian_width(c) in "WF" for c in text]
    meets = sum(1 for a, b in zip(wide, wide[1:], strict=False) if a != b)
    return sum(1.0 if w else 0.6 for w in wide) + 0.3 * meets


def _lines(text: str, size: float, room: float) -> int:
    # Less than the room holds: a line seldom breaks exactly at its end.
    per_line = max(1.0, room / size - 0.7)
    return max(1, math.ceil(_chars(text) / per_line))


def _per_row(steps: tuple[str, ...], size: float, room: float) -> int:
    """Boxes per row of the flow table, chosen as the PDF chooses (three lines at most)."""
    arrow = size * 1.9
    tried: list[tuple[int, float]] = []
    for rows in range(1, len(steps) + 1):
        per_row = math.ceil(len(steps) / rows)
        inner = (room - (per_row - 1) * arrow) / per_row - _CELL_MARGINS
        # Word's boxes get five characters at least: it spaces digits from Chinese.
        if per_row > 1 and inner < size * 5:
            continue
        lines = [_lines(s, size, inner) for s in steps]
        height = sum(max(lines[r:r + per_row]) for r in range(0, len(steps), per_row))
        tried.append((per_row, height + rows))
        if max(lines) <= 3:
            return per_row
    return min(tried, key=lambda t: t[1])[0]


def _flow_table(doc: DocxDocument, flow: Flow, size: float, room: float) -> float:
    """The steps as rows of bordered boxes with 「→」 cells between; returns its height, roughly."""
    per_row = _per_row(flow.steps, size, room)
    arrow = size * 1.9
    box = (room - (per_row - 1) * arrow) / per_row
    table = doc.add_table(rows=0, cols=2 * per_row - 1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Pt(box if c % 2 == 0 else arrow) for c in range(2 * per_row - 1)]
    for column, value in zip(table.columns, widths, strict=True):
        column.width = value
    height = 0.0
    for start in range(0, len(flow.steps), per_row):
        chunk = flow.steps[start:start + per_row]
        if start:
            _gap_row(table, widths, size)
            height += size * 0.5
        cells = table.add_row().cells
        for c, cell in enumerate(cells):
            cell.width = widths[c]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = _first(cell)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            k = c // 2
            if c % 2 == 0 and k < len(chunk):
                _borders(cell, "single")
                _margins(cell, size * 0.35)
                _shade(cell, TINT)
                add_run(paragraph, f"{start + k + 1} ", FACES["heading"], size, bold=True)
                paragraph.runs[-1].font.color.rgb = RGBColor.from_string(ACCENT)
                add_run(paragraph, chunk[k], FACES["body"], size)
            elif c % 2 == 1 and k + 1 < len(chunk):
                _borders(cell, "nil")
                add_run(paragraph, "→", FACES["heading"], size * 1.3, bold=True)
                paragraph.runs[-1].font.color.rgb = RGBColor.from_string(ACCENT)
            else:  # past the last step of the last row
                _borders(cell, "nil")
                add_run(paragraph, "", FACES["body"], size)
        lines = max(_lines(f"{start + k + 1} {s}", size, box - _CELL_MARGINS)
                    for k, s in enumerate(chunk))
        height += lines * size * _LINE + size * 1.3
    return height


def _footer(doc: DocxDocument, sheet: Sheet, phones: list[str], code: bytes,
            paper: Paper, room: float) -> None:
    """The shaded strip: QR code and its caption, then the phone lines, unit and date."""
    b = paper.body_pt
    table = doc.add_table(rows=1, cols=2 if code else 1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cells = table.rows[0].cells
    qr_width = b * 7.2 if code else 0
    widths = [Pt(qr_width), Pt(room - qr_width)] if code else [Pt(room)]
    for column, cell, value in zip(table.columns, cells, widths, strict=True):
        column.width = cell.width = value
        _shade(cell, TINT)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if code:
        picture = _first(cells[0])
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = picture.add_run()
        run.add_picture(io.BytesIO(code), width=Pt(b * 5.2))
        # Even the picture's run names the face, so every run in the file carries one.
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FACES["body"])
        if sheet.qr_caption:
            # One line under the code: the cell less Word's default 0.19 cm margins.
            size = min(paper.table_pt, (qr_width - 12) * 0.95 / max(1.0, _chars(sheet.qr_caption)))
            _paragraph(cells[0], sheet.qr_caption, FACES["body"], size, WD_ALIGN_PARAGRAPH.CENTER)
    text_cell = cells[-1]
    first = True
    for phone in phones:
        paragraph = _first(text_cell) if first else text_cell.add_paragraph()
        paragraph.paragraph_format.line_spacing = _SPACING
        add_run(paragraph, phone, FACES["heading"], b * 1.3, bold=True)
        paragraph.runs[-1].font.color.rgb = RGBColor.from_string(ACCENT)
        first = False
    signed = "　".join(t for t in (sheet.issuer, sheet.dated) if t)
    paragraph = _first(text_cell) if first else text_cell.add_paragraph()
    paragraph.paragraph_format.line_spacing = _SPACING
    add_run(paragraph, signed, FACES["sign"], b)
    top = OxmlElement("w:tblBorders")
    edge = OxmlElement("w:top")
    for key, setting in (("w:val", "single"), ("w:sz", "12"), ("w:color", ACCENT)):
        edge.set(qn(key), setting)
    top.append(edge)
    table._tbl.tblPr.append(top)


def _estimate(sheet: Sheet, paper: Paper, room: float, qr: bool) -> float:
    """Roughly how tall the copy prints at ``paper``'s sizes, in points."""
    b = paper.body_pt
    height = paper.title_pt * 1.6 * _lines(sheet.title, paper.title_pt, room)
    if sheet.heading:
        height += paper.title_pt * 1.8
    sections, phones = handout_sections(sheet)
    for section in sections:
        if section.heading:
            height += b * 1.12 * 1.5 + b * 0.75
        flow = _flow_of(section)
        lines = list(section.lines) if flow is None else \
            (flow.lead + "\n" + flow.tail).splitlines()
        height += sum(_lines(line, b, room) * b * _LINE for line in lines if line)
        if flow is not None:
            per_row = _per_row(flow.steps, b, room)
            box = (room - (per_row - 1) * b * 1.9) / per_row - _CELL_MARGINS
            for start in range(0, len(flow.steps), per_row):
                chunk = flow.steps[start:start + per_row]
                height += max(_lines(f"{n} {s}", b, box) for n, s in enumerate(chunk)) \
                    * b * _LINE + b * 1.8
    if sheet.closing:
        height += _lines(sheet.closing, b, room) * b * _LINE
    text = len(phones) * b * 1.3 * _LINE + b * _LINE
    code = b * 5.2 + paper.table_pt * _LINE if qr else 0
    return height + max(text, code) + b


def _flow_of(section: HandoutSection) -> Flow | None:
    return find_flow("\n".join(section.lines), is_procedure(section.heading))


def _copy(doc: DocxDocument, sheet: Sheet, paper: Paper, code: bytes, room: float,
          new_column: bool) -> None:
    """One copy of the handout at ``paper``'s type sizes, in the next column if asked."""
    b = paper.body_pt
    start = len(doc.paragraphs)
    add_masthead(doc, sheet.heading, paper.title_pt)
    title = doc.add_paragraph()
    title.paragraph_format.line_spacing = _SPACING
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_title(title, sheet.title, paper.title_pt, room)
    if new_column:
        # The break opens the copy's first line: a break that ended the last
        # copy would carry an empty line over to the top of this column.
        run = doc.paragraphs[start].runs[0]._r
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "column")
        if run.rPr is not None:
            run.rPr.addnext(br)
        else:
            run.insert(0, br)
    sections, phones = handout_sections(sheet)
    for section in sections:
        if section.heading:
            _heading(doc, section.heading, b)
        flow = _flow_of(section)
        if flow is None:
            for line in section.lines:
                _paragraph(doc, line, FACES["body"], b)
            continue
        for line in flow.lead.splitlines():
            if line.strip():
                _paragraph(doc, line, FACES["body"], b)
        _flow_table(doc, flow, b, room)
        for line in flow.tail.splitlines():
            if line.strip():
                _paragraph(doc, line, FACES["body"], b)
    if sheet.closing:
        _paragraph(doc, sheet.closing, FACES["body"], b)
    _paragraph(doc, "", FACES["body"], b * 0.5)  # air above the strip
    _footer(doc, sheet, phones, code, paper, room)


def render_handout_docx(sheet: Sheet, out: Path, copies_per_sheet: int = 1,
                        qr_url: str = "") -> None:
    """Write a 明白纸 as an editable .docx: one A4, or two A5 copies side by side on A4."""
    if copies_per_sheet not in (1, 2):
        raise UserError("每张纸只能印一份或两份。")
    two = copies_per_sheet == 2
    base = HALF if two else HANDOUT
    doc = new_document()
    section = doc.sections[0]
    margin_mm = 12 if two else 16
    if two:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        _two_columns(section)
        room_mm = (297 - 2 * margin_mm - _COLUMN_GAP_MM) / 2
        height_mm = 210 - 2 * margin_mm
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        room_mm, height_mm = 210 - 2 * margin_mm, 297 - 2 * margin_mm
    section.left_margin = section.right_margin = Mm(margin_mm)
    section.top_margin = section.bottom_margin = Mm(margin_mm)
    room, height = room_mm / 25.4 * 72, height_mm / 25.4 * 72
    paper, fits = base, False
    for scale in SCALES:
        paper = replace(base, title_pt=base.title_pt * scale, body_pt=base.body_pt * scale,
                        table_pt=base.table_pt * scale)
        fits = _estimate(sheet, paper, room, bool(qr_url)) <= height
        if fits:
            break
    if two and not fits:
        # Word cannot scale a copy to its half as the PDF does: the first copy
        # would run into the second's column.
        raise UserError("这份明白纸太长，一张纸上印不下两份，请选一张一份或改印 PDF。")
    if sheet.draft:
        mark = section.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(mark, DRAFT_MARK, FACES["heading"], base.body_pt, bold=True)
    code = qr_png(qr_url) if qr_url else b""
    for copy in range(copies_per_sheet):
        _copy(doc, sheet, paper, code, room, new_column=copy > 0)
    # A document may not end on a table; the paragraph after the strip is set
    # tiny, mark and all, so that it never pushes a full copy onto a second page.
    closing = doc.add_paragraph()
    closing.paragraph_format.line_spacing = 1.0
    add_run(closing, "", FACES["body"], 2)
    mark = OxmlElement("w:rPr")
    tiny = OxmlElement("w:sz")
    tiny.set(qn("w:val"), "4")
    mark.append(tiny)
    closing._p.get_or_add_pPr().append(mark)
    with atomic_path(out) as tmp:
        doc.save(tmp)
