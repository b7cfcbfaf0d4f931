"""What a new clerk tripped over at 1366×768: the wheel, file dialogs, empty lists, F5."""

from __future__ import annotations

import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt, QTranslator  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.desk import open_desk  # noqa: E402
from app.info_requests import cases  # noqa: E402
from app.township import set_township  # noqa: E402
from ui import widgets  # noqa: E402
from ui.qt_words import install_qt_chinese  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 15_000


def wheel_down(target: QWidget) -> QWheelEvent:
    """One notch of the wheel, turned down over the middle of ``target``."""
    middle = QPointF(target.rect().center())
    event = QWheelEvent(middle, QPointF(target.mapToGlobal(middle.toPoint())), QPoint(),
                        QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(target, event)
    return event


@pytest.fixture
def guarded(qapp: QApplication):
    """The application with the program's wheel guard, as ui.main installs it."""
    guard = widgets.install_wheel_guard(qapp)
    yield guard
    qapp.removeEventFilter(guard)
    guard.deleteLater()


def test_the_wheel_scrolls_past_a_box_until_the_clerk_clicks_into_it(guarded, qtbot) -> None:
    area = QScrollArea()
    form = QWidget()
    column = QVBoxLayout(form)
    paper = QComboBox()
    paper.addItems(["按模板", "A4", "A3"])
    copies = QSpinBox()
    copies.setValue(1)
    name = QLineEdit()
    for part in (name, paper, copies):
        column.addWidget(part)
    column.addSpacing(2000)  # a long form: the area has something to scroll
    area.setWidget(form)
    qtbot.addWidget(area)
    area.resize(400, 300)
    area.show()
    qtbot.waitExposed(area)
    # The box no longer takes focus from a passing wheel.
    assert paper.focusPolicy() == Qt.FocusPolicy.StrongFocus

    name.setFocus()
    passed = wheel_down(paper)
    wheel_down(copies)
    assert paper.currentIndex() == 0 and copies.value() == 1
    assert not passed.isAccepted()  # handed on to the scroll area, not swallowed

    area.activateWindow()
    paper.setFocus()
    qtbot.waitUntil(paper.hasFocus, timeout=WAIT)
    wheel_down(paper)
    assert paper.currentIndex() == 1  # clicked into: the wheel chooses again


@pytest.fixture
def remembered(tmp_path: Path):
    """QSettings in a folder of the test's own, never the user's."""
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    yield tmp_path
    widgets.settings().remove(widgets.LAST_FOLDER_KEY)


def latin(text: str) -> str:
    """The Latin letters of ``text`` beyond mnemonics like "(&N)" and file patterns."""
    text = re.sub(r"\(&\w\)|&|\*\.\w+|PDF|Word", "", text)
    return "".join(re.findall(r"[A-Za-z]+", text))


def test_file_dialog_is_chinese_and_opens_in_the_folder_used_last(qapp, remembered) -> None:
    install_qt_chinese(qapp)
    try:
        # Nothing remembered yet: 文档, else 桌面, else the home folder.
        assert widgets.start_folder() in {
            str(p) for p in (Path.home() / "Documents", Path.home() / "Desktop", Path.home())}
        used = remembered / "交办材料"
        used.mkdir()
        widgets.remember_folder(str(used / "公示.pdf"))
        dialog = widgets.file_dialog(None, "另存为PDF", "save",
                                     "PDF 文件 (*.pdf);;Word 文档 (*.docx)", "公示.pdf")
        dialog.show()
        assert Path(dialog.directory().absolutePath()) == used
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        for label in (QFileDialog.DialogLabel.LookIn, QFileDialog.DialogLabel.FileName,
                      QFileDialog.DialogLabel.FileType, QFileDialog.DialogLabel.Accept,
                      QFileDialog.DialogLabel.Reject):
            assert dialog.labelText(label) and not latin(dialog.labelText(label)), label
        words = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton)]
        words += [w.toolTip() for w in dialog.findChildren(QToolButton)]
        model = dialog.findChild(QTreeView).model()
        words += [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(4)]
        english = {w: latin(w) for w in words if latin(w)}
        assert not english, english
        assert "查找范围：" in words and "文件类型：" in words and "保存" in words
        # A name typed without its ending takes the chosen type's.
        assert dialog.defaultSuffix() == "pdf"
        types = dialog.findChild(QComboBox, "fileTypeCombo")
        types.setCurrentIndex(1)
        types.activated.emit(1)  # as when the clerk picks it
        types.textActivated.emit(types.currentText())
        assert dialog.defaultSuffix() == "docx"
        dialog.close()
    finally:
        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)
            translator.deleteLater()


def test_an_empty_register_says_the_tick_hides_the_answered_requests(
        configured_window, qtbot, pinned_today) -> None:
    with open_desk(configured_window.folder) as store:
        for who in ("张三", "李四"):
            request = cases.register(store, who, "自然人", "2026-11-02", "2026年低保名单")
            cases.answer(store, request.id, "予以公开")
    configured_window.show_page("依申请公开")
    page = configured_window.requests
    page.refresh()
    assert page.open_only.isChecked()
    qtbot.waitUntil(lambda: "已办结" in page.detail.text(), timeout=WAIT)
    assert page.detail.text() == "没有未办结的申请（已勾选“只看未办结的”，共有2件已办结）。"
    page.open_only.setChecked(False)
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 2, timeout=WAIT)


def test_f5_reads_the_dashboard_again(configured_window, qtbot) -> None:
    page = configured_window.dashboard
    with open_desk(configured_window.folder) as store:
        set_township(store, "白沙镇", "东山县", "0551-12345678")
    assert "白沙镇" not in page.township.text()
    qtbot.keyClick(page.due_empty if page.due_list.isHidden() else page.due_list, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "白沙镇" in page.township.text(), timeout=WAIT)
