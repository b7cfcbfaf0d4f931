"""明白纸: plain-language handouts in large type, one A4 or two A5 copies on an A4 sheet.

Laid out the way the handouts counties hold up as examples are: each section
opens with its heading white on a coloured tab, a 办理流程 that lists steps is
drawn as boxes joined by arrows, and a tinted strip along the foot of each copy
carries the QR code, the phone line in large type and the issuing unit. A copy
that will not fit is set in smaller type, step by step, rather than spill over.

The QR code (to the online version, where there is one) is drawn by reportlab
itself, locally: no network and no extra library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    HRFlowable,
    KeepInFrame,
    PageTemplate,
    Spacer,
)

from app.atomic import atomic_path
from app.errors import UserError
from app.printing import typeset
from app.printing.fonts import Face, choose_faces
from app.printing.pdf_fonts import register, width
from app.printing.qr import BORDER, dark_runs, qr_modules
from app.printing.sheet import DRAFT_MARK, HandoutSection, Sheet, handout_sections
from app.printing.sheet_pdf import MASTHEAD_RED, Paper, paragraph_styles
from app.printing.steps import find_flow, is_procedure

#: Type sizes for a handout: larger than a notice, because it is read in the hand by
#: people of every age; the A5 half-sheet keeps them readable.
HANDOUT = Paper("A4", A4, 26, 17, 14)
HALF = Paper("A5", (A4[1] / 2, A4[0]), 20, 13, 11)

#: How far the type may step down to keep a copy on its sheet (0.7 of 17 pt is
#: still 12 pt on A4). Past the last step an A4 copy runs on to a second page
#: and an A5 copy is scaled to its half, so no word is ever cut off.
SCALES = tuple(round(1 - 0.03 * k, 2) for k in range(11))

#: The tab, box and arrow colour: the deep red of official papers, dark enough
#: that white type on it still reads when a black-and-white printer makes it grey.
ACCENT = colors.Color(0.66, 0.09, 0.09)
#: Step boxes and the footer strip: a tint that prints as the palest grey.
TINT = colors.Color(0.99, 0.93, 0.91)


class QrCode(Flowable):
    """A QR code of ``size`` points square, drawn as one filled path of dark runs."""

    def __init__(self, url: str, size: float) -> None:
        super().__init__()
        self.url, self.size = url, size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """It takes its own size, whatever room there is."""
        return self.size, self.size

    def draw(self) -> None:
        """Draw the dark runs on white (PDF y grows upwards, rows grow downwards)."""
        canvas = self.canv
        canvas.saveState()
        # The quiet zone must be light for a phone to find the code, tint or no tint.
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        box = self.size / (len(qr_modules(self.url)) + 2 * BORDER)
        path = canvas.beginPath()
        for row, column, length in dark_runs(self.url):
            path.rect(column * box, self.size - (row + 1) * box, length * box, box)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


@dataclass(frozen=True)
class Look:
    """The styles and faces of one copy at one type size."""

    paper: Paper
    faces: dict[str, Face]
    styles: dict[str, ParagraphStyle]


def _look(paper: Paper, faces: dict[str, Face]) -> Look:
    styles = paragraph_styles(paper, faces)
    b = paper.body_pt
    body, heading, sign = (register(faces[r]) for r in ("body", "heading", "sign"))
    styles["band"] = ParagraphStyle("band", fontName=heading, fontSize=b * 1.12,
                                    leading=b * 1.4, textColor=colors.white, wordWrap="CJK")
    styles["text"] = styles["body"].clone("text", firstLineIndent=0, leading=b * 1.6,
                                          spaceAfter=b * 0.15)
    styles["step"] = ParagraphStyle("step", fontName=body, fontSize=b, leading=b * 1.3,
                                    alignment=TA_CENTER, wordWrap="CJK")
    styles["badge"] = ParagraphStyle("badge", fontName=heading, fontSize=b * 0.7,
                                     leading=b * 0.8, alignment=TA_CENTER,
                                     textColor=colors.white)
    styles["phone"] = ParagraphStyle("phone", fontName=heading, fontSize=b * 1.3,
                                     leading=b * 1.65, textColor=ACCENT, alignment=TA_LEFT,
                                     wordWrap="CJK")
    styles["issuer"] = ParagraphStyle("issuer", fontName=sign, fontSize=b, leading=b * 1.5,
                                      wordWrap="CJK")
    styles["caption"] = styles["cell"].clone("caption", alignment=TA_CENTER)
    return Look(paper, faces, styles)


class Band(Flowable):
    """A section heading, white on a coloured tab, with a rule of the tab's colour after it."""

    def __init__(self, text: str, look: Look) -> None:
        super().__init__()
        self.look = look
        style = look.styles["band"]
        self.pad = style.fontSize * 0.45
        self.text = typeset.paragraph(text, style, look.faces["heading"])
        self.natural = width(text, look.faces["heading"], style.fontSize) + 1
        self.spaceBefore = look.paper.body_pt * 0.55
        self.spaceAfter = look.paper.body_pt * 0.3

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """As wide as the copy; as tall as the heading and its padding."""
        self.width = available_width
        self.tab = min(available_width, self.natural + 2 * self.pad)
        _, text_height = self.text.wrap(self.tab - 2 * self.pad, available_height)
        self.height = text_height + self.pad * 0.9
        return available_width, self.height

    def draw(self) -> None:
        """The tab, the rule along the foot of it, and the heading."""
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.setStrokeColor(ACCENT)
        canvas.rect(0, 0, self.tab, self.height, stroke=0, fill=1)
        canvas.setLineWidth(1.6)
        canvas.line(self.tab, 0.8, self.width, 0.8)
        canvas.restoreState()
        self.text.drawOn(canvas, self.pad, self.pad * 0.45)


