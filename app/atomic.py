"""Writing a file so that it is either the old one or the whole new one, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import UserError


@contextmanager
def atomic_path(out: Path) -> Iterator[str]:
    """A temporary path beside ``out``; it replaces ``out`` only if the block succeeds."""
    out = Path(out)
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".part")
    except OSError as exc:
        raise UserError("无法写入文件，请检查文件夹是否存在、是否可写。", str(exc)) from exc
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, out)
    except OSError as exc:
        raise UserError("无法写入文件，请检查文件夹是否可写、磁盘是否已满。", str(exc)) from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
