"""设置 › 审核与公开栏: review steps, the villages' boards, the township's published numbers."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from app.facts import REVIEW_STEPS
from app.notices.workflow import Workflow, get_workflow, set_workflow
from ui.tasks import Changes, Runner


class WorkflowBox(QGroupBox):
    """The workflow settings, saved together."""

    saved = Signal()
    loaded = Signal()

    def __init__(self, runner: Runner) -> None:
        super().__init__("审核步骤与公开栏")
        self.runner = runner
        self.steps = QComboBox()
        for n in (1, 2, 3):
            self.steps.addItem(" → ".join(REVIEW_STEPS[:n]), n)
        self.villages = QPlainTextEdit()
        self.villages.setPlaceholderText("每行一个村（社区），如：东山村")
        self.villages.setMaximumHeight(90)
        self.phones = QLineEdit()
        self.phones.setPlaceholderText("举报电话、办公电话等，用逗号分隔；这些号码不会被遮盖")
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        form = QFormLayout(self)
        form.addRow("审核步骤", self.steps)
        form.addRow("各村公开栏", self.villages)
        form.addRow("公开的办公电话", self.phones)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.message, 1)
        form.addRow(row)

    def refresh(self) -> None:
        """Read the settings in the background."""
        self.runner.run(get_workflow, self._show)

    def _show(self, flow: Workflow) -> None:
        self.steps.setCurrentIndex(flow.review_steps - 1)
        self.villages.setPlainText("\n".join(flow.villages))
        self.phones.setText("，".join(flow.office_phones))
        self.loaded.emit()

    def save(self) -> None:
        """Save all three; a bad phone number refuses the save and changes nothing."""
        steps, villages = self.steps.currentData(), self.villages.toPlainText()
        phones = self.phones.text()

        def done(flow: Workflow) -> None:
            self._show(flow)
            self.message.setStyleSheet("")
            self.message.setText("已保存。")
            self.saved.emit()

        def failed(message: str) -> None:
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(message)

        self.runner.run(lambda s: set_workflow(s, steps, villages, phones), done, failed,
                        changes=Changes.SETTINGS, origin=self)
