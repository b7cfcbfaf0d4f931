"""A notice's place in the queue to the county: what approving, editing and withdrawing do to it.

Only the outbox's rows and the notice's ``sync`` state change here, in the
caller's transaction; freezing batches and reading the county's answers is
:mod:`app.sync.outbox`. Kept apart (and importing nothing of notices or sync)
so that drafts, review and boards queue a notice without importing the sync
part, which itself builds batches from notices.
"""

from __future__ import annotations

from app.store import Store, now_iso


def enqueue(store: Store, notice_id: str) -> None:
    """Queue a notice for the county (joins the caller's transaction)."""
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO outbox (notice_id, queued_at) VALUES (?, ?)",
                     (notice_id, now_iso()))
        conn.execute("UPDATE notices SET sync = 'queued' WHERE id = ?", (notice_id,))


def drop_waiting(store: Store, notice_id: str) -> None:
    """Take a notice out of the queue if it is not yet in a batch (it went back to draft)."""
    with store.transaction() as conn:
        gone = conn.execute("DELETE FROM outbox WHERE notice_id = ? AND batch_id IS NULL",
                            (notice_id,)).rowcount
        if gone:
            conn.execute("UPDATE notices SET sync = CASE WHEN county_reason IS NOT NULL"
                         " THEN 'returned' ELSE 'none' END WHERE id = ?", (notice_id,))


def county_knows(store: Store, notice_id: str) -> bool:
    """Whether the county has, or may already have, this notice (answered or in a batch)."""
    return bool(store.scalar(
        "SELECT EXISTS (SELECT 1 FROM county_replies WHERE notice_id = ?)"
        " OR EXISTS (SELECT 1 FROM outbox WHERE notice_id = ? AND batch_id IS NOT NULL)",
        (notice_id, notice_id)))


def withdrawn(store: Store, notice_id: str) -> None:
    """A notice was withdrawn: unqueue it, but tell the county if it already has it.

    The county may be showing it on its website; the batch carries the same
    revision with status ``withdrawn``, which the county stores over its copy
    and shows its staff. A notice the county never saw simply leaves the queue.
    """
    with store.transaction():
        drop_waiting(store, notice_id)
        if county_knows(store, notice_id):
            enqueue(store, notice_id)


def sweep(store: Store) -> int:
    """Queue approved notices that were never queued (approved before sync existed)."""
    ids = [r["id"] for r in store.query(
        "SELECT id FROM notices WHERE status IN ('approved', 'published') AND sync = 'none'"
        " AND approved_rev IS NOT NULL ORDER BY updated_at")]
    with store.transaction():
        for notice_id in ids:
            enqueue(store, notice_id)
    return len(ids)
