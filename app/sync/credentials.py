"""Where the county token is kept: the system keyring, or an encrypted file where there is none.

Office PCs running UOS or Kylin often have no keyring service the program can
reach (no Secret Service on the session bus), and the clerk must still be able
to connect. The token then goes to an encrypted file in the user's own config
folder (``~/.config/gongkai`` on Linux, ``%LOCALAPPDATA%\\gongkai`` on Windows):

- ``county-tokens.json`` holds one Fernet token (AES-128-CBC with an HMAC) per
  county address; the token itself is never in it as plain text.
- ``county-token.key`` holds 32 random bytes, created once, readable by this user
  only (0600, in a 0700 folder). The encryption key is not those bytes but is
  derived from them and this machine's id (HKDF-SHA256), so neither file nor
  both files together open the token on another PC.

What that protects against: the token file read on its own (copied away, sent
along with a support mail, found in someone's backup), both files taken to
another computer, and other user accounts of the same PC. What it cannot
protect against: a program running as this user on this PC, or an
administrator of it — they can read both files and the machine id, as they
could read an unlocked keyring. It is the same promise a browser's password
store makes without a master password, and it keeps the contract's rule: the
program never writes a token to disk in plain text.

A proxy's password (``http://user:pass@host:3128``) is kept the same way, next
to the token: the settings hold the proxy as ``http://user@host:3128``, and
:func:`proxy_with_password` puts the password back when a connection is made.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import sys
import uuid
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import platformdirs
from filelock import FileLock, Timeout

from app.errors import UserError
from app.paths import PLATFORM_DIRS

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

log = logging.getLogger(__name__)

KEYRING_SERVICE = "gongkai-county"
TOKENS_FILE = "county-tokens.json"
KEY_FILE = "county-token.key"
#: Held while the two files are read and written back: the window, a scheduled
#: ``gongkai sync`` and a second data folder of the same user all keep their
#: keys here, and two of them saving at once lost one key or made two key files.
LOCK_FILE = "county-tokens.lock"
#: Longer than any save takes (a few milliseconds), short enough to be an answer.
LOCK_WAIT_S = 15
_INFO = b"gongkai county token v1"


class Kept(Enum):
    """Where a token was put."""

    KEYRING = "keyring"
    ENCRYPTED_FILE = "encrypted_file"


def folder() -> Path:
    """The per-user config folder that holds the key and the encrypted tokens."""
    return Path(platformdirs.user_config_dir(**PLATFORM_DIRS))


def save(server: str, token: str) -> Kept:
    """Keep ``token`` for ``server``: in the keyring if it works, else in the encrypted file.

    A token kept in the keyring takes any older copy out of the file, so the two
    never disagree.
    """
    in_keyring = _keyring_set(server, token)
    with _locked():
        tokens = _file_tokens()
        if in_keyring:
            if tokens.pop(server, None) is not None:
                _write_tokens(tokens)
            return Kept.KEYRING
        secret = _secret(create=True) or b""
        tokens[server] = _fernet(secret).encrypt(token.encode("utf-8")).decode("ascii")
        _write_tokens(tokens)
        return Kept.ENCRYPTED_FILE


def _locked() -> FileLock:
    """The lock over the token and key files, waited for at most :data:`LOCK_WAIT_S`."""
    path = folder() / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32":
        path.parent.chmod(0o700)
    return _Waited(str(path), timeout=LOCK_WAIT_S, mode=0o600)


class _Waited(FileLock):
    """A FileLock whose timeout is one sentence for the clerk."""

    def __enter__(self) -> _Waited:
        try:
            super().__enter__()
        except Timeout as exc:
            raise UserError(f"另一个工作台程序正在保存连接密钥，等了{LOCK_WAIT_S}秒仍未完成；"
                            "请稍后再试。", repr(exc)) from exc
        return self


def load(server: str) -> str:
    """The token kept for ``server`` ("" when there is none, or it no longer opens)."""
    found = _keyring_get(server)
    if found:
        return found
    sealed = _file_tokens().get(server)
    if not sealed:
        return ""
    from cryptography.fernet import InvalidToken

    secret = _secret(create=False)
    if secret is None:
        return ""
    try:
        return _fernet(secret).decrypt(sealed.encode("ascii")).decode("utf-8")
    except InvalidToken:
        # Another PC's file, or the key file was replaced: as if never logged in.
        log.warning("the kept county token for %s does not open on this machine", server)
        return ""


#: The name a proxy password is kept under, before the proxy URL without it.
PROXY_KEY = "proxy "


def split_proxy(proxy: str) -> tuple[str, str]:
    """``http://user:pass@host:3128`` as ``("http://user@host:3128", "pass")``.

    The password stays as typed (percent-encoded or not), so that putting it
    back gives the same URL. A proxy without a password comes back whole, with "".
    """
    proxy = proxy.strip()
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    if not proxy or "@" not in parts.netloc:
        return proxy, ""
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not colon:
        return proxy, ""
    bare = urlunsplit(parts._replace(netloc=f"{user}@{hostport}" if user else hostport))
    return bare, password


def proxy_with_password(proxy: str) -> str:
    """The proxy setting with its kept password put back (unchanged if none is kept)."""
    proxy = proxy.strip()
    if not proxy or split_proxy(proxy)[1]:
        return proxy  # empty, or a password typed just now (a login being checked)
    password = load(PROXY_KEY + proxy)
    if not password:
        return proxy
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    user, _, hostport = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{hostport}"))


def keep_proxy(proxy: str, before: str = "") -> str:
    """Keep the proxy's password like a token; the proxy setting to save, without it.

    A proxy given without a password keeps the password already kept for it
    (the window shows the setting, and 连接 again must not lose it); the
    password of the proxy ``before``, when it is another one, is forgotten.
    """
    bare, password = split_proxy(proxy)
    if password:
        save(PROXY_KEY + bare, password)
    if before and before != bare:
        forget(PROXY_KEY + before)
    return bare


def forget(server: str) -> None:
    """Take what is kept under ``server`` out of the keyring and the encrypted file."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, server)
    except PasswordDeleteError:
        pass  # nothing was kept there
    except (KeyringError, RuntimeError, OSError) as exc:
        log.info("system keyring could not forget %s: %r", server, exc)
    with _locked():
        tokens = _file_tokens()
        if tokens.pop(server, None) is not None:
            _write_tokens(tokens)


