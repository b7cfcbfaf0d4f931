"""The township's sync client on bad networks and special connections, for real, on 127.0.0.1.

Every test runs the real ``gongkai-county serve`` process and talks to it
over real sockets: through TLS signed by the county's own CA, through a
forward proxy, and through a relay that answers 500, stalls, or cuts the
county's answer short. Each failure must be one Chinese sentence, retried
as the retry policy says (or not at all when retrying cannot help), leave
the outbox waiting, and the next push after the network heals must put
each notice on the county once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from net_support import CountyServer, ForwardProxy, Relay, TlsFiles, county_serving, make_tls
from tests_support import fill_outbox

from app.county.cli import main as county_main
from app.notices import drafts
from app.store import Store
from app.sync import credentials, exchange, outbox
from app.sync.http_client import Connection, CountyClient, RetryPolicy, SyncError

pytestmark = pytest.mark.usefixtures("pinned_today")
pytest_plugins = ["keyring_support"]

ROOT = Path(__file__).resolve().parents[1]

#: Patient enough to show the retries, quick enough for a test.
QUICK = RetryPolicy(attempts=3, base=0.01, cap=0.02)
SERVER_ERROR = "县级平台暂时出错，已保留待报送内容，稍后会自动重试。"
STALLED = "县级平台长时间没有响应，已保留待报送内容，稍后会自动重试。"
UNREACHABLE = "连不上县级平台，已保留待报送内容，网络恢复后会自动重试。"


@pytest.fixture
def tls(tmp_path: Path) -> TlsFiles:
    """The county's private CA and its server certificate for 127.0.0.1."""
    return make_tls(tmp_path / "tls")


@pytest.fixture
def county(tmp_path: Path) -> Iterator[CountyServer]:
    """``gongkai-county serve`` over plain http."""
    with county_serving(tmp_path / "county") as server:
        yield server


@pytest.fixture
def tls_county(tmp_path: Path, tls: TlsFiles) -> Iterator[CountyServer]:
    """``gongkai-county serve --tls-cert --tls-key`` with a certificate of the private CA."""
    with county_serving(tmp_path / "county", tls) as server:
        yield server


@pytest.fixture
def relay(county: CountyServer) -> Iterator[Relay]:
    """The fault relay in front of the plain-http county, passing through to begin with."""
    with Relay(county.port) as r:
        yield r


def one_sentence(text: str) -> str:
    """``text``, checked to be one plain Chinese sentence (no trace, no second line)."""
    assert "\n" not in text and "Error" not in text and "Traceback" not in text, text
    assert text.endswith("。") and text.count("。") == 1, text
    return text


def outbox_ids(store: Store) -> set[str]:
    """The notices in the outbox, frozen in a batch or not."""
    return {r["notice_id"] for r in store.query("SELECT notice_id FROM outbox")}


def assert_waiting(store: Store, ids: list[str], message: str) -> None:
    """Nothing lost and nothing taken as received: one pending batch holds every notice."""
    assert outbox_ids(store) == set(ids)
    [pending] = outbox.pending_batches(store)
    assert (pending.notices, pending.attempts, pending.last_error) == (len(ids), 1, message)
    status = outbox.sync_status(store)
    assert (status.queued, status.in_flight, status.last_ok) == (0, len(ids), "")
    assert status.last_error == message
    assert "accepted" not in {drafts.get_notice(store, i).sync for i in ids}


def assert_landed_once(store: Store, county: CountyServer, ids: list[str],
                       attachments: int) -> None:
    """The county holds each notice once, in one batch; the township's outbox is empty."""
    figures = county.stats()
    assert (figures["notices"], figures["batches"], figures["attachments"]) == \
        (len(ids), 1, attachments), figures
    assert not outbox.pending_batches(store) and not outbox_ids(store)
    assert {drafts.get_notice(store, i).sync for i in ids} == {"accepted"}


# -- TLS ----------------------------------------------------------------------------------


