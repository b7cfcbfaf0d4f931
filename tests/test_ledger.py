"""The 台账: a seeded year exported through the real command line, read back and checked
against what ``gongkai notice list`` and ``gongkai due`` say about the same notices."""

import re
import shutil
import subprocess
from datetime import date, datetime

import openpyxl
import pytest
from tests_support import approve_step, libreoffice_to_pdf

from app.catalog import domains
from app.errors import UserError
from app.facts import STATUSES, SYNC_STATES
from app.notices import boards, drafts, review
from app.reports import ledger
from app.sync import outbox
from app.sync.protocol import BatchReceipt, Reply

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")
HEADER_ROW = 3  # title, the filter line, then the column headers
COUNT_KEYS = ("total", "published", "on_time", "overdue", "open", "withdrawn")


def _notice(store, item, formed, *, title=None, approve=True, posts=(), downs=(),
            withdraw=False):
    n = drafts.create_notice(store, item, formed=formed, title=title)
    if approve:
        approve_step(store, n.id, "王明")
    for board, day in posts:
        boards.post(store, n.id, board, day)
    for board, day in downs:
        boards.take_down(store, n.id, board, day)
    if withdraw:
        drafts.withdraw(store, n.id, "内容有误，重新起草")
    return n.id


@pytest.fixture
def seeded(township):
    """A year of work in 青石镇 across domains and quarters, and one notice of the year before.

    On time, late (one by a single day), published on the deadline itself,
    with no deadline (及时, 定期), still open past and before the deadline,
    withdrawn before and after posting, taken down and still hanging, and two
    county answers (published with a URL, returned with a reason).
    """
    store = township
    review.set_review_steps(store, 1)
    boards.set_villages(store, ["东山村", "西河村"])
    town, east = "镇政务公开栏", "东山村村务公开栏"
    ids = {
        # Q1
        "dibao_on_time": _notice(store, "shjz-002", "2026-01-05",
                                 posts=[(town, "2026-01-12"), (east, "2026-01-13")],
                                 downs=[(town, "2026-01-21"), (east, "2026-01-22")]),
        "subsidy_late": _notice(store, "snbt-002", "2026-02-02", posts=[(town, "2026-03-20")]),
        "immediate": _notice(store, "snbt-004", "2026-03-10", posts=[(east, "2026-03-11")],
                             title="=SUM(A1) 农机购置补贴受益信息公示"),
        # Q2
        "withdrawn_draft": _notice(store, "jy-002", "2026-04-01", approve=False,
                                   withdraw=True),
        "withdrawn_posted": _notice(store, "fp-005", "2026-05-06",
                                    posts=[(town, "2026-05-20")], withdraw=True),
        "draft_overdue": _notice(store, "shjz-003", "2026-06-01", approve=False),
        # Q3
        "approved_overdue": _notice(store, "wfgz-009", "2026-07-01"),
        "dibao_hanging": _notice(store, "shjz-002", "2026-08-03",
                                 posts=[(town, "2026-08-10"), (east, "2026-08-10")],
                                 downs=[(town, "2026-08-20")]),
        "tender": _notice(store, "ggzy-007", "2026-09-01", posts=[(town, "2026-09-03")],
                          downs=[(town, "2026-09-06")]),
        # Q4
        "on_deadline": _notice(store, "jy-003", "2026-10-09", posts=[(town, "2026-11-05")]),
        "one_day_late": _notice(store, "jy-003", "2026-10-09", posts=[(town, "2026-11-06")]),
        "periodic_open": _notice(store, "fp-012", "2026-10-15"),
        "draft_not_due": _notice(store, "shjz-001", "2026-11-20", approve=False),
        # the year before
        "last_year": _notice(store, "shjz-002", "2025-12-01", posts=[(town, "2025-12-05")]),
    }
    batches = outbox.form_batches(store)
    replies = [Reply(ids["dibao_on_time"], "published", url="https://www.example.gov.cn/gk/1",
                     seq=1),
               Reply(ids["dibao_hanging"], "returned", reason="名单缺少家庭人口", seq=2)]
    for k, batch in enumerate(batches):
        outbox.record_receipt(store, BatchReceipt(batch, False, replies if k == 0 else []))
    return ids


