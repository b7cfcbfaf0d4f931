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
from app.store import Store
from ui.tasks import Changes, Runner
from ui.widgets import dialog_buttons

STATUS = {
    "内置": "下面是程序自带的国务院{year}年安排；如有更正，改后保存即以此为准。",
    "已载入": "下面是已载入的{year}年安排。",
    "未知": "程序里还没有{year}年的安排：请按国务院办公厅的放假通知录入。",
}


class HolidayDialog(QDialog):
    """Two lists of dates: days off, and 调休 weekend days on."""

    saved = Signal()
    ready = Signal()

    def __init__(self, runner: Runner, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.year = runner, year
        self._empty_confirmed = False
        self.setWindowTitle(f"{year}年节假日安排")
        self.holidays = QPlainTextEdit()
        self.workdays = QPlainTextEdit()
        self.message = QLabel(f"每行一个日期或一段日期，如 {year}-10-01、"
                              f"{year}-10-01至{year}-10-07、{year}年2月6日至12日"
                              "或2月6日—2月12日（年份可省略）。"
                              "调休上班日期列出要上班的周六、周日。")
        self.message.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555;")
        columns = QHBoxLayout()
        for title, box in (("放假日期", self.holidays), ("调休上班日期", self.workdays)):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(box)
            columns.addLayout(column)
        buttons, self.ok = dialog_buttons(self, "保存", "取消", self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        layout.addLayout(columns)
        layout.addWidget(buttons)
        self.resize(520, 460)

        def work(store: Store) -> dict[str, Any]:
            calendar = workdays.Calendar.from_store(store)
            return {**workdays.arrangement_json(calendar, year),
                    "status": calendar.year_status(year)}

        self.runner.run(work, self._fill)

    def _fill(self, data: dict[str, Any]) -> None:
        self.status.setText(STATUS.get(data["status"], "").format(year=self.year))
        self.holidays.setPlainText("\n".join(workdays.day_lines(data["holidays"])))
        self.workdays.setPlainText("\n".join(workdays.day_lines(data["workdays"])))
        self.ready.emit()

    def save(self) -> None:
        """Read and store the arrangement; lines it cannot read are named, the form is kept,
        and nothing changes."""
        year = self.year
        holidays, days_on = self.holidays.toPlainText(), self.workdays.toPlainText()

        def failed(message: str) -> None:
            self.ok.setEnabled(True)
            self.message.setText(message)
            self.message.setStyleSheet("color: #b00020;")

        if not holidays.strip() and not self._empty_confirmed:
            # Every real year has holidays; an empty list is almost always a slip, and
            # saving it would mark the year as known with wrong deadlines.
            self._empty_confirmed = True
            failed(f"还没有填写{self.year}年的放假日期。确实没有，请再点一次“保存”。")
            return

        self.ok.setEnabled(False)

        def done(_arrangement: object) -> None:
            self.saved.emit()
            self.accept()

        self.runner.run(lambda s: workdays.load_typed_arrangement(s, year, holidays, days_on),
                        done, failed, changes=Changes.SETTINGS, origin=self)
