"""The 台账 page: a seeded 2026 in 青石镇, its figures and charts checked against
app.reports.ledger, its filters, and both exports written through the page and read back."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections import Counter  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import docx  # noqa: E402
import openpyxl  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage  # noqa: E402
from tests_support import approve_step  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.facts import REQUEST_OUTCOMES  # noqa: E402
from app.info_requests import cases  # noqa: E402
from app.notices import boards, drafts, review  # noqa: E402
from app.reports import annual_figures  # noqa: E402
from app.reports.ledger import LedgerFilter, make_filter, read_ledger  # noqa: E402
from ui import annual_report_dialog  # noqa: E402
from ui import ledger_page as ledger_module  # noqa: E402
from ui.annual_report_dialog import AnnualReportDialog  # noqa: E402
from ui.charts import ON_TIME, OVERDUE, BarChart, Series  # noqa: E402
from ui.ledger_page import OUTCOME_COLOR, LedgerPage  # noqa: E402

pytestmark = pytest.mark.usefixtures("pinned_today")

pytest_plugins = ["conftest_ui"]
TODAY = "2026-11-23"
WAIT = 10_000
TOWN, EAST = "镇政务公开栏", "东山村村务公开栏"
#: (item, formed, postings, approved, withdrawn): on time, late, open past and before the
#: deadline, no deadline (及时), withdrawn; four quarters, six domains, and one of 2025.
NOTICES = [
    ("shjz-002", "2026-01-05", [(TOWN, "2026-01-12"), (EAST, "2026-01-13")], True, False),
    ("snbt-002", "2026-02-02", [(TOWN, "2026-03-20")], True, False),  # late
    ("snbt-004", "2026-03-10", [(EAST, "2026-03-11")], True, False),  # 及时
    ("jy-002", "2026-04-01", [], False, True),  # withdrawn before it went up
    ("shjz-003", "2026-06-01", [], False, False),  # draft, overdue
    ("wfgz-009", "2026-07-01", [], True, False),  # approved, overdue
    ("shjz-002", "2026-08-03", [(TOWN, "2026-08-10")], True, False),
    ("ggzy-007", "2026-09-01", [(TOWN, "2026-09-03")], True, False),
    ("jy-003", "2026-10-09", [(TOWN, "2026-11-06")], True, False),  # a day late
    ("shjz-001", "2026-11-20", [], False, False),  # draft, not due yet
    ("shjz-002", "2025-12-01", [(TOWN, "2025-12-05")], True, False),  # the year before
]
#: (received, answered, outcome, item): answered on time and late, still open, and 2025.
REQUESTS = [
    ("2025-12-10", "2025-12-20", "予以公开", None),
    ("2026-02-03", "2026-02-20", "予以公开", None),
    ("2026-03-02", "2026-05-20", "不予公开", "属于国家秘密"),  # answered late
    ("2026-05-06", "2026-05-28", "无法提供", "本机关不掌握相关政府信息"),
    ("2026-08-03", "2026-08-20", "予以公开", None),
    ("2026-09-01", None, None, None),  # never answered: overdue
    ("2026-11-16", None, None, None),  # still within its time
]
EXPECTED_OUTCOMES = [("予以公开", 2), ("部分公开", 0), ("不予公开", 1), ("无法提供", 1),
                     ("不予处理", 0), ("其他处理", 0), ("办理中", 2)]


@pytest.fixture
def ledger_page(configured_window, data_dir, qtbot) -> LedgerPage:
    """The 台账 page in front, on a seeded 2026, once it has drawn that year."""
    with open_desk(data_dir) as store:
        review.set_review_steps(store, 1)
        boards.set_villages(store, ["东山村", "西河村"])
        for item, formed, posts, approved, withdrawn in NOTICES:
            notice = drafts.create_notice(store, item, formed=formed)
            if approved:
                approve_step(store, notice.id, "王明")
            for board, day in posts:
                boards.post(store, notice.id, board, day)
            if withdrawn:
                drafts.withdraw(store, notice.id, "内容有误，重新起草")
        for received, answered, outcome, item in REQUESTS:
            request = cases.register(store, "张三", "自然人", received, "低保资金发放明细")
            if answered:
                cases.answer(store, request.id, outcome, item, on=answered)
    configured_window.show_page("台账")
    page = configured_window.ledger
    page.refresh()
    _wait_for(qtbot, page, LedgerFilter(2026))
    return page


def _wait_for(qtbot, page: LedgerPage, flt: LedgerFilter) -> None:
    """Until the page shows ``flt`` and no older read is still on its way."""
    qtbot.waitUntil(lambda: page.view is not None and page.view.ledger.filter == flt
                    and not page.runner.busy(), timeout=WAIT)


def _ledger(data_dir: Path, quarter=None, domain=None):
    with open_desk(data_dir) as store:
        return read_ledger(store, make_filter(store, 2026, quarter, domain))


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _tiles(page: LedgerPage) -> dict[str, str]:
    return {key: tile.text() for key, tile in page.tiles.items()}


def _parts(c) -> tuple[int, int, int]:
    return (c.on_time, c.overdue, c.total - c.on_time - c.overdue)


def _assert_notice_figures(page: LedgerPage, ledger) -> None:
    total = ledger.summary.total
    tiles = _tiles(page)
    assert tiles["total"] == str(total.total)
    assert tiles["published"] == str(total.published)
    assert tiles["rate"] == _percent(total.on_time_rate)
    assert tiles["overdue"] == str(total.overdue)
    assert tiles["open"] == str(total.still_open)
    assert page.month_chart.bars() == [(f"{m}月", _parts(c)) for m, c in ledger.summary.months]
    assert page.domain_chart.bars() == [(d, _parts(c)) for d, c in ledger.summary.domains]
    assert page.rate_chart.rates()[0] == ("公开信息按时公开率", total.on_time_rate)
    assert page.tree.topLevelItemCount() == len(ledger.rows)


# -- figures and charts -----------------------------------------------------------------


def test_tiles_and_charts_are_the_ledgers_figures(ledger_page, data_dir) -> None:
    page = ledger_page
    ledger = _ledger(data_dir)
    total = ledger.summary.total
    # What the seed amounts to, so the comparison below is not of two empty ledgers.
    assert (total.total, total.published, total.on_time, total.overdue, total.still_open,
            total.withdrawn) == (10, 6, 4, 4, 3, 1)
    _assert_notice_figures(page, ledger)
    assert page.tiles["overdue"].value.styleSheet() == "color: #b00020;"
    assert "2026年，全部领域" in page.scope.text() and TODAY in page.scope.text()
    # Twelve months, thirteen domains with their long names, each with its counts.
    assert [label for label, _ in page.month_chart.bars()] == [f"{m}月" for m in range(1, 13)]
    assert len(page.domain_chart.bars()) == 13
    assert dict(page.domain_chart.bars())["社会救助"] == (2, 1, 1)

    with open_desk(data_dir) as store:
        register = cases.list_requests(store, year=2026)
    assert page.outcome_chart.bars() == [(name, (n,)) for name, n in EXPECTED_OUTCOMES]
    counted = Counter(r.outcome or "办理中" for r in register)
    assert [(name, counted[name]) for name in (*REQUEST_OUTCOMES, "办理中")] == EXPECTED_OUTCOMES
    assert _request_tiles(page) == ("6", "4", str(sum(r.overdue for r in register)))
    assert sum(r.overdue for r in register) == 2
    assert page.rate_chart.rates()[1] == ("申请按时答复率", 3 / 4)


def _request_tiles(page: LedgerPage) -> tuple[str, str, str]:
    """收到, 已答复, 超期 as the tiles show them."""
    return (page.tiles["requests"].text(), page.tiles["answered"].text(),
            page.tiles["requests_overdue"].text())


def test_rows_tab_lists_every_notice_and_marks_late_ones_red(ledger_page, data_dir) -> None:
    page = ledger_page
    ledger = _ledger(data_dir)
    headers = [page.tree.headerItem().text(c) for c in range(page.tree.columnCount())]
    assert headers == ["领域", "事项", "标题", "形成", "期限", "公开", "状态", "超期天数", "审核人"]
    for k, row in enumerate(ledger.rows):
        item = page.tree.topLevelItem(k)
        assert item.text(0) == row.domain and item.text(2) == row.title
        assert item.text(3) == row.formed.isoformat()
        assert item.text(6) == row.status_label
        red = item.foreground(2).color() == QColor("#b00020")
        assert red == row.overdue
        assert item.text(7) == (str(row.days_late) if row.overdue else "")
        # One step (设置 says so in the fixture), passed by 王明 on every approved notice.
        assert item.text(8) == ("初审 王明" if row.status in ("approved", "published") else "")
    late = [page.tree.topLevelItem(k).text(7) for k, r in enumerate(ledger.rows) if r.overdue]
    assert "1" in late  # 职业培训 posted a day after its deadline


def test_a_double_clicked_row_opens_its_notice(ledger_page, configured_window, qtbot) -> None:
    page = ledger_page
    page.tabs.setCurrentIndex(1)
    item = page.tree.topLevelItem(1)
    notice_id = item.data(0, Qt.ItemDataRole.UserRole)
    rect = page.tree.visualItemRect(item)
    with qtbot.waitSignal(page.open_notice, timeout=WAIT) as opened:
        # A double-click's first press selects the row, as a clerk's does.
        qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.tree.viewport(), Qt.MouseButton.LeftButton,
                          pos=rect.center())
    assert opened.args == [notice_id]
    # The main window hears every page's open_notice: the notice is shown.
    editor = configured_window.notices
    qtbot.waitUntil(lambda: editor.state is not None and editor.state.notice.id == notice_id,
                    timeout=WAIT)
    assert configured_window.pages.currentWidget() is editor


def test_quarter_and_domain_filters_change_the_figures(ledger_page, data_dir, qtbot) -> None:
    page = ledger_page
    page.quarter.setCurrentIndex(3)
    _wait_for(qtbot, page, LedgerFilter(2026, 3))
    ledger = _ledger(data_dir, quarter=3)
    assert ledger.summary.total.total == 3
    _assert_notice_figures(page, ledger)
    assert [label for label, _ in page.month_chart.bars()] == ["7月", "8月", "9月"]
    # Requests received in the third quarter: one answered, one never.
    assert _request_tiles(page) == ("2", "1", "1")
    assert dict(page.outcome_chart.bars())["办理中"] == (1,)

    assert page.domain.count() == 14 and page.domain.itemText(0) == "全部领域"
    page.domain.setCurrentIndex(page.domain.findText("社会救助"))
    _wait_for(qtbot, page, LedgerFilter(2026, 3, "社会救助"))
    ledger = _ledger(data_dir, quarter=3, domain="社会救助")
    assert ledger.summary.total.total == 1
    _assert_notice_figures(page, ledger)
    assert page.domain_chart.bars() == [("社会救助", (1, 0, 0))]
    # Requests have no domain: the tiles say so, the outcome chart explains instead of bars.
    assert _request_tiles(page) == ("—", "—", "—")
    assert page.outcome_chart.bars() == [] and page.outcome_chart.is_empty()
    assert "不含依申请公开" in page.outcome_chart.empty_text
    assert len(page.rate_chart.rates()) == 1

    page.quarter.setCurrentIndex(0)
    page.domain.setCurrentIndex(0)
    page.year.setValue(2025)
    _wait_for(qtbot, page, LedgerFilter(2025))
    assert page.tiles["total"].text() == "1"
    assert _request_tiles(page) == ("1", "1", "0")


def test_a_slow_old_read_never_overwrites_a_newer_one(ledger_page, qtbot) -> None:
    page = ledger_page
    shown = []
    page.loaded.connect(lambda: shown.append(page.view.ledger.filter))
    for quarter in (1, 2, 3, 4, 2):
        page.quarter.setCurrentIndex(quarter)
    _wait_for(qtbot, page, LedgerFilter(2026, 2))
    assert shown == [LedgerFilter(2026, 2)]


def test_charts_are_drawn(ledger_page, qtbot) -> None:
    page = ledger_page
    page.resize(1246, 700)
    for chart in (page.domain_chart, page.month_chart, page.rate_chart):
        assert _pixels(chart.grab().toImage(), ON_TIME) > 200, chart.title
    assert _pixels(page.outcome_chart.grab().toImage(), OUTCOME_COLOR) > 200
    assert _pixels(page.domain_chart.grab().toImage(), OVERDUE) > 50
    assert _pixels(page.rate_chart.grab().toImage(), OVERDUE) > 50

    empty = BarChart("按月份", [Series("按时公开", ON_TIME)])
    qtbot.addWidget(empty)
    empty.resize(400, 240)
    empty.set_bars([])
    assert empty.is_empty() and _pixels(empty.grab().toImage(), ON_TIME) == 0


def _pixels(image: QImage, color: QColor) -> int:
    """How many pixels (sampled every other one) are ``color``."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    want = color.rgb() & 0xFFFFFF
    return sum((image.pixel(x, y) & 0xFFFFFF) == want
               for y in range(0, image.height(), 2) for x in range(0, image.width(), 2))