class StepFlow(Flowable):
    """Steps in numbered rounded boxes with arrows between, in as few rows as read well.

    A row holds as many boxes as keep every step to three lines; a flow that
    wraps joins the end of one row to the start of the next with a bent arrow,
    and steps too long for any row stand one under another.
    """

    def __init__(self, steps: tuple[str, ...], look: Look, tallest: float,
                 first: int = 1) -> None:
        super().__init__()
        self.look, self.steps, self.tallest, self.first = look, steps, tallest, first
        style = look.styles["step"]
        self.size = style.fontSize
        self.texts = [typeset.paragraph(s, style, look.faces["body"]) for s in steps]
        self.badges = [typeset.paragraph(str(n), look.styles["badge"], look.faces["heading"])
                       for n in range(first, first + len(steps))]
        self.arrow = self.size * 1.9
        self.pad = self.size * 0.5
        self.gap = self.size * 1.8  # between rows, for the bent arrow
        self.badge = self.size * 0.55  # the number's circle, half above the box
        self.spaceBefore = self.size * 0.5
        self.spaceAfter = self.size * 0.4

    def _layout(self, available: float) -> tuple[int, float, list[float]]:
        """Boxes per row, box width and the height of each row's boxes.

        The fewest rows that keep every step to three lines; when no layout
        does, the one that takes least height.
        """
        n = len(self.texts)
        tried: list[tuple[int, float, list[float]]] = []
        for rows in range(1, n + 1):
            per_row = math.ceil(n / rows)
            if tried and per_row == tried[-1][0]:
                continue
            box = (available - (per_row - 1) * self.arrow) / per_row
            inner = box - 2 * self.pad
            # Narrower than four characters, even 「入户调查」 breaks: a row too many.
            if inner < self.size * 4 and per_row > 1:
                continue
            heights = [t.wrap(inner, 1e6)[1] for t in self.texts]
            row_heights = [max(heights[r * per_row:(r + 1) * per_row]) + 2 * self.pad
                           for r in range(math.ceil(n / per_row))]
            tried.append((per_row, box, row_heights))
            if max(heights) <= self.look.styles["step"].leading * 3.05:
                return tried[-1]
        return min(tried, key=lambda t: sum(t[2]) + (len(t[2]) - 1) * self.gap)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """As wide as the copy; as tall as its rows of boxes."""
        self.width = available_width
        self.per_row, self.box, self.rows = self._layout(available_width)
        self.height = sum(self.rows) + len(self.rows) * self.badge / 2 \
            + (len(self.rows) - 1) * self.gap
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """The rows that fit here, and the rest for the next page.

        A step so long that its box outgrows a whole page (``tallest``) is
        set as numbered lines instead, which can break across pages.
        """
        self.wrap(available_width, available_height)
        fit, used = 0, 0.0
        for r, row_height in enumerate(self.rows):
            used += row_height + self.badge / 2 + (self.gap if r else 0)
            if used > available_height:
                break
            fit += 1
        if fit == 0:
            if self.rows[0] + self.badge / 2 <= self.tallest:
                return []  # the first row goes to the top of the next page
            style, face = self.look.styles["text"], self.look.faces["body"]
            lines = [typeset.paragraph(f"{n}. {step}", style, face)
                     for n, step in enumerate(self.steps, self.first)]
            # What a split returns must start with something that fits here.
            head = lines[0].split(available_width, available_height)
            return head + lines[1:] if head else []
        if fit == len(self.rows):
            return [self]
        k = fit * self.per_row
        return [StepFlow(self.steps[:k], self.look, self.tallest, self.first),
                StepFlow(self.steps[k:], self.look, self.tallest, self.first + k)]

    def _arrow_head(self, x: float, y: float, dx: float, dy: float) -> None:
        head = self.size * 0.5
        path = self.canv.beginPath()
        path.moveTo(x, y)
        path.lineTo(x - dx * head - dy * head * 0.6, y - dy * head + dx * head * 0.6)
        path.lineTo(x - dx * head + dy * head * 0.6, y - dy * head - dx * head * 0.6)
        path.close()
        self.canv.drawPath(path, stroke=0, fill=1)

    def draw(self) -> None:
        """Boxes, numbers, texts and arrows, row by row from the top."""
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(max(1.2, self.size * 0.09))
        top = self.height
        for r, row_height in enumerate(self.rows):
            top -= self.badge / 2
            bottom = top - row_height
            first = r * self.per_row
            for k, n in enumerate(range(first, min(first + self.per_row, len(self.texts)))):
                x = k * (self.box + self.arrow)
                canvas.setFillColor(TINT)
                canvas.roundRect(x, bottom, self.box, row_height, self.size * 0.45,
                                 stroke=1, fill=1)
                # The number first, so that text read out of the file says 「1 申请」.
                # A circle for 1 to 9, a pill wide enough for 10 and on.
                number = str(self.first + n)
                wide = max(2 * self.badge, self.badge + width(
                    number, self.look.faces["heading"], self.look.styles["badge"].fontSize))
                left, cy = x + self.pad * 0.4, top
                canvas.setFillColor(ACCENT)
                canvas.roundRect(left, cy - self.badge, wide, 2 * self.badge, self.badge,
                                 stroke=0, fill=1)
                badge = self.badges[n]
                _, bh = badge.wrap(wide, self.badge * 2)
                badge.drawOn(canvas, left, cy - bh / 2 - self.size * 0.05)
                text = self.texts[n]
                _, h = text.wrap(self.box - 2 * self.pad, row_height)
                text.drawOn(canvas, x + self.pad, bottom + (row_height - h) / 2)
                if k + 1 < self.per_row and n + 1 < len(self.texts):
                    y = bottom + row_height / 2
                    start, end = x + self.box + self.size * 0.25, x + self.box + self.arrow \
                        - self.size * 0.2
                    canvas.line(start, y, end - self.size * 0.4, y)
                    self._arrow_head(end, y, 1, 0)
            if r + 1 < len(self.rows):
                last = min(first + self.per_row, len(self.texts)) - 1 - first
                x_from = last * (self.box + self.arrow) + self.box / 2
                x_to = self.box / 2
                mid = bottom - self.gap / 2
                next_top = bottom - self.gap
                path = canvas.beginPath()
                path.moveTo(x_from, bottom)
                path.lineTo(x_from, mid)
                path.lineTo(x_to, mid)
                path.lineTo(x_to, next_top + self.size * 0.45)
                canvas.drawPath(path, stroke=1, fill=0)
                canvas.setFillColor(ACCENT)
                self._arrow_head(x_to, next_top, 0, -1)
                top = next_top
        canvas.restoreState()


