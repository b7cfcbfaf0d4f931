"""佐证材料: one PDF of a year's (or a quarter's) records, sorted by the county's indicators.

The county asks for 佐证材料 before each assessment. This module writes it in
one step: a cover, a 目录 with page numbers, PDF bookmarks by the rules file's
sections and indicators, and under each indicator the material it concerns
(:data:`app.assessment.assess.COUNTERS` names the kind of record each counter
reads): for a notice, its 审批单, the sheet as printed, the photos of its
postings and the county's URL; for 依申请公开, each case's register entry,
letters and files; the annual report's figures; the 整改 records; the plan of
the year. A piece of material prints once, under the first indicator that wants
it; a later indicator lists what its deductions name, with the page to turn to.

Everything is one reportlab document, so each face is embedded once (as a
subset) for the whole file. Page numbers the 目录 needs before the pages exist
are PDF forms filled in when the file is saved (the page number of a page
printed later is drawn by reference). Photos are shrunk to print quality
first (:data:`PHOTO_SIDE`, :data:`PHOTO_QUALITY`), in a scratch folder, so
that a year of hundreds of photos stays a file that can be emailed. The file
is written beside its name and renamed when whole (:func:`app.atomic.atomic_path`):
a failure, a cancel (``report`` raising) or a killed process leaves no file
under the chosen name.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    TableStyle,
)

from app import clock
from app.assessment.assess import COUNTERS, Assessment, Deduction, Record
from app.atomic import atomic_path, check_output
from app.errors import UserError
from app.facts import REVIEW_CHECKLIST, STATUSES, SYNC_STATES
from app.info_requests import cases, letters
from app.notices import boards, drafts, review
from app.notices.drafts import Notice
from app.printing import handout_pdf, page_images, sheet_pdf
from app.printing.fonts import Face, choose_faces
from app.printing.pdf_fonts import register, runs, width
from app.printing.sheet import build_sheet
from app.printing.typeset import paragraph
from app.store import Store
from app.township import get_township

#: Photos are shrunk so that their longest side is at most this many pixels: they
#: print two to a page, each in a box 170 mm wide and 100 mm tall (:data:`PHOTO_BOX`),
#: where 800 px is 150 dpi or better either way round (a 4:3 photo lying down prints
#: 133 mm wide), and a phone photo of 3–5 MB comes to some 30–40 KB.
PHOTO_SIDE = 800
#: The height of the box a photo prints in.
PHOTO_BOX = 100 * mm
#: How many photos are shrunk at once (Pillow lets go of Python's lock while it works).
SHRINKERS = min(4, os.cpu_count() or 1)
#: The JPEG quality photos are written at (4:2:0, as a phone writes them).
PHOTO_QUALITY = 70
#: A PDF kept in a case file prints as pictures of its pages at this resolution.
SCAN_DPI = 110
#: Past this many pages a case file's PDF is listed, not printed.
SCAN_PAGES = 20
#: The kinds of record an indicator may concern, in the clerk's words for a section.
KIND_SECTIONS: dict[str, str] = {
    "notice": "主动公开", "plan": "公开目录与年度计划", "request": "依申请公开",
    "report": "政府信息公开工作年度报告", "problem": "整改落实",
}
#: What each kind of material is called in the 目录 and the bookmarks.
KIND_MATERIAL: dict[str, str] = {
    "notice": "公开信息（审批单、张贴稿、张贴照片、县级平台发布地址）",
    "plan": "年度公开计划执行情况", "request": "依申请公开案卷",
    "report": "年度报告数据", "problem": "整改记录",
}
CANCELLED = "已取消生成佐证材料，没有留下文件。"

Report = Callable[[int, int], None]
log = logging.getLogger(__name__)


# -- what goes where -------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """The year, or one quarter of it, that the file covers."""

    year: int
    quarter: int | None
    start: date
    end: date

    @property
    def label(self) -> str:
        """``2026年度`` or ``2026年第四季度``."""
        if self.quarter is None:
            return f"{self.year}年度"
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"

    def holds(self, day: str | date | None) -> bool:
        """Whether ``day`` (ISO text or a date) falls in the period."""
        if not day:
            return False
        text = day.isoformat() if isinstance(day, date) else str(day)[:10]
        return self.start.isoformat() <= text <= self.end.isoformat()


def period_of(year: int, quarter: int | None = None) -> Period:
    """The period of ``year`` (or its ``quarter``, 1 to 4), refused in one sentence if wrong."""
    if not 2000 <= int(year) <= 2099:
        raise UserError(f"年份「{year}」不对，应为2000到2099之间的整数。")
    if quarter is None:
        return Period(int(year), None, date(year, 1, 1), date(year, 12, 31))
    if quarter not in (1, 2, 3, 4):
        raise UserError(f"季度「{quarter}」不对，应为1到4。")
    first = 3 * quarter - 2
    end = date(year, 12, 31) if quarter == 4 else date(year, first + 3, 1) - timedelta(days=1)
    return Period(int(year), quarter, date(year, first, 1), end)


@dataclass(frozen=True)
class Chapter:
    """One indicator's part of the file.

    ``kind`` is the kind of record its counter reads (None: the desk keeps no
    records for it, the clerk adds them by hand); ``prints`` is True for the
    first chapter of its kind, which prints the material; later chapters of
    the kind list ``named`` (the records its deductions name) with their pages.
    """

    section: str
    key: str
    name: str
    points: float
    kind: str | None
    words: str
    named: tuple[Record, ...]
    lost: float
    prints: bool

    @property
    def heading(self) -> str:
        """The chapter's line in the 目录 and the bookmarks."""
        parts = [f"{_points(self.points)}分" if self.points else "",
                 f"扣{_points(self.lost)}分" if self.lost else ""]
        shown = "，".join(p for p in parts if p)
        return f"{self.name}（{shown}）" if shown else self.name


def _points(value: float) -> str:
    return f"{value:g}"


def default_indicators() -> list[tuple[str, str, str, float]]:
    """One indicator per counter, named by its words (while no rules file is scored)."""
    return [(key, words, KIND_SECTIONS[kind], 0.0) for key, (words, kind) in COUNTERS.items()]


