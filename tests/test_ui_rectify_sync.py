"""A 测评问题清单 the county publishes reaches the 整改 page with one press of 立即同步."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from test_county_cli import county_process, serve_process  # noqa: E402, F401  (fixture)
from test_rectify import xlsx_list  # noqa: E402
from test_sync_e2e import token_for  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.sync import exchange  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 20_000
TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")


def test_a_county_list_is_said_on_the_sync_page_and_listed_on_the_rectify_page(
        configured_window, serve_process, qtbot, monkeypatch, tmp_path) -> None:  # noqa: F811
    window = configured_window
    db = str(serve_process["db"])
    monkeypatch.setenv(exchange.TOKEN_ENV, token_for(db))
    serve_process["start"]()
    with open_desk(window.folder) as store:
        store.set_settings({"sync.server": f"http://127.0.0.1:{serve_process['port']}"})
    published = county_process("problems", "publish", "--township", "青石镇",
                               str(xlsx_list(tmp_path / "清单.xlsx")), "--title", "第三季度测评",
                               "--received", "2026-11-16", "--db", db)
    assert published.returncode == 0, published.stderr

    window.show_page("整改")
    page = window.page("整改")
    qtbot.waitUntil(lambda: "导入县里发来的测评问题清单后" in page.detail.text(), timeout=WAIT)
    window.show_page("同步")
    window.sync.sync_now()
    qtbot.waitUntil(lambda: "收到县里的问题清单1份，已列入整改页。" in window.sync.done.text(),
                    timeout=WAIT)
    window.show_page("整改")
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 3, timeout=WAIT)
    first = page.tree.topLevelItem(0)
    assert (first.text(0), first.text(1), first.text(3)) == ("ZG1-01", "第三季度测评",
                                                             "2026-11-23")
