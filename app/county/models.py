"""The JSON shapes of the county API as pydantic models, for the OpenAPI document.

The shapes themselves are defined by ``app.sync.protocol`` (``to_json`` of its
dataclasses); these models describe them for the document in docs/ and check
what the server answers. Request bodies are read by the protocol's own
``from_json`` (with a size cap), never by these models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.sync.protocol import FORMAT, FORMAT_VERSION, REPLY_STATES

State = Literal[REPLY_STATES]  # type: ignore[valid-type]


class ErrorOut(BaseModel):
    """Every refusal: one sentence in Chinese."""

    detail: str = Field(examples=["令牌无效或已停用，请向县级平台重新申请。"])


class MissingErrorOut(ErrorOut):
    """A batch whose attachments are not all uploaded yet (409)."""

    missing: list[str]


class Limits(BaseModel):
    """The limits both sides enforce (app.sync.protocol)."""

    max_blob_bytes: int
    max_batch_bytes: int
    max_notices_per_batch: int


class HelloOut(BaseModel):
    """Who the token belongs to and what this server accepts."""

    township: str
    server: str
    version: str
    api: str
    limits: Limits


class MissingRequest(BaseModel):
    """The SHA-256 of attachments the township is about to need."""

    sha256: list[str]


class MissingOut(BaseModel):
    """Those of them the county does not have from this township."""

    missing: list[str]


class BlobOut(BaseModel):
    """An attachment the county now holds; ``stored`` is false if it already had it."""

    sha256: str
    size: int
    stored: bool


class ReplyOut(BaseModel):
    """The county's answer about one notice (app.sync.protocol.Reply)."""

    notice_id: str
    state: State
    url: str | None = None
    reason: str | None = None
    at: str
    seq: int
    #: The revision the county holds now: a reply about an older one settles nothing newer.
    rev: int | None = None


class ReceiptOut(BaseModel):
    """The answer to a batch (app.sync.protocol.BatchReceipt)."""

    batch_id: str
    replayed: bool
    replies: list[ReplyOut]


class RepliesOut(BaseModel):
    """Replies after ``after``, oldest first; ``last`` is the newest number; ask again if
    ``more``."""

    replies: list[ReplyOut]
    last: int
    more: bool


class CatalogOut(BaseModel):
    """The newest county catalog (whole) if newer than ``after``, else no items."""

    version: int
    items: list[dict[str, Any]]


class RulesOut(BaseModel):
    """The newest 考核细则 (its TOML text) if newer than ``after``, else an empty body."""

    version: int
    name: str
    body: str


class ProblemListOut(BaseModel):
    """One 测评问题清单 for the calling township: the file as published, in base64."""

    id: int
    title: str
    received: str
    filename: str
    sha256: str
    data: str


class ProblemListsOut(BaseModel):
    """The township's lists numbered above ``after``, oldest first; ask again if ``more``."""

    lists: list[ProblemListOut]
    more: bool


class CalendarOut(BaseModel):
    """A year's holiday arrangement (CONTRACT.md)."""

    year: int
    holidays: list[str]
    workdays: list[str]


class AttachmentDoc(BaseModel):
    """An attachment named in a batch (app.sync.protocol.Attachment)."""

    sha256: str
    size: int
    kind: str = "photo"
    name: str = ""


class NoticePayloadDoc(BaseModel):
    """One notice in a batch: the Notice JSON of CONTRACT.md plus body, rev, issuer, phone;
    the catalog item it was written under; its attachments."""

    notice: dict[str, Any]
    item: dict[str, Any] = Field(default_factory=dict)
    attachments: list[AttachmentDoc] = Field(default_factory=list)


class BatchDocument(BaseModel):
    """The body of ``PUT /batches/{batch_id}`` and ``batch.json`` in a USB file."""

    format: Literal[FORMAT]  # type: ignore[valid-type]
    version: Literal[FORMAT_VERSION]  # type: ignore[valid-type]
    batch_id: str
    township: str
    county: str = ""
    created: str = ""
    notices: list[NoticePayloadDoc]


class TownshipKeyRequest(BaseModel):
    """The township's public key for its signed USB files (base64 of the 32 raw bytes)."""

    public_key: str = Field(examples=["uH1tWDm0lRdp3pVtGlAqSmX1bK3R1T2m0oQmXk1n8Bc="])


class TownshipKeyOut(BaseModel):
    """The key as registered, and the county's own public key for its reply files."""

    township: str
    public_key: str
    fingerprint: str = Field(examples=["3F2A-91C0-7D4E-08B5"])
    source: Literal["network", "staff"]
    registered: str
    replaced: bool = Field(description="whether an older key of the township was replaced")
    county_key: str
    county_fingerprint: str
