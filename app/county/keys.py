"""Who signed a USB file: each township's registered public key, and the county's own key.

A township's key arrives at its ``sync login`` (``PUT /api/v1/township-key``,
authenticated by its token), or on paper or a USB stick, entered by staff with
``gongkai-county township-key 名称 --public-key BASE64|FILE``. Either way the
fingerprint is shown on both sides so that staff can compare it on the phone.
A township has one key at a time: a new one replaces the old (rotation), and
staff can revoke it (a lost PC). ``gongkai-county import`` takes a file only if
the township's current key signed it.

The county's own key pair signs the reply files it writes for townships
without a network; it is made on first need and kept in the database (the
``meta`` table), beside the staff form secret, and never leaves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from app.county.database import Database, now_iso
from app.county.errors import Refused
from app.county.schema import COUNTY_SIGNING_KEY, meta, township_keys, townships
from app.county.tokens import township_id
from app.sync.bundle import Signer, TrustedKey, fingerprint, load_public_key
from app.sync.protocol import ProtocolError


@dataclass(frozen=True)
class TownshipKey:
    """A registered public key of a township."""

    township: str
    public_key: str
    fingerprint: str
    source: str
    registered: str
    replaced: bool

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"township": self.township, "public_key": self.public_key,
                "fingerprint": self.fingerprint, "source": self.source,
                "registered": self.registered, "replaced": self.replaced}


def read_key_text(text: str) -> str:
    """A public key given as its base64 text or as the name of a file holding it."""
    path = Path(text)
    try:
        if len(text) < 1000 and path.is_file():
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Refused(422, f"无法读取公钥文件 {path.name}。") from exc
    key = "".join(text.split())
    try:
        load_public_key(key)
    except ProtocolError as exc:
        raise Refused(422, str(exc)) from exc
    return key


def register_key(db: Database, township: int, public_key: Any, source: str,
                 by: str) -> TownshipKey:
    """Make ``public_key`` the township's key (the one before it is replaced); idempotent.

    From staff it may name a file; from the network it must be the key's text.
    """
    public_key = read_key_text(str(public_key)) if source == "staff" else _checked(public_key)
    with db.write() as conn:
        name = conn.execute(select(townships.c.name).where(townships.c.id == township)
                            .with_for_update()).scalar()
        if name is None:
            raise Refused(404, "找不到这个乡镇。")
        current = _current(conn, township)
        if current is not None and current.public_key == public_key:
            return _key(name, current, False)
        now = now_iso()
        if current is not None:
            conn.execute(township_keys.update().where(township_keys.c.id == current.id)
                         .values(replaced=now))
        conn.execute(township_keys.insert().values(
            township_id=township, public_key=public_key, fingerprint=fingerprint(public_key),
            source=source, registered=now, registered_by=by))
        row = _current(conn, township)
        return _key(name, row, current is not None)


def _checked(public_key: Any) -> str:
    if not isinstance(public_key, str) or len(public_key) > 200:
        raise Refused(422, "公钥格式不对。")
    try:
        load_public_key(public_key)
    except ProtocolError as exc:
        raise Refused(422, str(exc)) from exc
    return "".join(public_key.split())


def register_by_name(db: Database, name: str, public_key: str, staff: str) -> TownshipKey:
    """Staff enter a key carried on paper or USB for a township known by name."""
    with db.read() as conn:
        found = township_id(conn, name)
    if found is None:
        raise Refused(404, f"乡镇「{name}」尚未在县级平台登记，请先为它发放令牌。")
    return register_key(db, found, public_key, "staff", staff)


def revoke_key(db: Database, name: str) -> str:
    """Staff revoke the township's current key (a lost or stolen PC); its fingerprint."""
    with db.write() as conn:
        found = township_id(conn, name)
        current = _current(conn, found) if found is not None else None
        if current is None:
            raise Refused(404, f"乡镇「{name}」没有有效的签名公钥。")
        conn.execute(township_keys.update().where(township_keys.c.id == current.id)
                     .values(revoked=now_iso()))
        return str(current.fingerprint)


def current_key(conn: Connection, township: int) -> str | None:
    """The township's current public key (base64), or None if it has none."""
    row = _current(conn, township)
    return str(row.public_key) if row is not None else None


def key_owner(conn: Connection, fingerprint_text: str) -> tuple[str, bool] | None:
    """Whose key has this fingerprint: (township name, still current), or None."""
    row = conn.execute(
        select(townships.c.name, township_keys.c.replaced, township_keys.c.revoked)
        .join(townships, townships.c.id == township_keys.c.township_id)
        .where(township_keys.c.fingerprint == fingerprint_text)
        .order_by(township_keys.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return str(row.name), row.replaced is None and row.revoked is None


def _current(conn: Connection, township: int) -> Any:
    return conn.execute(select(township_keys).where(
        township_keys.c.township_id == township, township_keys.c.replaced.is_(None),
        township_keys.c.revoked.is_(None)).order_by(township_keys.c.id.desc()).limit(1)).first()


def _key(name: str, row: Any, replaced: bool) -> TownshipKey:
    return TownshipKey(name, row.public_key, row.fingerprint, row.source, row.registered,
                       replaced)


def fingerprints(db: Database) -> dict[int, str]:
    """Every township's current key fingerprint by township id (for the staff page)."""
    with db.read() as conn:
        rows = conn.execute(select(township_keys.c.township_id, township_keys.c.fingerprint)
                            .where(township_keys.c.replaced.is_(None),
                                   township_keys.c.revoked.is_(None))).all()
    return {int(r.township_id): str(r.fingerprint) for r in rows}


def county_signer(db: Database) -> Signer:
    """The county's own key pair, made and stored on first need."""
    with db.read() as conn:
        secret = conn.execute(select(meta.c.value)
                              .where(meta.c.key == COUNTY_SIGNING_KEY)).scalar()
    if secret is None:
        with db.write() as conn:
            # Two first needs at once: the first insert wins, the other reads it back.
            conn.execute(db.insert_ignore(meta).values(key=COUNTY_SIGNING_KEY,
                                                       value=Signer.new().secret()))
            secret = conn.execute(select(meta.c.value)
                                  .where(meta.c.key == COUNTY_SIGNING_KEY)).scalar_one()
    return Signer.from_secret(secret)


def usb_trust(conn: Connection) -> TrustedKey:
    """The check ``read_bundle`` makes of a batch file's signer, over ``conn``.

    The file must be signed by the current key of the township its manifest
    names; another township's key, a replaced or revoked key, or a township
    without a key are each refused with their own sentence.
    """
    def trusted(name: str, signed: str) -> str:
        found = township_id(conn, name)
        if found is None:
            raise ProtocolError(f"乡镇「{name}」尚未在县级平台登记，请先为它发放令牌再导入。")
        key = current_key(conn, found)
        if signed and (key is None or fingerprint(key) != signed):
            owner = key_owner(conn, signed)
            if owner is not None and owner[0] != name:
                raise ProtocolError(f"这个U盘文件是用「{owner[0]}」的密钥签名的，"
                                    f"不能作为「{name}」的报送导入。")
            if owner is not None:
                raise ProtocolError(f"这个U盘文件是用「{name}」已更换或已停用的旧密钥签名的，"
                                    "请在工作台登录或登记新密钥后重新导出。")
        if key is None:
            raise ProtocolError(f"乡镇「{name}」还没有在县级平台登记签名公钥，请先在工作台登录"
                                "县级平台，或由工作人员用 gongkai-county township-key 登记。")
        return key

    return trusted
