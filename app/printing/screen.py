"""The electronic screen (村公示栏（电子屏）): a notice as a sequence of screen pages.

Each page is exactly the screen's pixels (a PDF page of width × height points
rendered by PDFium at one pixel a point). Screens stand outdoors and LED
boards light only their strokes, so pages are light on dark: white text,
the title in yellow, on near-black; a white page glares at night and washes
out in the sun.

The type rule, for reading from three metres: every character is at least
1/18 of the screen's height, and never under 16 px (the smallest dot matrix
that draws a 汉字 whole). On a 1920×1080 screen that is 60 px (a 55-inch
screen is about 68 cm tall, so about 38 mm: readable at 3 m with room to
spare); on a 384×192 LED board it is 16 px. ``ScreenSize.min_type`` carries
it, body text, tables and the foot are set at it, the title larger. A 名单
runs on over as many pages as it needs with its header row repeated; each
page's foot names the township and says 「第2/5屏」.

Several notices make one loop: 001.png, 002.png … in the folder, and
playlist.txt giving the order and the seconds each page stays up (four
characters a second, 10 s at least, 60 s at most).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.atomic import NO_FOLDER, write_bytes
from app.errors import UserError
from app.printing import table_layout
from app.printing.drawn import Box, Picture, pdf_bytes, png_pages, wrap, write_png
from app.printing.fonts import Face, bundled_face
from app.printing.pdf_fonts import width
from app.printing.sheet import Sheet, build_sheet
from app.store import Store
from app.township import get_township

#: A character is at least this fraction of the screen's height …
TYPE_FRACTION = 18
#: … and never fewer pixels than this.
TYPE_FLOOR = 16
#: Line height over type size.
LEAD = 1.3
#: The title's type over the minimum.
TITLE_SCALE = 1.2
#: Sizes a screen may have, in pixels (an LED board is small; 8K is the most).
WIDTHS = (128, 7680)
HEIGHTS = (96, 4320)
#: A line must hold this many characters at the minimum type, or the screen is too narrow.
LEAST_CHARS = 10
SETTINGS_KEY = "screens"
BACK = "#0D1620"
TEXT = "#FFFFFF"
TITLE = "#FFD34D"
HEAD_FILL = "#1F3A5F"
GRID = "#6F87A3"
FOOT = "#C9D6E3"
DRAFT = "#FF7A7A"
_SIZE = re.compile(r"^\s*(\d{1,6})\s*[xX×*]\s*(\d{1,6})\s*$")
_NAME = re.compile(r"^[^\x00-\x1f\t]{1,40}$")


@dataclass(frozen=True)
class ScreenSize:
    """A screen's pixels, and the smallest type height it may show (pixels).

    ``name`` is a screen of 设置 not yet looked up (width and height 0):
    :func:`parse_size` has no database, :func:`export_screen` does.
    """

    width: int
    height: int
    min_type: int
    name: str = ""


def min_type(height: int) -> int:
    """The smallest type a screen ``height`` pixels tall may show: the rule of the docstring."""
    return max(TYPE_FLOOR, math.ceil(height / TYPE_FRACTION))


def sized(width_px: int, height_px: int, name: str = "") -> ScreenSize:
    """A checked ScreenSize; UserError naming the limits if the screen cannot be used."""
    if not (WIDTHS[0] <= width_px <= WIDTHS[1] and HEIGHTS[0] <= height_px <= HEIGHTS[1]):
        raise UserError(f"电子屏分辨率 {width_px}x{height_px} 不可用："
                        f"宽应在 {WIDTHS[0]}–{WIDTHS[1]}、高应在 {HEIGHTS[0]}–{HEIGHTS[1]} "
                        "像素之间，如 1920x1080。")
    least = min_type(height_px)
    if width_px < LEAST_CHARS * least + 2 * _margin(least):
        raise UserError(f"电子屏 {width_px}x{height_px} 太窄：按三米可读的字高 {least} 像素，"
                        f"一行放不下 {LEAST_CHARS} 个字。")
    return ScreenSize(width_px, height_px, least, name)


def parse_size(text: str) -> ScreenSize:
    """``1920x1080`` → a ScreenSize with its minimum type height; UserError if not a size.

    Any other short text is taken as the name of a screen in 设置, looked up
    when the pages are made.
    """
    match = _SIZE.match(text or "")
    if match:
        return sized(int(match.group(1)), int(match.group(2)))
    name = (text or "").strip()
    if not _NAME.match(name) or re.fullmatch(r"[\d\sxX×*.,-]+", name):
        raise UserError("电子屏分辨率应写成 宽x高（如 1920x1080），或设置里登记的电子屏名称。")
    return ScreenSize(0, 0, 0, name)


# --- 设置: the township's screens --------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """A screen the township has: its name and its size."""

    name: str
    size: ScreenSize


def list_screens(store: Store) -> list[Screen]:
    """The screens of 设置, in the clerk's order."""
    try:
        rows = json.loads(store.get_setting(SETTINGS_KEY, "[]") or "[]")
        return [Screen(r["name"], sized(int(r["width"]), int(r["height"]), r["name"]))
                for r in rows]
    except (ValueError, KeyError, TypeError, UserError):
        return []  # a hand-edited setting that no longer reads: the clerk enters them again