# -- what the rest of the program says --------------------------------------------------


def _expected(gk, year=2026, quarters=(1, 2, 3, 4), domain=None):
    """Every notice of the filter, from ``notice list --json``, with the ledger's verdicts."""
    today = date.fromisoformat(TODAY)
    out = {}
    for n in gk.json("notice", "list"):
        formed = date.fromisoformat(n["formed"])
        if formed.year != year or (formed.month - 1) // 3 + 1 not in quarters:
            continue
        if domain and n["domain"] != domain:
            continue
        published = min((p["posted"] for p in n["postings"]), default=None)
        due = n["due"]
        if due and published:
            late = max(0, (date.fromisoformat(published) - date.fromisoformat(due)).days)
        elif due and n["status"] in ("draft", "approved") and due < TODAY:
            late = (today - date.fromisoformat(due)).days
        else:
            late = 0
        out[n["id"]] = n | {"published": published, "late": late}
    return out


def _counts(rows) -> dict[str, int]:
    return {
        "total": len(rows),
        "published": sum(r["published"] is not None for r in rows),
        "on_time": sum(r["published"] is not None and not r["late"] for r in rows),
        "overdue": sum(bool(r["late"]) for r in rows),
        "open": sum(r["status"] in ("draft", "approved") for r in rows),
        "withdrawn": sum(r["status"] == "withdrawn" for r in rows),
    }


# -- reading the workbook back ----------------------------------------------------------


def _day(value):
    assert value is None or isinstance(value, datetime), value  # a real Excel date
    return value.date().isoformat() if value else None


def _sheet_rows(ws):
    headers = [c.value for c in ws[HEADER_ROW]]
    rows = []
    for cells in ws.iter_rows(min_row=HEADER_ROW + 1):
        if cells[0].value is None:
            continue
        rows.append({h: c for h, c in zip(headers, cells, strict=True)})
    return rows


def _summary_tables(ws):
    """{heading key: {label: [values]}} for the three tables of 汇总."""
    tables, current = {}, None
    for cells in ws.iter_rows(min_row=1):
        first = cells[0].value
        if first in ("领域", "月份", "公开渠道"):
            current = tables.setdefault(first, {})
        elif current is not None and first and cells[1].value is not None:
            current[first] = [c.value for c in cells[1:8] if c.value is not None]
        elif not first:
            current = None
    return tables


def _export(gk, tmp_path, name, *args):
    path = tmp_path / name
    result = gk.json("ledger", "export", str(path), *args)
    return path, result, openpyxl.load_workbook(path)


# -- tests -------------------------------------------------------------------------------


