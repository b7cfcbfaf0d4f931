"""Where a notice actually went, channel by channel, beside the board postings.

Each channel a notice's catalog item names (公开渠道和载体) is a duty: what the desk makes
for it (:data:`resources/channels.toml`: 张贴稿, 屏幕页, 广播稿, 图文, 明白纸 …) and how its
being done is known. A board is done by its postings (:mod:`app.notices.boards`), the
政府网站 by the county's reply with the published URL, every other channel by the
clerk's record here: the screen and the days shown, the village broadcast, the post's
URL, the 明白纸 handed out, the reading place.

**Records are kept, never rewritten** (``channel_records`` is append-only). A wrong
record is put right by a later one: a record that *replaces* another (``replaces=N``)
carries 〔更正第N条〕 at the head of its note, and a record *withdrawn* as wrong gets a
row of its own whose note begins 〔撤销第N条〕 with the reason. A replaced or withdrawn
record stays in the table, in the audit log and in the checklist's history, and no
longer counts as the notice having gone out on that channel. The clerk's own notes
cannot begin with those marks.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from app import clock
from app.catalog.items import get_item
from app.errors import UserError
from app.facts import CHANNELS, order_like, squash, standard_channel
from app.notices.drafts import get_notice
from app.store import Store, now_iso
from app.workdays import check_day, parse_date
from resources import RESOURCES

SPEC_FILE = RESOURCES / "channels.toml"
#: The board channel (done by postings) and the website (done by the county's URL).
BOARD_CHANNEL = "社区/企事业单位/村公示栏（电子屏）"
WEBSITE = "政府网站"
#: What the checklist says of the website for a notice that must not go online.
OFFLINE_WORDS = "仅限线下公开，不上网"
SOCIAL = "两微一端"

PLACE_MAX = 60
NOTE_MAX = 200
URL_MAX = 500
COUNT_MAX = 1_000_000
TYPED_MAX = 30
#: A short name with 屏 in it is a screen (LED屏); a long one is more likely a sentence.
SCREEN_NAME_MAX = 8
#: How far past its first day a record may say it runs (a screen's loop, a reading place).
UNTIL_MAX_DAYS = 366

_MARK = re.compile(r"^〔(更正|撤销)第(\d+)条〕")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class ChannelSpec:
    """What the desk makes for a channel and what a record of it holds (channels.toml)."""

    channel: str
    output: str
    export: str = ""
    #: records | postings | county
    done: str = "records"
    place: str = ""
    place_label: str = "地点"
    url: str = ""
    count: str = ""
    count_label: str = "份数"
    count_text: str = "{n}"
    until: str = ""
    hint: str = ""

    @property
    def recordable(self) -> bool:
        """Whether the clerk records it here (the website is the county's word only)."""
        return self.done != "county"


@cache
def _data() -> dict[str, Any]:
    with SPEC_FILE.open("rb") as f:
        return tomllib.load(f)


@cache
def channel_spec(channel: str) -> ChannelSpec:
    """The spec of a channel (a channel not among the 13 gets the ``[default]`` one)."""
    data = _data()
    fields = data["channels"].get(channel, data["default"])
    return ChannelSpec(channel, **fields)


def short_name(channel: str) -> str:
    """The channel as a narrow column shows it: 公示栏（电子屏） for the board's long name."""
    return "公示栏（电子屏）" if channel == BOARD_CHANNEL else channel


def _typed_key(text: str) -> str:
    return squash(unicodedata.normalize("NFKC", text or "")).replace("(", "（").replace(")", "）")


def resolve_channel(typed: str, named: Iterable[str] = ()) -> str:
    """The channel the clerk means: a standard name or alias, or one the item names itself.

    A board (公示栏, 公开栏 …) is refused: its postings are recorded with 记录张贴.
    A screen (电子屏, 触摸屏) is the board channel's screen.
    """
    key = _typed_key(typed)
    if not key:
        raise UserError("请写明公开渠道的名称。")
    if len(key) > TYPED_MAX:
        raise UserError(f"渠道名称太长了（不超过{TYPED_MAX}个字）。")
    board = _data()["board"]
    if key in board["words"] or (standard_channel(key) == BOARD_CHANNEL
                                 and board["screen"] not in key):
        raise UserError("张贴到公开栏请用「记录张贴」（gongkai notice post）；电子屏请写“电子屏”。")
    found = standard_channel(key) or _data()["typed"].get(key)
    if found is None and board["screen"] in key and len(key) <= SCREEN_NAME_MAX:
        found = BOARD_CHANNEL  # 大屏, LED屏, 显示屏: a screen, whatever it is called
    if found is None:
        found = next((c for c in named if _typed_key(c) == key), None)
    if found is None:
        names = "、".join(map(short_name, CHANNELS))
        raise UserError(f"「{key}」不是公开渠道的名称，可写：{names}。")
    return str(found)


def off_the_internet(audience: Iterable[str], channels: Iterable[str], channel: str) -> bool:
    """Whether ``channel`` (an internet one) is barred: the item is for a 特定群体 only and
    does not name the channel itself (what is for a 特定群体 stays off the internet)."""
    people = list(audience)
    return bool(people) and "全社会" not in people and channel not in list(channels)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ChannelRecord:
    """One time a notice went out on a channel: the screen and days, the village, the URL…

    ``number`` is the record's own number (for 更正 and 撤销); a board posting
    (``kind`` "posting") and the county's URL ("county") have none.
    """

    channel: str
    day: date
    until: date | None = None
    url: str = ""
    place: str = ""
    count: int | None = None
    note: str = ""
    number: int | None = None
    kind: str = "record"
    #: The earlier record this one replaces (更正), if any.
    replaces: int | None = None

    def text(self) -> str:
        """The record in one line for the clerk."""
        if self.kind == "posting":
            down = f"，{self.until.isoformat()}撤下" if self.until else ""
            return f"{self.place}：{self.day.isoformat()}张贴{down}"
        if self.kind == "county":
            return f"县级平台{self.day.isoformat()}发布：{self.url}"
        parts = [self.day.isoformat() + (f"至{self.until.isoformat()}" if self.until else "")]
        spec = channel_spec(self.channel)
        if self.place:
            parts.append(self.place)
        if self.count is not None:
            parts.append(spec.count_text.format(n=self.count))
        if self.url:
            parts.append(self.url)
        note = _MARK.sub("", self.note)
        if note:
            parts.append(note)
        if self.replaces:
            parts.append(f"（更正第{self.replaces}条）")
        return "　".join(parts)


@dataclass(frozen=True)
class ChannelDuty:
    """A channel the notice's item names: what the desk makes for it, and whether it was done.

    ``required`` is False for a channel the item does not name that the notice went
    out on all the same (a board posting, a broadcast the clerk recorded).
    """

    channel: str
    output: str  # what the desk makes: 张贴稿, 屏幕页, 广播稿, 图文, 明白纸 …
    records: tuple[ChannelRecord, ...]
    required: bool = True
    export: str = ""
    done_by: str = "records"
    #: Records replaced or withdrawn (shown as history, not counted).
    superseded: tuple[ChannelRecord, ...] = ()
    #: The website, for a notice that must stay off the internet (仅限线下公开).
    offline: bool = False

    @property
    def done(self) -> bool:
        """At least one record."""
        return bool(self.records)

    @property
    def missing(self) -> bool:
        """Required and not yet done."""
        return self.required and not self.records

    @property
    def spec(self) -> ChannelSpec:
        """What a record of this channel holds."""
        return channel_spec(self.channel)

    def status(self) -> str:
        """Done or not, in the clerk's words."""
        if self.records:
            return f"已完成（{len(self.records)}条记录）" if len(self.records) > 1 else "已完成"
        if self.offline:
            return OFFLINE_WORDS
        if self.done_by == "postings":
            return "未张贴"
        if self.done_by == "county":
            return "待县级平台发布"
        return "未记录"


def live_keys(rows: Iterable[Any]) -> tuple[set[int], set[int]]:
    """Of channel_records rows (``id``, ``note``): the ids replaced or withdrawn, and the
    ids of withdrawal rows (which are no records themselves)."""
    gone: set[int] = set()
    marks: set[int] = set()
    for r in rows:
        m = _MARK.match(r["note"] or "")
        if m:
            gone.add(int(m[2]))
            if m[1] == "撤销":
                marks.add(int(r["id"]))
    return gone, marks


def went_channels(rows: Iterable[Any]) -> dict[str, set[str]]:
    """Notice id → the channels it has a live record on (rows: id, notice_id, channel, note)."""
    listed = list(rows)
    gone, marks = live_keys(listed)
    out: dict[str, set[str]] = {}
    for r in listed:
        if r["id"] not in gone and r["id"] not in marks:
            out.setdefault(r["notice_id"], set()).add(r["channel"])
    return out


def _record(r: Any) -> ChannelRecord:
    m = _MARK.match(r["note"] or "")
    return ChannelRecord(
        r["channel"], date.fromisoformat(r["day"]),
        date.fromisoformat(r["until"]) if r["until"] else None, r["url"], r["place"],
        r["count"], r["note"], int(r["id"]), "record",
        int(m[2]) if m and m[1] == "更正" else None)


def _clean_text(text: str | None, what: str, most: int) -> str:
    value = " ".join(unicodedata.normalize("NFKC", text or "").split())
    value = _CONTROL.sub("", value)
    if len(value) > most:
        raise UserError(f"{what}太长了（不超过{most}个字）。")
    return value


def check_url(url: str) -> str:
    """A post's address: http(s) with a host, no spaces, not absurdly long; '' stays ''."""
    value = (url or "").strip()
    if not value:
        return ""
    if len(value) > URL_MAX:
        raise UserError(f"网址太长了（不超过{URL_MAX}个字符）。")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not host
            or "." not in host or re.search(r"[\s<>\"]", value) or _CONTROL.search(value)):
        # The sentence is one line whatever was pasted: what it echoes is squashed.
        raise UserError(f"网址「{squash(_CONTROL.sub(' ', value))[:40]}」不对，"
                        "请粘贴以 http:// 或 https:// 开头的完整网址。")
    return value


