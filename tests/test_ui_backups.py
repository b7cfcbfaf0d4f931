"""设置 › 备份与恢复: the list of backups, 立即备份, and 恢复 with the desk read again."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app import backups  # noqa: E402
from app.desk import open_desk  # noqa: E402
from app.township import get_township, set_township  # noqa: E402
from ui.backup_box import BackupBox  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 10_000


def backup_box(window, qtbot) -> BackupBox:
    window.show_page("设置")
    box = window.settings.backups
    with qtbot.waitSignal(window.settings.loaded, timeout=WAIT):
        window.settings.refresh()
    with qtbot.waitSignal(box.loaded, timeout=WAIT):
        box.refresh()
    assert box.table.rowCount() == len(backups.list_backups(window.folder))
    return box


def test_the_list_shows_the_backups_with_their_dates_sizes_and_reasons(window, qtbot) -> None:
    with open_desk(window.folder) as store:
        made = store.backup()
    box = backup_box(window, qtbot)
    rows = box.rows()
    kept = backups.list_backups(window.folder)
    assert len(rows) == len(kept) >= 1
    mine = next(r for r, b in zip(rows, kept, strict=True) if b.path == made)
    taken = datetime.strptime(made.name[len("gongkai-"):][:15], "%Y%m%d-%H%M%S")
    assert mine[0] == f"{taken:%Y-%m-%d %H:%M:%S}"
    assert mine[1].endswith(("KB", "MB")) and mine[2] == "手动备份"


def test_back_up_now_adds_one(window, qtbot) -> None:
    box = backup_box(window, qtbot)
    before = box.table.rowCount()
    box.back_up()
    qtbot.waitUntil(lambda: box.table.rowCount() == before + 1, timeout=WAIT)
    assert box.message.text().startswith("已备份到 ")
    assert "手动备份" in [r[2] for r in box.rows()]


def test_restore_asks_then_puts_the_desk_back_and_every_page_reads_it(window, qtbot,
                                                                      monkeypatch) -> None:
    with open_desk(window.folder) as store:
        set_township(store, "青石镇", "东山县", "0551-62345678")
        store.backup()
        set_township(store, "白水镇", "东山县", "0551-62345678")
    box = backup_box(window, qtbot)
    asked: list[str] = []
    monkeypatch.setattr(BackupBox, "confirm",
                        lambda self, name, holds: asked.append(f"{name}：{holds}") or True)
    row = next(i for i, r in enumerate(box.rows()) if r[2] == "手动备份")
    box.table.selectRow(row)
    with qtbot.waitSignal(box.restored, timeout=WAIT) as said:
        box.restore_selected()
    assert said.args[0].startswith("已从「") and "恢复前的数据已备份到" in said.args[0]
    assert len(asked) == 1 and "-manual.sqlite3：通知 0 条，依申请公开 0 件，最后改动于" in asked[0]
    with open_desk(window.folder) as store:
        assert get_township(store).township == "青石镇"
    # The settings page and the window's title read the restored desk.
    qtbot.waitUntil(lambda: window.settings.township.text() == "青石镇", timeout=WAIT)
    qtbot.waitUntil(lambda: "青石镇" in window.windowTitle(), timeout=WAIT)
    qtbot.waitUntil(lambda: "恢复前自动备份" in [r[2] for r in box.rows()], timeout=WAIT)


def test_a_refused_file_is_one_sentence_and_cancel_changes_nothing(window, qtbot, monkeypatch,
                                                                   tmp_path: Path) -> None:
    box = backup_box(window, qtbot)
    junk = tmp_path / "乱码.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    asked: list[str] = []
    monkeypatch.setattr(BackupBox, "confirm", lambda self, name, holds: asked.append(name))
    with qtbot.waitSignal(box.restored, timeout=WAIT) as said:
        box.restore_file(str(junk))
    assert said.args[0] == ("「乱码.sqlite3」不是工作台的备份文件（不是数据文件），"
                            "数据未作任何改动。")
    assert box.message.text() == said.args[0]
    assert box.backup_button.isEnabled() and not asked  # refused before any question

    with open_desk(window.folder) as store:
        good = store.backup()
        set_township(store, "白水镇", "东山县", "0551-62345678")
    before = len(backups.list_backups(window.folder))
    box.restore_file(str(good))  # the clerk answers 取消 (confirm returns None)
    qtbot.waitUntil(lambda: box.message.text() == "未恢复。", timeout=WAIT)
    assert asked == [good.name] and box.backup_button.isEnabled()
    assert len(backups.list_backups(window.folder)) == before
    with open_desk(window.folder) as store:
        assert get_township(store).township == "白水镇"


def test_restore_without_a_selection_says_so(window, qtbot) -> None:
    box = backup_box(window, qtbot)
    box.table.clearSelection()
    box.table.setCurrentCell(-1, -1)
    box.restore_selected()
    assert box.message.text() == "请先在列表中选中一份备份。"


@pytest.fixture(autouse=True)
def _no_real_file_dialog(monkeypatch) -> None:
    """Offscreen, a file dialog would wait for nobody: a test that reaches one fails."""
    import ui.backup_box

    def refuse(*_a: object) -> str:
        raise AssertionError("a file dialog was opened")

    monkeypatch.setattr(ui.backup_box, "open_file", refuse)
