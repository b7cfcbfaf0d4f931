"""Backups of the desk and going back to one: what is kept, what a file holds, the restore.

A backup is the SQLite file, copied with SQLite's online backup
(:meth:`app.store.Store.backup`). The photos of postings and the case files
of requests are kept by their hash in the data folder (``photos/``,
``requests/``) and never deleted, so a backup in ``backups/`` needs no copy
of them; a backup written elsewhere (``gongkai backup --out``) carries the
ones its database names in a folder beside it, ``<name>.files/``, and a
restore puts back from there any the data folder lacks. A desk copied whole,
``gongkai.sqlite3`` with its ``-wal``, is restored with what its WAL holds.

A restore checks the file before anything is written: its size and SQLite's
header are read first (a file of the wrong kind or cut short is refused
without being parsed), then a private copy passes ``PRAGMA integrity_check``,
holds the desk's own tables and is of a schema no newer than this program's.
Only then is the current database backed up and the copy written over it
with SQLite's backup API, as one transaction of the live file: a window that
has it open sees the new contents at its next read, and a restore killed
half-way leaves the old database whole (an unfinished transaction in the WAL
is never read).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app import paths
from app.atomic import keep_once
from app.errors import FaultError, UserError, as_fault
from app.migrations import LATEST
from app.store import Store, backup_connection, backup_name

log = logging.getLogger(__name__)

#: The largest file a restore reads: a township's desk is tens of megabytes after years.
MAX_BYTES = 2 * 1024 ** 3
#: The first 16 bytes of every SQLite 3 database file.
MAGIC = b"SQLite format 3\x00"
#: Tables every desk database has had since its first schema: a file without them is not ours.
DESK_TABLES = ("settings", "audit_log", "catalog_items", "domains")
#: What each backup's name says about why it was taken, as the clerk reads it.
REASONS = {"manual": "手动备份", "daily": "每日自动备份", "before-restore": "恢复前自动备份"}
_NAME = re.compile(r"^gongkai-(\d{8})-(\d{6})-(.+?)(?:-\d+)?\.sqlite3$")
_TABLES_WITH_FILES = (("photos", "path", "sha256"), ("request_files", "path", "sha256"))
_CHUNK = 1024 * 1024
#: Seconds after which a restore's private copy is taken to be left by one that was killed
#: (checking a large file takes minutes, and a second window may be restoring meanwhile).
STALE_AFTER = 3600


@dataclass(frozen=True)
class BackupFile:
    """One backup in the data folder's ``backups/``: when, how big, why."""

    path: Path
    taken: datetime
    size: int
    reason: str

    def as_json(self) -> dict[str, Any]:
        """The backup as ``--json`` prints it."""
        return {"path": str(self.path), "taken": self.taken.isoformat(timespec="seconds"),
                "size": self.size, "reason": self.reason}


@dataclass(frozen=True)
class Holdings:
    """What a desk database holds, as a restore reports it."""

    schema: int
    notices: int
    requests: int
    last_change: str | None

    def sentence(self) -> str:
        """What it holds, as the report's middle clause says it."""
        last = self.last_change.replace("T", " ")[:16] if self.last_change else "（无记录）"
        return f"通知 {self.notices} 条，依申请公开 {self.requests} 件，最后改动于 {last}"


@dataclass(frozen=True)
class Restored:
    """The outcome of a restore: from where, the backup taken first, what the desk holds now."""

    source: Path
    safety: Path | None
    holds: Holdings
    files_put_back: int
    files_missing: int

    def sentence(self) -> str:
        """The report the CLI prints and the window shows."""
        text = f"已从「{self.source.name}」恢复：{self.holds.sentence()}"
        if self.files_put_back:
            text += f"；从备份旁放回照片和材料 {self.files_put_back} 个"
        if self.files_missing:
            text += f"；另有照片和材料 {self.files_missing} 个找不到原件"
        if self.safety is not None:
            text += f"；恢复前的数据已备份到 {self.safety}"
        return text + "。"

    def as_json(self) -> dict[str, Any]:
        """The report as ``restore --json`` prints it."""
        return {"restored_from": str(self.source),
                "backup_before": str(self.safety) if self.safety else None,
                "schema": self.holds.schema, "notices": self.holds.notices,
                "requests": self.holds.requests, "last_change": self.holds.last_change,
                "files_put_back": self.files_put_back, "files_missing": self.files_missing}


