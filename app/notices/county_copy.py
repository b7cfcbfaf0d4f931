"""What of an item's notices the county is given: the whole notice, or its metadata only.

Some items' notices are for a board in the village and for nobody else (a
低保 list names families): the township may send the county only what proves
it did its duty (title, dates, counts, postings and their photos), without
the body. The choice is the township's, per item (``item_plans.metadata_only``).
"""

from __future__ import annotations

from typing import Any

from app.catalog.items import get_item
from app.notices import county_queue
from app.notices.text import list_rows
from app.store import Store, now_iso


def metadata_only(store: Store, item_id: str) -> bool:
    """Whether this item's notices go to the county without their body."""
    return bool(store.scalar("SELECT metadata_only FROM item_plans WHERE item_id = ?",
                             (item_id,)))


def set_metadata_only(store: Store, item_id: str, on: bool) -> int:
    """Send this item's notices to the county as metadata only (or whole); one audited write.

    Notices the county already has are queued again, so its copy follows the
    choice at the next sync: the body goes from it, or comes to it. Returns how
    many were queued again.
    """
    get_item(store, item_id)  # an unknown item is refused with the catalog's own sentence
    with store.transaction() as conn:
        was = metadata_only(store, item_id)
        conn.execute(
            "INSERT INTO item_plans (item_id, metadata_only, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(item_id) DO UPDATE SET"
            " metadata_only = excluded.metadata_only, updated_at = excluded.updated_at,"
            " updated_by = excluded.updated_by",
            (item_id, int(on), now_iso(), store.get_setting("clerk", "") or ""))
        again = 0
        if was != on:
            for row in store.query(
                    "SELECT n.id FROM notices n JOIN catalog_items c ON c.pk = n.item_pk"
                    " WHERE c.item_id = ? AND n.approved_rev IS NOT NULL"
                    " AND n.status IN ('approved', 'published', 'withdrawn')", (item_id,)):
                if county_queue.county_knows(store, row["id"]):
                    county_queue.enqueue(store, row["id"])
                    again += 1
        store.audit("catalog.metadata_only", item_id, {"on": on, "queued_again": again})
    return again


def metadata_of(document: dict[str, Any]) -> dict[str, Any]:
    """The notice document without its body, with what the body counted instead."""
    body = str(document.get("body") or "")
    rows = list_rows(body)
    kept = {k: v for k, v in document.items() if k != "body"}
    kept["metadata_only"] = True
    kept["counts"] = {"lists": len(rows), "list_rows": sum(rows), "chars": len(body)}
    return kept
