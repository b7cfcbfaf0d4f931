"""Board sheets as PDF (reportlab), laid out after GB/T 9704 and readable from a step back.

Every face is embedded as a subset, so the sheet prints the same on any PC.
名单 tables take their column widths from their cells (app.printing.table_layout)
and break across pages with the header row repeated and no row split; the
closing never stands alone on a page (app.printing.keeping); an unapproved
sheet carries a diagonal 草稿 未经审核 on every page.
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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph

from app.atomic import atomic_path
from app.errors import UserError
from app.printing import table_layout, typeset
from app.printing.fonts import Face, choose_faces
from app.printing.keeping import KeepWithClosing
from app.printing.linebreak import rules
from app.printing.pdf_fonts import face_for, register
from app.printing.sheet import DRAFT_MARK, Sheet
from app.printing.table_layout import SheetPlan, TableLayout
from app.printing.typeset import paragraph, title


@dataclass(frozen=True)
class Paper:
    """A paper size with the type sizes that read well on it from a step back.

    A table starts at the first of ``table_steps`` (on a sheet, the body
    size) and steps down only as far as its columns need; ``table_pt``, the
    last step, is the floor still legible on a board from a step back (小四
    on A4, 三号 on A3). Without steps a table prints at ``table_pt``.
    """

    name: str
    size: tuple[float, float]
    title_pt: float
    body_pt: float
    table_pt: float
    table_steps: tuple[float, ...] = ()

    @property
    def steps(self) -> tuple[float, ...]:
        """The sizes a table may take, largest first."""
        return self.table_steps or (self.table_pt,)

    def margins(self, landscape: bool = False) -> tuple[float, float, float, float]:
        """Left, right, top and bottom margin in points: GB/T 9704's 156 × 225 mm block on A4.

        A3 is an A4 sheet enlarged, margins and all. A landscape page turns
        the block with the page, as a 横排表格 is turned (its top at the
        portrait page's left edge).
        """
        scale = self.size[0] / A4[0]
        left, right, top, bottom = (m * mm * scale for m in GBT9704_MARGINS_MM)
        return (top, bottom, right, left) if landscape else (left, right, top, bottom)


#: GB/T 9704-2012 on A4: 天头 37 mm, 订口 28 mm, text block 156 × 225 mm.
GBT9704_MARGINS_MM = (28.0, 26.0, 37.0, 35.0)

PAPERS = {
    "A4": Paper("A4", A4, 22, 16, 12, (16, 15, 14, 12)),
    "A3": Paper("A3", A3, 30, 22, 16, (22, 18, 16)),
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


def _lacking(rows: list[list[str]], face: Face) -> set[str]:
    """The characters of ``rows`` that ``face`` does not print itself (a fallback face must)."""
    chars = {ch for row in rows for cell in row for ch in cell}
    return {ch for ch in chars if face_for(ch, face) not in (face, None)}


def _table(rows: list[list[str]], styles: dict[str, ParagraphStyle], faces: dict[str, Face],
           layout: TableLayout) -> LongTable:
    """A 名单 at the size and column widths ``layout`` measured from its cells."""
    size, pad = layout.size, layout.padding
    cell = ParagraphStyle("cell-sized", parent=styles["cell"], fontSize=size, leading=size * 1.3)
    head = ParagraphStyle("head-sized", parent=styles["head"], fontSize=size, leading=size * 1.3)
    lacking = {"heading": _lacking(rows[:1], faces["heading"]),
               "body": _lacking(rows[1:], faces["body"])}

    def fitted(text: str, column: int, face: Face, style: ParagraphStyle,
               header: bool) -> str | Flowable | list[Flowable]:
        # Plain strings lay out many times faster than Paragraphs; only a cell
        # with characters its face lacks, or prose, needs one.
        room = layout.widths[column] - 2 * pad
        plain = not lacking["heading" if header else "body"].intersection(text)
        if table_layout.measure(text, face, size) <= room:
            return text if plain else typeset.paragraph(text, style, face)
        lines = table_layout.lines(text, face, size, room, header)
        if lines is None:
            return typeset.paragraph(text, style, face)
        if plain:
            return "\n".join(lines)
        return [typeset.paragraph(line, style, face) for line in lines]

    # Columns of one-line cells (序号, 姓名, numbers, villages) are centred, as
    # a 名单 is typed in Word; a column that wraps reads better flush left.
    centred = {c for c in range(len(rows[0])) if all(
        table_layout.measure(r[c], faces["body"], size) <= layout.widths[c] - 2 * pad
        for r in rows[1:])}
    middle = ParagraphStyle("cell-centred", parent=cell, alignment=TA_CENTER)
    data: list[list] = [[fitted(c, n, faces["heading"], head, True)
                         for n, c in enumerate(rows[0])]]
    data += [[fitted(c, n, faces["body"], middle if n in centred else cell, False)
              for n, c in enumerate(r)] for r in rows[1:]]
    table = LongTable(data, colWidths=list(layout.widths), repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle([*(("ALIGN", (c, 1), (c, -1), "CENTER") for c in centred),
        # Every cell, header too: a table left on its default Helvetica would
        # put an unembedded face into the PDF.
        ("FONT", (0, 0), (-1, -1), cell.fontName, size, cell.leading),
        ("FONT", (0, 0), (-1, 0), head.fontName, size, head.leading),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def plan_tables(sheet: Sheet, paper: Paper, faces: dict[str, Face]) -> SheetPlan:
    """The size, column widths and page turn of the sheet's tables (the DOCX uses the same)."""
    text_width = [paper.size[0] - sum(paper.margins()[:2]),
                  paper.size[1] - sum(paper.margins(landscape=True)[:2])]
    return table_layout.plan_sheet([b.rows for b in sheet.blocks if b.rows], faces["body"],
                                   faces["heading"], paper.steps,
                                   text_width[0], text_width[1])


def estimated_pages(sheet: Sheet, paper: str = "A4") -> int:
    """Roughly how many pages the sheet takes, for a progress bar before it is laid out."""
    spec = PAPERS[paper]
    _left, _right, top, bottom = spec.margins()
    usable = spec.size[1] - top - bottom
    lines = sum(len(b.rows) * (spec.table_pt * 1.3 + 6) + 8 if b.rows else
                (len(b.text) // 30 + 1) * spec.body_pt * 1.75 for b in sheet.blocks)
    return max(1, round((lines + spec.body_pt * 12) / usable + 0.5))


@dataclass
class SheetLayout:
    """A sheet laid out for one page size: its flowables, the page and the text block.

    The board sheet itself (:func:`render_sheet_pdf`) and the 佐证材料 file, which
    prints the sheet among its other pages, build the same flowables.
    """

    flow: list
    pagesize: tuple[float, float]
    margins: tuple[float, float, float, float]  # left, right, top, bottom
    styles: dict[str, ParagraphStyle]
    notes: tuple[str, ...]


def layout_sheet(sheet: Sheet, paper: str = "A4",
                 faces: dict[str, Face] | None = None) -> SheetLayout:
    """The sheet's flowables on ``paper`` (turned to landscape if its tables need it)."""
    if paper not in PAPERS:
        raise UserError("纸张只能选 A4 或 A3。")
    spec = PAPERS[paper]
    faces = faces or choose_faces()
    styles = paragraph_styles(spec, faces)
    plan = plan_tables(sheet, spec, faces)
    width, height = (spec.size[1], spec.size[0]) if plan.landscape else spec.size
    left, right, top, bottom = spec.margins(plan.landscape)
    flow: list = masthead(sheet.heading, styles, spec)
    text_width = width - left - right
    flow.append(title(sheet.title, styles["title"], faces["title"], text_width))
    first_body = len(flow)
    layouts = iter(plan.tables)
    for block in sheet.blocks:
        if block.rows:
            table = _table(block.rows, styles, faces, next(layouts))
            flow += [Spacer(1, spec.body_pt * 0.4), table, Spacer(1, spec.body_pt * 0.6)]
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
    flow = _with_closing(flow, first_body, closing, text_width)
    return SheetLayout(flow, (width, height), (left, right, top, bottom), styles,
                       tuple(plan.notes))


def draw_draft_mark(canvas: Canvas, font: str, width: float, height: float) -> None:
    """The diagonal 草稿 未经审核 across a page of ``width`` × ``height``."""
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.18))
    canvas.setFont(font, min(width, height) / 9)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, 0, DRAFT_MARK)
    canvas.restoreState()


