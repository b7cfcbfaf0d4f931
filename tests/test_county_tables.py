"""Reading county catalog tables in every published layout, and writing them back losslessly."""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import table_builders as tb  # tests/ is on sys.path: pytest puts conftest.py's folder there
from docx.oxml.ns import qn
from table_builders import BOARD, Built

from app.catalog.item import CatalogItem
from app.catalog.table_reader import (
    NO_LEVEL_WARNING,
    TableSection,
    domain_label_from_title,
    read_county_table,
    split_channels,
    split_elements,
)
from app.catalog.table_writer import write_catalog_docx, write_catalog_xlsx
from app.errors import UserError

WORKDAYS_20 = {"kind": "workdays", "n": 20, "publicity": None}
AUDIT_RULE = {"kind": "workdays", "n": 10, "publicity": {"n": 7, "unit": "workdays"}}
PUBLICITY_ONLY = {"kind": "unknown", "publicity": {"n": 7, "unit": "workdays"}}
QUARTERLY = {"kind": "periodic", "period": "quarter", "publicity": None}
BUDGET_RULE = {"kind": "days", "n": 20, "publicity": None}
IMMEDIATE = {"kind": "immediate", "publicity": None}


def read_items(path: Path) -> tuple[list[TableSection], list[CatalogItem]]:
    sections = read_county_table(path)
    return sections, [it for section in sections for it in section.items]


def assert_read_as_built(built: Built) -> list[TableSection]:
    sections, items = read_items(built.path)
    assert [s.domain_label for s in sections] == built.labels
    for got, want in zip(items, built.items, strict=True):
        assert got == want, f"row {want.seq} of {want.domain}"
    warnings = [w for s in sections for w in s.warnings]
    for expected in built.warnings:
        assert expected in warnings
    assert len(warnings) == len(built.warnings), warnings
    return sections


# --------------------------------------------------------------------------- variants


@pytest.mark.parametrize("builder", tb.ALL_BUILDERS, ids=lambda b: b.__name__)
def test_every_variant_reads_exactly_the_expected_items(builder, tmp_path: Path) -> None:
    assert_read_as_built(builder(tmp_path))


def test_xlsx_two_row_merged_header(tmp_path: Path) -> None:
    built = tb.build_xlsx_merged(tmp_path)
    sheet = openpyxl.load_workbook(built.path).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"B2:C2", "A2:A3", "B5:B7", "E5:E7", "A4:O4"} <= merged  # the builder really merges
    assert sheet["B6"].value is None and sheet["E7"].value is None

    sections, items = read_items(built.path)
    assert [s.source for s in sections] == ["工作表「Sheet」"]
    assert [it.level1 for it in items] == ["最低生活保障"] * 3 + ["特困人员救助供养", "临时救助"]
    assert [it.level2 for it in items] == [
        "办事指南", "审核信息", "投诉举报", "认定结果", "救助结果"]
    assert [it.basis for it in items[:3]] == [tb.BASIS_DIBAO] * 3  # merged 公开依据
    assert [it.seq for it in items] == [1, 2, 3, 4, 5]
    assert [it.id for it in items] == [f"shjz-00{n}" for n in range(1, 6)]
    assert items[0].elements == ["申请条件", "申请材料", "办理流程", "办理时限", "咨询电话"]
    assert items[1].elements == ["申请人姓名", "家庭人口", "保障金额"]
    assert items[2].elements == ["举报电话", "受理机构", "办理时限"]
    assert items[3].elements == ["供养人员姓名", "供养方式", "供养标准"]
    assert items[4].elements == ["救助对象姓名", "救助金额", "救助事由"]
    assert items[0].channels == ["政府网站", "两微一端", "公开查阅点", "便民服务站", BOARD]
    assert items[1].channels == ["入户/现场", BOARD]  # □政府网站 is not ticked
    assert items[2].channels == ["政府网站", "政务服务中心"]
    assert items[3].channels == ["入户/现场", BOARD]  # half-width brackets in the source
    assert [it.audience for it in items] == [["全社会"], ["特定群体"], ["全社会"], ["特定群体"],
                                             ["全社会"]]
    assert items[2].mode == ["主动", "依申请"]
    assert [it.levels for it in items] == [["县级", "乡级"], ["乡级"], ["乡级"], ["乡级"],
                                           ["县级", "乡级"]]
    assert [it.rule for it in items] == [WORKDAYS_20, AUDIT_RULE, IMMEDIATE, PUBLICITY_ONLY,
                                         QUARTERLY]
    assert sections[0].warnings == ["工作表「Sheet」第13行没有填写公开事项，已跳过"]


