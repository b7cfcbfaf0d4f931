"""The township's domains: a table, not a constant.

The 13 default domains are seeded on first use. Counties add their own (户籍管理,
义务教育 …) and rename old ones; an alias maps another county's name onto the
township's domain. A domain may be hidden, never silently dropped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from app.errors import UserError
from app.facts import DEFAULT_DOMAINS, alias_group, squash
from app.store import Store, now_iso


@dataclass(frozen=True)
class Domain:
    """A domain as the catalog page and ``catalog domains`` show it."""

    id: int
    name: str
    code: str
    position: int
    hidden: bool
    builtin: bool
    items: int

    def to_json(self) -> dict[str, object]:
        """JSON for ``gongkai catalog domains --json``."""
        return {"name": self.name, "code": self.code, "items": self.items,
                "hidden": self.hidden, "builtin": self.builtin}


def seed_default_domains(store: Store) -> None:
    """Insert the 13 default domains if the table is empty (inside the caller's transaction)."""
    if store.scalar("SELECT count(*) FROM domains"):
        return
    for position, (name, code) in enumerate(DEFAULT_DOMAINS, start=1):
        store.conn.execute(
            "INSERT INTO domains (name, code, position, builtin, created_at)"
            " VALUES (?, ?, ?, 1, ?)",
            (name, code, position, now_iso()),
        )


def list_domains(store: Store, include_hidden: bool = False) -> list[Domain]:
    """Domains in display order, each with its count of current catalog items."""
    rows = store.query(
        "SELECT d.*, (SELECT count(*) FROM catalog_items c WHERE c.domain_id = d.id AND c.active)"
        " AS items FROM domains d ORDER BY d.position, d.id"
    )
    return [
        Domain(r["id"], r["name"], r["code"], r["position"], bool(r["hidden"]),
               bool(r["builtin"]), r["items"])
        for r in rows
        if include_hidden or not r["hidden"]
    ]


def resolve_domain(store: Store, label: str) -> str | None:
    """The township's domain that ``label`` means: its name, a saved alias or a synonym."""
    key = squash(label)
    if not key:
        return None
    names = {r["name"] for r in store.query("SELECT name FROM domains")}
    if key in names:
        return key
    alias = store.scalar(
        "SELECT d.name FROM domain_aliases a JOIN domains d ON d.id = a.domain_id"
        " WHERE a.alias = ?",
        (key,),
    )
    if alias:
        return alias
    matches = sorted(alias_group(key) & names)
    return matches[0] if matches else None


def domain_id(store: Store, name: str) -> int:
    """The row id of a domain by its exact name; refuses an unknown one."""
    value = store.scalar("SELECT id FROM domains WHERE name = ?", (name,))
    if value is None:
        raise UserError(f"目录里没有「{name}」这个领域。")
    return int(value)


def domain_code(store: Store, name: str) -> str:
    """The short ASCII code that prefixes the item ids of a domain."""
    return str(store.scalar("SELECT code FROM domains WHERE name = ?", (name,)))


def add_domain(store: Store, name: str) -> Domain:
    """Add a domain the clerk has confirmed (e.g. 户籍管理 from a county table)."""
    name = squash(name)
    if not name or len(name) > 30:
        raise UserError("领域名称不能为空，也不能超过30个字。")
    if resolve_domain(store, name):
        raise UserError(f"「{name}」已经在目录里了（或是已有领域的别名）。")
    code = "d" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    with store.transaction() as conn:
        position = (store.scalar("SELECT max(position) FROM domains") or 0) + 1
        conn.execute(
            "INSERT INTO domains (name, code, position, created_at) VALUES (?, ?, ?, ?)",
            (name, code, position, now_iso()),
        )
        store.audit("domain.add", name, {"code": code})
    return next(d for d in list_domains(store, True) if d.name == name)


def add_alias(store: Store, alias: str, name: str) -> None:
    """Make ``alias`` (another county's word) mean the township's domain ``name``."""
    alias = squash(alias)
    if not alias:
        raise UserError("别名不能为空。")
    target = domain_id(store, name)
    if store.scalar("SELECT 1 FROM domains WHERE name = ?", (alias,)):
        raise UserError(f"「{alias}」本身就是一个领域，不能再作别名。")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO domain_aliases (alias, domain_id) VALUES (?, ?) "
            "ON CONFLICT(alias) DO UPDATE SET domain_id = excluded.domain_id",
            (alias, target),
        )
        store.audit("domain.alias", alias, {"domain": name})


def set_hidden(store: Store, name: str, hidden: bool) -> None:
    """Hide a domain from the catalog page (its items and the notices citing them stay)."""
    target = domain_id(store, name)
    with store.transaction() as conn:
        conn.execute("UPDATE domains SET hidden = ? WHERE id = ?", (int(hidden), target))
        store.audit("domain.hide" if hidden else "domain.show", name)


def remove_domain(store: Store, name: str) -> None:
    """Delete a domain that nothing has ever cited; anything else can only be hidden."""
    target = domain_id(store, name)
    if store.scalar("SELECT count(*) FROM catalog_items WHERE domain_id = ?", (target,)):
        raise UserError(f"「{name}」领域下有（或曾有）目录事项，只能隐藏，不能删除。")
    with store.transaction() as conn:
        conn.execute("DELETE FROM domain_aliases WHERE domain_id = ?", (target,))
        conn.execute("DELETE FROM domains WHERE id = ?", (target,))
        store.audit("domain.remove", name)