def _day(text: str | None, what: str, default: date) -> date:
    if text is None or not str(text).strip():
        return default
    return check_day(parse_date(str(text).strip()), what)


def _read_rows(store: Store, notice_id: str) -> list[Any]:
    return store.query("SELECT * FROM channel_records WHERE notice_id = ? ORDER BY id",
                       (notice_id,))


def _live(store: Store, notice_id: str) -> dict[int, Any]:
    rows = _read_rows(store, notice_id)
    gone, marks = live_keys(rows)
    return {int(r["id"]): r for r in rows if r["id"] not in gone and r["id"] not in marks}


def record_channel(store: Store, notice_id: str, channel: str, day: str | None = None,
                   url: str = "", note: str = "", place: str = "", count: int | None = None,
                   until: str | None = None, *, replaces: int | None = None,
                   today: date | None = None) -> ChannelRecord:
    """Record that the notice went out on ``channel`` (one audited write).

    Refused, with one sentence: a notice not yet approved or withdrawn; a name
    that is no channel (or a board, which 记录张贴 records, or the website, which
    the county's reply records); a date in the future or before the notice's
    信息形成日期; a field the channel does not take or lacks (the URL of 两微一端,
    http(s) only; the 份数 of 入户/现场, at least 1); text past its limit; the same
    record twice. ``replaces`` names a record of the notice this one puts right.
    """
    today = today or clock.today()
    notice = get_notice(store, notice_id)
    if notice.status == "withdrawn":
        raise UserError("这条公开信息已撤回，不能再记录公开渠道。")
    if notice.status == "draft":
        raise UserError("这条公开信息还没有审核通过，审核通过后才能通过各渠道公开（先审后发）。")
    item = get_item(store, notice.item_id, notice.item_rev)
    name = resolve_channel(channel, item.channels)
    spec = channel_spec(name)
    if not spec.recordable:
        raise UserError(spec.hint or "这个渠道不能手工记录。")
    if name == SOCIAL and off_the_internet(item.audience, item.channels, name):
        raise UserError("这个事项的公开对象是特定群体，目录没有列两微一端，不在网上公开。")
    first = _day(day, "公开日期", today)
    if first > today:
        raise UserError("公开日期不能晚于今天。")
    if first.isoformat() < notice.formed:
        raise UserError(f"公开日期不能早于信息形成日期（{notice.formed}）。")
    last = _day(until, "截止日期", first) if until not in (None, "") else None
    where = _clean_text(place, spec.place_label, PLACE_MAX)
    words = _clean_text(note, "说明", NOTE_MAX)
    if _MARK.match(words):
        raise UserError("说明不能以〔更正第…条〕或〔撤销第…条〕开头，这是工作台自己写的标记。")
    address = check_url(url)
    _check_fields(spec, first, last, where, address, count)
    live = _live(store, notice_id)
    if replaces is not None:
        if replaces not in live:
            raise UserError(f"这条公开信息没有第{replaces}条渠道记录（或它已被更正、撤销）。")
        words = f"〔更正第{replaces}条〕{words}"
    for r in live.values():
        if (r["channel"], r["day"], r["place"], r["url"], r["count"], r["until"]) == (
                name, first.isoformat(), where, address, count,
                last.isoformat() if last else None) and r["id"] != replaces:
            raise UserError(f"这条记录已经有了（第{r['id']}条）。")
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO channel_records (notice_id, channel, day, until, url, place, count,"
            " note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (notice_id, name, first.isoformat(), last.isoformat() if last else None, address,
             where, count, words, now_iso()))
        number = int(cursor.lastrowid or 0)
        store.audit("notice.channel", notice_id, {
            "record": number, "channel": name, "day": first.isoformat(),
            "until": last.isoformat() if last else None, "url": address, "place": where,
            "count": count, "note": words, "replaces": replaces})
    return ChannelRecord(name, first, last, address, where, count, words, number, "record",
                         replaces)


