"""Writing a file so that it is either the old one or the whole new one, never half."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import UserError

NO_FOLDER = "无法保存文件：保存位置不存在或不可写，请重新选择保存位置。"
LOCKED = "无法保存文件：目标文件可能正在Excel、Word、WPS或其他程序中打开，请关闭后重试。"


@contextmanager
def atomic_path(out: Path) -> Iterator[str]:
    """A temporary path beside ``out``; it replaces ``out`` only if the block succeeds.

    A missing folder or a file held open by another program is refused with a
    plain sentence; any other OSError (a full disk) propagates, and the CLI and
    the GUI turn it into one sentence for the clerk.
    """
    out = Path(out)
    tmp = str(out.with_name(f".~{uuid.uuid4().hex}{out.suffix}"))
    try:
        # os.open, not mkstemp: mkstemp's 0600 would leave the file unreadable to
        # the other users of a shared office PC.
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as exc:
        raise UserError(NO_FOLDER, repr(exc)) from exc
    try:
        if out.exists():
            shutil.copymode(out, tmp)
        yield tmp
        os.replace(tmp, out)
    except PermissionError as exc:  # Windows refuses to replace a file open in Excel/WPS
        raise UserError(LOCKED, repr(exc)) from exc
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_bytes(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` whole or not at all."""
    with atomic_path(out) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


def keep_once(target: Path, data: bytes) -> None:
    """Store content-addressed ``data`` at ``target`` unless a copy is already there.

    The name comes from the content's hash, so an existing file already holds
    these bytes; writing it again would only cost time.
    """
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(target, data)


def check_output(path: Path, what: str, kind: str, suffix: str, short: str = "") -> Path:
    """Refuse, before anything is read or written, a target that is not a ``suffix`` file.

    ``what`` names the document (台账), ``kind`` the file type (Excel 文件) and
    ``short`` what the folder message calls it (defaults to ``what``).
    """
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise UserError(f"{what}只能保存为 {kind}（{suffix}），「{path.name}」不是。")
    if path.is_dir():
        raise UserError(f"「{path}」是一个文件夹，请写上{short or what}的文件名（{suffix}）。")
    return path
