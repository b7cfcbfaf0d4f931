"""The outbox to the county: what waits to be sent, frozen batches, and the county's answers.

A notice is queued when it is approved (and again when a posting adds a
photo after it went): :mod:`app.notices.county_queue`. Queued notices are
frozen into batches only when a send or a USB export begins: the batch
document is stored whole, so every resend of it is the very same bytes under
the same batch id, which is what lets the county keep one copy however often
it arrives. The outbox row and its batch go only when the county's receipt is
written, in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.catalog.items import get_item
from app.notices import interpretation
from app.notices.boards import photo_path
from app.notices.county_copy import metadata_of, metadata_only
from app.notices.drafts import get_notice
from app.store import Store, now_iso
from app.sync import attached_sheets, catalog_offers
from app.sync.protocol import (
    MAX_BATCH_BYTES,
    MAX_NOTICES_PER_BATCH,
    Attachment,
    Batch,
    BatchReceipt,
    NoticePayload,
    Reply,
    new_batch_id,
)
from app.township import get_township

#: What each county reply makes of a notice's ``sync`` state (CONTRACT.md).
SYNC_AFTER_REPLY = {"received": "accepted", "published": "accepted", "returned": "returned"}


def _payload(store: Store, notice_id: str,
             pdfs: dict[tuple[str, int | None], Attachment]) -> NoticePayload:
    notice = get_notice(store, notice_id)
    sent = get_notice(store, notice_id, notice.approved_rev) if notice.approved_rev else notice
    document = sent.to_json()
    document["status"] = notice.status
    # The county's own earlier answer is not part of what the township reports.
    document.pop("county_url", None)
    document.pop("county_reason", None)
    item = get_item(store, sent.item_id, sent.item_rev).to_json()
    bare = metadata_only(store, sent.item_id)
    if bare:
        # The township chose: this item's text stays at the township, only its proof goes.
        document = metadata_of(document)
    attachments = []
    for posting in sent.postings:
        if posting.get("photo"):
            size = store.scalar("SELECT size FROM photos WHERE sha256 = ?", (posting["photo"],))
            attachments.append(Attachment(posting["photo"], int(size), "photo",
                                          f"{posting['board']} {posting['posted']}"))
    if attached_sheets.enabled(store) and not bare:
        sheet = pdfs.get((notice_id, notice.approved_rev))
        attachments.append(sheet or attached_sheets.render_for_county(store, notice_id))
    return NoticePayload(document, item, attachments)


def form_batches(store: Store) -> list[str]:
    """Freeze every waiting notice into batches (one transaction); return the new batch ids."""
    info = get_township(store)
    pdfs = _rendered_sheets(store)
    made: list[str] = []
    with store.transaction() as conn:
        waiting = [r["notice_id"] for r in store.query(
            "SELECT notice_id FROM outbox WHERE batch_id IS NULL ORDER BY id")]
        # 三同步: a notice and its 解读 go in one batch; the one ready first waits.
        groups, _held = interpretation.sync_groups(store, waiting)
        chunk: list[NoticePayload] = []
        size = 0

        def close() -> None:
            nonlocal chunk, size
            if not chunk:
                return
            batch = Batch(new_batch_id(), info.township, info.county, now_iso(), chunk)
            text = json.dumps(batch.to_json(), ensure_ascii=False, sort_keys=True)
            conn.execute("INSERT INTO sync_batches (batch_id, created_at, document, notices)"
                         " VALUES (?, ?, ?, ?)", (batch.batch_id, batch.created, text,
                                                  len(chunk)))
            ids = [p.notice_id for p in chunk]
            marks = ",".join("?" * len(ids))
            conn.execute(f"UPDATE outbox SET batch_id = ? WHERE batch_id IS NULL"
                         f" AND notice_id IN ({marks})", (batch.batch_id, *ids))
            conn.execute(f"UPDATE notices SET sync = 'sent' WHERE id IN ({marks})", ids)
            made.append(batch.batch_id)
            chunk, size = [], 0

        sent = 0
        for group in groups:
            payloads = [_payload(store, notice_id, pdfs) for notice_id in group]
            weight = sum(len(json.dumps(p.to_json(), ensure_ascii=False).encode("utf-8"))
                         for p in payloads)
            if chunk and (len(chunk) + len(payloads) > MAX_NOTICES_PER_BATCH or
                          size + weight > MAX_BATCH_BYTES * 0.9):
                close()
            chunk.extend(payloads)
            size += weight
            sent += len(payloads)
        close()
        if made:
            store.audit("sync.batch", ",".join(made), {"notices": sent})
    return made


def _rendered_sheets(store: Store) -> dict[tuple[str, int | None], Attachment]:
    """The sheets of waiting notices, rendered before the freezing transaction.

    Rendering takes milliseconds per notice; doing it outside the transaction
    keeps the database free for the clerk meanwhile. A notice approved again
    in between is rendered inside, keyed as it is by its approved revision.
    """
    if not attached_sheets.enabled(store):
        return {}
    rows = store.query("SELECT o.notice_id, n.approved_rev FROM outbox o"
                       " JOIN notices n ON n.id = o.notice_id JOIN catalog_items c"
                       " ON c.pk = n.item_pk LEFT JOIN item_plans p ON p.item_id = c.item_id"
                       " WHERE o.batch_id IS NULL AND NOT COALESCE(p.metadata_only, 0)")
    return {(r["notice_id"], r["approved_rev"]):
            attached_sheets.render_for_county(store, r["notice_id"]) for r in rows}


@dataclass(frozen=True)
class PendingBatch:
    """A frozen batch still waiting for the county's receipt."""

    batch_id: str
    text: str
    notices: int
    attempts: int
    last_error: str

    @property
    def batch(self) -> Batch:
        """The batch, read back from its frozen document."""
        return Batch.from_json(json.loads(self.text))


