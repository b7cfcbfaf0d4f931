"""The main window: navigation on the left, one page at a time on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.reports.overview import Overview, overview
from app.township import set_township
from ui.boards_page import BoardsPage
from ui.catalog_page import CatalogPage
from ui.dashboard_page import DashboardPage
from ui.first_run import FirstRunDialog
from ui.ledger_page import LedgerPage
from ui.notices_page import NoticesPage
from ui.requests_page import RequestsPage
from ui.settings_page import SettingsPage
from ui.sync_page import SyncPage
from ui.tasks import Runner

#: The parts of the desk, in the clerk's order.
NAV = ("工作台", "公开目录", "公开信息", "公开栏", "依申请公开", "同步", "台账", "设置")


class MainWindow(QMainWindow):
    """乡镇政务公开工作台's window."""

    first_screen_ready = Signal()
    first_screen_failed = Signal(str)

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.runner = Runner(folder, self)
        self.runner.error.connect(self.show_error)
        self.overview: Overview | None = None
        self.setWindowTitle("乡镇政务公开工作台")
        self._fit_to_screen()

        self.nav = QListWidget()
        self.nav.addItems(list(NAV))
        self.nav.setFixedWidth(120)
        self.nav.setObjectName("nav")
        self.pages = QStackedWidget()
        self.dashboard = DashboardPage(self.runner)
        self.catalog = CatalogPage(self.runner)
        self.settings = SettingsPage(self.runner)
        self.notices = NoticesPage(self.runner)
        self.boards = BoardsPage(self.runner)
        self.sync = SyncPage(self.runner)
        self.requests = RequestsPage(self.runner)
        self.ledger = LedgerPage(self.runner)
        by_name: dict[str, QWidget] = {
            "工作台": self.dashboard, "公开目录": self.catalog, "公开信息": self.notices,
            "公开栏": self.boards, "依申请公开": self.requests, "同步": self.sync,
            "台账": self.ledger, "设置": self.settings,
        }
        for name in NAV:
            self.pages.addWidget(by_name[name])
        self.nav.currentRowChanged.connect(self._switch)
        self.dashboard.go_settings.connect(lambda: self.show_page("设置"))
        self.dashboard.go_catalog.connect(lambda: self.show_page("公开目录"))
        self.settings.changed.connect(self.refresh)
        self.catalog.changed.connect(self.dashboard.refresh)
        self.catalog.draft_requested.connect(self._draft)
        self.notices.changed.connect(self.dashboard.refresh)
        self.dashboard.open_notice.connect(self.open_notice)
        self.dashboard.open_request.connect(self.open_request)
        self.requests.changed.connect(self.dashboard.refresh)
        self.boards.open_notice.connect(self.open_notice)
        self.boards.changed.connect(self.dashboard.refresh)
        self.notices.changed.connect(self.boards.refresh)
        self.settings.changed.connect(self.boards.refresh)
        self.sync.open_notice.connect(self.open_notice)
        self.sync.changed.connect(self.dashboard.refresh)
        self.sync.changed.connect(self.notices.refresh)
        self.sync.catalog_changed.connect(self.catalog.refresh)
        self.sync.catalog_changed.connect(self.dashboard.refresh)
        self.notices.changed.connect(self.sync.refresh)
        # The 台账 counts what every other page changes; its reads are cheap and run
        # in the background, and a stale one is dropped.
        for page in (self.notices, self.requests, self.boards, self.sync, self.catalog,
                     self.settings):
            page.changed.connect(self.ledger.refresh)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(f"数据文件夹：{folder}")
        self.setStyleSheet(
            "#nav { font-size: 15px; background: #f3f5f8; border: none; }"
            "#nav::item { padding: 10px 14px; }"
            "#nav::item:selected { background: #c8102e; color: white; }"
            "#pageTitle { font-size: 20px; font-weight: bold; margin: 4px 0 8px 0; }"
            "#domains::item { padding: 3px 4px; }"
        )
        self.nav.setCurrentRow(0)

    def _fit_to_screen(self) -> None:
        # Office PCs are often 1366×768 with a taskbar: never open taller than the screen.
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 760)
            return
        room = screen.availableGeometry()
        self.resize(min(1280, room.width()), min(760, room.height() - 32))

    def small_screen(self) -> bool:
        """Whether the screen is small enough that the window should open maximised."""
        screen = QGuiApplication.primaryScreen()
        return screen is not None and screen.availableGeometry().width() <= 1440

    def load(self) -> None:
        """Open the data folder in the background and fill the first screen."""
        self.runner.run(overview, self._loaded, self.first_screen_failed.emit)

    def refresh(self) -> None:
        """Re-read the overview after settings or the catalog changed."""
        self.runner.run(overview, self._shown)

    def _loaded(self, data: Overview) -> None:
        self._shown(data)
        self.first_screen_ready.emit()
        self.catalog.refresh()
        self.settings.refresh()
        self.notices.refresh()
        self.boards.refresh()
        self.sync.refresh()
        self.requests.refresh()
        self.ledger.refresh()

    def _shown(self, data: Overview) -> None:
        self.overview = data
        name = f"{data.township.county}{data.township.township}"
        self.setWindowTitle("乡镇政务公开工作台" + (f" — {name}" if name else ""))
        self.dashboard.show_overview(data)

    def _switch(self, row: int) -> None:
        self.pages.setCurrentIndex(row)

    def _draft(self, item_id: str, title: str) -> None:
        self.show_page("公开信息")
        self.notices.start_from_item(item_id, title)

    def open_notice(self, notice_id: str) -> None:
        """Show one notice on the 公开信息 page."""
        self.show_page("公开信息")
        self.notices.open_notice(notice_id)

    def open_request(self, request_id: str) -> None:
        """Show one request on the 依申请公开 page."""
        self.show_page("依申请公开")
        self.requests.open_request(request_id)

    def show_page(self, name: str) -> None:
        """Bring one page to the front by its navigation name."""
        self.nav.setCurrentRow(NAV.index(name))

    def show_error(self, message: str) -> None:
        """One plain sentence for the clerk."""
        QMessageBox.warning(self, "操作未完成", message)

    def ask_township(self) -> None:
        """The first-run questions: township, county, 监督电话."""
        dialog = FirstRunDialog(self)
        if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
            return
        township, county, phone = dialog.values()
        self.runner.run(lambda s: set_township(s, township, county, phone),
                        lambda _info: (self.refresh(), self.settings.refresh()))


