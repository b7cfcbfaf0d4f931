"""The 政府信息公开工作年度报告 through the real command line and the real SQLite file.

The register is seeded across 2025, 2026 and January 2027 (natural persons and
several kinds of organisation; answered in the year, answered the next year,
still open; every outcome and some sub-items), and every cell of table 三 for
2026 is checked against figures worked out here from ``request list --json``.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import docx
import pytest
from conftest import Gongkai
from tests_support import CONFIRMED, libreoffice_to_pdf

from app import paths
from app.facts import APPLICANT_TYPES, NOTICE_KINDS, ORGANISATION_TYPES, REQUEST_OUTCOMES

TODAY = "2027-01-20"
pytestmark = pytest.mark.usefixtures("pinned_today")
YEAR = 2026
COLUMNS = [APPLICANT_TYPES[0], *ORGANISATION_TYPES]
SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项"]
ORG = "法人或其他组织"
#: (applicant, organisation type or None for a natural person, received, answered, outcome, item)
REGISTER = [
    ("张三", None, "2025-03-10", "2025-03-30", "予以公开", None),
    ("李四", None, "2025-12-10", "2026-01-08", "部分公开", None),
    ("青石建材有限公司", "商业企业", "2025-12-20", "2026-01-15", "不予公开", "保护第三方合法权益"),
    ("东山律师事务所", "法律服务机构", "2025-12-28", None, None, None),
    ("王五", None, "2026-02-03", "2026-02-20", "予以公开", None),
    ("赵六", None, "2026-03-05", "2026-03-25", "无法提供", "本机关不掌握相关政府信息"),
    ("省农业科学院", "科研机构", "2026-04-01", "2026-04-20", "不予处理", "重复申请"),
    ("青石慈善协会", "社会公益组织", "2026-05-06", "2026-05-28", "其他处理", "其他"),
    ("青石农机合作社", "", "2026-06-01", "2026-06-15", "不予公开", "属于国家秘密"),
    ("钱七", None, "2026-07-01", "2026-07-10", "不予处理", "信访举报投诉类申请"),
    ("东山律师事务所", "法律服务机构", "2026-08-03", "2026-08-20", "其他处理",
     "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("孙八", None, "2026-09-01", "2026-09-20", "部分公开", None),
    ("周九", None, "2026-10-12", "2026-10-30", "无法提供", "没有现成信息需要另行制作"),
    ("青石建材有限公司", "商业企业", "2026-12-20", "2027-01-10", "予以公开", None),
    ("吴十", None, "2026-12-25", None, None, None),
    ("郑十一", None, "2027-01-05", None, None, None),
]
#: (catalog item, kind, formed, posting dates, withdrawn afterwards)
NOTICES = [
    ("shjz-002", "公示", "2025-12-01", ["2025-12-03", "2026-01-05"], False),  # 2025: first posting
    ("shjz-002", "公示", "2026-03-02", ["2026-03-04", "2026-03-05"], False),
    ("shjz-002", "公告", "2026-06-01", ["2026-06-02"], True),  # went up, then withdrawn: counts
    ("snbt-001", "明白纸", "2026-12-28", ["2027-01-04"], False),  # 2027
    ("snbt-001", "通知", "2026-07-01", [], False),  # approved, never posted
]


def _seed(gk: Gongkai) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    for applicant, org, received, answered, outcome, item in REGISTER:
        args = ["request", "new", "--applicant", applicant, "--received", received,
                "--content", "申请公开2025年度最低生活保障资金发放情况"]
        args += ["--type", APPLICANT_TYPES[0]] if org is None else ["--type", ORG]
        args += ["--org-type", org] if org else []
        new = gk.json(*args)
        if answered:
            gk("request", "answer", new["id"], "--outcome", outcome, "--date", answered,
               *(["--item", item] if item else []))
    gk("review-steps", "1")
    gk("boards", "--villages", "东山村")
    for item, kind, formed, postings, withdrawn in NOTICES:
        notice = gk.json("notice", "new", "--item", item, "--kind", kind, "--formed", formed)
        gk("notice", "approve", notice["id"], "--reviewer", "王明", *CONFIRMED)
        for board, day in zip(["镇政务公开栏", "东山村"], postings, strict=False):
            gk("notice", "post", notice["id"], "--board", board, "--date", day)
        if withdrawn:
            gk("notice", "withdraw", notice["id"], "--reason", "内容有误")


@pytest.fixture(scope="module")
def seeded_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the register and the notices above, made once for the module."""
    folder = tmp_path_factory.mktemp("seeded")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_TODAY", TODAY)
        _seed(Gongkai(folder))
    return folder


