"""What a township sent, as county staff read it: one page of its notices at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from app.county.database import Database
from app.county.schema import notices

PAGE_SIZE = 100


@dataclass(frozen=True)
class ReceivedNotice:
    """One notice as the county holds it, with its latest answer."""

    notice_id: str
    title: str
    kind: str
    domain: str
    rev: int
    first_received: str
    received: str
    state: str
    url: str | None
    reason: str | None
    state_at: str
    body: str = ""
    item: str = ""
    postings: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    #: The township withdrew it after sending: staff should take it off the website.
    withdrawn: bool = False
    #: 仅限线下公开，不上网; and why staff put it online all the same, if they did.
    offline_only: bool = False
    online_reason: str | None = None
    #: The township sent its metadata only: no body, and what the body counted instead.
    metadata_only: bool = False
    counts: dict[str, Any] = field(default_factory=dict)


def received_notices(db: Database, township: int, state: str = "",
                     page: int = 1) -> tuple[list[ReceivedNotice], int]:
    """A page of a township's notices, newest first, optionally of one state; and the total."""
    where = [notices.c.township_id == township]
    if state:
        where.append(notices.c.state == state)
    with db.read() as conn:
        total = int(conn.execute(select(func.count()).select_from(notices)
                                 .where(*where)).scalar_one())
        rows = conn.execute(select(notices).where(*where)
                            .order_by(notices.c.received.desc(), notices.c.notice_id)
                            .offset((max(page, 1) - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return [_notice(r) for r in rows], total


def _notice(row: Any) -> ReceivedNotice:
    document = json.loads(row.document)
    notice, item = document.get("notice") or {}, document.get("item") or {}
    heading = " › ".join(str(item[k]) for k in ("level1", "level2", "level3") if item.get(k))
    raw_postings = notice.get("postings")
    postings = raw_postings if isinstance(raw_postings, list) else []
    return ReceivedNotice(
        row.notice_id, row.title, row.kind, row.domain, row.rev, row.first_received,
        row.received, row.state, row.url, row.reason, row.state_at,
        body=str(notice.get("body") or ""), item=heading,
        postings=[p for p in postings if isinstance(p, dict)],
        attachments=list(document.get("attachments") or []),
        withdrawn=notice.get("status") == "withdrawn",
        offline_only=bool(row.offline_only), online_reason=row.online_reason,
        metadata_only=bool(row.metadata_only),
        counts=notice["counts"] if isinstance(notice.get("counts"), dict) else {})