def test_year_ledger_matches_notice_list_and_due(seeded, gk, tmp_path) -> None:
    path, result, book = _export(gk, tmp_path, "台账2026.xlsx", "--year", "2026")
    expected = _expected(gk)
    assert seeded["last_year"] not in expected and len(expected) == len(seeded) - 1
    # 汇总 first, the plan's 公开覆盖 (tests/test_ledger_coverage.py), then one sheet per
    # domain that has notices, in the township's order, then the 依申请公开 register
    # (tests/test_ledger_requests.py).
    order = [d["name"] for d in gk.json("catalog", "domains")]
    have = {n["domain"] for n in expected.values()}
    assert book.sheetnames == ["汇总", "公开覆盖", *[d for d in order if d in have], "依申请公开"]
    assert result["sheets"] == book.sheetnames

    seen = {}
    for name in book.sheetnames[2:-1]:
        ws = book[name]
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
        assert "青石镇" in ws["A1"].value and name in ws["A1"].value
        for row in _sheet_rows(ws):
            notice_id = next(i for i in expected if i.startswith(row["信息编号"].value))
            seen[notice_id] = (name, row)
    assert set(seen) == set(expected)

    for notice_id, (sheet, row) in seen.items():
        n = expected[notice_id]
        assert sheet == n["domain"]
        assert row["目录编号"].value == n["item_id"]
        assert row["标题"].value == n["title"] and row["标题"].data_type == "s"
        assert row["状态"].value == STATUSES[n["status"]]
        assert _day(row["信息形成日期"].value) == n["formed"]
        assert _day(row["公开时限截止"].value) == n["due"]
        assert _day(row["公开日期"].value) == n["published"]
        publicity = n["publicity"] or {"start": None, "end": None}
        assert _day(row["公示期起"].value) == publicity["start"]
        assert _day(row["公示期止"].value) == publicity["end"]
        for p in n["postings"]:
            down = f"{p['taken_down']}撤下" if p["taken_down"] else "未撤下"
            assert f"{p['board']}：{p['posted']}张贴，{down}" in row["张贴公开栏"].value
        downs = [p["taken_down"] for p in n["postings"]]
        assert _day(row["撤栏日期"].value) == (max(downs) if downs and all(downs) else None)
        assert row["县级平台"].value == SYNC_STATES[n["sync"]]
        late = bool(n["late"])
        assert row["是否超期"].value == ("是" if late else "否")
        assert (row["超期天数"].value or 0) == n["late"]
        # Marked in colour as well as in words, on every cell of the row.
        fills = {c.fill.fgColor.rgb for c in row.values() if c.fill.fill_type == "solid"}
        assert fills == ({"00FFC7CE"} if late else set())

    # The verdicts the seed was built to produce, and `gongkai due` agreeing on the open ones.
    late = {k for k, i in seeded.items() if i in expected and expected[i]["late"]}
    assert late == {"subsidy_late", "draft_overdue", "approved_overdue", "one_day_late"}
    assert expected[seeded["one_day_late"]]["late"] == 1
    due_overdue = {d["notice_id"] for d in gk.json("due") if d["kind"] == "overdue"}
    open_late = {i for i, n in expected.items()
                 if n["late"] and n["status"] in ("draft", "approved")}
    assert open_late == due_overdue & set(expected) and open_late
    reply = seen[seeded["dibao_on_time"]][1]["县级平台回复"].value
    assert reply == "https://www.example.gov.cn/gk/1"
    assert seen[seeded["dibao_hanging"]][1]["县级平台回复"].value == "退回：名单缺少家庭人口"

    # The summary: totals, each domain, each month, as the notices themselves say.
    want = _counts(list(expected.values()))
    assert {k: result[k] for k in COUNT_KEYS} == want
    assert result["on_time_rate"] == round(want["on_time"] / (want["on_time"]
                                                              + want["overdue"]), 4)
    tables = _summary_tables(book["汇总"])
    total_line = [want[k] for k in COUNT_KEYS]
    assert tables["领域"]["合计"][:6] == total_line
    assert tables["月份"]["合计"][:6] == total_line
    for name in order:
        rows = [n for n in expected.values() if n["domain"] == name]
        assert tables["领域"][name][:6] == [_counts(rows)[k] for k in COUNT_KEYS], name
    for month in range(1, 13):
        rows = [n for n in expected.values() if int(n["formed"][5:7]) == month]
        line = tables["月份"][f"2026年{month}月"]
        assert line[:6] == [_counts(rows)[k] for k in COUNT_KEYS], month
    # Channels count where the notices went (postings, the county's URL), beside what the
    # catalog asks of them and, of the approved and published ones, what is not done.
    channel_lines = tables["公开渠道"]
    named = {i: gk.json("catalog", "show", i)["channels"]
             for i in {n["item_id"] for n in expected.values()}}
    asks = [n for n in expected.values() if "政府网站" in named[n["item_id"]]]
    # A notice for a 特定群体 stays off the internet: the row names the website, it owes none.
    shown = {i: gk.json("catalog", "show", i) for i in {n["item_id"] for n in asks}}
    owes = [n for n in asks if "特定群体" not in shown[n["item_id"]]["audience"]]
    assert 0 < len(owes) < len(asks)
    assert channel_lines["政府网站"] == [
        sum(bool(n["county_url"]) for n in expected.values()), len(asks),
        sum(n["status"] in ("approved", "published") and not n["county_url"] for n in owes)]
    assert channel_lines["政府网站"][0] == 1 < len(asks)
    board = "社区/企事业单位/村公示栏（电子屏）"
    on_boards = [n for n in expected.values() if board in named[n["item_id"]]]
    assert channel_lines[board] == [
        sum(bool(n["postings"]) for n in expected.values()), len(on_boards),
        sum(n["status"] in ("approved", "published") and not n["postings"] for n in on_boards)]
    assert "青石镇" in book["汇总"]["A1"].value


