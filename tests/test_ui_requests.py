"""依申请公开 page: register a request, move its clock, answer it; 工作台 lines lead to it."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QDate  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.info_requests import cases  # noqa: E402
from ui import requests_page  # noqa: E402

pytestmark = pytest.mark.usefixtures("pinned_today")

pytest_plugins = ["conftest_ui"]
WAIT = 20_000


def answer_dialogs_with(monkeypatch: pytest.MonkeyPatch, fill) -> None:
    """Make every dialog of the page accept at once after ``fill(dialog)``."""
    for name in ("RegisterDialog", "StepDialog", "AnswerDialog"):
        original = getattr(requests_page, name)

        class Filled(original):  # type: ignore[misc, valid-type]
            def exec(self) -> int:  # noqa: A003
                fill(self)
                return 1

        monkeypatch.setattr(requests_page, name, Filled)


def test_register_extend_and_answer_from_the_page(configured_window, qtbot, monkeypatch) -> None:
    window = configured_window
    window.show_page("依申请公开")
    page = window.requests

    def fill(dialog) -> None:
        if isinstance(dialog, requests_page.RegisterDialog):
            dialog.applicant.setText("青石建材有限公司")
            dialog.kind.setCurrentText("法人或其他组织")
            dialog.organisation.setCurrentText("商业企业")
            dialog.received.setDate(QDate(2026, 11, 2))
            dialog.content.setPlainText("2026年镇区道路硬化工程招标文件")
        elif isinstance(dialog, requests_page.StepDialog) and dialog.approver is not None:
            dialog.days.setValue(10)
            dialog.approver.setText("李镇长")
        elif isinstance(dialog, requests_page.AnswerDialog):
            dialog.outcome.setCurrentText("部分公开")
            dialog.reason.setPlainText("涉及商业秘密的部分不予公开")

    answer_dialogs_with(monkeypatch, fill)
    page.register()
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 1, timeout=WAIT)
    row = page.tree.topLevelItem(0)
    assert [row.text(c) for c in range(5)] == [
        "2026-001", "青石建材有限公司", "2026-11-02", "办理中", "2026-11-30"]
    assert "已登记 2026-001" in page.answer_line.text()
    assert page.buttons["answer"].isEnabled() and not page.buttons["resume"].isEnabled()

    page.extend()
    qtbot.waitUntil(lambda: page.tree.topLevelItem(0).text(4) == "2026-12-14", timeout=WAIT)
    assert "已延长10个工作日（李镇长批准）" in page.detail.text()
    assert not page.buttons["extend"].isEnabled()  # the law allows one

    page.extend()  # the button is off, but a second try must still be refused as one sentence
    qtbot.waitUntil(lambda: "只允许延长一次" in page.answer_line.text(), timeout=WAIT)

    page.answer()
    # No longer 未办结, it stays in view: the page shows the whole register.
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 1
                    and page.tree.topLevelItem(0).text(3) == "已答复", timeout=WAIT)
    assert not page.open_only.isChecked()
    assert "已于2026-11-23答复：部分公开" in page.detail.text()
    with open_desk(window.folder) as store:
        saved = cases.get_request(store, "2026-001")
    assert (saved.outcome, saved.outcome_reason) == ("部分公开", "涉及商业秘密的部分不予公开")
    assert saved.extension_days == 10 and saved.extension_approver == "李镇长"


def test_an_overdue_request_on_the_dashboard_opens_on_its_page(configured_window, qtbot) -> None:
    window = configured_window
    with open_desk(window.folder) as store:
        cases.register(store, "张三", "自然人", "2026-10-20", "低保资金发放明细")
        cases.register(store, "李四", "自然人", "2026-11-20", "危房改造名单")
    window.refresh()
    dash = window.dashboard
    qtbot.waitUntil(lambda: any(dash.due_list.topLevelItem(i).text(0) == "依申请公开已超期"
                                for i in range(dash.due_list.topLevelItemCount())),
                    timeout=WAIT)
    line = next(dash.due_list.topLevelItem(i) for i in range(dash.due_list.topLevelItemCount())
                if dash.due_list.topLevelItem(i).text(0) == "依申请公开已超期")
    assert line.text(1).startswith("2026-001 张三")
    dash.due_list.itemActivated.emit(line, 0)
    page = window.requests
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.current() is not None and page.current().id == "2026-001",
                    timeout=WAIT)
    assert "已超期" in page.detail.text() and "答复期限：2026-11-17" in page.detail.text()


def test_reply_letter_is_edited_previewed_and_kept_from_the_page(configured_window, qtbot,
                                                                 monkeypatch) -> None:
    from ui.letter_dialog import LetterDialog
    from ui.print_dialog import PrintPreviewDialog

    window = configured_window
    with open_desk(window.folder) as store:
        request = cases.register(store, "张三", "自然人", "2026-10-20", "低保资金发放明细")
        cases.send_correction(store, request.id, "2026-10-21")
        cases.resume(store, request.id, "2026-10-23")
        cases.answer(store, request.id, "不予处理", "信访举报投诉类申请", on="2026-11-10")
    window.show_page("依申请公开")
    page = window.requests
    page.open_request(request.id)
    qtbot.waitUntil(lambda: page.current() is not None and page.buttons["letters"].isEnabled(),
                    timeout=WAIT)
    assert not page.buttons["answer"].isEnabled() and not page.files.isEnabled()
    page.letters()
    dialog = page.findChild(LetterDialog)
    qtbot.waitUntil(lambda: dialog.draft is not None, timeout=WAIT)
    # It opens on the newest letter; the 补正通知 is one choice away.
    assert [dialog.kind.itemText(i) for i in range(dialog.kind.count())] == [
        "登记回执", "补正通知", "答复书"]
    assert dialog.kind.currentText() == "答复书" and dialog.addressee.text() == "致：张三"
    assert "第三十九条第一款" in dialog.text.toPlainText()
    assert not dialog.buttons["save"].isEnabled()

    dialog.text.setPlainText(dialog.text.toPlainText().replace(
        "特此告知。", "您反映的问题已转镇信访办办理。\n特此告知。"))
    assert dialog.dirty() and dialog.buttons["save"].isEnabled()
    dialog.preview()
    preview = dialog.findChild(PrintPreviewDialog)
    qtbot.waitUntil(lambda: preview.preview is not None, timeout=WAIT)
    assert preview.windowTitle() == f"打印预览 — 政府信息公开申请答复书（{request.id}）"
    assert len(preview.preview.images) == 1 and not preview.paper.isEnabled()  # letters are A4
    preview.close()

    with qtbot.waitSignal(dialog.kept, timeout=WAIT):
        dialog.buttons["keep"].click()
    assert not dialog.dirty()
    with open_desk(window.folder) as store:
        kept = cases.get_request(store, request.id)
        assert [f.kind for f in kept.files] == ["答复书"]
        assert store.scalar("SELECT body FROM request_letters").count("转镇信访办办理") == 1
    qtbot.waitUntil(lambda: page.files.isEnabled(), timeout=WAIT)
    assert [a.text() for a in page.files_menu.actions()] == [
        f"答复书：政府信息公开申请答复书（{request.id}）.pdf"]

    # Closing with edits not saved asks; 取消 keeps the dialog open with the text.
    dialog.text.appendPlainText("再补一句。")
    monkeypatch.setattr("ui.letter_dialog.QMessageBox.question",
                        lambda *a, **k: requests_page_button("Cancel"))
    dialog.reject()
    assert dialog.isVisible() and dialog.text.toPlainText().endswith("再补一句。")
    monkeypatch.setattr("ui.letter_dialog.QMessageBox.question",
                        lambda *a, **k: requests_page_button("Discard"))
    dialog.reject()
    assert not dialog.isVisible()


def requests_page_button(name: str):
    """A QMessageBox standard button by name (the clerk's answer to a question)."""
    from PySide6.QtWidgets import QMessageBox
    return getattr(QMessageBox.StandardButton, name)


def test_delivery_proof_is_filed_from_the_page(configured_window, qtbot, monkeypatch,
                                               tmp_path) -> None:
    window = configured_window
    proof = tmp_path / "送达回证.jpg"
    proof.write_bytes(b"\xff\xd8\xff\xe0" + b"scan" * 100)
    with open_desk(window.folder) as store:
        request = cases.register(store, "张三", "自然人", "2026-10-20", "低保资金发放明细")
    original = requests_page.AttachDialog

    class Filled(original):  # type: ignore[misc, valid-type]
        def exec(self) -> int:  # noqa: A003
            assert self.kind.currentText() == "送达回证"  # what is filed after the reply
            self.file.setText(str(tmp_path / "不存在.jpg"))
            assert self.problem() == "找不到这个文件，请重新选择。"
            self.file.setText(str(proof))
            return 1 if not self.problem() else 0

    monkeypatch.setattr(requests_page, "AttachDialog", Filled)
    window.show_page("依申请公开")
    page = window.requests
    page.open_request(request.id)
    qtbot.waitUntil(lambda: page.current() is not None, timeout=WAIT)
    page.attach()
    qtbot.waitUntil(lambda: page.files.isEnabled(), timeout=WAIT)
    assert "已把「送达回证.jpg」作为送达回证归入 2026-001 的案卷。" == page.answer_line.text()
    assert [a.text() for a in page.files_menu.actions()] == ["送达回证：送达回证.jpg"]
    stored = window.folder / page.files_menu.actions()[0].data()
    assert stored.read_bytes() == proof.read_bytes()


def test_an_answered_request_asked_for_by_id_is_the_one_shown(configured_window, qtbot) -> None:
    window = configured_window
    with open_desk(window.folder) as store:
        done = cases.register(store, "张三", "自然人", "2026-10-20", "低保资金发放明细")
        cases.answer(store, done.id, "予以公开", on="2026-11-10")
        cases.register(store, "李四", "自然人", "2026-11-20", "危房改造名单")
    window.show_page("依申请公开")
    page = window.requests
    page.refresh()
    qtbot.waitUntil(lambda: page.current() is not None and page.current().id == "2026-002",
                    timeout=WAIT)
    assert page.open_only.isChecked() and page.tree.topLevelItemCount() == 1
    page.open_request(done.id)
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 2, timeout=WAIT)
    qtbot.waitUntil(lambda: page.current() is not None and page.current().id == done.id,
                    timeout=WAIT)
    assert not page.open_only.isChecked()


