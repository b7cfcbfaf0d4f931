"""The first-run questions: which township this desk belongs to."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import dialog_buttons


class FirstRunDialog(QDialog):
    """Asks the township and county names (and the 监督电话) once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("欢迎使用乡镇政务公开工作台")
        self.setMinimumWidth(460)  # room for the hints inside the fields
        self.township = QLineEdit()
        self.township.setPlaceholderText("例如：青石镇")
        self.county = QLineEdit()
        self.county.setPlaceholderText("例如：东山县")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("公告上印的监督电话，可稍后在设置中填写")
        form = QFormLayout()
        form.addRow("乡镇名称", self.township)
        form.addRow("所属县（市、区）", self.county)
        form.addRow("监督电话", self.phone)
        self.hint = QLabel("请先填写本工作台所属的乡镇。这些信息会印在公告和明白纸上，"
                           "以后可在“设置”中修改。")
        self.hint.setWordWrap(True)
        buttons, _ok = dialog_buttons(self, "开始使用", "以后再说", self._accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if not self.township.text().strip() or not self.county.text().strip():
            self.hint.setText("请填写乡镇名称和所属县（市、区）名称。")
            return
        self.accept()

    def values(self) -> tuple[str, str, str]:
        """Township, county and phone as typed."""
        return self.township.text().strip(), self.county.text().strip(), self.phone.text().strip()