@pytest.fixture
def seeded(gk: Gongkai, seeded_folder: Path) -> Gongkai:
    """The command line on a fresh copy of the seeded data folder."""
    shutil.copytree(seeded_folder, gk.folder, dirs_exist_ok=True)
    return gk


def refused(gk: Gongkai, *args: str) -> str:
    """Run a command that must be refused; return its one line."""
    done = gk(*args, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def saved_state(folder: Path) -> list[tuple]:
    """The settings and the audit log, to compare before and after a refused command."""
    conn = sqlite3.connect(paths.db_path(folder))
    try:
        return [*conn.execute("SELECT * FROM settings ORDER BY key"),
                *conn.execute("SELECT * FROM audit_log ORDER BY id")]
    finally:
        conn.close()


# -- table 三, worked out here from the register -----------------------------------------


def expected_table(requests: list[dict], year: int) -> dict:
    """Table 三 of ``year`` from ``request list --json``, cell by cell."""
    first, last = f"{year}-01-01", f"{year}-12-31"
    rows: dict[str, Counter] = {"new": Counter(), "carried_in": Counter(),
                                "carried_out": Counter(), "results": Counter()}
    outcomes: dict[tuple, Counter] = {(c, i): Counter() for c, items in REQUEST_OUTCOMES.items()
                                      for i in (items or (None,))}
    for r in requests:
        column = r["type"] if r["type"] == APPLICANT_TYPES[0] else r["organisation_type"]
        open_at_start = r["answered"] is None or r["answered"] >= first
        if first <= r["received"] <= last:
            rows["new"][column] += 1
        elif r["received"] < first and open_at_start:
            rows["carried_in"][column] += 1
        if r["received"] <= last and (r["answered"] is None or r["answered"] > last):
            rows["carried_out"][column] += 1
        if r["answered"] and first <= r["answered"] <= last:
            outcomes[(r["outcome"]["category"], r["outcome"]["item"])][column] += 1
            rows["results"][column] += 1

    def full(counter: Counter) -> dict[str, int]:
        return {c: counter[c] for c in COLUMNS} | {"总计": sum(counter.values())}

    return {name: full(counter) for name, counter in rows.items()} | {
        "outcomes": [{"category": c, "item": i, "counts": full(counter)}
                     for (c, i), counter in outcomes.items()]}


def test_table_three_is_the_register_cell_by_cell(seeded: Gongkai) -> None:
    requests = seeded.json("request", "list")
    assert len(requests) == len(REGISTER)
    expected = expected_table(requests, YEAR)
    figures = seeded.json("report", "figures", str(YEAR))
    table = figures["requests"]
    assert figures["year"] == YEAR and figures["complete"] and figures["township"] == "青石镇"
    for row in ("new", "carried_in", "carried_out", "results"):
        assert table[row] == expected[row], row
    assert table["outcomes"] == expected["outcomes"]
    assert table["carried_in_source"] == "register"
    assert table["carried_in_register"] == expected["carried_in"]
    # The seed reaches what it is meant to: both kinds of applicant, every outcome.
    assert table["new"]["自然人"] and table["new"]["科研机构"] and table["new"]["其他"]
    assert table["carried_in"]["总计"] == 3 and table["carried_out"]["总计"] == 3
    by_category = Counter()
    for row in table["outcomes"]:
        by_category[row["category"]] += row["counts"]["总计"]
    assert all(by_category[c] for c in REQUEST_OUTCOMES), by_category
    # Each column balances, and the table says so.
    for column in [*COLUMNS, "总计"]:
        assert (table["new"][column] + table["carried_in"][column]
                == table["results"][column] + table["carried_out"][column]), column
    assert table["balanced"] and table["imbalances"] == []
    # What 2025 carried out is what 2026 carried in.
    earlier = seeded.json("report", "figures", str(YEAR - 1))["requests"]
    assert earlier["carried_out"] == table["carried_in"] == expected_table(
        requests, YEAR - 1)["carried_out"]


def test_published_notices_count_by_first_posting(seeded: Gongkai) -> None:
    listed = seeded.json("notice", "list")
    expected: Counter = Counter()
    for n in listed:
        first = min((p["posted"] for p in n["postings"]), default=None)
        if first and first.startswith(str(YEAR)):
            expected[(n["domain"], n["kind"])] += 1
    assert sum(expected.values()) == 2  # the 2026 公示 and the withdrawn 公告
    notices = seeded.json("report", "figures", str(YEAR))["active"]["notices"]
    got = {(d["domain"], kind): count for d in notices["domains"]
           for kind, count in d["by_kind"].items() if count}
    assert got == dict(expected)
    assert notices["total"]["total"] == 2 and notices["kinds"] == list(NOTICE_KINDS)
    assert {d["domain"] for d in notices["domains"]} >= {"社会救助", "涉农补贴", "公共法律服务"}


# -- the balance check and the hand-entered figures -----------------------------------------


def test_a_carried_in_figure_the_register_cannot_account_for_is_refused(
        seeded: Gongkai, tmp_path: Path) -> None:
    table = seeded.json("report", "figures", str(YEAR))["requests"]
    new, results, out = (table[k]["自然人"] for k in ("new", "results", "carried_out"))
    # Last year's report printed 3 natural persons carried over; the register knows of 1.
    seeded("report", "set", str(YEAR), "--carried-in", "自然人=3，商业企业=1、法律服务机构=1")
    shown = seeded.json("report", "figures", str(YEAR))["requests"]
    assert shown["carried_in_source"] == "manual" and not shown["balanced"]
    assert [b["column"] for b in shown["imbalances"]] == ["自然人", "总计"]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    report = out_dir / "年度报告.docx"
    line = refused(seeded, "report", "annual", str(YEAR), "--out", str(report))
    assert "「自然人」一列" in line
    assert (f"本年新收{new}件" in line and "加上年结转3件" in line
            and f"办理结果总计{results}件" in line and f"结转下年度{out}件" in line), line
    assert "补登进登记簿" in line and "改正手填的上年结转数" in line
    assert list(out_dir.iterdir()) == []  # no report, no half-written temporary file
    # Too few is refused too, with the other advice.
    seeded("report", "set", str(YEAR), "--carried-in", "自然人=0")
    line = refused(seeded, "report", "annual", str(YEAR), "--out", str(report))
    assert "「自然人」一列" in line and "少1件" in line and not report.exists()
    # The figure that matches the register is accepted as typed.
    seeded("report", "set", str(YEAR), "--carried-in", "自然人=1")
    done = seeded.json("report", "annual", str(YEAR), "--out", str(report))
    assert done["requests"]["carried_in_source"] == "manual" and report.exists()
    seeded("report", "set", str(YEAR), "--carried-in-from-register")
    assert seeded.json("report", "figures", str(YEAR))["requests"]["carried_in_source"] \
        == "register"


def test_review_and_litigation_totals_are_computed_and_checked(gk: Gongkai) -> None:
    assert gk.json("report", "figures", "2026")["review"]["总计"] == 0  # creates the file
    before = saved_state(gk.folder)
    assert "总计应为各栏之和 1+2+0+0=3，不是5" in refused(
        gk, "report", "set", "2026", "--review", "结果维持=1,结果纠正=2,总计=5")
    assert "不是行政复议的栏目" in refused(gk, "report", "set", "2026", "--review", "维持=1")
    assert "只能是0或正整数" in refused(gk, "report", "set", "2026", "--litigation-direct",
                                 "尚未审结=-1")
    assert "不是年度报告第二部分表格的栏目" in refused(gk, "report", "set", "2026", "--active",
                                        "规章=1")
    assert "最多四位小数" in refused(gk, "report", "set", "2026", "--active",
                               "行政事业性收费=1.23456")
    assert "至少给出一项" in refused(gk, "report", "set", "2026")
    assert "年份「2028」不对" in refused(gk, "report", "figures", "2028")
    assert saved_state(gk.folder) == before
    figures = gk.json("report", "set", "2026", "--review", "结果维持=1,结果纠正=2,总计=3",
                      "--litigation-direct", "尚未审结=1", "--litigation-after-review",
                      "结果维持=2", "--litigation-after-review", "其他结果=1",
                      "--active", "规章.本年制发件数=1 行政许可=4", "--active",
                      "行政事业性收费=1.25")
    assert figures["review"] == {"结果维持": 1, "结果纠正": 2, "其他结果": 0, "尚未审结": 0,
                                 "总计": 3}
    assert figures["litigation"]["direct"]["总计"] == 1
    assert figures["litigation"]["after_review"] == {"结果维持": 2, "结果纠正": 0, "其他结果": 1,
                                                     "尚未审结": 0, "总计": 3}
    manual = figures["active"]["manual"]
    assert manual["规章"]["本年制发件数"] == 1 and manual["行政许可"]["本年处理决定数量"] == 4
    assert manual["行政事业性收费"]["本年收费金额"] == 1.25
    # Only what is given changes; the rest keeps its value.
    again = gk.json("report", "set", "2026", "--review", "尚未审结=1")
    assert again["review"]["总计"] == 4 and again["litigation"]["after_review"]["总计"] == 3
    assert gk.json("report", "figures", "2025")["review"]["总计"] == 0
    conn = sqlite3.connect(paths.db_path(gk.folder))
    try:
        stored = json.loads(conn.execute("SELECT value FROM settings WHERE key = ?",
                                         ("annual_report.2026",)).fetchone()[0])
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'settings' AND"
                               " subject = 'annual_report.2026'").fetchone()[0]
    finally:
        conn.close()
    assert stored["review"]["尚未审结"] == 1
    assert stored["active"]["行政事业性收费.本年收费金额"] == "1.25"
    assert audited == 2


