"""A proxy's password lives where the token does, and a login that fails changes nothing.

The real ``gongkai sync login`` runs against the real county on 127.0.0.1,
once through a proxy where nothing listens and once through a real forward
proxy that asks for a password. Afterwards every file of the data folder
(the database, its WAL, the backups, the log) is read byte by byte for the
password, as someone who copied the folder would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from net_support import CountyServer, ForwardProxy, county_serving
from tests_support import fill_outbox

from app.store import Store
from app.sync import credentials, exchange

pytestmark = pytest.mark.usefixtures("pinned_today")
pytest_plugins = ["keyring_support"]

PASSWORD = "secretpw"
PROXY_DOWN = "代理服务器没能连到县级平台，已保留待报送内容，请检查代理设置或稍后再试。"


@pytest.fixture
def county(tmp_path: Path) -> Iterator[CountyServer]:
    """``gongkai-county serve`` over plain http."""
    with county_serving(tmp_path / "county") as server:
        yield server


def files_holding(folder: Path, secret: str) -> list[str]:
    """Every file under ``folder`` whose bytes contain ``secret`` (what ``grep -r`` finds)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and secret.encode() in p.read_bytes())


def audit_rows_holding(store: Store, secret: str) -> int:
    """How many audit rows mention ``secret``."""
    return int(store.conn.execute("SELECT count(*) FROM audit_log WHERE detail LIKE ?",
                                  (f"%{secret}%",)).fetchone()[0])


def test_a_login_through_a_dead_proxy_exits_1_and_leaves_no_trace(
        county: CountyServer, store: Store, gk, data_dir: Path, no_keyring: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store.set_settings({"sync.server": "https://old.example.gov.cn"})
    monkeypatch.setenv(exchange.TOKEN_ENV, county.token())
    # Nothing listens on port 9 (discard): the proxy cannot be reached.
    failed = gk("sync", "login", "--server", county.url,
                "--proxy", f"http://u:{PASSWORD}@127.0.0.1:9", check=False)
    assert failed.returncode == 1
    assert failed.stderr.strip() == PROXY_DOWN
    store.backup(reason="daily")  # the next backup holds what the folder holds now
    assert files_holding(data_dir, PASSWORD) == []
    assert audit_rows_holding(store, PASSWORD) == 0
    # Nothing changed: no proxy saved, the old server kept, no password kept anywhere.
    assert store.get_setting("sync.proxy") is None
    assert store.get_setting("sync.server") == "https://old.example.gov.cn"
    assert credentials.load(credentials.PROXY_KEY + "http://u@127.0.0.1:9") == ""
    assert not no_keyring.exists() or files_holding(no_keyring, PASSWORD) == []


def test_the_proxy_password_is_kept_with_the_token_and_carries_the_next_push(
        county: CountyServer, store: Store, gk, data_dir: Path, no_keyring: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ids = fill_outbox(store, 2, 1)
    monkeypatch.setenv(exchange.TOKEN_ENV, county.token())
    with ForwardProxy(auth=("u", PASSWORD)) as proxy:
        logged = gk("sync", "login", "--server", county.url,
                    "--proxy", f"http://u:{PASSWORD}@127.0.0.1:{proxy.port}")
        assert "已登录县级平台" in logged.stdout
        # The setting names the proxy and its user; the password went to the encrypted file.
        assert store.get_setting("sync.proxy") == f"http://u@127.0.0.1:{proxy.port}"
        assert files_holding(no_keyring, PASSWORD) == []
        report = gk.json("sync", "push")
        assert (report["batches"], report["notices"]) == (1, len(ids))
        assert proxy.refused == 0
        paths = proxy.paths()
        assert paths[0] == "/api/v1/hello" and paths[-1].startswith("/api/v1/batches/")
    assert county.stats()["notices"] == len(ids)
    store.backup(reason="daily")
    assert files_holding(data_dir, PASSWORD) == []
    assert audit_rows_holding(store, PASSWORD) == 0


def test_without_its_kept_password_the_proxy_refuses_the_push(
        county: CountyServer, store: Store, no_keyring: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The counter-check: the push above went through because the password was put back."""
    fill_outbox(store, 1, 0)
    monkeypatch.setenv(exchange.TOKEN_ENV, county.token())
    with ForwardProxy(auth=("u", PASSWORD)) as proxy:
        exchange.login(store, county.url, county.token(), keep=False,
                       proxy=f"http://u:{PASSWORD}@127.0.0.1:{proxy.port}")
        credentials.forget(credentials.PROXY_KEY + f"http://u@127.0.0.1:{proxy.port}")
        with exchange.connect(store) as client, pytest.raises(exchange.SyncError):
            exchange.push(store, client)
        assert proxy.refused >= 1
    assert county.stats()["notices"] == 0


def test_logging_in_again_with_the_saved_proxy_keeps_its_password(
        county: CountyServer, store: Store, no_keyring: Path) -> None:
    """The window shows the setting without the password; 连接 again must not lose it."""
    with ForwardProxy(auth=("u", PASSWORD)) as proxy:
        typed = f"http://u:{PASSWORD}@127.0.0.1:{proxy.port}"
        exchange.login(store, county.url, county.token(), proxy=typed)
        shown = store.get_setting("sync.proxy") or ""
        exchange.login(store, county.url, county.token(), proxy=shown)
        assert credentials.proxy_with_password(shown) == typed
        # Another proxy: the old one's password is forgotten.
        exchange.login(store, county.url, county.token(), proxy="")
    assert credentials.load(credentials.PROXY_KEY + shown) == ""
    assert store.get_setting("sync.proxy") == ""


@pytest.mark.parametrize(("typed", "setting", "password"), [
    ("http://u:secretpw@10.0.0.1:3128", "http://u@10.0.0.1:3128", "secretpw"),
    ("u:p%40ss@10.0.0.1:3128", "http://u@10.0.0.1:3128", "p%40ss"),
    ("http://:only@10.0.0.1:3128", "http://10.0.0.1:3128", "only"),
    ("http://u@10.0.0.1:3128", "http://u@10.0.0.1:3128", ""),
    ("10.0.0.1:8080", "10.0.0.1:8080", ""),
])
def test_a_typed_proxy_splits_into_the_setting_and_the_password(
        typed: str, setting: str, password: str) -> None:
    assert credentials.split_proxy(typed) == (setting, password)