def render_sheet_pdf(sheet: Sheet, out: Path, paper: str = "A4",
                     faces: dict[str, Face] | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     notes: list[str] | None = None) -> int:
    """Write the sheet to ``out`` (atomically) and return the number of pages.

    ``faces`` overrides the system's choice (tests pin the bundled face so that
    reference images do not depend on the machine's fonts). ``progress(done,
    total)`` is called as each page is finished; ``total`` is an estimate until
    the last call. ``notes`` receives a sentence for the clerk on anything
    done to make the tables fit (set smaller, turned to landscape).
    """
    laid = layout_sheet(sheet, paper, faces)
    if notes is not None:
        notes.extend(laid.notes)
    styles = laid.styles
    width, height = laid.pagesize
    left, right, top, bottom = laid.margins
    text_width = width - left - right

    def decorate(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        footer = styles["footer"]
        canvas.setFont(footer.fontName, footer.fontSize)
        # GB/T 9704: the page number sits 7 mm under the text block.
        canvas.drawCentredString(width / 2, bottom - 7 * mm - footer.fontSize * 0.8,
                                 f"— {doc.page} —")
        canvas.restoreState()
        if sheet.draft:
            draw_draft_mark(canvas, styles["title"].fontName, width, height)

    with atomic_path(out) as tmp:
        # The canvas starts in Helvetica unless told otherwise, and that face
        # would be listed unembedded in the PDF.
        doc = BaseDocTemplate(tmp, pagesize=(width, height), title=sheet.title,
                              author=sheet.issuer, initialFontName=styles["body"].fontName,
                              leftMargin=left, rightMargin=right, topMargin=top,
                              bottomMargin=bottom)
        # No frame padding: the frame is the text block itself, edge to edge.
        frame = Frame(left, bottom, text_width, height - top - bottom, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate("sheet", [frame], onPage=decorate)])
        if progress:
            guess = estimated_pages(sheet, paper)
            doc.setProgressCallBack(lambda kind, value: progress(value, max(guess, value + 1))
                                    if kind == "PAGE" else None)
        doc.build(laid.flow)
    if progress:
        progress(doc.page, doc.page)
    return doc.page


def _with_closing(flow: list, first_body: int, closing: list, text_width: float) -> list:
    """``flow`` with ``closing`` joined to its end so that it never stands alone on a page.

    The last paragraph or table (body starts at ``flow[first_body]``) is kept
    with the closing: its last lines or rows go over with it. A last paragraph
    of a single line goes over whole, with the tail of the one before it.
    """
    def last_body(end: int) -> int:
        while end > first_body and isinstance(flow[end - 1], Spacer):
            end -= 1
        return end - 1

    at = last_body(len(flow))
    if at < first_body:
        return [*flow, KeepTogether(closing)]
    leading = getattr(getattr(flow[at], "style", None), "leading", 0)
    if leading and last_body(at) >= first_body:
        _w, h = flow[at].wrap(text_width, 1e6)
        if h < 1.5 * leading:
            at = last_body(at)
    return [*flow[:at], KeepWithClosing(flow[at], [*flow[at + 1:], *closing])]
