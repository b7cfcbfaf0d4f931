"""年度计划: every period the catalog owes this year, what the desk holds for it, and the
clerk's word on items (不涉及 with its reason, a schedule the catalog leaves open, a standing
posting seen again).

One read of :func:`app.planning.plan.build_plan` in the background fills the page; every
write is the function ``gongkai plan …`` calls, so the page and the terminal agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app import clock
from app.catalog.schedule import DUE_FORMS, PERIOD_KINDS, SCHEDULE_KINDS
from app.planning.plan import COVERAGE, FIRST_YEAR, PLAN_STATUSES
from app.store import Store
from ui.page import Page
from ui.tasks import Changes, Newest, Runner
from ui.widgets import FormDialog, date_edit, iso_date, open_file, say, with_tooltips

if TYPE_CHECKING:
    from app.planning.plan import Plan, PlanEntry

HEADERS = ("领域", "事项", "期次", "截止日期", "状态", "公开信息 / 说明")
ALL = "全部"
FILTERS = (ALL, "待公开", "已逾期", "已落实", "不涉及")
RED = QColor("#b00020")
GREEN = QColor("#2e7d32")
GREY = QColor("#7a7a7a")
ROLE = Qt.ItemDataRole.UserRole


class NotApplicableDialog(FormDialog):
    """The reason an item is 不涉及, as the county's 未涉及事项说明 asks for it."""

    def __init__(self, title: str, parent: Page) -> None:
        super().__init__("标为不涉及", f"「{title}」本镇不涉及：写明理由，它将不再列入年度计划，"
                         "理由会写入台账的未涉及事项说明。", "标为不涉及", parent)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如：本镇无此项工作（由县级统一公开）")
        self.form.addRow("理由", self.reason)

    def problem(self) -> str:
        """A reason is required."""
        return "" if self.reason.text().strip() else "请写明不涉及的理由。"


class ScheduleDialog(FormDialog):
    """When an item falls due, where its 公开时限 does not say."""

    def __init__(self, title: str, time_limit: str, parent: Page) -> None:
        super().__init__("设定公开周期", f"「{title}」的公开时限「{time_limit or '未写明'}」"
                         "无法算出截止日期，请设定一次，以后按此计算。", "设定", parent)
        self.kind = QComboBox()
        for key, (words, _months) in PERIOD_KINDS.items():
            self.kind.addItem(words, ("periodic", key))
        self.kind.addItem(SCHEDULE_KINDS["standing"], ("standing", None))
        self.kind.addItem(SCHEDULE_KINDS["event"], ("event", None))
        self.due = QComboBox()
        for key, words in DUE_FORMS.items():
            self.due.addItem(words, key)
        self.n = QSpinBox()
        self.n.setRange(0, 60)
        self.month = QSpinBox()
        self.month.setRange(1, 12)
        self.day = QSpinBox()
        self.day.setRange(0, 31)
        self.day.setSpecialValueText("月底")
        self.form.addRow("周期", self.kind)
        self.form.addRow("截止", self.due)
        self.form.addRow("期满后天数", self.n)
        self.form.addRow("每年几月", self.month)
        self.form.addRow("几日", self.day)

    def schedule(self) -> dict[str, object]:
        """The answer as :func:`app.planning.plan.set_schedule` takes it."""
        kind, period = self.kind.currentData()
        if kind != "periodic":
            return {"kind": kind}
        due = self.due.currentData()
        return {"kind": "periodic", "period": period, "due": due, "n": self.n.value(),
                "month": self.month.value(), "day": self.day.value()}

    def problem(self) -> str:
        """What the program would refuse, said before it is sent."""
        data = self.schedule()
        if data.get("due") in ("workdays", "days") and not data.get("n"):
            return "请填写期满后多少天。"
        if data.get("due") == "date" and data.get("period") != "year":
            return "固定日期只用于每年公开的事项。"
        return ""


