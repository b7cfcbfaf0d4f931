"""设置: who the township is, the holiday arrangements the deadlines rest on, and backups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import workdays
from app.notices.proofing import PHRASES_KEY, set_word_lists, whitelist
from app.notices.proofing import words as proof_words
from app.store import Store
from app.township import Township, get_township, set_township
from ui.backup_box import BackupBox
from ui.holiday_dialog import HolidayDialog
from ui.page import Page
from ui.screens_box import ScreensBox
from ui.tasks import Changes, Runner
from ui.template_box import TemplateBox
from ui.widgets import open_file, say
from ui.workflow_box import PhonesBox, ReviewBox, SettingsBox, VillagesBox

YEAR_ROLE = Qt.ItemDataRole.UserRole
STATUS_NOTES = {
    "内置": "程序自带的国务院安排",
    "已载入": "已载入或录入",
    "未知": "尚未载入，期限按周一至周五计算",
}


class WhitelistBox(SettingsBox):
    """校对: the township's words that look like errors, and its own fixed expressions."""

    def __init__(self, runner: Runner) -> None:
        super().__init__("校对白名单和本镇规范用语", runner)
        self.words = QPlainTextEdit()
        self.words.setPlaceholderText("每行一个词：本镇的村名、组名、地名、人名等，"
                                      "校对时不再当作错字，如：东塆村")
        self.words.setMaximumHeight(110)
        self.form.addRow("不算错的词", self.words)
        self.phrases = QPlainTextEdit()
        self.phrases.setPlaceholderText("每行一个：镇党委、镇政府、各村的规范名称等，"
                                        "写错一个字时提醒，如：中共青石镇委员会")
        self.phrases.setMaximumHeight(110)
        self.form.addRow("本镇规范用语", self.phrases)
        self._add_buttons()

    def refresh(self) -> None:
        """Read both lists in the background."""
        self.runner.run(_word_lists, self._show)

    def _show(self, lists: tuple[list[str], list[str]]) -> None:
        self.words.setPlainText("\n".join(lists[0]))
        self.phrases.setPlainText("\n".join(lists[1]))
        self.loaded.emit()

    def save(self) -> None:
        """Save both lists, one word a line; blank lines and repeats are dropped."""
        words, phrases = self.words.toPlainText(), self.phrases.toPlainText()

        def work(store: Store) -> tuple[list[str], list[str]]:
            saved = set_word_lists(store, words.splitlines(), phrases.splitlines())
            return list(saved[0]), list(saved[1])

        self._save(work, self._show)


def _word_lists(store: Store) -> tuple[list[str], list[str]]:
    return list(whitelist(store)), list(proof_words(store, PHRASES_KEY))


