"""A 考核细则 published by the county, kept as it came until the clerk has seen what it changes.

``sync pull`` only stores the offer (its version, name and TOML text). The
desk reads and checks it when the clerk previews it (``gongkai assess rules
offer``, the 考核自评 page): an offer it cannot read is said in one sentence
and can be set aside. Taking it keeps it as the active rules and marks the
version as taken, so the county does not offer it again; setting it aside
only marks the version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.errors import UserError
from app.store import Store, now_iso

PENDING = "sync.rules_pending"
TAKEN = "sync.rules_after"
#: What the desk keeps of an offer at most (the rules reader's own cap is 64 KB).
MAX_BODY_CHARS = 64 * 1024


@dataclass(frozen=True)
class RulesOffer:
    """The county's rules of one version, as pulled, waiting for the clerk."""

    version: int
    name: str
    body: str
    server: str = ""
    received: str = ""

    @property
    def origin(self) -> str:
        """What ``scoring_rules.source`` records for it."""
        return f"county:{self.version}"

    @property
    def title(self) -> str:
        """How the desk names the offer."""
        return f"县级平台考核细则第{self.version}版「{self.name}」"

    def to_json(self) -> dict[str, Any]:
        """As JSON (no body)."""
        return {"version": self.version, "name": self.name, "server": self.server,
                "received": self.received}


def taken_version(store: Store) -> int:
    """The newest county rules version taken or set aside (0 if none)."""
    return int(store.get_setting(TAKEN, "0") or 0)


def keep_offer(store: Store, version: int, name: str, body: str, server: str) -> None:
    """Store newer county rules for the clerk to preview (replacing an older offer)."""
    document = json.dumps({"version": version, "name": name[:80],
                           "body": body[:MAX_BODY_CHARS + 1], "server": server,
                           "received": now_iso()}, ensure_ascii=False)
    with store.transaction():
        store.set_settings({PENDING: document}, audit_values=False)
        store.audit("sync.rules_offered", f"第{version}版", {"name": name[:80]})


def offered(store: Store) -> RulesOffer | None:
    """The county rules waiting for the clerk, if any."""
    text = store.get_setting(PENDING, "") or ""
    if not text:
        return None
    data = json.loads(text)
    return RulesOffer(int(data["version"]), str(data.get("name", "")), str(data["body"]),
                      data.get("server", ""), data.get("received", ""))


def waiting(store: Store) -> RulesOffer:
    """The offered rules, or one sentence saying there are none."""
    offer = offered(store)
    if offer is None:
        raise UserError("县里没有发来新的考核细则；请先与县级平台同步一次再看。")
    return offer


def mark_taken(store: Store, offer: RulesOffer, action: str) -> None:
    """Clear the offer and remember its version (inside the caller's transaction, if any)."""
    with store.transaction():
        store.set_settings({PENDING: "", TAKEN: str(offer.version)})
        store.audit(action, offer.title, {"version": offer.version})