# -- the DOCX, as Word and LibreOffice read it -------------------------------------------


def cell_texts(table: docx.table.Table) -> list[list[str]]:
    """Every row's cells as text (a merged cell repeats in each grid column it covers)."""
    return [[re.sub(r"\s+", "", c.text) for c in row.cells] for row in table.rows]


def test_the_docx_has_the_six_sections_and_the_format_tables(seeded: Gongkai,
                                                             tmp_path: Path) -> None:
    seeded("report", "set", str(YEAR), "--review", "结果维持=1,结果纠正=2",
           "--litigation-after-review", "尚未审结=1", "--active", "行政事业性收费=0.5")
    report = tmp_path / "青石镇2026年报.docx"
    figures = seeded.json("report", "annual", str(YEAR), "--out", str(report))
    table = figures["requests"]
    document = docx.Document(str(report))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0].replace("\n", "") == "青石镇人民政府2026年政府信息公开工作年度报告"
    assert [p for p in paragraphs if p in SECTIONS] == SECTIONS
    placeholder = paragraphs[paragraphs.index(SECTIONS[4]) + 1]
    assert placeholder.startswith("（请写") and placeholder.endswith("写完后删去本段。）")
    assert len(document.tables) == 4  # 二, the notices for reference, 三, 四

    active = cell_texts(document.tables[0])
    assert active[0] == ["第二十条第（一）项"] * 4
    assert active[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert active[-1] == ["行政事业性收费"] + ["0.5"] * 3

    notices = cell_texts(document.tables[1])
    assert notices[0] == ["领域", *NOTICE_KINDS, "合计"]
    assert notices[-1] == ["合计", "1", "1", "0", "0", "0", "2"]  # 公告 公示 通知 明白纸 解读

    grid = cell_texts(document.tables[2])
    assert grid[0][3:] == ["申请人情况"] * 7
    assert grid[1][3:] == ["自然人", *[ORG] * 5, "总计"]
    assert grid[2][4:9] == list(ORGANISATION_TYPES)
    assert grid[0][0] == grid[2][2] == ("（本列数据的勾稽关系为：第一项加第二项之和，"
                                        "等于第三项加第四项之和）")
    expected_rows = [("一、本年新收政府信息公开申请数量", table["new"]),
                     ("二、上年结转政府信息公开申请数量", table["carried_in"])]
    for k, row in enumerate(table["outcomes"]):
        items = REQUEST_OUTCOMES[row["category"]]
        label = f"{items.index(row['item']) + 1}．{row['item']}" if row["item"] else None
        expected_rows.append((label or row["category"], row["counts"]))
        assert grid[5 + k][0] == "三、本年度办理结果"
        assert row["category"] in grid[5 + k][1]
    expected_rows += [("（七）总计", table["results"]),
                      ("四、结转下年度继续办理", table["carried_out"])]
    assert len(grid) == 3 + len(expected_rows)
    for row, (label, counts) in zip(grid[3:], expected_rows, strict=True):
        assert label in "".join(row[:3]), (label, row)
        assert row[3:] == [str(counts[c]) for c in [*COLUMNS, "总计"]], label

    cases = cell_texts(document.tables[3])
    assert cases[0][:5] == ["行政复议"] * 5 and cases[0][5:] == ["行政诉讼"] * 10
    assert cases[1][5:10] == ["未经复议直接起诉"] * 5 and cases[1][10:] == ["复议后起诉"] * 5
    assert cases[2] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    assert cases[3] == ["1", "2", "0", "0", "3", "0", "0", "0", "0", "0", "0", "0", "0", "1", "1"]

    # The 黑体 of this PC: SimHei where installed, the bundled 黑体 otherwise (as the PDFs).
    from app.printing.sheet_docx import FACES

    body = document.paragraphs[1].runs[0]._element
    assert body.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                               "eastAsia") == FACES["heading"]


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None
                    or shutil.which("pdftoppm") is None,
                    reason="scripts/setup-system installs LibreOffice and poppler-utils")