class SettingsPage(Page):
    """The township's settings."""

    loaded = Signal()
    #: The township's name comes from the first-run questions too.
    cares = Changes.SETTINGS

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        title = QLabel("设置")
        title.setObjectName("pageTitle")

        self.township = QLineEdit()
        self.county = QLineEdit()
        self.phone = QLineEdit()
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        for field in (self.township, self.county, self.phone):
            field.setMaximumWidth(360)
        self.phone.setPlaceholderText("如 0551-12345678，印在公告的监督电话处")
        form_box = QGroupBox("乡镇信息（印在公告和明白纸上）")
        form = QFormLayout(form_box)
        form.addRow("乡镇名称", self.township)
        form.addRow("所属县（市、区）", self.county)
        form.addRow("监督电话", self.phone)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.message, 1)
        form.addRow(buttons)

        calendar_box = QGroupBox("节假日安排（计算工作日期限用）")
        self.years = QListWidget()
        self.years.setMaximumHeight(120)
        self.years.setMaximumWidth(480)
        self.years.itemDoubleClicked.connect(lambda _e: self.edit_year())
        self.edit_button = QPushButton("查看 / 编辑所选年份…")
        self.edit_button.clicked.connect(self.edit_year)
        self.load_button = QPushButton("载入文件…")
        self.load_button.setToolTip("载入县里或国务院发布的当年安排（JSON 文件）")
        self.load_button.clicked.connect(lambda: self.load_file())
        calendar_row = QHBoxLayout()
        calendar_row.addWidget(self.edit_button)
        calendar_row.addWidget(self.load_button)
        calendar_row.addStretch(1)
        calendar_layout = QVBoxLayout(calendar_box)
        hint = QLabel("“内置”为程序自带的国务院安排；新的一年公布后，请载入或录入当年安排，"
                      "否则涉及该年的期限只按周一至周五计算。")
        hint.setWordWrap(True)
        calendar_layout.addWidget(hint)
        calendar_layout.addWidget(self.years)
        calendar_layout.addLayout(calendar_row)
        self.calendar_message = QLabel()
        self.calendar_message.setWordWrap(True)
        calendar_layout.addWidget(self.calendar_message)

        # Each box saves on its own: a refused number never holds back the boards.
        self.review = ReviewBox(runner)
        self.villages = VillagesBox(runner)
        self.phones = PhonesBox(runner)
        self.screens = ScreensBox(runner)
        self.whitelist = WhitelistBox(runner)
        self.templates = TemplateBox(runner)
        self.backups = BackupBox(runner)
        # The page is taller than a small office screen: it scrolls, the title stays.
        inner = QWidget()
        boxes = QVBoxLayout(inner)
        boxes.setContentsMargins(0, 0, 0, 0)
        for box in (form_box, calendar_box, self.review, self.villages, self.phones,
                    self.screens, self.whitelist, self.templates, self.backups):
            boxes.addWidget(box)
        boxes.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)

    def refresh(self, fields: bool = True) -> None:
        """Read the settings and the calendar years in the background.

        ``fields=False`` leaves the township fields alone, so that loading a
        calendar does not wipe what the clerk is typing there.
        """
        this_year = date.today().year
        years = range(this_year - 1, this_year + 3)

        def work(store: Store) -> tuple[Township, list[tuple[int, str]]]:
            cal = workdays.Calendar.from_store(store)
            return get_township(store), [(y, cal.year_status(y)) for y in years]

        self.runner.run(work, lambda data: self._show(data, fields))
        if fields:
            for box in self.workflow_boxes():
                box.refresh()
            self.templates.refresh()
            self.backups.refresh()

    def workflow_boxes(self) -> tuple[SettingsBox, ...]:
        """The boxes of the notice workflow, each saved on its own."""
        return (self.review, self.villages, self.phones, self.screens, self.whitelist)

    def _show(self, data: tuple[Township, list[tuple[int, str]]], fields: bool = True) -> None:
        info, years = data
        if fields:
            self.township.setText(info.township)
            self.county.setText(info.county)
            self.phone.setText(info.phone)
        current = self.years.currentRow()
        self.years.clear()
        for year, status in years:
            entry = QListWidgetItem(f"{year}年　{status}")
            entry.setData(YEAR_ROLE, year)
            entry.setToolTip(STATUS_NOTES.get(status, status))
            if status == "未知":
                entry.setForeground(QBrush(QColor("#b35900")))
            self.years.addItem(entry)
        self.years.setCurrentRow(current if current >= 0 else 2)  # next year first
        self.loaded.emit()

    def save(self) -> None:
        """Save the township fields (refused whole with one sentence if incomplete)."""
        township, county, phone = (self.township.text(), self.county.text(), self.phone.text())
        self.save_button.setEnabled(False)

        def done(info: Township) -> None:
            self.save_button.setEnabled(True)
            self.phone.setText(info.phone)  # as stored: spaces tidied
            say(self.message, "已保存。")

        def failed(message: str) -> None:
            self.save_button.setEnabled(True)
            say(self.message, message, error=True)

        self.runner.run(lambda s: set_township(s, township, county, phone), done, failed,
                        changes=Changes.SETTINGS, origin=self)

    def selected_year(self) -> int:
        """The year chosen in the list (next year by default)."""
        entry = self.years.currentItem()
        return int(entry.data(YEAR_ROLE)) if entry else date.today().year + 1

    def edit_year(self) -> HolidayDialog:
        """Open the editor for the chosen year, prefilled with what the program knows."""
        year = self.selected_year()
        dialog = HolidayDialog(self.runner, year, self)
        dialog.saved.connect(self._calendar_changed)
        dialog.open()
        return dialog

    def load_file(self, path: str | None = None) -> None:
        """Load a year's arrangement from a JSON file."""
        if not path:
            path = open_file(self, "载入节假日安排", "JSON (*.json)")
        if not path:
            return

        def done(arrangement: workdays.Arrangement) -> None:
            say(self.calendar_message, f"已载入{arrangement.year}年节假日安排。")
            self._calendar_changed()

        def failed(message: str) -> None:
            say(self.calendar_message, message, error=True)

        self.runner.run(lambda s: workdays.load_arrangement_file(s, Path(path)), done, failed,
                        changes=Changes.SETTINGS, origin=self)

    def _calendar_changed(self) -> None:
        self.refresh(fields=False)

