"""What townships send: attachments by SHA-256 and batches of notices, over HTTP or on USB.

Everything here is per township: a township's blobs, batches and notices are
keyed by its id, so no request of one township can see or touch another's.
The HTTP batch endpoint and ``gongkai-county import`` both end in
:func:`apply_in`, inside one transaction, which is why a batch that arrives
twice, by either road, is stored once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from app.county.answers import latest_reply, new_reply
from app.county.database import Database, now_iso
from app.county.errors import MissingBlobs, Refused
from app.county.keys import usb_trust
from app.county.offline import payload_flags, without_body
from app.county.schema import batches, blobs, notices, townships
from app.county.tokens import township_id
from app.sync.bundle import read_bundle
from app.sync.protocol import (
    MAX_BLOB_BYTES,
    Batch,
    BatchReceipt,
    NoticePayload,
    ProtocolError,
    Reply,
    is_sha256,
    sha256_hex,
)

#: How many hashes one "which are missing?" question may name.
MAX_PROBE = 10_000
_CHUNK = 500
_MAX_NOTICE_ID = 200


def missing_blobs(db: Database, township: int, hashes: list[str]) -> list[str]:
    """Of ``hashes``, those this township has not uploaded, in the order asked, each once."""
    if len(hashes) > MAX_PROBE:
        raise Refused(413, f"一次最多查询{MAX_PROBE}个附件。")
    if not all(isinstance(h, str) and is_sha256(h) for h in hashes):
        raise Refused(422, "附件的校验值格式不对。")
    with db.read() as conn:
        return _missing_in(conn, township, hashes)


def _missing_in(conn: Connection, township: int, hashes: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(hashes))
    have: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start:start + _CHUNK]
        have.update(conn.execute(select(blobs.c.sha256).where(
            blobs.c.township_id == township, blobs.c.sha256.in_(part))).scalars())
    return [h for h in wanted if h not in have]


def store_blob(db: Database, township: int, digest: str, data: bytes) -> bool:
    """Keep an attachment for a township after checking its hash; True if it was new."""
    _check_blob(digest, data)
    with db.write() as conn:
        return _store_blob_in(db, conn, township, digest, data)


def _check_blob(digest: str, data: bytes) -> None:
    if not is_sha256(digest):
        raise Refused(422, "附件的校验值格式不对。")
    if len(data) > MAX_BLOB_BYTES:
        raise Refused(413, f"附件超过{MAX_BLOB_BYTES // (1024 * 1024)}MB上限。")
    if sha256_hex(data) != digest:
        raise Refused(422, "附件内容与校验值不符，可能在传输中损坏，请重新发送。")


def _store_blob_in(db: Database, conn: Connection, township: int, digest: str,
                   data: bytes) -> bool:
    # Content-addressed: a second upload of the same hash is the same bytes, so skipping
    # it is both idempotent and the reason a half-uploaded batch resumes for free.
    done = conn.execute(db.insert_ignore(blobs).values(
        township_id=township, sha256=digest, size=len(data), data=data, received=now_iso()),
        execution_options={"preserve_rowcount": True})
    return done.rowcount == 1


def blob_bytes(db: Database, township: int, digest: str) -> bytes | None:
    """The bytes of one of a township's attachments (for the staff page), or None."""
    with db.read() as conn:
        return conn.execute(select(blobs.c.data).where(
            blobs.c.township_id == township, blobs.c.sha256 == digest)).scalar()


def apply_batch(db: Database, township: int, batch: Batch, source: str = "http") -> BatchReceipt:
    """Store a batch for a township (one transaction) and answer with its receipt."""
    with db.write() as conn:
        return apply_in(db, conn, township, batch, source)