def test_the_docx_converts_in_libreoffice(seeded: Gongkai, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # LibreOffice finds the bundled CJK face, so the page images can be read by a person.
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>
<dir>{paths_resources()}</dir><cachedir>{tmp_path / "fc"}</cachedir></fontconfig>""",
                    encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    seeded("report", "set", str(YEAR), "--review", "结果维持=1,结果纠正=2")
    report = tmp_path / "annual.docx"
    figures = seeded.json("report", "annual", str(YEAR), "--out", str(report))
    pdf = libreoffice_to_pdf(report, tmp_path)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                                             capture_output=True, text=True).stdout)
    assert "青石镇人民政府2026年政府信息公开工作年度报告" in text
    assert all(heading in text for heading in SECTIONS)
    assert "（七）总计" in text and "申请人情况" in text and "复议后起诉" in text
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                            capture_output=True, text=True).stdout.splitlines()
    totals = next(line for line in layout if "（七）总计" in line)
    results = figures["requests"]["results"]
    assert totals.split()[-7:] == [str(results[c]) for c in [*COLUMNS, "总计"]]
    # Table 四's narrow headers wrap (结果/维持); its figures are the line after them.
    header = max(k for k, line in enumerate(layout) if "维持" in line and "审结" in line)
    numbers = next(line for line in layout[header + 1:] if line.strip())
    assert numbers.split() == ["1", "2", "0", "0", "3"] + ["0"] * 10
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+", info), info
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile",
                    str(pdf), str(tmp_path / "page1")], check=True)
    assert (tmp_path / "page1.png").stat().st_size > 10_000


def paths_resources() -> Path:
    """The folder of the bundled font."""
    from app.printing.fonts import BUNDLED

    return BUNDLED.parent
