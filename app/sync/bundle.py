"""A batch as a file for a USB stick: written by the township, checked part by part by the county.

The zip holds ``manifest.json``, one ``batches/<batch_id>.json`` per batch
(everything that waited: a thousand notices are several batches) and
``blobs/<sha256>``. The manifest names the SHA-256 and size of every other
part; a file with any part missing, added, altered or damaged is refused
whole, with one sentence.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.atomic import atomic_path
from app.sync.protocol import (
    FORMAT,
    FORMAT_VERSION,
    MAX_BATCH_BYTES,
    MAX_BLOB_BYTES,
    Batch,
    ProtocolError,
    is_sha256,
    manifest,
    sha256_hex,
)

_DAMAGED = "U盘文件已损坏或被改动，未导入任何内容。"


@dataclass(frozen=True)
class Bundle:
    """A checked USB file: its batches and the bytes of every attachment by SHA-256."""

    batches: list[Batch]
    blobs: dict[str, bytes]
    manifest: dict

    @property
    def batch(self) -> Batch:
        """The first batch (most files hold one)."""
        return self.batches[0]


def batch_part(batch_id: str) -> str:
    """The name of a batch document inside a USB file."""
    return f"batches/{batch_id}.json"


def write_bundle(batches: list[Batch], blobs: dict[str, bytes], out: Path,
                 texts: dict[str, str] | None = None) -> Path:
    """Write batches and their attachments as a zip (atomically); every blob must be given.

    ``texts`` are the frozen documents by batch id, so the file carries the very
    bytes the network would; without them each batch is written afresh.
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
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        archive.writestr("manifest.json", json.dumps(head, ensure_ascii=False, indent=1))
        for name, data in parts.items():
            # Photos are already compressed; deflating them again only costs time.
            method = zipfile.ZIP_STORED if name.startswith("blobs/") else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return out


def read_bundle(path: Path) -> Bundle:
    """Open and check a USB file; ProtocolError (one sentence) if anything is wrong."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            head = json.loads(archive.read("manifest.json"))
            listed = _listed_parts(head)
            if names != set(listed) | {"manifest.json"}:
                raise ProtocolError(_DAMAGED)
            parts = {}
            for name, (digest, size) in listed.items():
                info = archive.getinfo(name)
                limit = MAX_BLOB_BYTES if name.startswith("blobs/") else MAX_BATCH_BYTES
                if info.file_size != size or size > limit:
                    raise ProtocolError(_DAMAGED)
                data = archive.read(name)
                if sha256_hex(data) != digest:
                    raise ProtocolError(_DAMAGED)
                parts[name] = data
    except ProtocolError:
        raise
    except FileNotFoundError as exc:
        raise ProtocolError(f"找不到文件 {path.name}。") from exc
    # A flipped bit inside a deflated part surfaces as zlib.error, not as a zip error.
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, EOFError) as exc:
        raise ProtocolError(_DAMAGED) from exc
    batches = [Batch.from_json(json.loads(parts[batch_part(batch_id)]))
               for batch_id in head.get("batch_ids") or []]
    if [b.batch_id for b in batches] != head.get("batch_ids") or \
            any(b.township != head.get("township") for b in batches):
        raise ProtocolError(_DAMAGED)
    blobs = {name.removeprefix("blobs/"): data for name, data in parts.items()
             if name.startswith("blobs/")}
    if {a.sha256 for b in batches for a in b.blobs()} != set(blobs):
        raise ProtocolError(_DAMAGED)
    return Bundle(batches, blobs, head)


def _listed_parts(head: object) -> dict[str, tuple[str, int]]:
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise ProtocolError("这不是公开工作台导出的U盘文件。")
    if head.get("version") != FORMAT_VERSION:
        raise ProtocolError("U盘文件的格式版本不受支持，请升级程序。")
    listed: dict[str, tuple[str, int]] = {}
    for part in head.get("parts") or []:
        name, digest, size = part.get("name"), part.get("sha256"), part.get("size")
        if not isinstance(name, str) or not is_sha256(str(digest)) or \
                not isinstance(size, int):
            raise ProtocolError(_DAMAGED)
        blob = name.startswith("blobs/") and name.removeprefix("blobs/") == digest
        if not blob and name not in {batch_part(str(b)) for b in head.get("batch_ids") or []}:
            raise ProtocolError(_DAMAGED)
        listed[name] = (digest, size)
    wanted = {batch_part(str(b)) for b in head.get("batch_ids") or []}
    if not wanted or not wanted <= set(listed):
        raise ProtocolError(_DAMAGED)
    return listed