def apply_in(db: Database, conn: Connection, township: int, batch: Batch,
             source: str) -> BatchReceipt:
    """The one way a batch is stored, inside the caller's transaction.

    A batch id seen before from this township answers with the receipt it got
    then, marked ``replayed``. Otherwise every attachment must already be here
    (else MissingBlobs, nothing written) and each notice is upserted: a later
    revision replaces the stored one and is answered ``received``; the same
    revision keeps the county's answer (its content is refreshed, e.g. a posting
    photo added since); an older revision arriving late changes nothing.
    """
    for payload in batch.notices:
        if len(payload.notice_id) > _MAX_NOTICE_ID or not payload.notice_id:
            raise Refused(422, "批次里有一条公开信息的编号不对。")
    now = now_iso()
    # Lock the township first: two copies of one batch arriving at once then queue here,
    # and the second finds the first's receipt instead of colliding on insert.
    conn.execute(townships.update().where(townships.c.id == township)
                 .values(last_seq=townships.c.last_seq))
    stored = conn.execute(select(batches.c.receipt).where(
        batches.c.township_id == township, batches.c.batch_id == batch.batch_id)).scalar()
    if stored is not None:
        # A batch seen before is answered with the county's word as it stands now,
        # not the receipt of then: a notice returned since must not read as received.
        first = BatchReceipt.from_json(json.loads(stored))
        return BatchReceipt(first.batch_id, True,
                            [latest_reply(conn, township, r.notice_id) for r in first.replies])
    missing = _missing_in(conn, township, [a.sha256 for a in batch.blobs()])
    if missing:
        raise MissingBlobs(missing)
    answers = [_upsert_notice(conn, township, payload, batch.batch_id, now)
               for payload in batch.notices]
    receipt = BatchReceipt(batch.batch_id, False, answers)
    conn.execute(batches.insert().values(
        township_id=township, batch_id=batch.batch_id, received=now, source=source,
        notices=len(batch.notices), receipt=json.dumps(receipt.to_json(), ensure_ascii=False)))
    return receipt


def _revision(notice: dict[str, Any]) -> int:
    try:
        return int(notice.get("rev") or notice.get("approved_rev") or 0)
    except (TypeError, ValueError):
        return 0


def _upsert_notice(conn: Connection, township: int, payload: NoticePayload, batch_id: str,
                   now: str) -> Reply:
    data = payload.to_json()
    offline, bare = payload_flags(data)
    if bare:
        data = without_body(data)
    document = json.dumps(data, ensure_ascii=False, sort_keys=True)
    digest = sha256_hex(document.encode("utf-8"))
    notice = payload.notice
    rev = _revision(notice)
    content = {"rev": rev, "content_hash": digest, "title": notice["title"][:2000],
               "offline_only": int(offline), "metadata_only": int(bare),
               "kind": str(notice.get("kind") or "")[:40],
               "domain": str(notice.get("domain") or payload.item.get("domain") or "")[:100],
               "document": document, "batch_id": batch_id, "received": now}
    key = (notices.c.township_id == township) & (notices.c.notice_id == payload.notice_id)
    old = conn.execute(select(notices.c.rev, notices.c.content_hash).where(key)).first()
    if old is None:
        conn.execute(notices.insert().values(
            township_id=township, notice_id=payload.notice_id, first_received=now,
            state="received", state_at=now, **content))
        return new_reply(conn, township, payload.notice_id, "received", at=now)
    if rev > old.rev:
        # A later revision (the township revised what staff returned, or corrected
        # what was published) is new work for staff: received again, the old
        # reason and address cleared with it.
        conn.execute(notices.update().where(key).values(
            state="received", state_at=now, reason=None, url=None, online_reason=None,
            **content))
        return new_reply(conn, township, payload.notice_id, "received", at=now)
    if rev == old.rev and digest != old.content_hash:
        conn.execute(notices.update().where(key).values(**content))
    return latest_reply(conn, township, payload.notice_id)


@dataclass(frozen=True)
class ImportResult:
    """What ``gongkai-county import`` did with a USB file: one receipt per batch in it."""

    township: str
    receipts: list[BatchReceipt]
    new_blobs: int

    @property
    def replayed(self) -> int:
        """How many of the file's batches had already arrived (by USB or network)."""
        return sum(r.replayed for r in self.receipts)

    def to_json(self) -> dict[str, Any]:
        """As JSON (``import --json``)."""
        return {"township": self.township, "new_blobs": self.new_blobs,
                "notices": sum(len(r.replies) for r in self.receipts),
                "batches": [r.to_json() for r in self.receipts]}


def import_bundle(db: Database, path: Path) -> ImportResult:
    """Check a USB file part by part and store its batches, all in one transaction.

    Refused whole, with nothing stored, if any part is damaged or altered, if
    its township has no token here (is not known to the county), or if the
    township's current key did not sign it (:func:`app.county.keys.usb_trust`).
    """
    try:
        with db.read() as conn:
            bundle = read_bundle(Path(path), usb_trust(conn))
    except ProtocolError as exc:
        raise Refused(422, str(exc)) from exc
    name = bundle.batches[0].township
    with db.write() as conn:
        township = township_id(conn, name)
        if township is None:
            raise Refused(403, f"乡镇「{name}」尚未在县级平台登记，请先为它发放令牌再导入。")
        added = sum(_store_blob_in(db, conn, township, digest, data)
                    for digest, data in bundle.blobs.items())
        receipts = [apply_in(db, conn, township, batch, "usb") for batch in bundle.batches]
    return ImportResult(name, receipts, added)