class FooterStrip(Flowable):
    """The tinted strip along the foot of a copy: QR code, phone line, issuing unit, date."""

    def __init__(self, sheet: Sheet, phones: list[str], qr_url: str, look: Look) -> None:
        super().__init__()
        b = look.paper.body_pt
        styles, faces = look.styles, look.faces
        self.pad = b * 0.6
        self.code = QrCode(qr_url, b * 5.2) if qr_url else None
        self.caption = None
        if self.code and sheet.qr_caption:
            # One line under the code: a caption broken in two reads as two notes.
            room = self.code.size + self.pad * 0.8
            size = min(look.paper.table_pt,
                       look.paper.table_pt * room / width(sheet.qr_caption, faces["body"],
                                                          look.paper.table_pt))
            style = styles["caption"].clone("fitted", fontSize=size, leading=size * 1.35)
            self.caption = typeset.paragraph(sheet.qr_caption, style, faces["body"])
        self.lines = [typeset.paragraph(p, styles["phone"], faces["heading"]) for p in phones]
        signed = "　".join(t for t in (sheet.issuer, sheet.dated) if t)
        if signed:
            self.lines.append(typeset.paragraph(signed, styles["issuer"], faces["sign"]))
        self.spaceBefore = b * 0.6

    def _left(self) -> float:
        return self.code.size + 2 * self.pad if self.code else self.pad * 1.5

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """As wide as the copy; as tall as the code and its caption, or the lines if taller."""
        self.width = available_width
        room = available_width - self._left() - self.pad * 1.5
        self.text_height = sum(p.wrap(room, available_height)[1] for p in self.lines)
        code = 0.0
        if self.code:
            code = self.code.size + (self.caption.wrap(self.code.size + self.pad, 1e6)[1]
                                     if self.caption else 0)
        self.height = max(code, self.text_height) + 2 * self.pad
        return available_width, self.height

    def draw(self) -> None:
        """The tint, then the code at the left and the lines beside it, centred on the strip."""
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(TINT)
        canvas.setStrokeColor(ACCENT)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setLineWidth(1.6)  # the rule of the section tabs, closing the copy
        canvas.line(0, self.height, self.width, self.height)
        canvas.restoreState()
        if self.code:
            caption_height = self.caption.wrap(self.code.size + self.pad, 1e6)[1] \
                if self.caption else 0
            block = self.code.size + caption_height
            y = (self.height - block) / 2 + caption_height
            self.code.drawOn(canvas, self.pad, y)
            if self.caption:
                self.caption.drawOn(canvas, self.pad / 2, y - caption_height)
        y = (self.height + self.text_height) / 2
        room = self.width - self._left() - self.pad * 1.5
        for line in self.lines:
            _, h = line.wrap(room, self.height)
            y -= h
            line.drawOn(canvas, self._left(), y)


