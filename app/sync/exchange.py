"""Sending to and fetching from the county: push, pull, USB export, and the token.

The token is kept by :mod:`app.sync.credentials` (the system keyring, or an
encrypted file where there is none); ``GONGKAI_COUNTY_TOKEN`` overrides it and
is never written anywhere.

The network work happens here, outside any transaction: each step that
changes the township database (freezing batches, writing a receipt, writing
replies) is its own short transaction, so a cut or a kill at any moment
leaves either the old state or the new one, and the next push carries on
from there.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app import clock, workdays
from app.errors import UserError
from app.notices import county_queue
from app.store import Store, now_iso
from app.sync import catalog_offers, credentials, outbox, problem_lists, rules_offers, signing
from app.sync.bundle import write_bundle
from app.sync.http_client import Connection, CountyClient, RetryPolicy, SyncError, SyncStopped
from app.sync.problem_lists import Pulled as ListsPulled
from app.sync.protocol import Batch

KEYRING_SERVICE = credentials.KEYRING_SERVICE
TOKEN_ENV = "GONGKAI_COUNTY_TOKEN"
Progress = Callable[[int, int], None]


def server_of(store: Store, server: str | None = None) -> str:
    """The county server given, or the one saved by the last login."""
    chosen = (server or store.get_setting("sync.server", "") or "").strip()
    if not chosen:
        raise SyncError("还没有设置县级平台地址，请先运行 gongkai sync login --server 地址。",
                        window="尚未连接县级平台，请点「连接设置…」填写平台地址和令牌。")
    return chosen


def token_for(server: str) -> str:
    """The token for ``server``: GONGKAI_COUNTY_TOKEN, else the one kept at the last login."""
    if os.environ.get(TOKEN_ENV):
        return os.environ[TOKEN_ENV].strip()
    return credentials.load(server)


def login(store: Store, server: str, token: str, keep: bool = True, *,
          ca_cert: str | None = None, proxy: str | None = None) -> dict[str, Any]:
    """Check the token with the county, keep it, remember the server; the county's hello.

    ``ca_cert`` and ``proxy`` are the connection settings to try (None: the
    saved ones). Nothing is written until the county has answered: a login
    that fails leaves the settings, the audit log and the keyring as they were.
    A password in the proxy URL is kept with the token, never in the settings.

    The answer carries ``token_kept``: "keyring", "encrypted_file" (no usable
    keyring on this PC: see :mod:`app.sync.credentials`) or "not_kept" when
    ``keep=False`` (a token from GONGKAI_COUNTY_TOKEN, checked and never written).
    The desk's signing key (made now if there is none) is registered with the
    county in the same visit, and the county's public key comes back: the
    answer adds ``key_fingerprint`` and ``county_key_fingerprint``.
    """
    token = token.strip()
    if not token:
        raise UserError("令牌不能为空。")
    tried = _connection(store, server, token)
    tried = Connection(server, token, tried.ca_cert if ca_cert is None else ca_cert,
                       tried.proxy if proxy is None else proxy)
    with CountyClient(tried, RetryPolicy(attempts=2)) as client:
        hello = client.hello()
        keys = signing.register(store, client)
    kept = credentials.save(server, token).value if keep else "not_kept"
    settings = {"sync.server": server, **keys.settings}
    if ca_cert is not None:
        settings["sync.ca_cert"] = ca_cert
    if proxy is not None:
        settings["sync.proxy"] = credentials.keep_proxy(
            proxy, store.get_setting("sync.proxy", "") or "")
    store.set_settings(settings)
    return {**hello, "token_kept": kept, **keys.to_json()}


def _connection(store: Store, server: str, token: str) -> Connection:
    return Connection(server, token, store.get_setting("sync.ca_cert", "") or "",
                      store.get_setting("sync.proxy", "") or "")


def connect(store: Store, server: str | None = None, retry: RetryPolicy | None = None,
            stop: threading.Event | None = None) -> CountyClient:
    """A client for the township's county server with its saved token and settings.

    Setting ``stop`` ends the work at the next call or retry with SyncStopped.
    """
    chosen = server_of(store, server)
    return CountyClient(_connection(store, chosen, token_for(chosen)), retry, stop=stop)


@dataclass(frozen=True)
class PushReport:
    """What one push did."""

    batches: int
    notices: int
    attachments: int
    bytes_sent: int
    replayed: int

    def to_json(self) -> dict[str, int]:
        """As JSON (``sync push --json``)."""
        return {"batches": self.batches, "notices": self.notices,
                "attachments": self.attachments, "bytes": self.bytes_sent,
                "replayed": self.replayed}


def push(store: Store, client: CountyClient, progress: Progress | None = None) -> PushReport:
    """Send every approved, unsent notice; safe to repeat, and to resume after any cut."""
    county_queue.sweep(store)
    outbox.form_batches(store)
    pending = outbox.pending_batches(store)
    total = sum(p.notices for p in pending)
    done = blobs = replayed = 0
    if progress:
        progress(0, total)
    for entry in pending:
        try:
            hashes = [a.sha256 for a in entry.batch.blobs()]
            for digest in client.missing(hashes):
                client.put_blob(digest, outbox.blob_bytes(store, digest))
                blobs += 1
            receipt = client.put_batch(entry.batch_id, entry.text.encode("utf-8"))
        except SyncStopped:
            raise
        except SyncError as err:
            # Kept for the 同步 page's 上次出错: the window's sentence (no command line).
            outbox.record_failure(store, entry.batch_id, err.window)
            raise
        outbox.record_receipt(store, receipt)
        replayed += receipt.replayed
        done += entry.notices
        if progress:
            progress(done, total)
    return PushReport(len(pending), done, blobs, client.bytes_sent, replayed)


@dataclass(frozen=True)
class PullReport:
    """What one pull brought."""

    replies: int
    returned: int
    catalog_version: int | None
    catalog_items: int
    calendar_years: list[int]
    #: A newer 考核细则 kept for the clerk to preview (its version), or None.
    rules_version: int | None = None
    #: The county's 测评问题清单 imported into 整改, and those the desk refused.
    problem_lists: ListsPulled = field(default_factory=ListsPulled)

    def to_json(self) -> dict[str, Any]:
        """As JSON (``sync pull --json``)."""
        return {"replies": self.replies, "returned": self.returned,
                "catalog_version": self.catalog_version, "catalog_items": self.catalog_items,
                "calendar_years": self.calendar_years, "rules_version": self.rules_version,
                "problem_lists": self.problem_lists.to_json()}


def pull(store: Store, client: CountyClient, today: date | None = None) -> PullReport:
    """County replies, a newer catalog and 考核细则 (kept for the clerk to preview), unknown
    holiday years, and the county's 测评问题清单 (imported into 整改 one by one)."""
    try:
        replies = outbox.record_replies(
            store, client.replies(outbox.replies_after(store)))
        after = catalog_offers.taken_version(store)
        offered = client.catalog(after)
        items = offered.get("items") or []
        version = int(offered.get("version") or after)
        if items and version > after:
            catalog_offers.keep_offer(store, version, items,
                                      store.get_setting("sync.server", "") or "")
        else:
            items = []
        rules_version = _pull_rules(store, client)
        lists = problem_lists.pull_lists(store, client)
        years = []
        cal = workdays.Calendar.from_store(store)
        this_year = (today or clock.today()).year
        for year in (this_year, this_year + 1):
            if cal.year_status(year) != "未知":
                continue
            arrangement = client.calendar(year)
            if arrangement:
                workdays.load_arrangement(store, arrangement)
                years.append(year)
    except SyncStopped:
        raise
    except SyncError as err:
        outbox.record_failure(store, None, err.window)
        raise
    store.set_settings({"sync.last_ok": now_iso(), "sync.last_error": ""})
    return PullReport(len(replies), sum(r.state == "returned" for r in replies),
                      version if items else None, len(items), years, rules_version, lists)


