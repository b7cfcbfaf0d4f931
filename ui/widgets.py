"""Small pieces every page and dialog builds the same way.

Also the two things every window of the program shares: :class:`WheelGuard`
(scrolling a page never turns an unfocused box) and the file dialogs
(:func:`open_file`, :func:`save_file`, :func:`choose_folder`), which are Qt's
own dialog in Chinese, starting in the folder the clerk used last.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSplitter,
    QTreeView,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


def dialog_buttons(dialog: QDialog, accept_text: str, reject_text: str,
                   on_accept: Callable[[], None]) -> tuple[QDialogButtonBox, QPushButton]:
    """An OK/Cancel row with Chinese texts (Qt's own would follow the system language)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                           QDialogButtonBox.StandardButton.Cancel)
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(accept_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(reject_text)
    box.accepted.connect(on_accept)
    box.rejected.connect(dialog.reject)
    return box, ok


def stacked(*parts: QWidget | QLayout, margins: bool = True,
            stretch_first: bool = False) -> QWidget:
    """A widget holding ``parts`` one above the other."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    if not margins:
        column.setContentsMargins(0, 0, 0, 0)
    for n, part in enumerate(parts):
        if isinstance(part, QLayout):
            column.addLayout(part)
        else:
            column.addWidget(part, 1 if stretch_first and n == 0 else 0)
    return holder


def say(label: QLabel, text: str, error: bool = False) -> None:
    """A one-line answer under a form: red when something was refused, green when done."""
    label.setStyleSheet("color: #b00020;" if error else "color: #1b7f3b;")
    label.setText(text)


def date_edit(day: date) -> QDateEdit:
    """A date field with a calendar popup, showing ISO dates."""
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def iso_date(edit: QDateEdit) -> str:
    """The ISO date in a date field."""
    return edit.date().toString("yyyy-MM-dd")


def with_tooltips(item: QTreeWidgetItem) -> QTreeWidgetItem:
    """``item`` with each cell's full text as its tooltip (a narrow column cuts it with …)."""
    for column in range(item.columnCount()):
        if item.text(column):
            item.setToolTip(column, item.text(column))
    return item


class FormDialog(QDialog):
    """A dialog of labelled fields with a hint line above and OK/Cancel below."""

    def __init__(self, title: str, hint: str, accept_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.form = QFormLayout()
        buttons, self.ok = dialog_buttons(self, accept_text, "取消", self._accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.resize(460, 0)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Never shorter than the wrapped hint needs at the dialog's width."""
        super().showEvent(event)
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            need = layout.totalHeightForWidth(self.width())
            if need > self.height():
                self.resize(self.width(), need)

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            self.hint.setText(problem)
            self.hint.setStyleSheet("color: #b00020;")
            return
        self.accept()

    def problem(self) -> str:
        """What is missing, in one sentence, or '' when the form can be accepted."""
        return ""


# -- the mouse wheel ---------------------------------------------------------------------


class WheelGuard(QObject):
    """An application-wide event filter: the wheel turns a combo, spin or date box only
    once the clerk has clicked into it (or tabbed to it).

    Qt gives these boxes the wheel as soon as the pointer passes over them, so
    scrolling down a long form silently changed the 纸张 or a date on the way. Here a
    wheel event over a box without focus is handed to the box's parents (the scroll
    area scrolls on), and the boxes no longer take focus from the wheel itself.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Qt: pass wheel events over unfocused boxes up to their parents."""
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            if isinstance(watched, (QComboBox, QAbstractSpinBox)) and not _has_focus(watched):
                # Ignored and filtered: QApplication offers the event to the parents.
                event.ignore()
                return True
        elif kind == QEvent.Type.Polish and isinstance(watched, (QComboBox, QAbstractSpinBox)):
            # Qt's default (WheelFocus) would focus the box under a passing wheel first.
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False


def _has_focus(box: QWidget) -> bool:
    focused = QApplication.focusWidget()
    return box.hasFocus() or (focused is not None and box.isAncestorOf(focused))


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install one :class:`WheelGuard` on ``app`` (kept alive as the app's child)."""
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard


# -- file dialogs ------------------------------------------------------------------------

#: Where the folder last chosen in any file dialog is remembered (per user, not per data
#: folder: it is where the clerk keeps files, whichever township's desk is open).
LAST_FOLDER_KEY = "files/last_folder"
#: Qt's Chinese catalogue leaves "Look in:" and "Files of type:" in English (Qt 6.11), and
#: a trimmed Qt may have no catalogue at all: the dialog's own words are set here.
DIALOG_WORDS = {
    QFileDialog.DialogLabel.LookIn: "查找范围：",
    QFileDialog.DialogLabel.FileName: "文件名：",
    QFileDialog.DialogLabel.FileType: "文件类型：",
    QFileDialog.DialogLabel.Reject: "取消",
}
ACCEPT_WORDS = {"open": "打开", "save": "保存", "folder": "选择文件夹"}


def settings() -> QSettings:
    """The per-user settings of the window (not the desk's: those are in the database)."""
    return QSettings("gongkai", "gongkai")


def start_folder() -> str:
    """The folder file dialogs open in: the last one used, else 文档, else 桌面, else home."""
    last = settings().value(LAST_FOLDER_KEY, "")
    candidates = [str(last) if last else ""]
    for where in (QStandardPaths.StandardLocation.DocumentsLocation,
                  QStandardPaths.StandardLocation.DesktopLocation):
        candidates.append(QStandardPaths.writableLocation(where))
    for folder in candidates:
        if folder and Path(folder).is_dir():
            return folder
    return str(Path.home())


def remember_folder(path: str) -> None:
    """Keep the folder of ``path`` (a file, or a folder itself) for the next file dialog."""
    target = Path(path)
    folder = target if target.is_dir() else target.parent
    settings().setValue(LAST_FOLDER_KEY, str(folder))


def _first_suffix(name_filter: str) -> str:
    """"Word 文档 (*.docx)" → "docx"; "" for "所有文件 (*)"."""
    found = re.search(r"\*\.(\w+)", name_filter)
    return found.group(1) if found else ""


def file_dialog(parent: QWidget | None, caption: str, mode: str, filters: str = "",
                name: str = "") -> QFileDialog:
    """The dialog :func:`open_file`, :func:`save_file` and :func:`choose_folder` show.

    ``mode`` is "open", "save" or "folder"; ``name`` the file name a save starts
    with. Qt's own dialog, never the system's, so that every word in it is
    Chinese whatever language the PC is set to; a name typed without an ending
    takes the ending of the chosen file type.
    """
    dialog = QFileDialog(parent, caption, start_folder(), filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix(_first_suffix(dialog.selectedNameFilter()))
        dialog.filterSelected.connect(lambda f: dialog.setDefaultSuffix(_first_suffix(f)))
        if name:
            dialog.selectFile(name)
    elif mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    for label, text in DIALOG_WORDS.items():
        dialog.setLabelText(label, text)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, ACCEPT_WORDS[mode])
    places = [QStandardPaths.writableLocation(where)
              for where in (QStandardPaths.StandardLocation.DesktopLocation,
                            QStandardPaths.StandardLocation.DocumentsLocation,
                            QStandardPaths.StandardLocation.HomeLocation)]
    dialog.setSidebarUrls([QUrl.fromLocalFile(p) for p in places if p and Path(p).is_dir()]
                          + [QUrl("file:")])  # "file:" is 我的电脑, the drives
    # Qt's default (about 600×400) cuts the places list at 「计算…」; this fits 1366×768.
    dialog.resize(880, 540)
    sides = dialog.findChild(QSplitter, "splitter")
    if sides is not None:
        sides.setSizes([170, 710])
    details = dialog.findChild(QTreeView, "treeView")
    if details is not None:  # 名称 wide, and room for 体积 and 类型 to be read whole
        for column, width in enumerate((300, 90, 150, 120)):
            details.setColumnWidth(column, width)
    return dialog


def _chosen(dialog: QFileDialog) -> str:
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    path = dialog.selectedFiles()[0]
    remember_folder(path)
    return path


def open_file(parent: QWidget | None, caption: str, filters: str) -> str:
    """Ask for a file to read; its path, or "" when the clerk cancelled."""
    return _chosen(file_dialog(parent, caption, "open", filters))


def save_file(parent: QWidget | None, caption: str, name: str, filters: str) -> str:
    """Ask where to write ``name``; the path (with its ending), or "" when cancelled."""
    return _chosen(file_dialog(parent, caption, "save", filters, name))


def choose_folder(parent: QWidget | None, caption: str) -> str:
    """Ask for a folder; its path, or "" when the clerk cancelled."""
    return _chosen(file_dialog(parent, caption, "folder"))