# -- listing and taking backups ----------------------------------------------------------------

def reason_label(reason: str) -> str:
    """Why a backup was taken, in the clerk's words (``before-v7`` is an upgrade's)."""
    if reason.startswith("before-v"):
        return "升级数据前自动备份"
    return REASONS.get(reason, reason)


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in the data folder, newest first (files of other names are left out)."""
    found = []
    for path in paths.backups_dir(folder).iterdir():
        match = _NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            taken = datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")
            size = path.stat().st_size
        except (ValueError, OSError):
            continue  # a name that only looks like ours, or a file gone meanwhile
        found.append(BackupFile(path, taken, size, reason_label(match[3])))
    return sorted(found, key=lambda b: (b.taken, b.path.name), reverse=True)


def take_backup(store: Store, out: Path | None = None) -> Path:
    """Back up now; a backup outside the data folder takes its photos and case files along.

    They go in ``<out>.files/`` under the paths the database names, so a
    restore on another PC finds them.
    """
    path = store.backup(out)
    if path.parent.resolve() == paths.backups_dir(store.folder).resolve():
        return path
    beside = _files_beside(path)
    for relative, _digest in _referenced(store.conn):
        source = store.folder / relative
        if source.is_file():
            target = beside / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                shutil.copyfile(source, target)
    return path


def _files_beside(backup: Path) -> Path:
    return backup.with_name(backup.name + ".files")


def _referenced(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """(relative path, sha256) of every file a desk database names."""
    tables = _tables(conn)
    for table, path_col, hash_col in _TABLES_WITH_FILES:
        if table in tables:
            for row in conn.execute(f"SELECT {path_col}, {hash_col} FROM {table}"):
                yield str(row[0]), str(row[1])


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


# -- checking a file -------------------------------------------------------------------------

def _refuse(path: Path, why: str, detail: str = "") -> UserError:
    return UserError(f"「{path.name}」{why}，数据未作任何改动。", detail)


def check_header(path: Path) -> int:
    """Refuse a file that cannot be a whole desk backup, from its size and first 100 bytes.

    Returns its size. Nothing past the header is read.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise UserError(f"「{path.name}」是一个文件夹，请选择备份文件（.sqlite3）。")
        size = path.stat().st_size
        with open(path, "rb") as fh:
            header = fh.read(100)
    except FileNotFoundError as exc:
        raise UserError(f"找不到文件「{path.name}」，请选择要恢复的备份文件。", str(exc)) from exc
    except OSError as exc:
        raise UserError(f"无法读取文件「{path.name}」，数据未作任何改动。", str(exc)) from exc
    if size > MAX_BYTES:
        raise _refuse(path, f"超过 {MAX_BYTES // 1024 ** 3} GB，不是工作台的备份文件", str(size))
    if not header.startswith(MAGIC):
        raise _refuse(path, "不是工作台的备份文件（不是数据文件）")
    if len(header) < 100:
        raise _refuse(path, "不完整（文件被截断或没有复制完）", f"{size} bytes")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _refuse(path, "已损坏（文件头不对）", f"page size {page_size}")
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is only kept up by SQLite 3.7+ (it marks it valid by
    # repeating the change counter); a file shorter than it says was cut off in copying.
    counted = header[24:28] == header[92:96] and pages > 0
    if size < page_size or (counted and size < pages * page_size) or size % page_size:
        raise _refuse(path, "不完整（文件被截断或没有复制完）",
                      f"{size} bytes, {pages} pages of {page_size}")
    return size


def _copy_in(source: Path, target: Path) -> None:
    """Copy at most MAX_BYTES of ``source``: the file may grow while it is read."""
    copied = 0
    with open(source, "rb") as src, open(target, "xb") as dst:
        while chunk := src.read(_CHUNK):
            copied += len(chunk)
            if copied > MAX_BYTES:
                raise _refuse(source, f"超过 {MAX_BYTES // 1024 ** 3} GB，不是工作台的备份文件")
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())