def _section(section: HandoutSection, look: Look, tallest: float) -> list[Flowable]:
    flow: list[Flowable] = [Band(section.heading, look)] if section.heading else []
    text = look.styles["text"]
    face = look.faces["body"]
    steps = find_flow("\n".join(section.lines), is_procedure(section.heading))
    if steps is None:
        return flow + [typeset.paragraph(line, text, face) for line in section.lines]
    flow += [typeset.paragraph(line, text, face) for line in steps.lead.splitlines()
             if line.strip()]
    flow.append(StepFlow(steps.steps, look, tallest))
    if steps.tail:
        flow += [typeset.paragraph(line, text, face) for line in steps.tail.splitlines()
                 if line.strip()]
    return flow


def _content(sheet: Sheet, look: Look, frame: tuple[float, float]) -> list[Flowable]:
    styles, faces = look.styles, look.faces
    flow: list[Flowable] = []
    if sheet.heading:
        flow += [typeset.paragraph(sheet.heading, styles["masthead"], faces["title"]),
                 HRFlowable(width="100%", thickness=1.5, color=MASTHEAD_RED,
                            spaceBefore=look.paper.body_pt * 0.2,
                            spaceAfter=look.paper.body_pt * 0.6)]
    title = styles["title"].clone("handout-title", spaceAfter=look.paper.body_pt * 0.4)
    flow.append(typeset.title(sheet.title, title, faces["title"], frame[0]))
    sections, _ = handout_sections(sheet)
    for section in sections:
        flow += _section(section, look, frame[1])
    if sheet.closing:
        flow.append(typeset.paragraph(sheet.closing, styles["text"], faces["body"]))
    return flow


def _height(flow: list[Flowable], frame_width: float, frame_height: float) -> float:
    """What ``flow`` takes in a frame, spaced as reportlab's Frame spaces it.

    The frame drops the space before its first flowable and lets the space
    after one flowable and before the next overlap, the larger counting.
    """
    total, after = 0.0, None
    for flowable in flow:
        total += flowable.wrap(frame_width, frame_height)[1]
        if after is not None:
            total += max(flowable.getSpaceBefore() - after, 0)
        after = flowable.getSpaceAfter()
        total += after
    return total


