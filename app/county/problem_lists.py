"""The county's 测评问题清单 for one township: published as files, served through sync.

The county cannot read the tables as the township does (that reader is the
desk's, not the county's), so it keeps the file whole and checks only what it
is: at most :data:`~app.sync.protocol.MAX_PROBLEM_LIST_BYTES`, checked before
reading, and a zip whose ``[Content_Types].xml`` names an Excel workbook
(``.xlsx``) or a Word document (``.docx``), as its name says. The township reads
it with its own reader and limits when ``sync pull`` brings it, and says in one
sentence what it refuses. ``GET /problems?after=N`` answers a township's own
lists numbered above ``N``, :data:`~app.sync.protocol.PROBLEM_LISTS_PER_ANSWER`
at a time; another township's are never served.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app import clock
from app.county.database import Database, now_iso
from app.county.errors import Refused
from app.county.schema import problem_lists, townships
from app.sync.protocol import MAX_PROBLEM_LIST_BYTES, PROBLEM_LISTS_PER_ANSWER

#: The main part each kind of file must declare (ECMA-376's content types).
CONTENT_TYPES: dict[str, bytes] = {
    ".xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ".docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
_MOST_PARTS = 5000  # a real workbook or document has tens of parts
_MOST_TYPES_BYTES = 256 * 1024  # [Content_Types].xml lists each part's kind: a few KB
_KINDS = {".xlsx": "Excel", ".docx": "Word"}
#: The largest ``after`` asked about: a list's number fits a 32-bit column in either database.
MAX_LIST_NUMBER = 2**31 - 1


@dataclass(frozen=True)
class Published:
    """A list kept for a township: its number there, title and received day."""

    township: str
    seq: int
    title: str
    received: str
    filename: str
    size: int

    def to_json(self) -> dict[str, Any]:
        """As JSON (``problems publish --json``)."""
        return {"township": self.township, "id": self.seq, "title": self.title,
                "received": self.received, "filename": self.filename, "size": self.size}


def check_list_file(raw: bytes, filename: str) -> str:
    """The file's kind (``.xlsx`` or ``.docx``), or Refused with one sentence."""
    mb = MAX_PROBLEM_LIST_BYTES // (1024 * 1024)
    if len(raw) > MAX_PROBLEM_LIST_BYTES:
        raise Refused(413, f"问题清单文件超过{mb}MB上限。")
    suffix = Path(filename).suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise Refused(422, "问题清单只能发布Excel（.xlsx）或Word（.docx）格式的文件。")
    kind = _KINDS[suffix]
    broken = Refused(422, f"问题清单文件不是有效的{kind}文件（{suffix}），请确认文件没有损坏。")
    if not raw.startswith(b"PK\x03\x04"):
        raise broken
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
            if len(parts) > _MOST_PARTS:
                raise broken
            types = next((p for p in parts if p.filename == "[Content_Types].xml"), None)
            if types is None or types.file_size > _MOST_TYPES_BYTES:
                raise broken
            # ZipExtFile stops at the declared size, so this read is bounded too.
            declared = archive.read(types)
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError,
            EOFError, OSError) as exc:
        raise broken from exc
    if CONTENT_TYPES[suffix] not in declared:
        raise broken
    return suffix


def _title(title: str | None, filename: str) -> str:
    text = " ".join((title if title is not None else Path(filename).stem).split())
    if not text:
        raise Refused(422, "请用 --title 写明问题清单的名称。")
    if len(text) > 200:
        raise Refused(422, "问题清单的名称不能超过200个字。")
    return text


def _received(text: str | None) -> str:
    if text is None:
        return clock.today().isoformat()
    try:
        day = date.fromisoformat(text.strip())
    except ValueError as exc:
        raise Refused(422, f"日期「{text[:20]}」格式不对，请写成 2026-11-23 这样的格式。"
                      ) from exc
    if day > clock.today():
        raise Refused(422, "问题清单的下发日期不能晚于今天。")
    if day.year < 2000:
        raise Refused(422, "问题清单的下发日期不合理。")
    return day.isoformat()


def publish_list(db: Database, township: str, raw: bytes, filename: str,
                 title: str | None = None, received: str | None = None) -> Published:
    """Keep a checked list file for ``township`` as its next list (one transaction)."""
    filename = Path(filename).name
    if len(filename) > 200:
        raise Refused(422, "问题清单的文件名太长，请改短后再发布。")
    check_list_file(raw, filename)
    name, day = _title(title, filename), _received(received)
    with db.write() as conn:
        # Locking the township's row numbers its lists in commit order under PostgreSQL.
        found = conn.execute(select(townships.c.id).where(townships.c.name == township)
                             .with_for_update()).scalar()
        if found is None:
            raise Refused(404, f"乡镇「{township}」尚未在县级平台登记。")
        last = conn.execute(select(func.max(problem_lists.c.seq))
                            .where(problem_lists.c.township_id == found)).scalar()
        seq = int(last or 0) + 1
        conn.execute(problem_lists.insert().values(
            township_id=found, seq=seq, title=name, received=day, filename=filename,
            size=len(raw), sha256=hashlib.sha256(raw).hexdigest(), data=raw,
            published=now_iso()))
    return Published(township, seq, name, day, filename, len(raw))


def publish_list_file(db: Database, township: str, path: Path, title: str | None = None,
                      received: str | None = None) -> Published:
    """``gongkai-county problems publish --township 名称 FILE``: the size is checked first."""
    path = Path(path)
    try:
        if not path.is_file():
            raise Refused(404, f"找不到问题清单文件 {path.name}。")
        if path.stat().st_size > MAX_PROBLEM_LIST_BYTES:
            raise Refused(413, f"问题清单文件超过{MAX_PROBLEM_LIST_BYTES // (1024 * 1024)}MB上限。")
        raw = path.read_bytes()
    except OSError as exc:
        raise Refused(422, f"无法读取问题清单文件 {path.name}。") from exc
    return publish_list(db, township, raw, path.name, title, received)


def lists_after(db: Database, township_id: int, after: int) -> dict[str, Any]:
    """``{"lists": [...], "more": bool}``: this township's lists numbered above ``after``."""
    with db.read() as conn:
        rows = conn.execute(
            select(problem_lists.c.seq, problem_lists.c.title, problem_lists.c.received,
                   problem_lists.c.filename, problem_lists.c.sha256, problem_lists.c.data)
            .where(problem_lists.c.township_id == township_id, problem_lists.c.seq > after)
            .order_by(problem_lists.c.seq).limit(PROBLEM_LISTS_PER_ANSWER + 1)).all()
    shown = rows[:PROBLEM_LISTS_PER_ANSWER]
    return {"lists": [{"id": int(r.seq), "title": r.title, "received": r.received,
                       "filename": r.filename, "sha256": r.sha256,
                       "data": base64.b64encode(bytes(r.data)).decode("ascii")}
                      for r in shown],
            "more": len(rows) > len(shown)}
