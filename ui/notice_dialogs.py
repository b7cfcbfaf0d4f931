"""The small dialogs of the notice workflow: start a draft, review a step, record a posting."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.facts import NOTICE_KINDS, REVIEW_CHECKLIST
from ui.widgets import FormDialog, date_edit, iso_date


class NewNoticeDialog(FormDialog):
    """Kind and formed date for a draft started from a catalog item."""

    def __init__(self, item_title: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__("起草公开信息", f"依据目录事项「{item_title}」起草。", "起草", parent)
        self.kind = QComboBox()
        self.kind.addItems(list(NOTICE_KINDS))
        self.kind.setCurrentText("公示")
        self.formed = date_edit(today)
        self.formed.setMaximumDate(QDate(today.year, today.month, today.day))
        self.form.addRow("类型", self.kind)
        self.form.addRow("信息形成日期", self.formed)

    def values(self) -> tuple[str, str]:
        """Kind and formed date (ISO)."""
        return self.kind.currentText(), iso_date(self.formed)


class ReviewDialog(FormDialog):
    """One review step: who, the opinion and the checklist; or a return with its reason."""

    def __init__(self, step: str, returning: bool, parent: QWidget | None = None) -> None:
        title = f"{step}：退回修改" if returning else f"{step}"
        super().__init__(title, "请如实填写，审核记录会保留。",
                         "退回" if returning else "审核通过", parent)
        self.returning = returning
        self.reviewer = QLineEdit()
        self.opinion = QLineEdit()
        self.form.addRow("审核人", self.reviewer)
        self.form.addRow("退回理由" if returning else "审核意见", self.opinion)
        self.checks: dict[str, QCheckBox] = {}
        if not returning:
            row = QHBoxLayout()
            for name in REVIEW_CHECKLIST:
                box = QCheckBox(name)
                box.setChecked(True)
                self.checks[name] = box
                row.addWidget(box)
            self.form.addRow("核对", row)

    def problem(self) -> str:
        """Reviewer always; a reason when returning; every check when passing."""
        if not self.reviewer.text().strip():
            return "请填写审核人姓名。"
        if self.returning and not self.opinion.text().strip():
            return "请写明退回理由。"
        unchecked = [n for n, box in self.checks.items() if not box.isChecked()]
        if unchecked:
            return f"“{'、'.join(unchecked)}”未核对通过，不能审核通过，请退回修改。"
        return ""

    def values(self) -> tuple[str, str, dict[str, bool]]:
        """Reviewer, opinion (or reason) and the checklist."""
        marks = {n: box.isChecked() for n, box in self.checks.items()}
        return self.reviewer.text().strip(), self.opinion.text().strip(), marks


class PostDialog(FormDialog):
    """Which board, which day, and the photo that proves it."""

    def __init__(self, boards: list[str], today: date, parent: QWidget | None = None) -> None:
        super().__init__("记录张贴", "张贴后公示期从张贴当天开始计算。", "记录张贴", parent)
        self.board = QComboBox()
        self.board.addItems(boards)
        self.day = date_edit(today)
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        self.photo = QLineEdit()
        self.photo.setPlaceholderText("现场照片（可选）")
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo, 1)
        photo_row.addWidget(browse)
        self.form.addRow("公开栏", self.board)
        self.form.addRow("张贴日期", self.day)
        self.form.addRow("照片", photo_row)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择现场照片", "",
                                              "照片 (*.jpg *.jpeg *.png *.gif *.bmp *.webp)")
        if path:
            self.photo.setText(path)

    def values(self) -> tuple[str, str, str]:
        """Board, date and photo path ('' for none)."""
        return self.board.currentText(), iso_date(self.day), self.photo.text().strip()
