"""The desk's window and its start: title, navigation, 工作台, first run, ``--smoke``."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

from ui.first_run import FirstRunDialog  # noqa: E402
from ui.ledger_page import LedgerPage  # noqa: E402
from ui.main_window import NAV  # noqa: E402

pytest_plugins = ["conftest_ui"]
ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
WAIT = 10_000
NEXT_YEAR = date.today().year + 1


def test_window_has_navigation_pages_and_data_folder(window) -> None:
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == list(NAV)
    assert NAV == ("工作台", "年度计划", "公开目录", "公开信息", "公开栏", "依申请公开", "同步",
                   "台账", "考核自评", "整改", "设置")
    assert window.pages.currentWidget() is window.dashboard
    window.show_page("同步")
    assert window.pages.currentWidget() is window.sync
    window.show_page("台账")
    assert window.pages.currentWidget() is window.ledger
    assert isinstance(window.ledger, LedgerPage)
    assert str(window.folder) in window.statusBar().currentMessage()


def test_dashboard_shows_township_catalog_and_next_year_warning(configured_window) -> None:
    win = configured_window
    page = win.dashboard
    assert win.windowTitle() == "乡镇政务公开工作台 — 东山县青石镇"
    assert "东山县青石镇" in page.township.text() and "0551-12345678" in page.township.text()
    assert "共 13 个领域" in page.catalog_total.text()
    assert page.warning_shown and page.warning.isVisible()
    assert (f"{NEXT_YEAR}年节假日安排尚未载入，涉及该年的期限按周一至周五计算"
            in page.warning.text())
    assert f"{NEXT_YEAR}年：未知" in page.calendar.text()
    page.warning_button.click()
    assert win.pages.currentWidget() is win.settings


def test_unconfigured_township_is_asked_once(window, qtbot, monkeypatch) -> None:
    assert "尚未设置乡镇名称" in window.dashboard.township.text()
    assert window.windowTitle() == "乡镇政务公开工作台"
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: FirstRunDialog.DialogCode.Accepted)
    monkeypatch.setattr(FirstRunDialog, "values", lambda self: ("青石镇", "东山县", ""))
    window.ask_township()
    qtbot.waitUntil(lambda: window.windowTitle().endswith("东山县青石镇"), timeout=WAIT)
    qtbot.waitUntil(lambda: window.settings.township.text() == "青石镇", timeout=WAIT)
    assert "东山县青石镇" in window.dashboard.township.text()


def test_first_run_dialog_insists_on_names(qtbot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.township.setText("青石镇")
    dialog._accept()
    assert "请填写" in dialog.hint.text() and dialog.result() == 0
    dialog.county.setText(" 东山县 ")
    dialog._accept()
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert dialog.values() == ("青石镇", "东山县", "")


def _smoke(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GONGKAI_HOME=str(home))
    return subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def _ready_ms(proc: subprocess.CompletedProcess[str]) -> int:
    assert proc.returncode == 0, proc.stderr
    match = re.fullmatch(r"ready in (\d+) ms\n", proc.stdout)
    assert match, proc.stdout
    return int(match.group(1))


def test_run_gui_smoke_reports_ready(tmp_path: Path) -> None:
    code = "import sys; from ui.main import run_gui; sys.exit(run_gui(None, smoke=True))"
    first = _ready_ms(_smoke(["-c", code], tmp_path / "home"))  # creates the database
    again = _ready_ms(_smoke(["-c", code], tmp_path / "home"))
    assert (tmp_path / "home" / "gongkai.sqlite3").is_file()
    # Well under a second on a normal PC; the margin is for a loaded test machine.
    assert 0 < first < 3000 and 0 < again < 3000


def test_gongkai_gui_smoke_command(tmp_path: Path) -> None:
    assert 0 < _ready_ms(_smoke(["-m", "ui.launch", "gui", "--smoke"], tmp_path / "h")) < 3000


def test_smoke_fails_with_a_chinese_sentence(tmp_path: Path) -> None:
    home = tmp_path / "broken"
    home.mkdir()
    (home / "gongkai.sqlite3").write_bytes(b"this is not a database" * 100)
    proc = _smoke(["-m", "ui.launch", "gui", "--smoke"], home)
    assert proc.returncode == 1 and "ready in" not in proc.stdout
    assert "数据文件已损坏" in proc.stderr

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    proc = _smoke(["-m", "ui.launch", "gui", "--smoke"], not_a_folder)
    assert proc.returncode == 1 and "无法使用数据文件夹" in proc.stderr


def test_signals_do_not_leak_references_to_true() -> None:
    """PySide6 6.12.0 lost a reference to True per emit and crashed at exit; never again."""
    import sys

    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        fired = Signal(int, object)

    emitter = Emitter()
    before = sys.getrefcount(True)
    for n in range(1000):
        emitter.fired.emit(n, None)
    assert sys.getrefcount(True) - before > -10
