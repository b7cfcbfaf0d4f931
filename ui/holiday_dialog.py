"""Editing one year's holiday arrangement by hand (as published by the State Council)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import workdays
from ui.tasks import Runner
from ui.widgets import dialog_buttons


class HolidayDialog(QDialog):
    """Two lists of dates: days off, and 调休 weekend days on."""

    saved = Signal()
    ready = Signal()

    def __init__(self, runner: Runner, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.year = runner, year
        self.setWindowTitle(f"{year}年节假日安排")
        self.holidays = QPlainTextEdit()
        self.workdays = QPlainTextEdit()
        self.message = QLabel("每行一个日期，如 2027-01-01。放假日期只需列出落在周一至周五的；"
                              "调休上班日期列出要上班的周六、周日。")
        self.message.setWordWrap(True)
        columns = QHBoxLayout()
        for title, box in (("放假日期", self.holidays), ("调休上班日期", self.workdays)):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(box)
            columns.addLayout(column)
        buttons, _ok = dialog_buttons(self, "保存", "取消", self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(columns)
        layout.addWidget(buttons)
        self.resize(520, 460)

        def work(store: object) -> dict[str, Any]:
            return workdays.arrangement_json(workdays.Calendar.from_store(store), year)

        self.runner.run(work, self._fill)

    def _fill(self, data: dict[str, Any]) -> None:
        self.holidays.setPlainText("\n".join(data["holidays"]))
        self.workdays.setPlainText("\n".join(data["workdays"]))
        self.ready.emit()

    def save(self) -> None:
        """Validate and store the arrangement; a bad date is named and nothing changes."""
        data = {
            "year": self.year,
            "holidays": [x.strip() for x in self.holidays.toPlainText().split() if x.strip()],
            "workdays": [x.strip() for x in self.workdays.toPlainText().split() if x.strip()],
        }

        def failed(message: str) -> None:
            self.message.setText(message)
            self.message.setStyleSheet("color: #b00020;")

        def done(_arrangement: object) -> None:
            self.saved.emit()
            self.accept()

        self.runner.run(lambda s: workdays.load_arrangement(s, data, "手工录入"), done, failed)
