"""The 公开覆盖 sheet of the 台账 and the 覆盖 tab of the 台账 page, checked cell by cell
against the plan of the year (``gongkai plan --json``), and the months without publication
against the postings themselves."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, datetime  # noqa: E402

import openpyxl  # noqa: E402
import pytest  # noqa: E402
import table_builders as tb  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from tests_support import approve_step  # noqa: E402

from app.catalog.importing import import_catalog  # noqa: E402
from app.catalog.items import list_items  # noqa: E402
from app.desk import open_desk  # noqa: E402
from app.notices import boards, drafts, review  # noqa: E402
from app.planning.plan import COVERAGE, build_plan, confirm_standing, set_not_applicable  # noqa: E402,E501
from app.reports import ledger  # noqa: E402
from app.reports.coverage import SHEET_NAME, read_coverage  # noqa: E402
from app.reports.ledger_view import export_view  # noqa: E402
from ui.ledger_page import LedgerPage  # noqa: E402

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")
pytest_plugins = ["conftest_ui"]
HEADER_ROW = 3
LEAD = ("领域", "目录编号", "事项", "周期")
DOMAIN = "村务管理"
TOWN = "镇政务公开栏"
RED = "00FFC7CE"
#: level2 → 公开时限 of the items imported into 村务管理.
ITEMS = {
    "月度收支": "每月",
    "季度进度": "每季度",
    "年度计划": "每年3月底前",
    "监督电话": "长期公开",
    "集体资产": "每季度",
}
NOT_APPLICABLE = "本村无集体经营性资产"


def _import(store, folder) -> dict[str, str]:
    """The five items of 村务管理 from a county table; level2 → 目录编号."""
    head = ["序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
            "公开渠道和载体", "公开对象", "公开方式", "公开层级"]
    body = [[str(k), "村务", level2, "内容、金额", "《村民委员会组织法》", limit, tb.TOWN,
             "√社区/企事业单位/村公示栏（电子屏）", "全社会", "主动", "乡级"]
            for k, (level2, limit) in enumerate(ITEMS.items(), start=1)]
    book = Workbook()
    tb.put_xlsx(book.active, 1, [[f"城关镇{DOMAIN}领域基层政务公开标准目录"] + [""] * 10,
                                 head, *body], [(0, 0, 0, 10)])
    path = folder / "村务管理.xlsx"
    book.save(path)
    import_catalog(store, path, domain=DOMAIN, add_domains=[DOMAIN])
    return {i.level2: i.id for i in list_items(store, DOMAIN)}


def _notice(store, item, formed, posted=None, approve=True, withdraw=False):
    n = drafts.create_notice(store, item, formed=formed)
    if approve:
        approve_step(store, n.id, "王明")
    if posted:
        boards.post(store, n.id, TOWN, posted)
    if withdraw:
        drafts.withdraw(store, n.id, "内容有误，重新起草")
    return n.id


@pytest.fixture
def planned(township, tmp_path):
    """A year of 村务管理: months on time, late, missing and drafted; quarters on time, late
    and missing; the year's plan by the end of March; a standing item confirmed; one item
    不涉及 — beside the default catalog's own periodic and standing items."""
    store = township
    review.set_review_steps(store, 1)
    ids = _import(store, tmp_path)
    month, quarter, year = ids["月度收支"], ids["季度进度"], ids["年度计划"]
    _notice(store, month, "2026-01-10", "2026-01-20")  # on time
    _notice(store, month, "2026-02-05", "2026-03-03")  # late: due 2-28
    _notice(store, month, "2026-11-02", approve=False)  # drafted, not due yet
    _notice(store, quarter, "2026-03-20", "2026-03-28")  # Q1 on time
    _notice(store, quarter, "2026-06-20", "2026-07-03")  # Q2 late: due 6-30
    _notice(store, year, "2026-03-01", "2026-03-05")  # before the end of March
    # Withdrawn after it went up: June still had a publication.
    _notice(store, month, "2026-06-08", "2026-06-09", withdraw=True)
    confirm_standing(store, ids["监督电话"], "2026-05-10", note="公开栏监督电话已复核")
    set_not_applicable(store, ids["集体资产"], NOT_APPLICABLE)
    return ids


# -- reading the sheet back ---------------------------------------------------------------