def arrange(indicators: Sequence[tuple[str, str, str, float]],
            counters: Mapping[str, str] | None = None,
            deductions: Iterable[Deduction] = ()) -> list[Chapter]:
    """The chapters of the file: the rules' indicators in order, each with its kind of record.

    ``indicators`` are (key, name, section, points) as the rules file lists them;
    ``counters`` says which counter (a key of :data:`COUNTERS`) each indicator
    counts, where its key is not itself one; an indicator named by neither
    takes the kind of the records its deductions name, else has none.
    ``deductions`` name the records that lost points. The first chapter of each
    kind prints its material.
    """
    counters = counters or {}
    by_indicator: dict[str, list[Deduction]] = {}
    for d in deductions:
        by_indicator.setdefault(d.indicator, []).append(d)
    chapters, printed = [], set()
    # A section's indicators go together, in the order the section first appears.
    sections: dict[str, int] = {}
    for key, _name, section, _points in indicators:
        sections.setdefault(_section_of(section, key, counters), len(sections))
    grouped = sorted(indicators, key=lambda i: sections[_section_of(i[2], i[0], counters)])
    for key, name, section, points in grouped:
        counter = counters.get(key, key)
        mine = by_indicator.get(key, [])
        named = tuple(dict.fromkeys(r for d in mine for r in d.records))
        words, kind = COUNTERS.get(counter, ("", None))
        if kind is None and named:
            kind = named[0].kind if named[0].kind in KIND_SECTIONS else None
        prints = kind is not None and kind not in printed
        if kind is not None:
            printed.add(kind)
        chapters.append(Chapter(_section_of(section, key, counters), key, name,
                                float(points), kind, words, named,
                                float(sum(d.points for d in mine)), prints))
    # Material no indicator asks for is still the year's record: it prints at the end.
    for kind in KIND_SECTIONS:
        if kind not in printed:
            chapters.append(Chapter("附：未对应考核指标的材料", f"other-{kind}",
                                    KIND_MATERIAL[kind], 0.0, kind, "", (), 0.0, True))
    return chapters


def _section_of(section: str, key: str, counters: Mapping[str, str]) -> str:
    """The indicator's section, or, where the rules name none, its counter's kind's."""
    if section:
        return section
    kind = COUNTERS.get(counters.get(key, key), ("", ""))[1]
    return KIND_SECTIONS.get(kind, "其他")


def chapters_for(store: Store, year: int, quarter: int | None = None,
                 today: date | None = None) -> tuple[list[Chapter], Assessment | None]:
    """The chapters by the active rules file's assessment of the period."""
    from app.assessment.assess import assess

    result = assess(store, year, today, quarter)
    return arrange(result.indicators or default_indicators(), result.counts,
                   result.deductions), result


# -- the records of the period -----------------------------------------------------------

@dataclass
class NoticeFile:
    """A notice and everything that proves it was disclosed."""

    notice: Notice
    steps: list[dict[str, Any]]
    photos: list[tuple[dict[str, Any], Path | None]]


@dataclass
class Material:
    """Everything the file prints: notices and requests read in one snapshot of the desk,
    then the 整改 problems, the plan and the report's figures, each by its own module."""

    period: Period
    township: str
    county: str
    notices: list[NoticeFile] = field(default_factory=list)
    requests: list[cases.InfoRequest] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)
    plan: Any = None
    figures: Any = None


def _first_posting(notice: Notice) -> str | None:
    return min((p["posted"] for p in notice.postings), default=None)


def gather(store: Store, period: Period, named: Iterable[str] = (),
           today: date | None = None) -> Material:
    """The period's records: notices first posted in it (and any ``named`` by a deduction),
    requests received or answered in it, the 整改 problems of lists received in it, the
    plan of its year and the annual report's figures."""
    info = get_township(store)
    out = Material(period, info.township, info.county)
    wanted = set(named)
    with store.snapshot():
        ids = [r["notice_id"] for r in store.query(
            "SELECT notice_id, MIN(posted) AS first FROM postings GROUP BY notice_id"
            " HAVING first BETWEEN ? AND ? ORDER BY first, notice_id",
            (period.start.isoformat(), period.end.isoformat()))]
        ids += sorted(wanted.intersection(drafts.list_ids(store)) - set(ids))
        for notice_id in ids:
            notice = drafts.get_notice(store, notice_id)
            photos = []
            for posting in notice.postings:
                path = None
                if posting["photo"]:
                    try:
                        path = boards.photo_path(store, posting["photo"])
                    except UserError:
                        path = None
                photos.append((posting, path))
            out.notices.append(NoticeFile(notice, review.review_history(store, notice_id),
                                          photos))
        out.requests = [r for r in cases.list_requests(store, None, today=today)
                        if period.holds(r.received) or period.holds(r.answered)]
    out.problems = _problems(store, period)
    out.plan = _plan(store, period, today)
    try:
        from app.reports.annual_figures import annual_figures

        out.figures = annual_figures(store, period.year, today)
    except UserError:
        out.figures = None
    return out


def _problems(store: Store, period: Period) -> list[Any]:
    from app.planning import rectify

    problems = rectify.list_problems(store, period.year)
    return [p for p in problems if period.quarter is None or period.holds(p.received)]


def _plan(store: Store, period: Period, today: date | None) -> Any:
    from app.planning.plan import build_plan

    try:
        return build_plan(store, period.year, today)
    except UserError:
        return None


# -- photos at print quality ---------------------------------------------------------------

def shrink_photo(source: Path, target: Path, side: int = PHOTO_SIDE,
                 quality: int = PHOTO_QUALITY) -> tuple[int, int]:
    """Write ``source`` to ``target`` as a JPEG at most ``side`` px long; return its size.

    The phone's EXIF turn is applied (a photo taken upright prints upright);
    a JPEG is decoded at a fraction of its size where that still leaves
    ``side`` pixels, which is most of the speed.
    """
    with PILImage.open(source) as im:
        if im.format == "JPEG":
            # Asked for the size it will have, so that a 4000 px photo decodes at a quarter.
            scale = side / max(im.size)
            if scale < 1:
                im.draft("RGB", (math.ceil(im.size[0] * scale), math.ceil(im.size[1] * scale)))
        picture = ImageOps.exif_transpose(im)
        if picture.mode not in ("RGB", "L"):
            # A transparent PNG prints on white paper.
            rgba = picture.convert("RGBA")
            picture = PILImage.new("RGB", rgba.size, "white")
            picture.paste(rgba, mask=rgba.getchannel("A"))
        picture.thumbnail((side, side), PILImage.Resampling.LANCZOS)
        picture.save(target, "JPEG", quality=quality, optimize=True)
        return picture.size


# -- page numbers known only at the end ------------------------------------------------------