def test_xlsx_one_sheet_per_domain(tmp_path: Path) -> None:
    sections = assert_read_as_built(tb.build_xlsx_sheets(tmp_path))
    # The 填表说明 sheet has no catalog table and is not reported.
    assert [s.source for s in sections] == ["工作表「社会救助」", "工作表「Sheet2」",
                                            "工作表「农村危房改造」"]
    assert [len(s.items) for s in sections] == [2, 2, 2]
    subsidy = sections[1].items
    assert [it.level1 for it in subsidy] == ["耕地地力保护补贴"] * 2
    assert all(it.domain == "涉农补贴" for it in subsidy)
    assert sections[2].items[1].mode == ["主动", "依申请"]
    assert sections[2].items[1].channels == ["入户/现场", BOARD]


def test_xlsx_one_row_header_with_text_columns(tmp_path: Path) -> None:
    _, items = read_items(tb.build_xlsx_one_row(tmp_path).path)
    assert [it.audience for it in items] == [["全社会"], ["特定群体"], ["全社会"], ["全社会"]]
    assert [it.mode for it in items] == [["主动"], ["依申请"], ["主动", "依申请"], ["主动"]]
    assert [it.levels for it in items] == [["县级", "乡级"], ["乡级"], ["乡级"], ["乡级"]]
    assert items[0].elements == ["补贴对象", "补贴标准", "申请材料"]
    assert items[1].elements == ["老人姓名", "发放金额"]
    assert items[2].elements == ["机构名称", "地址", "联系电话"]
    assert items[0].channels == ["政府网站", "公开查阅点"]
    assert items[3].level1 == "养老服务机构"  # blank 一级事项 means "same as above"
    assert [it.rule["kind"] for it in items] == ["workdays", "periodic", "immediate", "unknown"]


def test_xlsx_without_level_column_defaults_to_township(tmp_path: Path) -> None:
    sections, items = read_items(tb.build_xlsx_no_level(tmp_path).path)
    assert all(it.levels == ["乡级"] for it in items)
    assert sections[0].warnings == [NO_LEVEL_WARNING]
    assert items[0].elements == ["款物来源", "款物数量", "接收单位"]
    assert items[0].channels == ["政府网站", "公开查阅点"]
    assert items[1].channels == ["入户/现场", BOARD]  # 入户 and 村务公开栏 are aliases
    assert items[1].level1 == "救灾款物"


def test_xlsx_with_level3_and_plain_id_column(tmp_path: Path) -> None:
    _, items = read_items(tb.build_xlsx_level3(tmp_path).path)
    assert [it.level3 for it in items] == ["预算报告", "“三公”经费预算", ""]
    assert [it.level2 for it in items] == ["一般公共预算", "一般公共预算", "决算报告"]
    assert [it.id for it in items] == ["czyjs-001", "czyjs-002", ""]
    assert items[1].elements == ["因公出国（境）费", "公务接待费", "公务用车费"]
    assert all(it.rule == BUDGET_RULE for it in items)
    assert items[0].domain == "财政预决算"  # from the sheet name: there is no title row


def test_channel_sub_columns_keep_non_standard_channels(tmp_path: Path) -> None:
    _, items = read_items(tb.build_xlsx_channel_columns(tmp_path).path)
    assert items[0].channels == ["政府网站", "两微一端", BOARD, "宣传册"]
    assert items[1].channels == ["公开查阅点", BOARD]
    assert items[0].elements == ["用人单位", "招聘岗位", "联系方式"]


