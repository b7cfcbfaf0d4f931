"""The desk as one window: pages built when first needed, one hook for "the desk changed"."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from test_county_cli import serve_process  # noqa: E402, F401  (fixture)
from test_sync_e2e import token_for  # noqa: E402
from test_ui_sync import approve_one  # noqa: E402
from tests_support import approve_step

from app.desk import open_desk  # noqa: E402
from app.notices import drafts, review  # noqa: E402
from app.sync import exchange  # noqa: E402
from ui.main_window import NAV  # noqa: E402
from ui.page import Page  # noqa: E402
from ui.tasks import Changes  # noqa: E402

pytest_plugins = ["conftest_ui"]
ROOT = Path(__file__).resolve().parents[1]
WAIT = 20_000
#: What the first screen must not wait for: the other pages and the libraries behind them.
NOT_AT_START = ("ui.catalog_page", "ui.notices_page", "ui.print_dialog", "ui.sync_page",
                "ui.ledger_page", "ui.charts", "ui.settings_page", "openpyxl", "reportlab",
                "pypdfium2", "httpx", "docx", "sqlite_utils", "keyring")


def test_the_first_screen_builds_only_the_dashboard(window) -> None:
    assert window.built() == ("工作台",)
    window.show_page("台账")
    assert window.built() == ("工作台", "台账")
    assert window.pages.currentWidget() is window.ledger
    assert window.pages.count() == len(NAV)


def test_the_first_screen_imports_none_of_the_other_pages(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GONGKAI_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "ui.launch", "gui",
                           "--smoke"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and "ready in" in done.stdout, done.stderr[-2000:]
    imported = set(re.findall(r"\|\s+([\w.]+)$", done.stderr, re.MULTILINE))
    assert "ui.dashboard_page" in imported  # the measure works
    assert not imported & set(NOT_AT_START), sorted(imported & set(NOT_AT_START))


def test_the_window_wires_no_refresh_between_pages() -> None:
    source = (ROOT / "ui" / "main_window.py").read_text(encoding="utf-8")
    assert ".changed.connect" not in source and ".refresh)" not in source


class Reader(Page):
    """A page a later issue might add: it shows requests, and counts its reads."""

    cares = Changes.REQUESTS

    def __init__(self, runner) -> None:
        super().__init__(runner)
        self.reads = 0

    def refresh(self) -> None:
        self.reads += 1


def test_a_new_page_reads_again_what_it_shows_with_no_wiring(window, qtbot) -> None:
    page = Reader(window.runner)
    nothing = lambda _store: None  # noqa: E731
    with qtbot.waitSignal(window.runner.desk_changed, timeout=WAIT):
        window.runner.run(nothing, lambda _r: None, changes=Changes.NOTICES)
    assert page.reads == 0  # notices are not what it shows
    with qtbot.waitSignal(window.runner.desk_changed, timeout=WAIT):
        window.runner.run(nothing, lambda _r: None, changes=Changes.REQUESTS | Changes.COUNTY)
    assert page.reads == 1
    # What it started itself it refreshes as it sees fit: it hears "changed" instead.
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        window.runner.run(nothing, lambda _r: None, changes=Changes.REQUESTS, origin=page)
    assert page.reads == 1


def test_an_approval_reaches_the_sync_page_and_the_dashboard(configured_window, qtbot) -> None:
    window = configured_window
    sync = window.sync
    qtbot.waitUntil(lambda: sync.queued.text() == "0 条", timeout=WAIT)
    with open_desk(window.folder) as store:
        review.set_review_steps(store, 1)
        notice = drafts.create_notice(store, "shjz-002", formed="2026-11-20")
    with qtbot.waitSignal(window.runner.desk_changed, timeout=WAIT):
        window.runner.run(lambda s: approve_step(s, notice.id, "王明"), lambda _r: None,
                          changes=Changes.NOTICES)
    # Neither page was asked to refresh: each read again because it shows notices.
    qtbot.waitUntil(lambda: sync.queued.text() == "1 条", timeout=WAIT)
    lines = window.dashboard.due_list
    qtbot.waitUntil(lambda: any(lines.topLevelItem(i).text(0) == "未报送县级平台"
                                for i in range(lines.topLevelItemCount())), timeout=WAIT)


def test_the_window_syncs_on_its_own_while_something_waits(
        configured_window, serve_process, qtbot, monkeypatch) -> None:  # noqa: F811
    window = configured_window
    monkeypatch.setenv(exchange.TOKEN_ENV, token_for(str(serve_process["db"])))
    serve_process["start"]()
    with open_desk(window.folder) as store:
        store.set_settings({"sync.server": f"http://127.0.0.1:{serve_process['port']}"})
    approve_one(window.folder)
    assert window.auto_sync.isActive() and "同步" not in window.built()
    window.auto_sync.timeout.emit()  # what the ten-minute timer does
    page = window.sync
    qtbot.waitUntil(lambda: "同步完成：报送 1 条" in page.done.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: page.queued.text() == "0 条", timeout=WAIT)