class Numbers:
    """Where each bookmark key landed, and the page numbers drawn before it was known."""

    def __init__(self) -> None:
        self.pages: dict[str, int] = {}
        self.referenced: set[str] = set()
        self.face: Face = Face("", Path())
        self.size = 10.0
        self.last = 0

    @staticmethod
    def form(key: str) -> str:
        """The PDF form that draws the page number of ``key`` (right-aligned at its origin)."""
        # A PDF name: ASCII only, whatever the key holds.
        return "pn" + "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}" for c in key)

    def draw(self, canvas: Canvas, key: str, x: float, y: float) -> None:
        """Draw the page number of ``key``, right edge at (x, y), filled in when saving."""
        self.referenced.add(key)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm(self.form(key))
        canvas.restoreState()


def _canvas_class(numbers: Numbers) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """A canvas that fills in the forged page numbers just before it writes the file."""

        def save(self) -> None:
            """Define every page-number form, then write the file."""
            if self._code:  # type: ignore[attr-defined]  # reportlab's page stream
                self.showPage()
            for key in sorted(numbers.referenced | {"__total__"}):
                page = numbers.pages.get(key)
                text = f"共 {numbers.last} 页" if key == "__total__" else str(page or "—")
                self.beginForm(numbers.form(key), lowerx=-120, lowery=-6, upperx=2, uppery=20)
                _draw_runs(self, -width(text, numbers.face, numbers.size), 0, text,
                           numbers.face, numbers.size)
                self.endForm()
            super().save()

    return NumberedCanvas


