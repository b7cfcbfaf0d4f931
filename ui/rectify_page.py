"""整改: the county's problem lists, each problem's deadline and state, and what was done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.planning import rectify
from app.planning.rectify import EVIDENCE_KINDS, TARGET_KINDS, Imported, Problem
from app.store import Store
from ui.page import Page
from ui.tasks import Changes, Newest, Runner
from ui.widgets import FormDialog, date_edit, iso_date, open_file, save_file, say, stacked

if TYPE_CHECKING:
    from app.reports.rectify_report import RectifyReport

#: The colour of each state in the table: late is red, done green, running plain.
COLOURS = {"overdue": QColor("#b00020"), "fixed_late": QColor("#b35c00"),
           "fixed": QColor("#1b7f3b")}
TABLE_FILTER = "问题清单 (*.xlsx *.docx);;Excel 表格 (*.xlsx);;Word 文档 (*.docx)"
EVIDENCE_FILTER = ("佐证材料 (*.jpg *.jpeg *.png *.gif *.bmp *.webp *.pdf *.docx *.xlsx)"
                   ";;所有文件 (*)")


class ImportDialog(FormDialog):
    """The list's name, the day it came in, and the days for a row with no 整改时限."""

    def __init__(self, path: str, today: date, days: int, parent: QWidget | None = None) -> None:
        super().__init__("导入问题清单", f"从「{Path(path).name}」导入县级测评问题清单；"
                         "整改期限从收到日期起按工作日计算。", "导入", parent)
        self.title = QLineEdit(Path(path).stem)
        self.received = date_edit(today)
        self.days = QSpinBox()
        self.days.setRange(1, 1000)
        self.days.setValue(days)
        self.days.setSuffix(" 个工作日")
        self.form.addRow("清单名称", self.title)
        self.form.addRow("收到日期", self.received)
        self.form.addRow("未写时限的问题", self.days)

    def problem(self) -> str:
        """A name is required."""
        return "" if self.title.text().strip() else "请填写问题清单的名称。"