def test_filters_by_quarter_domain_and_year(seeded, gk, tmp_path) -> None:
    _path, q2, book = _export(gk, tmp_path, "q2.xlsx", "--quarter", "2")
    expected = _expected(gk, quarters=(2,))
    assert {k: q2[k] for k in COUNT_KEYS} == _counts(list(expected.values()))
    assert [m["month"] for m in q2["months"]] == ["2026-04", "2026-05", "2026-06"]
    assert "2026年第2季度" in book["汇总"]["A2"].value
    listed = {r["信息编号"].value for name in book.sheetnames[2:-1]
              for r in _sheet_rows(book[name])}
    assert listed == {i[:8] for i in expected}

    # A county's other name for a domain finds the township's (乡村振兴 → 扶贫).
    _path, fp, book = _export(gk, tmp_path, "fp.xlsx", "--domain", "乡村振兴")
    assert fp["filter"]["domain"] == "扶贫" and book.sheetnames == ["汇总", "公开覆盖", "扶贫"]
    assert [d["domain"] for d in fp["domains"]] == ["扶贫"]
    assert {k: fp[k] for k in COUNT_KEYS} == _counts(list(_expected(gk, domain="扶贫").values()))

    _path, q4, _book = _export(gk, tmp_path, "q4.xlsx", "--quarter", "4", "--domain", "就业")
    assert {k: q4[k] for k in COUNT_KEYS} == _counts(
        list(_expected(gk, quarters=(4,), domain="就业").values()))
    assert q4["total"] == 2 and q4["overdue"] == 1

    _path, last, book = _export(gk, tmp_path, "2025.xlsx", "--year", "2025")
    assert last["total"] == 1 and book.sheetnames == ["汇总", "公开覆盖", "社会救助", "依申请公开"]
    assert _sheet_rows(book["社会救助"])[0]["信息编号"].value == seeded["last_year"][:8]

    # Without --year: the current year, and the plain sentence for people.
    out = gk("ledger", "export", str(tmp_path / "default.xlsx")).stdout
    assert out.startswith("已导出2026年全部领域台账") and f"公开信息 {len(_expected(gk))} 条" in out


@pytest.mark.parametrize("args, message", [
    (["--quarter", "5"], "季度"),
    (["--quarter", "二"], "季度"),
    (["--year", "20x6"], "年份"),
    (["--year", "2031"], "年份"),
    (["--domain", "火星开发"], "没有「火星开发」这个领域"),
])
def test_bad_input_is_refused_and_nothing_written(seeded, gk, tmp_path, args, message) -> None:
    target = tmp_path / "台账.xlsx"
    refused = gk("ledger", "export", str(target), *args, check=False)
    assert refused.returncode == 1 and message in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and not refused.stdout
    assert not target.exists()
    # An earlier ledger at that path is left exactly as it was.
    gk("ledger", "export", str(target))
    before = target.read_bytes()
    assert gk("ledger", "export", str(target), *args, check=False).returncode == 1
    assert target.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]