class Mark(Flowable):
    """A bookmark where it is drawn: a destination, an outline entry, and a tick of progress."""

    def __init__(self, key: str, title: str = "", level: int = 0, numbers: Numbers | None = None,
                 tick: Callable[[], None] | None = None, aliases: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.numbers, self.tick = numbers, tick
        # reportlab keeps one outline title per destination, so a later indicator's entry
        # for this record needs a destination of its own on this same page.
        self.aliases = aliases
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Takes no room."""
        return 0, 0

    def draw(self) -> None:
        """Bookmark this page; note its number."""
        canvas = self.canv
        if self.numbers is not None and self.key not in self.numbers.pages:
            canvas.bookmarkPage(self.key)
            for alias in self.aliases:
                canvas.bookmarkPage(alias)
            self.numbers.pages[self.key] = canvas.getPageNumber()
        if self.title:
            canvas.addOutlineEntry(self.title, self.key, self.level, closed=self.level >= 1)
        if self.tick is not None:
            self.tick()


class TocLine(Flowable):
    """One line of the 目录: indented title, dotted leader, the page number, a link."""

    def __init__(self, text: str, key: str, level: int, face: Face, size: float,
                 numbers: Numbers) -> None:
        super().__init__()
        self.text, self.key, self.level = text, key, level
        self.face, self.size, self.numbers = face, size, numbers

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """One line as wide as the frame."""
        self.width, self.height = available_width, self.size * 1.65
        return self.width, self.height

    def draw(self) -> None:
        """The title cut to its room, the leader and the page number."""
        canvas = self.canv
        indent = self.level * self.size * 1.5
        room = self.width - indent - self.size * 4
        text = _fit(self.text, self.face, self.size, room)
        y = self.size * 0.45
        _draw_runs(canvas, indent, y, text, self.face, self.size)
        used = width(text, self.face, self.size)
        canvas.saveState()
        canvas.setStrokeColor(colors.grey)
        canvas.setDash(1, 2)
        canvas.line(indent + used + 4, y, self.width - self.size * 2.6, y)
        canvas.restoreState()
        self.numbers.draw(canvas, self.key, self.width, y)
        canvas.linkRect("", self.key, (0, 0, self.width, self.height), relative=1)


class PageRef(Flowable):
    """A line that names a record printed elsewhere and the page it is on."""

    def __init__(self, text: str, key: str, face: Face, size: float, numbers: Numbers) -> None:
        super().__init__()
        self.text, self.key, self.face, self.size, self.numbers = text, key, face, size, numbers

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """One line."""
        self.width, self.height = available_width, self.size * 1.6
        return self.width, self.height

    def draw(self) -> None:
        """``… 见第 N 页``."""
        canvas = self.canv
        room = self.width - self.size * 7
        text = _fit(self.text, self.face, self.size, room)
        _draw_runs(canvas, 0, self.size * 0.4, text, self.face, self.size)
        # Drawn in reading order, so that the text copies (and searches) as 见第 N 页.
        y = self.size * 0.4
        _draw_runs(canvas, self.width - self.size * 5, y, "见第", self.face, self.size)
        self.numbers.draw(canvas, self.key, self.width - self.size * 1.3, y)
        _draw_runs(canvas, self.width - self.size * 1.2, y, "页", self.face, self.size)
        canvas.linkRect("", self.key, (0, 0, self.width, self.height), relative=1)


def _fit(text: str, face: Face, size: float, room: float) -> str:
    """``text`` cut short with … to fit ``room`` points."""
    text = " ".join(text.split())
    if width(text, face, size) <= room:
        return text
    while text and width(text + "…", face, size) > room:
        text = text[:-1]
    return text + "…"


def _draw_runs(canvas: Canvas, x: float, y: float, text: str, face: Face, size: float) -> None:
    for chosen, run in runs(text, face):
        name = register(chosen)
        canvas.setFont(name, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, name, size)


# -- the document ---------------------------------------------------------------------------

MARGIN = 20 * mm
#: Templates for the sheets as printed: each paper and turn gets its own page size.
_SHEET_TEMPLATE = "sheet-{}x{}"


@dataclass
class Built:
    """What was written: where, how many pages and bytes, and how long it took."""

    path: Path
    pages: int
    size: int
    seconds: float
    notices: int
    photos: int
    requests: int
    problems: int
    chapters: int

    def summary(self) -> str:
        """One sentence for the clerk."""
        return (f"已生成佐证材料 {self.path}，共 {self.pages} 页、{self.size / 1e6:.1f} MB"
                f"（公开信息 {self.notices} 条、张贴照片 {self.photos} 张、依申请公开 "
                f"{self.requests} 件、整改问题 {self.problems} 个），用时 {self.seconds:.0f} 秒。")

    def to_json(self) -> dict[str, Any]:
        """``evidence --json``."""
        return {"out": str(self.path), "pages": self.pages, "bytes": self.size,
                "seconds": round(self.seconds, 2), "notices": self.notices,
                "photos": self.photos, "requests": self.requests, "problems": self.problems,
                "chapters": self.chapters}


class _Book:
    """The flowables of the file, built from the material and the chapters."""

    def __init__(self, store: Store, material: Material, chapters: list[Chapter],
                 faces: dict[str, Face], scratch: Path, tick: Callable[[], None],
                 assessment: Assessment | None, today: date) -> None:
        self.storage, self.m, self.chapters, self.faces = store, material, chapters, faces
        self.scratch, self.tick, self.assessment, self.today = scratch, tick, assessment, today
        self.numbers = Numbers()
        self.photos_printed = 0
        self.flow: list = []
        self.toc: list[tuple[int, str, str]] = []
        self.shrunk: dict[Path, tuple[Path, tuple[int, int]]] = {}
        #: Page templates for sheets: name → (width, height, margins, draft).
        self.templates: dict[str, tuple[float, float, tuple[float, float, float, float],
                                        bool]] = {}
        body, heading, title = (faces[r] for r in ("body", "heading", "title"))
        self.body, self.heading_face, self.title_face = body, heading, title
        self.numbers.face = body
        self.style = {
            "title": ParagraphStyle("ev-title", fontName=register(title), fontSize=24,
                                    leading=36, alignment=TA_CENTER),
            "subtitle": ParagraphStyle("ev-sub", fontName=register(heading), fontSize=16,
                                       leading=26, alignment=TA_CENTER),
            "h1": ParagraphStyle("ev-h1", fontName=register(heading), fontSize=16, leading=24,
                                 spaceAfter=6),
            "h2": ParagraphStyle("ev-h2", fontName=register(heading), fontSize=13, leading=20,
                                 spaceBefore=4, spaceAfter=4),
            "text": ParagraphStyle("ev-text", fontName=register(body), fontSize=11.5,
                                   leading=19),
            "cell": ParagraphStyle("ev-cell", fontName=register(body), fontSize=10.5,
                                   leading=14),
            "head": ParagraphStyle("ev-head", fontName=register(heading), fontSize=10.5,
                                   leading=14),
            "caption": ParagraphStyle("ev-cap", fontName=register(body), fontSize=10.5,
                                      leading=14, alignment=TA_CENTER),
        }

    # helpers

    def text(self, line: str, style: str = "text") -> Flowable:
        """A paragraph in one of the file's styles."""
        face = {"h1": self.heading_face, "h2": self.heading_face, "head": self.heading_face,
                "title": self.title_face, "subtitle": self.heading_face}.get(style, self.body)
        return paragraph(line, self.style[style], face)

    def mark(self, key: str, title: str, level: int, tick: bool = False) -> Mark:
        """A bookmark (and a line of the 目录 at levels 0 to 2)."""
        if level <= 2:
            self.toc.append((level, title, key))
        return Mark(key, title, level, self.numbers, self.tick if tick else None,
                    self.references_to(key))

    def references_to(self, key: str) -> tuple[str, ...]:
        """The bookmarks later indicators give the record printed under ``key``."""
        return tuple(f"ref-{c.key}-{key}" for c in self.chapters if not c.prints
                     and any(self.record_key(r) == key for r in c.named))

    def table(self, rows: list[list[str]], widths: list[float], header: bool = True) -> LongTable:
        """A ruled table of paragraphs, its header row repeated over a page turn."""
        data = [[self.text(cell, "head" if header and r == 0 else "cell") for cell in row]
                for r, row in enumerate(rows)]
        total = self.frame_width
        table = LongTable(data, colWidths=[w * total for w in widths],
                          repeatRows=1 if header else 0)
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONT", (0, 0), (-1, -1), self.style["cell"].fontName, 10.5),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)))
        table.setStyle(TableStyle(commands))
        return table

    def pairs(self, rows: list[tuple[str, str]]) -> LongTable:
        """A two-column table of labels and values."""
        return self.table([[k, v] for k, v in rows], [0.24, 0.76], header=False)

    @property
    def frame_width(self) -> float:
        """The text width of the file's own pages."""
        return A4[0] - 2 * MARGIN

    def sheet_template(self, size: tuple[float, float],
                       margins: tuple[float, float, float, float], draft: bool = False) -> str:
        """The page template for a sheet of this size and text block (a draft's is marked)."""
        name = _SHEET_TEMPLATE.format(round(size[0]), round(size[1])) + "-" + "-".join(
            str(round(m)) for m in margins) + ("-draft" if draft else "")
        self.templates[name] = (size[0], size[1], margins, draft)
        return name

    # the parts

    def build(self) -> tuple[list, list]:
        """The cover and 目录 flowables, and the rest of the file."""
        for chapter_index, chapter in enumerate(self.chapters):
            self.chapter(chapter_index, chapter)
        front = self.cover() + self.contents()
        return front, self.flow

    def cover(self) -> list:
        """The cover: township, period, the day it was made and what is inside."""
        m = self.m
        notices = len(m.notices)
        parts = [Spacer(1, 50 * mm), self.text(m.township or "本乡镇", "title"),
                 self.text("政务公开工作考核佐证材料", "title"), Spacer(1, 10 * mm),
                 self.text(m.period.label + f"（{m.period.start.isoformat()} 至 "
                           f"{m.period.end.isoformat()}）", "subtitle"), Spacer(1, 30 * mm)]
        rows = [("所属县（市、区）", m.county or "—"),
                ("生成日期", self.today.isoformat()),
                ("评分规则", self.assessment.rules_label if self.assessment else
                 "尚未载入评分规则：按工作台的各项记录分类"),
                ("公开信息", f"{notices} 条（审批单、张贴稿、张贴照片 {self.photos_printed} 张、"
                            "县级平台发布地址）"),
                ("依申请公开", f"{len(m.requests)} 件（登记、文书、案卷材料）"),
                ("年度报告", "本年度报告数据" if m.figures is not None else "—"),
                ("整改", f"{len(m.problems)} 个问题及整改记录")]
        if self.assessment is not None:
            rows.insert(3, ("自评得分", f"{_points(self.assessment.score)} / "
                                     f"{_points(self.assessment.max)}"))
        parts += [self.pairs(rows), PageBreak()]
        return [Mark("cover", "封面", 0, self.numbers), *parts]

    def contents(self) -> list:
        """The 目录: one line per section, indicator and record, with its page."""
        lines: list = [Mark("contents", "目录", 0, self.numbers), self.text("目　录", "h1"),
                       Spacer(1, 4)]
        for level, title, key in self.toc:
            lines.append(TocLine(title, key, level, self.heading_face if level == 0 else self.body,
                                 11 if level else 12, self.numbers))
        lines.append(PageBreak())
        return lines

    def chapter(self, index: int, chapter: Chapter) -> None:
        """One indicator: its heading, then its material or where to find it."""
        previous = self.chapters[index - 1].section if index else None
        flow = self.flow
        if chapter.section != previous:
            flow += [CondPageBreak(80 * mm), self.mark(f"s{index}", chapter.section, 0),
                     self.text(chapter.section, "h1")]
        key = f"i{index}"
        flow += [CondPageBreak(60 * mm), self.mark(key, chapter.heading, 1),
                 self.text(chapter.heading, "h2")]
        if chapter.words:
            flow.append(self.text(f"本项核查：{chapter.words}。"))
        if chapter.named:
            names = "；".join(r.label or r.id for r in chapter.named[:20])
            more = f"等{len(chapter.named)}项" if len(chapter.named) > 20 else ""
            flow.append(self.text(f"扣分涉及：{names}{more}。"))
        if chapter.kind is None:
            flow.append(self.text("本项的材料工作台中没有记录，请另行附上。"))
            return
        if not chapter.prints:
            self.references(chapter)
            return
        {"notice": self.notices, "request": self.requests, "report": self.report,
         "problem": self.problems, "plan": self.plan}[chapter.kind](chapter)

    def references(self, chapter: Chapter) -> None:
        """A later indicator of a kind already printed: its records and their pages."""
        first = next(i for i, c in enumerate(self.chapters)
                     if c.kind == chapter.kind and c.prints)
        self.flow.append(PageRef(f"全部{KIND_MATERIAL[chapter.kind or '']}见「"
                                 f"{self.chapters[first].name}」", f"i{first}", self.body, 11,
                                 self.numbers))
        for record in chapter.named:
            key = self.record_key(record)
            if key:
                self.flow.append(PageRef(f"{record.label or record.id}", key, self.body, 11,
                                         self.numbers))
                self.flow.append(Mark(f"ref-{chapter.key}-{key}",
                                      f"【扣分】{record.label or record.id}", 2))
            else:
                self.flow.append(self.text(f"{record.label or record.id}（不在本期材料中）"))

    def record_key(self, record: Record) -> str | None:
        """The bookmark of a record printed in the file (None if it is not in it)."""
        printed = {"notice": {f.notice.id for f in self.m.notices},
                   "request": {r.id for r in self.m.requests},
                   "problem": {p.id for p in self.m.problems}}
        prefix = {"notice": "n-", "request": "r-", "problem": "p-"}.get(record.kind)
        if prefix is None or record.id not in printed[record.kind]:
            return None
        return prefix + record.id

    # notices

    def notices(self, chapter: Chapter) -> None:
        """Every notice of the period, those this indicator's deductions name first."""
        named = [r.id for r in chapter.named if r.kind == "notice"]
        order = sorted(self.m.notices, key=lambda f: (f.notice.id not in named,))
        if not order:
            self.flow.append(self.text("本期间没有张贴公开的信息。"))
        for number, file in enumerate(order):
            self.notice(file, file.notice.id in named, first=number == 0)

    def notice(self, file: NoticeFile, deducted: bool, first: bool = False) -> None:
        """A notice's 审批单, its sheet as printed, its posting photos and the county's URL.

        Each starts a page; the ``first`` goes on under its indicator's heading if it fits.
        """
        n, flow = file.notice, self.flow
        key = f"n-{n.id}"
        title = ("【扣分】" if deducted else "") + n.title
        turn = CondPageBreak(160 * mm) if first else PageBreak()
        flow += [NextPageTemplate("body"), turn, self.mark(key, title, 2),
                 Mark(key + "-a", "审批单", 3, self.numbers),
                 self.text("公开信息审批单", "h1"), self.text(n.title, "h2")]
        publicity = n.publicity or {}
        period = (f"{publicity.get('start') or '未张贴'} 至 {publicity.get('end') or '—'}"
                  if n.publicity else "不设公示期")
        url = n.county_url or ("县级平台未发布" + (f"（退回：{n.county_reason}）"
                                                   if n.county_reason else ""))
        flow.append(self.pairs([
            ("编号", n.id), ("目录事项", f"{n.item_id}（{n.domain}）"), ("类别", n.kind),
            ("信息形成日期", n.formed), ("应公开日期", n.due or "—"),
            ("状态", STATUSES.get(n.status, n.status)
             + (f"，审核通过第{n.approved_rev}版" if n.approved_rev else "")),
            ("公示期", period),
            ("县级平台", f"{SYNC_STATES.get(n.sync, n.sync)}；{url}"),
            ("发布单位", n.issuer), ("监督电话", n.phone or "—")]))
        flow += [Spacer(1, 6), self.text("审核记录（先审后发）", "h2")]
        rows = [["轮次", "步骤", "审核人", "时间", "结果", "保密审查", "其他核对项", "意见"]]
        for step in file.steps:
            checks = step.get("checklist") or {}
            secret = ("不涉密" if checks.get("不涉密") else "未确认") \
                if step["outcome"] == "passed" else "—"
            others = "、".join(c for c in REVIEW_CHECKLIST[1:] if checks.get(c)) or "—"
            outcome = "通过" if step["outcome"] == "passed" else "退回"
            if step["outcome"] == "passed" and not step.get("valid", True):
                outcome += f"（已失效：{step.get('void_reason') or '文字已改'}）"
            opinion = step.get("opinion") or step.get("reason") or ""
            if step.get("override"):
                opinion += f"（说明：{step['override']}）"
            rows.append([str(step["round"]), step["step_name"], step["reviewer"],
                         str(step["at"])[:16].replace("T", " "), outcome, secret, others,
                         opinion or "—"])
        if len(rows) == 1:
            rows.append(["—", "—", "—", "—", "没有审核记录", "—", "—", "—"])
        flow.append(self.table(rows, [0.07, 0.08, 0.09, 0.15, 0.09, 0.12, 0.2, 0.2]))
        flow += [Spacer(1, 6), self.text("张贴记录", "h2")]
        posted = [["公开栏", "张贴日期", "撤下日期", "照片"]] + [
            [p["board"], p["posted"], p["taken_down"] or "—",
             "有（见后）" if path else ("照片文件缺失" if p["photo"] else "无")]
            for p, path in file.photos]
        if len(posted) == 1:
            posted.append(["未张贴", "—", "—", "—"])
        flow.append(self.table(posted, [0.4, 0.2, 0.2, 0.2]))
        self.sheet(n, key)
        self.photos(file, key)
        flow.append(Mark(key + "-done", "", 0, None, self.tick))

    def sheet(self, n: Notice, key: str) -> None:
        """The sheet as it printed: on its own paper, its date the day it first went up."""
        first = _first_posting(n)
        on = date.fromisoformat(first) if first else self.today
        sheet = build_sheet(self.storage, n.id, on)
        mark = Mark(key + "-s", "张贴稿", 3, self.numbers)
        if n.kind == "明白纸":
            margin = 16 * mm
            frame = (A4[0] - 2 * margin, A4[1] - 2 * margin)
            content, fits = handout_pdf.copy_flow(sheet, handout_pdf.HANDOUT, self.faces,
                                                  n.county_url or "", frame)
            if not fits:
                from reportlab.platypus import KeepInFrame

                content = [KeepInFrame(frame[0], frame[1], content, mode="shrink")]
            name = self.sheet_template(A4, (margin, margin, margin, margin), sheet.draft)
            self.flow += [NextPageTemplate(name), PageBreak(), mark, *content]
        else:
            laid = sheet_pdf.layout_sheet(sheet, sheet.paper, self.faces)
            name = self.sheet_template(laid.pagesize, laid.margins, sheet.draft)
            self.flow += [NextPageTemplate(name), PageBreak(), mark, *laid.flow]
        self.flow.append(NextPageTemplate("body"))

    def photos(self, file: NoticeFile, key: str) -> None:
        """The posting photos, two to a page, each with its board, date and 公示期."""
        kept = [(p, path) for p, path in file.photos if path is not None]
        unreadable = [(p, path) for p, path in kept if path not in self.shrunk]
        kept = [(p, path) for p, path in kept if path in self.shrunk]
        self.photos_printed += len(kept)
        n = file.notice
        publicity = n.publicity or {}
        if not kept and not unreadable:
            self.flow += [PageBreak(), self.text("张贴照片", "h2"),
                          self.text("没有保存张贴照片。"), self.url_line(n)]
            return
        self.flow += [PageBreak(), Mark(key + "-p", "张贴照片", 3, self.numbers),
                      self.text("张贴照片", "h2")]
        box_w, box_h = self.frame_width, PHOTO_BOX
        for number, (posting, path) in enumerate(kept, 1):
            small, (w, h) = self.shrunk[path]
            scale = min(box_w / w, box_h / h)
            caption = (f"照片{number}：{posting['board']}，张贴于{posting['posted']}"
                       + (f"，撤下于{posting['taken_down']}" if posting["taken_down"] else "")
                       + (f"；公示期 {publicity.get('start')} 至 {publicity.get('end') or '—'}"
                          if n.publicity else ""))
            self.flow.append(KeepTogether([Image(str(small), w * scale, h * scale),
                                           self.text(caption, "caption"), Spacer(1, 8)]))
        for posting, path in unreadable:
            self.flow.append(self.text(f"{posting['board']}（{posting['posted']}）的照片文件"
                                       f"无法读取：{path.name}，请从原始照片补印。"))
        self.flow.append(self.url_line(n))

    def url_line(self, n: Notice) -> Flowable:
        """Where the county published the notice, or why it has not."""
        if n.county_url:
            return self.text(f"县级政务公开平台发布地址：{n.county_url}")
        reason = f"，退回理由：{n.county_reason}" if n.county_reason else ""
        return self.text(f"县级政务公开平台：{SYNC_STATES.get(n.sync, n.sync)}{reason}。")

    # requests

    def requests(self, chapter: Chapter) -> None:
        """Each case: the register's entry, its letters' text, its files."""
        named = {r.id for r in chapter.named if r.kind == "request"}
        order = sorted(self.m.requests, key=lambda r: r.id not in named)
        if not order:
            self.flow.append(self.text("本期间没有收到或办结的政府信息公开申请。"))
        for request in order:
            self.request(request, request.id in named)

    def request(self, r: cases.InfoRequest, deducted: bool) -> None:
        """One case file."""
        key = f"r-{r.id}"
        title = ("【扣分】" if deducted else "") + f"{r.id} {r.applicant}：{r.content}"
        flow = self.flow
        flow += [NextPageTemplate("body"), PageBreak(), self.mark(key, _short(title, 60), 2),
                 self.text("依申请公开案卷", "h1"),
                 self.text(f"{r.id}　申请人：{r.applicant}", "h2"),
                 self.pairs([(k, v) for k, v in (line.split("：", 1) if "：" in line
                                                  else ("", line)
                                                  for line in cases.describe(r))])]
        if r.files:
            flow += [Spacer(1, 6), self.text("案卷材料", "h2"), self.table(
                [["类型", "文件", "保存时间", "SHA-256（前16位）"]]
                + [[f.kind, f.name, f.added_at[:10], f.sha256[:16]] for f in r.files],
                [0.14, 0.46, 0.16, 0.24])]
        for kind in letters.available_kinds(r):
            try:
                sheet = letters.letter_sheet(self.storage, r.id, kind, today=self.today)
            except UserError as err:
                flow.append(self.text(f"{kind}：{err}"))
                continue
            laid = sheet_pdf.layout_sheet(sheet, "A4", self.faces)
            name = self.sheet_template(laid.pagesize, laid.margins, sheet.draft)
            flow += [NextPageTemplate(name), PageBreak(),
                     Mark(f"{key}-{kind}", kind, 3, self.numbers), *laid.flow,
                     NextPageTemplate("body")]
        for f in r.files:
            self.case_file(r, f, key)
        flow.append(Mark(key + "-done", "", 0, None, self.tick))

    def case_file(self, r: cases.InfoRequest, f: cases.CaseFile, key: str) -> None:
        """A kept file: a picture as a picture, a PDF as pictures of its pages, else its name."""
        path = self.storage.folder / f.path
        suffix = path.suffix.lower()
        heading = f"{f.kind}：{f.name}"
        mark = Mark(f"{key}-f{f.sha256[:12]}", heading, 3, self.numbers)
        pictures: list[tuple[Path, tuple[int, int]]] = []
        note = ""
        try:
            if suffix == ".pdf":
                pictures, note = self.scan_pdf(path, f.sha256[:16])
            elif suffix in (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff"):
                pictures = [self.shrink(path)]
        except (OSError, ValueError, UserError, PILImage.DecompressionBombError) as exc:
            note = f"文件无法读取（{type(exc).__name__}），请另附原件。"
        if not pictures:
            self.flow += [CondPageBreak(30 * mm), mark, self.text(heading, "h2"), self.text(
                note or f"此文件（{suffix or '无扩展名'}）不能在PDF中显示，见工作台案卷，"
                f"SHA-256：{f.sha256}。")]
            return
        self.flow += [PageBreak(), mark, self.text(heading, "h2")]
        if note:
            self.flow.append(self.text(note))
        for small, (w, h) in pictures:
            scale = min(self.frame_width / w, (A4[1] - 2 * MARGIN - 30 * mm) / h)
            self.flow.append(Image(str(small), w * scale, h * scale))

    def scan_pdf(self, path: Path, tag: str) -> tuple[list[tuple[Path, tuple[int, int]]], str]:
        """The pages of a kept PDF as JPEGs at :data:`SCAN_DPI` (the first :data:`SCAN_PAGES`)."""
        total = page_images.page_count(path)
        out = []
        for page in page_images.page_images(path, SCAN_DPI):
            picture = PILImage.frombuffer("RGB", (page.width, page.height), page.rgb, "raw",
                                          "RGB", page.stride, 1)
            target = self.scratch / f"scan-{tag}-{page.number}.jpg"
            picture.save(target, "JPEG", quality=PHOTO_QUALITY, optimize=True)
            out.append((target, picture.size))
            if len(out) == SCAN_PAGES:
                break
        note = (f"共 {total} 页，此处印前 {SCAN_PAGES} 页，其余见工作台案卷。"
                if total > SCAN_PAGES else "")
        return out, note

    def shrink(self, path: Path) -> tuple[Path, tuple[int, int]]:
        """A picture at print quality in the scratch folder (once per file)."""
        if path not in self.shrunk:
            target = self.scratch / f"f{len(self.shrunk)}.jpg"
            self.shrunk[path] = (target, shrink_photo(path, target))
        return self.shrunk[path]

    # the rest

    def report(self, chapter: Chapter) -> None:
        """The annual report's figures as tables."""
        figures = self.m.figures
        flow = self.flow
        if figures is None:
            flow.append(self.text("本年度报告数据无法统计。"))
            return
        from app.reports import annual_figures as af

        so_far = "" if figures.complete else f"（截至{figures.as_of.isoformat()}，本年度尚未结束）"
        flow += [self.mark("report", f"{figures.year}年政府信息公开工作年度报告数据", 2),
                 self.text(f"{figures.year}年政府信息公开工作年度报告数据{so_far}", "h2"),
                 self.text("二、主动公开政府信息情况")]
        rows = [["栏目", "数字"]]
        for _, columns, labels, items in af.ACTIVE_GROUPS:
            for item in items:
                for column, label in zip(columns, labels, strict=True):
                    rows.append([f"{item}：{label}",
                                 af.format_amount(figures.manual.active[f"{item}.{column}"])])
        totals = figures.notice_totals
        rows.append(["工作台记录的本年公开信息（按首次张贴日期）", f"{sum(totals)} 条"])
        flow.append(self.table(rows, [0.7, 0.3]))
        req = figures.requests
        flow += [Spacer(1, 6), self.text("三、收到和处理政府信息公开申请情况")]
        three: list[tuple[str, Any]] = [("本年新收", req.new), ("上年结转", req.carried_in)]
        three += [(af.outcome_label(o.category)
                   + (f"：{af.item_label(o.category, o.item)}" if o.item else ""), o.counts)
                  for o in req.outcomes]
        three += [("办理结果总计", req.results), ("结转下年度", req.carried_out)]
        cols = list(af.REQUEST_COLUMNS)
        flow.append(self.table([["栏目", *cols]] + [[label, *(str(c.get(k)) for k in cols)]
                                                    for label, c in three],
                               [0.34] + [0.66 / len(cols)] * len(cols)))
        problem = af.balance_problem(figures)
        flow.append(self.text("第三部分表格各列均平衡。" if problem is None
                              else f"注意：{problem}"))
        flow += [Spacer(1, 6), self.text("四、政府信息公开行政复议、行政诉讼情况")]
        case_cols = [*af.CASE_COLUMNS, af.TOTAL]
        flow.append(self.table([["", *case_cols]] + [
            [label, *(str(getattr(figures.manual, part).get(c)) for c in case_cols)]
            for part, label in af.CASE_PARTS.items()], [0.35] + [0.13] * 5))
        flow.append(Mark("report-done", "", 0, None, self.tick))

    def problems(self, chapter: Chapter) -> None:
        """Each problem of the county's lists, its deadline and what was done."""
        if not self.m.problems:
            self.flow.append(self.text("本期间没有收到测评问题清单（或整改记录尚未建立）。"))
        for problem in self.m.problems:
            key = f"p-{problem.id}"
            fix = problem.fix
            state = ("已整改" + ("（逾期完成）" if problem.fixed_late else "")) if fix else (
                "逾期未整改" if problem.overdue(self.today) else "整改中")
            self.flow += [CondPageBreak(70 * mm),
                          self.mark(key, _short(f"{problem.list_title}第{problem.seq}项："
                                                f"{problem.problem}", 60), 2),
                          self.text(f"{problem.list_title}　第{problem.seq}项", "h2"),
                          self.pairs([("问题", problem.problem), ("指标", problem.indicator or "—"),
                                      ("整改要求", problem.requirement or "—"),
                                      ("收到日期", problem.received.isoformat()),
                                      ("整改期限", f"{problem.deadline.isoformat()}（{problem.days}"
                                                   "个工作日）"), ("状态", state)])]
            for number, f in enumerate(problem.fixes, 1):
                evidence = "、".join(e.get("name") or e.get("sha256", "")[:12]
                                    for e in f.evidence) or "—"
                self.flow.append(self.pairs([(f"整改{number}", f"{f.fixed_on.isoformat()} "
                                                               f"{f.action}（{f.author or '—'}）"),
                                             ("佐证", evidence)]))
                for e in f.evidence:
                    if e.get("kind") in ("photo", "screenshot") and e.get("sha256"):
                        try:
                            small, (w, h) = self.shrink(boards.photo_path(self.storage,
                                                                          e["sha256"]))
                        except (UserError, OSError, ValueError):
                            continue
                        scale = min(self.frame_width / w, 100 * mm / h)
                        self.flow.append(Image(str(small), w * scale, h * scale))

    def plan(self, chapter: Chapter) -> None:
        """The plan's periods that fall in the file's period, with what covered each."""
        plan, period = self.m.plan, self.m.period
        if plan is None:
            self.flow.append(self.text("本年度的公开计划无法生成。"))
            return
        entries = [e for e in plan.entries
                   if e.period.start <= period.end and e.period.end >= period.start]
        self.flow += [self.mark("plan", f"{plan.year}年公开计划执行情况", 2),
                      self.text(f"{period.label}应公开的期次共 {len(entries)} 个。")]
        rows = [["事项", "期次", "应公开日期", "状态", "公开情况"]]
        rows += [[e.title, e.period.words(), e.due.isoformat(), e.status_label,
                  _coverage(e)] for e in entries]
        if len(rows) > 1:
            self.flow.append(self.table(rows, [0.34, 0.14, 0.14, 0.12, 0.26]))
        if plan.not_applicable:
            self.flow += [Spacer(1, 6), self.text("不涉及的事项", "h2"), self.table(
                [["事项", "理由"]] + [[k, v] for k, v in plan.not_applicable.items()],
                [0.3, 0.7])]
        self.flow.append(Mark("plan-done", "", 0, None, self.tick))


def _coverage(entry: Any) -> str:
    """What covered a plan's period: the day its notice went up, or the 台账's word."""
    from app.planning.plan import COVERAGE

    if entry.published is not None:
        late = "（逾期）" if entry.coverage == "late" else ""
        return f"{entry.published.isoformat()}张贴{late}"
    if entry.reason:
        return f"不涉及：{entry.reason}"
    return {"on_time": "按时公开"}.get(entry.coverage, COVERAGE.get(entry.coverage,
                                                                   entry.coverage))


def _short(text: str, most: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def build_evidence(store: Store, out: Path, year: int, quarter: int | None = None,
                   report: Report | None = None, *, today: date | None = None,
                   faces: dict[str, Face] | None = None,
                   chapters: list[Chapter] | None = None,
                   assessment: Assessment | None = None) -> Built:
    """Write the 佐证材料 of ``year`` (or its ``quarter``) to ``out`` as one PDF.

    ``report(done, total)`` is told of each photo shrunk and each record laid
    out; an exception it raises (the clerk's cancel) stops the build, and no
    file is left under ``out``. ``chapters`` overrides the active rules'
    (tests build them with :func:`arrange`).
    """
    started = time.perf_counter()
    out = check_output(Path(out), "佐证材料", "PDF 文件", ".pdf")
    period = period_of(year, quarter)
    today = today or clock.today()
    if chapters is None:
        chapters, assessment = chapters_for(store, year, quarter, today)
    named = [r.id for c in chapters for r in c.named if r.kind == "notice"]
    material = gather(store, period, named, today)
    faces = faces or choose_faces()
    photos = list(dict.fromkeys(path for f in material.notices for _p, path in f.photos
                                if path is not None))
    total = len(photos) + len(material.notices) + len(material.requests) + 3
    done = 0

    def tell(done: int, total: int) -> None:
        if report is not None:
            report(done, total)

    def tick() -> None:
        nonlocal done
        done += 1
        tell(min(done, total - 1), total)

    tell(0, total)
    with tempfile.TemporaryDirectory(prefix="gongkai-evidence-") as folder:
        scratch = Path(folder)
        book = _Book(store, material, chapters, faces, scratch, tick, assessment, today)
        _shrink_all(book, photos, tick)
        front, rest = book.build()
        with atomic_path(out) as tmp:
            pages = _write(tmp, book, front + rest, material)
            # On the disk before it takes the name: a power cut then leaves the old file.
            with open(tmp, "rb") as written:
                os.fsync(written.fileno())
        size = out.stat().st_size
    tell(total, total)
    return Built(out, pages, size, time.perf_counter() - started, len(material.notices),
                 book.photos_printed, len(material.requests), len(material.problems),
                 sum(1 for c in chapters if not c.key.startswith("other-")))


def _shrink_all(book: _Book, photos: list[Path], tick: Callable[[], None]) -> None:
    """Every posting photo at print quality, :data:`SHRINKERS` at a time; one tick each.

    A photo that cannot be read is left out (its page says so); a tick that
    raises (a cancel) stops the rest.
    """
    with ThreadPoolExecutor(max_workers=SHRINKERS) as pool:
        jobs = {pool.submit(shrink_photo, path, book.scratch / f"p{k}.jpg"): (path, k)
                for k, path in enumerate(photos)}
        try:
            for job in as_completed(jobs):
                path, k = jobs[job]
                try:
                    book.shrunk[path] = (book.scratch / f"p{k}.jpg", job.result())
                except (OSError, ValueError, PILImage.DecompressionBombError):
                    log.warning("photo %s unreadable", path, exc_info=True)
                tick()
        except BaseException:
            for job in jobs:
                job.cancel()
            raise


def _write(target: str, book: _Book, flow: list, material: Material) -> int:
    """Lay the flowables out into ``target``; the number of pages."""
    numbers = book.numbers
    size = numbers.size = 9.0
    label = f"{material.township}{material.period.label}政务公开佐证材料"

    def footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        # Every page, a sheet's own too: which file, which page of how many.
        w, _h = canvas._pagesize  # type: ignore[attr-defined]  # this page's own size
        page = canvas.getPageNumber()
        numbers.last = max(numbers.last, page)
        canvas.saveState()
        _draw_runs(canvas, MARGIN, 10 * mm, label, book.body, size)
        centred = f"— {page} —"
        _draw_runs(canvas, (w - width(centred, book.body, size)) / 2, 10 * mm, centred,
                   book.body, size)
        numbers.draw(canvas, "__total__", w - MARGIN, 10 * mm)
        canvas.restoreState()

    def draft_mark(canvas: Canvas, doc: BaseDocTemplate) -> None:
        w, h = canvas._pagesize  # type: ignore[attr-defined]
        sheet_pdf.draw_draft_mark(canvas, register(book.title_face), w, h)

    doc = BaseDocTemplate(target, pagesize=A4, title=f"{material.township}"
                          f"{material.period.label}政务公开工作考核佐证材料",
                          author=material.township, initialFontName=register(book.body),
                          leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN)
    templates = [PageTemplate("body", [Frame(MARGIN, MARGIN, A4[0] - 2 * MARGIN,
                                             A4[1] - 2 * MARGIN, id="body")], onPage=footer)]
    for name, (w, h, (left, right, top, bottom), draft) in book.templates.items():
        frame = Frame(left, bottom, w - left - right, h - top - bottom, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        ends = {"onPageEnd": draft_mark} if draft else {}
        templates.append(PageTemplate(name, [frame], onPage=footer, pagesize=(w, h), **ends))
    doc.addPageTemplates(templates)
    doc.build(flow, canvasmaker=_canvas_class(numbers))
    return numbers.last
