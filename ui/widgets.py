"""Small pieces every page and dialog builds the same way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QPushButton,
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