def _grid(ws):
    """{item_id: (row number, {header: cell})} of the grid, and the headers."""
    headers = [c.value for c in ws[HEADER_ROW]]
    rows = {}
    for cells in ws.iter_rows(min_row=HEADER_ROW + 1):
        if cells[0].value is None:
            break  # the blank line before the months without publication
        rows[cells[1].value] = (cells[0].row, dict(zip(headers, cells, strict=True)))
    return headers, rows


def _quiet(ws):
    """{domain: {month header: value}} of the block under the grid."""
    headers = [c.value for c in ws[HEADER_ROW]]
    out, inside = {}, False
    for cells in ws.iter_rows(min_row=HEADER_ROW + 1):
        first = cells[0].value
        if isinstance(first, str) and first.startswith("无公开的月份"):
            inside = True
        elif inside and first and first != "说明：":
            out[first] = {h: c.value for h, c in zip(headers, cells, strict=True)}
        elif inside and first == "说明：":
            break
    return out


def _merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def _month_header(day: str) -> str:
    return f"{int(day[5:7])}月"


def _assert_grid_is_the_plan(ws, entries, months) -> None:
    headers, rows = _grid(ws)
    assert headers == [*LEAD, *[f"{m}月" for m in months], "说明"]
    assert set(rows) == {e["item_id"] for e in entries}
    merged = _merged(ws)
    column = {h: k + 1 for k, h in enumerate(headers)}
    covered = set()
    for e in entries:
        r, cells = rows[e["item_id"]]
        assert cells["领域"].value == e["domain"] and cells["事项"].value == e["title"]
        first = max(int(e["start"][5:7]), months[0])
        last = min(int(e["end"][5:7]), months[-1])
        cell = cells[f"{first}月"]
        assert cell.value == COVERAGE[e["coverage"]], (e["item_id"], e["period"])
        assert (cell.fill.fgColor.rgb == RED) == (e["coverage"] in ("late", "missing")), e
        if last > first:
            span = f"{cell.coordinate}:{ws.cell(r, column[f'{last}月']).coordinate}"
            assert span in merged, (e["item_id"], e["period"])
        covered |= {(r, m) for m in range(first, last + 1)}
    # Every month cell of the grid belongs to exactly one period: none left blank.
    assert covered == {(r, m) for r, _ in rows.values() for m in months}


# -- tests ----------------------------------------------------------------------------------


def test_coverage_sheet_is_the_plan_cell_by_cell(planned, gk, tmp_path) -> None:
    out = tmp_path / "台账.xlsx"
    said = gk("ledger", "export", str(out), "--year", "2026").stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["汇总", SHEET_NAME]
    ws = book[SHEET_NAME]
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert "青石镇" in ws["A1"].value and "覆盖" in ws["A1"].value
    plan = gk.json("plan", "--year", "2026")
    entries = plan["entries"]
    _assert_grid_is_the_plan(ws, entries, list(range(1, 13)))

    # What the seed was built to produce, so the comparison is not of two empty plans.
    mine = {(e["item_id"], e["period"]): e["coverage"] for e in entries
            if e["domain"] == DOMAIN}
    month, quarter, year = planned["月度收支"], planned["季度进度"], planned["年度计划"]
    assert [mine[(month, f"2026-{m:02d}")] for m in range(1, 13)] == [
        "on_time", "late", *["missing"] * 8, "drafted", "pending"]
    assert [mine[(quarter, f"2026-Q{q}")] for q in range(1, 5)] == [
        "on_time", "late", "missing", "pending"]
    assert mine[(year, "2026")] == "on_time"
    assert [mine[(planned["监督电话"], h)] for h in ("2026-H1", "2026-H2")] == [
        "on_time", "pending"]
    _, rows = _grid(ws)
    r, cells = rows[month]
    assert cells["2月"].value == "逾期" and cells["3月"].value == "缺失"
    assert "逾期：2月（截止2月28日，3月3日公开）" in cells["说明"].value
    assert cells["说明"].value.startswith("缺失：3月、4月")
    assert rows[year][1]["周期"].value == "每年"
    assert rows[planned["监督电话"]][1]["周期"].value == "长期（每半年复核）"
    # 不涉及: every period says so, with the reason beside, and nothing is red.
    _, na = rows[planned["集体资产"]]
    assert [na[f"{m}月"].value for m in (1, 4, 7, 10)] == ["不涉及"] * 4
    assert na["说明"].value == f"不涉及：{NOT_APPLICABLE}"
    assert {e["reason"] for e in entries if e["item_id"] == planned["集体资产"]} == {
        NOT_APPLICABLE}
    assert not any(c.fill.fill_type == "solid" for c in na.values())

    # The 汇总 sheet and the sentence count the same periods.
    labels = {c.value: ws_row for ws_row, c in enumerate(book["汇总"]["A"], start=1)}
    summary = book["汇总"]
    counts = {k: sum(e["coverage"] == k for e in entries) for k in COVERAGE}
    assert summary.cell(labels["逾期（期）"], 2).value == counts["late"]
    assert summary.cell(labels["缺失（期）"], 2).value == counts["missing"]
    assert summary.cell(labels["按时公开（期）"], 2).value == counts["on_time"]
    assert summary.cell(labels["不涉及（项）"], 2).value == 1
    assert f"公开覆盖：按时公开 {counts['on_time']} 期，逾期 {counts['late']} 期，" \
           f"缺失 {counts['missing']} 期" in said


