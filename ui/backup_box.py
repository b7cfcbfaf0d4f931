"""设置 › 备份与恢复: the backups kept, 立即备份, and going back to one.

What a backup is and how a file is checked is app.backups'; this box lists,
asks, and shows the one-sentence answer. A restore runs off the UI thread
and then every page reads the desk again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import backups
from ui.tasks import Changes, Runner
from ui.widgets import open_file, say

COLUMNS = ("备份时间", "大小", "原因")


def size_text(size: int) -> str:
    """A file's size as the clerk reads it (KB below a megabyte, MB above)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class BackupBox(QGroupBox):
    """The list of backups with 立即备份, 恢复所选… and 从文件恢复…."""

    #: The list was read (tests wait on it).
    loaded = Signal()
    #: A restore ended, with its report or its refusal (tests wait on it).
    restored = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__("备份与恢复", parent)
        self.runner = runner
        self.entries: list[backups.BackupFile] = []
        hint = QLabel("每天第一次打开时自动备份（保留最近 30 份），升级数据和恢复之前也会自动备份。"
                      "恢复前会先备份当前数据，恢复后可以再恢复回来。")
        hint.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(200)
        self.table.itemDoubleClicked.connect(lambda _i: self.restore_selected())
        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button = QPushButton("恢复所选…")
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.file_button = QPushButton("从文件恢复…")
        self.file_button.setToolTip("恢复U盘或其他位置的备份文件（.sqlite3）")
        self.file_button.clicked.connect(lambda: self.restore_file())
        row = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.file_button):
            row.addWidget(button)
        row.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        """Read the list of backups in the background."""
        folder = self.runner.folder
        self.runner.compute(lambda: backups.list_backups(folder), self._show,
                            lambda m: say(self.message, m, error=True))

    def _show(self, entries: list[backups.BackupFile]) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (entry.taken.strftime("%Y-%m-%d %H:%M:%S"), size_text(entry.size),
                     entry.reason)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(entry.path))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.loaded.emit()

    def rows(self) -> list[list[str]]:
        """What the table shows, row by row."""
        return [[item.text() if (item := self.table.item(r, c)) else ""
                 for c in range(len(COLUMNS))] for r in range(self.table.rowCount())]

    def back_up(self) -> None:
        """立即备份: a backup in the data folder's backups/, then the list again."""
        self.backup_button.setEnabled(False)

        def done(path: Path) -> None:
            self.backup_button.setEnabled(True)
            say(self.message, f"已备份到 {path}。")
            self.refresh()

        def failed(message: str) -> None:
            self.backup_button.setEnabled(True)
            say(self.message, message, error=True)

        self.runner.run(backups.take_backup, done, failed)

    def restore_selected(self) -> None:
        """恢复所选…: the backup chosen in the list."""
        row = self.table.currentRow()
        if row < 0 or row >= len(self.entries):
            say(self.message, "请先在列表中选中一份备份。", error=True)
            return
        self.restore_file(str(self.entries[row].path))

    def restore_file(self, path: str | None = None) -> None:
        """Restore ``path`` (chosen in a file dialog when not given).

        The file is checked first; the clerk is asked with what it holds, and
        a file refused is said at once, without a question.
        """
        if not path:
            path = open_file(self, "选择要恢复的备份文件", "工作台备份 (*.sqlite3);;所有文件 (*)")
        if not path:
            return
        folder, source = self.runner.folder, Path(path)
        self._busy(True)
        say(self.message, "正在检查备份文件，请稍候……")

        def checked(holds: backups.Holdings) -> None:
            if not self.confirm(source.name, holds.sentence()):
                self._busy(False)
                say(self.message, "未恢复。")
                return
            say(self.message, "正在恢复，请稍候……")
            self.runner.compute(lambda: backups.restore(folder, source), done, failed)

        def done(result: backups.Restored) -> None:
            self._busy(False)
            report = result.sentence()
            say(self.message, report)
            self.refresh()
            # Everything the window shows may have changed.
            self.runner.announce(Changes.ALL, None)
            self.restored.emit(report)

        def failed(message: str) -> None:
            self._busy(False)
            say(self.message, message, error=True)
            self.restored.emit(message)

        self.runner.compute(lambda: backups.inspect(folder, source), checked, failed)

    def confirm(self, name: str, holds: str) -> bool:
        """Ask before a restore, saying what the backup holds and that today's data is kept."""
        answer = QMessageBox.question(
            self, "从备份恢复",
            f"「{name}」中有{holds}。要把全部数据恢复成这份备份中的样子吗？"
            "恢复前会先自动备份当前数据，需要时可以再恢复回来。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _busy(self, busy: bool) -> None:
        for button in (self.backup_button, self.restore_button, self.file_button):
            button.setEnabled(not busy)
