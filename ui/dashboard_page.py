"""工作台: the first screen. For now: who we are, the catalog in numbers, calendar warnings."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.overview import Overview, overview
from ui.tasks import Runner


class DashboardPage(QWidget):
    """The first screen the clerk sees."""

    go_settings = Signal()
    go_catalog = Signal()

    def __init__(self, runner: Runner) -> None:
        super().__init__()
        self.runner = runner
        self.title = QLabel("工作台")
        self.title.setObjectName("pageTitle")
        self.township = QLabel("正在打开数据……")
        self.township.setStyleSheet("font-size: 16px;")

        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background: #fff4e5; color: #8a4b00; padding: 8px;"
                                   " border: 1px solid #f0c27b;")
        self.warning.hide()
        self.warning_button = QPushButton("去设置节假日安排")
        self.warning_button.clicked.connect(self.go_settings.emit)
        self.warning_button.hide()
        warn_row = QHBoxLayout()
        warn_row.addWidget(self.warning, 1)
        warn_row.addWidget(self.warning_button)

        self.catalog_box = QGroupBox("公开目录")
        self.catalog_grid = QGridLayout(self.catalog_box)
        self.catalog_total = QLabel()
        open_catalog = QPushButton("打开公开目录")
        open_catalog.clicked.connect(self.go_catalog.emit)

        self.calendar = QLabel()
        calendar_box = QGroupBox("节假日安排")
        QVBoxLayout(calendar_box).addWidget(self.calendar)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.township)
        layout.addLayout(warn_row)
        layout.addWidget(self.catalog_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.catalog_total, 1)
        bottom.addWidget(open_catalog)
        layout.addLayout(bottom)
        layout.addWidget(calendar_box)
        layout.addStretch(1)

    def refresh(self) -> None:
        """Re-read the overview in the background."""
        self.runner.run(overview, self.show_overview)

    def show_overview(self, data: Overview) -> None:
        """Fill the page from an overview."""
        info = data.township
        if info.configured:
            phone = f"　监督电话：{info.phone}" if info.phone else ""
            self.township.setText(f"{info.county}{info.township}{phone}")
        else:
            self.township.setText("尚未设置乡镇名称，请在“设置”中填写。")
        while self.catalog_grid.count():
            item = self.catalog_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for n, domain in enumerate(data.domains):
            label = QLabel(f"{domain.name}　<b>{domain.items}</b> 项")
            self.catalog_grid.addWidget(label, n // 4, n % 4)
        self.catalog_total.setText(f"共 {len(data.domains)} 个领域、{data.items} 个公开事项")
        self.calendar.setText("　".join(f"{year}年：{status}" for year, status in data.years))
        unknown = data.unknown_years()
        if unknown:
            years = "、".join(str(y) for y in unknown)
            self.warning.setText(f"{years}年节假日安排尚未载入，涉及该年的期限按周一至周五计算，"
                                 "可能与官方安排不符。")
        self.warning.setVisible(bool(unknown))
        self.warning_button.setVisible(bool(unknown))