def keyring_usable() -> bool:
    """Whether the system keyring answers at all (it is asked, not guessed from its name)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.get_password(KEYRING_SERVICE, "--probe--")
    except (KeyringError, RuntimeError, OSError) as exc:
        log.info("system keyring not usable: %r", exc)
        return False
    return True


def _keyring_set(server: str, token: str) -> bool:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, server, token)
    except (KeyringError, RuntimeError, OSError) as exc:
        log.info("system keyring refused the token, using the encrypted file: %r", exc)
        return False
    return True


def _keyring_get(server: str) -> str:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, server) or ""
    except (KeyringError, RuntimeError, OSError):
        return ""


def _file_tokens() -> dict[str, str]:
    path = folder() / TOKENS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("county token file unreadable: %r", exc)
        return {}
    tokens = data.get("tokens") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in tokens.items()} if isinstance(tokens, dict) else {}


def _write_tokens(tokens: dict[str, str]) -> None:
    _private_file(folder() / TOKENS_FILE,
                  json.dumps({"version": 1, "tokens": tokens}, ensure_ascii=False,
                             indent=1).encode("utf-8"))


def _private_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole, readable and writable by this user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32":
        path.parent.chmod(0o700)
    tmp = path.with_name(f".~{uuid.uuid4().hex}")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _secret(create: bool) -> bytes | None:
    """The key file's bytes (made on first use when ``create``), None if there is none."""
    key_path = folder() / KEY_FILE
    try:
        return key_path.read_bytes()
    except FileNotFoundError:
        if not create:
            return None
    secret = secrets.token_bytes(32)
    _private_file(key_path, secret)
    return secret


def _fernet(secret: bytes) -> Fernet:
    # Imported here: cryptography is not needed, nor loaded, until a token is.
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=machine_id(),
               info=_INFO).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def machine_id() -> bytes:
    """This installation's machine id: /etc/machine-id, Windows' MachineGuid, else the MAC.

    It is not a secret; it ties the key to this PC, so copied files do not open elsewhere.
    """
    if sys.platform == "win32":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE,
                                r"SOFTWARE\Microsoft\Cryptography") as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0]).encode()
        except OSError:
            pass
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            text = Path(candidate).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            return text.encode()
    return uuid.getnode().to_bytes(8, "big")
