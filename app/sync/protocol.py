"""The township ↔ county protocol, defined once for the client, the server and USB files.

HTTP + JSON under ``/api/v1``. A *batch* is the unit of sending: its id is
chosen by the township (a UUID) and doubles as the idempotency key, so a
batch sent twice, or cut off half-way and sent again, or carried on a USB
stick after it already went over the network, is stored once. Attachments
(posting photos, rendered PDFs) travel separately, content-addressed by
SHA-256, so a resend transfers nothing twice.

Over HTTP, in order:

1. ``POST /api/v1/blobs/missing`` ``{"sha256": [...]}`` → ``{"missing": [...]}``
2. ``PUT /api/v1/blobs/{sha256}`` raw bytes, for each missing one (the server
   checks the hash).
3. ``PUT /api/v1/batches/{batch_id}`` the batch document → ``BatchReceipt``.
4. ``GET /api/v1/replies?after=SEQ`` → the county's answers since ``SEQ``.
5. ``GET /api/v1/catalog?after=VERSION`` and ``GET /api/v1/calendar/{year}``.
6. ``GET /api/v1/rules?after=VERSION`` and ``GET /api/v1/problems?after=N`` (the
   township's own 测评问题清单, a few files at a time, base64).

On a USB stick the same batches travel as a zip: ``manifest.json`` (format,
batch ids, township, created, and the SHA-256 and size of every other part),
``batches/<batch_id>.json`` (the batch documents) and ``blobs/<sha256>``.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

API = "/api/v1"
FORMAT = "gongkai-batch"
FORMAT_VERSION = 1
#: What the county answers per notice.
REPLY_STATES = ("received", "published", "returned")
#: Limits both sides enforce, so a file that one accepts the other accepts too.
MAX_BLOB_BYTES = 20 * 1024 * 1024
MAX_BATCH_BYTES = 8 * 1024 * 1024
MAX_NOTICES_PER_BATCH = 200
#: A county 测评问题清单 (.xlsx/.docx) the county serves a township, and how many per answer.
MAX_PROBLEM_LIST_BYTES = 5 * 1024 * 1024
PROBLEM_LISTS_PER_ANSWER = 2
_SHA256 = re.compile(r"[0-9a-f]{64}")


class ProtocolError(ValueError):
    """A document that does not follow this protocol; the message is one Chinese sentence."""


def sha256_hex(data: bytes) -> str:
    """The lower-case hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def is_sha256(text: str) -> bool:
    """Whether ``text`` is a lower-case hex SHA-256."""
    return bool(_SHA256.fullmatch(text))


def new_batch_id() -> str:
    """A fresh batch id (a UUID4 string)."""
    return str(uuid.uuid4())


def check_batch_id(text: str) -> str:
    """``text`` as a canonical UUID string, or ProtocolError."""
    try:
        return str(uuid.UUID(text))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ProtocolError("批次编号格式不对。") from exc


@dataclass(frozen=True)
class Attachment:
    """A file that belongs to a notice: a posting photo or the rendered sheet."""

    sha256: str
    size: int
    kind: str  # "photo" | "pdf"
    name: str = ""

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return asdict(self)


@dataclass(frozen=True)
class NoticePayload:
    """One notice as the county receives it: the approved revision and what proves it.

    ``notice`` is the Notice JSON of CONTRACT.md plus ``body``, ``rev``,
    ``issuer`` and ``phone``, the item's ``channels`` and ``audience`` and
    ``offline_only`` (it must not go on the internet); ``item`` the catalog item
    JSON it was written under. A notice its township sends as metadata only has
    no ``body`` but ``"metadata_only": true`` and ``counts`` (名单 rows, characters).
    """

    notice: dict[str, Any]
    item: dict[str, Any]
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def notice_id(self) -> str:
        """The township's id of the notice."""
        return str(self.notice["id"])

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"notice": self.notice, "item": self.item,
                "attachments": [a.to_json() for a in self.attachments]}