def test_a_letter_with_blanks_asks_before_it_is_kept(configured_window, qtbot,
                                                     monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.letter_dialog import LetterDialog

    window = configured_window
    with open_desk(window.folder) as store:
        request = cases.register(store, "张三", "自然人", "2026-10-20", "低保资金发放明细")
        cases.extend(store, request.id, 10, "李镇长", "2026-11-02")
    window.show_page("依申请公开")
    page = window.requests
    page.open_request(request.id)
    qtbot.waitUntil(lambda: page.current() is not None and page.buttons["letters"].isEnabled(),
                    timeout=WAIT)
    page.letters()
    dialog = page.findChild(LetterDialog)
    qtbot.waitUntil(lambda: dialog.draft is not None, timeout=WAIT)
    assert dialog.kind.currentText() == "延期通知" and dialog.draft.to_fill == ["【延期理由】"]
    # The blank is shaded in the editor.
    marks = dialog.text.extraSelections()
    assert [m.cursor.selectedText() for m in marks] == ["【延期理由】"]

    asked: list[str] = []

    def warning(_parent, _title, text, _buttons):
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr("ui.letter_dialog.QMessageBox.warning", warning)
    dialog.buttons["keep"].click()
    assert asked == ["文书里还有1处【】需要填写（【延期理由】），"
                     "未填完的文书不能存入案卷。要先把修改存为草稿吗？"]
    assert dialog.message.text() == "还有1处【】没有填写，没有存入案卷。"

    # 存为草稿: the text is kept as the clerk's draft, still not in the case file.
    dialog.text.setPlainText(dialog.text.toPlainText().replace("理由是：", "理由是：要核对。"))
    monkeypatch.setattr("ui.letter_dialog.QMessageBox.warning",
                        lambda *a: QMessageBox.StandardButton.Save)
    dialog.buttons["keep"].click()
    qtbot.waitUntil(lambda: dialog.message.text() == "已保存修改。", timeout=WAIT)
    with open_desk(window.folder) as store:
        assert store.scalar("SELECT COUNT(*) FROM request_letters") == 1
        assert cases.get_request(store, request.id).files == ()

    filled = dialog.text.toPlainText().replace("【延期理由】", "需要到县档案馆调取原件")
    dialog.text.setPlainText(filled)
    assert dialog.text.extraSelections() == []
    with qtbot.waitSignal(dialog.kept, timeout=WAIT):
        dialog.buttons["keep"].click()
    with open_desk(window.folder) as store:
        kept = cases.get_request(store, request.id)
    assert [f.kind for f in kept.files] == ["延期通知"]
    assert dict(kept.letter_numbers) == {"延期通知": "青政依复〔2026〕1号"}
    dialog.close()


def test_the_registration_receipt_is_printed_from_its_button(configured_window, qtbot,
                                                              monkeypatch) -> None:
    from ui.letter_dialog import LetterDialog

    window = configured_window
    window.show_page("依申请公开")
    page = window.requests

    def fill(dialog) -> None:
        if isinstance(dialog, requests_page.RegisterDialog):
            dialog.applicant.setText("张三")
            dialog.received.setDate(QDate(2026, 11, 2))
            dialog.content.setPlainText("2026年低保资金发放明细")
            dialog.id_number.setText("340102198001013018")
            dialog.address.setText("青石镇东村12号")
            dialog.delivery.setCurrentText("邮寄")

    answer_dialogs_with(monkeypatch, fill)
    page.register()
    qtbot.waitUntil(lambda: page.current() is not None, timeout=WAIT)
    assert ("证件号码：340102198001013018  地址：青石镇东村12号  获取方式：邮寄"
            in page.detail.text())
    assert page.buttons["receipt"].isEnabled() and not page.buttons["deliver"].isEnabled()
    page.receipt()
    dialog = page.findChild(LetterDialog)
    qtbot.waitUntil(lambda: dialog.draft is not None, timeout=WAIT)
    assert dialog.kind.currentText() == "登记回执"
    body = dialog.text.toPlainText()
    assert "登记编号为2026-001" in body and "即2026年11月30日前作出答复" in body
    assert "按您选择的邮寄方式" in body
    with qtbot.waitSignal(dialog.kept, timeout=WAIT):
        dialog.buttons["keep"].click()
    qtbot.waitUntil(lambda: page.files.isEnabled(), timeout=WAIT)
    assert [a.text() for a in page.files_menu.actions()] == [
        "登记回执：政府信息公开申请登记回执（2026-001）.pdf"]
    dialog.close()

    # No program on this PC opens a PDF: the page says so, and where the file is.
    monkeypatch.setattr(requests_page.QDesktopServices, "openUrl", lambda _url: False)
    action = page.files_menu.actions()[0]
    page._open_file(action)
    where = window.folder / action.data()
    assert page.answer_line.text() == f"这台电脑上没有能打开这个文件的程序，文件在 {where}。"


def test_the_dialogs_record_what_the_letters_need(configured_window, qtbot, monkeypatch) -> None:
    window = configured_window
    with open_desk(window.folder) as store:
        request = cases.register(store, "张三", "自然人", "2026-11-02", "砂石厂排污许可")
        cases.consult(store, request.id, "青石建材有限公司", "2026-11-03")
    window.show_page("依申请公开")
    page = window.requests

    def fill(dialog) -> None:
        if isinstance(dialog, requests_page.StepDialog) and dialog.opinion is not None:
            dialog.day.setDate(QDate(2026, 11, 10))
            dialog.opinion.setCurrentText("不同意")
        elif isinstance(dialog, requests_page.StepDialog) and dialog.way is not None:
            dialog.way.setCurrentText("当面")
        elif isinstance(dialog, requests_page.AnswerDialog):
            dialog.outcome.setCurrentText("无法提供")
            dialog.item.setCurrentText("本机关不掌握相关政府信息")
            assert dialog.referred_to.isEnabled()
            dialog.referred_to.setText("东山县生态环境分局，电话0551-61234567")

    answer_dialogs_with(monkeypatch, fill)
    page.open_request(request.id)
    qtbot.waitUntil(lambda: page.current() is not None
                    and page.buttons["resume"].isEnabled(), timeout=WAIT)
    page.resume()
    qtbot.waitUntil(lambda: "2026-11-10答复不同意公开" in page.detail.text(), timeout=WAIT)
    page.answer()
    qtbot.waitUntil(lambda: page.buttons["deliver"].isEnabled(), timeout=WAIT)
    page.deliver()
    qtbot.waitUntil(lambda: "送达：2026-11-23（当面）" in page.detail.text(), timeout=WAIT)
    with open_desk(window.folder) as store:
        saved = cases.get_request(store, request.id)
    assert saved.consultations[0].opinion == "不同意"
    assert saved.referred_to == "东山县生态环境分局，电话0551-61234567"
    assert (saved.served_on.isoformat(), saved.served_way) == ("2026-11-23", "当面")
