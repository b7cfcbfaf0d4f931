"""同步 page: a catalog revision from the real county server is previewed, then applied."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from test_county_cli import county_process, serve_process  # noqa: E402, F401  (fixture)
from test_sync_catalog import county_revision  # noqa: E402

from app.catalog.items import list_items  # noqa: E402
from app.desk import open_desk  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 20_000


def social_items(folder) -> dict[str, dict]:
    with open_desk(folder) as store:
        return {i.id: i.to_json() for i in list_items(store, "社会救助")}


def test_revision_from_the_county_is_shown_before_it_changes_the_catalog(
        configured_window, serve_process, qtbot, monkeypatch, tmp_path) -> None:  # noqa: F811
    folder = configured_window.folder
    db = str(serve_process["db"])
    monkeypatch.setenv("GONGKAI_COUNTY_TOKEN",
                       county_process("token", "add", "青石镇", "--db", db).stdout.split()[0])
    facts = county_revision(folder, tmp_path / "rev.json")
    assert county_process("catalog", "load", str(tmp_path / "rev.json"), "--db", db).returncode == 0
    serve_process["start"]()
    with open_desk(folder) as store:
        store.set_settings({"sync.server": f"http://127.0.0.1:{serve_process['port']}"})
    before = social_items(folder)

    window = configured_window
    window.show_page("同步")
    page = window.sync
    page.refresh()
    page.sync_now()
    qtbot.waitUntil(lambda: "县里发来目录第1版" in page.done.text(), timeout=WAIT)
    qtbot.waitUntil(page.offer_box.isVisible, timeout=WAIT)
    assert "第1版" in page.offer_label.text()
    assert social_items(folder) == before  # pulled, not applied

    page.review_catalog()
    qtbot.waitUntil(lambda: page.catalog_dialog is not None, timeout=WAIT)
    dialog = page.catalog_dialog
    qtbot.waitUntil(lambda: dialog.report is not None or bool(dialog.error), timeout=WAIT)
    assert dialog.error == "" and dialog.replace.isChecked()
    assert "将新增 1 项、更新 1 项、停用 1 项" in dialog.info.text()
    shown = [dialog.tree.topLevelItem(0).child(n) for n in
             range(dialog.tree.topLevelItem(0).childCount())]
    actions = {c.text(2): c.text(1) for c in shown}
    assert actions[facts["changed"]] == "更新（公开时限）"
    assert actions[facts["dropped"]] == "停用"
    assert dialog.ok.text() == "采用" and dialog.ok.isEnabled()
    assert social_items(folder) == before  # the preview wrote nothing

    with qtbot.waitSignal(dialog.imported, timeout=WAIT):
        dialog.confirm()
    after = social_items(folder)
    assert facts["dropped"] not in after
    assert after[facts["changed"]]["time_limit"] == "信息形成或变更之日起10个工作日内"
    qtbot.waitUntil(lambda: not page.offer_box.isVisible(), timeout=WAIT)
    assert "已采用" in page.done.text()