def _check_fields(spec: ChannelSpec, first: date, last: date | None, place: str, url: str,
                  count: int | None) -> None:
    short = short_name(spec.channel)
    if spec.url == "required" and not url:
        raise UserError(f"{short}的记录要写明发布的网址。")
    if url and not spec.url:
        raise UserError(f"{short}的记录不填网址。")
    if spec.place == "required" and not place:
        raise UserError(f"{short}的记录要写明{spec.place_label}。")
    if place and not spec.place:
        raise UserError(f"{short}的记录不填地点。")
    if count is not None:
        if not spec.count:
            raise UserError(f"{short}的记录不填{spec.count_label}。")
        if isinstance(count, bool) or not 1 <= int(count) <= COUNT_MAX:
            raise UserError(f"{spec.count_label}应在1到{COUNT_MAX}之间。")
    elif spec.count == "required":
        raise UserError(f"{short}的记录要写明{spec.count_label}（至少1）。")
    if last is not None:
        if not spec.until:
            raise UserError(f"{short}的记录不填截止日期。")
        if last < first:
            raise UserError("截止日期不能早于开始日期。")
        if last > first + timedelta(days=UNTIL_MAX_DAYS):
            raise UserError(f"截止日期离开始日期不能超过{UNTIL_MAX_DAYS}天。")


