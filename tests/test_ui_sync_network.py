"""同步 page's 立即同步 against the real county server, on a good, a failing and a stalled network.

The real ``gongkai-county serve`` runs on 127.0.0.1; for the bad cases the
fault relay of ``net_support`` stands in front of it. Only the page's public
face is used: ``sync_now``, its labels, its buttons and its progress bar.
While a sync runs the UI thread must keep ticking; a failure is one red
sentence, 立即同步 comes back, nothing queued is lost, and the next
立即同步 after the network heals puts each notice on the county once.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from net_support import CountyServer, Relay, county_serving  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from tests_support import fill_outbox  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.sync import exchange, http_client  # noqa: E402
from app.sync.http_client import RetryPolicy  # noqa: E402

pytestmark = pytest.mark.usefixtures("pinned_today")

pytest_plugins = ["conftest_ui"]
WAIT = 15_000
RED = "#b00020"
#: Two attempts with a short read timeout: a stalled county is given up in about a second.
QUICK = RetryPolicy(attempts=2, base=0.01, cap=0.02)
READ_TIMEOUT = 0.5
FAILURES = {"500": "县级平台暂时出错，已保留待报送内容，稍后会自动重试。",
            "stall": "县级平台长时间没有响应，已保留待报送内容，稍后会自动重试。"}


@pytest.fixture
def county(tmp_path: Path) -> Iterator[CountyServer]:
    """``gongkai-county serve`` over plain http."""
    with county_serving(tmp_path / "county") as server:
        yield server


@pytest.fixture
def relay(county: CountyServer) -> Iterator[Relay]:
    """The fault relay in front of the county, passing through to begin with."""
    with Relay(county.port) as r:
        yield r


@pytest.fixture
def quick_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shorter patience for every client the page makes: two attempts, 0.5 s reads.

    The defaults (six attempts, 30 s reads) are right for a township's line but
    would make a stalled county take minutes here. Same settings, same token,
    same real client and sockets: only the patience is shorter.
    """
    monkeypatch.setattr(http_client, "DEFAULT_RETRY", QUICK)
    monkeypatch.setattr(http_client, "READ_TIMEOUT", READ_TIMEOUT)
    monkeypatch.setattr(http_client, "CONNECT_TIMEOUT", 2.0)


def queue_for(window, county: CountyServer, url: str, monkeypatch: pytest.MonkeyPatch,
              qtbot) -> tuple[object, list[str]]:
    """Three approved notices (one with a photo) queued for ``url``; the 同步 page showing them."""
    with open_desk(window.folder) as store:
        ids = fill_outbox(store, 3, 1)
        store.set_settings({"sync.server": url})
    monkeypatch.setenv(exchange.TOKEN_ENV, county.token())
    window.show_page("同步")
    page = window.sync
    page.refresh()  # an earlier answer (from the window's first load) may still arrive first
    qtbot.waitUntil(lambda: page.queued.text() == "3 条" and page.server_label.text() == url,
                    timeout=WAIT)
    return page, ids


