"""Small pieces every page and dialog builds the same way."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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
