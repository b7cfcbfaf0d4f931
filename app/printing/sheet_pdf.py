"""Board sheets as PDF (reportlab), laid out after GB/T 9704 and readable from a step back.

Every face is embedded as a subset, so the sheet prints the same on any PC.
Long 名单 tables break across pages with the header row repeated and no row
split; an unapproved sheet carries a diagonal 草稿 未经审核 on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph

from app.atomic import atomic_path
from app.errors import UserError
from app.printing.fonts import Face, choose_faces
from app.printing.linebreak import rules
from app.printing.pdf_fonts import register
from app.printing.sheet import DRAFT_MARK, Sheet
from app.printing.typeset import paragraph, title


@dataclass(frozen=True)
class Paper:
    """A paper size with the type sizes that read well on it from a step back."""

    name: str
    size: tuple[float, float]
    title_pt: float
    body_pt: float
    table_pt: float


PAPERS = {
    "A4": Paper("A4", A4, 22, 16, 12),
    "A3": Paper("A3", A3, 30, 22, 16),
}

#: Chinese punctuation that must not open a line (GB/T 15834, resources/typesetting.toml).
#: Running text is broken by app.printing.linebreak; table cells still wrap in
#: reportlab, whose list is Japanese and lacks the full-width comma and its kin,
#: so both modules that read the list get ours added.
NO_LINE_START = "".join(sorted(rules().no_line_start))
_kinsoku = textsplit.ALL_CANNOT_START + "".join(
    c for c in NO_LINE_START if c not in textsplit.ALL_CANNOT_START)
# The stubs make the list Final and omit paragraph's own copy; replacing both is the point.
textsplit.ALL_CANNOT_START = _kinsoku  # type: ignore[misc]
rl_paragraph.ALL_CANNOT_START = _kinsoku  # type: ignore[attr-defined]

MASTHEAD_RED = colors.Color(0.85, 0.1, 0.1)
_font = register


def paragraph_styles(paper: Paper, faces: dict[str, Face]) -> dict[str, ParagraphStyle]:
    """The paragraph styles of a sheet on ``paper`` in the given faces."""
    title, body, heading, sign = (_font(faces[r]) for r in ("title", "body", "heading", "sign"))
    b = paper.body_pt
    return {
        "title": ParagraphStyle("title", fontName=title, fontSize=paper.title_pt,
                                leading=paper.title_pt * 1.5, alignment=TA_CENTER,
                                spaceAfter=b),
        "body": ParagraphStyle("body", fontName=body, fontSize=b, leading=b * 1.75,
                               firstLineIndent=2 * b, alignment=TA_JUSTIFY,
                               wordWrap="CJK"),
        "flush": ParagraphStyle("flush", fontName=body, fontSize=b, leading=b * 1.75,
                                alignment=TA_JUSTIFY, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=body, fontSize=paper.table_pt,
                               leading=paper.table_pt * 1.3, wordWrap="CJK"),
        "head": ParagraphStyle("head", fontName=heading, fontSize=paper.table_pt,
                               leading=paper.table_pt * 1.3, alignment=TA_CENTER,
                               wordWrap="CJK"),
        "right": ParagraphStyle("right", fontName=sign, fontSize=b, leading=b * 1.75,
                                alignment=TA_RIGHT),
        "footer": ParagraphStyle("footer", fontName=body, fontSize=b * 0.8),
        # The township's heading line prints red, as the 版头 of its official papers.
        "masthead": ParagraphStyle("masthead", fontName=title, fontSize=paper.title_pt,
                                   leading=paper.title_pt * 1.4, alignment=TA_CENTER,
                                   textColor=MASTHEAD_RED),
    }


def masthead(text: str, styles: dict[str, ParagraphStyle], paper: Paper) -> list:
    """The red heading line with the red rule under it, or nothing when it is empty."""
    if not text:
        return []
    return [Paragraph(escape(text), styles["masthead"]),
            HRFlowable(width="100%", thickness=1.5, color=MASTHEAD_RED,
                       spaceBefore=paper.body_pt * 0.2, spaceAfter=paper.body_pt * 0.8)]


def _table(rows: list[list[str]], styles: dict[str, ParagraphStyle], width: float) -> LongTable:
    # Columns get width by how much they hold, so 序号 stays narrow and 姓名 readable.
    weights = [max(2, max(len(r[c]) for r in rows[:200])) for c in range(len(rows[0]))]
    total = sum(weights)
    widths = [width * w / total for w in weights]
    cell = styles["cell"]
    room = [w - 12 for w in widths]  # the table's default 6 pt padding on either side

    def fitted(text: str, column: int) -> str | Paragraph:
        # A cell that fits on one line is drawn as a plain string, which lays
        # out many times faster; only longer ones need a wrapping Paragraph.
        if pdfmetrics.stringWidth(text, cell.fontName, cell.fontSize) <= room[column]:
            return text
        return Paragraph(escape(text), cell)

    data: list[list] = [[Paragraph(escape(c), styles["head"]) for c in rows[0]]]
    data += [[fitted(c, n) for n, c in enumerate(r)] for r in rows[1:]]
    table = LongTable(data, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle([
        # Every cell, header too: a table left on its default Helvetica would
        # put an unembedded face into the PDF.
        ("FONT", (0, 0), (-1, -1), cell.fontName, cell.fontSize, cell.leading),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def estimated_pages(sheet: Sheet, paper: str = "A4") -> int:
    """Roughly how many pages the sheet takes, for a progress bar before it is laid out."""
    spec = PAPERS[paper]
    usable = spec.size[1] - 58 * mm
    lines = sum(len(b.rows) * (spec.table_pt * 1.3 + 6) + 8 if b.rows else
                (len(b.text) // 30 + 1) * spec.body_pt * 1.75 for b in sheet.blocks)
    return max(1, round((lines + spec.body_pt * 12) / usable + 0.5))


def render_sheet_pdf(sheet: Sheet, out: Path, paper: str = "A4",
                     faces: dict[str, Face] | None = None,
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Write the sheet to ``out`` (atomically) and return the number of pages.

    ``faces`` overrides the system's choice (tests pin the bundled face so that
    reference images do not depend on the machine's fonts). ``progress(done,
    total)`` is called as each page is finished; ``total`` is an estimate until
    the last call.
    """
    if paper not in PAPERS:
        raise UserError("纸张只能选 A4 或 A3。")
    spec = PAPERS[paper]
    faces = faces or choose_faces()
    styles = paragraph_styles(spec, faces)
    width, height = spec.size
    margins = dict(leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                   bottomMargin=28 * mm)
    flow: list = masthead(sheet.heading, styles, spec)
    text_width = width - margins["leftMargin"] - margins["rightMargin"]
    flow.append(title(sheet.title, styles["title"], faces["title"], text_width))
    for block in sheet.blocks:
        if block.rows:
            flow += [Spacer(1, spec.body_pt * 0.4), _table(block.rows, styles, text_width),
                     Spacer(1, spec.body_pt * 0.6)]
        else:
            flow.append(paragraph(block.text, styles["flush" if block.flush else "body"],
                                  faces["body"]))
    closing: list = []
    for line in (sheet.publicity, sheet.phone_line, sheet.closing):
        if line:
            closing.append(paragraph(line, styles["body"], faces["body"]))
    # Room for the seal above the issuing unit, as on any official paper.
    closing += [Spacer(1, spec.body_pt * 3),
                paragraph(sheet.issuer, styles["right"], faces["sign"]),
                paragraph(sheet.dated, styles["right"], faces["sign"])]
    flow.append(KeepTogether(closing))

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(styles["footer"].fontName, styles["footer"].fontSize)
        canvas.drawCentredString(width / 2, 14 * mm, f"— {doc.page} —")
        if sheet.draft:
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.18))
            canvas.setFont(styles["title"].fontName, width / 9)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, 0, DRAFT_MARK)
        canvas.restoreState()

    with atomic_path(out) as tmp:
        # The canvas starts in Helvetica unless told otherwise, and that face
        # would be listed unembedded in the PDF.
        doc = SimpleDocTemplate(tmp, pagesize=spec.size, title=sheet.title,
                                author=sheet.issuer, initialFontName=styles["body"].fontName,
                                leftMargin=margins["leftMargin"],
                                rightMargin=margins["rightMargin"],
                                topMargin=margins["topMargin"],
                                bottomMargin=margins["bottomMargin"])
        if progress:
            guess = estimated_pages(sheet, paper)
            doc.setProgressCallBack(lambda kind, value: progress(value, max(guess, value + 1))
                                    if kind == "PAGE" else None)
        doc.build(flow, onFirstPage=decorate, onLaterPages=decorate)
    if progress:
        progress(doc.page, doc.page)
    return doc.page
