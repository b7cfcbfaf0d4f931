"""The versioned catalog: current items, old revisions, loading the default and revisions.

Every load of a catalog (the default, a county table, a revision from sync) is
a *version*. An item that changes gets a new revision and the old one stays
readable, because notices drafted under it must still show what it said.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from app.catalog import domains
from app.catalog.item import CatalogItem
from app.errors import UserError
from app.facts import CHANNELS
from app.store import Store, now_iso
from resources import RESOURCES

DEFAULT_CATALOG = RESOURCES / "catalog" / "default.json"
CATALOG_FORMAT = "gongkai-catalog"

_JSON_COLUMNS = ("elements", "rule", "channels", "audience", "mode", "levels")
_TEXT_COLUMNS = ("level1", "level2", "level3", "basis", "time_limit", "subject")


def item_from_row(row: sqlite3.Row) -> CatalogItem:
    """A CatalogItem from a ``catalog_items`` row joined with its domain name."""
    values: dict[str, Any] = {k: row[k] for k in _TEXT_COLUMNS}
    values.update({k: json.loads(row[k]) for k in _JSON_COLUMNS})
    return CatalogItem(id=row["item_id"], domain=row["domain"], seq=row["seq"], **values)


_SELECT = (
    "SELECT c.*, d.name AS domain FROM catalog_items c JOIN domains d ON d.id = c.domain_id "
)


def list_items(store: Store, domain: str | None = None) -> list[CatalogItem]:
    """The current items, of one domain or of every visible domain, in table order."""
    if domain:
        rows = store.query(_SELECT + "WHERE c.active AND d.name = ? ORDER BY c.seq, c.pk",
                           (domain,))
    else:
        rows = store.query(
            _SELECT + "WHERE c.active AND NOT d.hidden ORDER BY d.position, c.seq, c.pk"
        )
    return [item_from_row(r) for r in rows]


def get_item(store: Store, item_id: str, rev: int | None = None) -> CatalogItem:
    """One item: its current revision, or the given one (still readable once superseded)."""
    if rev is None:
        row = store.conn.execute(
            _SELECT + "WHERE c.item_id = ? ORDER BY c.active DESC, c.rev DESC LIMIT 1", (item_id,)
        ).fetchone()
    else:
        row = store.conn.execute(
            _SELECT + "WHERE c.item_id = ? AND c.rev = ?", (item_id, rev)
        ).fetchone()
    if row is None:
        raise UserError(f"目录里没有编号为「{item_id}」的事项。")
    return item_from_row(row)


def item_revisions(store: Store, item_id: str) -> list[dict[str, Any]]:
    """Every revision of an item, newest first, with the version that brought it."""
    rows = store.query(
        "SELECT c.rev, c.active, v.label, v.loaded_at FROM catalog_items c "
        "JOIN catalog_versions v ON v.id = c.version_id WHERE c.item_id = ? ORDER BY c.rev DESC",
        (item_id,),
    )
    return [dict(r) for r in rows]


def versions(store: Store) -> list[dict[str, Any]]:
    """Every catalog version loaded, newest first."""
    rows = store.query("SELECT * FROM catalog_versions ORDER BY id DESC")
    return [dict(r, summary=json.loads(r["summary"])) for r in rows]


def new_version(store: Store, label: str, source: str, summary: dict[str, Any]) -> int:
    """Record a catalog version (inside the caller's transaction) and return its id."""
    cur = store.conn.execute(
        "INSERT INTO catalog_versions (label, source, loaded_at, summary) VALUES (?, ?, ?, ?)",
        (label, source, now_iso(), json.dumps(summary, ensure_ascii=False)),
    )
    return int(cur.lastrowid or 0)


def insert_revision(store: Store, item: CatalogItem, version_id: int,
                    domain_row: int | None = None) -> None:
    """Make ``item`` the active revision of its id (inside the caller's transaction)."""
    conn = store.conn
    if domain_row is None:
        domain_row = domains.domain_id(store, item.domain)
    previous = conn.execute(
        "SELECT max(rev) FROM catalog_items WHERE item_id = ?", (item.id,)
    ).fetchone()[0]
    conn.execute("UPDATE catalog_items SET active = 0, retired_version_id = ? "
                 "WHERE item_id = ? AND active", (version_id, item.id))
    conn.execute(
        "INSERT INTO catalog_items (item_id, rev, version_id, domain_id, seq, level1, level2,"
        " level3, elements, basis, time_limit, rule, subject, channels, audience, mode, levels)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (item.id, (previous or 0) + 1, version_id, domain_row,
         item.seq, item.level1, item.level2, item.level3, _j(item.elements), item.basis,
         item.time_limit, _j(item.rule), item.subject, _j(item.channels), _j(item.audience),
         _j(item.mode), _j(item.levels)),
    )


