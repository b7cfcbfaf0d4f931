"""Starting the window: fonts, the main window, the first-run questions, ``--smoke``."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import logs, paths

SMOKE_LIMIT_MS = 20_000


def _has_screen() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(data_dir: str | None = None, smoke: bool = False,
            started: float | None = None) -> int:
    """Open the main window on a data folder; with ``smoke``, report readiness and exit."""
    started = started if started is not None else time.perf_counter()
    if not _has_screen():
        print("没有可用的图形显示，无法打开窗口；命令行功能请用 gongkai --help。", file=sys.stderr)
        return 1
    try:
        folder = paths.data_dir(data_dir)
    except OSError as exc:
        print(f"无法使用数据文件夹：{exc.strerror}。", file=sys.stderr)
        return 1
    logs.setup(folder)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("乡镇政务公开工作台")

    from ui.fonts import install_fonts
    from ui.main_window import MainWindow

    install_fonts(app)
    window = MainWindow(folder)
    outcome = {"code": 0}

    def ready() -> None:
        if smoke:
            print(f"ready in {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
            app.exit(0)
        elif not window.overview or not window.overview.township.configured:
            window.ask_township()

    def failed(message: str) -> None:
        if smoke:
            print(message, file=sys.stderr, flush=True)
            outcome["code"] = 1
            app.exit(1)
        else:
            QMessageBox.critical(window, "无法打开数据", message)

    window.first_screen_ready.connect(ready)
    window.first_screen_failed.connect(failed)
    if smoke:
        QTimer.singleShot(SMOKE_LIMIT_MS, lambda: (failed("工作台在规定时间内没有就绪。")))
    window.show()
    window.load()
    code = app.exec()
    # Let running operations finish (each is one transaction) before the window goes.
    QThreadPool.globalInstance().waitForDone(10_000)
    window.close()
    return outcome["code"] or code