# -- exports ------------------------------------------------------------------------------


def test_export_writes_the_workbook_with_requests(ledger_page, qtbot, tmp_path,
                                                  monkeypatch) -> None:
    page = ledger_page
    asked = []

    def save_name(_parent, _caption, start, _pattern):
        asked.append(start)
        return str(tmp_path / "台账")  # typed without its ending

    monkeypatch.setattr(ledger_module, "save_file", save_name)
    with qtbot.waitSignal(page.written, timeout=WAIT):
        page.export_button.click()
    assert Path(asked[0]).name == "青石镇2026年台账.xlsx"
    book = openpyxl.load_workbook(tmp_path / "台账.xlsx")
    assert book.sheetnames[0] == "汇总" and book.sheetnames[-1] == "依申请公开"
    assert "社会救助" in book.sheetnames
    summary = " ".join(str(c.value) for row in book["汇总"].iter_rows() for c in row if c.value)
    assert "公开信息 10 条" in summary
    assert "公开信息 10 条" in page.status.text() and "台账.xlsx" in page.status.text()
    assert page.export_button.isEnabled()

    # One domain: its coverage and its sheet only, no requests (they have no domain).
    page.domain.setCurrentIndex(page.domain.findText("社会救助"))
    _wait_for(qtbot, page, LedgerFilter(2026, None, "社会救助"))
    with qtbot.waitSignal(page.written, timeout=WAIT):
        page.export_file(tmp_path / "社会救助.xlsx")
    assert openpyxl.load_workbook(tmp_path / "社会救助.xlsx").sheetnames == [
        "汇总", "公开覆盖", "社会救助"]


