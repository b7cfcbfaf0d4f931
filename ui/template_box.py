"""设置 › 张贴稿模板: the township's own heading line, closing words and phone label per kind."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from app.facts import NOTICE_KINDS
from app.notices.templates import (
    FIELD_LABELS,
    PLACEHOLDERS,
    Template,
    get_template,
    reset_template,
    set_template,
    township_changes,
)
from app.printing.output import PAPER_SIZES
from app.store import Store
from ui.tasks import Changes, Runner
from ui.widgets import say

#: Labels clerks use for the phone line; the box stays editable for any other.
PHONE_LABELS = ("监督电话", "举报电话", "咨询电话", "联系电话")


class TemplateBox(QGroupBox):
    """Edit one kind's template at a time; only what differs from the default is kept."""

    saved = Signal()
    loaded = Signal()

    def __init__(self, runner: Runner) -> None:
        super().__init__("张贴稿和明白纸模板")
        self.runner = runner
        self.kind = QComboBox()
        self.kind.addItems(list(NOTICE_KINDS))
        self.kind.setCurrentText("公示")
        self.kind.currentTextChanged.connect(lambda _k: self.refresh())
        self.heading = QLineEdit()
        self.heading.setPlaceholderText(
            "如：中共{乡镇名称}委员会　{乡镇名称}人民政府（红色，空着不印）")
        self.opening = QLineEdit()
        self.closing = QLineEdit()
        self.phone_label = QComboBox()
        self.phone_label.setEditable(True)
        self.phone_label.addItems(PHONE_LABELS)
        self.paper = QComboBox()
        self.paper.addItems(list(PAPER_SIZES))
        self.qr_caption = QLineEdit()
        self.changed_note = QLabel()
        self.changed_note.setWordWrap(True)
        self.save_button = QPushButton("保存模板")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton("恢复默认")
        self.reset_button.clicked.connect(self.reset)
        self.message = QLabel()
        form = QFormLayout(self)
        form.addRow("公开形式", self.kind)
        form.addRow(FIELD_LABELS["heading"], self.heading)
        form.addRow(FIELD_LABELS["opening"], self.opening)
        form.addRow(FIELD_LABELS["closing"], self.closing)
        form.addRow(FIELD_LABELS["phone_label"], self.phone_label)
        form.addRow(FIELD_LABELS["paper"], self.paper)
        form.addRow(FIELD_LABELS["qr_caption"], self.qr_caption)
        hint = QLabel(f"文字里可写 {'、'.join(PLACEHOLDERS)}，打印时换成本乡镇的信息。")
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow(self.changed_note)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.reset_button)
        row.addWidget(self.message, 1)
        form.addRow(row)

    def refresh(self) -> None:
        """Read the chosen kind's template in the background."""
        kind = self.kind.currentText()

        def work(store: Store) -> tuple[Template, dict[str, str]]:
            return get_template(store, kind), township_changes(store, kind)

        self.runner.run(work, self._show)

    def _values(self) -> dict[str, str]:
        return {"heading": self.heading.text(), "opening": self.opening.text(),
                "closing": self.closing.text(), "phone_label": self.phone_label.currentText(),
                "paper": self.paper.currentText(), "qr_caption": self.qr_caption.text()}

    def _show(self, data: tuple[Template, dict[str, str]]) -> None:
        template, changed = data
        if template.kind != self.kind.currentText():
            return  # the clerk has already chosen another kind
        self.heading.setText(template.heading)
        self.opening.setText(template.opening)
        self.closing.setText(template.closing)
        self.phone_label.setCurrentText(template.phone_label)
        self.paper.setCurrentText(template.paper)
        self.qr_caption.setText(template.qr_caption)
        self.qr_caption.setEnabled(template.kind == "明白纸")
        self.changed_note.setText(
            "本乡镇已改：" + "、".join(FIELD_LABELS[f] for f in changed) if changed
            else "现用程序自带的默认模板。")
        self.loaded.emit()

    def save(self) -> None:
        """Save the shown kind's fields; a refused value changes nothing."""
        kind, values = self.kind.currentText(), self._values()
        self.runner.run(lambda s: (set_template(s, kind, values), township_changes(s, kind)),
                        lambda data: self._done(data, "模板已保存。"), self._failed,
                        changes=Changes.SETTINGS, origin=self)

    def reset(self) -> None:
        """Go back to the shipped template for the shown kind."""
        kind = self.kind.currentText()
        self.runner.run(lambda s: (reset_template(s, kind), township_changes(s, kind)),
                        lambda data: self._done(data, "已恢复默认模板。"), self._failed,
                        changes=Changes.SETTINGS, origin=self)

    def _done(self, data: tuple[Template, dict[str, str]], text: str) -> None:
        self._show(data)
        say(self.message, text)
        self.saved.emit()

    def _failed(self, message: str) -> None:
        say(self.message, message, error=True)
