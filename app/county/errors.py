"""What the county server refuses, with the HTTP status that goes with it."""

from __future__ import annotations

from typing import Any

from app.errors import UserError


class Refused(UserError):
    """A request or command the county refuses: one Chinese sentence and an HTTP status.

    Raised before anything is written, or inside a transaction that is then
    rolled back. The API turns it into ``{"detail": sentence, **extra}`` with
    ``status``; the command line into exit code 1.
    """

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.extra = extra


class MissingBlobs(Refused):
    """A batch names attachments that have not been uploaded yet (HTTP 409)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(409, f"还有{len(missing)}个附件没有上传，请先上传附件再发送批次。",
                         missing=missing)
        self.missing = missing
