"""公开目录 as the clerk uses it: domains, a domain's items, one item in full, search, export."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import openpyxl  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from app.catalog.item import CatalogItem  # noqa: E402
from app.facts import CHANNELS  # noqa: E402
from ui import catalog_page as catalog_page_module  # noqa: E402
from ui.catalog_model import ItemTableModel  # noqa: E402
from ui.item_detail import item_html  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 10_000


def choose(page, qtbot, name: str) -> None:
    with qtbot.waitSignal(page.items_shown, timeout=WAIT):
        assert page.select_domain(name)
    assert page.model.items and {i.domain for i in page.model.items} == {name}


def test_thirteen_domains_with_counts(catalog_page) -> None:
    texts = [catalog_page.domain_list.item(i).text()
             for i in range(catalog_page.domain_list.count())]
    assert len(texts) == 13
    assert any(t.startswith("社会救助（") for t in texts)
    assert all(t.endswith("）") for t in texts)


def test_choosing_a_domain_fills_table_and_detail(catalog_page, qtbot) -> None:
    page = catalog_page
    choose(page, qtbot, "社会救助")
    assert page.model.rowCount() >= 6
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(page.model.columnCount())]
    assert headers == ["序号", "一级事项", "二级事项", "公开时限", "公开主体"]
    assert "「社会救助」共" in page.status.text()
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT):
        page.table.selectRow(1)
    item = page.model.item(1)
    text = page.detail.toPlainText()
    assert item.title() in text
    assert all(e in text for e in item.elements)
    assert item.basis.splitlines()[0] in text
    assert item.time_limit in text and "按程序计算" in text
    assert all(name in text for name in CHANNELS)  # the 13 names, checked or not
    assert text.count("☑") >= len(item.channels) and "☐" in text
    assert f"编号 {item.id}" in text and "第1版" in text


def test_search_shows_dibao_items_first_and_clearing_returns(catalog_page, qtbot) -> None:
    page = catalog_page
    choose(page, qtbot, "公共文化服务")
    with qtbot.waitSignal(page.items_shown, timeout=WAIT):
        page.search_box.setText("低保")
    items = page.model.items
    assert items and items[0].domain == "社会救助"
    assert page.status.text().startswith("搜索「低保」：找到")
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(page.model.columnCount())]
    assert headers[1] == "领域"
    assert page.model.data(page.model.index(0, 1)) == "社会救助"
    with qtbot.waitSignal(page.items_shown, timeout=WAIT):
        page.search_box.clear()
    assert {i.domain for i in page.model.items} == {"公共文化服务"}
    assert "领域" not in [page.model.headerData(c, Qt.Orientation.Horizontal)
                        for c in range(page.model.columnCount())]


def test_search_is_debounced(catalog_page, qtbot) -> None:
    page = catalog_page
    calls = []
    real = page.runner.run
    page.runner.run = lambda work, *a, **k: (calls.append(work), real(work, *a, **k))[1]
    with qtbot.waitSignal(page.items_shown, timeout=WAIT):
        for text in ("危", "危房", "危房改造"):
            page.search_box.setText(text)
    page.runner.run = real
    assert len(calls) <= 2  # one search (and the detail's revisions), not one per keystroke
    assert "危房改造" in page.status.text()


def test_hiding_a_domain_and_showing_hidden(catalog_page, qtbot) -> None:
    page = catalog_page
    page.set_hidden("公共法律服务", True)
    qtbot.waitUntil(lambda: page.domain_list.count() == 12, timeout=WAIT)
    page.show_hidden.setChecked(True)
    qtbot.waitUntil(lambda: page.domain_list.count() == 13, timeout=WAIT)
    hidden = [page.domain_list.item(i).text() for i in range(13)
              if "已隐藏" in page.domain_list.item(i).text()]
    assert len(hidden) == 1 and hidden[0].startswith("公共法律服务（")
    page.set_hidden("公共法律服务", False)
    qtbot.waitUntil(lambda: all("已隐藏" not in page.domain_list.item(i).text()
                                for i in range(page.domain_list.count())), timeout=WAIT)


def test_unreadable_time_limit_is_shown_as_such() -> None:
    item = CatalogItem(id="t-1", domain="社会救助", seq=1, level1="临时救助",
                       time_limit="按上级要求", channels=["政府网站", "微信群"])
    assert item.rule["kind"] == "unknown"
    html = item_html(item)
    assert "未能识别" in html and "#b00020" in html
    assert "微信群" in html  # a non-standard channel is kept and shown
    model = ItemTableModel()
    model.set_items([item])
    col = [key for _t, key in model.columns].index("time_limit")
    assert model.data(model.index(0, col), Qt.ItemDataRole.ForegroundRole) is not None
    assert "未能识别" in model.data(model.index(0, col), Qt.ItemDataRole.ToolTipRole)


def test_export_writes_the_catalog(catalog_page, qtbot, tmp_path: Path, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    out = tmp_path / "目录.xlsx"
    catalog_page.export_file(str(out))
    qtbot.waitUntil(lambda: "已导出" in catalog_page.status.text(), timeout=WAIT)
    assert catalog_page.export_button.isEnabled()
    wb = openpyxl.load_workbook(out)
    text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)
    assert "最低生活保障" in text

    catalog_page.export_file(str(tmp_path / "目录.pdf"))
    qtbot.waitUntil(lambda: "只能导出为" in catalog_page.status.text(), timeout=WAIT)
    assert shown == [catalog_page.status.text()]


def test_time_limit_stays_readable_at_1366_and_every_cut_text_is_in_its_tooltip(
        window, qtbot) -> None:
    window.resize(1366, 740)  # the county office's screen, less a taskbar
    window.show_page("公开目录")
    page = window.catalog
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=WAIT)
    keys = [key for _t, key in page.model.columns]
    col = keys.index("time_limit")
    # 社会保险 has the longest 二级事项 and 公开主体: 公开时限 was left two characters (「及…」).
    choose(page, qtbot, "社会保险")
    assert page.table.columnWidth(col) >= catalog_page_module.TIME_LIMIT_MIN
    widths = [page.table.columnWidth(c) for c in range(len(keys))]
    assert sum(widths) <= page.table.viewport().width() + 1
    for row in range(page.model.rowCount()):
        for c, key in enumerate(keys):
            if key == "seq":
                continue
            shown = page.model.data(page.model.index(row, c))
            tip = page.model.data(page.model.index(row, c), Qt.ItemDataRole.ToolTipRole)
            assert shown.split(" ")[0] in tip, (key, shown, tip)


def test_widths_are_shared_widest_first_and_none_below_its_floor() -> None:
    share = catalog_page_module.share_widths
    assert share([40, 100, 150], [40, 60, 190], 400) == [40, 100, 150]  # all fit: as wanted
    # 40 + 130 + 130 + 190 + 130 = 620: the three long ones meet at one width.
    assert share([40, 145, 220, 400, 210], [40, 64, 64, 190, 64], 622) == [40, 130, 130, 190, 130]
    assert share([40, 300, 300], [40, 64, 190], 100) == [40, 64, 190]  # cut, not below floors


def test_an_empty_list_says_every_domain_is_hidden(catalog_page, qtbot) -> None:
    page = catalog_page
    names = [page.domain_list.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(page.domain_list.count())]
    for name in names:
        page.set_hidden(name, True)
    qtbot.waitUntil(lambda: page.domain_list.count() == 0, timeout=WAIT)
    qtbot.waitUntil(lambda: "都已隐藏" in page.status.text(), timeout=WAIT)
    assert page.status.text() == "13 个领域都已隐藏（未勾选“显示已隐藏领域”）。"
