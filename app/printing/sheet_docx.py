"""Board sheets as DOCX, for clerks who finish in Word or WPS: same content as the PDF.

Every run names its East Asian font (w:eastAsia), because Word and WPS pick
the Chinese face from that attribute and ignore the Latin one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.atomic import atomic_path
from app.errors import UserError
from app.printing import table_layout
from app.printing.fonts import Face, choose_faces, system_faces
from app.printing.pdf_fonts import runs
from app.printing.sheet import DRAFT_MARK, Sheet
from app.printing.sheet_pdf import PAPERS, plan_tables
from app.printing.table_layout import TableLayout
from app.printing.typeset import title_lines


class _Families(Mapping[str, str]):
    """The family name of each role's face: the PDF's own choice, looked up once."""

    def __getitem__(self, role: str) -> str:
        return system_faces()[role].family

    def __iter__(self) -> Iterator[str]:
        return iter(system_faces())

    def __len__(self) -> int:
        return len(system_faces())


#: The face of each role by the family name Word and WPS know it by: the same
#: faces the PDF prints in (the official ones where installed, ours otherwise).
FACES: Mapping[str, str] = _Families()


def add_run(paragraph: Paragraph, text: str, face: str, size: float, bold: bool = False) -> None:
    """Append ``text`` in the family ``face`` (Latin and East Asian alike) at ``size`` points.

    Characters the face lacks go into runs of their own that name the
    fallback face that has them, as the PDF prints them.
    """
    known = next((f for f in system_faces().values() if f.family == face), None)
    parts = runs(text, known) if known else [(None, text)]
    for chosen, part in parts:
        family = chosen.family if chosen else face
        run = paragraph.add_run(part)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = family
        fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), family)


def add_title(paragraph: Paragraph, text: str, size: float, width: float) -> None:
    """The title in the balanced lines the PDF prints, a line break (w:br) between them.

    Word would fill the first line and leave the rest, 「…的公」/「示」; the breaks
    are where :mod:`app.printing.linebreak` puts them for a column ``width`` points wide.
    """
    lines = title_lines(text, system_faces()["title"], size, width)
    for n, line in enumerate(lines):
        add_run(paragraph, line, FACES["title"], size)
        if n + 1 < len(lines):
            paragraph.runs[-1].add_break()


def new_document() -> DocxDocument:
    """A blank document whose paragraphs have no extra space after them.

    python-docx's template adds space after every paragraph, which pushes a
    handout copy past its half-sheet and a sheet's signature onto a new page.
    """
    doc = Document()
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after = Pt(0)
    normal.space_before = Pt(0)
    normal.line_spacing = 1.3
    return doc


def official_a4_document() -> DocxDocument:
    """A blank A4 document with the margins of GB/T 9704 (a report to the county office)."""
    from app.printing.sheet_pdf import GBT9704_MARGINS_MM

    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    left, right, top, bottom = GBT9704_MARGINS_MM
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    return doc


def add_masthead(doc: DocxDocument, text: str, size: float) -> None:
    """The township's red heading line with a red rule under it (nothing when empty)."""
    if not text:
        return
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, text, FACES["title"], size)
    paragraph.runs[-1].font.color.rgb = RGBColor(0xD9, 0x1A, 0x1A)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"),
                       ("w:color", "D91A1A")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    no_split = OxmlElement("w:cantSplit")
    properties.append(no_split)


#: The order OOXML requires of a table's properties; Word and LibreOffice
#: ignore (or refuse) one out of place.
_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                "shd", "tblLayout", "tblCellMar", "tblLook")


def _place(properties: BaseOxmlElement, element: BaseOxmlElement) -> None:
    """Put ``element`` into ``w:tblPr`` in its schema place, replacing one of its kind."""
    def name(node: BaseOxmlElement) -> str:
        return str(node.tag).split("}")[1]

    rank = _TBLPR_ORDER.index(name(element))
    for child in list(properties):
        if name(child) == name(element):
            properties.remove(child)
    for n, child in enumerate(properties):
        if name(child) in _TBLPR_ORDER and _TBLPR_ORDER.index(name(child)) > rank:
            properties.insert(n, element)
            return
    properties.append(element)


def _fixed_widths(table: Table, layout: TableLayout) -> None:
    """The PDF's column widths, fixed (no autofit), with the PDF's cell padding."""
    table.autofit = False
    twips = [round(w * 20) for w in layout.widths]
    properties = table._tbl.tblPr
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(sum(twips)))
    total.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(layout.padding * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    for element in (total, margins):
        _place(properties, element)
    for column, width in zip(table.columns, twips, strict=True):
        column.width = Twips(width)


def _broken(text: str, face: Face, layout: TableLayout, column: int, header: bool) -> str:
    """``text`` with the PDF's line breaks, so Word never breaks a header word or a name."""
    size, room = layout.size, layout.widths[column] - 2 * layout.padding
    if table_layout.measure(text, face, size) <= room:
        return text
    lines = table_layout.lines(text, face, size, room, header)
    return "\n".join(lines) if lines else text


def render_sheet_docx(sheet: Sheet, out: Path, paper: str = "A4",
                      notes: list[str] | None = None) -> None:
    """Write the sheet as an editable .docx (atomically).

    Tables take the PDF's sizes and column widths (measured in the system's
    faces, as the PDF is), and the page turns to landscape when the PDF's does;
    ``notes`` receives the same sentences for the clerk.
    """
    if paper not in PAPERS:
        raise UserError("纸张只能选 A4 或 A3。")
    spec = PAPERS[paper]
    faces = choose_faces()
    plan = plan_tables(sheet, spec, faces)
    if notes is not None:
        notes.extend(plan.notes)
    doc = new_document()
    section = doc.sections[0]
    width, height = spec.size
    if plan.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    else:
        section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(round(width * 20)), Twips(round(height * 20))
    left, right, top, bottom = (Twips(round(m * 20)) for m in spec.margins(plan.landscape))
    section.left_margin, section.right_margin = left, right
    section.top_margin, section.bottom_margin = top, bottom
    b = spec.body_pt
    layouts = iter(plan.tables)

    if sheet.draft:
        mark = section.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(mark, DRAFT_MARK, FACES["heading"], b, bold=True)

    add_masthead(doc, sheet.heading, spec.title_pt)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    margins = spec.margins(plan.landscape)
    add_title(title, sheet.title, spec.title_pt, width - margins[0] - margins[1])
    for block in sheet.blocks:
        if block.rows:
            layout = next(layouts)
            table = doc.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            _fixed_widths(table, layout)
            for n, row in enumerate(block.rows):
                cells = table.add_row().cells
                role = "heading" if n == 0 else "body"
                # add_row gives each cell its column's width (w:tcW) already.
                for c, (cell, text) in enumerate(zip(cells, row, strict=True)):
                    paragraph = cell.paragraphs[0]
                    if n == 0:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    add_run(paragraph, _broken(text, faces[role], layout, c, n == 0),
                            FACES[role], layout.size)
                if n == 0:
                    _repeat_header(table.rows[0])
        else:
            paragraph = doc.add_paragraph()
            if not block.flush:
                paragraph.paragraph_format.first_line_indent = Pt(2 * b)
            add_run(paragraph, block.text, FACES["body"], b)
    for line in (sheet.publicity, sheet.phone_line, sheet.closing):
        if line:
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(2 * b)
            add_run(paragraph, line, FACES["body"], b)
    for _ in range(3):  # room for the seal
        doc.add_paragraph()
    for line in (sheet.issuer, sheet.dated):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        add_run(paragraph, line, FACES["sign"], b)

    with atomic_path(out) as tmp:
        doc.save(tmp)