def test_wrong_file_is_refused(seeded, gk, tmp_path) -> None:
    folder = tmp_path / "像文件名的文件夹.xlsx"
    folder.mkdir()
    for target, message in ((tmp_path / "台账.xls", ".xlsx"),
                            (tmp_path / "没有的文件夹" / "台账.xlsx", "保存位置"),
                            (folder, "文件夹")):
        refused = gk("ledger", "export", str(target), check=False)
        assert refused.returncode == 1 and message in refused.stderr, refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "台账.xls").exists() and not (tmp_path / "没有的文件夹").exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".xls", ".xlsx")] == [folder.name]
    assert not any(folder.iterdir())


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="scripts/setup-system installs LibreOffice Calc")
def test_ledger_opens_in_libreoffice_with_its_totals(seeded, gk, tmp_path) -> None:
    path, result, _book = _export(gk, tmp_path, "ledger.xlsx", "--year", "2026")
    pdf = libreoffice_to_pdf(path, tmp_path)
    # -layout keeps each printed row on one line; spaces between cells are dropped.
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                            capture_output=True, text=True).stdout
    lines = [re.sub(r"\s+", "", line) for line in layout.splitlines()]
    text = "".join(lines)
    assert "青石镇政务公开工作台账" in text
    rate = f"{result['on_time_rate'] * 100:.1f}%"
    totals = "合计" + "".join(str(result[k]) for k in COUNT_KEYS) + rate
    assert lines.count(totals) == 2, totals  # the domain table and the month table
    for d in result["domains"]:
        counts = "".join(str(d[k]) for k in COUNT_KEYS)
        assert any(line.startswith(d["domain"] + counts) for line in lines), d
    for notice_id in _expected(gk):
        assert notice_id[:8] in text  # every domain sheet printed too


def test_one_snapshot_and_a_fixed_number_of_queries(seeded, township) -> None:
    flt = ledger.make_filter(township, 2026)
    statements: list[str] = []
    township.conn.set_trace_callback(statements.append)
    try:
        first = ledger.read_ledger(township, flt)
        few = len(statements)
        for _ in range(20):
            drafts.create_notice(township, "shjz-002", formed="2026-11-02")
        statements.clear()
        more = ledger.read_ledger(township, flt)
    finally:
        township.conn.set_trace_callback(None)
    assert len(more.rows) == len(first.rows) + 20
    assert len(statements) == few  # not one query per notice
    assert statements[0].startswith("BEGIN") and statements[-1] == "ROLLBACK"
    assert not township.conn.in_transaction


def test_extra_sheets_are_read_in_the_same_snapshot_and_summarised(seeded, township,
                                                                   tmp_path) -> None:
    seen = []

    def requests_sheet(store, flt, today):
        seen.append((store.conn.in_transaction, flt.year, today))
        columns = (ledger.Column("序号", 6, "int"), ledger.Column("收到日期", 12, "date"),
                   ledger.Column("是否超期", 9))
        rows = ((1, date(2026, 3, 2), "否"), (2, date(2026, 4, 8), "是"))
        return ledger.Sheet("依申请公开", "青石镇依申请公开台账", columns, rows,
                            marked=frozenset({1}), summary=(("申请总数", 2), ("超期答复", 1)))

    book_path = tmp_path / "with-requests.xlsx"
    done = ledger.export_ledger(township, book_path, ledger.make_filter(township, 2026),
                                extra=[requests_sheet])
    assert seen == [(True, 2026, date(2026, 11, 23))]
    book = openpyxl.load_workbook(book_path)
    assert done.sheets[-1] == book.sheetnames[-1] == "依申请公开"
    rows = _sheet_rows(book["依申请公开"])
    assert _day(rows[0]["收到日期"].value) == "2026-03-02"
    assert rows[1]["是否超期"].fill.fgColor.rgb == "00FFC7CE"
    assert rows[0]["是否超期"].fill.fill_type is None
    labels = [c.value for c in book["汇总"]["A"]]
    assert "四、青石镇依申请公开台账" in labels and "申请总数" in labels


