"""The county's answers on a USB stick: ``gongkai-county replies --township 名称 --out FILE.zip``.

A township without a network never pulls; its clerk carries this file back
instead. It holds every reply the county has made to that township and every
batch receipt, signed by the county's own key. The county cannot know which
of them the desk has already seen by USB, so it writes them all; the desk
keeps each reply once (by its number) and only closes batches still waiting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.county.database import Database
from app.county.errors import Refused
from app.county.keys import county_signer
from app.county.schema import batches, replies
from app.county.tokens import township_id
from app.sync.bundle import write_replies
from app.sync.protocol import BatchReceipt, Reply


@dataclass(frozen=True)
class ReplyFileWritten:
    """What went into a reply file."""

    township: str
    replies: int
    receipts: int
    fingerprint: str
    path: Path

    def to_json(self) -> dict[str, object]:
        """As JSON (``replies --json``)."""
        return {"township": self.township, "replies": self.replies,
                "receipts": self.receipts, "county_fingerprint": self.fingerprint,
                "out": str(self.path)}


def write_reply_file(db: Database, name: str, out: Path) -> ReplyFileWritten:
    """Write every reply and receipt for township ``name`` to ``out``, signed by the county."""
    if out.suffix.lower() != ".zip":
        raise Refused(422, "答复文件要以 .zip 结尾，如 青石镇答复.zip。")
    signer = county_signer(db)
    with db.read() as conn:
        township = township_id(conn, name)
        if township is None:
            raise Refused(404, f"乡镇「{name}」尚未在县级平台登记。")
        answers = [Reply(r.notice_id, r.state, r.url, r.reason, r.at, int(r.seq))
                   for r in conn.execute(select(replies).where(replies.c.township_id == township)
                                         .order_by(replies.c.seq))]
        receipts = [BatchReceipt.from_json(json.loads(r.receipt)) for r in conn.execute(
            select(batches.c.receipt).where(batches.c.township_id == township)
            .order_by(batches.c.received, batches.c.batch_id))]
    write_replies(out, name, "", answers, receipts, signer)
    return ReplyFileWritten(name, len(answers), len(receipts), signer.fingerprint, out)
