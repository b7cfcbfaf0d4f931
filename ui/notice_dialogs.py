"""The small dialogs of the notice workflow: start a draft, review a step, record a posting."""

from __future__ import annotations

from datetime import date
from typing import cast

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from app.facts import NOTICE_KINDS, REVIEW_CHECKLIST
from app.notices.proofread import Proof
from ui.widgets import FormDialog, date_edit, iso_date, open_file

#: 严重 in the red of every refusal, 一般 in the orange of a warning, 提示 quiet.
SEVERITY_COLOURS = {"严重": "#b00020", "一般": "#b35900", "提示": "#6b6b6b"}
PROOF_ROLE = Qt.ItemDataRole.UserRole


def proof_items(target: QListWidget, lines: list[str], proofs: list[Proof]) -> None:
    """Fill ``target`` with one coloured line per finding, its explanation as the tooltip."""
    target.clear()
    brushes = {sev: QBrush(QColor(colour)) for sev, colour in SEVERITY_COLOURS.items()}
    # Updates off while thousands of rows go in: one layout at the end, not one per row.
    target.setUpdatesEnabled(False)
    try:
        for row, (line, proof) in enumerate(zip(lines, proofs, strict=True)):
            item = QListWidgetItem(line)
            item.setForeground(brushes.get(proof.severity, brushes["提示"]))
            item.setToolTip(proof.explanation)
            item.setData(PROOF_ROLE, row)
            target.addItem(item)
    finally:
        target.setUpdatesEnabled(True)


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
    """One review step: who, the opinion and the checklist; or a return with its reason.

    Every checklist item starts unticked: the reviewer answers each one. An
    item the program can see is false cannot simply be ticked: unmasked
    personal data blocks the step, and a 要素 missing from the text needs a
    written reason, which is kept in the review record. An open 严重 校对 finding
    holds 审核通过 until it is mended or a reason is written in the same field.
    """

    def __init__(self, step: str, returning: bool, parent: QWidget | None = None, *,
                 rev: int = 0, missing: list[str] | None = None, findings: int = 0,
                 names: list[str] | None = None, state: str = "",
                 proofs: list[tuple[str, Proof]] | None = None) -> None:
        title = f"{step}：退回修改" if returning else f"{step}"
        hint = (f"审核的是第{rev}版的文字。" if rev else "") + "请如实填写，审核记录会保留。"
        super().__init__(title, hint + (f"\n{state}" if state else ""),
                         "退回" if returning else "审核通过", parent)
        self.returning = returning
        self.missing = list(missing or [])
        self.findings = findings
        self.proofs = list(proofs or [])
        self.severe = sum(1 for _line, p in self.proofs if p.severity == "严重")
        self.reviewer = QComboBox()
        self.reviewer.setEditable(True)
        self.reviewer.addItems(names or [])
        self.reviewer.setCurrentIndex(-1)
        cast(QLineEdit, self.reviewer.lineEdit()).setPlaceholderText(
            "审核人姓名" + ("（设置中指定：" + "、".join(names) + "）" if names else ""))
        self.opinion = QLineEdit()
        self.form.addRow("审核人", self.reviewer)
        self.form.addRow("退回理由" if returning else "审核意见", self.opinion)
        self.checks: dict[str, QCheckBox] = {}
        self.override = QLineEdit()
        if not returning:
            grid = QGridLayout()
            for n, name in enumerate(REVIEW_CHECKLIST):
                box = QCheckBox(name)
                self.checks[name] = box
                grid.addWidget(box, n // 3, n % 3)
            privacy = self.checks["不含个人隐私"]
            if findings:
                privacy.setEnabled(False)
                privacy.setText(f"不含个人隐私（还有{findings}处未遮盖）")
            if self.missing:
                self.checks["要素齐全"].setText("要素齐全（文中找不到："
                                                 + "、".join(self.missing) + "）")
                self.checks["要素齐全"].setToolTip("确实已写到（如另附名单），请在下方写明理由")
            self.form.addRow("逐项核对", grid)
            why = ("要素找不到却仍确认齐全" if not self.severe else
                   "要素找不到、严重校对问题不改" if self.missing else "严重校对问题不改")
            self.override.setPlaceholderText(why + "时，写明理由（记入审核记录）")
            self.override.setVisible(bool(self.missing or self.severe))
            if self.missing or self.severe:
                self.form.addRow("通过理由", self.override)
        self.proof_list = QListWidget()
        self.severe_line = QLabel("有严重校对问题：请先修改，或写明理由后通过")
        self.severe_line.setStyleSheet("color: #b00020;")
        self.severe_line.setWordWrap(True)
        self.severe_line.setVisible(bool(self.severe) and not returning)
        if self.proofs:
            lines, found = [line for line, _p in self.proofs], [p for _l, p in self.proofs]
            proof_items(self.proof_list, lines, found)
            self.proof_list.setWordWrap(False)
            self.proof_list.setUniformItemSizes(True)
            # As tall as its rows, up to seven; more scroll.
            shown = min(len(self.proofs), 7)
            self.proof_list.setMaximumHeight(self.proof_list.sizeHintForRow(0) * shown
                                             + 2 * self.proof_list.frameWidth() + 4)
            self.form.addRow(f"校对问题（{len(self.proofs)}处）", self.proof_list)
            self.form.addRow(self.severe_line)
        self.override.textChanged.connect(lambda _t: self._severe_held())
        self._severe_held()

    def _severe_held(self) -> None:
        """审核通过 stays greyed while a 严重 finding is open and no reason is written."""
        held = bool(self.severe) and not self.returning and not self.override.text().strip()
        self.ok.setEnabled(not held)

    def problem(self) -> str:
        """Reviewer always; a reason when returning; every item answered when passing."""
        if not self.reviewer.currentText().strip():
            return "请填写审核人姓名。"
        if self.returning:
            return "" if self.opinion.text().strip() else "请写明退回理由。"
        if self.findings:
            return f"文中还有{self.findings}处个人信息未遮盖，不能审核通过；请先遮盖，或退回修改。"
        unchecked = [n for n, box in self.checks.items() if not box.isChecked()]
        if unchecked:
            return f"请逐项核对：“{'、'.join(unchecked)}”尚未确认；确有问题请退回修改。"
        if self.missing and not self.override.text().strip():
            return "文中找不到部分要素，确认要素齐全须写明理由。"
        if self.severe and not self.override.text().strip():
            return f"还有{self.severe}处严重校对问题：请先修改，或写明理由后通过。"
        return ""

    def values(self) -> tuple[str, str, list[str], str]:
        """Reviewer, opinion (or reason), the items confirmed and the override reason."""
        checked = [n for n, box in self.checks.items() if box.isChecked()]
        return (self.reviewer.currentText().strip(), self.opinion.text().strip(), checked,
                self.override.text().strip())


class ReasonDialog(FormDialog):
    """A reason for 修改后重新报审 or 撤回, kept in the record."""

    def __init__(self, title: str, hint: str, accept_text: str, reason: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(title, hint, accept_text, parent)
        self.reason = QLineEdit(reason)
        self.form.addRow("理由", self.reason)

    def problem(self) -> str:
        """A reason is needed."""
        return "" if self.reason.text().strip() else "请写明理由。"

    def value(self) -> str:
        """The reason."""
        return self.reason.text().strip()


class PostDialog(FormDialog):
    """Which board, which day, and the photo that proves it; a village board can be added here."""

    #: The clerk asked to add a village board: its village's name.
    add_village = Signal(str)

    def __init__(self, boards: list[str], today: date, parent: QWidget | None = None) -> None:
        super().__init__("记录张贴", "张贴后公示期从张贴当天开始计算。村务公开栏可在这里添加，"
                         "也可在“设置”中统一填写。", "记录张贴", parent)
        self.board = QComboBox()
        self.board.addItems(boards)
        self.board.setMinimumContentsLength(16)
        self.village = QLineEdit()
        self.village.setPlaceholderText("村名，如：西岭村")
        add = QPushButton("添加村公示栏")
        add.clicked.connect(self._add)
        self.day = date_edit(today)
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        self.photo = QLineEdit()
        self.photo.setPlaceholderText("现场照片（可选）")
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo, 1)
        photo_row.addWidget(browse)
        village_row = QHBoxLayout()
        village_row.addWidget(self.village, 1)
        village_row.addWidget(add)
        self.form.addRow("公开栏", self.board)
        self.form.addRow("新增村", village_row)
        self.form.addRow("张贴日期", self.day)
        self.form.addRow("照片", photo_row)

    def _add(self) -> None:
        name = self.village.text().strip()
        if name:
            self.add_village.emit(name)

    def set_boards(self, boards: list[str], chosen: str = "") -> None:
        """Show the boards again (after one was added) and choose ``chosen``."""
        self.board.clear()
        self.board.addItems(boards)
        if chosen:
            self.board.setCurrentText(chosen)
        self.village.clear()

    def _browse(self) -> None:
        path = open_file(self, "选择现场照片", "照片 (*.jpg *.jpeg *.png *.gif *.bmp *.webp)")
        if path:
            self.photo.setText(path)

    def values(self) -> tuple[str, str, str]:
        """Board, date and photo path ('' for none)."""
        return self.board.currentText(), iso_date(self.day), self.photo.text().strip()