def test_docx_vertical_merge_and_checkbox_channels(tmp_path: Path) -> None:
    built = tb.build_docx_vmerge(tmp_path)
    table = docx.Document(str(built.path)).tables[0]
    assert len(table._tbl.xpath(".//w:vMerge")) == 2 * 6 + 3 + 3 + 4  # header and body
    _, items = read_items(built.path)
    assert [it.level1 for it in items] == ["最低生活保障"] * 3 + ["特困人员救助供养"]
    assert [it.basis for it in items] == [tb.BASIS_DIBAO] * 3 + [tb.BASIS_TEKUN]
    assert [it.subject for it in items] == [tb.TOWN] * 4
    assert items[0].channels == ["政府网站", "两微一端", "公开查阅点", "便民服务站"]
    assert items[2].mode == ["主动", "依申请"]
    assert items[1].rule == AUDIT_RULE
    assert all(it.domain == "社会救助" for it in items)


def test_docx_several_tables_each_with_its_heading(tmp_path: Path) -> None:
    sections, items = read_items(tb.build_docx_multi(tmp_path).path)
    assert [s.source for s in sections] == ["第2个表格", "第3个表格"]
    assert [s.domain_label for s in sections] == ["涉农补贴", "财政预决算"]
    assert items[0].channels == ["政府网站", "公开查阅点", BOARD]
    assert items[2].elements == ["预算报告", "预算表格", "预算说明"]
    assert items[3].rule == BUDGET_RULE


def test_docx_title_row_inside_the_table(tmp_path: Path) -> None:
    sections, items = read_items(tb.build_docx_title_row(tmp_path).path)
    assert sections[0].domain_label == "救灾"
    assert items[0].elements == ["受灾情况", "救助措施"]
    assert items[1].elements == ["救灾款物来源", "发放对象", "发放标准"]
    assert items[0].channels == ["政府网站", "公开查阅点", BOARD]
    assert items[1].mode == ["主动", "依申请"]  # "是" marks


TOWNSHIP_HEADERS = ["乡、村级", "镇(街)级", "镇（街）级", "镇级", "乡镇级", "乡级"]


@pytest.mark.parametrize("township", TOWNSHIP_HEADERS)
def test_docx_spaces_and_header_variants(township: str, tmp_path: Path) -> None:
    built = tb.build_docx_spaced(tmp_path, township)
    assert_read_as_built(built)
    _, items = read_items(built.path)
    first, second = items
    assert (first.level1, first.level2) == ("最低生活保障", "办事指南")
    assert first.elements == ["申请条件", "申请材料", "办理流程"]
    assert first.basis == "《社会救助暂行办法》"
    assert first.time_limit == "信息形成或变更之日起20个工作日内"
    assert first.rule == WORKDAYS_20
    assert first.channels == ["政府网站", "公开查阅点"]
    assert (first.audience, first.mode, first.levels) == (["全社会"], ["主动"], ["县级", "乡级"])
    assert second.elements == ["救助对象姓名", "救助金额", "救助事由"]
    assert second.channels == ["政府网站", BOARD]
    assert (second.audience, second.mode, second.levels) == (["特定群体"], ["主动", "依申请"],
                                                             ["乡级"])
    assert second.rule == QUARTERLY


def test_docx_table_without_its_own_heading_continues_the_previous_one(tmp_path: Path) -> None:
    sections = read_county_table(tb.build_docx_continued(tmp_path).path)
    assert [(s.source, s.domain_label) for s in sections] == [
        ("第1个表格", "公共法律服务"), ("第2个表格", "公共法律服务")]
    assert [it.level1 for s in sections for it in s.items] == ["法律援助", "人民调解"]


# --------------------------------------------------------------------------- bad files

BAD_FILES = {
    "corrupt": "不是有效的Excel或Word表格",
    "empty_docx": "没有找到政务公开标准目录表格",
    "text": "只能导入Excel",
    "zero_bytes": "空的",
    "no_catalog": "没有找到政务公开标准目录表格",
    "old_excel": "旧版",
    "old_renamed": "旧版",
    "password": "密码",
    "excel_named_docx": "不是有效的Excel或Word表格",
}


