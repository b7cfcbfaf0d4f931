"""Screenshots of the main pages, to look at the desk as a clerk would.

``python -m ui.screenshot OUTDIR [--data-dir DIR]`` — run it under Xvfb (or with
QT_QPA_PLATFORM=offscreen) and open the PNGs it writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from app import paths


def _wait(signal: object, ms: int = 10_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(argv: list[str] | None = None) -> int:
    """Write dashboard.png, catalog.png, search.png and settings.png into OUTDIR."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--data-dir")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])

    from ui.fonts import install_fonts
    from ui.main_window import MainWindow

    print("font:", install_fonts(app))
    window = MainWindow(paths.data_dir(args.data_dir))
    window.resize(1366, 740)
    window.show()
    window.load()
    _wait(window.first_screen_ready)
    _settle()
    window.grab().save(str(out / "dashboard.png"))

    window.show_page("公开目录")
    window.catalog.select_domain("社会救助")
    _wait(window.catalog.items_shown)
    window.catalog.table.selectRow(min(2, window.catalog.model.rowCount() - 1))
    _settle()
    window.grab().save(str(out / "catalog.png"))

    window.catalog.search_box.setText("低保")
    _wait(window.catalog.items_shown)
    _settle()
    window.grab().save(str(out / "search.png"))

    window.show_page("设置")
    _settle()
    window.grab().save(str(out / "settings.png"))
    print("written:", ", ".join(p.name for p in sorted(out.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
