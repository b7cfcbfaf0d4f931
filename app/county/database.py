"""Where the county's data lives and how it is opened: one engine, short transactions.

``--db`` takes a file path (SQLite) or a ``postgresql://`` URL. Without it the
database is ``county.sqlite3`` in the county data folder:
``GONGKAI_COUNTY_DATA`` if set (tests, scripts), else the per-user data folder
of ``gongkai-county``.

SQLite runs in WAL mode; a write transaction starts with ``BEGIN IMMEDIATE`` so
two writers queue for the lock instead of one failing half-way when it first
writes. Under PostgreSQL each write locks the township's row before it reads,
which serialises one township's writes and leaves others free.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.sql.dml import Insert

from app.county.errors import Refused
from app.county.schema import migrate

DB_NAME = "county.sqlite3"
_BUSY = "数据库正忙，请稍后再试。"
_CANNOT_OPEN = "无法打开县级数据库，请检查 --db 参数和数据库服务。"


def data_folder() -> Path:
    """The county data folder, created if missing."""
    explicit = os.environ.get("GONGKAI_COUNTY_DATA")
    path = Path(explicit) if explicit else Path(
        platformdirs.user_data_dir("gongkai-county", appauthor=False))
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(target: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL for ``--db``: a file path, a postgresql:// URL, or the default."""
    text = str(target) if target else ""
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if text.startswith(("postgresql+", "sqlite")):
        return text
    path = Path(text).expanduser().resolve() if text else data_folder() / DB_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite+pysqlite:///{path}"


def now_iso() -> str:
    """Local time with its offset, to the second (how gongkai writes every time)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Database:
    """An open county database: an engine plus read and write transactions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine: Engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": 30})
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            # pre_ping: a PostgreSQL restart must not cost the next request its connection.
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=8)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self._transaction(write=True) as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (a consistent snapshot for the block)."""
        with self._transaction(write=False) as conn:
            yield conn

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                conn.execution_options(gongkai_write=write)
                with conn.begin():
                    yield conn
        except OperationalError as exc:
            if self.is_sqlite and "locked" in str(exc).lower():
                raise Refused(503, _BUSY) from exc
            raise

    def insert_ignore(self, table: Table) -> Insert:
        """An INSERT that silently skips a row whose primary key is already there."""
        if self.is_sqlite:
            return sqlite.insert(table).on_conflict_do_nothing()
        return postgresql.insert(table).on_conflict_do_nothing()

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (see _sqlite_begin); pysqlite's own would be deferred.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("gongkai_write", True)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_database(target: str | os.PathLike[str] | None = None) -> Database:
    """Open (creating or migrating as needed) the county database that ``--db`` names."""
    try:
        db = Database(database_url(target))
    except (OSError, ArgumentError) as exc:
        raise Refused(500, _CANNOT_OPEN) from exc
    try:
        with db.write() as conn:
            migrate(conn)
    except DBAPIError as exc:  # no server, wrong password, not a database file …
        db.close()
        raise Refused(500, _CANNOT_OPEN) from exc
    except Exception:
        db.close()
        raise
    return db