def test_sheet_names_are_valid_for_excel() -> None:
    used: set[str] = {"汇总"}
    long = "户籍管理与人口服务" * 5
    names = [ledger.sheet_name(n, used) for n in
             ("户籍/人口[试点]:*?", long, long, "汇总", "History")]
    assert names[0] == "户籍_人口_试点____"
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert len({n.lower() for n in names}) == len(names) and "汇总" not in names
    assert names[4].lower() != "history"


def test_domain_and_period_are_checked_in_app(township) -> None:
    domains.add_alias(township, "社会救助工作", "社会救助")
    assert ledger.make_filter(township, "2026", "3", "社会救助工作") == ledger.LedgerFilter(
        2026, 3, "社会救助")
    assert ledger.make_filter(township).year == 2026
    with pytest.raises(UserError, match="季度"):
        ledger.make_filter(township, 2026, 0)
    with pytest.raises(UserError, match=r"\.xlsx"):
        ledger.check_target(township.folder / "台账.csv")


def test_a_deadline_in_an_unknown_year_says_so(township) -> None:
    december = date(2026, 12, 28)
    n = drafts.create_notice(township, "shjz-002", formed="2026-12-21", today=december)
    shown = drafts.get_notice(township, n.id)
    book = ledger.read_ledger(township, ledger.make_filter(township, 2026, 4, today=december),
                              today=december)
    row = next(r for r in book.rows if r.notice_id == n.id)
    assert (row.due.isoformat(), row.calendar_known) == (shown.due, shown.calendar_known)
    assert not row.calendar_known  # 2027's arrangement is not loaded
    sheet = book.sheets()[0]
    cells = dict(zip([c.header for c in sheet.columns], sheet.rows[0], strict=True))
    assert "节假日安排未载入" in cells["备注"]


def test_the_reviewers_of_the_approved_text_are_listed(township, tmp_path) -> None:
    """审核人: the steps passed on the text now in force, not those of a text sent back."""
    store = township
    review.set_review_steps(store, 3)
    reviewed = drafts.create_notice(store, "shjz-002", formed="2026-11-02")
    approve_step(store, reviewed.id, "王明")
    approve_step(store, reviewed.id, "李华")
    review.send_back(store, reviewed.id, "张强", "名单缺少家庭人口")
    drafts.edit_notice(store, reviewed.id, body=reviewed.body + "附：家庭人口。")
    for name in ("王明", "赵丽", "张强"):
        approve_step(store, reviewed.id, name)
    halfway = drafts.create_notice(store, "shjz-001", formed="2026-11-03")
    approve_step(store, halfway.id, "王明")  # 初审 only: not approved yet

    path = tmp_path / "审核人.xlsx"
    flt = ledger.make_filter(store, 2026)
    export = ledger.export_ledger(store, path, flt)
    rows = {r.notice_id: r for r in export.ledger.rows}
    assert rows[reviewed.id].reviewers == (("初审", "王明"), ("审核", "赵丽"), ("审发", "张强"))
    assert rows[halfway.id].reviewers == ()
    book = openpyxl.load_workbook(path)
    sheet = {r["信息编号"].value: r for r in _sheet_rows(book["社会救助"])}
    assert sheet[reviewed.id[:8]]["审核人"].value == "初审 王明；审核 赵丽；审发 张强"
    assert sheet[halfway.id[:8]]["审核人"].value is None  # an empty cell
    assert rows[reviewed.id].to_json()["reviewers"][1] == {"step": "审核", "reviewer": "赵丽"}
