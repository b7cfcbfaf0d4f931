"""The desk's window, driven offscreen with pytest-qt on a real data folder."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import openpyxl  # noqa: E402
import pytest  # noqa: E402

from app import catalog  # noqa: E402
from app.desk import open_desk  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def window(qtbot, data_dir: Path) -> MainWindow:
    win = MainWindow(data_dir)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.first_screen_ready, timeout=10_000):
        win.show()
        win.load()
    yield win
    win.runner.pool.waitForDone(10_000)


def test_dashboard_shows_catalog_and_unknown_year(window, qtbot) -> None:
    page = window.dashboard
    assert "13 个领域" in page.catalog_total.text()
    assert page.warning.isVisible() or not window.overview.unknown_years()
    if window.overview.unknown_years():
        assert "节假日安排尚未载入" in page.warning.text()
    assert "尚未设置乡镇名称" in page.township.text()


def test_catalog_page_lists_domains_items_and_detail(window, qtbot) -> None:
    window.show_page("公开目录")
    page = window.catalog
    qtbot.waitUntil(lambda: page.domain_list.count() == 13, timeout=10_000)
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        page.select_domain("社会救助")
    assert page.model.rowCount() >= 6
    assert all(i.domain == "社会救助" for i in page.model.items)
    page.table.selectRow(0)
    first = page.model.item(0)
    html = page.detail.toHtml()
    assert first.elements[0] in html and first.level1 in html
    assert "公开渠道和载体" in html


def test_search_box_finds_dibao_first(window, qtbot) -> None:
    window.show_page("公开目录")
    page = window.catalog
    qtbot.waitUntil(lambda: page.domain_list.count() == 13, timeout=10_000)
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        page.search_box.setText("低保")
    assert page.model.items and page.model.items[0].domain == "社会救助"
    assert "domain" in [key for _title, key in page.model.columns]  # mixed results show 领域


def county_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["青石镇社会救助领域基层政务公开标准目录"])
    ws.merge_cells("A1:P1")
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


def test_import_dialog_previews_then_imports(window, qtbot, tmp_path: Path) -> None:
    window.show_page("公开目录")
    page = window.catalog
    qtbot.waitUntil(lambda: page.domain_list.count() == 13, timeout=10_000)
    with qtbot.waitSignal(page.items_shown, timeout=10_000):
        page.select_domain("社会救助")
    file = county_xlsx(tmp_path / "county.xlsx")
    dialog = page.import_file(str(file))
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert dialog.report.dry_run and dialog.report.rows == 2
    assert "读到 2 行" in dialog.info.text()
    assert dialog.ok.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.confirm()
    qtbot.waitUntil(lambda: "残疾人两项补贴" in
                    "".join(i.level1 for i in page.model.items), timeout=10_000)
    with open_desk(window.folder) as store:
        titles = [i.level1 for i in catalog.list_items(store, "社会救助")]
    assert "残疾人两项补贴" in titles and "户口登记" in titles


def test_new_domain_needs_a_choice(window, qtbot, tmp_path: Path) -> None:
    file = tmp_path / "hj.json"
    file.write_text(json.dumps({"format": "gongkai-catalog", "items": [{
        "id": "", "domain": "户籍管理", "seq": 1, "level1": "户口迁移", "level2": "办事指南",
        "elements": ["条件"], "basis": "《中华人民共和国户口登记条例》",
        "time_limit": "及时公开", "subject": "派出所", "channels": ["政府网站"],
        "audience": ["全社会"], "mode": ["主动"], "levels": ["乡级"]}]}, ensure_ascii=False),
        encoding="utf-8")
    dialog = window.catalog.import_file(str(file))
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert "户籍管理" in dialog.choices and not dialog.ok.isEnabled()
    combo = dialog.choices["户籍管理"]
    combo.setCurrentIndex(combo.findData("新增为新领域"))
    assert dialog.ok.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.confirm()
    qtbot.waitUntil(lambda: window.catalog.domain_list.count() == 14, timeout=10_000)


def test_settings_save_and_holiday_editor(window, qtbot) -> None:
    window.show_page("设置")
    page = window.settings
    qtbot.waitUntil(lambda: page.years.count() == 4, timeout=10_000)
    page.township.setText("青石镇")
    page.county.setText("东山县")
    page.phone.setText("0551-12345678")
    with qtbot.waitSignal(page.changed, timeout=10_000):
        page.save()
    qtbot.waitUntil(lambda: "东山县青石镇" in window.dashboard.township.text(), timeout=10_000)
    assert "东山县青石镇" in window.windowTitle()

    page.township.setText("")
    page.save()
    qtbot.waitUntil(lambda: "不能为空" in page.message.text(), timeout=10_000)

    rows = [page.years.item(i).data(256) for i in range(page.years.count())]
    unknown_year = max(rows)
    page.years.setCurrentRow(rows.index(unknown_year))
    dialog = page.edit_year()
    qtbot.waitSignal(dialog.ready, timeout=10_000).wait()
    dialog.holidays.setPlainText(f"{unknown_year}-01-01\n{unknown_year}-13-01")
    dialog.save()
    qtbot.waitUntil(lambda: "格式不对" in dialog.message.text(), timeout=10_000)
    dialog.holidays.setPlainText(f"{unknown_year}-01-01")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: f"{unknown_year}年　已载入" in
                    [page.years.item(i).text() for i in range(page.years.count())],
                    timeout=10_000)


def test_holiday_loaded_clears_the_dashboard_warning(window, qtbot, tmp_path: Path) -> None:
    unknown = window.overview.unknown_years()
    if not unknown:
        pytest.skip("the library knows next year already")
    file = tmp_path / "next.json"
    year = unknown[0]
    file.write_text(json.dumps({"year": year, "holidays": [f"{year}-01-01"], "workdays": []}),
                    encoding="utf-8")
    window.settings.load_file(str(file))
    qtbot.waitUntil(lambda: not window.dashboard.warning.isVisibleTo(window.dashboard),
                    timeout=10_000)


def test_smoke_command_reports_ready(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GONGKAI_HOME=str(tmp_path / "home"))
    proc = subprocess.run([sys.executable, "-m", "ui.launch", "gui", "--smoke"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    ms = int(proc.stdout.split("ready in ")[1].split(" ms")[0])
    assert 0 < ms < 5000


def test_first_run_dialog_insists_on_names(qtbot) -> None:
    from ui.first_run import FirstRunDialog

    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.township.setText("青石镇")
    dialog._accept()
    assert "请填写" in dialog.hint.text() and dialog.result() == 0
    dialog.county.setText(" 东山县 ")
    dialog._accept()
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert dialog.values() == ("青石镇", "东山县", "")