@dataclass(frozen=True)
class Batch:
    """What one send carries: notices with their attachments, under an idempotency key."""

    batch_id: str
    township: str
    county: str
    created: str
    notices: list[NoticePayload]

    def blobs(self) -> list[Attachment]:
        """Every attachment once, in order of first appearance."""
        seen: dict[str, Attachment] = {}
        for payload in self.notices:
            for a in payload.attachments:
                seen.setdefault(a.sha256, a)
        return list(seen.values())

    def to_json(self) -> dict[str, Any]:
        """The batch document (``PUT /batches/{id}`` body and ``batch.json`` in a USB file)."""
        return {"format": FORMAT, "version": FORMAT_VERSION, "batch_id": self.batch_id,
                "township": self.township, "county": self.county, "created": self.created,
                "notices": [n.to_json() for n in self.notices]}

    @classmethod
    def from_json(cls, data: Any) -> Batch:
        """Read and check a batch document; ProtocolError says what is wrong."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ProtocolError("这不是公开工作台的报送批次。")
        if data.get("version") != FORMAT_VERSION:
            raise ProtocolError("批次格式版本不受支持，请升级程序。")
        notices = data.get("notices")
        if not isinstance(notices, list) or len(notices) > MAX_NOTICES_PER_BATCH:
            raise ProtocolError(f"一个批次最多{MAX_NOTICES_PER_BATCH}条公开信息。")
        township = data.get("township")
        if not isinstance(township, str) or not township.strip():
            raise ProtocolError("批次缺少乡镇名称。")
        payloads = []
        for entry in notices:
            payloads.append(_payload(entry))
        ids = [p.notice_id for p in payloads]
        if len(set(ids)) != len(ids):
            raise ProtocolError("同一批次里有重复的公开信息。")
        return cls(check_batch_id(str(data.get("batch_id"))), township.strip(),
                   str(data.get("county") or ""), str(data.get("created") or ""), payloads)


def _payload(entry: Any) -> NoticePayload:
    if not isinstance(entry, dict) or not isinstance(entry.get("notice"), dict):
        raise ProtocolError("批次里有一条公开信息格式不对。")
    notice = entry["notice"]
    if not isinstance(notice.get("id"), str) or not isinstance(notice.get("title"), str):
        raise ProtocolError("批次里有一条公开信息缺少编号或标题。")
    for key in ("channels", "audience"):
        words = notice.get(key)
        if words is not None and not (isinstance(words, list) and len(words) <= 100
                                      and all(isinstance(w, str) for w in words)):
            raise ProtocolError("批次里有一条公开信息的公开渠道或公开对象格式不对。")
    for key in ("offline_only", "metadata_only"):
        if notice.get(key) is not None and not isinstance(notice.get(key), bool):
            raise ProtocolError("批次里有一条公开信息的不上网或仅元数据标记格式不对。")
    attachments = []
    for a in entry.get("attachments") or []:
        if not isinstance(a, dict) or not is_sha256(str(a.get("sha256", ""))):
            raise ProtocolError("附件的校验值格式不对。")
        size = a.get("size")
        if not isinstance(size, int) or not 0 <= size <= MAX_BLOB_BYTES:
            raise ProtocolError("附件大小不对或超过上限。")
        attachments.append(Attachment(a["sha256"], size, str(a.get("kind") or "photo"),
                                      str(a.get("name") or "")))
    raw_item = entry.get("item")
    item = raw_item if isinstance(raw_item, dict) else {}
    return NoticePayload(notice, item, attachments)


@dataclass(frozen=True)
class Reply:
    """The county's answer about one notice; ``seq`` orders replies for ``after=``."""

    notice_id: str
    state: str
    url: str | None = None
    reason: str | None = None
    at: str = ""
    seq: int = 0
    #: The revision the county holds of the notice when it answers (None from an
    #: older county): a reply about an older revision does not settle a newer one.
    rev: int | None = None

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        """Read a reply; ProtocolError for an unknown state or a number that is not one."""
        if data.get("state") not in REPLY_STATES:
            raise ProtocolError("县级答复的状态无法识别。")
        try:
            seq = int(data.get("seq") or 0)
            rev = int(data["rev"]) if data.get("rev") is not None else None
        except (TypeError, ValueError) as exc:
            raise ProtocolError("县级答复的编号无法识别。") from exc
        return cls(str(data["notice_id"]), data["state"], data.get("url"), data.get("reason"),
                   str(data.get("at") or ""), seq, rev)


@dataclass(frozen=True)
class BatchReceipt:
    """The answer to a batch: one reply per notice; ``replayed`` if it had come before."""

    batch_id: str
    replayed: bool
    replies: list[Reply]

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"batch_id": self.batch_id, "replayed": self.replayed,
                "replies": [r.to_json() for r in self.replies]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BatchReceipt:
        """Read a receipt."""
        return cls(check_batch_id(str(data.get("batch_id"))), bool(data.get("replayed")),
                   [Reply.from_json(r) for r in data.get("replies") or []])


def manifest(batches: list[Batch], parts: dict[str, bytes], created: str) -> dict[str, Any]:
    """The ``manifest.json`` of a USB file: who, when, and the hash and size of every part."""
    first = batches[0]
    return {"format": FORMAT, "version": FORMAT_VERSION,
            "batch_ids": [b.batch_id for b in batches],
            "township": first.township, "county": first.county, "created": created,
            "parts": [{"name": name, "sha256": sha256_hex(data), "size": len(data)}
                      for name, data in sorted(parts.items())]}