def pending_batches(store: Store) -> list[PendingBatch]:
    """Frozen batches the county has not acknowledged, oldest first."""
    return [PendingBatch(r["batch_id"], r["document"], r["notices"], r["attempts"],
                         r["last_error"])
            for r in store.query("SELECT * FROM sync_batches WHERE state = 'pending'"
                                 " ORDER BY created_at, rowid")]


def blob_bytes(store: Store, digest: str) -> bytes:
    """The bytes of an attachment (a stored photo or a rendered sheet) by its SHA-256."""
    sheet = attached_sheets.pdf_path(store, digest)
    if sheet.exists():
        return sheet.read_bytes()
    return photo_path(store, digest).read_bytes()


def record_receipt(store: Store, receipt: BatchReceipt) -> None:
    """The county has the batch: close it, empty its outbox rows, note each reply (one write).

    A receipt, fresh or replayed, is applied like any reply: by the county's
    sequence number, so it never replaces a later word the desk already has.
    """
    with store.transaction() as conn:
        conn.execute("UPDATE sync_batches SET state = 'sent', sent_at = ?, last_error = ''"
                     " WHERE batch_id = ?", (now_iso(), receipt.batch_id))
        ids = [r["notice_id"] for r in store.query(
            "SELECT notice_id FROM outbox WHERE batch_id = ?", (receipt.batch_id,))]
        conn.execute("DELETE FROM outbox WHERE batch_id = ?", (receipt.batch_id,))
        _apply_replies(store, receipt.replies)
        for notice_id in dict.fromkeys(ids + [r.notice_id for r in receipt.replies]):
            _settle(store, notice_id)
        store.set_settings({"sync.last_ok": now_iso(), "sync.last_error": ""})


def record_replies(store: Store, replies: list[Reply]) -> list[Reply]:
    """Replies pulled from the county (one transaction); returns those not seen before.

    A batch receipt already brought its own replies, so a pull meets them again;
    they are recognised by their sequence number and not counted twice.
    """
    if not replies:
        return []
    with store.transaction():
        fresh = [r for r in replies if not store.scalar(
            "SELECT 1 FROM county_replies WHERE notice_id = ? AND seq = ?",
            (r.notice_id, r.seq))]
        _apply_replies(store, fresh)
        last = max(r.seq for r in replies)
        store.set_settings({"sync.replies_after": str(max(last, replies_after(store)))})
    return fresh


def replies_after(store: Store) -> int:
    """The last reply sequence number already read from the county."""
    return int(store.get_setting("sync.replies_after", "0") or 0)


def _apply_replies(store: Store, replies: list[Reply]) -> None:
    """Keep each reply once, in the county's order, and let the newest settle its notice.

    The county numbers its replies; whatever order they arrive in (a receipt
    replayed after a pull, a USB file after a push), a reply the desk has
    already seen is not kept twice, and one older than the newest it holds for
    that notice is kept for the record but changes nothing.
    """
    conn = store.conn
    for reply in sorted(replies, key=lambda r: r.seq):
        if reply.seq and store.scalar("SELECT 1 FROM county_replies WHERE notice_id = ?"
                                      " AND seq = ?", (reply.notice_id, reply.seq)):
            continue
        conn.execute("INSERT INTO county_replies (seq, notice_id, state, url, reason, at,"
                     " received_at, rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (reply.seq, reply.notice_id, reply.state, reply.url, reply.reason,
                      reply.at or now_iso(), now_iso(), reply.rev))
        _settle(store, reply.notice_id)


