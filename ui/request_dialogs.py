"""The small dialogs of the 依申请公开 register: register a request, move its clock, answer it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TypedDict

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.facts import (
    APPLICANT_TYPES,
    ORGANISATION_TYPES,
    REQUEST_CHANNELS,
    REQUEST_FILE_KINDS,
    REQUEST_OUTCOMES,
)
from app.info_requests.cases import delivery_ways, opinions, served_ways
from app.info_requests.deadlines import EXTENSION_MAX_WORKDAYS
from ui.widgets import FormDialog, date_edit, iso_date, open_file


class Registration(TypedDict):
    """What :class:`RegisterDialog` asks: the keywords of app.info_requests.cases.register."""

    applicant: str
    applicant_type: str
    received: str
    content: str
    channel: str
    organisation_type: str | None
    contact: str
    id_number: str
    address: str
    delivery: str


class Answer(TypedDict):
    """What :class:`AnswerDialog` asks: the keywords of app.info_requests.cases.answer."""

    outcome: str
    item: str | None
    reason: str
    on: str
    referred_to: str


#: The choice "not said" in the optional drop-downs.
NOT_SAID = "（未说明）"


class RegisterDialog(FormDialog):
    """Who asks, how and when the request came in, and what it asks for."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__("登记依申请公开", "收到申请之日起20个工作日内答复；登记后自动计算期限。",
                         "登记", parent)
        self.applicant = QLineEdit()
        self.applicant.setPlaceholderText("姓名或单位名称")
        self.kind = QComboBox()
        self.kind.addItems(list(APPLICANT_TYPES))
        self.organisation = QComboBox()
        self.organisation.addItems(list(ORGANISATION_TYPES))
        self.kind.currentTextChanged.connect(
            lambda text: self.organisation.setEnabled(text == "法人或其他组织"))
        self.organisation.setEnabled(False)
        self.channel = QComboBox()
        self.channel.addItems(list(REQUEST_CHANNELS))
        self.received = date_edit(today)
        self.content = QPlainTextEdit()
        self.content.setPlaceholderText("申请公开的政府信息的名称、文号或便于查询的特征描述")
        self.content.setFixedHeight(90)
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("电话（答复送达用）")
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("身份证号码；法人或其他组织填统一社会信用代码")
        self.address = QLineEdit()
        self.address.setPlaceholderText("通讯地址（邮寄答复用）")
        self.delivery = QComboBox()
        self.delivery.addItems([NOT_SAID, *delivery_ways()])
        for label, field in (("申请人", self.applicant), ("申请人类型", self.kind),
                             ("组织类型", self.organisation), ("申请方式", self.channel),
                             ("收到日期", self.received), ("申请内容", self.content),
                             ("联系方式", self.contact), ("证件号码", self.id_number),
                             ("通讯地址", self.address), ("获取方式", self.delivery)):
            self.form.addRow(label, field)

    def fill(self, values: Registration, refused: str = "") -> None:
        """Put back what was typed, with the sentence that refused it (a write that failed)."""
        self.applicant.setText(values["applicant"])
        self.kind.setCurrentText(values["applicant_type"])
        if values["organisation_type"]:
            self.organisation.setCurrentText(values["organisation_type"])
        self.channel.setCurrentText(values["channel"])
        self.received.setDate(QDate.fromString(values["received"], "yyyy-MM-dd"))
        self.content.setPlainText(values["content"])
        self.contact.setText(values["contact"])
        self.id_number.setText(values["id_number"])
        self.address.setText(values["address"])
        self.delivery.setCurrentText(values["delivery"] or NOT_SAID)
        if refused:
            self.hint.setText(refused)
            self.hint.setStyleSheet("color: #b00020;")

    def problem(self) -> str:
        """Applicant and content are required."""
        if not self.applicant.text().strip():
            return "请填写申请人姓名或名称。"
        if not self.content.toPlainText().strip():
            return "请填写申请公开的内容。"
        return ""

    def values(self) -> Registration:
        """Keyword arguments for app.info_requests.cases.register."""
        organisation = (self.organisation.currentText()
                        if self.kind.currentText() == "法人或其他组织" else None)
        return {"applicant": self.applicant.text(), "applicant_type": self.kind.currentText(),
                "received": iso_date(self.received), "content": self.content.toPlainText(),
                "channel": self.channel.currentText(), "organisation_type": organisation,
                "contact": self.contact.text(), "id_number": self.id_number.text(),
                "address": self.address.text(), "delivery": chosen(self.delivery)}


def chosen(box: QComboBox) -> str:
    """A drop-down's choice, '' for 未说明."""
    return "" if box.currentText() == NOT_SAID else box.currentText()


