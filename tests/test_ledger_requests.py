"""The 依申请公开 sheet of the 台账, checked against ``gongkai request list --json``."""

from datetime import date

import openpyxl
import pytest
from test_ledger import _day, _sheet_rows

from app.info_requests import cases

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")


@pytest.fixture
def register(township):
    """A year of requests: answered on time, answered late, open and overdue, open, paused."""
    s = township
    cases.register(s, "张三", "自然人", "2026-03-02", "低保资金发放明细")
    cases.answer(s, "2026-001", "予以公开", on="2026-03-20")
    cases.register(s, "青石建材有限公司", "法人或其他组织", "2026-05-11", "招标文件",
                   organisation_type="商业企业")
    cases.answer(s, "2026-002", "不予公开", "属于国家秘密", on="2026-06-30")
    cases.register(s, "李四", "自然人", "2026-10-20", "危房改造名单")
    cases.register(s, "王五", "自然人", "2026-11-20", "涉农补贴发放情况")
    cases.register(s, "赵六", "自然人", "2026-11-02", "养老服务补贴名单")
    cases.send_correction(s, "2026-005", "2026-11-04")
    cases.register(s, "钱七", "自然人", "2025-12-22", "上年结转的申请")
    return s


def test_requests_sheet_lists_the_period_and_marks_the_overdue(register, gk, tmp_path) -> None:
    out = tmp_path / "台账.xlsx"
    said = gk("ledger", "export", str(out), "--year", "2026").stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[-1] == "依申请公开"
    rows = _sheet_rows(book["依申请公开"])
    listed = gk.json("request", "list", "--year", "2026")
    assert [r["编号"].value for r in rows] == [r["id"] for r in listed]
    for row, request in zip(rows, listed, strict=True):
        assert _day(row["收到日期"].value) == request["received"]
        assert _day(row["答复期限"].value) == request["clock"]["due"]
        assert _day(row["答复日期"].value) == request["answered"]
        assert row["状态"].value == request["state_label"]
        late = request["overdue"]
        assert row["是否超期"].value == ("是" if late else "否")
        assert (row["是否超期"].fill.fill_type == "solid") == late
    by_id = {r["编号"].value: r for r in rows}
    assert by_id["2026-002"]["申请人类型"].value == "法人或其他组织·商业企业"
    assert by_id["2026-002"]["具体情形"].value == "属于国家秘密"
    for request in listed:
        due, end = request["clock"]["due"], request["answered"] or TODAY
        late = (date.fromisoformat(end) - date.fromisoformat(due)).days if due else 0
        assert by_id[request["id"]]["超期天数"].value == (late if late > 0 else None)
    assert by_id["2026-002"]["超期天数"].value == 22  # due 06-08, answered 06-30
    assert by_id["2026-005"]["答复期限"].value is None  # stopped for 补正
    summary = [c.value for c in book["汇总"]["A"]]
    at = summary.index("收到申请（件）")
    assert book["汇总"].cell(at + 1, 2).value == 5
    assert book["汇总"].cell(at + 4, 2).value == 2  # 超期（件）
    # The sentence the clerk reads says the same of the requests as the 汇总 sheet.
    answered = sum(1 for r in listed if r["answered"])
    assert f"；依申请公开：收到申请 5 件，已答复 {answered} 件，办理中 {5 - answered} 件，" \
           "超期 2 件，按时答复率 " in said

    one = tmp_path / "社会救助.xlsx"
    gk("ledger", "export", str(one), "--year", "2026", "--domain", "社会救助")
    assert "依申请公开" not in openpyxl.load_workbook(one).sheetnames  # requests have no domain

    q2 = tmp_path / "二季度.xlsx"
    gk("ledger", "export", str(q2), "--year", "2026", "--quarter", "2")
    assert [r["编号"].value for r in _sheet_rows(openpyxl.load_workbook(q2)["依申请公开"])] \
        == ["2026-002"]
