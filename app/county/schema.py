"""The county database: its tables (SQLAlchemy Core) and numbered migrations.

The same tables serve SQLite and PostgreSQL. Times are ISO strings with their
offset, as everywhere in gongkai, so both databases store and sort them alike.
Each migration step runs in the transaction that records its number, so a
crash leaves the database at one version or the next, never between.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

from app.county.errors import Refused
from app.county.offline import flags

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

townships = Table(
    "townships", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("created", String(40), nullable=False),
    # The last reply number handed out; updating it locks the township's row,
    # which is what keeps reply numbers in commit order under PostgreSQL.
    Column("last_seq", BigInteger, nullable=False, default=0),
)

tokens = Table(
    "tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # "township" | "staff"
    Column("township_id", Integer, ForeignKey("townships.id"), nullable=True),
    Column("name", String(100), nullable=False),
    Column("created", String(40), nullable=False),
    Column("revoked", String(40), nullable=True),
)

staff_sessions = Table(
    "staff_sessions", metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("token_id", Integer, ForeignKey("tokens.id"), nullable=False),
    Column("expires", BigInteger, nullable=False),  # seconds since the epoch
)

blobs = Table(
    "blobs", metadata,
    Column("township_id", Integer, ForeignKey("townships.id"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("received", String(40), nullable=False),
    PrimaryKeyConstraint("township_id", "sha256"),
)

batches = Table(
    "batches", metadata,
    Column("township_id", Integer, ForeignKey("townships.id"), nullable=False),
    Column("batch_id", String(36), nullable=False),
    Column("received", String(40), nullable=False),
    Column("source", String(8), nullable=False),  # "http" | "usb"
    Column("notices", Integer, nullable=False),
    Column("receipt", Text, nullable=False),
    PrimaryKeyConstraint("township_id", "batch_id"),
)

notices = Table(
    "notices", metadata,
    Column("township_id", Integer, ForeignKey("townships.id"), nullable=False),
    Column("notice_id", String(200), nullable=False),
    Column("rev", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("domain", String(100), nullable=False),
    Column("document", Text, nullable=False),  # the NoticePayload JSON as it came
    Column("batch_id", String(36), nullable=False),
    Column("first_received", String(40), nullable=False),
    Column("received", String(40), nullable=False),
    Column("state", String(16), nullable=False),
    Column("url", Text, nullable=True),
    Column("reason", Text, nullable=True),
    Column("state_at", String(40), nullable=False),
    # 仅限线下公开，不上网: the township's flag, or what the notice's channels/audience say.
    Column("offline_only", Integer, nullable=False, default=0, server_default="0"),
    # The township sent only the metadata: the document holds no body.
    Column("metadata_only", Integer, nullable=False, default=0, server_default="0"),
    # Why staff put a 不上网 notice on the website all the same (with the published mark).
    Column("online_reason", Text, nullable=True),
    PrimaryKeyConstraint("township_id", "notice_id"),
    Index("notices_by_received", "township_id", "received"),
)

replies = Table(
    "replies", metadata,
    Column("township_id", Integer, ForeignKey("townships.id"), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("notice_id", String(200), nullable=False),
    Column("state", String(16), nullable=False),
    Column("url", Text, nullable=True),
    Column("reason", Text, nullable=True),
    Column("at", String(40), nullable=False),
    Column("staff", String(100), nullable=True),
    Column("online_reason", Text, nullable=True),
    PrimaryKeyConstraint("township_id", "seq"),
    Index("replies_by_notice", "township_id", "notice_id", "seq"),
)

catalog_versions = Table(
    "catalog_versions", metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("loaded", String(40), nullable=False),
    Column("source", Text, nullable=False),
    Column("count", Integer, nullable=False),
    Column("document", Text, nullable=False),  # the JSON list of items as served
)

calendar_years = Table(
    "calendar_years", metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("document", Text, nullable=False),
    Column("loaded", String(40), nullable=False),
    Column("source", Text, nullable=False),
)

#: Each scoring-rules file (考核细则) published to the townships; every one a new version.
scoring_rules = Table(
    "scoring_rules", metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("loaded", String(40), nullable=False),
    Column("source", Text, nullable=False),
    Column("body", Text, nullable=False),  # the TOML text as served
)

#: Each 测评问题清单 (.xlsx/.docx) published to one township, kept as its bytes: the county
#: checks the file's kind, the township reads the tables with its own reader and limits.
#: ``seq`` counts one township's lists (1, 2, …), so ``GET /problems?after=N`` never skips one.
problem_lists = Table(
    "problem_lists", metadata,
    Column("township_id", Integer, ForeignKey("townships.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("received", String(10), nullable=False),  # the day the township is given it
    Column("filename", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("published", String(40), nullable=False),
    PrimaryKeyConstraint("township_id", "seq"),
)

#: Each township's public keys for its signed USB files; one row per key ever registered.
#: The newest unrevoked row is the township's key; older ones were replaced (rotation)
#: or revoked by staff (a lost PC), and files signed by them are refused.
township_keys = Table(
    "township_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("township_id", Integer, ForeignKey("townships.id"), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("fingerprint", String(19), nullable=False),
    Column("source", String(16), nullable=False),  # "network" | "staff"
    Column("registered", String(40), nullable=False),
    Column("registered_by", String(100), nullable=False),  # a token number, or staff
    Column("replaced", String(40), nullable=True),
    Column("revoked", String(40), nullable=True),
    Index("township_keys_by_township", "township_id", "id"),
)

VERSION_KEY = "schema_version"
SECRET_KEY = "staff_form_secret"
#: The county's own Ed25519 private key (base64), made on first need; signs reply files.
COUNTY_SIGNING_KEY = "county_signing_key"


def _step_1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[townships, tokens, staff_sessions, blobs, batches,
                                      notices, replies, catalog_versions, calendar_years])
    # Signs the staff forms' anti-forgery field; never leaves the database.
    conn.execute(meta.insert().values(key=SECRET_KEY, value=secrets.token_hex(32)))


def _step_2(conn: Connection) -> None:
    township_keys.create(conn)


def _step_3(conn: Connection) -> None:
    scoring_rules.create(conn, checkfirst=True)


def _step_4(conn: Connection) -> None:
    problem_lists.create(conn, checkfirst=True)


def _step_5(conn: Connection) -> None:
    # Fresh databases have the columns from step 1 (the tables as defined now).
    for table, column, kind in (("notices", "offline_only", "INTEGER NOT NULL DEFAULT 0"),
                                ("notices", "metadata_only", "INTEGER NOT NULL DEFAULT 0"),
                                ("notices", "online_reason", "TEXT"),
                                ("replies", "online_reason", "TEXT")):
        if column not in {c["name"] for c in inspect(conn).get_columns(table)}:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {kind}"))
    # Notices already held are marked from what they carry: the item's channels and audience.
    rows = conn.execute(select(notices.c.township_id, notices.c.notice_id,
                               notices.c.document)).all()
    for row in rows:
        offline, bare = flags(row.document)
        if offline or bare:
            conn.execute(notices.update().where(
                (notices.c.township_id == row.township_id)
                & (notices.c.notice_id == row.notice_id)).values(
                    offline_only=int(offline), metadata_only=int(bare)))


#: (number, what it does, the step). Append only; a released step never changes.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "townships, tokens, blobs, batches, notices, replies, catalog, calendar", _step_1),
    (2, "township_keys: the public keys that sign each township's USB files", _step_2),
    (3, "scoring_rules: the 考核细则 published to the townships", _step_3),
    (4, "problem_lists: each township's 测评问题清单 files, for 整改", _step_4),
    (5, "notices: 仅限线下公开 (offline_only), metadata_only, and why one went online", _step_5),
)
LATEST: int = MIGRATIONS[-1][0]


def schema_version(conn: Connection) -> int:
    """The schema version of an open database (0 for an empty one)."""
    meta.create(conn, checkfirst=True)
    value = conn.execute(select(meta.c.value).where(meta.c.key == VERSION_KEY)).scalar()
    return int(value or 0)


def migrate(conn: Connection) -> int:
    """Bring the schema to LATEST inside the caller's transaction; returns the old version.

    A database written by a newer gongkai-county is refused untouched.
    """
    version = schema_version(conn)
    if version > LATEST:
        raise Refused(500, "数据库来自更新版本的县级服务端，请升级程序后再使用。")
    for number, _what, step in MIGRATIONS:
        if number > version:
            step(conn)
    if version == 0:
        conn.execute(meta.insert().values(key=VERSION_KEY, value=str(LATEST)))
    elif version < LATEST:
        conn.execute(meta.update().where(meta.c.key == VERSION_KEY).values(value=str(LATEST)))
    return version