class StepDialog(FormDialog):
    """A date, and for some steps more: 补正 (its items), 恢复计时 (the third party's
    opinion), 征求意见 (the party), 延期 (days, approver, reason), 送达 (the way)."""

    def __init__(self, title: str, hint: str, accept_text: str, today: date,
                 party: bool = False, approver: bool = False,
                 parent: QWidget | None = None, items: bool = False,
                 opinion: bool = False, way: bool = False) -> None:
        super().__init__(title, hint, accept_text, parent)
        self.day = date_edit(today)
        self.form.addRow("日期", self.day)
        self.items = QPlainTextEdit() if items else None
        if self.items is not None:
            self.items.setPlaceholderText("需要申请人补正的事项（写进补正通知书），"
                                          "如：所需信息的名称、年份、文号")
            self.items.setFixedHeight(70)
            self.form.addRow("补正事项", self.items)
        self.opinion = QComboBox() if opinion else None
        if self.opinion is not None:
            self.opinion.addItems([NOT_SAID, *opinions()])
            self.form.addRow("第三方意见", self.opinion)
        self.way = QComboBox() if way else None
        if self.way is not None:
            self.way.addItems(list(served_ways()))
            self.form.addRow("送达方式", self.way)
        self.party = QLineEdit() if party else None
        if self.party is not None:
            self.party.setPlaceholderText("第三方名称")
            self.form.addRow("第三方", self.party)
        self.approver = QLineEdit() if approver else None
        self.days = QSpinBox() if approver else None
        if self.approver is not None and self.days is not None:
            self.days.setRange(1, EXTENSION_MAX_WORKDAYS)
            self.days.setValue(EXTENSION_MAX_WORKDAYS)
            self.days.setSuffix(" 个工作日")
            self.approver.setPlaceholderText("批准延期的负责人")
            self.form.addRow("延长", self.days)
            self.form.addRow("批准人", self.approver)
        self.reason = QLineEdit() if approver else None
        if self.reason is not None:
            self.reason.setPlaceholderText("延期理由（写进延期答复告知书）")
            self.form.addRow("延期理由", self.reason)

    def problem(self) -> str:
        """The name a step needs."""
        if self.party is not None and not self.party.text().strip():
            return "请填写征求意见的第三方名称。"
        if self.approver is not None and not self.approver.text().strip():
            return "延长答复期限须经负责人同意，请填写批准人。"
        return ""

    def on(self) -> str:
        """The step's date."""
        return iso_date(self.day)

    def text_of(self, name: str) -> str:
        """What was written in an optional field (items, reason), '' where there is none."""
        field = getattr(self, name)
        if isinstance(field, QPlainTextEdit):
            return field.toPlainText()
        return field.text() if isinstance(field, QLineEdit) else ""

    def choice_of(self, name: str) -> str | None:
        """An optional drop-down's choice (opinion, way), None where unsaid or absent."""
        field = getattr(self, name)
        return (chosen(field) or None) if isinstance(field, QComboBox) else None


class AnswerDialog(FormDialog):
    """The reply, in the annual report's categories."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__("记录答复", "办理结果按年度报告的分类记录；不予公开等须注明具体情形。",
                         "记录答复", parent)
        self.outcome = QComboBox()
        self.outcome.addItems(list(REQUEST_OUTCOMES))
        self.item = QComboBox()
        self.outcome.currentTextChanged.connect(self._items)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("具体理由，写进答复书（如：涉及个人身份证号码和银行账号的部分）")
        self.reason.setFixedHeight(70)
        self.day = date_edit(today)
        self.referred_to = QLineEdit()
        self.referred_to.setPlaceholderText("不属于本机关负责公开时：负责公开的机关及其联系方式")
        self.item.currentTextChanged.connect(self._referral)
        for label, field in (("办理结果", self.outcome), ("具体情形", self.item),
                             ("理由和依据", self.reason), ("负责公开的机关", self.referred_to),
                             ("答复日期", self.day)):
            self.form.addRow(label, field)
        self._items(self.outcome.currentText())

    def _items(self, outcome: str) -> None:
        self.item.clear()
        self.item.addItems(list(REQUEST_OUTCOMES[outcome]))
        self.item.setEnabled(bool(REQUEST_OUTCOMES[outcome]))
        self._referral()

    def _referral(self, _item: str = "") -> None:
        # Only "not held here" can name the office that holds it (第三十六条第五项).
        self.referred_to.setEnabled(self.item.isEnabled()
                                    and self.item.currentText() == "本机关不掌握相关政府信息")

    def values(self) -> Answer:
        """Keyword arguments for app.info_requests.cases.answer."""
        return {"outcome": self.outcome.currentText(),
                "item": self.item.currentText() if self.item.isEnabled() else None,
                "reason": self.reason.toPlainText(), "on": iso_date(self.day),
                "referred_to": self.referred_to.text() if self.referred_to.isEnabled() else ""}


class AttachDialog(FormDialog):
    """A file to keep in the case file, and what it is (送达回证 by default)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("归入案卷", "材料复制一份存进数据文件夹，原文件不动；"
                         "扫描件、照片、PDF、Word均可。", "归入", parent)
        self.file = QLineEdit()
        self.file.setPlaceholderText("选择要归档的文件")
        choose = QPushButton("选择…")
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(choose)
        self.kind = QComboBox()
        self.kind.addItems(list(REQUEST_FILE_KINDS))
        self.kind.setCurrentText("送达回证")
        self.form.addRow("文件", row)
        self.form.addRow("材料类型", self.kind)

    def _choose(self) -> None:
        path = open_file(self, "选择要归档的文件",
                         "材料 (*.pdf *.jpg *.jpeg *.png *.docx *.doc *.tif *.tiff);;所有文件 (*)")
        if path:
            self.file.setText(path)

    def path(self) -> str:
        """The chosen file."""
        return self.file.text().strip()

    def problem(self) -> str:
        """A file that exists is required."""
        if not self.path():
            return "请选择要归档的文件。"
        if not Path(self.path()).is_file():
            return "找不到这个文件，请重新选择。"
        return ""
