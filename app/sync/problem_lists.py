"""The county's 测评问题清单 through ``sync pull``: each file read by the 整改 reader, once.

The county keeps each list as the file it published and numbers a township's
lists 1, 2, …; the desk keeps the number of the last one it has dealt with
(``sync.problems_after``). Each list is written to a temporary file and read
by :func:`app.planning.rectify.read_list` with its own limits, outside any
transaction; the problems are then kept and the number advanced in one
transaction, so a pull cut midway neither loses nor doubles a list. A list the
reader refuses is recorded in the audit log with its sentence, the number
advanced all the same: it is reported once and not fetched again, and the
county publishes a corrected file as a new list.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.errors import FaultError, UserError
from app.planning import rectify
from app.store import Store
from app.sync.http_client import CountyClient, SyncError
from app.sync.protocol import MAX_PROBLEM_LIST_BYTES
from app.workdays import parse_date

AFTER = "sync.problems_after"
#: What the ``source`` of a list that came this way starts with.
SOURCE = "县级平台"
_MOST_BASE64 = (MAX_PROBLEM_LIST_BYTES + 2) // 3 * 4
_BAD_ANSWER = "县级平台发来的问题清单无法识别，请联系县政务公开办。"


@dataclass
class Pulled:
    """What one pull did with the county's lists."""

    imported: int = 0
    problems: int = 0
    #: Each refused list: ``{"id", "title", "filename", "reason"}``.
    refused: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """As JSON (the ``problem_lists`` of ``sync pull --json``)."""
        return {"imported": self.imported, "problems": self.problems,
                "refused": [dict(r) for r in self.refused]}


def done_after(store: Store) -> int:
    """The number of the county's last list this desk has imported or refused (0 if none)."""
    try:
        return max(0, int(store.get_setting(AFTER, "0") or 0))
    except ValueError:
        return 0


def pull_lists(store: Store, client: CountyClient) -> Pulled:
    """Fetch and import every list the county has for this township after the kept number."""
    pulled = Pulled()
    after = done_after(store)
    while True:
        answer = client.problems(after)
        if answer is None:
            return pulled  # a county that does not send problem lists yet
        lists = answer.get("lists")
        if not isinstance(lists, list):
            raise SyncError(_BAD_ANSWER)
        for entry in lists:
            seq = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(seq, int) or isinstance(seq, bool) or seq <= after:
                raise SyncError(_BAD_ANSWER)
            _receive(store, seq, entry, pulled)
            after = seq
        if not lists or answer.get("more") is not True:
            return pulled


def _text(entry: dict[str, Any], key: str, most: int) -> str:
    value = entry.get(key)
    return value[:most] if isinstance(value, str) else ""


def _receive(store: Store, seq: int, entry: dict[str, Any], pulled: Pulled) -> None:
    """Import one list with the number advanced, or record its refusal with the number."""
    title = _text(entry, "title", 400)
    filename = Path(_text(entry, "filename", 400).replace("\\", "/")).name
    try:
        rows, received, written = _read(entry, filename)
        title = title or written or Path(filename).stem
        with store.transaction():
            problems = rectify.import_rows(store, title, f"{SOURCE}：{filename}"[:300],
                                           received, rows)
            store.set_settings({AFTER: str(seq)})
    except FaultError:
        raise  # the disk, not the list: nothing is recorded and the next pull tries again
    except UserError as err:
        reason = str(err)
        with store.transaction():
            store.set_settings({AFTER: str(seq)})
            store.audit("rectify.county_refused", title or filename,
                        {"id": seq, "filename": filename, "reason": reason})
        pulled.refused.append({"id": seq, "title": title, "filename": filename,
                               "reason": reason})
        return
    pulled.imported += 1
    pulled.problems += len(problems)


def _read(entry: dict[str, Any], filename: str) -> tuple[list[dict[str, str]], date, str]:
    """The rows of the list's file as the 整改 reader reads them, and its received day."""
    data = entry.get("data")
    if not isinstance(data, str):
        raise UserError("县级平台发来的问题清单没有文件内容。")
    if len(data) > _MOST_BASE64:
        raise UserError(f"县级平台发来的问题清单超过{MAX_PROBLEM_LIST_BYTES // (1024 * 1024)}MB，"
                        "未导入。")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise UserError("县级平台发来的问题清单文件已损坏，未导入。") from None
    digest = entry.get("sha256")
    if isinstance(digest, str) and digest and hashlib.sha256(raw).hexdigest() != digest:
        raise UserError("县级平台发来的问题清单文件已损坏，未导入。")
    received = parse_date(_text(entry, "received", 40))
    suffix = Path(filename).suffix.lower()
    # The reader decides by the name's ending; the county's file name goes no further.
    safe = suffix if re.fullmatch(r"\.[a-z]{1,5}", suffix) else ".bin"
    with tempfile.TemporaryDirectory(prefix="gongkai-problems-") as folder:
        path = Path(folder) / f"问题清单{safe}"
        path.write_bytes(raw)
        rows, _warnings, written = rectify.read_list(path)
    return rows, received, written
