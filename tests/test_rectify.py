"""整改: county problem lists read from real .xlsx/.docx tables, deadlines in working days,
links, fixes with evidence, the 工作台 lines, and the 整改报告 as Word and LibreOffice read it."""

from __future__ import annotations

import re
import shutil
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_support import flipped_bytes, libreoffice_to_pdf, zip_part_garbage

from app.errors import UserError
from app.notices import boards, drafts
from app.planning import rectify
from app.reports.due import due_lines
from app.reports.rectify_report import write_rectify_report
from app.workdays import Calendar, load_arrangement

TODAY = "2026-10-20"
pytestmark = pytest.mark.usefixtures("pinned_today")

#: A plausible 2027 arrangement (as tests/test_workdays.py): 春节 off 5–11 February, 7th on.
ARRANGEMENT_2027 = {
    "year": 2027,
    "holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
                 "2027-02-11"],
    "workdays": ["2027-01-09", "2027-02-07"],
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40 + b"screen"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --------------------------------------------------------------------------- county tables


def xlsx_list(path: Path, rows: list[list[object]] | None = None) -> Path:
    """A county list as Excel: a merged title row, a one-row header, a section row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["东山县2026年第三季度基层政务公开测评问题清单"])
    ws.merge_cells("A1:F1")
    ws.append(["序 号", "所属栏目", "问题描述", "整改要求", "整改时限", "问题页面"])
    ws.append(["一、政府网站"])
    ws.merge_cells("A3:F3")
    for row in rows if rows is not None else [
        [1, "财政预决算", "2026年部门预算未公开", "在政府网站补充公开", "5个工作日",
         "http://www.dsx.gov.cn/qsz/art/2026/9/1.html"],
        [2, "社会救助", "低保名单更新不及时", "及时更新", "十个工作日内", None],
        [3, "公开栏", "东河村公开栏内容过期未撤换", "及时撤换", None, None],
    ]:
        ws.append(row)
    wb.save(path)
    return path


def docx_list(path: Path) -> Path:
    """A county list as Word: other header words, 责任单位 and 备注, split by a page break."""
    document = docx.Document()
    document.add_paragraph("青石镇政务公开检查发现问题及整改要求")
    header = ["序号", "检查项目", "存在问题", "整改建议", "整改期限", "链接", "责任单位", "备注"]
    first = [["1", "政策解读", "重要政策未同步解读", "同步发布解读材料", "5个工作日", "",
              "党政办", ""],
             ["2", "依申请公开", "申请渠道电话无人接听", "确保电话畅通", "2027年3月1日前", "",
              "党政办", "复查"]]
    second = [["3", "公开栏", "西岭村公开栏破损", "维修公开栏", "1个月", "", "西岭村", ""]]
    for rows in (first, second):
        table = document.add_table(rows=1 + len(rows), cols=len(header))
        for c, text in enumerate(header):
            table.cell(0, c).text = text
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    document.save(str(path))
    return path


@pytest.fixture
def imported(township, tmp_path):
    """The Excel list of the issue, received on the Monday before 国庆 2026."""
    boards.set_villages(township, ["东河村", "西岭村"])
    return rectify.import_file(township, xlsx_list(tmp_path / "问题清单.xlsx"),
                               "2026年第三季度测评问题", "2026-09-28")


def count_rows(store) -> tuple[int, int, int]:
    return tuple(store.scalar(f"SELECT count(*) FROM {t}")  # type: ignore[return-value]
                 for t in ("rectify_lists", "rectify_problems", "rectify_fixes"))


# --------------------------------------------------------------------------- importing


def test_an_xlsx_list_is_read_with_deadlines_across_national_day(imported) -> None:
    problems = imported.problems
    assert [p.id for p in problems] == ["ZG1-01", "ZG1-02", "ZG1-03"]
    assert [p.problem[:6] for p in problems] == ["2026年部", "低保名单更新", "东河村公开栏"]
    assert problems[0].indicator == "财政预决算" and problems[0].requirement == "在政府网站补充公开"
    # 9-29, 9-30, then 国庆 off to 10-7; 10-8, 10-9 and the 调休 Saturday 10-10 are on.
    assert (problems[0].days, problems[0].deadline) == (5, date(2026, 10, 10))
    assert (problems[1].days, problems[1].deadline) == (10, date(2026, 10, 16))
    # No 整改时限: the township's default of 10 working days.
    assert (problems[2].days, problems[2].deadline) == (10, date(2026, 10, 16))
    assert all(p.calendar_known for p in problems)
    # The assessor's page has no notice on this desk: the problem keeps it in its text.
    assert "问题页面：http://www.dsx.gov.cn/qsz/art/2026/9/1.html" in problems[0].problem
    assert imported.title == "2026年第三季度测评问题" and imported.received == date(2026, 9, 28)


def test_a_docx_list_with_other_headers_and_the_spring_festival(store, tmp_path,
                                                                 monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_TODAY", "2027-02-20")
    path = docx_list(tmp_path / "检查问题.docx")
    before = rectify.import_file(store, path, "春节前检查", "2027-02-03")
    first = before.problems[0]
    # 2027 is not known yet: Monday to Friday, and the deadline says so.
    assert (first.deadline, first.calendar_known) == (date(2027, 2, 10), False)
    load_arrangement(store, ARRANGEMENT_2027)
    after = rectify.import_file(store, path, "春节前检查（重新导入）", "2027-02-03")
    problems = after.problems
    assert len(problems) == 3  # the second Word table goes on with the same header
    # 2-4 on, 2-5 off, 2-7 the 调休 Sunday on, 2-8…2-11 off, then 2-12, 2-15, 2-16.
    assert (problems[0].deadline, problems[0].calendar_known) == (date(2027, 2, 16), True)
    assert problems[0].indicator == "政策解读"
    assert problems[0].requirement == "同步发布解读材料（责任单位：党政办）"
    assert problems[1].deadline == date(2027, 3, 1)
    assert problems[1].requirement.endswith("（责任单位：党政办；备注：复查）")
    # A calendar month from 2-3 ends on Wednesday 3-3, a working day.
    assert problems[2].deadline == date(2027, 3, 3)
    assert [p.id for p in problems] == ["ZG2-01", "ZG2-02", "ZG2-03"]


def test_a_two_row_header_and_a_row_with_only_its_problem(township, tmp_path) -> None:
    document = docx.Document()
    table = document.add_table(rows=4, cols=5)
    for c, text in enumerate(["序号", "问题描述", "整改时限", "整改情况", ""]):
        table.cell(0, c).text = text
    table.cell(1, 3).text, table.cell(1, 4).text = "整改措施", "完成时间"
    for c in range(3):  # 序号, 问题描述 and 整改时限 span both header rows
        table.cell(0, c).merge(table.cell(1, c))
    table.cell(0, 3).merge(table.cell(0, 4))
    table.cell(2, 0).text, table.cell(2, 1).text = "1", "政务公开专栏首页空白"
    table.cell(3, 1).text = "公开指南未更新"
    document.save(str(tmp_path / "两行表头.docx"))
    done = rectify.import_file(township, tmp_path / "两行表头.docx", "两行表头", "2026-09-28")
    assert [(p.seq, p.problem) for p in done.problems] == [
        (1, "政务公开专栏首页空白"), (2, "公开指南未更新")]
    assert all(p.days == 10 for p in done.problems) and not done.warnings


@pytest.mark.parametrize(("text", "expected"), [
    ("5个工作日", (5, date(2026, 10, 10))),
    ("十五个工作日内", (15, date(2026, 10, 23))),
    ("2026年11月30日前", (None, date(2026, 11, 30))),
    ("11月2日前完成", (None, date(2026, 11, 2))),
    ("立行立改", (0, date(2026, 9, 28))),
    # 7 calendar days end on 10-5, inside 国庆: the first working day after it.
    ("7天", (None, date(2026, 10, 8))),
])
def test_a_time_limit_is_read_as_counties_write_it(store, text, expected) -> None:
    read = rectify.read_deadline(Calendar.from_store(store), date(2026, 9, 28), text, 10)
    assert read is not None
    days, day = expected
    assert read.deadline == day
    if days is not None:
        assert read.days == days


def test_an_unreadable_limit_gets_the_default_and_a_warning(township, tmp_path) -> None:
    path = xlsx_list(tmp_path / "清单.xlsx", [[1, "网站", "栏目空白", "补充", "尽快", None]])
    done = rectify.import_file(township, path, "清单", "2026-09-28", default_days=3)
    assert done.problems[0].days == 3 and done.problems[0].deadline == date(2026, 10, 8)
    assert any("尽快" in w and "按3个工作日" in w for w in done.warnings)


def test_a_url_of_a_notice_links_it_at_import(township, tmp_path) -> None:
    notice = drafts.create_notice(township, "shjz-002", "青石镇2026年第三季度低保名单公示")
    with township.transaction() as conn:
        conn.execute("UPDATE notices SET county_url = ? WHERE id = ?",
                     ("https://www.dsx.gov.cn/qsz/art/2026/9/1.html", notice.id))
    path = xlsx_list(tmp_path / "清单.xlsx")
    done = rectify.import_file(township, path, "清单", "2026-09-28")
    first = done.problems[0]
    assert (first.target_kind, first.target_id) == ("notice", notice.id)
    assert first.target_label == "青石镇2026年第三季度低保名单公示"
    assert "问题页面" not in first.problem  # the notice holds the page
    assert done.to_json()["linked"] == 1


def test_a_file_that_is_no_problem_list_is_refused_and_nothing_kept(township, tmp_path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "金额"])
    wb.active.append(["张三", "300"])
    wb.save(tmp_path / "名单.xlsx")
    (tmp_path / "清单.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    (tmp_path / "清单.txt").write_text("问题", encoding="utf-8")
    for name, words in (("名单.xlsx", "没有找到问题清单"), ("清单.xls", "旧版"),
                        ("清单.txt", "只能导入")):
        with pytest.raises(UserError, match=words):
            rectify.import_file(township, tmp_path / name)
    assert count_rows(township) == (0, 0, 0)


def test_a_list_received_tomorrow_is_refused(township, tmp_path) -> None:
    with pytest.raises(UserError, match="不能晚于今天"):
        rectify.import_file(township, xlsx_list(tmp_path / "a.xlsx"), "清单", "2026-10-21")
    assert count_rows(township) == (0, 0, 0)


def test_a_hundred_thousand_rows_are_refused_before_parsing(township, tmp_path) -> None:
    genuine = xlsx_list(tmp_path / "真.xlsx")
    rows = "".join(f'<row r="{r}"><c r="A{r}"/></row>' for r in range(100, 100_100))
    hostile = tmp_path / "十万行.xlsx"
    with zipfile.ZipFile(genuine) as old, zipfile.ZipFile(hostile, "w",
                                                          zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.decode().replace("</sheetData>", rows + "</sheetData>").encode()
            new.writestr(info.filename, data)
    with pytest.raises(UserError, match="行") as err:
        rectify.import_file(township, hostile)
    assert "\n" not in str(err.value)
    assert count_rows(township) == (0, 0, 0)


# --------------------------------------------------------------------------- links and fixes


def test_link_to_a_notice_an_item_and_a_board(imported, township) -> None:
    notice = drafts.create_notice(township, "czyjs-001", "青石镇2026年部门预算公开")
    by_title = rectify.link(township, "ZG1-01", "notice", "青石镇2026年部门预算公开")
    assert (by_title.target_kind, by_title.target_id) == ("notice", notice.id)
    by_prefix = rectify.link(township, "zg1-1", "notice", notice.id[:8])
    assert by_prefix.target_id == notice.id
    item = rectify.link(township, "ZG1-02", "item", "shjz-002")
    assert item.target_words().startswith("目录事项：")
    board = rectify.link(township, "ZG1-03", "board", "东河村")
    assert board.target_words() == "公开栏：东河村村务公开栏"
    for kind, text, words in (("item", "低保", "多个目录事项"), ("board", "北山村", "没有名为"),
                              ("notice", "不存在的公示", "没有编号或标题")):
        with pytest.raises(UserError, match=words):
            rectify.link(township, "ZG1-03", kind, text)
    assert rectify.get_problem(township, "ZG1-03").target_words() == "公开栏：东河村村务公开栏"
    with pytest.raises(UserError, match="没有编号为「ZG9-01」"):
        rectify.link(township, "ZG9-01", "board", "东河村")
    actions = [r["action"] for r in township.query(
        "SELECT action FROM audit_log WHERE action LIKE 'rectify.%'")]
    assert actions == ["rectify.import"] + ["rectify.link"] * 4


def test_a_fix_on_time_and_a_fix_late_say_so(imported, township, tmp_path) -> None:
    shot, scan = tmp_path / "网站截图.png", tmp_path / "整改通知.pdf"
    shot.write_bytes(PNG)
    scan.write_bytes(PDF)
    late = rectify.record_fix(township, "ZG1-01", "2026-10-15",
                              "已在政府网站补充公开2026年部门预算", [shot, scan])
    assert late.fixed_late and late.late_days == 5
    assert late.status_words() == "逾期完成（超期5天）"
    assert "超过整改期限（2026-10-10）5天，记为逾期完成" in rectify.fix_line(late)
    assert late.fix is not None
    kinds = [(e["kind"], e["name"]) for e in late.fix.evidence]
    assert kinds == [("screenshot", "网站截图.png"), ("file", "整改通知.pdf")]
    for e, source in zip(late.fix.evidence, (shot, scan), strict=True):
        kept = rectify.evidence_path(township, e)
        assert kept.read_bytes() == source.read_bytes()
    assert rectify.evidence_path(township, late.fix.evidence[1]).parts[-3] == "rectify"
    assert township.scalar("SELECT count(*) FROM photos") == 1

    on_time = rectify.record_fix(township, "ZG1-02", "2026-10-16", "已更新低保名单")
    assert not on_time.fixed_late and on_time.status() == "fixed"
    assert "按期完成" in rectify.fix_line(on_time)
    again = rectify.record_fix(township, "ZG1-02", "2026-10-19", "名单再次核对后重新张贴")
    assert len(again.fixes) == 2 and again.fix and again.fix.action == "名单再次核对后重新张贴"
    assert again.fixed_late  # the latest fix counts
    read = {p.id: p for p in rectify.list_problems(township)}
    assert read["ZG1-01"].to_json()["status"] == "fixed_late"
    assert read["ZG1-03"].status() == "overdue"
    assert [p.id for p in rectify.list_problems(township, open_only=True)] == ["ZG1-03"]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        with township.transaction() as conn:
            conn.execute("UPDATE rectify_fixes SET fixed_on = '2026-10-01'")


@pytest.mark.parametrize(("day", "action", "files", "words"), [
    ("2026-09-27", "已整改", [], "不能早于收到问题清单的日期"),
    ("2026-10-21", "已整改", [], "不能晚于今天"),
    ("2026-10-15", "  ", [], "请写明整改措施"),
    ("2026-10-15", "已整改", ["没有的照片.jpg"], "找不到佐证文件"),
    ("2026-10-15", "已整改", ["空.png"], "是空的"),
])
def test_a_refused_fix_keeps_nothing(imported, township, tmp_path, day, action, files,
                                     words) -> None:
    (tmp_path / "空.png").write_bytes(b"")
    good = tmp_path / "好.png"
    good.write_bytes(PNG)
    before = count_rows(township)
    with pytest.raises(UserError, match=words):
        rectify.record_fix(township, "ZG1-01", day, action, [good] + [tmp_path / f for f in files])
    assert count_rows(township) == before
    assert not township.scalar("SELECT count(*) FROM photos")
    assert not (township.folder / "rectify").exists()


# --------------------------------------------------------------------------- due lines


def test_due_lines_until_fixed(imported, township) -> None:
    lines = [line for line in due_lines(township, date(2026, 10, 12))
             if line.kind.startswith("rectify")]
    # On 10-12, ZG1-01 (due 10-10) is late; the others, due 10-16, within five working days.
    assert [(line.kind, line.problem_id) for line in lines] == [
        ("rectify_overdue", "ZG1-01"), ("rectify_due", "ZG1-02"), ("rectify_due", "ZG1-03")]
    assert lines[0].label == "整改已超期" and "已超期2天" in lines[0].detail
    assert lines[1].label == "整改待完成" and lines[1].to_json()["problem_id"] == "ZG1-02"
    rectify.record_fix(township, "ZG1-01", "2026-10-12", "已公开")
    left = [line.problem_id for line in due_lines(township, date(2026, 10, 12))
            if line.problem_id]
    assert left == ["ZG1-02", "ZG1-03"]
    # Far from its deadline, an open problem is no line yet.
    assert not [line for line in due_lines(township, date(2026, 9, 28)) if line.problem_id
                and line.problem_id != "ZG1-01"]


# --------------------------------------------------------------------------- the report


def report_texts(path: Path) -> tuple[list[str], list[list[str]]]:
    document = docx.Document(str(path))
    return ([p.text for p in document.paragraphs],
            [[c.text for c in row.cells] for row in document.tables[0].rows])


def test_the_report_lists_every_problem_and_the_late_fix(imported, township, tmp_path) -> None:
    rectify.record_fix(township, "ZG1-01", "2026-10-15", "已在政府网站补充公开2026年部门预算")
    rectify.record_fix(township, "ZG1-02", "2026-10-14", "已更新低保名单")
    out = tmp_path / "整改报告.docx"
    done = write_rectify_report(township, out)
    assert (done.problems, done.fixed, done.late) == (3, 2, 1)
    paragraphs, rows = report_texts(out)
    assert re.sub(r"\s", "", paragraphs[0]) == "青石镇关于政务公开测评问题整改情况的报告"
    assert "共3个问题，已完成整改2个（其中逾期完成1个），尚未完成1个" in "".join(paragraphs)
    assert paragraphs[-2:] == ["青石镇人民政府", "2026年10月20日"]
    assert rows[0] == ["序号", "问题", "整改要求", "期限", "整改措施", "完成日期", "状态"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    assert [r[6] for r in rows[1:]] == ["逾期完成（超期5天）", "按期完成", "未完成"]
    assert rows[1][3:6] == ["2026-10-10", "已在政府网站补充公开2026年部门预算", "2026-10-15"]
    assert rows[3][5] == "—"


def test_the_report_is_refused_without_problems_or_township(store, tmp_path) -> None:
    with pytest.raises(UserError, match="乡镇名称"):
        write_rectify_report(store, tmp_path / "a.docx")
    from app.township import set_township

    set_township(store, "青石镇", "东山县")
    with pytest.raises(UserError, match="还没有导入测评问题清单"):
        write_rectify_report(store, tmp_path / "a.docx")
    with pytest.raises(UserError, match=r"\.docx"):
        write_rectify_report(store, tmp_path / "a.pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["data"]


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="scripts/setup-system installs LibreOffice")
def test_the_report_opens_in_libreoffice_with_every_problem(township, tmp_path) -> None:
    import subprocess

    rows = [[n, "网站", f"第{n}个问题：栏目内容未按时更新", "按时更新", "5个工作日", None]
            for n in range(1, 41)]
    rectify.import_file(township, xlsx_list(tmp_path / "四十.xlsx", rows), "四十个问题",
                        "2026-09-28")
    rectify.record_fix(township, "ZG1-07", "2026-10-19", "已更新")
    out = tmp_path / "整改报告.docx"
    write_rectify_report(township, out)
    pdf = libreoffice_to_pdf(out, tmp_path)
    text = re.sub(r"\s", "", subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                                            capture_output=True, text=True).stdout)
    missing = [n for n in range(1, 41) if f"第{n}个问题" not in text]
    assert not missing
    # A cell's wrapped lines may come out between its neighbours' lines: look for pieces.
    assert "逾期完成" in text and "超期9天" in text and text.count("未完成") >= 39
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+", info), info


# --------------------------------------------------------------------------- the command line


def test_the_command_line(gk, tmp_path) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县")
    path = xlsx_list(tmp_path / "清单.xlsx")
    done = gk.json("rectify", "import", str(path), "--received", "2026-09-28", "--days", "8")
    assert [p["deadline"] for p in done["problems"]] == ["2026-10-10", "2026-10-16", "2026-10-14"]
    listed = gk.json("rectify", "list", "--open")
    assert [p["status"] for p in listed] == ["overdue"] * 3
    fix = gk("rectify", "fix", "ZG1-01", "--date", "2026-10-15", "--action", "已公开")
    assert "记为逾期完成" in fix.stdout
    assert len(gk.json("rectify", "list", "--open", "--year", "2026")) == 2
    assert gk.json("rectify", "list", "--year", "2025") == []
    refused = gk("rectify", "link", "ZG1-02", "--item", "低保", check=False)
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    both = gk("rectify", "link", "ZG1-02", "--item", "shjz-002", "--board", "x", check=False)
    assert both.returncode == 1 and "中的一个" in both.stderr
    due = gk("due")
    assert "【整改已超期】ZG1-02" in due.stdout
    report = gk.json("rectify", "report", "--out", str(tmp_path / "报告.docx"))
    assert (report["problems"], report["fixed"], report["late"]) == (3, 1, 1)
    assert gk("rectify", "fix", "ZG1-02", "--action", "x", check=False).returncode == 2
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\0" * 50)
    refused = gk("rectify", "import", str(bad), check=False)
    assert refused.returncode == 1 and refused.stderr.strip() == (
        "无法读取该文件：它不是有效的Excel或Word表格，请确认文件没有损坏。")
    assert len(gk.json("rectify", "list")) == 3
    assert "给10个工作日" in gk("rectify", "default-days").stdout
    gk("rectify", "default-days", "12")
    again = gk.json("rectify", "import", str(path), "--received", "2026-09-28")
    assert [p["days"] for p in again["problems"]] == [5, 10, 12]
    assert gk("rectify", "default-days", "0", check=False).returncode == 1


# --------------------------------------------------------------------------- fuzz


def _genuine(tmp: Path) -> dict[str, bytes]:
    return {".xlsx": xlsx_list(tmp / "g.xlsx").read_bytes(),
            ".docx": docx_list(tmp / "g.docx").read_bytes()}


GENUINE = _genuine(Path(__import__("tempfile").mkdtemp()))






FILES = st.one_of(
    st.tuples(st.sampled_from([".xlsx", ".docx"]), st.binary(max_size=2000)),
    st.builds(lambda s, seed, g: (s, flipped_bytes(GENUINE[s], seed, g)),
              st.sampled_from([".xlsx", ".docx"]),
              st.integers(0, 10**6), st.binary(min_size=1, max_size=64)),
    st.builds(lambda s, seed, g: (s, zip_part_garbage(GENUINE[s], seed, g)),
              st.sampled_from([".xlsx", ".docx"]), st.integers(0, 10**6),
              st.one_of(st.binary(max_size=500),
                        st.text(alphabet='<>/=": abcdefrtcvw1234567890', max_size=300)
                        .map(str.encode))),
)


@settings(max_examples=120, deadline=5000,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(FILES)
def test_garbage_gives_one_sentence_and_writes_nothing(township, tmp_path, case) -> None:
    suffix, data = case
    path = tmp_path / f"随机{suffix}"
    path.write_bytes(data)
    before = count_rows(township)
    try:
        done = rectify.import_file(township, path, "随机", "2026-09-28")
    except UserError as err:
        assert str(err) and "\n" not in str(err)
        assert count_rows(township) == before
    else:
        # A flip that left a readable list is a list: kept whole, one row per problem.
        assert count_rows(township)[1] == before[1] + len(done.problems)


def test_the_title_written_above_the_table_names_the_list(township, tmp_path) -> None:
    import openpyxl

    from app.planning import rectify

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["东山县2026年第三季度政务公开测评问题清单"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "存在问题", "整改要求", "整改时限"])
    ws.append([1, "低保公示未标明公示期", "补充公示期", "5个工作日"])
    path = tmp_path / "清单.xlsx"
    wb.save(path)
    done = rectify.import_file(township, path, received="2026-01-10")
    assert done.title == "东山县2026年第三季度政务公开测评问题清单"
    assert [p.list_title for p in rectify.list_problems(township)] == [done.title]