def _settle(store: Store, notice_id: str) -> None:
    """A notice's county state from its newest reply and what still waits to go.

    Queued again since: 待报送. In a batch the county has not confirmed, with a
    revision newer than the one the newest reply speaks of: 报送中. Otherwise
    the newest reply's word (received or published: accepted; returned).
    """
    newest = store.conn.execute(
        "SELECT state, url, reason, rev FROM county_replies WHERE notice_id = ?"
        " ORDER BY seq DESC, id DESC LIMIT 1", (notice_id,)).fetchone()
    if newest is None:
        return
    row = store.conn.execute("SELECT approved_rev FROM notices WHERE id = ?",
                             (notice_id,)).fetchone()
    if row is None:
        return  # a reply about a notice this desk does not have (kept, shown nowhere)
    waiting = store.scalar("SELECT 1 FROM outbox WHERE notice_id = ? AND batch_id IS NULL",
                           (notice_id,))
    in_flight = store.scalar("SELECT 1 FROM outbox WHERE notice_id = ? AND batch_id IS NOT NULL",
                             (notice_id,))
    behind = newest["rev"] is None or (row["approved_rev"] or 0) > newest["rev"]
    state = ("queued" if waiting else "sent" if in_flight and behind
             else SYNC_AFTER_REPLY[newest["state"]])
    store.conn.execute(
        "UPDATE notices SET county_url = COALESCE(?, county_url), county_reason = ?,"
        " sync = ? WHERE id = ?",
        (newest["url"], newest["reason"] if newest["state"] == "returned" else None, state,
         notice_id))



def record_failure(store: Store, batch_id: str | None, message: str) -> None:
    """A send failed: count the attempt and keep the one-sentence reason for the 同步 page."""
    with store.transaction() as conn:
        if batch_id:
            conn.execute("UPDATE sync_batches SET attempts = attempts + 1, last_error = ?"
                         " WHERE batch_id = ?", (message, batch_id))
        store.set_settings({"sync.last_error": message, "sync.last_error_at": now_iso()})


@dataclass(frozen=True)
class SyncStatus:
    """What the 同步 page and ``sync status`` show."""

    last_ok: str
    queued: int
    in_flight: int
    returned: list[dict[str, str]] = field(default_factory=list)
    last_error: str = ""
    server: str = ""
    #: A county catalog waiting for the clerk: ``{"version", "items", ...}``, else None.
    catalog_offer: dict[str, Any] | None = None
    attach_pdf: bool = False
    ca_cert: str = ""
    proxy: str = ""
    #: Of ``queued``, those 三同步 holds back: ``{"id", "title", "why"}`` (not in the
    #: JSON, whose shape is fixed; ``notice show`` carries the same per notice).
    held: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """As JSON (``sync status --json``)."""
        return {"last_ok": self.last_ok or None, "queued": self.queued,
                "in_flight": self.in_flight, "returned": self.returned,
                "last_error": self.last_error or None, "server": self.server or None,
                "catalog_offer": self.catalog_offer, "attach_pdf": self.attach_pdf,
                "ca_cert": self.ca_cert or None, "proxy": self.proxy or None}


def sync_status(store: Store) -> SyncStatus:
    """Last successful sync, what waits, what is frozen in batches, what came back returned."""
    queued = store.scalar("SELECT count(*) FROM outbox WHERE batch_id IS NULL")
    in_flight = store.scalar("SELECT count(*) FROM outbox WHERE batch_id IS NOT NULL")
    returned = [{"id": r["id"], "title": r["title"], "reason": r["county_reason"] or ""}
                for r in store.query(
                    "SELECT n.id, v.title, n.county_reason FROM notices n JOIN notice_revisions"
                    " v ON v.notice_id = n.id AND v.rev = n.current_rev"
                    " WHERE n.sync = 'returned' ORDER BY n.updated_at DESC")]
    return SyncStatus(store.get_setting("sync.last_ok", "") or "", queued, in_flight,
                      returned, store.get_setting("sync.last_error", "") or "",
                      store.get_setting("sync.server", "") or "",
                      offer.to_json() if (offer := catalog_offers.offered(store)) else None,
                      attached_sheets.enabled(store), store.get_setting("sync.ca_cert", "") or "",
                      store.get_setting("sync.proxy", "") or "",
                      interpretation.held_back(store) if queued else [])
