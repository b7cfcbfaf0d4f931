"""明白纸: plain-language handouts in large type, one A4 or two A5 copies on an A4 sheet.

The QR code (to the online version, where there is one) is drawn by reportlab
itself, locally: no network and no extra library.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepInFrame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from app.atomic import atomic_path
from app.errors import UserError
from app.printing.fonts import Face, choose_faces
from app.printing.qr import BORDER, dark_runs, qr_modules
from app.printing.sheet import DRAFT_MARK, Sheet, handout_parts
from app.printing.sheet_pdf import Paper, masthead, paragraph_styles
from app.printing.typeset import paragraph, title

#: Type sizes for a handout: larger than a notice, because it is read in the hand by
#: people of every age; the A5 half-sheet keeps them readable.
HANDOUT = Paper("A4", A4, 26, 17, 14)
HALF = Paper("A5", (A4[1] / 2, A4[0]), 20, 13, 11)


class QrCode(Flowable):
    """A QR code of ``size`` points square, drawn as one filled path of dark runs."""

    def __init__(self, url: str, size: float) -> None:
        super().__init__()
        self.url, self.size = url, size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """It takes its own size, whatever room there is."""
        return self.size, self.size

    def draw(self) -> None:
        """Draw the dark runs (PDF y grows upwards, rows grow downwards)."""
        box = self.size / (len(qr_modules(self.url)) + 2 * BORDER)
        path = self.canv.beginPath()
        for row, column, length in dark_runs(self.url):
            path.rect(column * box, self.size - (row + 1) * box, length * box, box)
        self.canv.drawPath(path, stroke=0, fill=1)


def _flow(sheet: Sheet, paper: Paper, faces: dict[str, Face], qr_url: str) -> list:
    styles = paragraph_styles(paper, faces)
    heading = styles["head"].clone("section", fontSize=paper.body_pt, leading=paper.body_pt * 1.6,
                                   alignment=0, spaceBefore=paper.body_pt * 0.3)
    body = styles["body"].clone("handout", firstLineIndent=0)
    flow: list = masthead(sheet.heading, styles, paper)
    # The frame it lands in narrows the title further when it is laid out.
    flow.append(title(sheet.title, styles["title"], faces["title"], paper.size[0]))
    for section, text in handout_parts(sheet):
        if section:
            flow.append(paragraph(section, heading, faces["heading"]))
        if text:
            flow.append(paragraph(text, body, faces["body"]))
    if sheet.phone_line:
        flow.append(paragraph(sheet.phone_line, heading, faces["heading"]))
    if sheet.closing:
        flow.append(paragraph(sheet.closing, body, faces["body"]))
    tail = [paragraph(sheet.issuer, styles["right"], faces["sign"]),
            paragraph(sheet.dated, styles["right"], faces["sign"])]
    if qr_url:
        code = QrCode(qr_url, paper.body_pt * 5)
        note = Paragraph(escape(sheet.qr_caption), styles["cell"])
        table = Table([[[code, note], tail]], colWidths=[paper.body_pt * 8.5, None],
                      style=[("FONT", (0, 0), (-1, -1), styles["cell"].fontName)])
        flow += [Spacer(1, paper.body_pt), table]
    else:
        flow += [Spacer(1, paper.body_pt)] + tail
    return flow


def render_handout_pdf(sheet: Sheet, out: Path, copies_per_sheet: int = 1,
                       qr_url: str = "", faces: dict[str, Face] | None = None) -> int:
    """Write a 明白纸 as PDF: one A4, or two A5 copies side by side on A4 for cutting."""
    if copies_per_sheet not in (1, 2):
        raise UserError("每张纸只能印一份或两份。")
    faces = faces or choose_faces()
    two = copies_per_sheet == 2
    page = landscape(A4) if two else A4
    width, height = page
    margin = 12 * mm if two else 20 * mm
    half = width / 2 if two else width
    frames = [Frame(n * half + margin, margin, half - 2 * margin, height - 2 * margin,
                    id=f"copy{n}") for n in range(copies_per_sheet)]
    paper = HALF if two else HANDOUT
    styles = paragraph_styles(paper, faces)

    def decorate(canvas: object, doc: BaseDocTemplate) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        if two:  # a dashed line to cut along
            canvas.setDash(4, 4)  # type: ignore[attr-defined]
            canvas.line(width / 2, 8 * mm, width / 2, height - 8 * mm)  # type: ignore
        if sheet.draft:
            canvas.setFillColorRGB(0.8, 0.1, 0.1, alpha=0.18)  # type: ignore[attr-defined]
            canvas.setFont(styles["title"].fontName, half / 9)  # type: ignore[attr-defined]
            for n in range(copies_per_sheet):
                canvas.saveState()  # type: ignore[attr-defined]
                canvas.translate(n * half + half / 2, height / 2)  # type: ignore
                canvas.rotate(45)  # type: ignore[attr-defined]
                canvas.drawCentredString(0, 0, DRAFT_MARK)  # type: ignore[attr-defined]
                canvas.restoreState()  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    flow: list = []
    for n in range(copies_per_sheet):
        content = _flow(sheet, paper, faces, qr_url)
        if two:
            # Each copy must fit its half: shrink a long handout rather than let it
            # run into the other copy.
            content = [KeepInFrame(half - 2 * margin, height - 2 * margin, content,
                                   mode="shrink")]
        flow += content
        if n + 1 < copies_per_sheet:
            flow.append(FrameBreak())
    with atomic_path(out) as tmp:
        doc = BaseDocTemplate(tmp, pagesize=page, title=sheet.title, author=sheet.issuer,
                              initialFontName=styles["body"].fontName)
        doc.addPageTemplates([PageTemplate(id="handout", frames=frames, onPage=decorate)])
        doc.build(flow)
    return doc.page