def assert_one_chinese_sentence(message: str) -> None:
    assert message.endswith("。") and message.count("。") == 1
    assert "\n" not in message and "Traceback" not in message
    assert len(re.findall(r"[\u4e00-\u9fff]", message)) >= 10


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_files_raise_a_user_error(kind: str, tmp_path: Path) -> None:
    path = tb.build_bad_files(tmp_path)[kind]
    with pytest.raises(UserError) as caught:
        read_county_table(path)
    assert BAD_FILES[kind] in str(caught.value)
    assert_one_chinese_sentence(str(caught.value))


def test_xlsx_with_a_stale_dimension_is_read_whole(tmp_path: Path) -> None:
    # Sheets are read read-only, where openpyxl trusts <dimension>; some programs
    # leave it at A1 after filling the sheet, and every row must still be read.
    built = tb.build_xlsx_merged(tmp_path)
    stale = tmp_path / "过期范围.xlsx"
    with zipfile.ZipFile(built.path) as old, zipfile.ZipFile(stale, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            new.writestr(info, data)
    sections, items = read_items(stale)
    assert items == built.items
    assert [s.domain_label for s in sections] == built.labels


def test_missing_file_raises_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="找不到该文件"):
        read_county_table(tmp_path / "不存在.xlsx")


# --------------------------------------------------------------------------- round trip


def roundtrip_items() -> tuple[list[CatalogItem], list[str]]:
    """Items of every variant plus the awkward cases a clerk can create by hand."""
    with tempfile.TemporaryDirectory() as folder:
        items = [it for builder in tb.ALL_BUILDERS for it in builder(Path(folder)).items]
    items += [
        CatalogItem(id="shjz-099", domain="社会救助", seq=99, level1="临时救助", level2="其他",
                    level3="急难型救助", elements=[], basis="", time_limit="",
                    subject="", channels=["其他", "宣传册", "明白纸"], audience=[], mode=[],
                    levels=[]),
        CatalogItem(id="ggwh-001", domain="公共文化服务", seq=1, level1="公共文化活动",
                    level2="活动信息", elements=["活动时间、地点", "参与方式"],
                    basis="《中华人民共和国公共文化服务保障法》", time_limit="每年",
                    subject="城关镇综合文化站", channels=list(tb.STANDARD_CHANNELS),
                    audience=["全社会", "特定群体"], mode=["主动", "依申请"],
                    levels=["县级", "乡级"]),
    ]
    domains = ["公共文化服务", "社会救助", "涉农补贴", "农村危房改造", "养老服务", "救灾",
               "财政预决算", "就业", "公共法律服务", "没有事项的领域"]
    return items, domains


def expected_order(items: list[CatalogItem], domains: list[str]) -> list[CatalogItem]:
    return [it for d in domains for it in items if it.domain == d]


@pytest.mark.parametrize("writer", [write_catalog_xlsx, write_catalog_docx],
                         ids=["xlsx", "docx"])
@pytest.mark.parametrize("prefix", ["平安县城关镇", "", "XX县XX镇"])
def test_round_trip_is_lossless(writer, prefix: str, tmp_path: Path) -> None:
    items, domains = roundtrip_items()
    path = tmp_path / f"目录{'.xlsx' if writer is write_catalog_xlsx else '.docx'}"
    writer(path, items, domains, prefix)
    sections, got = read_items(path)
    assert [s.domain_label for s in sections] == [d for d in domains if d != "没有事项的领域"]
    want = expected_order(items, domains)
    for read, original in zip(got, want, strict=True):
        assert read == original
        assert read.rule == original.rule
    assert all(s.warnings == [] for s in sections)


@pytest.mark.parametrize("writer", [write_catalog_xlsx, write_catalog_docx])
def test_domains_missing_from_the_list_are_written_last(writer, tmp_path: Path) -> None:
    built = tb.build_xlsx_sheets(tmp_path)
    path = tmp_path / ("out.xlsx" if writer is write_catalog_xlsx else "out.docx")
    writer(path, built.items, ["涉农补贴"])
    sections = read_county_table(path)
    assert [s.domain_label for s in sections] == ["涉农补贴", "社会救助", "农村危房改造"]