def test_annual_report_is_written_through_the_page(ledger_page, qtbot, tmp_path,
                                                   monkeypatch) -> None:
    page = ledger_page
    asked = []

    def save_name(_parent, _caption, start, _pattern):
        asked.append(start)
        return str(tmp_path / "年度报告.docx")

    monkeypatch.setattr(annual_report_dialog, "save_file", save_name)
    page.report_button.click()
    dialog = page.findChild(AnnualReportDialog)
    assert dialog.year.value() == page.year.value() == 2026
    qtbot.waitUntil(lambda: dialog.figures is not None, timeout=WAIT)
    with qtbot.waitSignal(page.written, timeout=WAIT):
        dialog.write_button.click()
    assert Path(asked[0]).name == "青石镇2026年政府信息公开工作年度报告.docx"
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "年度报告.docx")).paragraphs)
    assert "青石镇人民政府" in text and "2026年政府信息公开工作年度报告" in text
    assert "三、收到和处理政府信息公开申请情况" in text
    assert "第一、五、六部分的灰色段落请按提示改写" in page.status.text()
    assert "本年度尚未结束" in page.status.text()  # 2026-11-23: figures so far
    assert page.status.text() == dialog.message.text()


def test_an_unbalanced_year_is_refused_and_nothing_is_written(ledger_page, data_dir, qtbot,
                                                              tmp_path, monkeypatch) -> None:
    page = ledger_page
    with open_desk(data_dir) as store:
        # Last year's report printed three natural persons carried over; the register has none.
        annual_figures.set_manual(store, 2026, carried_in={"自然人": "3"})
    monkeypatch.setattr(annual_report_dialog, "save_file",
                        lambda *a, **k: pytest.fail("no file is asked for an unbalanced year"))
    dialog = page.annual_report()
    qtbot.waitUntil(lambda: dialog.figures is not None, timeout=WAIT)
    assert not dialog.from_register.isChecked() and dialog.carried["自然人"].value() == 3
    assert "2026年度报告第三部分的表格不平" in dialog.balance.text()
    dialog.write()
    qtbot.waitUntil(lambda: "表格不平" in dialog.message.text(), timeout=WAIT)
    assert "「自然人」" in dialog.message.text()
    assert not list(tmp_path.glob("*.docx"))


def test_page_defaults_to_this_year(ledger_page) -> None:
    assert ledger_page.year.value() == date.fromisoformat(TODAY).year
    assert ledger_page.year.maximum() == 2026
    assert ledger_page.quarter.currentText() == "全年"
