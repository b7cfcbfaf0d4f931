"""两微一端: a copy-ready post (plain text, and the 图解 or the sheet's page images).

What the clerk pastes into the official account's editor, and the pictures to put
under it. Only an approved text goes out (先审后发): the approved revision, as the
board sheet prints it.

- **The text** (``标题.txt``, UTF-8 with a BOM and Windows line ends, so that Notepad
  and WPS open it as it is): the title, the paragraphs, the 公示期, the phone line,
  the issuing unit and the date, and the county's published address where there is
  one. A 名单 does not go in as text: a table of columns wrapped on a phone's width
  is unreadable, and the page images under the post show it as printed, so its
  place says 「名单详见附图」. (With a 图解 for picture, which does not show a table,
  its rows go in as lines instead.) Personal data is masked again on the way out.
- **The pictures**: the 图解 (一图读懂) when the notice is a 解读 of form 图解 and the
  图解 can be drawn; otherwise every page of the board sheet, 1080 px wide (the width
  an official account shows), rendered from the very PDF that prints.

Everything is made in a scratch folder first and moved into the folder only once it
is all there; pictures of an earlier export of the same notice that this one did not
make again (a page fewer) are removed, so the folder never mixes two versions.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

from PIL import Image

from app.catalog.items import get_item
from app.errors import UserError
from app.notices.channels import SOCIAL, off_the_internet
from app.notices.drafts import get_notice, published_phones
from app.notices.privacy import mask
from app.printing.output import PrintOptions, render_notice
from app.printing.page_images import fit_dpi, page_images, page_sizes
from app.printing.sheet import Sheet, build_sheet
from app.store import Store

log = logging.getLogger(__name__)

#: The width of the pictures, in pixels (an official account shows them this wide).
PICTURE_WIDTH = 1080
TABLE_NOTE = "（名单详见附图）"
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
NAME_MAX = 40


def file_stem(title: str) -> str:
    """A file name from a title: no characters Windows refuses, at most 40 characters."""
    stem = _BAD_NAME.sub("", " ".join(title.split()))[:NAME_MAX].strip(" .")
    return stem or "两微一端"


def post_text(sheet: Sheet, county_url: str = "", tables_as_pictures: bool = True,
              phones: tuple[str, ...] = ()) -> str:
    """The post's plain text (lines joined by ``\\n``), personal data masked."""
    lines = [sheet.title, ""]
    if sheet.heading:
        lines[:0] = [sheet.heading]
    for block in sheet.blocks:
        if block.rows:
            if tables_as_pictures:
                if not lines or lines[-1] != TABLE_NOTE:
                    lines.append(TABLE_NOTE)
            else:
                lines += ["　".join(c for c in row if c) for row in block.rows]
        elif block.text:
            lines.append(block.text)
    for extra in (sheet.publicity, sheet.closing, sheet.phone_line):
        if extra:
            lines.append(extra)
    lines += ["", sheet.issuer, sheet.dated]
    if county_url:
        lines += ["", f"网上原文：{county_url}"]
    return mask("\n".join(lines).strip() + "\n", published_phones=phones)


def _check_folder(folder: Path) -> Path:
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"「{folder.name}」是一个文件，请选一个文件夹来放两微一端图文。")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise UserError(f"文件夹「{folder.parent}」不存在，请先建好或换一个位置。")
        try:
            folder.mkdir()
        except OSError as exc:
            raise UserError(f"无法建立文件夹「{folder.name}」，请换一个位置。", str(exc)) from exc
    return folder


def _graphic_png(store: Store, notice_id: str, out: Path) -> bool:
    """Draw the notice's 图解 to ``out`` if it is a 解读 of form 图解; False otherwise."""
    row = store.conn.execute("SELECT kind, form FROM notices WHERE id = ?",
                             (notice_id,)).fetchone()
    if row is None or row["kind"] != "解读" or row["form"] != "图解":
        return False
    from app.notices.interpretation import graphic_content
    from app.printing.graphic import render_graphic_png

    render_graphic_png(graphic_content(store, notice_id), out)
    return out.exists()


def _page_pngs(store: Store, notice_id: str, scratch: Path, stem: str) -> list[Path]:
    pdf = scratch / "sheet.pdf"
    render_notice(store, notice_id, pdf, PrintOptions(fmt="pdf"))
    sizes = page_sizes(pdf)
    dpi = fit_dpi(sizes[0], PICTURE_WIDTH, most=600) if sizes else 130.0
    out = []
    for page in page_images(pdf, dpi):
        picture = Image.frombuffer("RGB", (page.width, page.height), page.rgb, "raw", "RGB",
                                   page.stride, 1)
        if picture.width != PICTURE_WIDTH:
            # Rounding of the scale leaves a pixel too few or too many.
            picture = picture.resize(
                (PICTURE_WIDTH, round(picture.height * PICTURE_WIDTH / picture.width)),
                Image.Resampling.LANCZOS)
        target = scratch / f"{stem}-第{page.number}页.png"
        picture.save(target, "PNG")
        out.append(target)
    pdf.unlink()
    return out


def export_social(store: Store, notice_id: str, folder: Path) -> list[Path]:
    """Write the post's text and images into ``folder``; returns the files written.

    Refused for a notice not approved (or withdrawn), for one whose item is for a
    特定群体 only and does not name 两微一端, and for one whose item the township marked
    as metadata only (its text does not go on the internet).
    """
    notice = get_notice(store, notice_id)
    if notice.status not in ("approved", "published"):
        state = "已撤回" if notice.status == "withdrawn" else "还没有审核通过"
        raise UserError(f"这条公开信息{state}，不能生成两微一端图文（先审后发）。")
    item = get_item(store, notice.item_id, notice.item_rev)
    if off_the_internet(item.audience, item.channels, SOCIAL):
        raise UserError("这个事项的公开对象是特定群体，目录没有列两微一端，不在网上公开。")
    if store.scalar("SELECT metadata_only FROM item_plans WHERE item_id = ?", (item.id,)):
        raise UserError("这个事项设为只报送标题等信息、正文不上网，不能生成两微一端图文。")
    folder = _check_folder(folder)
    sheet = build_sheet(store, notice_id)
    stem = file_stem(sheet.title)
    with tempfile.TemporaryDirectory(prefix=".gongkai-", dir=folder) as tmp:
        scratch = Path(tmp)
        graphic = scratch / f"{stem}-图解.png"
        pictures = ([graphic] if _graphic_png(store, notice_id, graphic)
                    else _page_pngs(store, notice_id, scratch, stem))
        text = post_text(sheet, notice.county_url or "",
                         tables_as_pictures=pictures != [graphic],
                         phones=published_phones(store))
        words = scratch / f"{stem}.txt"
        words.write_bytes(text.replace("\n", "\r\n").encode("utf-8-sig"))
        made = [words, *pictures]
        written = []
        for path in made:
            target = folder / path.name
            os.replace(path, target)
            written.append(target)
    for stale in [*folder.glob(f"{glob_escape(stem)}-第*页.png"),
                  *folder.glob(f"{glob_escape(stem)}-图解.png")]:
        if stale not in written and re.fullmatch(rf"{re.escape(stem)}-(第\d+页|图解)\.png",
                                                 stale.name):
            stale.unlink(missing_ok=True)
    return written


def glob_escape(text: str) -> str:
    """``text`` as a literal inside a glob pattern (a title may hold ``[``)."""
    return re.sub(r"([\[\]*?])", r"[\1]", text)

