"""佐证材料: the year (or a quarter), where to save it, and the PDF built in the background.

The file is written by :func:`app.assessment.evidence.build_evidence`, the same
function as ``gongkai evidence``, in the Runner's pool; the bar follows each
photo shrunk and each record laid out. 取消 stops it at its next step and
leaves no file under the chosen name (nor the old file changed); closing the
dialog while it builds cancels it the same way.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.errors import UserError
from app.store import Store
from ui.tasks import Report, Runner
from ui.widgets import save_file, say

#: What the quarter box offers: the whole year, or one quarter.
QUARTERS = ("全年", "第一季度", "第二季度", "第三季度", "第四季度")


class EvidenceDialog(QDialog):
    """Year, quarter, file; 生成 builds it with a progress bar, 取消 stops it."""

    def __init__(self, runner: Runner, year: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("生成考核佐证材料")
        self._cancel = threading.Event()
        self._busy = False
        self._close_when_done = False
        #: The last line said (done or refused), for the page that opened the dialog.
        self.result_line = ""
        self.year = QSpinBox()
        self.year.setRange(2000, clock.today().year)
        self.year.setValue(year or clock.today().year)
        self.year.setSuffix(" 年")
        self.quarter = QComboBox()
        self.quarter.addItems(QUARTERS)
        self.path = QLineEdit()
        self.path.setPlaceholderText("请选择保存位置")
        choose = QPushButton("选择…")
        choose.clicked.connect(self.choose)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(choose)
        form = QFormLayout()
        form.addRow("年度", self.year)
        form.addRow("范围", self.quarter)
        form.addRow("保存为", where)
        note = QLabel("按评分规则的指标分类：封面、目录（书签）、每条公开信息的审批单、"
                      "张贴稿、张贴照片和县级平台发布地址，依申请公开案卷，年度报告数据，"
                      "整改记录。照片压缩到打印清晰度，便于发送。")
        note.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.progress.setValue(0)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.build_button = QPushButton("生成")
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(self.build)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.build_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(560, 300)

    def default_name(self) -> str:
        """The file name offered: 2026年度佐证材料.pdf, 2026年第四季度佐证材料.pdf."""
        index = self.quarter.currentIndex()
        part = "年度" if index == 0 else f"年{QUARTERS[index]}"
        return f"{self.year.value()}{part}政务公开佐证材料.pdf"

    def choose(self) -> None:
        """Ask where to save the file."""
        path = save_file(self, "保存佐证材料", self.default_name(), "PDF 文件 (*.pdf)")
        if path:
            self.path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def busy(self) -> bool:
        """Whether a file is being built."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.build_button, self.year, self.quarter, self.path):
            widget.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def build(self) -> None:
        """Build the file in the background (asking where first if no path is given)."""
        if self._busy:
            return
        if not self.path.text().strip():
            self.choose()
            if not self.path.text().strip():
                return
        out = Path(self.path.text().strip())
        year = self.year.value()
        quarter = self.quarter.currentIndex() or None
        self._cancel.clear()
        cancel = self._cancel
        self._set_busy(True)
        self.progress.setRange(0, 0)  # moving until the first step is counted
        self.progress.setFormat("正在生成 %p%")
        say(self.message, "正在生成佐证材料……")

        def work(store: Store, report: Report) -> str:
            # reportlab and Pillow load only when a file is built, not with the window.
            from app.assessment.evidence import CANCELLED, build_evidence

            def step(done: int, total: int) -> None:
                if cancel.is_set():
                    raise UserError(CANCELLED)
                report(done, total)

            return build_evidence(store, out, year, quarter, report=step).summary()

        self.runner.run(work, self._done, self._failed, self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _done(self, line: str) -> None:
        self._set_busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.setFormat("已完成")
        self.result_line = line
        say(self.message, line)
        self._finish()

    def _failed(self, line: str) -> None:
        self._set_busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("未完成")
        self.result_line = line
        say(self.message, line, error=not self._cancel.is_set())
        self._finish()

    def _finish(self) -> None:
        if self._close_when_done:
            self._close_when_done = False
            super().reject()

    def cancel(self) -> None:
        """Stop the build at its next step; nothing is left under the file's name."""
        if self._busy:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            say(self.message, "正在取消……")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  # Qt's name
        """Closing while it builds cancels the build; the dialog goes once it has stopped."""
        if self._busy:
            self._close_when_done = True
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def reject(self) -> None:
        """Esc or 关闭: as closing the window."""
        if self._busy:
            self._close_when_done = True
            self.cancel()
            return
        super().reject()


def open_evidence_dialog(runner: Runner, parent: QWidget | None = None,
                         year: int | None = None) -> EvidenceDialog:
    """Show the dialog (not modal: the window stays usable while the file is built)."""
    dialog = EvidenceDialog(runner, year, parent)
    dialog.show()
    return dialog
