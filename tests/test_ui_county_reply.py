"""A notice the county returned: its reason on the 工作台, on the 同步 page and in the editor."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from test_county_cli import serve_process  # noqa: E402, F401  (fixture)
from test_sync_e2e import _county_answers, _staff_token, token_for  # noqa: E402
from test_ui_sync import approve_one  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.sync import exchange  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 20_000
REASON = "名单缺少家庭人口，请补充后重报。"


def _county_for(window, county, monkeypatch) -> tuple[str, str]:
    """Start the county, give 青石镇 a token, point the window's desk at it: (database, URL)."""
    db = str(county["db"])
    monkeypatch.setenv(exchange.TOKEN_ENV, token_for(db))
    base = f"http://127.0.0.1:{county['port']}"
    county["start"]()
    with open_desk(window.folder) as store:
        store.set_settings({"sync.server": base})
    return db, base


def test_returned_reason_shows_where_the_clerk_looks(
        configured_window, serve_process, qtbot, monkeypatch) -> None:  # noqa: F811
    window = configured_window
    db, base = _county_for(window, serve_process, monkeypatch)
    nid = approve_one(window.folder)

    window.show_page("同步")
    page = window.sync
    page.sync_now()
    qtbot.waitUntil(lambda: "同步完成：报送 1 条" in page.done.text(), timeout=WAIT)
    _county_answers(base, _staff_token(db), nid, "returned", REASON)
    page.sync_now()
    qtbot.waitUntil(lambda: "退回 1 条" in page.done.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: page.returned.count() == 1, timeout=WAIT)
    assert REASON in page.returned.item(0).text()

    dashboard = window.dashboard
    window.show_page("工作台")
    dashboard.refresh()

    def returned_line():
        rows = [dashboard.due_list.topLevelItem(i) for i in
                range(dashboard.due_list.topLevelItemCount())]
        return next((r for r in rows if r.text(0) == "县级平台退回"), None)

    qtbot.waitUntil(lambda: returned_line() is not None, timeout=WAIT)
    assert REASON.rstrip("。") in returned_line().text(3)

    window.show_page("同步")
    page.open_notice.emit(nid)  # what a double-click on the returned list does
    editor = window.notices
    qtbot.waitUntil(lambda: editor.state is not None and editor.state.notice.id == nid,
                    timeout=WAIT)
    assert REASON in editor.county.text() and not editor.county.isHidden()


def test_a_returned_posted_notice_is_revised_and_reaches_the_county_once_updated(
        configured_window, serve_process, qtbot, monkeypatch) -> None:  # noqa: F811
    import sqlite3

    from app.notices import boards
    from ui import notices_page

    window = configured_window
    db, base = _county_for(window, serve_process, monkeypatch)
    nid = approve_one(window.folder)
    with open_desk(window.folder) as store:
        boards.post(store, nid, "镇政务公开栏", "2026-11-21")
    window.show_page("同步")
    sync = window.sync
    sync.sync_now()
    qtbot.waitUntil(lambda: "同步完成：报送 1 条" in sync.done.text(), timeout=WAIT)
    reason = "名单未写明公示期起止日期，请补充后重报"
    _county_answers(base, _staff_token(db), nid, "returned", reason)
    sync.sync_now()
    qtbot.waitUntil(lambda: "退回 1 条" in sync.done.text(), timeout=WAIT)

    window.open_notice(nid)
    editor = window.notices
    qtbot.waitUntil(lambda: editor.state is not None and editor.state.notice.sync == "returned",
                    timeout=WAIT)
    assert editor.state.notice.status == "published" and editor.revise_button.isEnabled()
    monkeypatch.setattr(notices_page.ReasonDialog, "exec",
                        lambda _d: notices_page.ReasonDialog.DialogCode.Accepted)
    editor.revise()
    qtbot.waitUntil(lambda: editor.state.notice.status == "draft", timeout=WAIT)
    editor.body_edit.setPlainText(editor.body_edit.toPlainText()
                                  + "\n公示期：2026年11月23日至2026年12月1日。")
    editor.title_edit.setText("青石镇关于最低生活保障审核信息的公示（更正）")
    editor.save()
    qtbot.waitUntil(lambda: editor.state.notice.rev == 2, timeout=WAIT)
    names = iter(["王明", "李华", "赵强"])

    def accept(dialog) -> int:
        dialog.reviewer.setCurrentText(next(names))
        for box in dialog.checks.values():
            box.setChecked(True)
        dialog.override.setText("名单另附")
        return notices_page.ReviewDialog.DialogCode.Accepted

    monkeypatch.setattr(notices_page.ReviewDialog, "exec", accept)
    for _ in range(3):
        with qtbot.waitSignal(editor.changed, timeout=WAIT):
            editor.review_step(returning=False)
    qtbot.waitUntil(lambda: editor.state.notice.sync == "queued", timeout=WAIT)

    window.show_page("同步")
    sync.sync_now()
    qtbot.waitUntil(lambda: "同步完成：报送 1 条" in sync.done.text(), timeout=WAIT)
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT rev, title, state, reason FROM notices WHERE notice_id = ?",
                        (nid,)).fetchall()
    conn.close()
    assert rows == [(2, "青石镇关于最低生活保障审核信息的公示（更正）", "received", None)]
    with open_desk(window.folder) as store:
        from app.notices import drafts

        assert drafts.get_notice(store, nid).sync == "accepted"
