"""校对 in the GUI: the editor's list, 按建议修改, the review dialog's hold, the whitelist.

The rules are not written yet (app.notices.proofread.proofread answers []), so
a stand-in that finds fixed wordings answers in its place, through the module
as the editor calls it.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time  # noqa: E402

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QPlainTextEdit  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.errors import UserError  # noqa: E402
from app.facts import PROOF_SEVERITIES  # noqa: E402
from app.notices import drafts, proofread, review  # noqa: E402
from app.notices.proofing import proof_context, set_whitelist, whitelist  # noqa: E402
from app.notices.proofread import Fix, Proof, ProofContext  # noqa: E402
from ui import notices_page  # noqa: E402
from ui.notice_dialogs import SEVERITY_COLOURS, ReviewDialog  # noqa: E402

pytestmark = pytest.mark.usefixtures("pinned_today")
pytest_plugins = ["conftest_ui"]
WAIT = 10_000

#: What the stand-in finds: wording, rule, severity, explanation, fixes.
RULES = (
    ("中华人民共合国", "固定表述", "严重", "国名写错了。",
     (Fix("改为“中华人民共和国”", "中华人民共和国"),)),
    ("的的", "重复字", "一般", "“的”字重复。", (Fix("删去一个“的”", "的"), Fix("全删", ""))),
    ("公示期为", "公示期", "提示", "写明起止日期更清楚。", ()),
)
BODY = "根据《𬌗中华人民共合国社会救助法》，现将名单公示。\n本次的的公示期为7天。"


def fake_proofread(seen: list[ProofContext] | None = None):
    """A stand-in for the rules: every occurrence of the wordings of RULES, in text order."""
    def proofread_(title: str, body: str, context: ProofContext | None = None) -> list[Proof]:
        if seen is not None and context is not None:
            seen.append(context)
        text = title + "\n" + body
        found = []
        for needle, rule, severity, why, fixes in RULES:
            if context is not None and needle in context.whitelist:
                continue
            at = text.find(needle)
            while at >= 0:
                found.append(Proof(at, at + len(needle), needle, rule, severity, why, fixes))
                at = text.find(needle, at + 1)
        return sorted(found, key=lambda p: p.start)
    return proofread_


def open_draft(window, qtbot):
    page = window.notices
    window.show_page("公开信息")
    with qtbot.waitSignal(page.checked, timeout=WAIT):
        page.draft("shjz-002", "公示", "2026-11-20")
    return page


def typed(page, qtbot, body: str) -> None:
    with qtbot.waitSignal(page.checked, timeout=WAIT):
        page.body_edit.setPlainText(body)


def rows(listing) -> list[str]:
    return [listing.item(i).text() for i in range(listing.count())]


def test_editor_lists_each_severity_in_its_colour_with_the_township_context(
        configured_window, qtbot, monkeypatch) -> None:
    seen: list[ProofContext] = []
    monkeypatch.setattr(proofread, "proofread", fake_proofread(seen))
    with open_desk(configured_window.folder) as store:
        set_whitelist(store, ["东塆村"])
    page = open_draft(configured_window, qtbot)
    typed(page, qtbot, BODY)
    lines = rows(page.proofs)
    assert lines == ["[严重] 第2行第5字 固定表述：中华人民共合国 → 中华人民共和国",
                     "[一般] 第3行第3字 重复字：的的 → 的",
                     "[提示] 第3行第5字 公示期：公示期为"]
    colours = [page.proofs.item(i).foreground().color() for i in range(3)]
    assert colours == [QColor(SEVERITY_COLOURS[s]) for s in PROOF_SEVERITIES]
    assert colours[0] == QColor("#b00020")
    assert page.proofs.item(0).toolTip() == "国名写错了。"
    assert not page.proofs.wordWrap()
    # The context was built in the worker when the notice was opened.
    context = seen[-1]
    assert context.township == "青石镇" and context.whitelist == frozenset({"东塆村"})
    assert "0551-12345678" in context.phones and context.issuer == page.state.notice.issuer
    # The privacy list is untouched by the proofreading findings.
    assert rows(page.findings)[0] == "未发现个人信息"
    typed(page, qtbot, "正文没有问题。")
    assert rows(page.proofs) == ["未发现校对问题"]
    assert not page.fix_button.isEnabled()


def test_double_click_selects_the_finding_past_a_character_beyond_the_bmp(
        configured_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(proofread, "proofread", fake_proofread())
    page = open_draft(configured_window, qtbot)
    typed(page, qtbot, BODY)
    item = page.proofs.item(0)
    rect = page.proofs.visualItemRect(item)
    qtbot.mouseDClick(page.proofs.viewport(), Qt.MouseButton.LeftButton,
                      pos=rect.center())
    if page.body_edit.textCursor().selectedText() == "":  # a style that activates otherwise
        page.proofs.itemActivated.emit(item)
    assert page.body_edit.textCursor().selectedText() == "中华人民共合国"
    assert page.body_edit.hasFocus() or not page.isActiveWindow()

    # A finding in the title selects it in the title line.
    title = page.title_edit.text()
    page.title_edit.setText("的的" + title)
    with qtbot.waitSignal(page.checked, timeout=WAIT):
        page.run_check()
    first = page.proofs.item(0)
    assert first.text().startswith("[一般] 第1行第1字")
    page.proofs.itemActivated.emit(first)
    assert page.title_edit.selectedText() == "的的"
    # …and 按建议修改 mends the title, saved as the next revision at once.
    page.proofs.setCurrentRow(0)
    rev = page.state.notice.rev
    assert page.apply_proof_fix()
    # What was typed is saved first (one revision), then the fix (the next).
    qtbot.waitUntil(lambda: page.state.notice.rev == rev + 2, timeout=WAIT)
    assert page.state.revisions[0]["change"].startswith("校对：")
    assert page.title_edit.text() == "的" + title and not page.dirty()
    assert page.body_edit.toPlainText() == BODY


def test_fix_as_suggested_saves_a_revision_as_masking_does(
        configured_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(proofread, "proofread", fake_proofread())
    page = open_draft(configured_window, qtbot)
    rev = page.state.notice.rev
    typed(page, qtbot, BODY)
    # Findings of a text typed over since are not applied on the wrong characters.
    page.proofs.setCurrentRow(0)
    with qtbot.waitSignal(page.checked, timeout=WAIT):
        page.body_edit.moveCursor(QTextCursor.MoveOperation.End)
        page.body_edit.insertPlainText("又")
        assert not page.apply_proof_fix()
        assert "稍后" in page.message.text()
    assert page.body_edit.toPlainText() == BODY + "又"

    page.proofs.setCurrentRow(2)  # 提示 with no fix: nothing to apply
    assert not page.fix_button.isEnabled()
    page.proofs.setCurrentRow(0)
    assert page.fix_button.isEnabled()
    # 按建议修改 saves what was typed and the fix as the next revision, as 遮盖个人信息 does.
    with qtbot.waitSignal(page.checked, timeout=WAIT):
        page.fix_button.click()
    qtbot.waitUntil(lambda: page.state.notice.rev == rev + 2, timeout=WAIT)
    assert "中华人民共和国社会救助法" in page.body_edit.toPlainText() and not page.dirty()
    assert rows(page.proofs)[0].startswith("[一般]")
    assert page.state.revisions[0]["change"].startswith("校对：固定表述")

    # The context menu offers every fix; the second deletes the doubled word whole.
    page.proofs.setCurrentRow(0)
    menu = page._proof_menu(page.proofs.visualItemRect(page.proofs.item(0)).center())
    labels = [a.text() for a in menu.actions()]
    assert labels == ["定位", "按建议修改：删去一个“的”", "按建议修改：全删"]
    menu.actions()[2].trigger()
    menu.close()
    qtbot.waitUntil(lambda: page.state.notice.rev == rev + 3, timeout=WAIT)
    assert page.body_edit.toPlainText().endswith("本次公示期为7天。又")
    with open_desk(configured_window.folder) as store:
        saved = drafts.get_notice(store, page.state.notice.id)
    assert "中华人民共和国" in saved.body and "的的" not in saved.body


def test_thousands_of_findings_stay_one_line_each(configured_window, qtbot,
                                                  monkeypatch) -> None:
    monkeypatch.setattr(proofread, "proofread", fake_proofread())
    page = open_draft(configured_window, qtbot)
    body = "\n".join(f"{n}\t中华人民共合国" for n in range(3000))
    started = time.perf_counter()
    typed(page, qtbot, body)
    took = time.perf_counter() - started
    assert page.proofs.count() == 3000 and not page.proofs.wordWrap()
    assert page.proofs.uniformItemSizes()
    assert rows(page.proofs)[-1] == (
        "[严重] 第3001行第6字 固定表述：中华人民共合国 → 中华人民共和国")
    assert took < 8, took


def _severe_proofs() -> list[tuple[str, Proof]]:
    fix = (Fix("改为“中华人民共和国”", "中华人民共和国"),)
    return [("[严重] 第2行第5字 固定表述：中华人民共合国 → 中华人民共和国",
             Proof(5, 12, "中华人民共合国", "固定表述", "严重", "国名写错了。", fix)),
            ("[提示] 第3行第5字 公示期：公示期为",
             Proof(30, 34, "公示期为", "公示期", "提示", "写明起止日期更清楚。"))]


def test_review_dialog_holds_approval_on_a_severe_finding_until_a_reason(qtbot) -> None:
    dialog = ReviewDialog("初审", returning=False, rev=2, proofs=_severe_proofs())
    qtbot.addWidget(dialog)
    dialog.reviewer.setCurrentText("王明")
    for box in dialog.checks.values():
        box.setChecked(True)
    assert rows(dialog.proof_list)[0].startswith("[严重]")
    assert dialog.proof_list.item(0).foreground().color() == QColor("#b00020")
    assert dialog.proof_list.item(1).foreground().color() == QColor(SEVERITY_COLOURS["提示"])
    assert not dialog.severe_line.isHidden()
    assert dialog.severe_line.text() == "有严重校对问题：请先修改，或写明理由后通过"
    assert not dialog.override.isHidden() and not dialog.ok.isEnabled()
    assert "严重校对问题" in dialog.problem()
    dialog.override.setText("“共合国”为引用原文件标题，照录")
    assert dialog.ok.isEnabled() and not dialog.problem()
    assert dialog.values()[3] == "“共合国”为引用原文件标题，照录"
    dialog.override.setText("  ")
    assert not dialog.ok.isEnabled()

    # 提示 and 一般 alone never hold the step; returning is never held.
    mild = ReviewDialog("初审", returning=False, proofs=_severe_proofs()[1:])
    qtbot.addWidget(mild)
    assert mild.ok.isEnabled() and mild.severe_line.isHidden() and mild.override.isHidden()
    back = ReviewDialog("初审", returning=True, proofs=_severe_proofs())
    qtbot.addWidget(back)
    assert back.ok.isEnabled() and back.proof_list.count() == 2


def test_review_step_shows_the_saved_texts_findings_and_records_the_reason(
        configured_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(proofread, "proofread", fake_proofread())
    page = open_draft(configured_window, qtbot)
    typed(page, qtbot, BODY)
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.save()
    qtbot.waitUntil(lambda: page.state.notice.body == BODY, timeout=WAIT)
    shown: list[list[str]] = []

    def accept(dialog) -> int:
        shown.append(rows(dialog.proof_list))
        assert not dialog.ok.isEnabled()
        dialog.reviewer.setCurrentText("王明")
        for box in dialog.checks.values():
            box.setChecked(True)
        dialog.override.setText("名单另附；国名照录原件")
        assert dialog.ok.isEnabled() and not dialog.problem()
        return ReviewDialog.DialogCode.Accepted

    monkeypatch.setattr(notices_page.ReviewDialog, "exec", accept)
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.review_step(returning=False)
    qtbot.waitUntil(lambda: "初审通过" in page.message.text(), timeout=WAIT)
    assert shown and shown[0][0].startswith("[严重] 第2行第5字 固定表述")
    with open_desk(configured_window.folder) as store:
        steps = review.review_history(store, page.state.notice.id)
    assert steps[-1]["override"] == "名单另附；国名照录原件"


def test_whitelist_round_trip_through_settings(configured_window, qtbot) -> None:
    configured_window.show_page("设置")
    box = configured_window.settings.whitelist
    with qtbot.waitSignal(box.loaded, timeout=WAIT):
        box.refresh()
    assert box.words.toPlainText() == ""
    box.words.setPlainText("东塆村\n\n  柳树湾村 \n东塆村\n𬌗家岭")
    box.phrases.setPlainText("中共青石镇委员会\n马家沟村")
    with qtbot.waitSignal(box.saved, timeout=WAIT):
        box.save()
    assert box.words.toPlainText() == "东塆村\n柳树湾村\n𬌗家岭"  # as stored
    assert box.phrases.toPlainText() == "中共青石镇委员会\n马家沟村"
    assert box.message.text() == "已保存。"
    with open_desk(configured_window.folder) as store:
        assert list(whitelist(store)) == ["东塆村", "柳树湾村", "𬌗家岭"]
        assert store.get_setting("proofreading.whitelist") == "东塆村\n柳树湾村\n𬌗家岭"
        notice = drafts.create_notice(store, "shjz-002", formed="2026-11-20")
        assert proof_context(store, notice).whitelist == {"东塆村", "柳树湾村", "𬌗家岭"}
        assert proof_context(store, notice).phrases == {"中共青石镇委员会", "马家沟村"}
    box.words.setPlainText("很" * 41)
    box.save()
    qtbot.waitUntil(lambda: box.message.text() != "已保存。", timeout=WAIT)
    assert "太长" in box.message.text()
    with open_desk(configured_window.folder) as store:
        assert list(whitelist(store)) == ["东塆村", "柳树湾村", "𬌗家岭"]  # refused whole
        with pytest.raises(UserError):
            set_whitelist(store, ["a"] * 1 + [str(n) for n in range(2001)])


#: Text as a 名单 has it: CJK, 生僻字 beyond the BMP (two UTF-16 units each), tabs, lines.
_TEXT = st.text(alphabet="的中国甲𬌗䶮\U0002EBF0\t\n a1", max_size=30)


@given(before=_TEXT, needle=st.text(alphabet="的中国𬌗\U0002EBF0", min_size=1, max_size=5))
@settings(max_examples=80, deadline=None)
def test_a_finding_is_selected_exactly_whatever_characters_come_before(qapp, before,
                                                                       needle) -> None:
    text = before + needle
    edit = QPlainTextEdit()
    edit.setPlainText(text)
    cursor = edit.textCursor()
    cursor.setPosition(notices_page.qt_offset(text, len(before)))
    cursor.setPosition(notices_page.qt_offset(text, len(text)), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == needle
    assert notices_page.qt_offset(text, len(text)) == len(text.encode("utf-16-le")) // 2
