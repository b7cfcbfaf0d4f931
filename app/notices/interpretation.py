"""政策解读: a notice of kind 解读 explaining another (三同步), and what its 图解 shows.

三同步 (同步起草、同步审签、同步发布) for a notice marked 应解读: its last review
step waits until a 解读 of it has passed review (:mod:`app.notices.review`); the
outbox holds whichever of the two is ready first and sends both in one batch
(:func:`sync_groups`); a posting of one without the other is let through with
a warning (:func:`post_warning`), since the clerk may be about to post the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.catalog.items import get_item
from app.errors import UserError
from app.notices.drafts import Notice, get_notice
from app.notices.text import qa_pairs
from app.store import Store, now_iso

#: A 解读 counts as passed (for its parent's last step and the 台账) in these states.
PASSED = ("approved", "published")


@dataclass(frozen=True)
class Figure:
    """A number a reader should see large: 每人每月 | 680元, 公示期 | 11月23日至12月1日."""

    label: str
    value: str


@dataclass(frozen=True)
class Graphic:
    """What a 图解 (一图读懂) draws, read from the 解读's fields."""

    title: str
    subtitle: str  # e.g. 《青石镇最低生活保障实施办法》政策解读
    points: tuple[tuple[str, str], ...]  # numbered key points: (heading, text)
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    qr_url: str = ""  # the published URL of the document it explains, if known
    phone: str = ""
    phone_label: str = "咨询电话"
    issuer: str = ""
    date: str = ""  # 2026年11月23日


def graphic_content(store: Store, notice_id: str) -> Graphic:
    """The 图解 of a 解读 (any form: a 文字 or 问答 解读 can be drawn too).

    Points are the 问答's questions with their answers, or the headings with
    what is written under them (empty headings left out); figures are the
    amounts (680元), dates and the 公示期 the text names; the QR code leads to
    the published page of what it explains (else its own).
    """
    notice = get_notice(store, notice_id)
    if notice.kind != "解读":
        raise UserError("只有政策解读才能生成图解（一图读懂）。")
    pairs = qa_pairs(notice.body)
    points = [(q, _first_sentences(a)) for q, a in pairs if a.strip()]
    if not pairs:
        points = [(h, _first_sentences(t)) for h, t in _headed(notice.body) if t.strip()]
    text = notice.body
    phone = _PHONE.search(text)
    parent = notice.explains or {}
    subject = (notice.policy_title or str(parent.get("title", "")) or notice.title)
    subject = subject.strip("《》")
    day = notice.formed
    return Graphic(
        title="一图读懂", subtitle=notice.title if notice.title else f"《{subject}》政策解读",
        points=tuple(points[:MAX_POINTS]), figures=tuple(figures_of(text)[:MAX_FIGURES]),
        qr_url=str(parent.get("county_url") or notice.county_url or ""),
        phone=phone.group("phone") if phone else notice.phone,
        issuer=notice.issuer, date=f"{int(day[:4])}年{int(day[5:7])}月{int(day[8:10])}日",
    )


#: A picture holds this many points and figures before it is unreadable on a board.
MAX_POINTS, MAX_FIGURES = 8, 6
_PHONE = re.compile(r"(?:咨询|联系|监督)?电话[：:]\s*(?P<phone>[0-9０-９\-－ ]{7,20}[0-9])")
_AMOUNT = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>万元|元|千元)")
_SPAN = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:[至到—\-~～](?:\d{4}年)?\d{1,2}月\d{1,2}日)?")
_PUBLICITY = re.compile(r"公示期(?:为|是)?[：:]?\s*(?P<v>[^。；;，,\n]{2,30})")
_CUT = re.compile(r"[，。；;：:、\s（）()\d]")
#: Words after which the words that name an amount begin (标准为|每人每月).
_FILLER = re.compile(r"为|是|按|达到|由|给予|提高到")


def figures_of(text: str) -> list[Figure]:
    """The numbers a reader should see large: amounts with what they are, dates, the 公示期."""
    out: list[Figure] = []
    for match in _AMOUNT.finditer(text):
        before = _CUT.split(text[max(0, match.start() - 16):match.start()])[-1]
        label = _FILLER.split(before)[-1][-8:].lstrip("元万") or "标准"
        out.append(Figure(label, match.group("n") + match.group("unit")))
    publicity = _PUBLICITY.search(text)
    if publicity:
        out.append(Figure("公示期", publicity.group("v").strip()))
    for match in _SPAN.finditer(text):
        if publicity and match.group(0) in publicity.group("v"):
            continue
        before = _CUT.split(text[max(0, match.start() - 12):match.start()])[-1]
        out.append(Figure(before[-8:] or "日期", match.group(0)))
    # The first mention of a value says what it is; a later one (提高到680元) only repeats it.
    first: dict[str, Figure] = {}
    for figure in out:
        first.setdefault(figure.value, figure)
    return list(first.values())


def _first_sentences(text: str, limit: int = 60) -> str:
    """What a point says, short enough for a picture: whole sentences up to ``limit``."""
    text = " ".join(t.strip() for t in text.splitlines() if t.strip())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(p, 0, limit) for p in "。；;")
    return text[: cut + 1] if cut > 0 else text[: limit - 1] + "…"


_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*(?P<title>[^：:]{1,30})[：:]"
                          r"\s*(?P<rest>.*)$")