def ticking() -> tuple[list[float], QTimer]:
    """A 10 ms timer on the UI thread that notes when it fired."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    return ticks, timer


def longest_gap(ticks: list[float]) -> float:
    """The longest the UI thread went without running its timer."""
    assert len(ticks) > 5, "the timer hardly ran"
    return max(b - a for a, b in zip(ticks, ticks[1:], strict=False))


def finished_ok(page, qtbot, notices: int) -> None:
    """Wait for 同步完成 with ``notices`` sent, and for the page to show the queue empty."""
    qtbot.waitUntil(lambda: page.done.text().startswith("同步完成"), timeout=WAIT)
    assert page.done.text().startswith(f"同步完成：报送 {notices} 条")
    assert RED not in page.done.styleSheet()
    assert page.sync_button.isEnabled() and not page.progress.isVisible()
    qtbot.waitUntil(lambda: (page.queued.text(), page.in_flight.text()) == ("0 条", "0 条"),
                    timeout=WAIT)
    assert page.error.text() == ""


def test_sync_now_sends_the_queue_to_the_county_with_the_progress_bar_showing(
        county: CountyServer, configured_window, qtbot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    page, _ids = queue_for(configured_window, county, county.url, monkeypatch, qtbot)
    seen: list[tuple[int, bool]] = []
    page.progress.valueChanged.connect(lambda v: seen.append((v, page.progress.isVisible())))
    ticks, timer = ticking()
    page.sync_now()
    assert page.progress.isVisible() and not page.sync_button.isEnabled()
    finished_ok(page, qtbot, 3)
    timer.stop()
    # The bar counted the three notices while it was on screen.
    assert (3, True) in seen and all(visible for _v, visible in seen)
    assert longest_gap(ticks) < 0.25
    figures = county.stats()
    assert (figures["notices"], figures["batches"], figures["attachments"]) == (3, 1, 1)


@pytest.mark.parametrize("mode", ["500", "stall"])
def test_a_failing_or_stalled_county_is_one_red_sentence_and_the_next_sync_completes(
        mode: str, county: CountyServer, relay: Relay, quick_client: None, configured_window,
        qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    page, _ids = queue_for(configured_window, county, relay.url, monkeypatch, qtbot)
    relay.set_mode(mode)
    ticks, timer = ticking()
    started = time.monotonic()
    page.sync_now()
    assert page.progress.isVisible() and not page.sync_button.isEnabled()
    qtbot.waitUntil(lambda: page.sync_button.isEnabled(), timeout=WAIT)
    elapsed = time.monotonic() - started
    # A quick 500 can be over in 50 ms: keep ticking a little so the gap is measured
    # over enough ticks to mean something.
    qtbot.wait(100)
    timer.stop()
    assert longest_gap(ticks) < 0.25  # the UI thread never waited on the network
    message = FAILURES[mode]
    assert page.done.text() == message and RED in page.done.styleSheet()
    assert not page.progress.isVisible()
    assert len(relay.requests) == QUICK.attempts
    if mode == "stall":
        assert QUICK.attempts * READ_TIMEOUT <= elapsed < QUICK.attempts * READ_TIMEOUT + 3
    # Nothing lost: the three notices wait, frozen in their batch, and the county has none.
    qtbot.waitUntil(lambda: page.in_flight.text() == "3 条", timeout=WAIT)
    assert page.queued.text() == "0 条" and page.error.text() == f"上次出错：{message}"
    assert county.stats()["notices"] == 0

    relay.set_mode("pass")
    page.sync_now()
    finished_ok(page, qtbot, 3)
    figures = county.stats()
    assert (figures["notices"], figures["batches"], figures["attachments"]) == (3, 1, 1)


def test_stop_ends_a_stalled_sync_soon_and_keeps_the_queue(
        county: CountyServer, relay: Relay, configured_window, qtbot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A patient client: six attempts of 1 s reads would keep the page busy for 6 s or more.
    monkeypatch.setattr(http_client, "DEFAULT_RETRY", RetryPolicy(attempts=6, base=0.5, cap=1))
    monkeypatch.setattr(http_client, "READ_TIMEOUT", 1.0)
    page, _ids = queue_for(configured_window, county, relay.url, monkeypatch, qtbot)
    relay.set_mode("stall")
    page.sync_now()
    assert page.stop_button.isVisible() and page.stop_button.isEnabled()
    qtbot.waitUntil(lambda: len(relay.requests) >= 1, timeout=WAIT)
    started = time.monotonic()
    page.stop()
    assert page.done.text() == "正在停止……" and not page.stop_button.isEnabled()
    assert not page.sync_button.isEnabled()  # no second sync while the first winds down
    qtbot.waitUntil(lambda: page.sync_button.isEnabled(), timeout=WAIT)
    assert time.monotonic() - started < 1.5  # at most the read already on the wire
    assert page.done.text() == "已停止同步，待报送内容都还在，下次同步会接着报送。"
    assert RED not in page.done.styleSheet() and not page.stop_button.isVisible()
    qtbot.waitUntil(lambda: page.in_flight.text() == "3 条", timeout=WAIT)
    assert page.error.text() == ""  # stopping is not an error

    relay.set_mode("pass")
    page.sync_now()
    finished_ok(page, qtbot, 3)
    assert county.stats()["notices"] == 3
