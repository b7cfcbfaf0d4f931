"""Files for a USB stick, both ways, each signed by whoever made it (Ed25519).

A batch file (township → county) holds ``manifest.json``, one
``batches/<batch_id>.json`` per batch (everything that waited: a thousand
notices are several batches) and ``blobs/<sha256>``. The manifest names the
SHA-256 and size of every other part; a file with any part missing, added,
altered or damaged is refused whole, with one sentence.

A reply file (county → township) holds only ``manifest.json``: the county's
replies and batch receipts for one township.

Both carry ``manifest.sig``: the Ed25519 signature of the manifest's exact
bytes, with the fingerprint of the key that made it. The manifest already
hashes every other part, so the signature covers the whole file; whoever
rebuilds the manifest after changing a title, swapping bodies or renaming
the township cannot sign it again without the private key. The reader checks
the shapes, the signature against the key it trusts for that sender, then the
parts (docs/usb-signing.md describes the keys' life).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.atomic import atomic_path
from app.sync.protocol import (
    FORMAT,
    FORMAT_VERSION,
    MAX_BATCH_BYTES,
    MAX_BLOB_BYTES,
    Batch,
    BatchReceipt,
    ProtocolError,
    Reply,
    check_batch_id,
    is_sha256,
    manifest,
    sha256_hex,
)

_DAMAGED = "U盘文件已损坏或被改动，未导入任何内容。"
_NOT_OURS = "这不是公开工作台导出的U盘文件。"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
#: The county's answers on a USB stick: ``gongkai-county replies``.
REPLIES_FORMAT = "gongkai-replies"
REPLIES_VERSION = 1
#: A manifest is small (names and hashes, or replies); past this it is not ours.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
_MAX_SIGNATURE_BYTES = 4096
#: Whom a signature must come from: called with the manifest's township and the
#: fingerprint the signature names, it answers the trusted public key (base64) or
#: raises ProtocolError (unknown sender, another township's key, a revoked key …).
TrustedKey = Callable[[str, str], str]


# -- keys and signatures ------------------------------------------------------------------


def public_key_text(key: Ed25519PublicKey) -> str:
    """A public key as it is written in settings, in the database and on paper (base64)."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key from its base64 text (spaces and line breaks ignored), else ProtocolError."""
    try:
        raw = base64.b64decode("".join(str(text).split()), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise ProtocolError("公钥格式不对，应是工作台或县级平台给出的一行 base64 文字。") from exc


def fingerprint(public_text: str) -> str:
    """A short form of a public key to read aloud on the phone: 16 hex digits in 4 groups."""
    raw = load_public_key(public_text).public_bytes(Encoding.Raw, PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()[:16].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class Signer:
    """A private key that signs USB files (the desk's or the county's)."""

    key: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def new(cls) -> Signer:
        """A fresh key pair."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_secret(cls, text: str) -> Signer:
        """The key kept as base64 of its 32 private bytes; ProtocolError if it is not one."""
        try:
            return cls(Ed25519PrivateKey.from_private_bytes(
                base64.b64decode(text, validate=True)))
        except (binascii.Error, ValueError, TypeError) as exc:
            raise ProtocolError("保存的签名密钥无法读取。") from exc

    def secret(self) -> str:
        """The private key as base64 text, for the keyring or the county database only."""
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        raw = self.key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return base64.b64encode(raw).decode("ascii")

    @property
    def public_text(self) -> str:
        """The public key (base64)."""
        return public_key_text(self.key.public_key())

    @property
    def fingerprint(self) -> str:
        """The public key's fingerprint."""
        return fingerprint(self.public_text)

    def signature(self, data: bytes) -> bytes:
        """The ``manifest.sig`` document for ``data``."""
        return json.dumps({"alg": "Ed25519", "key": self.fingerprint,
                           "signature": base64.b64encode(self.key.sign(data)).decode("ascii")}
                          ).encode("utf-8")


def signed_by(signature: bytes | None) -> str:
    """The fingerprint a ``manifest.sig`` names ("" if there is none or it is unreadable)."""
    doc = _signature_doc(signature)
    return str(doc.get("key") or "") if doc else ""


def _signature_doc(signature: bytes | None) -> dict[str, Any] | None:
    if not signature or len(signature) > _MAX_SIGNATURE_BYTES:
        return None
    try:
        doc = json.loads(signature)
    except (ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


def signature_valid(public_text: str, data: bytes, signature: bytes | None) -> bool:
    """Whether ``signature`` (a ``manifest.sig``) is ``public_text``'s signature of ``data``."""
    doc = _signature_doc(signature)
    if doc is None or doc.get("alg") != "Ed25519" or not isinstance(doc.get("signature"), str):
        return False
    try:
        raw = base64.b64decode(doc["signature"], validate=True)
        load_public_key(public_text).verify(raw, data)
    except (binascii.Error, ValueError, InvalidSignature, ProtocolError):
        return False
    return True


def _verify(head: dict[str, Any], data: bytes, signature: bytes | None,
            trusted: TrustedKey, what: str) -> None:
    if signature is None:
        raise ProtocolError(f"这个{what}没有签名，无法确认是谁制作的，未导入任何内容。")
    key = trusted(str(head["township"]), signed_by(signature))
    if not signature_valid(key, data, signature):
        raise ProtocolError(f"这个{what}的签名对不上，可能被改动过或不是对方制作的，"
                            "未导入任何内容。")


@dataclass(frozen=True)
class Bundle:
    """A checked USB file: its batches and the bytes of every attachment by SHA-256."""

    batches: list[Batch]
    blobs: dict[str, bytes]
    manifest: dict
    #: Whether the file was signed and the signature checked against a trusted key.
    verified: bool = False

    @property
    def batch(self) -> Batch:
        """The first batch (most files hold one)."""
        return self.batches[0]


def batch_part(batch_id: str) -> str:
    """The name of a batch document inside a USB file."""
    return f"batches/{batch_id}.json"


def write_bundle(batches: list[Batch], blobs: dict[str, bytes], out: Path,
                 texts: dict[str, str] | None = None, signer: Signer | None = None) -> Path:
    """Write batches and their attachments as a zip (atomically); every blob must be given.

    ``texts`` are the frozen documents by batch id, so the file carries the very
    bytes the network would; without them each batch is written afresh. With
    ``signer`` the manifest is signed (the desk always signs; an unsigned file
    is only for tests of what the county refuses).
    """
    if not batches:
        raise ProtocolError("没有要导出的批次。")
    wanted = {a.sha256 for b in batches for a in b.blobs()}
    if wanted - set(blobs):
        raise ProtocolError("有附件找不到，无法导出。")
    texts = texts or {}
    parts = {batch_part(b.batch_id): (texts.get(b.batch_id) or json.dumps(
        b.to_json(), ensure_ascii=False, sort_keys=True)).encode("utf-8") for b in batches}
    parts.update({f"blobs/{sha}": blobs[sha] for sha in sorted(wanted)})
    head = manifest(batches, parts, datetime.now().astimezone().isoformat(timespec="seconds"))
    return write_signed(out, head, parts, signer)


def write_signed(out: Path, head: dict[str, Any], parts: dict[str, bytes],
                 signer: Signer | None) -> Path:
    """Write ``manifest.json`` (signed when ``signer`` is given) and ``parts`` as a zip."""
    data = json.dumps(head, ensure_ascii=False, indent=1).encode("utf-8")
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        archive.writestr(MANIFEST, data)
        if signer is not None:
            archive.writestr(SIGNATURE, signer.signature(data))
        for name, part in parts.items():
            # Photos are already compressed; deflating them again only costs time.
            method = zipfile.ZIP_STORED if name.startswith("blobs/") else zipfile.ZIP_DEFLATED
            archive.writestr(name, part, compress_type=method)
    return out


@contextmanager
def _opened(path: Path) -> Iterator[zipfile.ZipFile]:
    """The zip file at ``path``; whatever goes wrong reading it is one ProtocolError."""
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except ProtocolError:
        raise
    except FileNotFoundError as exc:
        raise ProtocolError(f"找不到文件 {path.name}。") from exc
    # A flipped bit inside a deflated part surfaces as zlib.error, not as a zip error.
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, EOFError,
            NotImplementedError) as exc:
        raise ProtocolError(_DAMAGED) from exc


def read_bundle(path: Path, trusted: TrustedKey | None = None) -> Bundle:
    """Open and check a USB file; ProtocolError (one sentence) if anything is wrong.

    With ``trusted`` (the county always gives it) the manifest's signature is
    checked against the key it answers for the manifest's township before any
    part is read; without it the signature is not looked at (the desk reading
    back its own file).
    """
    with _opened(path) as archive:
        names = set(archive.namelist())
        data, signature = _manifest_bytes(archive, names)
        head = _parse(data)
        listed = _listed_parts(head)
        if trusted is not None:
            _verify(head, data, signature, trusted, "U盘文件")
        if names - {SIGNATURE} != set(listed) | {MANIFEST}:
            raise ProtocolError(_DAMAGED)
        parts = {}
        for name, (digest, size) in listed.items():
            info = archive.getinfo(name)
            limit = MAX_BLOB_BYTES if name.startswith("blobs/") else MAX_BATCH_BYTES
            if info.file_size != size or size > limit:
                raise ProtocolError(_DAMAGED)
            part = archive.read(name)
            if sha256_hex(part) != digest:
                raise ProtocolError(_DAMAGED)
            parts[name] = part
    batches = [_batch(parts[batch_part(batch_id)]) for batch_id in head["batch_ids"]]
    if [b.batch_id for b in batches] != head["batch_ids"] or \
            any(b.township != head["township"] for b in batches):
        raise ProtocolError(_DAMAGED)
    blobs = {name.removeprefix("blobs/"): data for name, data in parts.items()
             if name.startswith("blobs/")}
    if {a.sha256 for b in batches for a in b.blobs()} != set(blobs):
        raise ProtocolError(_DAMAGED)
    return Bundle(batches, blobs, head, trusted is not None)


def _manifest_bytes(archive: zipfile.ZipFile, names: set[str]) -> tuple[bytes, bytes | None]:
    if MANIFEST not in names:
        raise ProtocolError(_NOT_OURS)
    if archive.getinfo(MANIFEST).file_size > MAX_MANIFEST_BYTES:
        raise ProtocolError(_DAMAGED)
    signature = None
    if SIGNATURE in names:
        if archive.getinfo(SIGNATURE).file_size > _MAX_SIGNATURE_BYTES:
            raise ProtocolError(_DAMAGED)
        signature = archive.read(SIGNATURE)
    return archive.read(MANIFEST), signature


def _parse(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ProtocolError(_DAMAGED) from exc


def _batch(data: bytes) -> Batch:
    return Batch.from_json(_parse(data))


def _listed_parts(head: Any) -> dict[str, tuple[str, int]]:
    """The parts a batch manifest names, after checking every field's shape."""
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise ProtocolError(_NOT_OURS)
    if type(head.get("version")) is not int or head["version"] != FORMAT_VERSION:
        raise ProtocolError("U盘文件的格式版本不受支持，请升级程序。")
    township, ids, parts = head.get("township"), head.get("batch_ids"), head.get("parts")
    if not isinstance(township, str) or not township.strip():
        raise ProtocolError("U盘文件没有写明是哪个乡镇的，未导入任何内容。")
    if not isinstance(ids, list) or not ids or not all(isinstance(b, str) for b in ids) \
            or len(set(ids)) != len(ids):
        raise ProtocolError("U盘文件的批次清单格式不对，未导入任何内容。")
    for batch_id in ids:
        if check_batch_id(batch_id) != batch_id:
            raise ProtocolError("U盘文件的批次清单格式不对，未导入任何内容。")
    if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
        raise ProtocolError("U盘文件的内容清单格式不对，未导入任何内容。")
    wanted = {batch_part(b) for b in ids}
    listed: dict[str, tuple[str, int]] = {}
    for part in parts:
        name, digest, size = part.get("name"), part.get("sha256"), part.get("size")
        if not isinstance(name, str) or not isinstance(digest, str) or \
                not is_sha256(digest) or type(size) is not int or name in listed:
            raise ProtocolError(_DAMAGED)
        blob = name.startswith("blobs/") and name.removeprefix("blobs/") == digest
        if not blob and name not in wanted:
            raise ProtocolError(_DAMAGED)
        listed[name] = (digest, size)
    if not wanted <= set(listed):
        raise ProtocolError(_DAMAGED)
    return listed


# -- the county's replies -----------------------------------------------------------------


@dataclass(frozen=True)
class ReplyFile:
    """A checked reply file: for whom, the replies in order, and the batch receipts."""

    township: str
    county: str
    created: str
    replies: list[Reply]
    receipts: list[BatchReceipt]


def write_replies(out: Path, township: str, county: str, replies: list[Reply],
                  receipts: list[BatchReceipt], signer: Signer) -> Path:
    """Write the county's replies and receipts for one township, signed (atomically)."""
    head = {"format": REPLIES_FORMAT, "version": REPLIES_VERSION, "township": township,
            "county": county,
            "created": datetime.now().astimezone().isoformat(timespec="seconds"),
            "replies": [r.to_json() for r in replies],
            "receipts": [r.to_json() for r in receipts]}
    return write_signed(out, head, {}, signer)


def read_replies(path: Path, trusted: TrustedKey) -> ReplyFile:
    """Open a reply file and check its shape and the county's signature; else ProtocolError."""
    with _opened(path) as archive:
        names = set(archive.namelist())
        data, signature = _manifest_bytes(archive, names)
    head = _parse(data)
    if not isinstance(head, dict) or head.get("format") != REPLIES_FORMAT:
        raise ProtocolError("这不是县级平台导出的答复文件。")
    if type(head.get("version")) is not int or head["version"] != REPLIES_VERSION:
        raise ProtocolError("答复文件的格式版本不受支持，请升级程序。")
    if names - {SIGNATURE} != {MANIFEST}:
        raise ProtocolError(_DAMAGED)
    township = head.get("township")
    if not isinstance(township, str) or not township.strip():
        raise ProtocolError("答复文件没有写明是哪个乡镇的，未导入任何内容。")
    _verify(head, data, signature, trusted, "答复文件")
    try:
        replies = [_reply(r) for r in _list(head.get("replies"))]
        receipts = [BatchReceipt(check_batch_id(r.get("batch_id")), bool(r.get("replayed")),
                                 [_reply(x) for x in _list(r.get("replies"))])
                    for r in _list(head.get("receipts"))]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProtocolError("答复文件的内容格式不对，未导入任何内容。") from exc
    return ReplyFile(township, str(head.get("county") or ""), str(head.get("created") or ""),
                     replies, receipts)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


def _reply(data: Any) -> Reply:
    if not isinstance(data, dict) or not isinstance(data.get("notice_id"), str) or \
            type(data.get("seq")) is not int or data["seq"] < 1:
        raise ValueError("not a reply")
    for key in ("url", "reason"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ValueError("not a reply")
    return Reply.from_json(data)