def withdraw_record(store: Store, notice_id: str, number: int, reason: str,
                    channel: str | None = None, today: date | None = None) -> None:
    """Mark record ``number`` of the notice as wrong (撤销), with the reason: one audited write.

    The record stays in the table; a row of its own says it no longer counts.
    ``channel``, when given, must be the record's own (the clerk names what they undo).
    """
    today = today or clock.today()
    notice = get_notice(store, notice_id)
    why = _clean_text(reason, "撤销理由", NOTE_MAX - 12)
    if not why:
        raise UserError("请写明撤销这条渠道记录的理由。")
    live = _live(store, notice_id)
    if number not in live:
        raise UserError(f"这条公开信息没有第{number}条渠道记录（或它已被更正、撤销）。")
    row = live[number]
    if channel is not None:
        item = get_item(store, notice.item_id, notice.item_rev)
        if resolve_channel(channel, item.channels) != row["channel"]:
            theirs = short_name(row["channel"])
            raise UserError(f"第{number}条记录是{theirs}的，不是「{channel}」的。")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO channel_records (notice_id, channel, day, note, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (notice_id, row["channel"], today.isoformat(), f"〔撤销第{number}条〕{why}",
             now_iso()))
        store.audit("notice.channel_withdraw", notice_id,
                    {"record": number, "channel": row["channel"], "reason": why})


