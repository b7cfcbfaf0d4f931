"""整改 page: import a county list and see its rows coloured by state, record a late fix,
refuse a file that is no list, export the report; a 工作台 整改 line opens its problem."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import docx  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QDate, Qt  # noqa: E402
from test_rectify import xlsx_list  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.planning import rectify  # noqa: E402
from ui import rectify_page  # noqa: E402

TODAY = "2026-10-12"
pytestmark = pytest.mark.usefixtures("pinned_today")
pytest_plugins = ["conftest_ui"]
WAIT = 20_000


def accept_dialogs(monkeypatch: pytest.MonkeyPatch, fill) -> None:
    """Every dialog of the page accepts at once after ``fill(dialog)``."""
    for name in ("ImportDialog", "FixDialog", "LinkDialog"):
        original = getattr(rectify_page, name)

        class Filled(original):  # type: ignore[misc, valid-type]
            def exec(self) -> int:  # noqa: A003
                fill(self)
                return 1

        monkeypatch.setattr(rectify_page, name, Filled)


def test_import_see_the_rows_fix_and_export(configured_window, qtbot, monkeypatch,
                                            tmp_path: Path) -> None:
    window = configured_window
    window.show_page("整改")
    page = window.page("整改")
    assert isinstance(page, rectify_page.RectifyPage)
    table = xlsx_list(tmp_path / "测评问题清单.xlsx")
    shot = tmp_path / "截图.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    chosen = {"open": str(table), "save": str(tmp_path / "整改报告.docx")}
    monkeypatch.setattr(rectify_page, "open_file", lambda *_a: chosen["open"])
    monkeypatch.setattr(rectify_page, "save_file", lambda *_a: chosen["save"])

    offered: list[tuple[str, int]] = []

    def fill(dialog) -> None:
        if isinstance(dialog, rectify_page.ImportDialog):
            offered.append((dialog.title.text(), dialog.days.value()))
            dialog.title.setText("第三季度测评问题")
            dialog.received.setDate(QDate(2026, 9, 28))
        elif isinstance(dialog, rectify_page.FixDialog):
            dialog.fixed_on.setDate(QDate(2026, 10, 12))
            dialog.action.setPlainText("已在政府网站补充公开2026年部门预算")
            dialog.add_file(str(shot))

    accept_dialogs(monkeypatch, fill)
    page.import_list()
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 3, timeout=WAIT)
    first = page.tree.topLevelItem(0)
    assert [first.text(c) for c in range(5)] == [
        "ZG1-01", "第三季度测评问题", first.text(2), "2026-10-10", "已超期2天"]
    assert first.text(2).startswith("2026年部门预算未公开")
    assert first.foreground(4).color().name() == "#b00020"
    assert page.tree.topLevelItem(1).text(4) == "整改中"
    assert "已导入「第三季度测评问题」：3个问题" in page.answer_line.text()
    assert "3个问题，已整改0个" in page.summary.text() and "1个已超期" in page.summary.text()
    assert offered == [("测评问题清单", 10)]  # the file's name, the township's default days

    page.tree.setCurrentItem(first)
    page.record_fix()
    qtbot.waitUntil(lambda: page.tree.topLevelItem(0).text(4) == "逾期完成（超期2天）",
                    timeout=WAIT)
    assert "记为逾期完成" in page.answer_line.text()
    assert page.summary.text().strip("\u3000") == "3个问题，已整改1个"
    assert page.tree.topLevelItem(0).foreground(4).color().name() == "#b35c00"
    assert page.files.isEnabled() and "截图：截图.png" in page.files_menu.actions()[0].text()

    page.export_report()
    qtbot.waitUntil(lambda: "已写出整改报告" in page.answer_line.text(), timeout=WAIT)
    rows = docx.Document(chosen["save"]).tables[0].rows
    assert [r.cells[6].text for r in rows[1:]] == ["逾期完成（超期2天）", "未完成", "未完成"]

    chosen["open"] = str(tmp_path / "截图.png")  # not a table: one sentence, nothing kept
    page.import_list()
    qtbot.waitUntil(lambda: "只能导入" in page.answer_line.text(), timeout=WAIT)
    assert page.answer_line.styleSheet() == "color: #b00020;"
    assert page.import_button.isEnabled()
    with open_desk(window.folder) as store:
        assert len(rectify.list_problems(store)) == 3


def test_a_dashboard_line_opens_its_problem(configured_window, qtbot, tmp_path) -> None:
    window = configured_window
    with open_desk(window.folder) as store:
        rectify.import_file(store, xlsx_list(tmp_path / "清单.xlsx"), "清单", "2026-09-28")
    window.refresh()
    dash = window.dashboard

    def line(problem: str):
        for n in range(dash.due_list.topLevelItemCount()):
            item = dash.due_list.topLevelItem(n)
            if item.text(1).startswith(problem):
                return item
        return None

    qtbot.waitUntil(lambda: line("ZG1-03") is not None, timeout=WAIT)
    late, soon = line("ZG1-01"), line("ZG1-03")
    assert late.text(0) == "整改已超期" and late.foreground(0).color().name() == "#b00020"
    assert soon.text(0) == "整改待完成" and soon.text(2) == "2026-10-16"
    dash._activated(soon, 0)
    page = window.page("整改")
    assert window.current_page() is page
    qtbot.waitUntil(lambda: page.current() is not None and page.current().id == "ZG1-03",
                    timeout=WAIT)
    assert page.tree.currentItem().data(0, Qt.ItemDataRole.UserRole) == "ZG1-03"
    assert "整改期限：2026-10-16" in page.detail.text()