def _headed(body: str) -> list[tuple[str, str]]:
    """(heading, what is written on its line and under it) of each first-level heading."""
    out: list[tuple[str, list[str]]] = []
    for raw in (body or "").splitlines():
        line = raw.strip(" \u3000\t\r")
        heading = _TOP_HEADING.match(line)
        if heading:
            rest = heading.group("rest").strip()
            out.append((heading.group("title").strip(), [rest] if rest else []))
        elif out and line:
            out[-1][1].append(line)
    return [(h, "\n".join(t)) for h, t in out]


# --------------------------------------------------------------------------- 应解读


def set_interpret(store: Store, notice_id: str, needed: bool) -> None:
    """Mark a notice 应解读 (or not): its last review step then waits for its 解读 (三同步)."""
    notice = get_notice(store, notice_id)
    if notice.kind == "解读":
        raise UserError("政策解读本身不需要再解读。")
    if notice.interpret == needed:
        return
    with store.transaction() as conn:
        conn.execute("UPDATE notices SET interpret = ?, updated_at = ? WHERE id = ?",
                     (int(needed), now_iso(), notice_id))
        store.audit("notice.interpret", notice_id, {"interpret": needed})


def set_item_interpret(store: Store, item_id: str, needed: bool) -> None:
    """Mark a catalog item 应解读: the notices drafted from it from now on start marked so."""
    item = get_item(store, item_id)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO item_plans (item_id, interpret, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(item_id) DO UPDATE SET"
            " interpret = excluded.interpret, updated_at = excluded.updated_at,"
            " updated_by = excluded.updated_by",
            (item.id, int(needed), now_iso(), store.get_setting("clerk", "") or ""))
        store.audit("catalog.interpret", item.id, {"interpret": needed})


def item_interprets(store: Store, item_id: str) -> bool:
    """Whether the township marked the item 应解读."""
    return bool(store.scalar("SELECT interpret FROM item_plans WHERE item_id = ?", (item_id,)))


def passed_interpretations(notice: Notice) -> list[dict[str, Any]]:
    """The 解读 of a notice that have passed review (approved or published)."""
    return [i for i in notice.interpretations if i["status"] in PASSED]


# --------------------------------------------------------------------------- 同步发布


def post_warning(store: Store, notice_id: str) -> str:
    """The sentence to show when a notice went up and its 解读 (or what it explains) did not.

    "" when the other is up too, or there is no other.
    """
    notice = get_notice(store, notice_id)
    if notice.kind == "解读" and notice.explains:
        other = [notice.explains]
    elif notice.interpretations or notice.interpret:
        other = [i for i in notice.interpretations if i["status"] != "withdrawn"]
    else:
        return ""
    up = [o for o in other if _posted(store, o["id"])]
    if up:
        return ""
    if not other:
        return "这条公开信息应同步解读，但还没有政策解读，请尽快起草并一同发布（三同步）。"
    name = other[0]["title"]
    if notice.kind == "解读":
        return f"所解读的「{name}」还没有张贴，三同步要求二者同时发布，请一并张贴。"
    return f"它的政策解读「{name}」还没有张贴，三同步要求二者同时发布，请一并张贴。"


def _posted(store: Store, notice_id: str) -> bool:
    return bool(store.scalar("SELECT 1 FROM postings WHERE notice_id = ? LIMIT 1",
                             (notice_id,)))


def sync_groups(store: Store, waiting: list[str]) -> tuple[list[list[str]], list[str]]:
    """The waiting notices in groups that travel in one batch, and those held back.

    A notice marked 应解读 waits (approved) until a 解读 of it has passed; a 解读
    of a 应解读 notice still in review waits for it. A parent and its waiting
    解读 form one group; withdrawals are never held.
    """
    rows = {r["id"]: r for r in store.query(
        f"SELECT id, status, interpret, explains FROM notices WHERE id IN"  # noqa: S608
        f" ({','.join('?' * len(waiting))})", tuple(waiting))} if waiting else {}
    held: list[str] = []
    ready: list[str] = []
    for notice_id in waiting:
        row = rows[notice_id]
        if row["status"] in PASSED and _waits(store, row):
            held.append(notice_id)
        else:
            ready.append(notice_id)
    parent_of = {i: rows[i]["explains"] for i in ready if rows[i]["explains"] in ready}
    groups: dict[str, list[str]] = {}
    for notice_id in ready:
        groups.setdefault(parent_of.get(notice_id, notice_id), []).append(notice_id)
    return list(groups.values()), held


def held_back(store: Store) -> list[dict[str, str]]:
    """The notices waiting to be sent that 三同步 holds back: id, title and why, in one sentence.

    The 同步 page and ``sync status`` say this, so that a clerk who sees 待报送
    not move after a sync knows what the county is waiting on.
    """
    waiting = [r["notice_id"] for r in store.query(
        "SELECT notice_id FROM outbox WHERE batch_id IS NULL ORDER BY id")]
    _groups, held = sync_groups(store, waiting)
    out = []
    for notice_id in held:
        n = get_notice(store, notice_id)
        if n.explains:
            why = (f"等《{n.explains['title']}》审核通过后与它一同报送"
                   "（政策文件与解读同步发布）")
        else:
            why = "等它的政策解读审核通过后一同报送（政策文件与解读同步发布）"
        out.append({"id": n.id, "title": n.title, "why": why})
    return out


def _waits(store: Store, row: Any) -> bool:
    if row["interpret"]:
        return not store.scalar(
            "SELECT 1 FROM notices WHERE explains = ? AND status IN ('approved', 'published')",
            (row["id"],))
    if row["explains"]:
        parent = store.conn.execute("SELECT status, interpret FROM notices WHERE id = ?",
                                    (row["explains"],)).fetchone()
        return bool(parent["interpret"]) and parent["status"] == "draft"
    return False