def screens_text(screens: list[Screen]) -> str:
    """The screens one a line, ``名称 1920x1080``, as the 设置 box shows them."""
    return "\n".join(f"{s.name} {s.size.width}x{s.size.height}" for s in screens)


def set_screens(store: Store, text: str) -> list[Screen]:
    """Keep the screens written one a line as ``名称 宽x高``; UserError naming a bad line."""
    screens: list[Screen] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, _, size_text = line.strip().rpartition(" ")
        name = name.strip()
        if not _SIZE.match(size_text) or not _NAME.match(name):
            raise UserError(f"第{number}行应写成“名称 宽x高”，如：村委会门口LED屏 768x384。")
        size = parse_size(size_text)
        if any(s.name == name for s in screens):
            raise UserError(f"电子屏名称“{name}”重复了，请给每块屏起不同的名字。")
        screens.append(Screen(name, ScreenSize(size.width, size.height, size.min_type, name)))
    if len(screens) > 50:
        raise UserError("电子屏最多登记50块。")
    store.set_settings({SETTINGS_KEY: json.dumps(
        [{"name": s.name, "width": s.size.width, "height": s.size.height} for s in screens],
        ensure_ascii=False)})
    return screens


def resolve(store: Store, size: ScreenSize) -> ScreenSize:
    """``size`` itself, or the screen of 设置 it names; UserError if there is none."""
    if size.width:
        return size
    for screen in list_screens(store):
        if screen.name == size.name:
            return screen.size
    raise UserError(f"设置里没有名为“{size.name}”的电子屏；请写分辨率（如 1920x1080），"
                    "或先在设置里登记这块屏。")


# --- layout -----------------------------------------------------------------------------


def _margin(least: int) -> int:
    return max(4, round(least * 0.5))


@dataclass(frozen=True)
class Metrics:
    """Where text goes on a page of one size (pixels)."""

    margin: int
    line: int  # line height at the minimum type
    title_line: int
    top: int
    bottom: int  # the last pixel row text may reach, above the foot


def metrics(size: ScreenSize) -> Metrics:
    """The page geometry the type rule gives a screen."""
    m = _margin(size.min_type)
    line = math.ceil(size.min_type * LEAD)
    title_line = math.ceil(round(size.min_type * TITLE_SCALE) * LEAD)
    return Metrics(m, line, title_line, m, size.height - m - line)


@dataclass
class ScreenPage:
    """One screen page: its drawing, the notice it shows and its reading time."""

    picture: Picture
    title: str
    chars: int = 0
    number: int = 0
    total: int = 0

    @property
    def seconds(self) -> int:
        """How long the page stays up: four characters a second, 10 s to 60 s."""
        return max(10, min(60, math.ceil(self.chars / 4)))