@pytest.mark.parametrize("writer", [write_catalog_xlsx, write_catalog_docx])
def test_nothing_to_write_is_a_user_error(writer, tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        writer(tmp_path / "空.xlsx", [], ["社会救助"])
    assert_one_chinese_sentence(str(caught.value))
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- written layout


def test_written_xlsx_has_merged_header_and_print_setup(tmp_path: Path) -> None:
    items, domains = roundtrip_items()
    path = tmp_path / "目录.xlsx"
    write_catalog_xlsx(path, items, domains, "城关镇")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == ["公共文化服务", "社会救助"]
    sheet = book["涉农补贴"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:O1", "A2:A3", "B2:C2", "D2:D3", "I2:J2", "K2:L2", "M2:N2", "O2:O3"} <= merged
    assert sheet["A1"].value == "城关镇涉农补贴领域基层政务公开标准目录"
    assert [sheet.cell(3, c).value for c in (2, 3, 9, 10, 11, 12, 13, 14)] == [
        "一级事项", "二级事项", "全社会", "特定群体", "主动", "依申请", "县级", "乡级"]
    assert sheet["B2"].font.b and sheet["I3"].font.b
    assert sheet["D4"].alignment.wrap_text
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$2:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    # 三级事项 only where a domain uses it.
    assert "三级事项" not in [sheet.cell(3, c).value for c in range(1, 20)]
    assert "三级事项" in [book["财政预决算"].cell(3, c).value for c in range(1, 20)]
    assert "B2:D2" in {str(r) for r in book["财政预决算"].merged_cells.ranges}
    first = sheet["D4"].value
    assert first == "●补贴依据\n●补贴对象\n●补贴标准"
    channel_lines = sheet["H4"].value.split("\n")
    assert len(channel_lines) == 13 and channel_lines[0] == "■政府网站"
    assert channel_lines[1] == "□政府公报"


def test_written_docx_repeats_header_rows_and_sets_fonts(tmp_path: Path) -> None:
    items, domains = roundtrip_items()
    path = tmp_path / "目录.docx"
    write_catalog_docx(path, items, domains, "城关镇")
    document = docx.Document(str(path))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape A4
    assert abs(section.page_width.mm - 297) < 1
    table = document.tables[0]
    header_flags = [tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
                    for tr in table._tbl.tr_lst]
    assert header_flags[:2] == [True, True] and not any(header_flags[2:])
    assert table.rows[0].cells[1].text == "公开事项" and table.rows[1].cells[1].text == "一级事项"
    assert table.rows[0].cells[1]._tc is table.rows[0].cells[2]._tc  # 公开事项 spans two
    assert table.rows[1].cells[0].text == "序号"  # 序号 merged down
    headings = [p.text for p in document.paragraphs if p.text]
    assert headings[:2] == ["城关镇公共文化服务领域基层政务公开标准目录",
                            "城关镇社会救助领域基层政务公开标准目录"]

    def east_asian(cell) -> set[str]:
        return {run._element.rPr.rFonts.get(qn("w:eastAsia")) for p in cell.paragraphs
                for run in p.runs}

    assert east_asian(table.rows[0].cells[0]) == {"黑体"}
    assert east_asian(table.rows[2].cells[3]) == {"仿宋"}
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)


@pytest.mark.parametrize("writer", [write_catalog_xlsx, write_catalog_docx])
def test_writes_are_atomic(writer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items, domains = roundtrip_items()
    path = tmp_path / ("目录.xlsx" if writer is write_catalog_xlsx else "目录.docx")
    writer(path, items, domains)
    before = path.read_bytes()
    writer(path, items[:3], domains)  # replacing an existing file works
    assert path.read_bytes() != before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    if os.name == "posix":
        assert path.stat().st_mode & 0o044  # readable by others, unlike a mkstemp file

    kept = path.read_bytes()

    def fail(self, target) -> None:
        Path(target).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", fail)
    monkeypatch.setattr(docx.document.Document, "save", fail)
    with pytest.raises(OSError):
        writer(path, items, domains)
    assert path.read_bytes() == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


# --------------------------------------------------------------------------- cell rules


@pytest.mark.parametrize(("text", "expected"), [
    ("● 申请条件 ● 申请材料", ["申请条件", "申请材料"]),
    ("●申请人姓名、家庭人口\n●保障金额", ["申请人姓名、家庭人口", "保障金额"]),
    ("申请条件\n申请材料\n", ["申请条件", "申请材料"]),
    ("1.申请条件 2.申请材料", ["申请条件", "申请材料"]),
    ("1、申请条件；2、申请材料", ["申请条件", "申请材料"]),
    ("（1）申请条件；（2）申请材料", ["申请条件", "申请材料"]),
    ("一、补贴标准 二、补贴对象", ["补贴标准", "补贴对象"]),
    ("①机构名称②地址", ["机构名称", "地址"]),
    ("- 款物来源\n- 款物数量", ["款物来源", "款物数量"]),
    ("甲、乙、丙", ["甲", "乙", "丙"]),
    ("甲；乙;丙", ["甲", "乙", "丙"]),
    ("家庭成员（姓名、关系）、保障金额", ["家庭成员（姓名、关系）", "保障金额"]),
    ("补贴面积1.5亩以上的农户", ["补贴面积1.5亩以上的农户"]),
    ("2019-2020年度补贴发放情况", ["2019-2020年度补贴发放情况"]),
    ("", []),
])
def test_split_elements(text: str, expected: list[str]) -> None:
    assert split_elements(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("■政府网站 □政府公报 ■两微一端", ["政府网站", "两微一端"]),
    ("☑政府网站☐政府公报☑公开查阅点", ["政府网站", "公开查阅点"]),
    ("√政府网站 √公开查阅点", ["政府网站", "公开查阅点"]),
    ("✔政府网站\n✔入户", ["政府网站", "入户/现场"]),
    ("政府网站、公开查阅点", ["政府网站", "公开查阅点"]),
    ("公开查阅点\n政府网站", ["政府网站", "公开查阅点"]),
    ("政府网站 公开查阅点", ["政府网站", "公开查阅点"]),
    ("政 府 网 站；公 开 查 阅 点", ["政府网站", "公开查阅点"]),
    ("社区/企事业单位/村公示栏(电子屏)", [BOARD]),
    ("■政府网站 ■宣传册 □其他", ["政府网站", "宣传册"]),
    ("村务公开栏、村务公开栏", [BOARD]),
    ("", []),
])
def test_split_channels(text: str, expected: list[str]) -> None:
    assert split_channels(text) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("XX县XX镇社会救助领域基层政务公开标准目录", "社会救助"),
    ("平安县城关镇农村危房改造领域基层政务公开标准目录", "农村危房改造"),
    ("沛县城关镇市场监管领域基层政务公开标准目录", "市场监管"),
    ("城关镇乡村振兴领域基层政务公开标准目录", "乡村振兴"),
    ("2023年城关镇涉农补贴领域基层政务公开标准目录", "涉农补贴"),
    ("城关镇人民政府居民社区建设领域基层政务公开标准目录", "居民社区建设"),
    ("城乡规划领域基层政务公开标准目录", "城乡规划"),
    ("社会救助基层政务公开标准目录", "社会救助"),
    ("社 会 救 助", "社会救助"),
    ("一、涉农补贴", "涉农补贴"),
    ("（二）财政预决算领域", "财政预决算"),
    ("平安县城关镇基层政务公开标准目录", None),
    ("填报单位：城关镇人民政府", None),
    ("附件1", None),
    ("根据上级要求，现将我镇各领域基层政务公开标准目录印发给你们，请认真贯彻执行。", None),
])
def test_domain_label_from_title(title: str, expected: str | None) -> None:
    assert domain_label_from_title(title) == expected


def test_sheet_name_hint_beats_place_name_guessing() -> None:
    # Without a township before it, "居民社区" looks like a place name ending in 区.
    title = "居民社区建设领域基层政务公开标准目录"
    assert domain_label_from_title(title, hint="居民社区建设") == "居民社区建设"