class ConfirmDialog(FormDialog):
    """A standing posting seen again: the photo of the board, or what was checked."""

    def __init__(self, title: str, parent: Page) -> None:
        super().__init__("复核长期公开", f"「{title}」：到公开栏拍一张照片，确认仍在公开。",
                         "记录复核", parent)
        self.board = QLineEdit("镇政务公开栏")
        self.photo = QLineEdit()
        self.photo.setPlaceholderText("照片文件")
        pick = QPushButton("选择照片…")
        pick.clicked.connect(self._pick)
        row = QHBoxLayout()
        row.addWidget(self.photo, 1)
        row.addWidget(pick)
        self.note = QLineEdit()
        self.note.setPlaceholderText("没有照片时写明复核情况（如：网站栏目已更新）")
        self.form.addRow("公开栏", self.board)
        self.form.addRow("照片", row)
        self.form.addRow("说明", self.note)

    def _pick(self) -> None:
        path = open_file(self, "选择公开栏照片", "照片 (*.jpg *.jpeg *.png *.bmp *.webp)")
        if path:
            self.photo.setText(path)

    def problem(self) -> str:
        """A photo or a note is required."""
        if not self.photo.text().strip() and not self.note.text().strip():
            return "请附公开栏照片，或写明复核情况。"
        return ""


class SinceDialog(FormDialog):
    """The day the township began keeping its records on the desk."""

    def __init__(self, since: date | None, parent: Page) -> None:
        super().__init__("计划起算日期",
                         "开始用工作台之前到期的期次，工作台没有记录，不应算作逾期：设定起算日期后，"
                         "此前到期的期次不再列出，也不计入考核自评。", "确定", parent)
        self.day = date_edit(since or clock.today())
        self.all = QCheckBox("从头计算（不设起算日期）")
        self.all.setChecked(since is None)
        self.form.addRow("起算日期", self.day)
        self.form.addRow("", self.all)

    def value(self) -> str | None:
        """The day chosen, or None for the whole year."""
        return None if self.all.isChecked() else iso_date(self.day)