@dataclass
class _Pager:
    size: ScreenSize
    sheet: Sheet
    face: Face
    title_face: Face
    pages: list[ScreenPage] = field(default_factory=list)
    y: float = 0.0

    @property
    def m(self) -> Metrics:
        return metrics(self.size)

    @property
    def page(self) -> ScreenPage:
        return self.pages[-1]

    def new_page(self) -> None:
        pic = Picture(self.size.width, self.size.height, background=BACK)
        self.pages.append(ScreenPage(pic, self.sheet.title))
        self.y = self.m.top
        if len(self.pages) > 1:  # who passes mid-loop still sees which notice this is
            self.text(self._continued(), self.face, self.size.min_type, TITLE,
                      self.m.margin)

    def _continued(self) -> str:
        room = self.size.width - 2 * self.m.margin
        tail = "（续）"
        title = self.sheet.title
        least = self.size.min_type
        if width(title + tail, self.face, least) <= room:
            return title + tail
        while title and width(title + "…" + tail, self.face, least) > room:
            title = title[:-1]
        return title + "…" + tail

    def fits(self, h: float) -> bool:
        return self.y + h <= self.m.bottom

    def text(self, line: str, face: Face, size: float, color: str, x: float) -> None:
        self.page.picture.text(x, self.y + (math.ceil(size * LEAD) - size) / 2, line, face,
                               size, color)
        self.page.chars += len(line.strip())
        self.y += math.ceil(size * LEAD)

    def paragraph(self, text: str, face: Face, size: float, color: str) -> None:
        room = self.size.width - 2 * self.m.margin
        for line in wrap(text, face, size, room):
            if not self.fits(math.ceil(size * LEAD)):
                self.new_page()
            self.text(line, face, size, color, self.m.margin)

    def keep_together(self, texts: list[str], face: Face, size: float) -> None:
        """Turn the page first when ``texts`` would not all fit here but fit on a fresh one."""
        room = self.size.width - 2 * self.m.margin
        need = sum(len(wrap(t, face, size, room)) for t in texts) * math.ceil(size * LEAD)
        fresh = self.m.bottom - self.m.top - math.ceil(self.size.min_type * LEAD)
        if not self.fits(need) and need <= fresh:
            self.new_page()

    def table(self, rows: list[list[str]]) -> None:
        least = self.size.min_type
        pad = max(2, round(least * 0.3))
        widths = _column_widths(rows, self.face, least, self.size.width - 2 * self.m.margin,
                                pad)
        cells = [[wrap(c, self.face, least, w - 2 * pad) or [""]
                  for c, w in zip(r, widths, strict=False)] for r in rows]
        line = self.m.line
        header, body = cells[0], cells[1:]
        head_h = max(len(c) for c in header) * line
        # A row taller than a fresh page holds (a long remark on a small LED
        # board) runs on in pieces, each under the header again.
        fresh = self.m.bottom - self.m.top - self.m.line - head_h
        most = max(1, fresh // line)
        on_page = -1  # the page whose header is drawn
        for whole in body:
            depth = max(len(c) for c in whole)
            for start in range(0, depth, most):
                row = [c[start:start + most] for c in whole]
                row_h = max(1, max(len(c) for c in row)) * line
                need = row_h + (head_h if on_page != len(self.pages) else 0)
                if not self.fits(need):
                    self.new_page()
                if on_page != len(self.pages):
                    self._row(header, widths, pad, head_h, HEAD_FILL)
                    on_page = len(self.pages)
                self._row(row, widths, pad, row_h, "")

    def _row(self, row: list[list[str]], widths: list[float], pad: int, h: float,
             fill: str) -> None:
        x = float(self.m.margin)
        top = self.y
        for lines, w in zip(row, widths, strict=False):
            self.page.picture.items.append(Box(x, top, w, h, fill=fill, stroke=GRID, line=1))
            self.y = top
            for line in lines:
                self.text(line, self.face, self.size.min_type, TEXT, x + pad)
            x += w
        self.y = top + h


_HAN_WORD = re.compile(r"[\u3400-\u9fff]")


def _column_widths(rows: list[list[str]], face: Face, size: float, inner: float,
                   pad: int) -> list[float]:
    """Columns in proportion to their widest cell, none under two characters."""
    count = max(len(r) for r in rows)
    natural = [max(width(r[k] if k < len(r) else "", face, size) for r in rows) + 2 * pad
               for k in range(count)]
    least = 2 * size + 2 * pad
    if count * least > inner:
        raise UserError(f"名单有{count}列，这块屏一行放不下（每列至少两个字）："
                        "请换用更宽的屏，或把名单分成几张表。")
    natural = [max(least, n) for n in natural]
    total = sum(natural)
    whole = _whole_words(rows, face, size, pad, least)
    if total > inner and sum(whole) <= inner:
        # A name or a village split over two lines reads as two people: those columns
        # keep their longest word whole, and the masked numbers wrap in what is left.
        spare = inner - sum(whole)
        want = [n - w for n, w in zip(natural, whole, strict=True)]
        return [w + spare * d / (sum(want) or 1.0) for w, d in zip(whole, want, strict=True)]
    if total <= inner:
        return [n + (inner - total) * n / total for n in natural]
    # Too wide: columns shrink in proportion, but not under two characters.
    fixed = [n for n in natural if n * inner / total < least]
    rest = inner - least * len(fixed)
    share = sum(n for n in natural if n * inner / total >= least) or 1.0
    return [least if n * inner / total < least else n * rest / share for n in natural]


def _whole_words(rows: list[list[str]], face: Face, size: float, pad: int,
                 least: float) -> list[float]:
    """Each column's narrowest width: its longest word whole where its cells hold Chinese
    words (names, villages, header words), two characters where they hold numbers only."""
    count = max(len(r) for r in rows)
    out = []
    for k in range(count):
        cells = [r[k] for r in rows if k < len(r)]
        if any(_HAN_WORD.search(c) for c in cells[1:]):
            out.append(max([least] + [table_layout.least(c, face, header=i == 0) * size
                                      + 2 * pad for i, c in enumerate(cells)]))
        else:
            out.append(max([least] + [table_layout.least(cells[0], face, header=True) * size
                                      + 2 * pad] if cells else [least]))
    return out


def layout_screens(sheets: list[Sheet], size: ScreenSize, township: str) -> list[ScreenPage]:
    """Every sheet's screen pages in order, each page numbered within its notice."""
    face = bundled_face("heading")
    out: list[ScreenPage] = []
    for sheet in sheets:
        pager = _Pager(size, sheet, face, face)
        pager.new_page()
        title_size = round(size.min_type * TITLE_SCALE)
        pager.paragraph(sheet.title, face, title_size, TITLE)
        for block in sheet.blocks:
            if block.rows:
                pager.table(block.rows)
            else:
                pager.paragraph(block.text, face, size.min_type, TEXT)
        for extra in (sheet.publicity, sheet.phone_line):
            if extra:
                pager.paragraph(extra, face, size.min_type, TEXT)
        # 特此公示, the issuer and the date go up together: a screen showing a date alone
        # reads as a notice that lost its signature.
        closing = [t for t in (sheet.closing, sheet.issuer, sheet.dated) if t]
        pager.keep_together(closing, face, size.min_type)
        for extra in closing:
            pager.paragraph(extra, face, size.min_type, TEXT)
        total = len(pager.pages)
        for number, page in enumerate(pager.pages, start=1):
            page.number, page.total = number, total
            _foot(page, size, face, township, sheet.draft)
        out.extend(pager.pages)
    return out


def _foot(page: ScreenPage, size: ScreenSize, face: Face, township: str, draft: bool) -> None:
    m = metrics(size)
    pic = page.picture
    top = size.height - m.margin - m.line
    pic.items.append(Box(m.margin, top - 1, size.width - 2 * m.margin, 1, fill=GRID))
    least = size.min_type
    y = top + (m.line - least) / 2
    mark = f"第{page.number}/{page.total}屏"
    mark_w = width(mark, face, least)
    pic.text(size.width - m.margin - mark_w, y, mark, face, least, FOOT)
    left = ("草稿 未经审核 " if draft else "") + (township or "")
    room = size.width - 2 * m.margin - mark_w - least
    while left and width(left, face, least) > room:
        left = left[:-1]
    if left:
        pic.text(m.margin, y, left, face, least, DRAFT if draft else FOOT)


# --- export -----------------------------------------------------------------------------

_PAGE_FILE = re.compile(r"^\d{3,}\.png$")


def export_screen(store: Store, notice_ids: list[str], folder: Path, size: ScreenSize
                  ) -> list[Path]:
    """Write every notice's screen pages as PNG into ``folder`` (one loop for a USB stick).

    Pages of an earlier loop left in the folder are removed, so the screen
    does not play a notice that has come down.
    """
    size = resolve(store, size)
    sheets = [build_sheet(store, n) for n in notice_ids]
    pages = layout_screens(sheets, size, get_township(store).township)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder.name} 是一个文件：电子屏画面要存进一个文件夹，请换一个位置。")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise UserError(NO_FOLDER, repr(exc)) from exc
    written: list[Path] = []
    digits = max(3, len(str(len(pages))))
    # Drawn per page: a long 名单 at 8K would not fit in memory as one PDF.
    for n, page in enumerate(pages, start=1):
        pdf = pdf_bytes([page.picture], page.title)
        written.append(write_png(png_pages(pdf, size.width)[0],
                                 folder / f"{n:0{digits}d}.png"))
    lines = [f"电子屏轮播：{len(pages)}屏，分辨率 {size.width}x{size.height}，"
             f"字高不小于 {size.min_type} 像素。按文件名顺序循环播放。", ""]
    lines += [f"{p.name}\t{page.seconds}秒\t{page.title}　第{page.number}/{page.total}屏"
              for p, page in zip(written, pages, strict=True)]
    write_bytes(folder / "playlist.txt", ("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    keep = {p.name for p in written}
    for old in folder.iterdir():
        if _PAGE_FILE.match(old.name) and old.name not in keep:
            old.unlink()
    return written
