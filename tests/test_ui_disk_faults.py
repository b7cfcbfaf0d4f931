"""The window on a read-only folder and a full disk: the sentence shows, nothing typed is lost.

Real mounts (see mount_support): a data folder bind-mounted read-only, and
a small tmpfs filled to the last byte while the window is open.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from mount_support import fill, read_only_view, small_disk  # noqa: E402
from PySide6.QtCore import QDate  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.info_requests import cases  # noqa: E402
from app.township import set_township  # noqa: E402
from ui import requests_page  # noqa: E402
from ui.main import show_open_failures  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

pytest_plugins = ["conftest_ui"]
pytestmark = pytest.mark.usefixtures("pinned_today")
ROOT = Path(__file__).resolve().parents[1]
WAIT = 20_000
FULL = "磁盘已满，操作未完成，请清理磁盘空间后重试。"
READ_ONLY = "数据文件夹只读，无法保存，请检查文件夹权限或U盘、网络盘是否写保护后重试。"


def test_a_read_only_folder_shows_its_sentence_on_the_first_screen_and_retry_opens_it(
        qtbot, tmp_path: Path) -> None:
    source = tmp_path / "writable"
    with open_desk(source / "data") as store:
        set_township(store, "青石镇", "东山县", "0551-12345678")
    with read_only_view(source, tmp_path / "ro") as view:
        window = MainWindow(view / "data")
        qtbot.addWidget(window)
        show_open_failures(window)
        with qtbot.waitSignal(window.first_screen_failed, timeout=WAIT):
            window.show()
            window.load()
        # Not 「正在打开数据……」 for good: what is wrong, and a way to try again.
        assert window.dashboard.township.text() == READ_ONLY
        assert window.dashboard.retry_button.isVisible()
        subprocess.run(["mount", "-o", "remount,bind,rw", str(view)], check=True)
        with qtbot.waitSignal(window.first_screen_ready, timeout=WAIT):
            window.dashboard.retry_button.click()
        assert "青石镇" in window.dashboard.township.text()
        assert not window.dashboard.retry_button.isVisible()
        window.runner.pool.waitForDone(WAIT)
        window.close()


def test_gui_smoke_on_a_read_only_folder_says_the_sentence_and_exits(tmp_path: Path) -> None:
    source = tmp_path / "writable"
    open_desk(source / "data").close()
    with read_only_view(source, tmp_path / "ro") as view:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        started = subprocess.run(
            [sys.executable, "-m", "ui.launch", "--data-dir", str(view / "data"),
             "gui", "--smoke"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    # Qt's offscreen plugin may add a line of its own; the sentence is one line of its own.
    assert started.returncode == 1 and READ_ONLY in started.stderr.splitlines()


def test_on_a_full_disk_the_register_dialog_comes_back_with_what_was_typed(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with small_disk(tmp_path / "disk") as disk:
        data = disk / "data"
        with open_desk(data) as store:
            set_township(store, "青石镇", "东山县", "0551-12345678")
        from conftest_ui import start_window

        window = start_window(qtbot, data)
        window.show_page("依申请公开")
        page = window.requests
        opened: list[dict] = []

        class Clerk(requests_page.RegisterDialog):
            """Types once; when the dialog comes back, notes what it holds and cancels."""

            def exec(self) -> int:  # noqa: A003
                if not opened:
                    self.applicant.setText("青石建材有限公司")
                    self.kind.setCurrentText("法人或其他组织")
                    self.organisation.setCurrentText("商业企业")
                    self.received.setDate(QDate(2026, 11, 2))
                    self.content.setPlainText("2026年镇区道路硬化工程招标文件")
                    self.contact.setText("13912345678")
                opened.append({"applicant": self.applicant.text(),
                               "organisation": self.organisation.currentText(),
                               "received": self.received.date().toString("yyyy-MM-dd"),
                               "content": self.content.toPlainText(),
                               "contact": self.contact.text(), "hint": self.hint.text()})
                return 1 if len(opened) == 1 else 0

        monkeypatch.setattr(requests_page, "RegisterDialog", Clerk)
        filler = fill(disk)
        page.register()
        qtbot.waitUntil(lambda: len(opened) == 2, timeout=WAIT)
        typed = {"applicant": "青石建材有限公司", "organisation": "商业企业",
                 "received": "2026-11-02", "content": "2026年镇区道路硬化工程招标文件",
                 "contact": "13912345678"}
        assert opened[1] == {**typed, "hint": FULL}
        assert page.answer_line.text() == FULL
        # Space freed: the same window registers it, no restore.
        filler.unlink()
        opened.clear()
        monkeypatch.setattr(Clerk, "exec", lambda self: 1)
        page.register(typed_values(), "")
        qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 1, timeout=WAIT)
        with open_desk(data) as store:
            assert [r.applicant for r in cases.list_requests(store)] == ["青石建材有限公司"]
        window.runner.pool.waitForDone(WAIT)
        window.close()


def typed_values() -> requests_page.Registration:
    """What the clerk typed above, as the dialog gives it back."""
    return {"applicant": "青石建材有限公司", "applicant_type": "法人或其他组织",
            "received": "2026-11-02", "content": "2026年镇区道路硬化工程招标文件",
            "channel": "当面提交", "organisation_type": "商业企业", "contact": "13912345678",
            "id_number": "", "address": "", "delivery": ""}
