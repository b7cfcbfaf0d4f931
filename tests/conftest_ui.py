"""Fixtures for the GUI tests: the real main window on a fresh data folder, offscreen.

Test modules load this with ``pytest_plugins = ["conftest_ui"]`` (tests/ is on
sys.path because tests/conftest.py lives there) and never import it directly,
so that pytest can load it as a plugin.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import openpyxl  # noqa: E402
import pytest  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.township import set_township  # noqa: E402
from ui.catalog_page import CatalogPage  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

WAIT = 10_000


@pytest.fixture(autouse=True)
def unsaved_edits_are_dropped(monkeypatch) -> list[str]:
    """Offscreen, nobody answers 保存/不保存/取消: unless a test answers, it is 不保存.

    The questions asked are listed, so a test can check that one was asked.
    """
    from ui.notices_page import NoticesPage

    asked: list[str] = []

    def answer(page: NoticesPage) -> str:
        asked.append(page.title_edit.text())
        return "discard"

    monkeypatch.setattr(NoticesPage, "ask_unsaved", answer)
    return asked


def start_window(qtbot, folder: Path) -> MainWindow:
    """Open the main window on ``folder`` and wait until the 工作台 has its data."""
    win = MainWindow(folder)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.first_screen_ready, timeout=WAIT):
        win.show()
        win.load()
    return win


@pytest.fixture
def window(qtbot, data_dir: Path) -> Iterator[MainWindow]:
    """The main window on a fresh data folder (default catalog, no township yet)."""
    win = start_window(qtbot, data_dir)
    yield win
    # Workers still running hold signals into the window: let them finish first.
    win.runner.pool.waitForDone(WAIT)


@pytest.fixture
def configured_window(qtbot, data_dir: Path) -> Iterator[MainWindow]:
    """The main window on a data folder whose township is already set."""
    with open_desk(data_dir) as store:
        set_township(store, "青石镇", "东山县", "0551-12345678")
    win = start_window(qtbot, data_dir)
    yield win
    win.runner.pool.waitForDone(WAIT)


@pytest.fixture
def catalog_page(window: MainWindow, qtbot) -> CatalogPage:
    """公开目录 in front, once its domains and the first domain's items are loaded."""
    window.show_page("公开目录")
    page = window.catalog
    qtbot.waitUntil(lambda: page.domain_list.count() >= 13 and page.model.rowCount() > 0,
                    timeout=WAIT)
    return page


@pytest.fixture
def county_table(tmp_path: Path) -> Callable[..., Path]:
    """Makes a two-row county .xlsx: ``county_table(domain="社会救助")``."""
    return lambda town="青石镇", domain="社会救助": county_xlsx(tmp_path / f"{domain}.xlsx",
                                                            town, domain)


def county_xlsx(path: Path, town: str, domain: str) -> Path:
    """A county table as counties send it: title row, two header rows with merged cells, √/■."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"{town}{domain}领域基层政务公开标准目录"])
    ws.merge_cells("A1:N1")
    ws.append(["序号", "公开事项", None, "公开内容（要素）", "公开依据", "公开时限", "公开主体",
               "公开渠道和载体", "公开对象", None, "公开方式", None, "公开层级", None])
    ws.append([None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体",
               "主动", "依申请", "县级", "乡级"])
    for cols in ("A2:A3", "D2:D3", "E2:E3", "F2:F3", "G2:G3", "H2:H3"):
        ws.merge_cells(cols)
    for a, b in (("B2", "C2"), ("I2", "J2"), ("K2", "L2"), ("M2", "N2")):
        ws.merge_cells(f"{a}:{b}")
    ws.append([1, "残疾人两项补贴", "补贴对象名单", "●姓名●补贴类别●补贴金额",
               "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》",
               "审批后10个工作日内，公示7个工作日", "乡镇人民政府",
               "■政府网站 □政府公报 ■社区/企事业单位/村公示栏（电子屏）", None, "√", "√",
               None, None, "√"])
    ws.append([2, "户口登记", "办事指南", "办理条件、所需材料", "《中华人民共和国户口登记条例》",
               "信息形成之日起20个工作日内", "派出所", "√政府网站", "√", None, "√", None,
               None, "√"])
    wb.save(path)
    return path
