"""The editor never loses a word, never approves an older text, and offers what the CLI allows."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from tests_support import approve_step  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.facts import REVIEW_CHECKLIST  # noqa: E402
from app.notices import actions, boards, drafts, review  # noqa: E402
from app.sync import outbox  # noqa: E402
from app.sync.protocol import BatchReceipt, Reply  # noqa: E402
from ui import notices_page  # noqa: E402

pytestmark = pytest.mark.usefixtures("pinned_today")
pytest_plugins = ["conftest_ui"]
WAIT = 10_000
ROSTER = "\n一、初审对象名单：\n序号\t姓名\t家庭人口\t拟保障金额\n1\t张桂兰\t3\t1260\n"


def _open(window, qtbot, notice_id: str):
    window.show_page("公开信息")
    page = window.notices
    page.open_notice(notice_id)
    qtbot.waitUntil(lambda: page.state is not None and page.state.notice.id == notice_id,
                    timeout=WAIT)
    return page


def _notice(folder, status: str, returned: bool = False) -> str:
    """A notice brought to ``status`` the way the clerk would (and returned by the county)."""
    with open_desk(folder) as store:
        n = drafts.create_notice(store, "shjz-002", formed="2026-11-20")
        if status != "draft":
            for reviewer in ("王明", "李华", "赵强"):
                approve_step(store, n.id, reviewer)
        if status == "published":
            boards.post(store, n.id, "镇政务公开栏", "2026-11-21")
        if status == "withdrawn":
            drafts.withdraw(store, n.id, "重复发布")
        if returned:  # sent in a batch, which the county answered with a return
            for batch in outbox.form_batches(store):
                outbox.record_receipt(store, BatchReceipt(batch, False, [
                    Reply(n.id, "returned", reason="照片不清楚，请重拍", seq=1)]))
        return n.id


def _reviewer_answers(monkeypatch, names):
    """The review dialog, answered by one reviewer after another, every item confirmed."""
    names = iter(names)

    def accept(dialog) -> int:
        dialog.reviewer.setCurrentText(next(names))
        for box in dialog.checks.values():
            box.setChecked(True)
        dialog.override.setText("名单另附")
        assert not dialog.problem(), dialog.problem()
        return notices_page.ReviewDialog.DialogCode.Accepted

    monkeypatch.setattr(notices_page.ReviewDialog, "exec", accept)


@pytest.mark.parametrize(("status", "returned"), [
    ("draft", False), ("approved", False), ("approved", True), ("published", False),
    ("published", True), ("withdrawn", False)])
def test_the_editor_enables_exactly_what_the_table_allows(configured_window, qtbot, status,
                                                          returned) -> None:
    nid = _notice(configured_window.folder, status, returned)
    page = _open(configured_window, qtbot, nid)
    enabled = {a for a, button in page.action_buttons.items() if button.isEnabled()}
    assert enabled == set(actions.allowed(status))
    assert set(page.action_buttons) == set(actions.ACTIONS)
    assert page.body_edit.isReadOnly() == ("edit" not in actions.allowed(status))
    if returned:
        assert "照片不清楚" in page.county.text() and "修改后重新报审" in page.county.text()


def test_approving_with_unsaved_edits_saves_first_and_approves_the_new_text(
        configured_window, qtbot, monkeypatch) -> None:
    nid = _notice(configured_window.folder, "draft")
    page = _open(configured_window, qtbot, nid)
    page.body_edit.setPlainText(page.body_edit.toPlainText() + ROSTER)  # pasted, not saved
    assert page.dirty() and "未保存" in page.heading.text()
    monkeypatch.setattr(notices_page.NoticesPage, "ask_unsaved", lambda _p: "save")
    _reviewer_answers(monkeypatch, ["王明"])
    page.review_step(returning=False)
    qtbot.waitUntil(lambda: "初审通过" in page.message.text(), timeout=WAIT)
    with open_desk(configured_window.folder) as store:
        steps = review.review_history(store, nid)
        current = drafts.get_notice(store, nid)
    assert current.rev == 2 and "张桂兰" in current.body
    assert [(s["step_name"], s["rev"], s["valid"]) for s in steps] == [("初审", 2, True)]


def test_approving_after_不保存_approves_the_saved_text_and_取消_records_nothing(
        configured_window, qtbot, monkeypatch) -> None:
    nid = _notice(configured_window.folder, "draft")
    page = _open(configured_window, qtbot, nid)
    saved = page.body_edit.toPlainText()
    page.body_edit.setPlainText(saved + ROSTER)
    monkeypatch.setattr(notices_page.NoticesPage, "ask_unsaved", lambda _p: "cancel")
    _reviewer_answers(monkeypatch, ["王明", "李华"])
    page.review_step(returning=False)
    assert page.dirty() and page.body_edit.toPlainText() == saved + ROSTER  # kept, nothing done
    monkeypatch.setattr(notices_page.NoticesPage, "ask_unsaved", lambda _p: "discard")
    page.review_step(returning=False)
    qtbot.waitUntil(lambda: "初审通过" in page.message.text(), timeout=WAIT)
    assert page.body_edit.toPlainText() == saved
    with open_desk(configured_window.folder) as store:
        assert [s["rev"] for s in review.review_history(store, nid)] == [1]


def test_leaving_a_notice_with_unsaved_edits_asks_and_取消_stays(
        configured_window, qtbot, monkeypatch, unsaved_edits_are_dropped) -> None:
    first = _notice(configured_window.folder, "draft")
    second = _notice(configured_window.folder, "draft")
    page = _open(configured_window, qtbot, first)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=WAIT)
    page.body_edit.setPlainText("正在输入的名单" + ROSTER)
    monkeypatch.setattr(notices_page.NoticesPage, "ask_unsaved", lambda _p: "cancel")
    page.table.selectRow(page.model.row_of(second))
    assert page.state.notice.id == first and "正在输入的名单" in page.body_edit.toPlainText()
    assert page.model.notice(page.table.currentIndex().row()).id == first
    # Another page of the window, then closing it: the same question.
    configured_window.show_page("公开目录")
    assert configured_window.current_page() is page
    monkeypatch.setattr(notices_page.NoticesPage, "ask_unsaved", lambda _p: "save")
    configured_window.show_page("公开目录")
    qtbot.waitUntil(lambda: configured_window.current_page() is configured_window.catalog,
                    timeout=WAIT)
    with open_desk(configured_window.folder) as store:
        assert "正在输入的名单" in drafts.get_notice(store, first).body


def test_typing_survives_a_crash_and_is_restored_marked_as_such(
        configured_window, qtbot, data_dir) -> None:
    from conftest_ui import start_window

    nid = _notice(configured_window.folder, "draft")
    page = _open(configured_window, qtbot, nid)
    page.body_edit.setPlainText("停电前打的字" + ROSTER)
    page.keep_unsaved()  # what the timer does two seconds after the last keystroke
    qtbot.waitUntil(lambda: (data_dir / "autosave" / f"{nid}.json").exists(), timeout=WAIT)
    configured_window.runner.pool.waitForDone(WAIT)
    # A second window on the same folder is what the next start sees.
    again = start_window(qtbot, data_dir)
    restored = _open(again, qtbot, nid)
    assert "停电前打的字" in restored.body_edit.toPlainText()
    assert restored.dirty() and "已恢复" in restored.message.text()
    restored.save()
    qtbot.waitUntil(lambda: not (data_dir / "autosave" / f"{nid}.json").exists(), timeout=WAIT)
    with open_desk(data_dir) as store:
        assert "停电前打的字" in drafts.get_notice(store, nid).body
    again.runner.pool.waitForDone(WAIT)


def test_a_county_returned_posted_notice_is_revised_from_the_editor(
        configured_window, qtbot, monkeypatch) -> None:
    nid = _notice(configured_window.folder, "published", returned=True)
    page = _open(configured_window, qtbot, nid)
    assert page.body_edit.isReadOnly() and "修改后重新报审" in page.message.text()

    def reason(dialog) -> int:
        assert "照片不清楚" in dialog.reason.text()  # the county's reason, offered
        return notices_page.ReasonDialog.DialogCode.Accepted

    monkeypatch.setattr(notices_page.ReasonDialog, "exec", reason)
    page.revise()
    qtbot.waitUntil(lambda: page.state.notice.status == "draft", timeout=WAIT)
    assert not page.body_edit.isReadOnly() and page.save_button.isEnabled()
    assert page.state.notice.postings  # the old posting stays in its history
    page.body_edit.setPlainText(page.body_edit.toPlainText() + ROSTER)
    page.save()
    qtbot.waitUntil(lambda: page.state.notice.rev == 2, timeout=WAIT)
    assert "初审需重新审核" not in page.review_line.text()  # a new round: nothing to void
    _reviewer_answers(monkeypatch, ["王明", "李华", "赵强"])
    for _ in range(3):
        with qtbot.waitSignal(page.changed, timeout=WAIT):
            page.review_step(returning=False)
    qtbot.waitUntil(lambda: page.state.notice.status == "approved", timeout=WAIT)
    assert page.state.notice.sync == "queued"


def test_withdrawing_reminds_which_boards_to_clear(configured_window, qtbot,
                                                   monkeypatch) -> None:
    nid = _notice(configured_window.folder, "published")
    page = _open(configured_window, qtbot, nid)
    monkeypatch.setattr(notices_page.ReasonDialog, "exec",
                        lambda d: (d.reason.setText("公示有误"),
                                   notices_page.ReasonDialog.DialogCode.Accepted)[1])
    page.withdraw()
    qtbot.waitUntil(lambda: page.state.notice.status == "withdrawn", timeout=WAIT)
    assert "请到「镇政务公开栏」撤下" in page.message.text()
    assert not any(b.isEnabled() for b in page.action_buttons.values())


def test_a_notice_made_on_the_command_line_appears_in_the_open_window(
        configured_window, qtbot, gk) -> None:
    window = configured_window
    window.show_page("公开信息")
    notices, dashboard, sync = window.notices, window.dashboard, window.sync
    qtbot.waitUntil(lambda: notices.empty.isVisible() and window.runner.watching(), timeout=WAIT)
    made = gk.json("notice", "new", "--item", "shjz-002", "--formed", "2026-11-20")
    for reviewer in ("王明", "李华", "赵强"):
        gk("notice", "approve", made["id"], "--reviewer", reviewer,
           "--checked", ",".join(REVIEW_CHECKLIST), "--override", "名单另附")
    # Nobody presses anything: the window notices the other writer within seconds.
    qtbot.waitUntil(lambda: notices.model.row_of(made["id"]) >= 0, timeout=WAIT)
    qtbot.waitUntil(lambda: sync.queued.text() == "1 条", timeout=WAIT)

    def on_dashboard() -> bool:
        rows = [dashboard.due_list.topLevelItem(i)
                for i in range(dashboard.due_list.topLevelItemCount())]
        return any(made["title"] in r.text(1) for r in rows)

    qtbot.waitUntil(on_dashboard, timeout=WAIT)


def test_f5_ctrl_f_and_ctrl_s(configured_window, qtbot) -> None:
    nid = _notice(configured_window.folder, "draft")
    page = _open(configured_window, qtbot, nid)
    page.body_edit.setFocus()
    page.body_edit.setPlainText(page.body_edit.toPlainText() + ROSTER)
    qtbot.keyClick(page.body_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.state.notice.rev == 2 and not page.dirty(), timeout=WAIT)
    configured_window.activateWindow()
    qtbot.waitUntil(configured_window.isActiveWindow, timeout=WAIT)
    configured_window.to_search_box()
    qtbot.waitUntil(page.filter_box.hasFocus, timeout=WAIT)
    # Tab types a tab in the body; Ctrl+Tab leaves it.
    page.body_edit.setFocus()
    qtbot.waitUntil(page.body_edit.hasFocus, timeout=WAIT)
    configured_window._next_field()
    qtbot.waitUntil(lambda: not page.body_edit.hasFocus(), timeout=WAIT)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        configured_window.refresh_page()


def test_a_step_passed_before_an_edit_shows_as_void_in_the_editor(configured_window, qtbot,
                                                                  monkeypatch) -> None:
    nid = _notice(configured_window.folder, "draft")
    page = _open(configured_window, qtbot, nid)
    _reviewer_answers(monkeypatch, ["王明", "王明"])
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.review_step(returning=False)
    qtbot.waitUntil(lambda: "已通过：初审（王明，第1版）" in page.review_line.text(), timeout=WAIT)
    page.body_edit.setPlainText(page.body_edit.toPlainText() + ROSTER)
    page.save()
    qtbot.waitUntil(lambda: page.state.notice.rev == 2, timeout=WAIT)
    assert "初审需重新审核（通过的是第1版，之后已改为第2版）" in page.review_line.text()
    titles = []
    monkeypatch.setattr(notices_page.ReviewDialog, "exec",
                        lambda d: (titles.append(d.windowTitle()), 0)[1])
    page.review_step(returning=False)
    qtbot.waitUntil(lambda: bool(titles), timeout=WAIT)
    assert titles[0].startswith("初审")  # the next step is 初审 again, on 第2版


def test_the_dialog_offers_the_named_reviewers_and_one_person_passes_one_step(
        configured_window, qtbot, monkeypatch) -> None:
    with open_desk(configured_window.folder) as store:
        review.set_reviewers(store, {"初审": ["王明"], "审核": ["李华", "周敏"]})
    nid = _notice(configured_window.folder, "draft")
    page = _open(configured_window, qtbot, nid)
    offered = []
    _reviewer_answers(monkeypatch, ["王明", "王明", "王明"])
    answer = notices_page.ReviewDialog.exec

    def remember(dialog) -> int:
        offered.append([dialog.reviewer.itemText(i) for i in range(dialog.reviewer.count())])
        return answer(dialog)

    monkeypatch.setattr(notices_page.ReviewDialog, "exec", remember)
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.review_step(returning=False)
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.review_step(returning=False)
    assert offered == [["王明"], ["李华", "周敏"]]
    assert "「王明」不是设置中「审核」的审核人（李华、周敏）" in page.message.text()
    with open_desk(configured_window.folder) as store:
        review.set_reviewers(store, {})  # anyone may review now, but still one step each
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.review_step(returning=False)
    assert "「王明」已审过本轮的初审" in page.message.text()
