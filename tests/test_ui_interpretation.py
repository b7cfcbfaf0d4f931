"""政策解读 in the notice editor: 起草解读…, 应解读, and the links that open the other side."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from tests_support import approve_step  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.notices import drafts, interpretation, review  # noqa: E402
from ui.interpretation_box import DraftInterpretationDialog  # noqa: E402

pytestmark = pytest.mark.usefixtures("pinned_today")

pytest_plugins = ["conftest_ui"]
WAIT = 10_000
#: Set to a folder to keep a picture of the editor (the report's screenshot).
SHOT = os.environ.get("GONGKAI_SHOT_DIR")


def _open(window, qtbot, notice_id: str):
    page = window.notices
    window.show_page("公开信息")
    with qtbot.waitSignal(page.opened, timeout=WAIT,
                          check_params_cb=lambda i: i == notice_id):
        page.open_notice(notice_id)
    return page


def test_draft_a_解读_from_the_editor_and_follow_the_links(configured_window, qtbot) -> None:
    with open_desk(configured_window.folder) as store:
        review.set_review_steps(store, 1)
        parent = drafts.create_notice(store, "shjz-002", kind="公示").id
        interpretation.set_interpret(store, parent, True)
    page = _open(configured_window, qtbot, parent)
    box = page.interpretation
    assert box.interpret.isVisible() and box.interpret.isChecked()
    assert "政策解读审核通过前" in box.links.text()
    assert not box.hints.isVisible()

    with qtbot.waitSignal(page.opened, timeout=WAIT,
                          check_params_cb=lambda i: i != parent):
        box.draft("问答")
    made = page.state.notice
    assert made.kind == "解读" and made.form == "问答" and made.explains["id"] == parent
    assert page.title_edit.text() == "《青石镇关于最低生活保障审核信息的公示》政策解读"
    assert not box.interpret.isVisible() and box.hints.isVisible()
    assert "解读的是" in box.links.text() and f"notice:{parent}" in box.links.text()
    assert "谁可以申请？" in box.hints.text()
    qtbot.waitUntil(lambda: page.elements.count() == 5, timeout=WAIT)
    marks = [page.elements.item(i).text() for i in range(page.elements.count())]
    assert marks[:2] == ["✗ 这项政策是什么？", "✗ 谁可以申请？"]
    if SHOT:
        qtbot.wait(300)
        configured_window.grab().save(str(Path(SHOT) / "gongkai-interpretation-editor.png"))

    with open_desk(configured_window.folder) as store:
        approve_step(store, made.id, "王明")
        store.conn.execute("UPDATE notices SET county_url = ? WHERE id = ?",
                           ("https://www.example.gov.cn/gk/5.html", made.id))
    with qtbot.waitSignal(page.opened, timeout=WAIT, check_params_cb=lambda i: i == parent):
        box.links.linkActivated.emit(f"notice:{parent}")
    text = box.links.text()
    assert f"notice:{made.id}" in text and "简明问答" in text and "已审核" in text
    assert "https://www.example.gov.cn/gk/5.html" in text
    assert "政策解读审核通过前" not in text  # its 解读 has passed
    if SHOT:
        qtbot.wait(300)
        configured_window.grab().save(str(Path(SHOT) / "gongkai-interpretation.png"))

    with qtbot.waitSignal(page.opened, timeout=WAIT):
        box.interpret.click()
    with open_desk(configured_window.folder) as store:
        assert drafts.get_notice(store, parent).interpret is False
    assert not box.interpret.isChecked()


def test_posting_without_its_解读_warns_in_the_editor(configured_window, qtbot,
                                                    monkeypatch) -> None:
    from ui.notice_dialogs import PostDialog

    with open_desk(configured_window.folder) as store:
        review.set_review_steps(store, 1)
        parent = drafts.create_notice(store, "shjz-002", kind="公示").id
        made = drafts.create_notice(store, None, kind="解读", explains=parent).id
        approve_step(store, made, "王明")
        approve_step(store, parent, "王明")
    page = _open(configured_window, qtbot, parent)
    monkeypatch.setattr(PostDialog, "exec", lambda self: PostDialog.DialogCode.Accepted)
    monkeypatch.setattr(PostDialog, "values",
                        lambda self: ("镇政务公开栏", "2026-11-23", ""))
    page.post()
    qtbot.waitUntil(lambda: "注意" in page.message.text(), timeout=WAIT)
    assert page.message.text().startswith("已记录张贴于「镇政务公开栏」。注意：它的政策解读「")
    assert "a05a00" in page.message.styleSheet()


def test_the_form_dialog_offers_the_three_forms(qtbot) -> None:
    dialog = DraftInterpretationDialog("青石镇关于最低生活保障审核信息的公示")
    qtbot.addWidget(dialog)
    words = [dialog.choice.itemText(i) for i in range(dialog.choice.count())]
    assert words == ["文字解读", "简明问答", "图解（一图读懂）"]
    dialog.choice.setCurrentIndex(2)
    assert dialog.value() == "图解"


def test_a_解读_exports_its_图解_from_the_editor(configured_window, qtbot, tmp_path) -> None:
    with open_desk(configured_window.folder) as store:
        parent = drafts.create_notice(store, "shjz-002", kind="公示").id
        made = drafts.create_notice(store, None, kind="解读", explains=parent, form="图解").id
    page = _open(configured_window, qtbot, made)
    box = page.interpretation
    assert box.graphic_button.isVisibleTo(page)
    out = tmp_path / "图解.png"
    with qtbot.waitSignal(box.exported, timeout=WAIT):
        box.export_graphic(str(out))
    from PIL import Image

    with Image.open(out) as im:
        assert im.width == 1080
    qtbot.waitUntil(lambda: "已导出图解" in page.message.text(), timeout=WAIT)
    _open(configured_window, qtbot, parent)
    assert not box.graphic_button.isVisibleTo(page)  # a notice of its own has no 图解


def test_a_list_read_in_flight_does_not_take_the_clerk_back(configured_window, qtbot) -> None:
    """Opening another notice while the list is still being read keeps the one opened last."""
    with open_desk(configured_window.folder) as store:
        parent = drafts.create_notice(store, "shjz-002", kind="公示").id
        made = drafts.create_notice(store, None, kind="解读", explains=parent, form="图解").id
    page = _open(configured_window, qtbot, made)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.refresh()  # as after an export: the list is read again, wanting the 解读
        page.open_notice(parent)  # the clerk has already moved on
    qtbot.waitUntil(lambda: not configured_window.runner.busy(), timeout=WAIT)
    assert page.state is not None and page.state.notice.id == parent
    assert not page.interpretation.graphic_button.isVisibleTo(page)
