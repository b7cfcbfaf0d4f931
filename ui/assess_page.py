"""考核自评: the score the county's rules give the desk's records, and what loses each point.

One read of :func:`app.assessment.assess.assess` in the background gives the
score and every indicator with its records; a record that is a notice or a
request opens it (double-click or Enter). 载入考核细则 checks and keeps a rules
file the same way ``gongkai assess rules load`` does; a refused file is its one
sentence under the table, and the rules in force stay as they were.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.store import Store
from ui.page import Page
from ui.tasks import Changes, Newest, Runner
from ui.widgets import open_file, say

if TYPE_CHECKING:
    from app.assessment.assess import Assessment
    from app.assessment.rules import OfferPreview, Rules
    from ui.evidence_dialog import EvidenceDialog

QUARTERS = ("全年", "第一季度", "第二季度", "第三季度", "第四季度")
HEADERS = ("指标 / 记录", "部分", "分值", "扣分", "编号")
RECORD_ROLE = Qt.ItemDataRole.UserRole
RED = QColor("#b00020")
GREY = QColor("#7a8591")
#: What a record of each kind opens, by the signal's name.
OPENS = {"notice": "open_notice", "request": "open_request"}


def _points(value: float) -> str:
    return f"{value:g}"


class AssessPage(Page):
    """考核自评: year and quarter, the score, the indicators with their records, the rules."""

    cares = Changes.PLAN | Changes.NOTICES | Changes.CATALOG | Changes.POSTINGS | \
        Changes.REQUESTS | Changes.COUNTY

    #: A score has been drawn (tests and screenshots wait for it).
    loaded = Signal()
    #: A record that is a notice was opened: its id (the main window shows it).
    open_notice = Signal(str)
    #: A record that is a request was opened: its number.
    open_request = Signal(str)
    #: A rules file was loaded or refused: the sentence shown.
    rules_answered = Signal(str)

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        self.result: Assessment | None = None
        self._reads = Newest()

        title = QLabel("考核自评")
        title.setObjectName("pageTitle")
        this_year = clock.today().year
        self.year = QSpinBox()
        self.year.setRange(2000, this_year)
        self.year.setValue(this_year)
        self.year.setSuffix(" 年")
        self.year.setKeyboardTracking(False)
        self.quarter = QComboBox()
        self.quarter.addItems(list(QUARTERS))
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.quarter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.load_button = QPushButton("载入考核细则…")
        self.load_button.setToolTip("选择县里下发的考核细则文件（.toml），此后的自评按它计算")
        self.load_button.clicked.connect(lambda: self.load_rules())
        self.evidence_button = QPushButton("生成佐证材料…")
        self.evidence_button.setToolTip("把本年度（季度）的审批单、张贴照片、依申请公开案卷、"
                                        "年报和整改记录按考核指标编成一个 PDF")
        self.evidence_button.clicked.connect(lambda: self.make_evidence())
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        for label, box in (("年份", self.year), ("季度", self.quarter)):
            top.addWidget(QLabel(label))
            top.addWidget(box)
            top.addSpacing(6)
        top.addStretch(1)
        top.addWidget(self.evidence_button)
        top.addWidget(self.load_button)

        self.score = QLabel("—")
        self.score.setObjectName("score")
        self.rules_line = QLabel("正在计算……")
        self.rules_line.setWordWrap(True)
        self.rules_line.setObjectName("scope")

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(HEADERS))
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, width in enumerate((420, 110, 60, 60, 150)):
            self.tree.setColumnWidth(column, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.setToolTip("展开指标查看扣分记录；双击公开信息或申请打开它")
        self.tree.itemActivated.connect(lambda item, _column: self.open_item(item))

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.offer: OfferPreview | None = None
        self.offer_line = QLabel()
        self.offer_line.setWordWrap(True)
        self.offer_button = QPushButton("预览并采用…")
        self.offer_button.clicked.connect(lambda: self.show_offer())
        self.offer_bar = QWidget()
        bar = QHBoxLayout(self.offer_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        bar.addWidget(self.offer_line, 1)
        bar.addWidget(self.offer_button)
        self.offer_bar.setObjectName("offerBar")
        self.offer_bar.hide()

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.offer_bar)
        layout.addWidget(self.score)
        layout.addWidget(self.rules_line)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        self.setStyleSheet("#score { font-size: 28px; font-weight: bold; }"
                           "#scope { color: #5a6673; }"
                           "#offerBar { background: #fff4e0; border: 1px solid #e0b060; }")

    # -- reading ----------------------------------------------------------------------

    def choices(self) -> tuple[int, int | None]:
        """The year and quarter (None: the whole year) chosen."""
        return self.year.value(), self.quarter.currentIndex() or None

    def refresh(self) -> None:
        """Work out the score for the chosen year and quarter in the background."""
        self.year.setMaximum(clock.today().year)
        only = self._reads.start()
        year, quarter = self.choices()

        def work(store: Store) -> tuple[Assessment, OfferPreview | None]:
            from app.assessment.assess import assess
            from app.assessment.rules import pending_preview

            return assess(store, year, quarter=quarter), pending_preview(store)

        def done(read: tuple[Assessment, OfferPreview | None]) -> None:
            self.show_offer_bar(read[1])
            self.show_result(read[0])

        def failed(message: str) -> None:
            self.rules_line.setText(message)
            self.runner.error.emit(message)

        self.runner.run(work, only(done), only(failed))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Coming back to the page reads again: records may have changed meanwhile."""
        super().showEvent(event)
        self.refresh()

    def show_result(self, result: Assessment) -> None:
        """Draw one assessment: the score, the rules it follows, every indicator."""
        self.result = result
        period = f"{result.year}年" + (QUARTERS[result.quarter] if result.quarter else "")
        self.score.setText(f"{_points(result.score)} 分")
        self.score.setStyleSheet("color: #b00020;" if result.deductions else "")
        example = ("——这是工作台自带的示例细则，不是县里的正式细则，请载入县里下发的考核细则"
                   if result.example else "")
        self.rules_line.setText(f"{period}，满分{_points(result.max)}分，扣{_points(result.lost)}"
                                f"分；按「{result.rules_label}」计算{example}。")
        self.rules_line.setStyleSheet("color: #b35c00;" if result.example else "")
        self._fill_tree(result)
        self.loaded.emit()

    def _fill_tree(self, result: Assessment) -> None:
        tops = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        expanded = {t.data(0, RECORD_ROLE) for t in tops if t is not None and t.isExpanded()}
        self.tree.clear()
        lost = {d.indicator: d for d in result.deductions}
        for key, name, section, points in result.indicators:
            deduction = lost.get(key)
            taken = deduction.points if deduction else 0.0
            count = f"（{len(deduction.records)}条）" if deduction else ""
            top = QTreeWidgetItem([name + count, section, _points(points), _points(taken), key])
            top.setData(0, RECORD_ROLE, key)
            top.setToolTip(0, name)
            if deduction:
                for column in (0, 3):
                    top.setForeground(column, QBrush(RED))
                for record in deduction.records:
                    child = QTreeWidgetItem([record.label, "", "", "", record.id])
                    child.setData(0, RECORD_ROLE, f"{record.kind}\t{record.id}")
                    child.setToolTip(0, record.label)
                    if record.kind not in OPENS:
                        child.setForeground(0, QBrush(GREY))
                    top.addChild(child)
            else:
                for column in range(len(HEADERS)):
                    top.setForeground(column, QBrush(GREY))
            self.tree.addTopLevelItem(top)
            top.setExpanded(key in expanded)

    def open_item(self, item: QTreeWidgetItem) -> None:
        """Open the notice or request a record row names; an indicator row folds or unfolds."""
        # A record row holds "kind<TAB>id"; an indicator row its key (no tab).
        kind, _, record_id = str(item.data(0, RECORD_ROLE) or "").partition("\t")
        if record_id and kind in OPENS:
            getattr(self, OPENS[kind]).emit(record_id)
        elif item.childCount():
            item.setExpanded(not item.isExpanded())

    # -- the rules ----------------------------------------------------------------------

    def load_rules(self, path: Path | None = None) -> None:
        """Ask for a rules file, then check and keep it in the background."""
        if path is None:
            chosen = open_file(self, "载入考核细则", "考核细则 (*.toml);;所有文件 (*)")
            if not chosen:
                return
            path = Path(chosen)
        target = path
        self.load_button.setEnabled(False)
        say(self.status, f"正在载入 {target.name} ……")
        self.status.setStyleSheet("color: #5a6673;")

        def work(store: Store) -> Rules:
            from app.assessment.rules import load_rules_file

            return load_rules_file(store, target)

        def done(rules: Rules) -> None:
            self._answered(f"已载入考核细则「{rules.label}」，共{len(rules.indicators)}个指标。")
            self.refresh()

        self.runner.run(work, done, lambda message: self._answered(message, error=True),
                        changes=Changes.PLAN, origin=self)

    def show_offer_bar(self, offer: OfferPreview | None) -> None:
        """Say, above the score, that the county has published rules not taken yet."""
        self.offer = offer
        self.offer_bar.setVisible(offer is not None)
        if offer is not None:
            self.offer_line.setText(f"县里下发了{offer.offer.title}，尚未采用；"
                                    "预览它改动了哪些指标，再决定是否采用。")

    def show_offer(self) -> OfferDialog | None:
        """The county's rules against the rules in force, with 采用 and 暂不采用."""
        if self.offer is None:
            return None
        dialog = OfferDialog(self.offer, self)
        dialog.decided.connect(self.decide_offer)
        dialog.open()
        return dialog

    def decide_offer(self, take: bool) -> None:
        """Take the county's rules (or set them aside) in the background."""
        self.offer_button.setEnabled(False)

        def work(store: Store) -> str:
            from app.assessment.rules import decline_offer, take_offer

            if take:
                return f"已采用县里下发的考核细则「{take_offer(store).label}」。"
            return f"已暂不采用{decline_offer(store).title}，继续按现在的细则计算。"

        def done(text: str) -> None:
            self.offer_button.setEnabled(True)
            self._answered(text)
            self.refresh()

        def failed(message: str) -> None:
            self.offer_button.setEnabled(True)
            self._answered(message, error=True)

        self.runner.run(work, done, failed, changes=Changes.PLAN, origin=self)

    def _answered(self, text: str, error: bool = False) -> None:
        self.load_button.setEnabled(True)
        say(self.status, text, error=error)
        self.rules_answered.emit(text)

    def make_evidence(self) -> EvidenceDialog:
        """Open the 佐证材料 dialog for the year shown (built in the background there)."""
        from ui.evidence_dialog import open_evidence_dialog

        return open_evidence_dialog(self.runner, self, self.year.value())


