"""The SQLite file: connection, migrations, transactions, backups and the audit log.

One file per data folder. WAL so the GUI's reader threads never block on a
writer; foreign keys on so nothing a notice cites can vanish; ``BEGIN
IMMEDIATE`` transactions so a write either lands whole or not at all.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from app import paths
from app.errors import FaultError, UserError, as_fault
from app.migrations import LATEST, MIGRATIONS

log = logging.getLogger(__name__)


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit mid-way)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def now_iso() -> str:
    """Local time, to the second, as stored in every ``*_at`` column."""
    return datetime.now().isoformat(timespec="seconds")


class Store:
    """An open connection to one data folder's database.

    A Store belongs to the thread that opened it (sqlite3's rule); GUI workers
    open their own with :meth:`open`, which is cheap once the schema is current.
    """

    def __init__(self, folder: Path, conn: sqlite3.Connection) -> None:
        self.folder = folder
        self.conn = conn
        self._depth = 0

    @classmethod
    def open(cls, folder: Path, *, migrate: bool = True) -> Store:
        """Open (creating if needed) the database in ``folder`` and bring its schema up to date.

        Refuses, with a plain sentence and without touching the file, a
        database written by a newer version of the program.
        """
        path = paths.db_path(folder)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        except sqlite3.Error as exc:
            raise (as_fault(exc, folder) or FaultError("cant_open", str(exc))) from exc
        conn.row_factory = sqlite3.Row
        store = cls(folder, conn)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 10000")
            version = store.schema_version()
            if version > LATEST:
                raise UserError(
                    "这份数据由更新版本的工作台创建，请先升级本程序再打开；数据未作任何改动。",
                    f"schema {version} > supported {LATEST}",
                )
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if migrate and version < LATEST:
                store._migrate(version)
        except sqlite3.DatabaseError as exc:
            conn.close()
            # A full disk or a read-only folder is not a damaged file: only SQLite's own
            # "not a database" / "malformed", or a failed integrity check, is called that.
            fault = as_fault(exc, folder)
            if fault is None:
                fault = FaultError("file" if _intact(path) else "damaged", str(exc))
            raise fault from exc
        except BaseException:
            conn.close()
            raise
        return store

    def table_counts(self) -> dict[str, int]:
        """Rows per table, for ``gongkai check`` and support calls."""
        # Imported here: it takes longer to import than most commands take to run.
        import sqlite_utils

        db = sqlite_utils.Database(self.conn)
        return {table.name: table.count for table in db.tables}

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------

    def schema_version(self) -> int:
        """The number of the last migration applied (0 for a new file)."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, version: int) -> None:
        if version > 0:
            self.backup(reason=f"before-v{LATEST}")
        for number, title, sql in MIGRATIONS:
            if number <= version:
                continue
            try:
                with self.transaction() as conn:
                    # Another process may have migrated while we waited for the lock.
                    if self.schema_version() >= number:
                        continue
                    log.info("migrating %s to schema %d: %s", self.folder, number, title)
                    for statement in _statements(sql):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {number}")
            except sqlite3.Error as exc:
                fault = as_fault(exc, self.folder)
                if fault is not None and fault.kind in ("full", "read_only", "locked",
                                                        "vanished"):
                    raise fault from exc
                raise UserError(
                    "升级数据文件没有成功，数据保持原样（升级前已备份），请联系技术人员。",
                    f"migration {number} failed: {exc}",
                ) from exc

    # -- transactions ---------------------------------------------------------

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: every query inside sees the file as it was at the first.

        Reports (台账, the annual report) read through it, so work saved meanwhile
        cannot make their figures disagree. Inside a caller's transaction the
        caller's view is used as it is. It ends in a rollback: a read never writes.
        """
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            self.conn.execute("ROLLBACK")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing write. Nested uses join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._fault(exc) from exc
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, sqlite3.Error) and (fault := as_fault(exc, self.folder)):
                # The clerk reads what went wrong with the disk; the log keeps SQLite's words.
                log.warning("write refused: %s (%s)", fault, fault.detail)
                raise fault from exc
            raise
        finally:
            self._depth = 0

    def _fault(self, exc: sqlite3.Error) -> BaseException:
        """``exc`` as the sentence of its fault, or itself when it is none."""
        return as_fault(exc, self.folder) or exc

    def _rollback(self) -> None:
        """Roll back what is open; SQLite may already have done so (a full disk, an I/O error)."""
        if not self.conn.in_transaction:
            return
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            log.warning("rollback failed: %r", exc)

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Rows of a read query."""
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> Any:
        """The first column of the first row, or None."""
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- audit and settings ---------------------------------------------------

    def audit(self, action: str, subject: str, detail: dict[str, Any] | None = None,
              actor: str = "") -> None:
        """Record a change in the audit log (inside the caller's transaction)."""
        self.conn.execute(
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
            (now_iso(), actor or self.get_setting("clerk", "") or "本机",
             action, subject, json.dumps(detail or {}, ensure_ascii=False)),
        )

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A value from the settings table."""
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else value

    def set_settings(self, values: dict[str, str], audit_values: bool = True) -> None:
        """Write several settings in one transaction, audited.

        ``audit_values=False`` records only which keys changed, for values too
        large for the audit log (a whole county catalog waiting for the clerk).
        """
        with self.transaction():
            for key, value in values.items():
                self.conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            self.audit("settings", ",".join(sorted(values)), values if audit_values else {})

    # -- backups --------------------------------------------------------------

    def backup(self, out: Path | None = None, reason: str = "manual") -> Path:
        """Write a consistent copy of the database (SQLite's online backup) and return its path."""
        out = backup_name(self.folder, reason) if out is None else out
        backup_connection(self.conn, out, self.folder)
        return out

    def daily_backup(self, keep: int = 30) -> Path | None:
        """Back up once a day (the first open of the day), keeping the last ``keep`` dailies."""
        folder = paths.backups_dir(self.folder)
        today = datetime.now().strftime("%Y%m%d")
        marker = folder / f".daily-{today}"
        try:
            # O_EXCL: of two processes opening the folder at once, one takes the backup.
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return None
        for old in folder.glob(".daily-*"):
            if old != marker:
                old.unlink(missing_ok=True)
        try:
            out = self.backup(reason="daily")
        except BaseException:
            marker.unlink(missing_ok=True)  # today's backup is tried again at the next open
            raise
        dailies = sorted(folder.glob("gongkai-*-daily.sqlite3"))
        for old in dailies[: max(0, len(dailies) - keep)]:
            old.unlink(missing_ok=True)
        return out


def backup_name(folder: Path, reason: str) -> Path:
    """Where a backup taken now for ``reason`` goes: ``backups/gongkai-YYYYMMDD-HHMMSS-reason``.

    A second backup in the same second gets a number, so none is written over.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = paths.backups_dir(folder)
    out = folder / f"gongkai-{stamp}-{reason}.sqlite3"
    number = 2
    while out.exists():
        out = folder / f"gongkai-{stamp}-{reason}-{number}.sqlite3"
        number += 1
    return out


def backup_connection(conn: sqlite3.Connection, out: Path, folder: Path) -> None:
    """Copy the database behind ``conn`` to ``out``, whole or not at all."""
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.unlink(missing_ok=True)  # left by a backup that was killed
        target = sqlite3.connect(tmp)
        try:
            conn.backup(target)
        finally:
            target.close()
        tmp.replace(out)
    except (sqlite3.Error, OSError) as exc:
        # A half copy on a full disk would only take the space the next write needs.
        tmp.unlink(missing_ok=True)
        raise (as_fault(exc, folder) or exc) from exc
    log.info("backup written: %s", out)


def _intact(path: Path) -> bool:
    """Whether the file passes SQLite's ``quick_check`` (read-only; False if it cannot be read)."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=1)
        try:
            return bool(conn.execute("PRAGMA quick_check").fetchone()[0] == "ok")
        finally:
            conn.close()
    except sqlite3.Error:
        return False


class DataVersion:
    """Tells when another connection (the command line, a sync, another window) wrote.

    SQLite's ``PRAGMA data_version`` moves when any *other* connection commits,
    so this keeps one read-only connection of its own and compares. It is
    used from one worker thread at a time (the window polls it in the
    background), hence ``check_same_thread=False``.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._conn: sqlite3.Connection | None = None
        self._last: int | None = None

    def changed(self) -> bool:
        """Whether someone wrote the database since the last call (False the first time)."""
        if self._conn is None:
            uri = paths.db_path(self.folder).resolve().as_uri() + "?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=1)
        try:
            version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return False  # busy or being restored: the next poll will see it
        moved = self._last is not None and version != self._last
        self._last = version
        return moved

    def close(self) -> None:
        """Close its connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