class FixDialog(FormDialog):
    """When the problem was fixed, what was done, and the evidence files."""

    def __init__(self, problem: Problem, today: date, parent: QWidget | None = None) -> None:
        super().__init__("记录整改", f"{problem.id}：{problem.problem}\n整改期限 "
                         f"{problem.deadline.isoformat()}；照片、截图和文件各复制一份存进数据文件夹。",
                         "记录", parent)
        self.fixed_on = date_edit(today)
        self.action = QPlainTextEdit()
        self.action.setPlaceholderText("做了什么（如：已在政府网站补充公开2026年部门预算）")
        self.action.setTabChangesFocus(True)
        self.files = QListWidget()
        self.files.setMaximumHeight(90)
        add = QPushButton("添加佐证…")
        add.clicked.connect(self._add)
        remove = QPushButton("移除")
        remove.clicked.connect(lambda: self.files.takeItem(self.files.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        self.form.addRow("完成日期", self.fixed_on)
        self.form.addRow("整改措施", self.action)
        self.form.addRow("佐证材料", stacked(self.files, buttons, margins=False))
        self.resize(560, 0)

    def _add(self) -> None:
        path = open_file(self, "选择佐证材料（照片、截图或文件）", EVIDENCE_FILTER)
        if path:
            self.add_file(path)

    def add_file(self, path: str) -> None:
        """Add one evidence file to the list."""
        self.files.addItem(path)

    def evidence(self) -> list[Path]:
        """The chosen files."""
        return [Path(self.files.item(n).text()) for n in range(self.files.count())]

    def problem(self) -> str:
        """What was done is required."""
        return "" if self.action.toPlainText().strip() else "请写明整改措施。"


class LinkDialog(FormDialog):
    """What the problem concerns: a notice, a catalog item or a board, by name or id."""

    def __init__(self, problem: Problem, parent: QWidget | None = None) -> None:
        super().__init__("关联", f"{problem.id}：{problem.problem}\n公开信息写编号或标题，"
                         "目录事项写编号或事项名称，公开栏写名称或村名。", "关联", parent)
        self.kind = QComboBox()
        for key, words in TARGET_KINDS.items():
            self.kind.addItem(words, key)
        if problem.target_kind:
            self.kind.setCurrentIndex(list(TARGET_KINDS).index(problem.target_kind))
        self.text = QLineEdit(problem.target_label)
        self.form.addRow("关联到", self.kind)
        self.form.addRow("名称或编号", self.text)

    def values(self) -> tuple[str, str]:
        """(kind, what was typed)."""
        return str(self.kind.currentData()), self.text.text().strip()

    def problem(self) -> str:
        """Something must be named."""
        return "" if self.text.text().strip() else "请写要关联的名称或编号。"


def _defaults(store: Store) -> int:
    return rectify.default_days(store)


def _write_report(store: Store, out: Path) -> RectifyReport:
    # Imported in the worker: python-docx is slow to load for the UI thread.
    from app.reports.rectify_report import write_rectify_report

    return write_rectify_report(store, out)


class RectifyPage(Page):
    """The problems of every list: deadline, state in colour, and the steps that mend them."""

    cares = Changes.PLAN | Changes.NOTICES | Changes.CATALOG | Changes.SETTINGS

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        self.rows: list[Problem] = []
        self._select: str | None = None
        self._reads = Newest()
        title = QLabel("整改")
        title.setObjectName("pageTitle")
        self.open_only = QCheckBox("只看未整改的")
        self.open_only.toggled.connect(lambda _c: self.refresh())
        self.import_button = QPushButton("导入问题清单…")
        self.import_button.clicked.connect(self.import_list)
        self.report_button = QPushButton("导出整改报告…")
        self.report_button.clicked.connect(self.export_report)
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.summary)
        top.addStretch(1)
        top.addWidget(self.open_only)
        top.addWidget(self.import_button)
        top.addWidget(self.report_button)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["编号", "清单", "问题", "整改期限", "状态", "关联", "完成日期"])
        self.tree.setRootIsDecorated(False)
        for column, width in enumerate((80, 160, 320, 110, 160, 160)):
            self.tree.setColumnWidth(column, width)
        self.tree.currentItemChanged.connect(lambda _c, _p: self._show_current())
        self.tree.itemActivated.connect(lambda _i, _c: self.record_fix())
        self.detail = QLabel("导入县里发来的测评问题清单后，这里列出每个问题和它的整改期限。")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer_line = QLabel()
        self.answer_line.setWordWrap(True)
        self.fix_button = QPushButton("记录整改…")
        self.fix_button.clicked.connect(self.record_fix)
        self.link_button = QPushButton("关联…")
        self.link_button.clicked.connect(self.link)
        self.files = QPushButton("查看佐证")
        self.files_menu = QMenu(self.files)
        self.files_menu.triggered.connect(self._open_file)
        self.files.setMenu(self.files_menu)
        steps = QHBoxLayout()
        for button in (self.fix_button, self.link_button, self.files):
            steps.addWidget(button)
        steps.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(stacked(self.detail, steps, self.answer_line, margins=False,
                                   stretch_first=True))
        splitter.setSizes([420, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self._enable(None)

    # -- loading ----------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Reload the problems in the background, keeping (or moving to) a selection."""
        current = self.current()
        self._select = select or (current.id if current else None)
        open_only = self.open_only.isChecked()
        self.runner.run(lambda s: rectify.list_problems(s, open_only=open_only),
                        self._reads.start()(self._loaded))

    def open_problem(self, problem_id: str) -> None:
        """Show one problem (from a 工作台 line)."""
        if self.open_only.isChecked():
            self.open_only.blockSignals(True)
            self.open_only.setChecked(False)
            self.open_only.blockSignals(False)
        self.refresh(select=problem_id)

    def _loaded(self, rows: list[Problem]) -> None:
        self.rows = rows
        self.tree.clear()
        today = clock.today()
        states = [p.status(today) for p in rows]
        late = states.count("overdue")
        self.summary.setText(
            f"　{len(rows)}个问题，已整改{states.count('fixed') + states.count('fixed_late')}个"
            + (f"，<span style='color:#b00020'>{late}个已超期</span>" if late else "")
            if rows else "")
        chosen = None
        for p in rows:
            fix = p.fix
            item = QTreeWidgetItem([
                p.id, p.list_title, p.problem,
                p.deadline.isoformat() + ("" if p.calendar_known else "（按周一至周五计）"),
                p.status_words(today), p.target_words() if p.target_kind else "",
                fix.fixed_on.isoformat() if fix else ""])
            for column in range(item.columnCount()):
                item.setToolTip(column, item.text(column))
            item.setData(0, Qt.ItemDataRole.UserRole, p.id)
            colour = COLOURS.get(p.status(today))
            if colour is not None:
                for column in (3, 4):
                    item.setForeground(column, QBrush(colour))
            self.tree.addTopLevelItem(item)
            if p.id == self._select:
                chosen = item
        first = chosen or self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._show_current()

    def current(self) -> Problem | None:
        """The selected problem."""
        item = self.tree.currentItem()
        if item is None:
            return None
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        return next((p for p in self.rows if p.id == wanted), None)

    def _show_current(self) -> None:
        p = self.current()
        if p is None:
            self.detail.setText("还没有导入问题清单。" if not self.rows else "")
        else:
            lines = [f"{p.id}　{p.list_title}（{p.received.isoformat()}收到）第{p.seq}个问题",
                     f"问题：{p.problem}"]
            if p.indicator:
                lines.append(f"所属栏目：{p.indicator}")
            if p.requirement:
                lines.append(f"整改要求：{p.requirement}")
            lines.append(f"整改期限：{p.deadline.isoformat()}（收到后{p.days}个工作日）"
                         + ("" if p.calendar_known else "，该年节假日安排未载入，按周一至周五计"))
            lines.append(f"关联：{p.target_words()}")
            for n, fix in enumerate(p.fixes, start=1):
                again = "（以最后一次为准）" if len(p.fixes) > 1 else ""
                lines.append(f"整改{n if len(p.fixes) > 1 else ''}：{fix.fixed_on.isoformat()}"
                             f" {fix.action}{again if n == len(p.fixes) else ''}"
                             + (f"；佐证{len(fix.evidence)}件" if fix.evidence else ""))
            lines.append(f"状态：{p.status_words()}")
            self.detail.setText("\n".join(lines))
        self._enable(p)

    def _enable(self, p: Problem | None) -> None:
        self.fix_button.setEnabled(p is not None)
        self.link_button.setEnabled(p is not None)
        self.files_menu.clear()
        for fix in p.fixes if p else ():
            for e in fix.evidence:
                words = EVIDENCE_KINDS.get(e.get("kind", ""), "文件")
                action = self.files_menu.addAction(f"{fix.fixed_on.isoformat()} {words}："
                                                   f"{e.get('name', '')}")
                action.setData(e.get("path", ""))
        self.files.setEnabled(not self.files_menu.isEmpty())

    # -- steps ------------------------------------------------------------------------

    def _apply(self, work: Callable[[Store], Problem], done_text: str) -> None:
        def done(p: Problem) -> None:
            say(self.answer_line, done_text.format(id=p.id) if "{id}" in done_text
                else rectify.fix_line(p))
            self.refresh(select=p.id)

        self.runner.run(work, done,
                        lambda message: say(self.answer_line, message, error=True),
                        changes=Changes.PLAN, origin=self)

    def import_list(self) -> None:
        """Choose a county table, name it and import it in the background."""
        path = open_file(self, "选择县级测评问题清单", TABLE_FILTER)
        if not path:
            return
        self.runner.run(_defaults, lambda days: self._ask_import(path, days))

    def _ask_import(self, path: str, days: int) -> None:
        dialog = ImportDialog(path, clock.today(), days, self)
        if not dialog.exec():
            return
        title, received = dialog.title.text().strip(), iso_date(dialog.received)
        default = dialog.days.value()
        say(self.answer_line, f"正在导入「{Path(path).name}」……")
        self.import_button.setEnabled(False)

        def done(result: Imported) -> None:
            self.import_button.setEnabled(True)
            warn = f"（{'；'.join(result.warnings[:3])}）" if result.warnings else ""
            say(self.answer_line, f"已导入「{result.title}」：{len(result.problems)}个问题{warn}。")
            self.refresh(select=result.problems[0].id if result.problems else None)

        def failed(message: str) -> None:
            self.import_button.setEnabled(True)
            say(self.answer_line, message, error=True)

        self.runner.run(lambda s: rectify.import_file(s, Path(path), title, received, default),
                        done, failed, changes=Changes.PLAN, origin=self)

    def record_fix(self) -> None:
        """Record what was done about the selected problem."""
        p = self.current()
        if p is None:
            return
        dialog = FixDialog(p, clock.today(), self)
        if not dialog.exec():
            return
        on, action, files = iso_date(dialog.fixed_on), dialog.action.toPlainText(), \
            dialog.evidence()
        self._apply(lambda s: rectify.record_fix(s, p.id, on, action, files), "")

    def link(self) -> None:
        """Point the selected problem at a notice, an item or a board."""
        p = self.current()
        if p is None:
            return
        dialog = LinkDialog(p, self)
        if not dialog.exec():
            return
        kind, text = dialog.values()
        self._apply(lambda s: rectify.link(s, p.id, kind, text), "{id} 已关联。")

    def export_report(self) -> None:
        """Write the 整改报告 DOCX where the clerk chooses."""
        path = save_file(self, "导出整改报告", "整改情况报告.docx", "Word 文档 (*.docx)")
        if not path:
            return
        say(self.answer_line, "正在写整改报告……")
        self.runner.run(lambda s: _write_report(s, Path(path)),
                        lambda done: say(self.answer_line, done.line()),
                        lambda message: say(self.answer_line, message, error=True))

    def _open_file(self, action: QAction) -> None:
        path = self.runner.folder / str(action.data())
        if not action.data() or not path.is_file():
            say(self.answer_line, f"这份佐证材料不见了，原来在 {path}。", error=True)
        elif not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            say(self.answer_line, f"这台电脑上没有能打开这个文件的程序，文件在 {path}。",
                error=True)
