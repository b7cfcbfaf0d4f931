"""What goes on a board sheet, independent of the file format that prints it.

A notice's body is plain text: paragraphs, and (for 名单) runs of
tab-separated lines that are tables, the first line being the header. The
sheet adds what the wall needs: the 公示期 from … to …, the 监督电话, the issuing
unit and date with room for the seal, and the draft mark until it is approved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from app import clock
from app.catalog.items import get_item
from app.notices.drafts import Notice, get_notice, publicity_end
from app.notices.templates import get_template
from app.store import Store
from app.township import get_township
from app.workdays import Calendar

DRAFT_MARK = "草稿 未经审核"
_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
#: The outline's "公示期：自张贴之日起5个工作日", which the sheet prints as real dates.
#: A line that is nothing but a phone number and its label (``监督电话：0551-62345678``):
#: a 明白纸 prints it in its footer strip, in large type, next to the QR code.
_PHONE_LINE = re.compile(r"^[^\s：:，。,；;]{0,8}(?:电话|热线)[：:]\s*"
                         r"[0-9０-９(（][0-9０-９\-－—()（）、/，, 转]*$")
_PERIOD_RULE = re.compile(r"(公示期[：:为]?)\s*自张贴之日起\s*\d+\s*(?:个工作日|天|日)")


@dataclass
class Block:
    """A paragraph (``rows`` empty) or a table (``rows[0]`` is its header).

    ``flush`` paragraphs start at the margin (a letter's addressee line).
    """

    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    flush: bool = False


@dataclass
class Sheet:
    """Everything printed on a board sheet."""

    title: str
    blocks: list[Block]
    publicity: str
    phone: str
    issuer: str
    dated: str
    draft: bool
    calendar_known: bool = True
    heading: str = ""
    closing: str = ""
    phone_label: str = "监督电话"
    paper: str = "A4"
    qr_caption: str = ""

    def all_text(self) -> str:
        """Every piece of text the sheet prints, one per line (to check the faces have it)."""
        parts = [self.heading, self.title, *(b.text for b in self.blocks),
                 *("\t".join(row) for b in self.blocks for row in b.rows),
                 self.publicity, self.phone_line, self.closing, self.issuer, self.dated,
                 self.qr_caption]
        return "\n".join(p for p in parts if p)

    @property
    def phone_line(self) -> str:
        """``监督电话：…`` (or the template's label), empty when there is no number to print."""
        return f"{self.phone_label}：{self.phone}" if self.phone else ""


def chinese_date(day: date) -> str:
    """2026年11月23日, as official papers write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def split_body(body: str) -> list[Block]:
    """Paragraphs and tables of a body; a table is two or more tab-separated lines."""
    blocks: list[Block] = []
    table: list[list[str]] = []

    def close_table() -> None:
        if len(table) >= 2:
            width = max(len(r) for r in table)
            blocks.append(Block(rows=[r + [""] * (width - len(r)) for r in table]))
        elif table:
            blocks.append(Block(text="  ".join(table[0])))
        table.clear()

    for line in body.splitlines():
        if "\t" in line:
            table.append([cell.strip() for cell in line.split("\t")])
            continue
        close_table()
        if line.strip():
            blocks.append(Block(text=line.strip()))
    close_table()
    return blocks


def build_sheet(store: Store, notice_id: str, on: date | None = None) -> Sheet:
    """The sheet of a notice: its approved revision if it has one, else the draft.

    The township's template for the notice's kind adds the heading line, the
    fixed opening and closing words and the name of the phone line.
    """
    notice = get_notice(store, notice_id)
    if notice.approved_rev:
        notice = get_notice(store, notice_id, notice.approved_rev)
    on = on or clock.today()
    publicity, known = _publicity_line(store, notice, on)
    template = get_template(store, notice.kind).filled(
        get_township(store).township, notice.issuer, notice.phone)
    body = notice.body
    if publicity and _PERIOD_RULE.search(body):
        # The dates go where the clerk expects them, in the 公示期 sentence itself.
        body = _PERIOD_RULE.sub(lambda m: publicity, body, count=1)
        publicity = ""
    squashed = "".join(body.split())
    blocks = split_body(template.opening) + split_body(body)
    # The outline already writes the phone line; a clerk may have written the
    # closing words too. Neither should print twice.
    printed_phone = any(label in notice.body for label in ("监督电话", template.phone_label))
    closing = "" if "".join(template.closing.split()) in squashed else template.closing
    return Sheet(notice.title, blocks, publicity, "" if printed_phone else notice.phone,
                 notice.issuer, chinese_date(on),
                 draft=notice.status not in ("approved", "published"), calendar_known=known,
                 heading=template.heading, closing=closing, phone_label=template.phone_label,
                 paper=template.paper, qr_caption=template.qr_caption)


def _publicity_line(store: Store, notice: Notice, on: date) -> tuple[str, bool]:
    """公示期 from the first posting, or from the printing day if it is not up yet."""
    item = get_item(store, notice.item_id, notice.item_rev)
    if not (item.rule or {}).get("publicity") or notice.kind in ("明白纸", "解读"):
        return "", True
    posted = notice.publicity.get("start") if notice.publicity else None
    start = date.fromisoformat(posted) if posted else on
    end = publicity_end(Calendar.from_store(store), item.rule, start)
    if end is None:
        return "", True
    return f"公示期：{chinese_date(start)}至{chinese_date(end.date)}", end.calendar_known


@dataclass(frozen=True)
class HandoutSection:
    """One section of a 明白纸: its heading (without the colon) and the lines under it.

    The lines before the first numbered heading make a section with no heading.
    """

    heading: str
    lines: tuple[str, ...]


def handout_sections(sheet: Sheet) -> tuple[list[HandoutSection], list[str]]:
    """A 明白纸's sections, and the phone lines that print in its footer strip.

    A section runs from its "一、…：" heading to the next one, so steps the clerk
    wrote one per line stay together. Lines that are only a phone number leave
    the body for the footer; the sheet's own phone line comes first.
    """
    sections: list[HandoutSection] = []
    heading, lines = "", list[str]()
    phones = [sheet.phone_line] if sheet.phone_line else []
    for block in sheet.blocks:
        text = block.text or "　".join(" ".join(r) for r in block.rows)
        if _SECTION.match(text):
            if heading or lines:
                sections.append(HandoutSection(heading, tuple(lines)))
            heading, _, rest = text.partition("：")
            lines = [rest.strip()] if rest.strip() else []
        elif _PHONE_LINE.match(text.strip()):
            phones.append(text.strip())
        else:
            lines.append(text)
    if heading or lines:
        sections.append(HandoutSection(heading, tuple(lines)))
    return sections, phones
