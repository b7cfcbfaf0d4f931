"""台账: the year's (quarter's, domain's) figures at a glance, the rows, the plan's
coverage, and the two exports.

Everything shown comes from one read of :func:`app.reports.ledger_view.ledger_view` in
the background; the workbook and the annual report are written by the same
functions the command line uses (``gongkai ledger export``, ``gongkai report
annual``), so the page, the files and the terminal never disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.facts import REQUEST_OUTCOMES
from app.reports.annual_figures import FIRST_YEAR
from app.store import Store
from ui.annual_report_dialog import AnnualReportDialog
from ui.charts import OTHER, OVERDUE, Bar, BarChart, Rate, RateChart, Series, percent
from ui.page import Page
from ui.tasks import Changes, Newest, Runner
from ui.widgets import save_file, say

if TYPE_CHECKING:
    # The ledger brings openpyxl, a quarter of a second: it is imported by the
    # first read (in a worker), not while the window opens.
    from app.reports.coverage import Coverage
    from app.reports.ledger import Counts, LedgerExport
    from app.reports.ledger_view import LedgerView, RequestCounts

ALL_DOMAINS = "全部领域"
QUARTERS = ("全年", "第一季度", "第二季度", "第三季度", "第四季度")
RED = QColor("#b00020")
NO_REQUESTS = "按领域统计时不含依申请公开（申请不分领域）"
#: The parts of every notice bar: on time, late, and the rest (not due yet, withdrawn).
NOTICE_SERIES = (Series("按时公开", QColor("#3f6e9e")), Series("超期", OVERDUE),
                 Series("其他", OTHER))
OUTCOME_COLOR = QColor("#5b7fa6")
TREE_HEADERS = ("领域", "事项", "标题", "形成", "期限", "公开", "状态", "超期天数", "审核人")
NOTICE_ROLE = Qt.ItemDataRole.UserRole
#: The 覆盖 tab's grid: these columns, one per month of the filter, then the note.
COVERAGE_LEAD = ("领域", "事项", "周期")
COVERAGE_NOTE = "说明"
ALARM_FILL = QColor("#ffc7ce")


def _parts(c: Counts) -> tuple[int, int, int]:
    return (c.on_time, c.overdue, c.total - c.on_time - c.overdue)


class Tile(QFrame):
    """A big number with its caption beneath."""

    def __init__(self, caption: str, tip: str = "") -> None:
        super().__init__()
        self.setObjectName("tile")
        self.value = QLabel("—")
        self.value.setObjectName("tileValue")
        self.caption = QLabel(caption)
        self.caption.setObjectName("tileCaption")
        self.setToolTip(tip)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 4, 10, 4)
        column.setSpacing(0)
        column.addWidget(self.value)
        column.addWidget(self.caption)

    def show_value(self, text: str, alarm: bool = False) -> None:
        """Set the number; ``alarm`` paints it red (something is late)."""
        self.value.setText(text)
        self.value.setStyleSheet("color: #b00020;" if alarm else "")

    def text(self) -> str:
        """The number as shown."""
        return self.value.text()


class LedgerPage(Page):
    """The 台账 page: filters, figures, charts, the notice rows, and the export buttons."""

    #: The 台账 counts what every other part changes; its reads are cheap, in the
    #: background, and a stale one is dropped.
    cares = Changes.ALL

    #: A view has been drawn (tests and screenshots wait for it).
    loaded = Signal()
    #: A file has been written (its sentence).
    written = Signal(str)
    #: A row of 明细 was opened (double-click or Enter): the notice's id. The main
    #: window hears every page's ``open_notice`` and shows the notice.
    open_notice = Signal(str)

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        self.view: LedgerView | None = None
        self._reads = Newest()

        title = QLabel("台账")
        title.setObjectName("pageTitle")
        this_year = clock.today().year
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, this_year)
        self.year.setValue(this_year)
        self.year.setSuffix(" 年")
        # Typing 2025 should not read the ledgers of 2, 20 and 202 on the way.
        self.year.setKeyboardTracking(False)
        self.quarter = QComboBox()
        self.quarter.addItems(list(QUARTERS))
        self.domain = QComboBox()
        self.domain.addItem(ALL_DOMAINS)
        self.domain.setMinimumContentsLength(8)
        self.domain.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.quarter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.domain.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button = QPushButton("导出台账…")
        self.export_button.setToolTip("保存为 Excel：汇总表、公开覆盖、各领域明细和依申请公开登记")
        self.export_button.clicked.connect(lambda: self.export_file())
        self.report_button = QPushButton("年度报告…")
        self.report_button.setToolTip("填写所选年份年度报告的手填数字，核对表格，生成报告（Word）")
        self.report_button.clicked.connect(lambda: self.annual_report())
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        for label, box in (("年份", self.year), ("季度", self.quarter), ("领域", self.domain)):
            top.addWidget(QLabel(label))
            top.addWidget(box)
            top.addSpacing(6)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.report_button)

        self.scope = QLabel("正在统计……")
        self.scope.setObjectName("scope")

        self.tiles = {
            "total": Tile("公开信息", "按信息形成日期统计的公开信息条数"),
            "published": Tile("已公开", "已张贴到公开栏（首次张贴即为公开）"),
            "rate": Tile("按时公开率", "按时公开 ÷（按时公开 + 超期）；未到期的不计入"),
            "overdue": Tile("超期", "张贴晚于期限，或已过期限仍未张贴"),
            "open": Tile("未公开", "草稿和已审核、尚未张贴的"),
            "requests": Tile("收到申请", "本期收到的依申请公开申请"),
            "answered": Tile("已答复申请"),
            "requests_overdue": Tile("申请超期", "超过答复期限的申请（含超期后答复的）"),
        }
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        for key, tile in self.tiles.items():
            if key == "requests":
                tiles.addSpacing(14)
            tiles.addWidget(tile, 1)

        self.month_chart = BarChart("按月份（信息形成月份）", NOTICE_SERIES)
        self.domain_chart = BarChart("按领域", NOTICE_SERIES, horizontal=True)
        self.rate_chart = RateChart("按时率")
        self.outcome_chart = BarChart("依申请公开办理结果", [Series("件数", OUTCOME_COLOR)],
                                      horizontal=True)
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setSpacing(8)
        # 13 domain names need the height; the other three share the right-hand side.
        grid.addWidget(self.domain_chart, 0, 0, 2, 1)
        grid.addWidget(self.month_chart, 0, 1, 1, 2)
        grid.addWidget(self.rate_chart, 1, 1)
        grid.addWidget(self.outcome_chart, 1, 2)
        grid.setColumnStretch(0, 10)
        grid.setColumnStretch(1, 6)
        grid.setColumnStretch(2, 7)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(TREE_HEADERS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, width in enumerate((104, 170, 330, 92, 92, 92, 64, 72, 200)):
            self.tree.setColumnWidth(column, width)
        # The title takes what the window has to spare; the dates never get cut.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setToolTip("双击一行打开这条公开信息")
        self.tree.itemActivated.connect(lambda item, _column: self._open_row(item))

        self.coverage_scope = QLabel()
        self.coverage_scope.setWordWrap(True)
        self.coverage_grid = _table("双击一格打开这一期的公开信息")
        self.coverage_grid.cellActivated.connect(self._open_cell)
        self.quiet_grid = _table("该领域当月首次张贴的公开信息条数；“无公开”即当月一条也没有")
        coverage = QWidget()
        pane = QVBoxLayout(coverage)
        pane.setContentsMargins(6, 6, 6, 6)
        pane.addWidget(self.coverage_scope)
        pane.addWidget(self.coverage_grid, 3)
        pane.addWidget(QLabel("无公开的月份（按首次张贴日期）"))
        pane.addWidget(self.quiet_grid, 2)

        self.tabs = QTabWidget()
        self.tabs.addTab(charts, "图表")
        self.tabs.addTab(self.tree, "明细")
        self.tabs.addTab(coverage, "覆盖")

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.scope)
        layout.addLayout(tiles)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.setStyleSheet(
            "#tile { background: #f5f7fa; border: 1px solid #d5dbe2; border-radius: 4px; }"
            "#tileValue { font-size: 22px; font-weight: bold; }"
            "#tileCaption { color: #5a6673; }"
            "#scope { color: #5a6673; }"
        )

    # -- reading ----------------------------------------------------------------------

    def choices(self) -> tuple[int, int | None, str | None]:
        """The year, quarter (None: the whole year) and domain (None: all) chosen."""
        quarter = self.quarter.currentIndex() or None
        domain = self.domain.currentText() if self.domain.currentIndex() > 0 else None
        return self.year.value(), quarter, domain

    def refresh(self) -> None:
        """Read the figures for the chosen filters in the background.

        Cheap to call often: a read started earlier that answers later is
        dropped, so a slow old read never overwrites a newer one.
        """
        self.year.setMaximum(clock.today().year)  # the desk may stay open over New Year
        only = self._reads.start()
        year, quarter, domain = self.choices()

        def work(store: Store) -> LedgerView:
            from app.reports.ledger import make_filter
            from app.reports.ledger_view import ledger_view

            return ledger_view(store, make_filter(store, year, quarter, domain))

        def failed(message: str) -> None:
            self.scope.setText(message)
            self.runner.error.emit(message)

        self.runner.run(work, only(self.show_view), only(failed))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Coming back to the page reads again: the day may have turned since."""
        super().showEvent(event)
        self.refresh()

    def show_view(self, view: LedgerView) -> None:
        """Draw one read: domain list, tiles, charts and rows."""
        self.view = view
        self._update_domains(view.domains)
        ledger, total = view.ledger, view.ledger.summary.total
        flt = ledger.filter
        self.scope.setText(f"统计范围：{flt.describe()}（按信息形成日期）；"
                           f"统计截至{ledger.as_of.isoformat()}")
        self.tiles["total"].show_value(str(total.total))
        self.tiles["published"].show_value(str(total.published))
        self.tiles["rate"].show_value(percent(total.on_time_rate))
        self.tiles["overdue"].show_value(str(total.overdue), alarm=total.overdue > 0)
        self.tiles["open"].show_value(str(total.still_open))
        self._show_request_tiles(view.requests)

        self.month_chart.set_bars([Bar(f"{m}月", _parts(c), tip=f"{flt.year}年{m}月")
                                   for m, c in ledger.summary.months])
        self.domain_chart.set_bars([
            Bar(name, _parts(c),
                note=f"按时率 {percent(c.on_time_rate)}" if c.on_time_rate is not None else "",
                alarm=c.overdue > 0)
            for name, c in ledger.summary.domains])
        rates = [Rate("公开信息按时公开率", total.on_time_rate,
                      f"按时 {total.on_time} 条，超期 {total.overdue} 条")]
        if view.requests is not None:
            r = view.requests
            rates.append(Rate("申请按时答复率", r.on_time_rate,
                              f"按时 {r.on_time} 件，超期 {r.answered - r.on_time} 件",
                              none_text="尚无已答复的申请"))
        self.rate_chart.set_rates(rates)
        if view.requests is None:
            self.outcome_chart.set_bars([], NO_REQUESTS)
        else:
            # Unanswered requests (办理中) are grey: no outcome yet.
            self.outcome_chart.set_bars([
                Bar(name, (n,), color=None if name in REQUEST_OUTCOMES else OTHER)
                for name, n in view.requests.outcomes])
        self._fill_tree(view)
        self._fill_coverage(view.coverage)
        self.loaded.emit()

    def _show_request_tiles(self, requests: RequestCounts | None) -> None:
        keys = ("requests", "answered", "requests_overdue")
        if requests is None:
            for key in keys:
                self.tiles[key].show_value("—")
                self.tiles[key].value.setToolTip(NO_REQUESTS)
            return
        self.tiles["requests"].show_value(str(requests.received))
        self.tiles["answered"].show_value(str(requests.answered))
        self.tiles["requests_overdue"].show_value(str(requests.overdue),
                                                  alarm=requests.overdue > 0)
        for key in keys:
            self.tiles[key].value.setToolTip("")

    def _update_domains(self, names: tuple[str, ...]) -> None:
        have = tuple(self.domain.itemText(i) for i in range(1, self.domain.count()))
        if have == names:
            return
        chosen = self.domain.currentText()
        self.domain.blockSignals(True)
        self.domain.clear()
        self.domain.addItems([ALL_DOMAINS, *names])
        self.domain.setCurrentIndex(max(0, self.domain.findText(chosen)))
        self.domain.blockSignals(False)

    def _fill_tree(self, view: LedgerView) -> None:
        self.tree.clear()
        items = []
        for row in view.ledger.rows:
            matter = row.level2 or row.level1
            item = QTreeWidgetItem([
                row.domain, matter, row.title, row.formed.isoformat(),
                row.due.isoformat() if row.due else "—",
                row.published.isoformat() if row.published else "",
                row.status_label, str(row.days_late) if row.overdue else "",
                row.reviewers_text])
            item.setToolTip(1, f"{row.level1}／{row.level2}" if row.level2 else row.level1)
            item.setToolTip(2, row.title)
            item.setData(0, NOTICE_ROLE, row.notice_id)
            if row.overdue:
                for column in range(len(TREE_HEADERS)):
                    item.setForeground(column, QBrush(RED))
            items.append(item)
        self.tree.addTopLevelItems(items)

    def _fill_coverage(self, coverage: Coverage) -> None:
        months = [f"{m}月" for m in coverage.months]
        lead = len(COVERAGE_LEAD)
        grid = self.coverage_grid
        grid.clear()
        grid.clearSpans()
        grid.setColumnCount(lead + len(months) + 1)
        grid.setHorizontalHeaderLabels([*COVERAGE_LEAD, *months, COVERAGE_NOTE])
        grid.setRowCount(len(coverage.rows))
        for r, row in enumerate(coverage.rows):
            for c, text in enumerate((row.domain, row.title, row.cycle)):
                grid.setItem(r, c, _cell(text, row.item_id if c == 1 else ""))
            for cell in row.cells:
                e = cell.entry
                tip = (f"{e.period.words()}，截止{e.due.isoformat()}"
                       + (f"，{e.published.isoformat()}公开" if e.published else ""))
                item = _cell(cell.word, tip, alarm=cell.alarm, center=True)
                item.setData(NOTICE_ROLE, e.notice_id)
                grid.setItem(r, lead + cell.first, item)
                if cell.span > 1:
                    grid.setSpan(r, lead + cell.first, 1, cell.span)
            grid.setItem(r, lead + len(months), _cell(row.note, row.note))
        for c, width in enumerate((96, 260, 130)):
            grid.setColumnWidth(c, width)
        for c in range(lead, lead + len(months)):
            grid.setColumnWidth(c, 52)
        grid.horizontalHeader().setStretchLastSection(True)

        quiet = self.quiet_grid
        quiet.clear()
        quiet.setColumnCount(1 + len(months) + 1)
        quiet.setHorizontalHeaderLabels(["领域", *months, "无公开的月份"])
        quiet.setRowCount(len(coverage.quiet))
        for r, line in enumerate(coverage.quiet):
            quiet.setItem(r, 0, _cell(line.domain))
            for c, count in enumerate(line.counts, start=1):
                text = "" if count is None else "无公开" if count == 0 else str(count)
                quiet.setItem(r, c, _cell(text, alarm=count == 0, center=True))
            gaps = coverage.quiet_months(line.domain)
            quiet.setItem(r, len(months) + 1, _cell("、".join(f"{m}月" for m in gaps)))
        quiet.setColumnWidth(0, 96)
        for c in range(1, len(months) + 1):
            quiet.setColumnWidth(c, 52)
        quiet.horizontalHeader().setStretchLastSection(True)
        self.coverage_scope.setText(
            "公开覆盖（按年度计划，每格一期）：" + "，".join(
                _counted(label, value) for label, value in coverage.summary())
            + "。逾期、缺失标红；季度、半年、全年的一期跨它所含的月份。")

    def coverage_cells(self) -> list[list[str]]:
        """The 覆盖 grid as shown, row by row (a spanned period once, in its first month)."""
        return _texts(self.coverage_grid)

    def quiet_cells(self) -> list[list[str]]:
        """The months-without-publication table as shown, row by row."""
        return _texts(self.quiet_grid)

    def _open_cell(self, row: int, column: int) -> None:
        item = self.coverage_grid.item(row, column)
        notice_id = item.data(NOTICE_ROLE) if item else None
        if notice_id:
            self.open_notice.emit(str(notice_id))

    def _open_row(self, item: QTreeWidgetItem) -> None:
        notice_id = item.data(0, NOTICE_ROLE)
        if notice_id:
            self.open_notice.emit(str(notice_id))

    # -- writing ----------------------------------------------------------------------

    def _start_writing(self, text: str) -> None:
        self.export_button.setEnabled(False)
        self.report_button.setEnabled(False)
        say(self.status, text)
        self.status.setStyleSheet("color: #5a6673;")

    def _finish_writing(self, text: str, error: bool = False) -> None:
        self.export_button.setEnabled(True)
        self.report_button.setEnabled(True)
        say(self.status, text, error=error)
        if error:
            self.runner.error.emit(text)
        else:
            self.written.emit(text)

    def _township(self) -> str:
        return self.view.ledger.township if self.view else ""

    def _ask_path(self, caption: str, name: str, pattern: str, suffix: str) -> Path | None:
        path = save_file(self, caption, name, pattern)
        if not path:
            return None
        return Path(path if path.lower().endswith(suffix) else path + suffix)

    def export_file(self, path: Path | None = None) -> None:
        """Ask where to save the 台账 (.xlsx) of the chosen filters, then write it."""
        year, quarter, domain = self.choices()
        if path is None:
            period = f"{year}年" + (QUARTERS[quarter] if quarter else "")
            name = f"{self._township()}{period}{domain or ''}台账.xlsx"
            path = self._ask_path("导出台账", name, "Excel 表格 (*.xlsx)", ".xlsx")
        if path is None:
            return
        target = path
        self._start_writing(f"正在导出台账到 {target.name} ……")

        def work(store: Store) -> LedgerExport:
            from app.reports.ledger import make_filter
            from app.reports.ledger_view import export_view

            return export_view(store, target, make_filter(store, year, quarter, domain))

        self.runner.run(work, lambda done: self._finish_writing(done.summary_line()),
                        lambda message: self._finish_writing(message, error=True))

    def annual_report(self) -> AnnualReportDialog:
        """Open the 年度报告 of the chosen year: typed tables, table 三's balance, the .docx."""
        dialog = AnnualReportDialog(self.runner, self.year.value(), self)
        dialog.written.connect(lambda line: self._finish_writing(line))
        dialog.open()
        return dialog


def _table(tip: str) -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    table.setToolTip(tip)
    return table


def _cell(text: str, tip: str = "", alarm: bool = False, center: bool = False
          ) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if tip:
        item.setToolTip(tip)
    if center:
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    if alarm:
        item.setBackground(QBrush(ALARM_FILL))
        item.setForeground(QBrush(RED))
    return item


def _texts(table: QTableWidget) -> list[list[str]]:
    return [[item.text() if (item := table.item(r, c)) else ""
             for c in range(table.columnCount())] for r in range(table.rowCount())]


def _counted(label: str, value: object) -> str:
    # 逾期（期）, 3 → 逾期 3 期
    name, _, unit = label.partition("（")
    return f"{name} {value} {unit.rstrip('）')}".rstrip()
