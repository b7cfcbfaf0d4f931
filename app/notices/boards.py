"""Notice boards, what hangs on them, and the photos that prove it (谁公开谁清理)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app import clock
from app.atomic import keep_once
from app.errors import UserError
from app.facts import BOARD_KINDS, squash
from app.notices import actions, county_queue, interpretation
from app.notices.drafts import get_notice
from app.store import Store, now_iso
from app.workdays import parse_date

TOWNSHIP_BOARD = BOARD_KINDS["township"]

#: Magic numbers of the picture formats a phone or camera produces.
_IMAGE_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
    (b"BM", "image/bmp", ".bmp"),
)


@dataclass(frozen=True)
class Board:
    """A notice board."""

    id: int
    name: str
    kind: str
    active: bool


def list_boards(store: Store, include_inactive: bool = False) -> list[Board]:
    """The township's boards, the township's own first (created on first use)."""
    if not store.scalar("SELECT count(*) FROM boards"):
        with store.transaction() as conn:
            if not store.scalar("SELECT count(*) FROM boards"):
                conn.execute("INSERT INTO boards (name, kind, position, created_at)"
                             " VALUES (?, 'township', 0, ?)", (TOWNSHIP_BOARD, now_iso()))
    rows = store.query("SELECT * FROM boards ORDER BY position, id")
    return [Board(r["id"], r["name"], r["kind"], bool(r["active"])) for r in rows
            if include_inactive or r["active"]]


#: A name that already ends like a board is a board's full name and is kept whole
#: (东河村村务公开栏, 西岭村公示栏, 幸福社区电子屏).
_BOARD_ENDINGS = ("栏", "屏", "墙", "牌", "橱窗")
#: What a village's (or community's) own name ends with.
_VILLAGE_ENDINGS = ("村", "嘎查")
_COMMUNITY_ENDINGS = ("社区", "居委会")
_VILLAGE_BOARD, _COMMUNITY_BOARD = "村务公开栏", "居务公开栏"


def board_name(village: str) -> str:
    """The board a clerk means by what they typed, the typed name kept whole.

    西岭村 → 西岭村村务公开栏; 南岭 → 南岭村村务公开栏; 幸福社区 → 幸福社区居务公开栏;
    东河村村务公开栏 and 西岭村公示栏 stay as they are.
    """
    if village.endswith(_BOARD_ENDINGS):
        return village
    if village.endswith(_COMMUNITY_ENDINGS):
        return village + _COMMUNITY_BOARD
    if not village.endswith(_VILLAGE_ENDINGS):
        village += "村"
    return village + _VILLAGE_BOARD


def village_name(board: str) -> str:
    """The village (or community) a board belongs to, as 设置 lists it.

    The inverse of :func:`board_name`: 西岭村村务公开栏 → 西岭村, 幸福社区居务公开栏 →
    幸福社区, and a board named otherwise (西岭村公示栏) is listed by its whole name.
    Boards named before the village's 村 was kept (西岭村务公开栏) read as 西岭村.
    """
    for ending in (_COMMUNITY_BOARD, _VILLAGE_BOARD):
        place = board.removesuffix(ending)
        if place and place != board:
            if ending == _VILLAGE_BOARD and not place.endswith(_VILLAGE_ENDINGS
                                                                + _COMMUNITY_ENDINGS):
                place += "村"
            return place
    return board


def set_villages(store: Store, villages: list[str]) -> list[Board]:
    """One 村务公开栏 per village; villages left out are retired, never deleted.

    A village that already has a board under an older form of its name (西岭村务公开栏
    for 西岭村) keeps that board, so its postings stay where they were.
    """
    known = {village_name(b.name): b.name for b in list_boards(store, include_inactive=True)
             if b.kind == "village"}
    names: list[str] = []
    for village in villages:
        typed = squash(village)
        if not typed:
            continue
        if len(typed) > 20:
            raise UserError(f"村名「{typed}」太长了。")
        name = board_name(typed)
        if name != typed and name not in known.values():
            # Only a village's name is matched to an older board; a board's full name
            # is taken as typed, which is how a clerk renames it.
            name = known.get(village_name(name), name)
        if name not in names:
            names.append(name)
    with store.transaction() as conn:
        conn.execute("UPDATE boards SET active = 0 WHERE kind = 'village'")
        for position, name in enumerate(names, start=1):
            conn.execute(
                "INSERT INTO boards (name, kind, position, created_at) VALUES (?, 'village', ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET active = 1, position = excluded.position",
                (name, position, now_iso()))
        store.audit("boards.villages", "boards", {"boards": names})
    return list_boards(store)


def find_board(store: Store, name: str) -> Board:
    """The board the clerk named (its full name or just the village's); UserError if none."""
    return _board(store, name)


def _board(store: Store, name: str) -> Board:
    key = squash(name)
    boards = list_boards(store, include_inactive=True)
    for board in boards:
        # The clerk may type the board's name or just the village's.
        if board.name in (key, board_name(key)):
            return board
    for board in boards:
        # A board named before the village's 村 was kept (西岭村务公开栏 for 西岭村).
        if board.kind == "village" and village_name(board.name) == village_name(board_name(key)):
            return board
    raise UserError(f"没有名为「{name}」的公开栏，请先在设置中添加。")


def store_photo(store: Store, path: Path) -> str:
    """Copy a photo into the data folder under its SHA-256 and return the hash."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取照片「{path.name}」。", str(exc)) from exc
    kind = next(((mime, ext) for magic, mime, ext in _IMAGE_MAGIC if data.startswith(magic)),
                None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = ("image/webp", ".webp")
    if kind is None:
        raise UserError(f"「{path.name}」不是照片（支持 JPG、PNG、GIF、BMP、WEBP）。")
    digest = hashlib.sha256(data).hexdigest()
    relative = Path("photos") / digest[:2] / (digest + kind[1])
    target = store.folder / relative
    keep_once(target, data)
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO photos (sha256, path, size, mime, added_at)"
                     " VALUES (?, ?, ?, ?, ?)", (digest, relative.as_posix(), len(data),
                                                 kind[0], now_iso()))
    return digest


def photo_path(store: Store, digest: str) -> Path:
    """Where a stored photo lives."""
    rel = store.scalar("SELECT path FROM photos WHERE sha256 = ?", (digest,))
    if rel is None:
        raise UserError("找不到这张照片。")
    return store.folder / rel


def post(store: Store, notice_id: str, board: str, on: str | None = None,
         photo: Path | None = None, today: date | None = None) -> str:
    """Record that an approved notice went up on a board (the first posting publishes it).

    Returns a warning sentence when its 解读 (or what it explains) is not up
    yet (三同步), else "".
    """
    notice = get_notice(store, notice_id)
    actions.require(notice.status, "post")
    target = _board(store, board)
    day = parse_date(on) if on else (today or clock.today())
    if day > (today or clock.today()):
        raise UserError("张贴日期不能晚于今天。")
    if day.isoformat() < notice.formed:
        raise UserError("张贴日期不能早于信息形成日期。")
    hanging = store.query("SELECT id, rev FROM postings WHERE notice_id = ? AND board_id = ?"
                          " AND taken_down IS NULL", (notice_id, target.id))
    # A sheet of an earlier approved revision is replaced by this one (换贴); a
    # posting from before revisions were kept is taken to be the current text.
    older = [h["id"] for h in hanging if h["rev"] is not None and h["rev"] != notice.approved_rev]
    if len(older) < len(hanging):
        raise UserError(f"这条公开信息已经贴在「{target.name}」上了。")
    digest = store_photo(store, photo) if photo else None
    with store.transaction() as conn:
        for posting in older:
            conn.execute("UPDATE postings SET taken_down = ? WHERE id = ?",
                         (day.isoformat(), posting))
        conn.execute("INSERT INTO postings (notice_id, board_id, posted, photo, created_at, rev)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     (notice_id, target.id, day.isoformat(), digest, now_iso(),
                      notice.approved_rev))
        if notice.status == "approved":
            conn.execute("UPDATE notices SET status = 'published', updated_at = ? WHERE id = ?",
                         (now_iso(), notice_id))
        if digest and notice.sync not in ("none", "queued"):
            # The county already has the notice; its new photo goes in a later batch.
            county_queue.enqueue(store, notice_id)
        store.audit("notice.post", notice_id, {"board": target.name, "date": day.isoformat(),
                                               "photo": digest, "replaced": older})
    return interpretation.post_warning(store, notice_id)


def take_down(store: Store, notice_id: str, board: str, on: str | None = None,
              today: date | None = None) -> None:
    """Record that a notice came down from a board."""
    notice = get_notice(store, notice_id)
    target = _board(store, board)
    day = parse_date(on) if on else (today or clock.today())
    posting = store.conn.execute(
        "SELECT id, posted FROM postings WHERE notice_id = ? AND board_id = ?"
        " AND taken_down IS NULL", (notice.id, target.id)).fetchone()
    if posting is None:
        raise UserError(f"这条公开信息没有贴在「{target.name}」上。")
    if day.isoformat() < posting["posted"]:
        raise UserError("撤下日期不能早于张贴日期。")
    with store.transaction() as conn:
        conn.execute("UPDATE postings SET taken_down = ? WHERE id = ?",
                     (day.isoformat(), posting["id"]))
        store.audit("notice.takedown", notice_id, {"board": target.name,
                                                   "date": day.isoformat()})


@dataclass(frozen=True)
class Hanging:
    """A notice on a board: what, since when, until when, and the proof."""

    board: str
    notice_id: str
    title: str
    posted: str
    taken_down: str | None
    publicity_end: str | None
    photo: str | None
    overdue: bool


def hanging(store: Store, board: str | None = None, include_down: bool = False,
            today: date | None = None) -> list[Hanging]:
    """What hangs on one board (or every board); ``overdue`` marks 待撤栏."""
    now = (today or clock.today()).isoformat()
    sql = ("SELECT p.*, b.name FROM postings p JOIN boards b ON b.id = p.board_id"
           + ("" if include_down else " WHERE p.taken_down IS NULL")
           + " ORDER BY b.position, p.posted DESC")
    rows = [r for r in store.query(sql) if board is None or r["name"] == board]
    out = []
    for r in rows:
        n = get_notice(store, r["notice_id"])
        end = (n.publicity or {}).get("end")
        photo = str(photo_path(store, r["photo"])) if r["photo"] else None
        out.append(Hanging(r["name"], n.id, n.title, r["posted"], r["taken_down"], end, photo,
                           bool(end and end < now and not r["taken_down"])))
    return out
