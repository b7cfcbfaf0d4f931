"""Tokens: one or more per township (bearer), one per county staff member, and staff sessions.

A token is 32 random bytes shown once; only its SHA-256 is stored. Because the
token itself is random, its hash is a safe lookup key; the stored and computed
hashes are still compared in constant time. A staff member's browser gets a
session cookie (random, stored hashed, 12 hours) after the login form, or sends
the token as the HTTP basic password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select

from app.county.database import Database, now_iso
from app.county.errors import Refused
from app.county.schema import SECRET_KEY, meta, staff_sessions, tokens, townships

TOWNSHIP = "township"
STAFF = "staff"
SESSION_SECONDS = 12 * 3600
_MAX_NAME = 100


@dataclass(frozen=True)
class Principal:
    """Who a token belongs to: a township (with its id and name) or a staff member."""

    token_id: int
    role: str
    name: str
    township_id: int | None = None

    @property
    def township(self) -> str:
        """The township's name (a township token only)."""
        return self.name


def token_hash(token: str) -> str:
    """The stored form of a token (hex SHA-256)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _clean_name(name: str, what: str) -> str:
    name = " ".join(str(name).split())
    if not name or len(name) > _MAX_NAME:
        raise Refused(422, f"{what}不能为空，也不能超过{_MAX_NAME}个字。")
    return name


def township_id(conn: Connection, name: str) -> int | None:
    """The id of a known township, or None."""
    return conn.execute(select(townships.c.id).where(townships.c.name == name)).scalar()


def add_token(db: Database, name: str, staff: bool = False) -> str:
    """Create a token for a township (registering it if new) or a staff member; return it.

    The token is returned once and never stored in plain text.
    """
    name = _clean_name(name, "姓名" if staff else "乡镇名称")
    token = secrets.token_urlsafe(32)
    with db.write() as conn:
        tid = None
        if not staff:
            tid = township_id(conn, name)
            if tid is None:
                key = conn.execute(townships.insert().values(
                    name=name, created=now_iso(), last_seq=0)).inserted_primary_key
                assert key is not None  # a one-row insert always reports its key
                tid = key[0]
        conn.execute(tokens.insert().values(
            token_hash=token_hash(token), role=STAFF if staff else TOWNSHIP,
            township_id=tid, name=name, created=now_iso()))
    return token


def list_tokens(db: Database) -> list[dict[str, object]]:
    """Every token without its secret: id, role, name, created, revoked."""
    with db.read() as conn:
        rows = conn.execute(select(tokens.c.id, tokens.c.role, tokens.c.name, tokens.c.created,
                                   tokens.c.revoked).order_by(tokens.c.id)).all()
    return [dict(r._mapping) for r in rows]


def revoke_token(db: Database, token_id: int) -> None:
    """Stop a token from working (kept for the record); its staff sessions end too."""
    with db.write() as conn:
        done = conn.execute(tokens.update().where(tokens.c.id == token_id,
                                                  tokens.c.revoked.is_(None))
                            .values(revoked=now_iso())).rowcount
        if not done:
            raise Refused(404, f"没有编号为{token_id}的有效令牌。")
        conn.execute(delete(staff_sessions).where(staff_sessions.c.token_id == token_id))


def authenticate(db: Database, token: str | None, role: str) -> Principal | None:
    """The owner of a valid, unrevoked token of ``role``, or None."""
    if not token or len(token) > 200:
        return None
    wanted = token_hash(token)
    with db.read() as conn:
        return _principal(conn, wanted, role)


def _principal(conn: Connection, wanted: str, role: str) -> Principal | None:
    row = conn.execute(
        select(tokens.c.id, tokens.c.token_hash, tokens.c.role, tokens.c.name,
               tokens.c.township_id, tokens.c.revoked)
        .where(tokens.c.token_hash == wanted)).first()
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    if row.revoked is not None or row.role != role:
        return None
    return Principal(row.id, row.role, row.name, row.township_id)


def start_session(db: Database, staff: Principal) -> str:
    """A new session for a staff member; returns the cookie value (stored hashed)."""
    cookie = secrets.token_urlsafe(32)
    now = int(time.time())
    with db.write() as conn:
        # Expired sessions are swept here, so the table never grows without bound.
        conn.execute(delete(staff_sessions).where(staff_sessions.c.expires < now))
        conn.execute(staff_sessions.insert().values(
            session_hash=token_hash(cookie), token_id=staff.token_id,
            expires=now + SESSION_SECONDS))
    return cookie


def session_staff(db: Database, cookie: str | None) -> Principal | None:
    """The staff member of a live session cookie, or None."""
    if not cookie or len(cookie) > 200:
        return None
    wanted = token_hash(cookie)
    with db.read() as conn:
        row = conn.execute(
            select(staff_sessions.c.session_hash, staff_sessions.c.expires,
                   tokens.c.token_hash)
            .join(tokens, tokens.c.id == staff_sessions.c.token_id)
            .where(staff_sessions.c.session_hash == wanted)).first()
        if row is None or not hmac.compare_digest(row.session_hash, wanted) or \
                row.expires < int(time.time()):
            return None
        return _principal(conn, row.token_hash, STAFF)


def end_session(db: Database, cookie: str | None) -> None:
    """Log a staff session out."""
    if cookie:
        with db.write() as conn:
            conn.execute(delete(staff_sessions).where(
                staff_sessions.c.session_hash == token_hash(cookie)))


def form_key(db: Database, staff: Principal) -> str:
    """The anti-forgery value the staff's forms must carry (stable per token)."""
    with db.read() as conn:
        secret = conn.execute(select(meta.c.value).where(meta.c.key == SECRET_KEY)).scalar_one()
    return hmac.new(secret.encode(), f"staff:{staff.token_id}".encode(),
                    hashlib.sha256).hexdigest()


def township_count(conn: Connection) -> int:
    """How many townships are registered."""
    return int(conn.execute(select(func.count()).select_from(townships)).scalar_one())
