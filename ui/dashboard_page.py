"""工作台: the first screen: the work that is due, the catalog in numbers, calendar warnings."""

from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store import Store
from ui.page import Page
from ui.tasks import Changes, Runner
from ui.widgets import with_tooltips

if TYPE_CHECKING:
    from app.reports.due import DueLine
    from app.reports.overview import Overview

YEAR_NOTES = {
    "内置": "程序自带国务院安排",
    "已载入": "已载入当年安排",
    "未知": "尚未载入，按周一至周五计算",
}


def unknown_year_warning(years: list[int]) -> str:
    """The warning for years whose official arrangement the program does not know."""
    names = "、".join(str(y) for y in years)
    return f"{names}年节假日安排尚未载入，涉及该年的期限按周一至周五计算，可能与官方安排不符。"


def read_overview(store: Store) -> Overview:
    """What the 工作台 shows, read in the worker (which also imports it, off the UI thread)."""
    from app.reports.overview import overview

    return overview(store)


class DashboardPage(Page):
    """The first screen the clerk sees."""

    go_settings = Signal()
    go_catalog = Signal()
    open_notice = Signal(str)
    open_request = Signal(str)
    #: A line of the plan: start a draft from its item (id, title), or see the plan.
    draft_requested = Signal(str, str)
    go_plan = Signal()
    #: A 整改 line: the problem's id, shown on the 整改 page.
    go_rectify = Signal(str)
    #: The overview just shown (the window takes its title from it).
    overview_shown = Signal(object)
    #: 重试 after the data folder could not be opened.
    retry = Signal()
    #: Township, catalog, calendar, and the due work of every other part.
    cares = Changes.ALL

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner)
        self.title = QLabel("工作台")
        self.title.setObjectName("pageTitle")
        self.township = QLabel("正在打开数据……")
        self.township.setStyleSheet("font-size: 17px;")
        self.township.setWordWrap(True)
        self.retry_button = QPushButton("重试")
        self.retry_button.clicked.connect(self._retry)
        self.retry_button.hide()

        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background: #fff4e5; color: #8a4b00; padding: 8px;"
                                   " border: 1px solid #f0c27b;")
        self.warning_button = QPushButton("去设置节假日安排")
        self.warning_button.clicked.connect(self.go_settings.emit)
        self.warning_row = QWidget()
        warn_layout = QHBoxLayout(self.warning_row)
        warn_layout.setContentsMargins(0, 0, 0, 0)
        warn_layout.addWidget(self.warning, 1)
        warn_layout.addWidget(self.warning_button)
        self.warning_row.hide()

        self.due_box = QGroupBox("待办")
        self.due_list = QTreeWidget()
        self.due_list.setHeaderLabels(["类别", "公开信息", "日期", "说明"])
        self.due_list.setRootIsDecorated(False)
        self.due_list.setColumnWidth(0, 176)
        self.due_list.setColumnWidth(1, 390)
        self.due_list.setColumnWidth(2, 100)
        self.due_list.itemActivated.connect(self._activated)
        self.due_empty = QLabel("没有逾期或临近期限的工作。")
        due_layout = QVBoxLayout(self.due_box)
        due_layout.addWidget(self.due_empty)
        due_layout.addWidget(self.due_list)

        self.catalog_box = QGroupBox("公开目录")
        self.catalog_grid = QGridLayout()
        self.catalog_grid.setHorizontalSpacing(24)
        self.catalog_total = QLabel()
        open_catalog = QPushButton("打开公开目录")
        open_catalog.clicked.connect(self.go_catalog.emit)
        catalog_bottom = QHBoxLayout()
        catalog_bottom.addWidget(self.catalog_total, 1)
        catalog_bottom.addWidget(open_catalog)
        catalog_layout = QVBoxLayout(self.catalog_box)
        catalog_layout.addLayout(self.catalog_grid)
        catalog_layout.addLayout(catalog_bottom)

        self.calendar = QLabel()
        self.calendar.setWordWrap(True)
        calendar_box = QGroupBox("节假日安排（计算工作日期限用）")
        QVBoxLayout(calendar_box).addWidget(self.calendar)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        township_row = QHBoxLayout()
        township_row.addWidget(self.township, 1)
        township_row.addWidget(self.retry_button)
        layout.addLayout(township_row)
        layout.addWidget(self.warning_row)
        layout.addWidget(self.due_box, 1)
        layout.addWidget(self.catalog_box)
        layout.addWidget(calendar_box)

    @property
    def warning_shown(self) -> bool:
        """Whether the unknown-year warning is on the page (whether or not it is on screen)."""
        return not self.warning_row.isHidden()

    def refresh(self) -> None:
        """Re-read the overview in the background."""
        self.runner.run(read_overview, self.show_overview)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """F5 reads the page again (a window-wide F5 shortcut, where there is one, comes first)."""
        if event.key() == Qt.Key.Key_F5:
            self.refresh()
            return
        super().keyPressEvent(event)

    def show_failure(self, message: str) -> None:
        """The data folder could not be opened: its sentence in place of 「正在打开数据……」."""
        self.township.setTextFormat(Qt.TextFormat.PlainText)
        self.township.setStyleSheet("font-size: 17px; color: #b00020;")
        self.township.setText(message)
        self.retry_button.setEnabled(True)
        self.retry_button.show()

    def _retry(self) -> None:
        self.retry_button.setEnabled(False)
        self.township.setStyleSheet("font-size: 17px;")
        self.township.setText("正在打开数据……")
        self.retry.emit()

    def show_overview(self, data: Overview) -> None:
        """Fill the page from an overview."""
        self.retry_button.hide()
        self.township.setTextFormat(Qt.TextFormat.AutoText)
        self.township.setStyleSheet("font-size: 17px;")
        info = data.township
        if info.configured:
            phone = f"　　监督电话：{escape(info.phone)}" if info.phone else ""
            self.township.setText(f"<b>{escape(info.county + info.township)}</b>{phone}")
        else:
            self.township.setText("尚未设置乡镇名称，请在“设置”中填写。")
        while self.catalog_grid.count():
            item = self.catalog_grid.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        columns = 4
        for n, domain in enumerate(data.domains):
            label = QLabel(f"{escape(domain.name)}　<b>{domain.items}</b> 项")
            self.catalog_grid.addWidget(label, n // columns, n % columns)
        self.catalog_total.setText(f"共 {len(data.domains)} 个领域、{data.items} 个公开事项")
        self.calendar.setText("　　".join(f"{year}年：{status}（{YEAR_NOTES.get(status, '')}）"
                                        for year, status in data.years))
        self._show_due(data)
        unknown = data.unknown_years()
        if unknown:
            self.warning.setText(unknown_year_warning(unknown))
        self.warning_row.setVisible(bool(unknown))
        self.overview_shown.emit(data)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        # A line points at a notice, a 依申请公开 request, a 整改 problem, or a catalog
        # item of the plan.
        line: DueLine = item.data(0, Qt.ItemDataRole.UserRole)
        if line.problem_id:
            self.go_rectify.emit(line.problem_id)
        elif line.request_id:
            self.open_request.emit(line.request_id)
        elif line.item_id and line.kind == "plan_due":
            self.draft_requested.emit(line.item_id, line.title)
        elif line.kind == "standing_review":
            self.go_plan.emit()
        else:
            self.open_notice.emit(line.notice_id)

    def _show_due(self, data: Overview) -> None:
        self.due_list.clear()
        standing = [line for line in data.due if line.kind == "standing_review"]
        for line in data.due:
            if line.kind == "standing_review" and len(standing) > 1:
                if line is not standing[0]:
                    continue
                # A fresh desk owes every 长期公开 item its check at once: one line, whose
                # activation opens the plan where they are listed one by one.
                line = replace(line, item_id="", title=f"{len(standing)}个长期公开事项",
                               detail=line.detail.split("尚未复核")[0]
                               + "尚未复核：请到公开栏拍照确认仍在公开（见年度计划）")
            when = (line.date or "") + ("" if line.calendar_known else "（按周一至周五计）")
            row = with_tooltips(QTreeWidgetItem([line.label, line.title, when, line.detail]))
            row.setData(0, Qt.ItemDataRole.UserRole, line)
            if line.kind in ("overdue", "request_overdue", "rectify_overdue", "takedown",
                             "returned"):
                row.setForeground(0, QBrush(QColor("#b00020")))
            self.due_list.addTopLevelItem(row)
        self.due_empty.setVisible(not data.due)
        self.due_list.setVisible(bool(data.due))
        self.due_box.setTitle(f"待办（{len(data.due)}）" if data.due else "待办")
