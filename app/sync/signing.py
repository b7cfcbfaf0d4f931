"""The desk's signing key, the county's public key, and the county's reply files by USB.

The desk signs every USB file it exports with its own Ed25519 key, made on
first need (the first login or the first export). The private key is kept as
the county token is (:mod:`app.sync.credentials`: the system keyring, else the
encrypted file in the user's config folder), under a name that carries its
fingerprint; the settings hold only the public key (``sync.signing_key``), so
backups and the audit log never hold a secret. A desk restored from a backup
on another PC finds no private key for its public key and makes a new pair,
which must then be registered again (docs/usb-signing.md).

The county's public key (``sync.county_key``) comes with the login, or is
typed in from paper with ``gongkai sync key --county-key``; a reply file is
applied only if that key signed it and it names this township.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.store import Store
from app.sync import credentials, outbox
from app.sync.bundle import (
    Signer,
    fingerprint,
    load_public_key,
    read_replies,
)
from app.sync.http_client import CountyClient, SyncError
from app.sync.protocol import ProtocolError
from app.township import get_township

DESK_KEY = "sync.signing_key"
COUNTY_KEY = "sync.county_key"
#: The endpoint that registers a township's public key (authenticated by its token).
KEY_PATH = "/township-key"


def _kept_as(public_text: str) -> str:
    """The name the private key is kept under (one per key, so rotations never collide)."""
    return f"desk-signing-key:{fingerprint(public_text)}"


def desk_signer(store: Store) -> Signer | None:
    """The desk's key pair, if its public key is set and its private key opens on this PC."""
    public = store.get_setting(DESK_KEY, "") or ""
    if not public:
        return None
    try:
        secret = credentials.load(_kept_as(public))
        signer = Signer.from_secret(secret) if secret else None
    except ProtocolError:
        return None
    return signer if signer is not None and signer.public_text == public else None


def new_signer() -> Signer:
    """A fresh key pair whose private key is already kept (keyring or encrypted file)."""
    signer = Signer.new()
    credentials.save(_kept_as(signer.public_text), signer.secret())
    return signer


def ensure_signer(store: Store) -> tuple[Signer, bool]:
    """The desk's key pair, made and remembered now if there is none: (signer, made now)."""
    signer = desk_signer(store)
    if signer is not None:
        return signer, False
    signer = new_signer()
    store.set_settings({DESK_KEY: signer.public_text})
    store.audit("sync.key", signer.fingerprint, {"made": True})
    return signer, True


@dataclass(frozen=True)
class Registration:
    """What the county said when the desk registered its key at login."""

    desk_key: str
    county_key: str

    @property
    def settings(self) -> dict[str, str]:
        """The settings to write once the login has succeeded."""
        found = {DESK_KEY: self.desk_key}
        if self.county_key:
            found[COUNTY_KEY] = self.county_key
        return found

    def to_json(self) -> dict[str, Any]:
        """As JSON (the login's answer)."""
        return {"key_fingerprint": fingerprint(self.desk_key),
                "county_key_fingerprint": fingerprint(self.county_key) if self.county_key
                else None}


def register(store: Store, client: CountyClient, rotate: bool = False) -> Registration:
    """Register the desk's public key with the county (made first if there is none).

    The settings are not written here: the caller writes ``settings`` after the
    whole login has succeeded. With ``rotate`` a new pair replaces the old one.
    A county without the endpoint (an older server) answers 404: the key then
    stays unregistered and is carried on paper instead.
    """
    signer = None if rotate else desk_signer(store)
    signer = signer or new_signer()
    # The private client call is the same retried, proxied, certificate-checked road
    # every other request takes.
    response = client._call("PUT", KEY_PATH, json={"public_key": signer.public_text})
    if response.status_code == 404:
        return Registration(signer.public_text, store.get_setting(COUNTY_KEY, "") or "")
    try:
        county_key = str(response.json().get("county_key") or "")
        load_public_key(county_key)
    except (ValueError, AttributeError, ProtocolError) as exc:
        raise SyncError("县级平台的回答无法识别，未能登记本机的签名密钥。") from exc
    return Registration(signer.public_text, county_key)


def set_county_key(store: Store, text: str) -> str:
    """Keep the county's public key given on paper or in a file; returns its fingerprint."""
    path = Path(text)
    try:
        if len(text) < 1000 and path.is_file():
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"无法读取公钥文件 {path.name}。") from exc
    try:
        key = "".join(text.split())
        load_public_key(key)
    except ProtocolError as exc:
        raise UserError(str(exc)) from exc
    store.set_settings({COUNTY_KEY: key})
    return fingerprint(key)


@dataclass(frozen=True)
class ImportedReplies:
    """What ``gongkai sync import`` applied."""

    replies: int
    returned: int
    published: int
    receipts: int

    def to_json(self) -> dict[str, int]:
        """As JSON (``sync import --json``)."""
        return {"replies": self.replies, "returned": self.returned,
                "published": self.published, "receipts": self.receipts}


def import_replies(store: Store, path: Path) -> ImportedReplies:
    """Apply a reply file the county wrote for this township, after checking who signed it.

    Receipts close the batches still waiting here (the USB road has no other
    way to close them); the replies then follow in the county's order, so the
    latest answer about each notice is the one that stands. A file brought
    twice changes nothing the second time (replies are known by their number).
    """
    county_key = store.get_setting(COUNTY_KEY, "") or ""
    me = get_township(store).township

    def trusted(township: str, signer: str) -> str:
        if not county_key:
            raise ProtocolError("本机还没有县级平台的公钥，请先登录县级平台，或用 "
                                "gongkai sync key --county-key 载入县里提供的公钥。")
        if township != me:
            raise ProtocolError(f"这个答复文件是给「{township}」的，不是本乡镇的，未导入任何内容。")
        if signer and signer != fingerprint(county_key):
            raise ProtocolError("这个答复文件不是本县平台的密钥签名的，未导入任何内容。")
        return county_key

    try:
        answer = read_replies(Path(path), trusted)
    except ProtocolError as exc:
        raise UserError(str(exc)) from exc
    known = {(r["notice_id"], r["seq"]) for r in store.query(
        "SELECT DISTINCT notice_id, seq FROM county_replies")}
    fresh = [r for r in answer.replies if (r.notice_id, r.seq) not in known]
    waiting = {p.batch_id for p in outbox.pending_batches(store)}
    closed = [r for r in answer.receipts if r.batch_id in waiting]
    for receipt in closed:
        outbox.record_receipt(store, receipt)
    outbox.record_replies(store, sorted(answer.replies, key=lambda r: r.seq))
    store.audit("sync.import", Path(path).name, {"replies": len(fresh),
                                                 "receipts": len(closed)})
    return ImportedReplies(len(fresh), sum(r.state == "returned" for r in fresh),
                           sum(r.state == "published" for r in fresh), len(closed))


def key_status(store: Store) -> dict[str, Any]:
    """The desk's and the county's keys as the clerk reads them (``sync key --json``)."""
    desk = store.get_setting(DESK_KEY, "") or ""
    county = store.get_setting(COUNTY_KEY, "") or ""
    usable = desk_signer(store) is not None
    return {"public_key": desk or None, "fingerprint": fingerprint(desk) if desk else None,
            "private_key_here": usable, "county_key": county or None,
            "county_fingerprint": fingerprint(county) if county else None}

