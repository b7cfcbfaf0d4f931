"""A catalog revision sent by the county, kept until the clerk has seen what it changes.

``sync pull`` only stores the offer. Nothing in the township's catalog moves
until the clerk has looked at the same dry-run preview a file import gets
and confirmed it; applying it is then one import transaction that also
marks the version as taken, so the county does not offer it again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.catalog.importing import ImportReport, Sections, sections_by_domain
from app.catalog.item import CatalogItem
from app.errors import UserError
from app.store import Store, now_iso

PENDING = "sync.catalog_pending"
TAKEN = "sync.catalog_after"


@dataclass(frozen=True)
class CountyCatalog:
    """The county's catalog of one version, as pulled, waiting for the clerk."""

    version: int
    items: list[dict[str, Any]]
    server: str = ""
    received: str = ""

    @property
    def name(self) -> str:
        """How the preview and the catalog history name it."""
        return f"县级平台目录第{self.version}版"

    @property
    def origin(self) -> str:
        """The county server it came from."""
        return self.server or "县级平台"

    def sections(self) -> tuple[Sections, list[str]]:
        """The items grouped by domain, ready for the import planner."""
        try:
            items = [CatalogItem.from_json(dict(d)) for d in self.items]
        except (TypeError, ValueError) as exc:
            raise UserError("县里发来的目录无法识别，请联系县政务公开办重新下发。",
                            str(exc)) from exc
        return sections_by_domain(items, self.name), []

    def applied(self, store: Store, report: ImportReport) -> None:
        """Mark this version as taken, inside the import's transaction."""
        store.set_settings({PENDING: "", TAKEN: str(self.version)})
        store.audit("sync.catalog", self.name, {"version": self.version,
                                                "catalog_version": report.version})

    def to_json(self) -> dict[str, Any]:
        """Stored form (and ``sync catalog --json`` header)."""
        return {"version": self.version, "items": len(self.items), "server": self.server,
                "received": self.received}


def taken_version(store: Store) -> int:
    """The newest county catalog version this township has applied (0 if none)."""
    return int(store.get_setting(TAKEN, "0") or 0)


def keep_offer(store: Store, version: int, items: list[dict[str, Any]], server: str) -> None:
    """Store a newer county catalog for the clerk to preview (replacing an older offer)."""
    document = json.dumps({"version": version, "items": items, "server": server,
                           "received": now_iso()}, ensure_ascii=False)
    with store.transaction():
        # The audit log records the offer, not three hundred items of it.
        store.set_settings({PENDING: document}, audit_values=False)
        store.audit("sync.catalog_offered", f"第{version}版", {"items": len(items)})


def offered(store: Store) -> CountyCatalog | None:
    """The county catalog waiting for the clerk, if any."""
    text = store.get_setting(PENDING, "") or ""
    if not text:
        return None
    data = json.loads(text)
    return CountyCatalog(int(data["version"]), list(data["items"]), data.get("server", ""),
                         data.get("received", ""))


def waiting(store: Store) -> CountyCatalog:
    """The offered catalog, or one sentence saying there is none."""
    offer = offered(store)
    if offer is None:
        raise UserError("县里没有发来新的目录；请先与县级平台同步一次再看。")
    return offer


def decline(store: Store) -> CountyCatalog:
    """Set the offer aside without changing the catalog; the county will not offer it again."""
    offer = waiting(store)
    with store.transaction():
        store.set_settings({PENDING: "", TAKEN: str(offer.version)})
        store.audit("sync.catalog_declined", offer.name, {"version": offer.version})
    return offer