def _pull_rules(store: Store, client: CountyClient) -> int | None:
    """Keep newer county rules for the clerk's preview; their version, or None."""
    after = rules_offers.taken_version(store)
    offered = client.rules(after)
    if not offered or not offered.get("body"):
        return None  # nothing newer, or a county that publishes no rules yet
    try:
        version = int(offered.get("version") or 0)
    except (TypeError, ValueError):
        raise SyncError("县级平台发来的考核细则无法识别，请联系县政务公开办。") from None
    if version <= after or not isinstance(offered["body"], str):
        return None
    rules_offers.keep_offer(store, version, str(offered.get("name") or ""), offered["body"],
                            store.get_setting("sync.server", "") or "")
    return version


def export_bundle(store: Store, out: Path) -> list[Batch]:
    """Write everything waiting as one USB file, signed by the desk (empty list if nothing waits).

    Batches already frozen for the network go into the file under their own
    ids and as the same bytes, so the county counts them once however they
    arrive; they stay pending until a receipt comes back (a push, or the
    county's reply file through :func:`app.sync.signing.import_replies`).
    The desk's key pair is made here if it has none yet.
    """
    county_queue.sweep(store)
    outbox.form_batches(store)
    pending = outbox.pending_batches(store)
    if not pending:
        return []
    batches = [p.batch for p in pending]
    blobs = {a.sha256: outbox.blob_bytes(store, a.sha256)
             for b in batches for a in b.blobs()}
    signer, _made = signing.ensure_signer(store)
    write_bundle(batches, blobs, out, {p.batch_id: p.text for p in pending}, signer)
    with store.transaction() as conn:
        for entry in pending:
            conn.execute("UPDATE sync_batches SET exported_at = ? WHERE batch_id = ?",
                         (now_iso(), entry.batch_id))
        store.audit("sync.export", out.name, {"batches": [p.batch_id for p in pending],
                                              "key": signer.fingerprint})
    return batches
