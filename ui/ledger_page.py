"""台账: the year's (quarter's, domain's) figures at a glance, the rows, and the two exports.

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
        self.export_button.setToolTip("保存为 Excel：汇总表、各领域明细和依申请公开登记")
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

        self.tabs = QTabWidget()
        self.tabs.addTab(charts, "图表")
        self.tabs.addTab(self.tree, "明细")

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