def test_months_without_publication_per_domain(planned, gk, township, tmp_path) -> None:
    out = tmp_path / "台账.xlsx"
    gk("ledger", "export", str(out))
    quiet = _quiet(openpyxl.load_workbook(out)[SHEET_NAME])
    domains = [d["name"] for d in gk.json("catalog", "domains")]
    assert list(quiet) == domains and DOMAIN in quiet
    # First postings of the desk, month by month, from the notices themselves.
    published: dict[str, set[int]] = {d: set() for d in domains}
    for n in gk.json("notice", "list"):
        days = [p["posted"] for p in n["postings"]]
        if days and min(days).startswith("2026"):
            published[n["domain"]].add(int(min(days)[5:7]))
    for domain, line in quiet.items():
        for m in range(1, 13):
            value = line[f"{m}月"]
            if m == 12:
                assert value is None  # December has not begun on 23 November
            elif m in published[domain]:
                assert isinstance(value, int) and value > 0, (domain, m)
            else:
                assert value == "无公开", (domain, m)
    # Posted in January, March (three), June (withdrawn since) and July.
    assert [m for m in range(1, 12) if quiet[DOMAIN][f"{m}月"] == "无公开"] == [
        2, 4, 5, 8, 9, 10, 11]
    assert quiet[DOMAIN]["3月"] == 3
    assert quiet[DOMAIN]["说明"] == "无公开：2月、4月、5月、8月、9月、10月、11月"
    flt = ledger.make_filter(township, 2026)
    coverage = read_coverage(township, flt, date(2026, 11, 23))
    assert coverage.quiet_months(DOMAIN) == [2, 4, 5, 8, 9, 10, 11]


def test_quarter_and_domain_filters_cut_the_grid(planned, gk, township, tmp_path) -> None:
    out = tmp_path / "二季度.xlsx"
    gk("ledger", "export", str(out), "--quarter", "2", "--domain", DOMAIN)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", SHEET_NAME, DOMAIN]
    ws = book[SHEET_NAME]
    entries = [e for e in gk.json("plan")["entries"] if e["domain"] == DOMAIN
               and e["start"] <= "2026-06-30" and e["end"] >= "2026-04-01"]
    _assert_grid_is_the_plan(ws, entries, [4, 5, 6])
    _, rows = _grid(ws)
    # The year's plan and the standing half-year span the whole quarter shown.
    assert f"E{rows[planned['年度计划']][0]}:G{rows[planned['年度计划']][0]}" in _merged(ws)
    assert rows[planned["季度进度"]][1]["4月"].value == "逾期"  # the second quarter
    assert _quiet(ws) == {DOMAIN: {
        "领域": DOMAIN, "目录编号": None, "事项": "当月首次张贴的公开信息（条）", "周期": "每月",
        "4月": "无公开", "5月": "无公开", "6月": 1, "说明": "无公开：4月、5月"}}
    # The read behind the page agrees with the sheet.
    flt = ledger.make_filter(township, 2026, 2, DOMAIN)
    coverage = read_coverage(township, flt, date(2026, 11, 23))
    assert coverage.months == (4, 5, 6)
    assert [(c.entry.item_id, c.entry.period.label) for c in
            (cell for row in coverage.rows for cell in row.cells)] == [
        (e["item_id"], e["period"]) for e in entries]