class PlanPage(Page):
    """The 年度计划 page: the year's periods, filters, and the clerk's actions on an item."""

    cares = Changes.PLAN | Changes.NOTICES | Changes.POSTINGS | Changes.CATALOG
    loaded = Signal()
    #: The window hears these by name: open a notice, or start a draft from an item.
    open_notice = Signal(str)
    draft_requested = Signal(str, str)

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        self.plan: Plan | None = None
        self._reads = Newest()
        title = QLabel("年度公开计划")
        title.setObjectName("pageTitle")
        this_year = clock.today().year
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, this_year + 1)
        self.year.setValue(this_year)
        self.year.setSuffix(" 年")
        self.year.setKeyboardTracking(False)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.filter = QComboBox()
        self.filter.addItems(list(FILTERS))
        self.filter.currentIndexChanged.connect(lambda _i: self._fill())
        self.draft_button = QPushButton("起草…")
        self.draft_button.setToolTip("按这个事项起草本期的公开信息")
        self.draft_button.clicked.connect(self._draft)
        self.open_button = QPushButton("打开公开信息")
        self.open_button.clicked.connect(self._open)
        self.na_button = QPushButton("不涉及…")
        self.na_button.setToolTip("本镇不涉及这个事项：写明理由后不再列入计划")
        self.na_button.clicked.connect(self._not_applicable)
        self.confirm_button = QPushButton("复核…")
        self.confirm_button.setToolTip("长期公开事项：拍照确认仍在公开")
        self.confirm_button.clicked.connect(self._confirm)
        self.since_button = QPushButton("起算日期…")
        self.since_button.setToolTip("开始用工作台之前到期的期次不列出")
        self.since_button.clicked.connect(self._since)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addWidget(QLabel("显示"))
        top.addWidget(self.filter)
        top.addStretch(1)
        for button in (self.draft_button, self.open_button, self.confirm_button,
                       self.na_button, self.since_button):
            top.addWidget(button)
        self.summary = QLabel("正在读取……")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(HEADERS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        for column, width in enumerate((96, 320, 150, 130, 70)):
            self.tree.setColumnWidth(column, width)
        self.tree.header().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.tree.setToolTip("双击一行：已起草的打开公开信息，未起草的开始起草")
        self.tree.itemActivated.connect(lambda _item, _col: self._activated())
        self.tree.currentItemChanged.connect(lambda *_a: self._enable())
        self.questions_label = QLabel("公开时限无法算出日期的事项（设定一次即可）")
        self.questions = QTreeWidget()
        self.questions.setHeaderLabels(["领域", "事项", "公开时限"])
        self.questions.setRootIsDecorated(False)
        self.questions.setColumnWidth(0, 96)
        self.questions.setColumnWidth(1, 330)
        self.questions.setMaximumHeight(120)
        self.set_button = QPushButton("设定周期…")
        self.set_button.clicked.connect(self._set_schedule)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        qrow = QHBoxLayout()
        qrow.addWidget(self.questions_label, 1)
        qrow.addWidget(self.set_button)
        layout.addLayout(qrow)
        layout.addWidget(self.questions)
        layout.addWidget(self.status)
        self._enable()

    # -- reading ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the plan of the chosen year in the background."""
        only = self._reads.start()
        year = self.year.value()

        def work(store: Store) -> Plan:
            from app.planning.plan import build_plan

            return build_plan(store, year)

        self.runner.run(work, only(self.show_plan), only(lambda m: say(self.status, m, True)))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Coming back reads again: a notice drafted meanwhile fulfils its period."""
        super().showEvent(event)
        self.refresh()

    def show_plan(self, plan: Plan) -> None:
        """Draw one read."""
        self.plan = plan
        counts = {key: sum(e.status == key for e in plan.entries) for key in PLAN_STATUSES}
        text = (f"{plan.year}年：{len(plan.entries)}个期次，"
                + "，".join(f"{PLAN_STATUSES[k]}{v}" for k, v in counts.items())
                + f"；另有{plan.events}个事项随事项发生时公开")
        if plan.questions:
            text += f"；{len(plan.questions)}个事项待设定公开周期"
        if plan.since:
            text += f"（自{plan.since.isoformat()}起计算）"
        self.summary.setText(text)
        self._fill()
        self.questions.clear()
        for q in plan.questions:
            row = with_tooltips(QTreeWidgetItem([q.domain, q.title, q.time_limit]))
            row.setData(0, ROLE, q.item_id)
            self.questions.addTopLevelItem(row)
        shown = bool(plan.questions)
        for widget in (self.questions, self.questions_label, self.set_button):
            widget.setVisible(shown)
        self.loaded.emit()

    def _fill(self) -> None:
        self.tree.clear()
        if self.plan is None:
            return
        wanted = self.filter.currentText()
        for e in sorted(self.plan.entries, key=lambda e: (e.due, e.domain, e.title)):
            if wanted != ALL and PLAN_STATUSES[e.status] != wanted:
                continue
            row = with_tooltips(QTreeWidgetItem([
                e.domain, e.title, e.period.words() + ("（复核）" if e.kind == "standing" else ""),
                e.due.isoformat() + ("" if e.calendar_known else "（按周一至周五计）"),
                e.status_label, self._detail(e)]))
            row.setData(0, ROLE, e)
            color = {"late": RED, "fulfilled": GREEN, "not_applicable": GREY}.get(e.status)
            if color is not None:
                row.setForeground(4, QBrush(color))
            self.tree.addTopLevelItem(row)
        self._enable()

    @staticmethod
    def _detail(e: PlanEntry) -> str:
        if e.status == "not_applicable":
            return f"不涉及：{e.reason}"
        coverage = COVERAGE[e.coverage]
        if e.kind == "standing":
            return (f"{e.published.isoformat()}已复核" if e.published
                    else "尚未复核：请到公开栏拍照确认")
        if e.notice_id is None:
            return "尚未起草" + ("，已逾期" if e.status == "late" else "")
        when = f"，{e.published.isoformat()}公开" if e.published else ""
        return f"{coverage}{when}"

    # -- actions ----------------------------------------------------------------------

    def selected(self) -> PlanEntry | None:
        """The entry of the current row."""
        row = self.tree.currentItem()
        return row.data(0, ROLE) if row is not None else None

    def _enable(self) -> None:
        e = self.selected()
        self.draft_button.setEnabled(e is not None and e.notice_id is None
                                     and e.kind == "periodic" and e.status != "not_applicable")
        self.open_button.setEnabled(e is not None and e.notice_id is not None)
        self.confirm_button.setEnabled(e is not None and e.kind == "standing"
                                       and e.status != "not_applicable")
        self.na_button.setEnabled(e is not None)
        self.na_button.setText("取消不涉及" if e is not None and e.status == "not_applicable"
                               else "不涉及…")

    def _activated(self) -> None:
        e = self.selected()
        if e is None:
            return
        if e.notice_id:
            self.open_notice.emit(e.notice_id)
        elif e.kind == "periodic" and e.status != "not_applicable":
            self.draft_requested.emit(e.item_id, e.title)
        elif e.kind == "standing":
            self._confirm()

    def _draft(self) -> None:
        e = self.selected()
        if e is not None:
            self.draft_requested.emit(e.item_id, e.title)

    def _open(self) -> None:
        e = self.selected()
        if e is not None and e.notice_id:
            self.open_notice.emit(e.notice_id)

    def _write(self, work: Callable[[Store], object], done_text: str) -> None:
        def done(_result: object) -> None:
            say(self.status, done_text)
            self.refresh()

        self.runner.run(work, done, lambda m: say(self.status, m, True),
                        changes=Changes.PLAN, origin=self)

    def _not_applicable(self) -> None:
        e = self.selected()
        if e is None:
            return
        item_id = e.item_id
        from app.planning.plan import set_not_applicable

        if e.status == "not_applicable":
            self._write(lambda store: set_not_applicable(store, item_id, None), "已取消不涉及。")
            return
        dialog = NotApplicableDialog(e.title, self)
        if dialog.exec():
            reason = dialog.reason.text().strip()
            self._write(lambda store: set_not_applicable(store, item_id, reason),
                        "已标为不涉及，该事项不再列入年度计划。")

    def _confirm(self) -> None:
        e = self.selected()
        if e is None or e.kind != "standing":
            return
        dialog = ConfirmDialog(e.title, self)
        if not dialog.exec():
            return
        from pathlib import Path

        from app.planning.plan import confirm_standing

        item_id, board = e.item_id, dialog.board.text().strip() or None
        photo = Path(dialog.photo.text().strip()) if dialog.photo.text().strip() else None
        note = dialog.note.text().strip()
        self._write(lambda store: confirm_standing(store, item_id, None, board, photo, note),
                    "已记录长期公开复核。")

    def _set_schedule(self) -> None:
        row = self.questions.currentItem() or self.questions.topLevelItem(0)
        if row is None:
            return
        item_id = row.data(0, ROLE)
        dialog = ScheduleDialog(row.text(1), row.text(2), self)
        if not dialog.exec():
            return
        data = dialog.schedule()
        from app.planning.plan import set_schedule

        self._write(lambda store: set_schedule(store, item_id, data), "已设定公开周期。")

    def _since(self) -> None:
        dialog = SinceDialog(self.plan.since if self.plan else None, self)
        if not dialog.exec():
            return
        day = dialog.value()
        from app.planning.plan import set_plan_since

        self._write(lambda store: set_plan_since(store, day),
                    f"年度计划自{day}起计算。" if day else "年度计划从头计算。")