def _check_copy(conn: sqlite3.Connection, source: Path) -> Holdings:
    """Integrity, that it is a desk's, its schema; what it holds. Raises UserError."""
    try:
        verdict = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
        if verdict != ["ok"]:
            raise _refuse(source, "已损坏（未通过完整性检查）", "; ".join(verdict))
        tables = _tables(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version < 1 or not all(t in tables for t in DESK_TABLES):
            raise _refuse(source, "不是工作台的数据文件（可能是县级平台或其他程序的数据库）",
                          f"schema {version}, tables {sorted(tables)[:20]}")
        if version > LATEST:
            raise _refuse(source, f"由更新版本的工作台创建（数据版本 {version}，"
                                  f"本程序支持到 {LATEST}），请先升级本程序",
                          f"schema {version} > {LATEST}")

        def count(table: str) -> int:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                       ) if table in tables else 0

        last = conn.execute("SELECT max(at) FROM audit_log").fetchone()[0]
        return Holdings(version, count("notices"), count("info_requests"),
                        None if last is None else str(last))
    except sqlite3.DatabaseError as exc:
        raise _refuse(source, "已损坏或不是工作台的备份文件", repr(exc)) from exc


def _remove(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        name.unlink(missing_ok=True)


@dataclass
class _Staged:
    """The checked private copy of a backup, beside the live database."""

    path: Path
    conn: sqlite3.Connection
    holds: Holdings


def _stage(folder: Path, source: Path) -> _Staged:
    """Copy ``source`` into the data folder and check the copy (the original is never opened)."""
    check_header(source)
    work = paths.backups_dir(folder)
    for stale in work.glob(".restore-*"):
        # Left by a restore that was killed; a young one may be another restore's, running.
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > STALE_AFTER:
                stale.unlink()
    staged = work / f".restore-{uuid.uuid4().hex}.sqlite3"
    conn: sqlite3.Connection | None = None
    try:
        _copy_in(source, staged)
        # Checked again on the copy: the file may have changed between the two reads.
        check_header(staged)
        wal = Path(f"{source}-wal")
        if wal.is_file():
            # A desk copied whole, WAL and all: SQLite reads the WAL's frames into the copy
            # (it tells its own frames by their salt, not by the file's name).
            _copy_in(wal, Path(f"{staged}-wal"))
        conn = sqlite3.connect(staged, isolation_level=None, timeout=10)
        holds = _check_copy(conn, source)
        # A backup keeps its source's WAL mark; the copy is private, so it needs no WAL.
        conn.execute("PRAGMA journal_mode = DELETE")
        return _Staged(staged, conn, holds)
    except BaseException:
        if conn is not None:
            conn.close()
        _remove(staged)
        raise


# -- the restore -----------------------------------------------------------------------------

def inspect(folder: Path, source: Path) -> Holdings:
    """What ``source`` holds, checked as a restore checks it; nothing in the desk changes."""
    try:
        staged = _stage(folder, resolve_source(folder, source))
    except (OSError, sqlite3.Error) as exc:
        raise (as_fault(exc, folder) or exc) from exc
    staged.conn.close()
    _remove(staged.path)
    return staged.holds


def resolve_source(folder: Path, name: str | os.PathLike[str]) -> Path:
    """The file a restore is asked for: a path, or the name of a backup in ``backups/``."""
    path = Path(name).expanduser()
    if not path.exists() and path.parent == Path("."):
        inside = paths.backups_dir(folder) / path.name
        if inside.exists():
            return inside
    return path


def restore(folder: Path, source: Path) -> Restored:
    """Put the desk back as ``source`` holds it; the current database is backed up first.

    A damaged or foreign file, or one from a newer program, is refused with
    one sentence before anything is written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)  # a new PC's folder, as paths.data_dir makes
        source = resolve_source(folder, source)
        live = paths.db_path(folder)
        if live.exists() and source.exists() and source.resolve() == live.resolve():
            raise UserError("这就是正在使用的数据文件，无需恢复，请选择一份备份。")
        staged = _stage(folder, source)
        try:
            page_size = staged.conn.execute("PRAGMA page_size").fetchone()[0]
            put_back, missing = _put_back_files(folder, staged.conn, source)
            safety = _safety_backup(folder)
            _write_over(folder, staged, int(page_size))
        finally:
            staged.conn.close()
            _remove(staged.path)
    except (OSError, sqlite3.Error) as exc:
        # The data folder's disk, not the backup: full, read-only, locked, gone.
        raise (as_fault(exc, folder) or exc) from exc
    log.info("restored %s from %s (backup before: %s)", live, source, safety)
    return Restored(source, safety, staged.holds, put_back, missing)


def _put_back_files(folder: Path, conn: sqlite3.Connection, source: Path) -> tuple[int, int]:
    """Copy in, from beside the backup, the files it names that the folder lacks.

    Kept by hash, so adding one never changes what the current database
    shows; a copy whose hash is wrong is left out.
    """
    beside = _files_beside(source)
    put_back = missing = 0
    for relative, digest in _referenced(conn):
        target = folder / relative
        if target.is_file():
            continue
        candidate = beside / relative
        try:
            data = candidate.read_bytes() if candidate.is_file() else None
        except OSError:
            data = None
        if data is not None and hashlib.sha256(data).hexdigest() == digest:
            keep_once(target, data)
            put_back += 1
        else:
            missing += 1
    return put_back, missing


def _safety_backup(folder: Path) -> Path | None:
    """Back up the current database before it is replaced (None when there is none).

    A database too damaged for SQLite to read is copied as it lies, with its WAL.
    """
    live = paths.db_path(folder)
    if not live.exists():
        return None
    out = backup_name(folder, "before-restore")
    try:
        conn = sqlite3.connect(live, timeout=10)
        try:
            backup_connection(conn, out, folder)
        finally:
            conn.close()
        return out
    except FaultError as err:
        if err.kind != "damaged":
            raise
    except sqlite3.DatabaseError as exc:
        fault = as_fault(exc, folder)
        if fault is not None and fault.kind != "damaged":
            raise fault from exc
    for suffix in ("", "-wal"):
        original = Path(f"{live}{suffix}")
        if original.exists():
            shutil.copyfile(original, Path(f"{out}{suffix}"))
    return out


def _write_over(folder: Path, staged: _Staged, page_size: int) -> None:
    """Replace the live database's contents with the staged copy's, all or nothing."""
    live = paths.db_path(folder)
    conn: sqlite3.Connection | None = None
    try:
        if live.exists():
            conn = sqlite3.connect(live, isolation_level=None, timeout=10)
            conn.execute("PRAGMA busy_timeout = 10000")
            live_page = int(conn.execute("PRAGMA page_size").fetchone()[0])
            if live_page != page_size:
                # A WAL database cannot change its page size: the copy takes the live one's.
                staged.conn.execute(f"PRAGMA page_size = {live_page}")
                staged.conn.execute("VACUUM")
            # One transaction of the live file: every reader sees old or new, never a mix.
            staged.conn.backup(conn)
            return
    except sqlite3.DatabaseError as exc:
        fault = as_fault(exc, folder)
        if fault is None or fault.kind != "damaged":
            raise (fault or exc) from exc
        log.warning("live database unreadable, replacing the file: %r", exc)
    finally:
        if conn is not None:
            conn.close()
    _replace_file(staged, live)


def _replace_file(staged: _Staged, live: Path) -> None:
    """Put the staged file in place of a live one that is missing or beyond SQLite's reading.

    Its WAL goes first: a stale WAL beside the new file would be read into it.
    """
    staged.conn.execute("PRAGMA journal_mode = WAL")
    staged.conn.close()
    for stale in (Path(f"{live}-wal"), Path(f"{live}-shm")):
        stale.unlink(missing_ok=True)
    os.replace(staged.path, live)