def copy_flow(sheet: Sheet, paper: Paper, faces: dict[str, Face], qr_url: str,
              frame: tuple[float, float]) -> tuple[list[Flowable], bool]:
    """One copy's flowables at the largest type that fits ``frame`` (width, height).

    The footer strip is pushed to the foot of the frame. The flag says whether
    it fits: when even the smallest type does not, the flow is returned at that
    size and the caller decides between a second page and scaling.
    """
    frame_width, frame_height = frame
    _, phones = handout_sections(sheet)
    for scale in SCALES:
        look = _look(replace(paper, title_pt=paper.title_pt * scale,
                             body_pt=paper.body_pt * scale, table_pt=paper.table_pt * scale),
                     faces)
        content = _content(sheet, look, frame)
        footer = FooterStrip(sheet, phones, qr_url, look)
        used = _height(content + [Spacer(1, 0), footer], frame_width, frame_height)
        if used <= frame_height:
            return content + [Spacer(1, frame_height - used - 1), footer], True
    return content + [footer], False


def render_handout_pdf(sheet: Sheet, out: Path, copies_per_sheet: int = 1,
                       qr_url: str = "", faces: dict[str, Face] | None = None) -> int:
    """Write a 明白纸 as PDF: one A4, or two A5 copies side by side on A4 for cutting."""
    if copies_per_sheet not in (1, 2):
        raise UserError("每张纸只能印一份或两份。")
    faces = faces or choose_faces()
    two = copies_per_sheet == 2
    page = landscape(A4) if two else A4
    page_width, page_height = page
    margin = 12 * mm if two else 16 * mm
    half = page_width / 2 if two else page_width
    frame_width, frame_height = half - 2 * margin, page_height - 2 * margin
    frames = [Frame(n * half + margin, margin, frame_width, frame_height, id=f"copy{n}",
                    leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
              for n in range(copies_per_sheet)]
    paper = HALF if two else HANDOUT
    styles = paragraph_styles(paper, faces)

    def decorate(canvas: object, doc: BaseDocTemplate) -> None:
        if two:  # a dashed line to cut along
            canvas.saveState()  # type: ignore[attr-defined]
            canvas.setDash(4, 4)  # type: ignore[attr-defined]
            canvas.line(page_width / 2, 8 * mm, page_width / 2, page_height - 8 * mm)  # type: ignore
            canvas.restoreState()  # type: ignore[attr-defined]

    def draft_mark(canvas: object, doc: BaseDocTemplate) -> None:
        # Over the page, not under it: the tinted boxes and strip would hide it.
        if not sheet.draft:
            return
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFillColorRGB(0.8, 0.1, 0.1, alpha=0.18)  # type: ignore[attr-defined]
        canvas.setFont(styles["title"].fontName, half / 9)  # type: ignore[attr-defined]
        for n in range(copies_per_sheet):
            canvas.saveState()  # type: ignore[attr-defined]
            canvas.translate(n * half + half / 2, page_height / 2)  # type: ignore
            canvas.rotate(45)  # type: ignore[attr-defined]
            canvas.drawCentredString(0, 0, DRAFT_MARK)  # type: ignore[attr-defined]
            canvas.restoreState()  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    flow: list = []
    for n in range(copies_per_sheet):
        content, fits = copy_flow(sheet, paper, faces, qr_url, (frame_width, frame_height))
        if two and not fits:
            # A copy must stay on its half: scale a very long handout down rather
            # than let it run into the other copy.
            content = [KeepInFrame(frame_width, frame_height, content, mode="shrink")]
        elif not fits:
            # Running on to another page: never a heading alone at the foot of one.
            # (keepWithNext would carry a flow longer than a page over whole,
            # leaving the first page blank.)
            content = [item for f in content for item in
                       ([CondPageBreak(paper.body_pt * 7), f] if isinstance(f, Band) else [f])]
        flow += content
        if n + 1 < copies_per_sheet:
            flow.append(FrameBreak())
    with atomic_path(out) as tmp:
        doc = BaseDocTemplate(tmp, pagesize=page, title=sheet.title, author=sheet.issuer,
                              initialFontName=styles["body"].fontName)
        doc.addPageTemplates([PageTemplate(id="handout", frames=frames, onPage=decorate,
                                           onPageEnd=draft_mark)])
        doc.build(flow)
    return doc.page
