"""The county's answers per notice: received, published (with a URL), returned (with a reason).

Every answer is a reply row numbered by the township's own counter, and the
notice row keeps the latest answer for the staff page and the figures. A
township reads its replies with ``GET /replies?after=SEQ``; the numbers only
grow, and because the counter lives on the (locked) township row, a reply
with a lower number is never committed after one with a higher number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, select

from app.county.database import Database, now_iso
from app.county.errors import Refused
from app.county.offline import MAX_ONLINE_REASON
from app.county.schema import notices, replies, townships
from app.sync.protocol import Reply

#: At most this many replies in one answer; ``more`` says to ask again.
MAX_REPLIES = 1000
_MAX_URL = 2000
_MAX_REASON = 1000


def new_reply(conn: Connection, township: int, notice_id: str, state: str,
              url: str | None = None, reason: str | None = None, at: str = "",
              staff: str | None = None, online_reason: str | None = None) -> Reply:
    """Record an answer about a notice (inside the caller's transaction) and return it."""
    at = at or now_iso()
    conn.execute(townships.update().where(townships.c.id == township)
                 .values(last_seq=townships.c.last_seq + 1))
    seq = int(conn.execute(select(townships.c.last_seq)
                           .where(townships.c.id == township)).scalar_one())
    conn.execute(replies.insert().values(township_id=township, seq=seq, notice_id=notice_id,
                                         state=state, url=url, reason=reason, at=at,
                                         staff=staff, online_reason=online_reason))
    key = (notices.c.township_id == township) & (notices.c.notice_id == notice_id)
    conn.execute(notices.update().where(key)
                 .values(state=state, url=url, reason=reason, state_at=at,
                         online_reason=online_reason))
    rev = conn.execute(select(notices.c.rev).where(key)).scalar()
    return Reply(notice_id, state, url, reason, at, seq, int(rev) if rev is not None else None)


def _with_rev(township: int) -> Any:
    """Replies joined with the revision the county now holds of each notice."""
    return (select(replies, notices.c.rev)
            .select_from(replies.outerjoin(notices, (notices.c.township_id == township)
                                           & (notices.c.notice_id == replies.c.notice_id)))
            .where(replies.c.township_id == township))


def latest_reply(conn: Connection, township: int, notice_id: str) -> Reply:
    """The newest answer about a notice (every stored notice has at least ``received``)."""
    row = conn.execute(_with_rev(township).where(replies.c.notice_id == notice_id)
                       .order_by(replies.c.seq.desc()).limit(1)).one()
    return _reply(row)


def _reply(row: Any) -> Reply:
    rev = getattr(row, "rev", None)
    return Reply(row.notice_id, row.state, row.url, row.reason, row.at, int(row.seq),
                 int(rev) if rev is not None else None)


@dataclass(frozen=True)
class ReplyPage:
    """Replies after a number, the township's newest number, and whether more wait."""

    replies: list[Reply]
    last: int
    more: bool

    def to_json(self) -> dict[str, Any]:
        """The body of ``GET /replies``."""
        return {"replies": [r.to_json() for r in self.replies], "last": self.last,
                "more": self.more}


def replies_after(db: Database, township: int, after: int,
                  limit: int = MAX_REPLIES) -> ReplyPage:
    """A township's replies numbered above ``after``, oldest first, at most ``limit``."""
    limit = max(1, min(limit, MAX_REPLIES))
    with db.read() as conn:
        rows = conn.execute(_with_rev(township).where(replies.c.seq > after)
                            .order_by(replies.c.seq).limit(limit + 1)).all()
        last = int(conn.execute(select(townships.c.last_seq)
                                .where(townships.c.id == township)).scalar_one())
    return ReplyPage([_reply(r) for r in rows[:limit]], last, len(rows) > limit)


def mark(db: Database, township: int, notice_id: str, state: str, url: str = "",
         reason: str = "", staff: str = "", confirm_online: bool = False,
         online_reason: str = "") -> Reply:
    """A staff member marks a notice published (with its URL) or returned (with a reason).

    A notice for 线下公开 only is marked published with a URL only when staff
    confirm it goes online all the same and say why (``confirm_online`` and
    ``online_reason``); the reason is kept with the mark.
    """
    url, reason = (url or "").strip(), (reason or "").strip()
    online_reason = (online_reason or "").strip() if state == "published" else ""
    if len(online_reason) > MAX_ONLINE_REASON:
        raise Refused(422, f"上网理由请控制在{MAX_ONLINE_REASON}字以内。")
    if state == "published":
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > _MAX_URL:
            raise Refused(422, "请填写发布页面的完整网址（以 http:// 或 https:// 开头）。")
        reason = ""
    elif state == "returned":
        if not reason or len(reason) > _MAX_REASON:
            raise Refused(422, f"请写明退回理由（不超过{_MAX_REASON}字）。")
        url = ""
    else:
        raise Refused(422, "只能标记为已发布或已退回。")
    with db.write() as conn:
        conn.execute(townships.update().where(townships.c.id == township)
                     .values(last_seq=townships.c.last_seq))
        known = conn.execute(select(notices.c.notice_id, notices.c.offline_only).where(
            notices.c.township_id == township, notices.c.notice_id == notice_id)).first()
        if known is None:
            raise Refused(404, "找不到这条公开信息。")
        if state == "published" and known.offline_only:
            if not (confirm_online and online_reason):
                raise Refused(422, "这条公开信息仅限线下公开，不上网；确需在网站发布的，"
                                   "请勾选确认并写明理由。")
        else:
            online_reason = ""
        return new_reply(conn, township, notice_id, state, url or None, reason or None,
                         staff=staff or None, online_reason=online_reason or None)