def test_the_sheet_is_read_in_the_ledgers_snapshot(planned, township, tmp_path) -> None:
    statements: list[str] = []
    township.conn.set_trace_callback(statements.append)
    try:
        done = export_view(township, tmp_path / "台账.xlsx", ledger.make_filter(township, 2026))
    finally:
        township.conn.set_trace_callback(None)
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert len(begins) == 1 and statements[-1] == "ROLLBACK"
    sheet = done.ledger.front_sheets[0]
    plan = build_plan(township, 2026, date(2026, 11, 23))
    assert sum(1 for v in sheet.rows for x in v if x in COVERAGE.values()) == len(plan.entries)


def test_rows_written_as_xml_read_back_as_written(township, tmp_path) -> None:
    """The table rows are serialised by the ledger itself: every kind of value survives."""
    values = ("a & b < c > d", "  两端有空格  ", "第一行\r\n第二行", "=SUM(A1)", "含\x07控制符",
              date(2026, 3, 1), datetime(2026, 3, 1, 8, 30), 42, 0.875, True, None, "")
    columns = tuple(ledger.Column(f"列{k}", 12, kind) for k, kind in enumerate(
        ("text", "wrap", "wrap", "text", "text", "date", "date", "int", "percent", "center",
         "text", "text")))

    def odd(store, flt, today):
        return ledger.Sheet("杂项", "各种取值", columns, (values,), cell_marks=frozenset({(0, 7)}))

    path = tmp_path / "odd.xlsx"
    ledger.export_ledger(township, path, ledger.make_filter(township, 2026), extra=[odd])
    ws = openpyxl.load_workbook(path)["杂项"]
    got = [c.value for c in ws[HEADER_ROW + 1]]
    assert got == ["a & b < c > d", "  两端有空格  ", "第一行\r\n第二行", "=SUM(A1)", "含控制符",
                   datetime(2026, 3, 1), datetime(2026, 3, 1, 8, 30), 42, 0.875, True, None,
                   None]
    row = ws[HEADER_ROW + 1]
    assert row[3].data_type == "s"  # text, never a formula
    assert row[5].number_format == "yyyy-mm-dd" and row[8].number_format == "0.0%"
    assert row[7].fill.fgColor.rgb == RED and row[6].fill.fill_type is None
    assert all(c.border.left.style == "thin" for c in row)
    assert ws.row_dimensions[HEADER_ROW + 1].height > 15  # two lines of wrapped text
    assert ws.max_row == HEADER_ROW + 1


# -- the 台账 page ----------------------------------------------------------------------------


def test_ledger_page_shows_the_coverage(configured_window, data_dir, qtbot, tmp_path) -> None:
    with open_desk(data_dir) as store:
        review.set_review_steps(store, 1)
        ids = _import(store, tmp_path)
        _notice(store, ids["月度收支"], "2026-02-05", "2026-03-03")
        set_not_applicable(store, ids["集体资产"], NOT_APPLICABLE)
        plan = build_plan(store, 2026, date(2026, 11, 23))
    configured_window.show_page("台账")
    page: LedgerPage = configured_window.ledger
    page.refresh()
    qtbot.waitUntil(lambda: page.view is not None and not page.runner.busy(), timeout=10_000)
    page.tabs.setCurrentIndex(2)
    assert page.tabs.tabText(2) == "覆盖"
    grid = page.coverage_cells()
    header = [page.coverage_grid.horizontalHeaderItem(c).text()
              for c in range(page.coverage_grid.columnCount())]
    assert header == ["领域", "事项", "周期", *[f"{m}月" for m in range(1, 13)], "说明"]
    titles = [row[1] for row in grid]
    for e in plan.entries:
        r = titles.index(e.title)
        c = 2 + e.period.start.month
        assert grid[r][c] == COVERAGE[e.coverage], (e.item_id, e.period.label)
        span = page.coverage_grid.columnSpan(r, c)
        assert span == e.period.end.month - e.period.start.month + 1
        red = page.coverage_grid.item(r, c).background().color().name() == "#ffc7ce"
        assert red == (e.coverage in ("late", "missing"))
    na = grid[titles.index(next(e.title for e in plan.entries if e.reason))]
    assert na[-1] == f"不涉及：{NOT_APPLICABLE}"
    quiet = {row[0]: row for row in page.quiet_cells()}
    assert quiet[DOMAIN][1:13] == [*["无公开"] * 2, "1", *["无公开"] * 8, ""]
    assert "逾期 1 期" in page.coverage_scope.text()
