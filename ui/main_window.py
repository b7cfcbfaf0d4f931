"""The main window: navigation on the left, one page at a time on the right.

Only 工作台 is built at start; every other page is built (and its module
imported) the first time it is shown or asked for, so the first screen
appears without the catalog table, the print preview, the county client or
the charts. Pages refresh themselves when the desk changes (:mod:`ui.page`);
the window only opens pages and passes "open this notice" between them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.township import set_township
from ui.dashboard_page import DashboardPage, read_overview
from ui.page import Page
from ui.tasks import Changes, Runner

if TYPE_CHECKING:
    from app.reports.overview import Overview
    from ui.boards_page import BoardsPage
    from ui.catalog_page import CatalogPage
    from ui.ledger_page import LedgerPage
    from ui.notices_page import NoticesPage
    from ui.rectify_page import RectifyPage
    from ui.requests_page import RequestsPage
    from ui.settings_page import SettingsPage
    from ui.sync_page import SyncPage

#: The parts of the desk, in the clerk's order.
NAV = ("工作台", "年度计划", "公开目录", "公开信息", "公开栏", "依申请公开", "同步", "台账",
       "考核自评", "整改", "设置")
#: While something waits for the county, the desk tries again this often on its own
#: (the client itself retries within a send).
AUTO_RETRY_MS = 10 * 60 * 1000
#: How often the window looks whether someone else (the command line, a sync in
#: another window) wrote the data folder, so the open pages show the truth.
WATCH_MS = 1500


def _catalog(runner: Runner) -> Page:
    from ui.catalog_page import CatalogPage

    return CatalogPage(runner)


def _notices(runner: Runner) -> Page:
    from ui.notices_page import NoticesPage

    return NoticesPage(runner)


def _boards(runner: Runner) -> Page:
    from ui.boards_page import BoardsPage

    return BoardsPage(runner)


def _requests(runner: Runner) -> Page:
    from ui.requests_page import RequestsPage

    return RequestsPage(runner)


def _sync(runner: Runner) -> Page:
    from ui.sync_page import SyncPage

    return SyncPage(runner)


def _ledger(runner: Runner) -> Page:
    from ui.ledger_page import LedgerPage

    return LedgerPage(runner)


def _plan(runner: Runner) -> Page:
    from ui.plan_page import PlanPage

    return PlanPage(runner)


def _assess(runner: Runner) -> Page:
    from ui.assess_page import AssessPage

    return AssessPage(runner)


def _rectify(runner: Runner) -> Page:
    from ui.rectify_page import RectifyPage

    return RectifyPage(runner)


def _settings(runner: Runner) -> Page:
    from ui.settings_page import SettingsPage

    return SettingsPage(runner)


#: How each page but 工作台 is made, when it is first needed.
BUILDERS: dict[str, Callable[[Runner], Page]] = {
    "公开目录": _catalog, "公开信息": _notices, "公开栏": _boards, "依申请公开": _requests,
    "同步": _sync, "台账": _ledger, "设置": _settings, "年度计划": _plan,
    "考核自评": _assess, "整改": _rectify,
}


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
        self._ready = False
        self.setWindowTitle("乡镇政务公开工作台")
        self._fit_to_screen()

        self.nav = QListWidget()
        self.nav.addItems(list(NAV))
        self.nav.setFixedWidth(120)
        self.nav.setObjectName("nav")
        self.pages = QStackedWidget()
        self.dashboard = DashboardPage(self.runner)
        self.dashboard.overview_shown.connect(self._shown)
        self._built: dict[str, Page] = {"工作台": self.dashboard}
        self._current = 0
        for name in NAV:
            # Until a page is built, an empty stand-in keeps its place in the stack.
            self.pages.addWidget(self._built.get(name) or QWidget())
        self._connect(self.dashboard)
        self.nav.currentRowChanged.connect(self._switch)

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
        self.auto_sync = QTimer(self)
        self.auto_sync.setInterval(AUTO_RETRY_MS)
        self.auto_sync.timeout.connect(lambda: self.sync.retry_if_waiting())
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self.runner.look_for_outside_changes)
        for keys, slot in ((QKeySequence.StandardKey.Refresh, self.refresh_page),
                           (QKeySequence.StandardKey.Find, self.to_search_box),
                           ("Ctrl+Tab", self._next_field),
                           ("Ctrl+Shift+Tab", self._previous_field)):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    # -- pages ------------------------------------------------------------------------

    def page(self, name: str) -> Page:
        """The page of that navigation name, built now if it was not yet."""
        built = self._built.get(name)
        if built is not None:
            return built
        page = BUILDERS[name](self.runner)
        self._built[name] = page
        index = NAV.index(name)
        stand_in = self.pages.widget(index)
        self.pages.insertWidget(index, page)
        if stand_in is not None:
            self.pages.removeWidget(stand_in)
            stand_in.deleteLater()
        self._connect(page)
        if self._ready:
            page.refresh()
        return page

    def built(self) -> tuple[str, ...]:
        """The navigation names of the pages built so far, in the order they were built."""
        return tuple(self._built)

    def _connect(self, page: Page) -> None:
        # Pages ask the window to open a notice, a request or another page; any page
        # that has such a signal is heard, so a new page needs nothing here.
        for signal, slot in (("open_notice", self.open_notice),
                             ("open_request", self.open_request),
                             ("go_rectify", self.open_problem),
                             ("draft_requested", self._draft),
                             ("go_settings", lambda: self.show_page("设置")),
                             ("go_catalog", lambda: self.show_page("公开目录")),
                             ("go_plan", lambda: self.show_page("年度计划"))):
            instance = getattr(page, signal, None)
            if isinstance(instance, SignalInstance):
                instance.connect(slot)

    @property
    def catalog(self) -> CatalogPage:
        """公开目录."""
        return cast("CatalogPage", self.page("公开目录"))

    @property
    def notices(self) -> NoticesPage:
        """公开信息."""
        return cast("NoticesPage", self.page("公开信息"))

    @property
    def boards(self) -> BoardsPage:
        """公开栏."""
        return cast("BoardsPage", self.page("公开栏"))

    @property
    def requests(self) -> RequestsPage:
        """依申请公开."""
        return cast("RequestsPage", self.page("依申请公开"))

    @property
    def sync(self) -> SyncPage:
        """同步."""
        return cast("SyncPage", self.page("同步"))

    @property
    def ledger(self) -> LedgerPage:
        """台账."""
        return cast("LedgerPage", self.page("台账"))

    @property
    def settings(self) -> SettingsPage:
        """设置."""
        return cast("SettingsPage", self.page("设置"))

    # -- window -----------------------------------------------------------------------

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
        self.runner.run(read_overview, self._loaded, self.first_screen_failed.emit)

    def refresh(self) -> None:
        """Re-read the overview (the 工作台 and the window's title)."""
        self.dashboard.refresh()

    def _loaded(self, data: Overview) -> None:
        self.dashboard.show_overview(data)
        self._ready = True
        self.first_screen_ready.emit()
        # Pages opened before the data folder was ready read it now.
        for page in self._built.values():
            if page is not self.dashboard:
                page.refresh()
        self.auto_sync.start()
        self.runner.look_for_outside_changes()  # the first look sets where "changed" starts
        self.watch.start()

    def _shown(self, data: Overview) -> None:
        self.overview = data
        name = f"{data.township.county}{data.township.township}"
        self.setWindowTitle("乡镇政务公开工作台" + (f" — {name}" if name else ""))

    def _switch(self, row: int) -> None:
        leaving = self._built.get(NAV[self._current]) if 0 <= self._current < len(NAV) else None
        if leaving is not None and row != self._current and not leaving.leave(
                lambda: self.nav.setCurrentRow(row)):
            # Stay (取消), or come back here once 保存 has finished.
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(self._current)
            self.nav.blockSignals(False)
            return
        if 0 <= row < len(NAV):
            self.page(NAV[row])
        self._current = row
        self.pages.setCurrentIndex(row)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing with unsaved edits asks 保存 / 不保存 / 取消 first."""
        for page in self._built.values():
            if not page.leave(lambda: None if self.close() else None):
                event.ignore()
                return
        self.watch.stop()
        self.runner.stop_watching()
        super().closeEvent(event)

    def current_page(self) -> Page | None:
        """The page in front, if it is built."""
        return self._built.get(NAV[self._current]) if 0 <= self._current < len(NAV) else None

    def refresh_page(self) -> None:
        """F5: read the page in front again."""
        page = self.current_page()
        if page is not None:
            page.refresh()
            self.statusBar().showMessage("已刷新。", 3000)

    def to_search_box(self) -> None:
        """Ctrl+F: to the search box of the page in front."""
        page = self.current_page()
        box = page.find_box() if page is not None else None
        if box is not None:
            box.setFocus()
            box.selectAll()

    def _next_field(self) -> None:
        # Tab types a tab in a multi-line field; Ctrl+Tab leaves it, as in Word.
        self._step_focus(forward=True)

    def _previous_field(self) -> None:
        self._step_focus(forward=False)

    def _step_focus(self, forward: bool) -> None:
        start = QApplication.focusWidget()
        widget = start
        for _ in range(500):  # the chain is a ring; a window has far fewer widgets
            if widget is None:
                return
            widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
            if widget is start:
                return
            if (widget is not None and widget.isVisible() and widget.isEnabled()
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return

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

    def open_problem(self, problem_id: str) -> None:
        """Show one 整改 problem on the 整改 page."""
        self.show_page("整改")
        cast("RectifyPage", self.page("整改")).open_problem(problem_id)

    def show_page(self, name: str) -> None:
        """Bring one page to the front by its navigation name."""
        self.nav.setCurrentRow(NAV.index(name))

    def show_error(self, message: str) -> None:
        """One plain sentence for the clerk."""
        QMessageBox.warning(self, "操作未完成", message)

    def ask_township(self) -> None:
        """The first-run questions: township, county, 监督电话."""
        from ui.first_run import FirstRunDialog

        dialog = FirstRunDialog(self)
        if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
            return
        township, county, phone = dialog.values()
        self.runner.run(lambda s: set_township(s, township, county, phone), lambda _info: None,
                        changes=Changes.SETTINGS, origin=self)
