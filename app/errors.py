"""The one kind of error a clerk is shown, and the sentence for each fault of a disk or file.

A failed read or write has a cause the clerk can act on: the disk is full,
the folder is read-only, another program holds the file, the network drive
is gone. Each gets its own sentence (:data:`FAULTS`); only a file that is not
a SQLite database, or fails SQLite's integrity check, is called damaged. The
causes are read from what the system says — ``OSError.errno`` and SQLite's
result code (``sqlite_errorname``, Python 3.11+) — and, where SQLite only says
it could not open or write, from the folder itself (:func:`folder_fault`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
from pathlib import Path

#: What the clerk reads when a file could not be read or written for a reason we
#: did not foresee (a full disk, a vanished USB stick); the details go to the log.
FILE_ERROR = "读写文件时出错（磁盘已满、文件夹不可写或文件被占用），操作未完成。"

#: One sentence per fault: what happened and what to do. Nothing was written in any case.
FAULTS: dict[str, str] = {
    "full": "磁盘已满，操作未完成，请清理磁盘空间后重试。",
    "read_only": "数据文件夹只读，无法保存，请检查文件夹权限或U盘、网络盘是否写保护后重试。",
    "locked": "数据文件正被其他程序占用，请关闭其他打开它的程序（或稍等片刻）后重试。",
    "vanished": "找不到数据文件夹，请检查网络盘或U盘是否已连接（网络盘断开？）后重试。",
    "damaged": "数据文件已损坏或不是工作台的数据文件，请从备份恢复。",
    "cant_open": "无法打开数据文件，请检查数据文件夹是否可写。",
    "not_a_folder": "无法使用数据文件夹，请确认它是一个可以写入的文件夹。",
    "file": FILE_ERROR,
}

#: The system's error numbers, by the fault they mean.
ERRNO_FAULTS: dict[int, str] = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EFBIG: "full",
    errno.EROFS: "read_only",
    errno.EACCES: "read_only",
    errno.EPERM: "read_only",
    errno.ENOENT: "vanished",
    errno.ENOTDIR: "not_a_folder",
    errno.EEXIST: "not_a_folder",
    errno.ENODEV: "vanished",
    errno.ENXIO: "vanished",
    errno.ESTALE: "vanished",
    errno.EHOSTDOWN: "vanished",
    errno.ENETDOWN: "vanished",
    errno.ENETUNREACH: "vanished",
    errno.EBUSY: "locked",
}

#: SQLite's primary result codes (``SQLITE_IOERR_WRITE`` counts as ``SQLITE_IOERR``), by
#: fault; None: SQLite could not open or write and the folder has to be asked why.
SQLITE_FAULTS: dict[str, str | None] = {
    "SQLITE_FULL": "full",
    "SQLITE_READONLY": "read_only",
    "SQLITE_PERM": "read_only",
    "SQLITE_AUTH": "read_only",
    "SQLITE_BUSY": "locked",
    "SQLITE_LOCKED": "locked",
    "SQLITE_PROTOCOL": "locked",
    "SQLITE_NOTADB": "damaged",
    "SQLITE_CORRUPT": "damaged",
    "SQLITE_CANTOPEN": None,
    "SQLITE_IOERR": None,
}

#: Less free space than this (bytes) on the folder's disk counts as full: SQLite needs
#: a few pages for its journal before the first byte of a write lands.
NEARLY_FULL = 64 * 1024


#: What must not stand inside a one-line sentence: C0/C1 controls and line separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class UserError(Exception):
    """Input the program refuses: ``str(err)`` is one plain Chinese sentence.

    Raised before anything is written (or inside a transaction that is then
    rolled back), so that catching it means nothing changed. The CLI turns it
    into exit code 1 and the GUI into a message box; details for the log go in
    ``detail``.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        # Messages quote what was typed or read; a newline or a control character
        # in it must not make two lines (or a terminal escape) of the one sentence.
        super().__init__(_CONTROL.sub(" ", message))
        self.detail = detail


class FaultError(UserError):
    """A read or write the disk or the file did not allow; ``kind`` is a key of FAULTS."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(FAULTS[kind], detail)
        self.kind = kind


def folder_fault(folder: Path | None) -> str | None:
    """What is wrong with ``folder`` itself: "vanished", "read_only", "full", or None."""
    if folder is None:
        return None
    try:
        if not folder.is_dir():
            return "vanished"
        if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read_only"
        if not os.access(folder, os.W_OK):
            return "read_only"
        if shutil.disk_usage(folder).free < NEARLY_FULL:
            return "full"
    except OSError as exc:
        return ERRNO_FAULTS.get(exc.errno or 0, "vanished")
    return None


def sqlite_code(exc: sqlite3.Error) -> str:
    """SQLite's primary result code behind ``exc`` ("SQLITE_FULL"; "" when it gave none)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if not name.startswith("SQLITE_"):
        return ""
    return "SQLITE_" + name[len("SQLITE_"):].split("_")[0]


def fault_of(exc: BaseException, folder: Path | None = None) -> str | None:
    """The fault (a key of FAULTS) behind a failed read or write, None if it is not one.

    ``folder`` is the data folder, asked when the error itself does not say
    why (SQLite's "unable to open database file", a disk I/O error).
    """
    if isinstance(exc, FaultError):
        return exc.kind
    if isinstance(exc, OSError):
        kind = ERRNO_FAULTS.get(exc.errno or 0)
        if kind == "read_only" or kind is None:
            # EACCES is also what Windows says for a file another program holds open.
            return folder_fault(folder) or kind or "file"
        return kind
    if isinstance(exc, sqlite3.Error):
        code = sqlite_code(exc)
        if code in SQLITE_FAULTS:
            kind = SQLITE_FAULTS[code]
            if kind is not None:
                return kind
            return folder_fault(folder) or ("cant_open" if code == "SQLITE_CANTOPEN" else "file")
        if code:
            return None  # a constraint, a misuse: the caller's, not the disk's
        text = str(exc).lower()
        # Before 3.11, or from a layer that gives no code: SQLite's own words.
        for words, kind in (("disk is full", "full"), ("readonly", "read_only"),
                            ("read-only", "read_only"), ("locked", "locked"),
                            ("not a database", "damaged"), ("malformed", "damaged")):
            if words in text:
                return kind
        if "unable to open" in text or "disk i/o" in text:
            return folder_fault(folder) or "file"
    return None


def as_fault(exc: BaseException, folder: Path | None = None) -> FaultError | None:
    """``exc`` as the FaultError that names it for the clerk, None if it is not a fault."""
    kind = fault_of(exc, folder)
    if kind is None:
        return None
    return FaultError(kind, f"{type(exc).__name__}: {exc}")