class OfferDialog(QDialog):
    """The county's 考核细则 previewed: what it adds, drops and changes, or why it cannot serve."""

    #: The clerk's choice: True 采用, False 暂不采用 (closing the dialog decides nothing).
    decided = Signal(bool)

    def __init__(self, preview: OfferPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("县里下发的考核细则")
        head = QLabel(f"预览（尚未采用）：{preview.offer.title}\n"
                      f"现在使用：「{preview.current.label}」")
        head.setWordWrap(True)
        if preview.problem:
            lines = [f"工作台无法使用这份细则：{preview.problem}",
                     "可以暂不采用，并请县政务公开办重新下发。"]
        else:
            lines = [c.line() for c in preview.changes] or ["与现在使用的细则相同。"]
        self.changes = QLabel("\n".join(lines))
        self.changes.setWordWrap(True)
        self.changes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        self.take_button = buttons.addButton("采用", QDialogButtonBox.ButtonRole.AcceptRole)
        self.take_button.setEnabled(not preview.problem)
        self.decline_button = buttons.addButton("暂不采用",
                                                QDialogButtonBox.ButtonRole.DestructiveRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.take_button.clicked.connect(lambda: self._decide(True))
        self.decline_button.clicked.connect(lambda: self._decide(False))
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.changes, 1)
        layout.addWidget(buttons)
        self.resize(560, 0)

    def _decide(self, take: bool) -> None:
        self.decided.emit(take)
        self.accept()
