"""Starting the window: fonts, Qt's Chinese words, the wheel guard, the main window, the
first-run questions, ``--smoke``."""

from __future__ import annotations

import time

#: When this module was first imported: the earliest moment ``run_gui`` can count
#: from when called directly (``gongkai gui`` passes the console script's own start).
IMPORTED = time.perf_counter()

import os  # noqa: E402
import sys  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from PySide6.QtCore import QThreadPool, QTimer  # noqa: E402
from PySide6.QtGui import QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app import logs, paths  # noqa: E402
from app.errors import FAULTS, as_fault  # noqa: E402
from resources import RESOURCES  # noqa: E402

if TYPE_CHECKING:
    from ui.main_window import MainWindow

APP_NAME = "乡镇政务公开工作台"
#: A watchdog only: a healthy start takes a few hundred milliseconds.
SMOKE_LIMIT_MS = 20_000


def _has_screen() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def show_open_failures(window: MainWindow) -> None:
    """A first load that fails puts its sentence on the 工作台, with 重试 (which loads again).

    Never a modal box over 「正在打开数据……」: once closed, the window looked
    as if it were still opening, for good.
    """
    window.first_screen_failed.connect(window.dashboard.show_failure)
    window.dashboard.retry.connect(window.load)


def run_gui(data_dir: str | None = None, smoke: bool = False,
            started: float | None = None) -> int:
    """Open the main window on a data folder and run until it closes; return the exit code.

    With ``smoke`` the window opens, waits until the first screen has its data
    (read by a background worker), prints ``ready in N ms`` and exits 0; on any
    failure it prints one Chinese sentence to stderr and returns 1. ``started``
    is a ``time.perf_counter()`` reading taken as early as the caller could.
    """
    started = started if started is not None else IMPORTED
    if not _has_screen():
        print("没有可用的图形显示，无法打开窗口；命令行功能请用 gongkai --help。", file=sys.stderr)
        return 1
    try:
        folder = paths.data_dir(data_dir)
    except OSError as exc:
        # No data folder means no log file either: the reason goes to stderr in full.
        fault = as_fault(exc)
        print(f"{fault if fault and fault.kind != 'file' else FAULTS['not_a_folder']}（{exc}）",
              file=sys.stderr)
        return 1
    logs.setup(folder)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    # The ASCII name becomes the X11 window class and the desktop file name, matching
    # installer/gongkai.desktop, so menus and task bars pair the window with its
    # launcher and icon; people see the display name.
    app.setApplicationName("gongkai")
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("gongkai")
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "gongkai.svg")))

    # Imported here so that the QApplication exists before any widget module runs.
    from ui.fonts import install_fonts
    from ui.main_window import MainWindow
    from ui.qt_words import install_qt_chinese
    from ui.widgets import install_wheel_guard

    install_fonts(app)
    install_qt_chinese(app)
    install_wheel_guard(app)
    window = MainWindow(folder)
    outcome = {"code": 0, "settled": False}

    def ready() -> None:
        if outcome["settled"]:
            return
        outcome["settled"] = True
        if smoke:
            print(f"ready in {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
            app.exit(0)
        elif not window.overview or not window.overview.township.configured:
            # Queued, so the window is painted with its data behind the question.
            QTimer.singleShot(0, window.ask_township)

    def failed(message: str) -> None:
        if not smoke or outcome["settled"]:
            return
        outcome["settled"] = True
        print(message, file=sys.stderr, flush=True)
        outcome["code"] = 1
        app.exit(1)

    window.first_screen_ready.connect(ready)
    window.first_screen_failed.connect(failed)
    show_open_failures(window)
    if smoke:
        QTimer.singleShot(SMOKE_LIMIT_MS, lambda: failed("工作台在规定时间内没有就绪。"))
    if smoke or not window.small_screen():
        window.show()
    else:
        window.showMaximized()
    window.load()
    code = app.exec()
    # Let running operations finish (each is one transaction) before the window goes.
    QThreadPool.globalInstance().waitForDone(10_000)
    window.close()
    return outcome["code"] or code