def move_item(store: Store, item_id: str, seq: int) -> None:
    """Give the current revision a new 序号 (inside the caller's transaction).

    Where a row stands in the table is not what it says: moving it is no revision.
    """
    store.conn.execute("UPDATE catalog_items SET seq = ? WHERE item_id = ? AND active",
                       (seq, item_id))


def learned_channels(store: Store) -> list[str]:
    """The channel names current items hold besides the standard ones, in first-seen order."""
    names: dict[str, None] = {}
    for (value,) in store.conn.execute("SELECT channels FROM catalog_items WHERE active"):
        names.update(dict.fromkeys(n for n in json.loads(value) if n not in CHANNELS))
    return list(names)


def retire(store: Store, item_id: str, version_id: int) -> None:
    """Take an item out of the current catalog; its revisions stay readable."""
    store.conn.execute(
        "UPDATE catalog_items SET active = 0, retired_version_id = ? WHERE item_id = ? AND active",
        (version_id, item_id),
    )


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def read_catalog_json(path: Path) -> tuple[str, list[str], list[CatalogItem]]:
    """Label, domain order and items of a catalog JSON file (the default or an export)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        if data.get("format") != CATALOG_FORMAT:
            raise ValueError("not a gongkai catalog")
        items = [CatalogItem.from_json(d) for d in data["items"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError("无法读取这个目录文件：它不是工作台导出的目录 JSON。", str(exc)) from exc
    return str(data.get("label") or Path(path).stem), list(data.get("domains") or []), items


def catalog_json(store: Store, label: str = "") -> dict[str, Any]:
    """The current catalog as the JSON document ``catalog export x.json`` writes."""
    items = list_items(store)
    return {
        "format": CATALOG_FORMAT,
        "format_version": 1,
        "label": label or "乡镇基层政务公开标准目录（导出）",
        "exported_at": now_iso(),
        "domains": [d.name for d in domains.list_domains(store)],
        "items": [i.to_json() for i in items],
    }


def ensure_default_catalog(store: Store) -> bool:
    """Seed the domains and load the default catalog into an empty data folder.

    Returns True if it loaded anything. Runs in one transaction, so a folder is
    either empty or holds the whole default catalog.
    """
    if store.scalar("SELECT count(*) FROM catalog_versions"):
        return False
    label, _order, items = read_catalog_json(DEFAULT_CATALOG)
    with store.transaction():
        if store.scalar("SELECT count(*) FROM catalog_versions"):
            return False  # another process loaded it while we waited for the write lock
        domains.seed_default_domains(store)
        version = new_version(store, label, "内置默认目录", {"items": len(items)})
        for item in items:
            insert_revision(store, item, version)
        store.audit("catalog.default", label, {"items": len(items)})
    return True


_SUFFIX = re.compile(r"-(\d+)$")


class IdAllocator:
    """Hands out new item ids ``code-NNN`` never used by any revision of any item."""

    def __init__(self, store: Store, code: str) -> None:
        rows = store.query("SELECT DISTINCT item_id FROM catalog_items WHERE item_id LIKE ?",
                           (code + "-%",))
        self.code = code
        self.used = {r["item_id"] for r in rows}
        numbers = [int(m.group(1)) for i in self.used if (m := _SUFFIX.search(i))]
        self.last = max(numbers, default=0)

    def free(self, item_id: str) -> bool:
        """Whether ``item_id`` may be given to a new item (it was never used here)."""
        return bool(item_id) and item_id not in self.used

    def take(self, item_id: str = "") -> str:
        """Reserve ``item_id`` if it is free, else the next ``code-NNN``."""
        while not self.free(item_id):
            self.last += 1
            item_id = f"{self.code}-{self.last:03d}"
        self.used.add(item_id)
        return item_id