def test_https_county_without_its_ca_is_one_sentence_about_the_certificate_and_no_retry(
        tls_county: CountyServer, store: Store, gk, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ids = fill_outbox(store, 3, 1)
    token = tls_county.token()
    sleeps: list[float] = []
    with CountyClient(Connection(tls_county.url, token), RetryPolicy(attempts=6),
                      sleep=sleeps.append) as client, pytest.raises(SyncError) as refused:
        exchange.push(store, client)
    message = one_sentence(str(refused.value))
    assert "证书无法验证" in message and "CA 证书" in message and "连不上" not in message
    assert sleeps == []  # retrying cannot fix a certificate: asked once, answered at once
    # What the 同步 page shows as 上次出错 names the button, not the command.
    shown = one_sentence(refused.value.window)
    assert "「连接设置…」" in shown and "gongkai" not in shown
    assert_waiting(store, ids, shown)
    # A CA file that is not the county's: the same refusal, pointing at the file and address.
    other = make_tls(tmp_path / "other-ca")
    with CountyClient(Connection(tls_county.url, token, ca_cert=str(other.ca_cert)),
                      RetryPolicy(attempts=6), sleep=sleeps.append) as client, \
            pytest.raises(SyncError) as mismatch:
        client.hello()
    assert "所填的 CA 证书" in one_sentence(str(mismatch.value)) and sleeps == []
    # The command line says the same sentence on stderr and exits 1.
    monkeypatch.setenv(exchange.TOKEN_ENV, token)
    store.set_settings({"sync.server": tls_county.url})
    pushed = gk("sync", "push", check=False)
    assert pushed.returncode == 1 and pushed.stderr.strip() == message
    assert tls_county.stats()["notices"] == 0


def test_https_county_with_its_ca_from_cli_login_takes_the_push(
        tls_county: CountyServer, tls: TlsFiles, store: Store, gk,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ids = fill_outbox(store, 3, 1)
    monkeypatch.setenv(exchange.TOKEN_ENV, tls_county.token())
    refused = gk("sync", "login", "--server", tls_county.url, check=False)
    assert refused.returncode == 1 and "证书无法验证" in refused.stderr
    # Typed relative to where the clerk stands (gk runs in the repository); kept whole.
    typed = os.path.relpath(tls.ca_cert, ROOT)
    logged = gk("sync", "login", "--server", tls_county.url, "--ca-cert", typed)
    assert "已登录县级平台" in logged.stdout and "青石镇" in logged.stdout
    assert store.get_setting("sync.ca_cert") == str(tls.ca_cert.resolve())
    report = gk.json("sync", "push")
    assert (report["batches"], report["notices"], report["attachments"]) == (1, 3, 1)
    assert_landed_once(store, tls_county, ids, attachments=1)


def test_serve_refuses_half_or_mismatched_tls_settings_in_one_sentence(
        tmp_path: Path, tls: TlsFiles, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "county.sqlite3")
    other = make_tls(tmp_path / "other")
    cert = ["--tls-cert", str(tls.server_cert)]
    for extra, says in ((cert, "要一起给出"),
                        ([*cert, "--tls-key", str(tmp_path / "nope.pem")], "找不到证书文件"),
                        ([*cert, "--tls-key", str(other.server_key)], "不是一对")):
        with pytest.raises(SystemExit) as stop:
            county_main(["serve", "--db", db, "--port", "0", *extra])
        assert stop.value.code == 1
        assert says in one_sentence(capsys.readouterr().err.strip())


# -- no system keyring --------------------------------------------------------------------


def test_without_a_keyring_the_token_is_kept_encrypted_and_a_new_process_pushes_with_it(
        county: CountyServer, store: Store, gk, no_keyring: Path) -> None:
    ids = fill_outbox(store, 2, 0)
    token = county.token()
    hello = exchange.login(store, county.url, token)
    assert hello["token_kept"] == "encrypted_file"
    # Another process (the real command line, same user, no keyring either) reads it back.
    report = gk.json("sync", "push")
    assert (report["batches"], report["notices"]) == (1, 2)
    assert_landed_once(store, county, ids, attachments=0)
    # On disk: the token nowhere in plain text, both files for this user only.
    files = sorted(p.name for p in no_keyring.iterdir())
    assert files == sorted([credentials.KEY_FILE, credentials.LOCK_FILE, credentials.TOKENS_FILE])
    for name in files:
        data = (no_keyring / name).read_bytes()
        assert token.encode() not in data and token[:12].encode() not in data
        assert (no_keyring / name).stat().st_mode & 0o777 == 0o600
    assert no_keyring.stat().st_mode & 0o777 == 0o700
    assert credentials.load(county.url) == token


def test_the_kept_token_does_not_open_on_another_machine(
        no_keyring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert credentials.save("https://gk.example.gov.cn", "t0ken-of-qingshi") \
        is credentials.Kept.ENCRYPTED_FILE
    assert credentials.load("https://gk.example.gov.cn") == "t0ken-of-qingshi"
    assert credentials.load("https://other.example.gov.cn") == ""
    # Both files copied to another PC: its machine id derives another key.
    monkeypatch.setattr(credentials, "machine_id", lambda: b"another-pc")
    assert credentials.load("https://gk.example.gov.cn") == ""


# -- proxy --------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_proxy_setting_carries_the_push(scheme: str, tmp_path: Path, store: Store,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    tls = make_tls(tmp_path / "tls") if scheme == "https" else None
    with county_serving(tmp_path / "county", tls) as county, ForwardProxy() as proxy:
        ids = fill_outbox(store, 3, 1)
        monkeypatch.setenv(exchange.TOKEN_ENV, county.token())
        # Over http the proxy is given as a clerk types it, without http://.
        setting = proxy.url if tls else f"127.0.0.1:{proxy.port}"
        store.set_settings({"sync.server": county.url, "sync.proxy": setting,
                            "sync.ca_cert": str(tls.ca_cert) if tls else ""})
        with exchange.connect(store) as client:
            assert exchange.push(store, client).notices == 3
        where = f"127.0.0.1:{county.port}"
        if tls:
            # https goes through a CONNECT tunnel: the proxy sees where, never what.
            assert proxy.log and {(e.method, e.host) for e in proxy.log} == {("CONNECT", where)}
        else:
            assert {e.host for e in proxy.log} == {where}
            paths = proxy.paths()
            assert paths[0] == "/api/v1/blobs/missing"
            assert any(p.startswith("/api/v1/blobs/") and p != paths[0] for p in paths)
            assert paths[-1].startswith("/api/v1/batches/")
        assert_landed_once(store, county, ids, attachments=1)


# -- a county that fails, stalls or is cut off --------------------------------------------


def test_http_500_is_retried_then_one_sentence_and_the_outbox_waits(
        county: CountyServer, relay: Relay, store: Store) -> None:
    ids = fill_outbox(store, 3, 1)
    token = county.token()
    relay.set_mode("500")
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    with CountyClient(Connection(relay.url, token), QUICK, sleep) as client, \
            pytest.raises(SyncError) as failed:
        exchange.push(store, client)
    assert one_sentence(str(failed.value)) == SERVER_ERROR
    assert relay.requests == ["POST /api/v1/blobs/missing HTTP/1.1"] * QUICK.attempts
    assert len(sleeps) == QUICK.attempts - 1
    assert_waiting(store, ids, SERVER_ERROR)
    assert county.stats()["notices"] == 0

    relay.set_mode("pass")
    with CountyClient(Connection(relay.url, token), QUICK) as client:
        report = exchange.push(store, client)
    assert (report.batches, report.notices, report.attachments, report.replayed) == (1, 3, 1, 0)
    assert_landed_once(store, county, ids, attachments=1)


def test_a_stalled_county_is_given_up_in_bounded_time_then_sent_once(
        county: CountyServer, relay: Relay, store: Store) -> None:
    ids = fill_outbox(store, 3, 1)
    token = county.token()
    relay.set_mode("stall")
    patient = Connection(relay.url, token, connect_timeout=2.0, read_timeout=0.4)
    started = time.monotonic()
    with CountyClient(patient, QUICK) as client, pytest.raises(SyncError) as failed:
        exchange.push(store, client)
    elapsed = time.monotonic() - started
    assert one_sentence(str(failed.value)) == STALLED
    # It really waited for each attempt, and no longer than the attempts allow.
    assert QUICK.attempts * 0.4 <= elapsed < QUICK.attempts * 0.4 + 1.5, elapsed
    assert relay.requests == ["POST /api/v1/blobs/missing HTTP/1.1"] * QUICK.attempts
    assert_waiting(store, ids, STALLED)

    relay.set_mode("pass")
    with CountyClient(patient, QUICK) as client:
        assert exchange.push(store, client).notices == 3
    assert_landed_once(store, county, ids, attachments=1)


def test_an_answer_cut_after_the_county_stored_the_batch_is_resent_and_counted_once(
        county: CountyServer, relay: Relay, store: Store) -> None:
    ids = fill_outbox(store, 3, 0)  # no photos: the first request is the batch itself
    token = county.token()
    relay.set_mode("cut", cut_after=20)  # "HTTP/1.1 200 OK\r\n" and a little more
    with CountyClient(Connection(relay.url, token), QUICK) as client, \
            pytest.raises(SyncError) as failed:
        exchange.push(store, client)
    assert one_sentence(str(failed.value)) == UNREACHABLE
    assert relay.connections == QUICK.attempts
    # The county did the work every time (once); the township never heard, so it waits.
    assert (county.stats()["notices"], county.stats()["batches"]) == (3, 1)
    assert_waiting(store, ids, UNREACHABLE)

    relay.set_mode("pass")
    with CountyClient(Connection(relay.url, token), QUICK) as client:
        report = exchange.push(store, client)
    assert (report.notices, report.replayed) == (3, 1)  # the county's stored receipt
    assert_landed_once(store, county, ids, attachments=0)