# --------------------------------------------------------------------------- the checklist


def _county_record(store: Store, notice_id: str, url: str) -> ChannelRecord:
    at = store.scalar("SELECT at FROM county_replies WHERE notice_id = ? AND url = ?"
                      " ORDER BY seq DESC, id DESC LIMIT 1", (notice_id, url))
    try:
        day = date.fromisoformat(str(at)[:10])
    except ValueError:
        day = clock.today()
    return ChannelRecord(WEBSITE, day, url=url, kind="county")


def channel_duties(store: Store, notice_id: str) -> list[ChannelDuty]:
    """The checklist: every channel the item names, what the desk makes, what was recorded.

    Boards count their postings, the website the county's published URL; channels
    the notice went out on without the item naming them follow, not required.
    """
    notice = get_notice(store, notice_id)
    item = get_item(store, notice.item_id, notice.item_rev)
    rows = _read_rows(store, notice_id)
    gone, marks = live_keys(rows)
    records: dict[str, list[ChannelRecord]] = {}
    old: dict[str, list[ChannelRecord]] = {}
    for r in rows:
        if r["id"] in marks:
            continue
        (old if r["id"] in gone else records).setdefault(r["channel"], []).append(_record(r))
    postings = [ChannelRecord(BOARD_CHANNEL, date.fromisoformat(p["posted"]),
                              date.fromisoformat(p["taken_down"]) if p["taken_down"] else None,
                              place=p["board"], kind="posting") for p in notice.postings]
    if postings:
        # The board's own postings first, then what its screens showed.
        records[BOARD_CHANNEL] = postings + records.get(BOARD_CHANNEL, [])
    if notice.county_url:
        records.setdefault(WEBSITE, []).append(_county_record(store, notice_id,
                                                              notice.county_url))
    named = list(dict.fromkeys(item.channels))
    extra = order_like([c for c in records if c not in named], CHANNELS)
    out = []
    for channel in [*named, *extra]:
        spec = channel_spec(channel)
        # A notice for a 特定群体 (or an item without the website) stays off the internet,
        # though the catalog's row may name the website for the item's other notices.
        offline = channel == WEBSITE and notice.offline_only
        out.append(ChannelDuty(channel, spec.output, tuple(records.get(channel, ())),
                               channel in named and not offline, spec.export, spec.done,
                               tuple(old.get(channel, ())), offline))
    return out


def missing_channels(channels: Iterable[str], went: set[str]) -> list[str]:
    """Of an item's channels, those the clerk records and that have no record yet.

    Boards and the website are left out: they have their own lines (待张贴, 未报送).
    """
    return [c for c in dict.fromkeys(channels)
            if c not in went and channel_spec(c).done == "records"]
