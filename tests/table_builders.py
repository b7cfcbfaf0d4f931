"""Build county catalog files in the layouts counties really publish, for the reader's tests.

Every ``build_*`` function writes one file into ``folder`` with real merged cells
(openpyxl ``merge_cells``, python-docx ``cell.merge``) and returns it with the items
the reader must find in it. The cell texts are written out by hand in each county's
style; they are deliberately not produced by :mod:`app.catalog.table_writer`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.catalog.item import CatalogItem

STANDARD_CHANNELS = (
    "政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体", "公开查阅点",
    "政务服务中心", "便民服务站", "入户/现场", "社区/企事业单位/村公示栏（电子屏）", "精准推送",
    "其他",
)
BOARD = "社区/企事业单位/村公示栏（电子屏）"
TOWN = "城关镇人民政府"

TL_FORMED = "信息形成或变更之日起20个工作日内"
TL_PUBLIC = "公示7个工作日"
TL_AUDIT = "信息形成之日起10个工作日内，公示期7个工作日"
TL_BUDGET = "经人大批准后20日内"
TL_QUARTER = "每季度"
TL_NOW = "及时"

BASIS_DIBAO = "《社会救助暂行办法》《最低生活保障审核确认办法》"
BASIS_TEKUN = "《社会救助暂行办法》《特困人员认定办法》"
BASIS_LINSHI = "《社会救助暂行办法》《国务院关于全面建立临时救助制度的通知》"
BASIS_BUTIE = "《关于全面推开农业“三项补贴”改革工作的通知》"
BASIS_WEIFANG = "《农村危房改造脱贫攻坚三年行动方案》"
BASIS_YUSUAN = "《中华人民共和国预算法》《中华人民共和国预算法实施条例》"
BASIS_JIUZAI = "《自然灾害救助条例》"
BASIS_YANGLAO = "《中华人民共和国老年人权益保障法》"
BASIS_JIUYE = "《中华人民共和国就业促进法》"

NO_LEVEL_WARNING = "表中没有公开层级列：新事项按乡级导入，已有事项保留目录中的公开层级"


@dataclass
class Built:
    """A test file and what the reader must find in it."""

    path: Path
    items: list[CatalogItem]
    labels: list[str | None]  # domain label of each section, in file order
    warnings: list[str] = field(default_factory=list)  # each must appear among the warnings


def item(
    domain: str, seq: int, level1: str, level2: str, elements: list[str], basis: str,
    time_limit: str, channels: list[str], audience: list[str], mode: list[str],
    levels: list[str], **extra: str,
) -> CatalogItem:
    """An expected item; ``extra`` may set id, level3 or subject (default 城关镇人民政府)."""
    extra.setdefault("subject", TOWN)
    return CatalogItem(
        id=extra.pop("id", ""), domain=domain, seq=seq, level1=level1, level2=level2,
        elements=elements, basis=basis, time_limit=time_limit, channels=channels,
        audience=audience, mode=mode, levels=levels, **extra,
    )


# --------------------------------------------------------------------------- cells

Head = list[tuple[str, str]]  # (first header row, second header row) per column


def standard_head(*, level3: bool = False, levels: bool = True, id_name: str = "") -> Head:
    """The two-row header of the standard table."""
    head: Head = [("序号", "序号"), ("公开事项", "一级事项"), ("公开事项", "二级事项")]
    head += [("公开事项", "三级事项")] if level3 else []
    singles = ("公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体")
    head += [(t, t) for t in singles]
    head += [("公开对象", "全社会"), ("公开对象", "特定群体")]
    head += [("公开方式", "主动"), ("公开方式", "依申请")]
    head += [("公开层级", "县级"), ("公开层级", "乡级")] if levels else []
    return head + ([(id_name, id_name)] if id_name else [])


def head_merges(head: Head, row: int = 0) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col) merges of a two-row header at ``row``."""
    merges, col = [], 0
    while col < len(head):
        end = col
        while end + 1 < len(head) and head[end + 1][0] == head[col][0]:
            end += 1
        merges.append((row, col, row, end) if end > col else (row, col, row + 1, col))
        col = end + 1
    return merges


def head_rows(head: Head) -> list[list[str]]:
    """The two header rows as written: text only in the first cell of each merge."""
    top, sub, previous = [], [], None
    for group, name in head:
        top.append("" if group == previous else group)
        sub.append("" if name == group else name)
        previous = group
    return [top, sub]


def boxes(selected: list[str], sep: str = " ", on: str = "■", off: str = "□") -> str:
    """A 公开渠道和载体 checkbox list of all 13 channels (and any extra ones)."""
    parts = [(on if name in selected else off) + name for name in STANDARD_CHANNELS]
    return sep.join(parts + [on + name for name in selected if name not in STANDARD_CHANNELS])


def marks(it: CatalogItem, mark: str = "√", *, levels: bool = True) -> list[str]:
    """The 对象/方式/层级 sub-column cells of an item."""
    groups = [(it.audience, ("全社会", "特定群体")), (it.mode, ("主动", "依申请"))]
    groups += [(it.levels, ("县级", "乡级"))] if levels else []
    return [mark if name in chosen else "" for chosen, names in groups for name in names]


def row(
    it: CatalogItem, elements: str, channels: str, mark: str = "√", *,
    level1: str | None = None, levels: bool = True, level3: bool = False, id_col: bool = False,
) -> list[str]:
    """One body row of the standard table; ``level1=""`` for a cell covered by a merge."""
    cells = [str(it.seq), it.level1 if level1 is None else level1, it.level2]
    cells += [it.level3] if level3 else []
    cells += [elements, it.basis, it.time_limit, it.subject, channels]
    return cells + marks(it, mark, levels=levels) + ([it.id] if id_col else [])


def put_xlsx(sheet: Worksheet, first_row: int, rows: list[list[str]],
             merges: list[tuple[int, int, int, int]] = ()) -> None:
    """Write rows from ``first_row`` (1-based); merges are 0-based, relative to ``first_row``."""
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value != "":
                sheet.cell(first_row + r, c + 1, int(value) if value.isdigit() else value)
    for r0, c0, r1, c1 in merges:
        sheet.merge_cells(start_row=first_row + r0, start_column=c0 + 1,
                          end_row=first_row + r1, end_column=c1 + 1)


def put_docx(document: Document, rows: list[list[str]],
             merges: list[tuple[int, int, int, int]] = ()) -> None:
    """Add a table of ``rows`` with the given 0-based merges (text only in merge origins)."""
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    covered = set()
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value and (r, c) not in covered:
                table.cell(r, c).text = value


def _across(row_index: int, width: int) -> tuple[int, int, int, int]:
    return (row_index, 0, row_index, width - 1)


# --------------------------------------------------------------------------- Excel


def build_xlsx_merged(folder: Path) -> Built:
    """Two-row merged header, title row, 一级事项 merged down, section/empty/note rows, ids."""
    d = "社会救助"
    items = [
        item(d, 1, "最低生活保障", "办事指南", ["申请条件", "申请材料", "办理流程", "办理时限",
             "咨询电话"], BASIS_DIBAO, TL_FORMED,
             ["政府网站", "两微一端", "公开查阅点", "便民服务站", BOARD],
             ["全社会"], ["主动"], ["县级", "乡级"], id="shjz-001"),
        item(d, 2, "最低生活保障", "审核信息", ["申请人姓名", "家庭人口", "保障金额"], BASIS_DIBAO,
             TL_AUDIT, ["入户/现场", BOARD], ["特定群体"], ["主动"], ["乡级"], id="shjz-002"),
        item(d, 3, "最低生活保障", "投诉举报", ["举报电话", "受理机构", "办理时限"], BASIS_DIBAO,
             TL_NOW, ["政府网站", "政务服务中心"], ["全社会"], ["主动", "依申请"], ["乡级"],
             id="shjz-003"),
        item(d, 4, "特困人员救助供养", "认定结果", ["供养人员姓名", "供养方式", "供养标准"],
             BASIS_TEKUN, TL_PUBLIC, ["入户/现场", BOARD], ["特定群体"], ["主动"], ["乡级"],
             id="shjz-004"),
        item(d, 5, "临时救助", "救助结果", ["救助对象姓名", "救助金额", "救助事由"], BASIS_LINSHI,
             TL_QUARTER, ["政府网站", BOARD], ["全社会"], ["主动"], ["县级", "乡级"],
             id="shjz-005"),
    ]
    head = standard_head(id_name="目录编号")
    width = len(head)
    rows = [["平安县城关镇社会救助领域基层政务公开标准目录"] + [""] * (width - 1)]
    rows += head_rows(head)
    rows += [["一、最低生活保障"] + [""] * (width - 1)]
    rows += [
        row(items[0], "●申请条件\n●申请材料\n●办理流程\n●办理时限\n●咨询电话",
            boxes(items[0].channels), id_col=True),
        row(items[1], "● 申请人姓名 ● 家庭人口 ● 保障金额",
            "■社区/企事业单位/村公示栏（电子屏）\n■入户/现场\n□政府网站", "●", level1="",
            id_col=True),
        row(items[2], "举报电话、受理机构、办理时限", "☑政府网站 ☐政府公报 ☑政务服务中心", "☑",
            level1="", id_col=True),
        [""] * width,
        ["二、特困人员救助供养"] + [""] * (width - 1),
        row(items[3], "1.供养人员姓名 2.供养方式 3.供养标准",
            "√社区/企事业单位/村公示栏(电子屏) √入户/现场", "是", id_col=True),
        ["三、临时救助"] + [""] * (width - 1),
        row(items[4], "救助对象姓名；救助金额；救助事由", boxes(items[4].channels), "✓",
            id_col=True),
        ["", "", "", "补充说明材料", "", TL_NOW] + [""] * (width - 6),
        ["注：“√”表示适用。"] + [""] * (width - 1),
    ]
    rows[5][4] = rows[6][4] = ""  # one 公开依据 for the three 最低生活保障 rows
    merges = [_across(0, width), *head_merges(head, 1), _across(3, width), (4, 1, 6, 1),
              (4, 4, 6, 4), _across(8, width), _across(10, width), _across(13, width)]
    book = Workbook()
    put_xlsx(book.active, 1, rows, merges)
    path = folder / "社会救助目录.xlsx"
    book.save(path)
    return Built(path, items, [d], ["工作表「Sheet」第13行没有填写公开事项，已跳过"])


def build_xlsx_sheets(folder: Path) -> Built:
    """One domain per sheet: title with place names, title naming the domain, sheet name only."""
    relief, subsidy, housing = "社会救助", "涉农补贴", "农村危房改造"
    items = [
        item(relief, 1, "特困人员救助供养", "办事指南", ["申请条件", "申请材料", "办理流程"],
             BASIS_TEKUN, TL_FORMED, ["政府网站", "公开查阅点"], ["全社会"], ["主动"],
             ["县级", "乡级"]),
        item(relief, 2, "临时救助", "救助结果", ["救助对象姓名", "救助金额"], BASIS_LINSHI,
             TL_QUARTER, [BOARD], ["全社会"], ["主动"], ["乡级"]),
        item(subsidy, 1, "耕地地力保护补贴", "补贴政策", ["补贴依据", "补贴对象", "补贴标准"],
             BASIS_BUTIE, TL_FORMED, ["政府网站", "两微一端", "便民服务站"], ["全社会"],
             ["主动"], ["县级", "乡级"]),
        item(subsidy, 2, "耕地地力保护补贴", "补贴发放结果", ["补贴对象姓名", "补贴面积",
             "补贴金额"], BASIS_BUTIE, TL_PUBLIC, [BOARD], ["特定群体"], ["主动"], ["乡级"]),
        item(housing, 1, "农村危房改造", "政策文件", ["政策文件", "补助标准"], BASIS_WEIFANG,
             TL_FORMED, ["政府网站"], ["全社会"], ["主动"], ["县级"]),
        item(housing, 2, "农村危房改造", "补助对象认定", ["申请人姓名", "改造方式", "补助金额"],
             BASIS_WEIFANG, TL_PUBLIC, ["入户/现场", BOARD], ["特定群体"], ["主动", "依申请"],
             ["乡级"]),
    ]
    book = Workbook()
    book.active.title = "填表说明"
    book.active["A1"] = "本表由城关镇党政办填报，每年核对一次。"
    head = standard_head()
    width = len(head)
    titles = {relief: "平安县城关镇社会救助领域基层政务公开标准目录",
              subsidy: "城关镇涉农补贴领域基层政务公开标准目录", housing: None}
    sheet_names = {relief: relief, subsidy: "Sheet2", housing: housing}
    for domain, title in titles.items():
        sheet = book.create_sheet(sheet_names[domain])
        mine = [it for it in items if it.domain == domain]
        # 涉农补贴's 一级事项 is one cell merged down over both rows.
        covered = [None] + ["" if domain == subsidy else None] * (len(mine) - 1)
        body = [row(it, "、".join(it.elements), "、".join(it.channels), level1=level1)
                for it, level1 in zip(mine, covered, strict=True)]
        top = 1 if title is None else 2
        if title:
            put_xlsx(sheet, 1, [[title] + [""] * (width - 1)], [_across(0, width)])
        merges = head_merges(head) + ([(2, 1, 3, 1)] if domain == subsidy else [])
        put_xlsx(sheet, top, head_rows(head) + body, merges)
    path = folder / "城关镇目录（分领域）.xlsx"
    book.save(path)
    return Built(path, items, [relief, subsidy, housing])


def build_xlsx_one_row(folder: Path) -> Built:
    """One-row header whose 对象/方式/层级 are text columns; numbered 要素; ditto 一级事项."""
    d = "养老服务"
    items = [
        item(d, 1, "高龄津贴", "政策与办事指南", ["补贴对象", "补贴标准", "申请材料"],
             BASIS_YANGLAO, TL_FORMED, ["政府网站", "公开查阅点"], ["全社会"], ["主动"],
             ["县级", "乡级"]),
        item(d, 2, "高龄津贴", "发放结果", ["老人姓名", "发放金额"], BASIS_YANGLAO, TL_QUARTER,
             [BOARD], ["特定群体"], ["依申请"], ["乡级"]),
        item(d, 3, "养老服务机构", "机构名录", ["机构名称", "地址", "联系电话"], BASIS_YANGLAO,
             TL_NOW, ["政府网站", "政务服务中心"], ["全社会"], ["主动", "依申请"], ["乡级"]),
        item(d, 4, "养老服务机构", "星级评定结果", ["机构名称", "评定等级"], BASIS_YANGLAO,
             TL_PUBLIC, ["政府网站"], ["全社会"], ["主动"], ["乡级"]),
    ]
    head = ["序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
            "公开渠道和载体", "公开对象", "公开方式", "公开层级"]
    texts = [
        ("1.补贴对象 2.补贴标准 3.申请材料", "√政府网站 √公开查阅点", "全社会", "主动",
         "县级、乡级"),
        ("（1）老人姓名；（2）发放金额", "√社区/企事业单位/村公示栏（电子屏）", "特定群体",
         "依申请公开", "乡级"),
        ("①机构名称②地址③联系电话", "√政府网站\n√政务服务中心", "全社会", "主动、依申请", "乡级"),
        ("机构名称、评定等级", "政府网站", "全社会", "主动公开", "乡级"),
    ]
    body = [[str(it.seq), "" if it.seq == 4 else it.level1, it.level2, elements, it.basis,
             it.time_limit, it.subject, channels, audience, mode, level]
            for it, (elements, channels, audience, mode, level) in zip(items, texts, strict=True)]
    book = Workbook()
    rows = [["城关镇养老服务领域基层政务公开标准目录"] + [""] * 10, head, *body]
    put_xlsx(book.active, 1, rows, [_across(0, 11)])
    path = folder / "养老服务.xlsx"
    book.save(path)
    return Built(path, items, [d])


def build_xlsx_no_level(folder: Path) -> Built:
    """No 公开层级 column at all (levels become 乡级); ；-separated 要素; one channel a line."""
    d = "救灾"
    items = [
        item(d, 1, "救灾款物", "款物来源", ["款物来源", "款物数量", "接收单位"], BASIS_JIUZAI,
             TL_NOW, ["政府网站", "公开查阅点"], ["全社会"], ["主动"], ["乡级"]),
        item(d, 2, "救灾款物", "发放信息", ["救助对象姓名", "发放数量", "发放标准"], BASIS_JIUZAI,
             TL_PUBLIC, ["入户/现场", BOARD], ["特定群体"], ["主动", "依申请"], ["乡级"]),
    ]
    head = standard_head(levels=False)
    width = len(head)
    body = [
        row(items[0], "款物来源；款物数量；接收单位", "政府网站\n公开查阅点", levels=False),
        row(items[1], "救助对象姓名；发放数量；发放标准", "村务公开栏、入户", level1="",
            levels=False),
    ]
    book = Workbook()
    rows = [["城关镇救灾领域基层政务公开标准目录"] + [""] * (width - 1), *head_rows(head), *body]
    put_xlsx(book.active, 1, rows, [_across(0, width), *head_merges(head, 1), (3, 1, 4, 1)])
    path = folder / "救灾.xlsx"
    book.save(path)
    return Built(path, items, [d], [NO_LEVEL_WARNING])


def build_xlsx_level3(folder: Path) -> Built:
    """A 三级事项 column, 一级/二级 merged down, and an id column headed just "编号"."""
    d = "财政预决算"
    items = [
        item(d, 1, "财政预算", "一般公共预算", ["预算编制说明", "收支预算表"], BASIS_YUSUAN,
             TL_BUDGET, ["政府网站", "纸质媒体"], ["全社会"], ["主动"], ["乡级"],
             level3="预算报告", id="czyjs-001"),
        item(d, 2, "财政预算", "一般公共预算", ["因公出国（境）费", "公务接待费", "公务用车费"],
             BASIS_YUSUAN, TL_BUDGET, ["政府网站"], ["全社会"], ["主动"], ["乡级"],
             level3="“三公”经费预算", id="czyjs-002"),
        item(d, 3, "财政决算", "决算报告", ["决算说明", "收支决算表"], BASIS_YUSUAN, TL_BUDGET,
             ["政府网站", "公开查阅点"], ["全社会"], ["主动", "依申请"], ["县级", "乡级"]),
    ]
    head = standard_head(level3=True, id_name="编号")
    body = [
        row(items[0], "●预算编制说明\n●收支预算表", boxes(items[0].channels), level3=True,
            id_col=True),
        row(items[1], "因公出国（境）费、公务接待费、公务用车费", boxes(items[1].channels),
            level1="", level3=True, id_col=True),
        row(items[2], "决算说明、收支决算表", boxes(items[2].channels), level3=True, id_col=True),
    ]
    body[1][2] = ""  # 二级事项 merged down too
    book = Workbook()
    book.active.title = "财政预决算"
    put_xlsx(book.active, 1, head_rows(head) + body,
             head_merges(head) + [(2, 1, 3, 1), (2, 2, 3, 2)])
    path = folder / "财政预决算.xlsx"
    book.save(path)
    return Built(path, items, [d])


def build_xlsx_channel_columns(folder: Path) -> Built:
    """公开渠道和载体 split into sub-columns named by channel (one non-standard), √ marks."""
    d = "就业"
    items = [
        item(d, 1, "就业服务", "招聘信息", ["用人单位", "招聘岗位", "联系方式"], BASIS_JIUYE,
             TL_NOW, ["政府网站", "两微一端", BOARD, "宣传册"], ["全社会"], ["主动"],
             ["县级", "乡级"]),
        item(d, 2, "就业援助", "援助对象认定", ["认定条件", "认定结果"], BASIS_JIUYE, TL_PUBLIC,
             ["公开查阅点", BOARD], ["特定群体"], ["主动"], ["乡级"]),
    ]
    sub_channels = ["政府网站", "两微一端", "公开查阅点", "村务公开栏", "宣传册"]
    head = standard_head()
    at = [name for _, name in head].index("公开渠道和载体")
    head[at:at + 1] = [("公开渠道和载体", name) for name in sub_channels]
    head[3] = ("公开内容(要素)", "公开内容(要素)")
    ticks = [["√", "√", "", "√", "√"], ["", "", "√", "√", ""]]
    body = []
    for it, tick in zip(items, ticks, strict=True):
        cells = row(it, "、".join(it.elements), "")
        cells[at:at + 1] = tick
        body.append(cells)
    width = len(head)
    book = Workbook()
    rows = [["城关镇就业领域基层政务公开标准目录"] + [""] * (width - 1), *head_rows(head), *body]
    put_xlsx(book.active, 1, rows, [_across(0, width), *head_merges(head, 1)])
    path = folder / "就业.xlsx"
    book.save(path)
    return Built(path, items, [d])


# --------------------------------------------------------------------------- Word


def build_docx_vmerge(folder: Path) -> Built:
    """Title paragraph, two-row header, 一级事项 vertically merged, ■/□ boxes, ● marks."""
    d = "社会救助"
    items = [
        item(d, 1, "最低生活保障", "办事指南", ["申请条件", "申请材料", "办理流程"], BASIS_DIBAO,
             TL_FORMED, ["政府网站", "两微一端", "公开查阅点", "便民服务站"], ["全社会"],
             ["主动"], ["县级", "乡级"]),
        item(d, 2, "最低生活保障", "审核信息", ["申请人姓名", "家庭人口", "保障金额"], BASIS_DIBAO,
             TL_AUDIT, ["入户/现场", BOARD], ["特定群体"], ["主动"], ["乡级"]),
        item(d, 3, "最低生活保障", "保障对象名单", ["保障对象姓名", "保障人数", "保障金额"],
             BASIS_DIBAO, TL_QUARTER, ["政府网站", BOARD], ["全社会"], ["主动", "依申请"],
             ["乡级"]),
        item(d, 4, "特困人员救助供养", "认定结果", ["供养人员姓名", "供养方式"], BASIS_TEKUN,
             TL_PUBLIC, [BOARD], ["特定群体"], ["主动"], ["乡级"]),
    ]
    head = standard_head()
    body = [row(it, "\n".join("●" + e for e in it.elements), boxes(it.channels, "\n"), "●",
                level1=it.level1 if it.seq in (1, 4) else "") for it in items]
    for cells in body[1:3]:
        cells[4] = ""  # 公开依据 merged down the three 最低生活保障 rows
    for cells in body[1:]:
        cells[6] = ""  # 公开主体 merged down the whole table
    document = docx.Document()
    document.add_paragraph("平安县城关镇社会救助领域基层政务公开标准目录")
    merges = head_merges(head) + [(2, 1, 4, 1), (2, 4, 4, 4), (2, 6, 5, 6)]
    put_docx(document, head_rows(head) + body, merges)
    path = folder / "社会救助.docx"
    document.save(path)
    return Built(path, items, [d])


def build_docx_multi(folder: Path) -> Built:
    """Several tables, each after its own heading; a non-catalog table first; √ marks."""
    subsidy, budget = "涉农补贴", "财政预决算"
    items = [
        item(subsidy, 1, "耕地地力保护补贴", "补贴政策", ["补贴依据", "补贴对象", "补贴标准"],
             BASIS_BUTIE, TL_FORMED, ["政府网站", "公开查阅点", BOARD], ["全社会"], ["主动"],
             ["县级", "乡级"]),
        item(subsidy, 2, "耕地地力保护补贴", "补贴发放结果", ["补贴对象姓名", "补贴面积",
             "补贴金额"], BASIS_BUTIE, TL_PUBLIC, [BOARD], ["特定群体"], ["主动"], ["乡级"]),
        item(budget, 1, "财政预算", "预算公开", ["预算报告", "预算表格", "预算说明"],
             BASIS_YUSUAN, TL_BUDGET, ["政府网站", "公开查阅点"], ["全社会"], ["主动"], ["乡级"]),
        item(budget, 2, "财政决算", "决算公开", ["决算报告", "决算表格"], BASIS_YUSUAN, TL_BUDGET,
             ["政府网站"], ["全社会"], ["主动", "依申请"], ["乡级"]),
    ]
    head = standard_head()
    channel_texts = ["√政府网站 √公开查阅点 √村务公开栏", "√村务公开栏", "√政府网站 √公开查阅点",
                     "√政府网站"]
    body = [row(it, "\n".join(it.elements), text)
            for it, text in zip(items, channel_texts, strict=True)]
    document = docx.Document()
    document.add_paragraph("平安县城关镇基层政务公开标准目录")
    put_docx(document, [["填报单位", TOWN], ["填报日期", "2024年3月"]])
    document.add_paragraph("一、涉农补贴")
    put_docx(document, head_rows(head) + body[:2], head_merges(head))
    document.add_paragraph("")
    document.add_paragraph("二、财政预决算领域")
    put_docx(document, head_rows(head) + body[2:], head_merges(head))
    path = folder / "城关镇目录.docx"
    document.save(path)
    return Built(path, items, [subsidy, budget])


def build_docx_title_row(folder: Path) -> Built:
    """The title is the table's own first row, merged across; "是" marks; one channel a line."""
    d = "救灾"
    items = [
        item(d, 1, "灾情信息", "灾情通报", ["受灾情况", "救助措施"], BASIS_JIUZAI, TL_NOW,
             ["政府网站", "公开查阅点", BOARD], ["全社会"], ["主动"], ["县级", "乡级"]),
        item(d, 2, "救灾款物", "款物发放", ["救灾款物来源", "发放对象", "发放标准"], BASIS_JIUZAI,
             TL_PUBLIC, ["入户/现场", BOARD], ["特定群体"], ["主动", "依申请"], ["乡级"]),
    ]
    head = standard_head()
    width = len(head)
    body = [
        row(items[0], "（1）受灾情况；（2）救助措施", "政府网站\n公开查阅点\n村务公开栏", "是"),
        row(items[1], "1.救灾款物来源 2.发放对象 3.发放标准", "村务公开栏\n入户", "是"),
    ]
    rows = [["城关镇救灾领域基层政务公开标准目录"] + [""] * (width - 1), *head_rows(head), *body]
    document = docx.Document()
    put_docx(document, rows, [_across(0, width), *head_merges(head, 1)])
    path = folder / "救灾目录.docx"
    document.save(path)
    return Built(path, items, [d])


def build_docx_spaced(folder: Path, township_level: str = "乡、村级") -> Built:
    """Spaces inside words, inline ● bullets, 、-separated 要素 and every header variant."""
    d = "社会救助"
    items = [
        item(d, 1, "最低生活保障", "办事指南", ["申请条件", "申请材料", "办理流程"],
             "《社会救助暂行办法》", TL_FORMED, ["政府网站", "公开查阅点"], ["全社会"], ["主动"],
             ["县级", "乡级"], subject="城关镇民政办"),
        item(d, 2, "临时救助", "救助结果", ["救助对象姓名", "救助金额", "救助事由"], BASIS_LINSHI,
             TL_QUARTER, ["政府网站", BOARD], ["特定群体"], ["主动", "依申请"], ["乡级"],
             subject="城关镇民政办"),
    ]
    head = [("序 号", "序 号"), ("公 开 事 项", "一级事项"), ("公 开 事 项", "二 级 事 项")]
    head += [(t, t) for t in ("公开内容", "公 开 依 据", "公开时限", "公开主体", "公开渠道")]
    head += [("公开对象", "社会"), ("公开对象", "特定群众"), ("公开方式", "主动"),
             ("公开方式", "申请"), ("公开层级", "县"), ("公开层级", township_level)]
    body = [
        ["1", "最 低 生 活 保 障", "办 事 指 南", "● 申请 条件 ● 申请材料 ● 办理 流程",
         "《社会救助 暂行办法》", "信息形成或变更之日起 20 个工作日内", "城关镇 民政办",
         "政 府 网 站、公 开 查 阅 点", "√", "", "√", "", "√", "√"],
        ["2", "临 时 救 助", "救助结果", "救助对象姓名、救助金额、救助事由", BASIS_LINSHI,
         "每 季 度", "城关镇民政办", "村务公开栏 政府网站", "", "√", "√", "√", "", "√"],
    ]
    document = docx.Document()
    document.add_paragraph("XX县XX镇 社 会 救 助 领域基层政务公开标准目录")
    put_docx(document, head_rows(head) + body, head_merges(head))
    path = folder / f"社会救助（{township_level.replace('/', '')}）.docx"
    document.save(path)
    return Built(path, items, [d])


def build_docx_continued(folder: Path) -> Built:
    """One title, then the table broken in two at a page break (header repeated, no text)."""
    d = "公共法律服务"
    items = [
        item(d, 1, "法律援助", "办事指南", ["申请条件", "申请材料", "办理流程"],
             "《法律援助法》", TL_FORMED, ["政府网站", "公开查阅点"], ["全社会"], ["主动"],
             ["县级", "乡级"], subject="城关镇司法所"),
        item(d, 2, "人民调解", "调解组织", ["调解委员会名称", "人员组成", "联系方式"],
             "《中华人民共和国人民调解法》", TL_NOW, [BOARD], ["全社会"], ["主动"], ["乡级"],
             subject="城关镇司法所"),
    ]
    head = standard_head()
    document = docx.Document()
    document.add_paragraph("城关镇公共法律服务领域基层政务公开标准目录")
    for it in items:
        body = row(it, "、".join(it.elements), boxes(it.channels))
        put_docx(document, head_rows(head) + [body], head_merges(head))
    path = folder / "公共法律服务.docx"
    document.save(path)
    return Built(path, items, [d, d])


# --------------------------------------------------------------------------- wrapping

#: 公开渠道和载体 cells as narrow columns and hand typing leave them, with the channels
#: they hold. Each wraps, marks or separates names in a different way.
WRAPPED_CHANNELS: list[tuple[str, list[str]]] = [
    # The reported table: the label breaks before its bracket, on a line of its own.
    ("■社区/企事业单位/村公示栏\n(电子屏)\n□政府网站", [BOARD]),
    ("■社区/企事业单位/村公示栏\n(电子屏)\n□政府网站", [BOARD]),  # as paragraphs in Word
    ("☑ 政府\n网站 ☐ 政府公报 ☑ 两微\n一端", ["政府网站", "两微一端"]),
    ("✔发布会/\n听证会 ✓入户/现场 √社区/企事业单位/村公示栏（电\n子屏）",
     ["发布会/听证会", "入户/现场", BOARD]),
    ("口政府网站 ▢政府公报 ☒公开查阅点 ◻纸质媒体", ["公开查阅点"]),  # boxes typed by hand
    ("政府网站，两微一端、公开查阅点", ["政府网站", "两微一端", "公开查阅点"]),
    ("●政务服务中心 ○便民服务站 ● 精准\n推送", ["政务服务中心", "精准推送"]),
    ("■政府网站■两微一端□政府公报■社区/企事业\n单位/村公示栏(电子屏)",
     ["政府网站", "两微一端", BOARD]),
    ("√ 广播\n电视\n√ 纸质\n媒体", ["广播电视", "纸质媒体"]),
]


def _wrapped_items(d: str) -> list[CatalogItem]:
    audiences = [["全社会"], ["特定群体"], ["全社会", "特定群体"], ["全社会"]]
    modes = [["主动"], ["主动", "依申请"], ["依申请"], ["主动"]]
    return [
        item(d, n + 1, "最低生活保障" if n < 4 else "临时救助", f"公开事项{n + 1}",
             [f"要素{n + 1}甲", f"要素{n + 1}乙"], BASIS_DIBAO, TL_FORMED, channels,
             audiences[n % 4], modes[n % 4], ["县级", "乡级"] if n % 2 else ["乡级"])
        for n, (_text, channels) in enumerate(WRAPPED_CHANNELS)
    ]


# 公开对象 and 公开方式 as words in one column each, wrapped or not.
_AUDIENCE_WORDS = {("全社会",): "全社会", ("特定群体",): "特定\n群体",
                   ("全社会", "特定群体"): "全社会、特定群体"}
_MODE_WORDS = {("主动",): "主动公开", ("主动", "依申请"): "主动公开，依申请\n公开",
               ("依申请",): "依申请"}


Merges = list[tuple[int, int, int, int]]


def _wrapped_rows(items: list[CatalogItem]) -> tuple[list[list[str]], Merges]:
    head: Head = standard_head()
    words = [("公开对象", "公开对象"), ("公开方式", "公开方式")]
    at = [name for _, name in head].index("全社会")
    head[at:at + 4] = words
    body = []
    for it, (text, _channels) in zip(items, WRAPPED_CHANNELS, strict=True):
        cells = [str(it.seq), it.level1, it.level2, "、".join(it.elements), it.basis,
                 it.time_limit, it.subject, text, _AUDIENCE_WORDS[tuple(it.audience)],
                 _MODE_WORDS[tuple(it.mode)]]
        body.append(cells + ["√" if name in it.levels else "" for name in ("县级", "乡级")])
    return head_rows(head) + body, head_merges(head)


def build_xlsx_wrapped(folder: Path) -> Built:
    """Every wrapping of WRAPPED_CHANNELS; 公开对象/公开方式 as words in one column each."""
    d = "社会救助"
    items = _wrapped_items(d)
    rows, merges = _wrapped_rows(items)
    book = Workbook()
    title = [["城关镇社会救助领域基层政务公开标准目录"] + [""] * (len(rows[0]) - 1)]
    put_xlsx(book.active, 1, title + rows,
             [_across(0, len(rows[0]))] + [(r0 + 1, c0, r1 + 1, c1) for r0, c0, r1, c1 in merges])
    path = folder / "社会救助（换行）.xlsx"
    book.save(path)
    return Built(path, items, [d])


def build_docx_wrapped(folder: Path) -> Built:
    """The same wrapped cells in a Word table: soft line breaks, and one paragraph a line."""
    d = "社会救助"
    items = _wrapped_items(d)
    rows, merges = _wrapped_rows(items)
    document = docx.Document()
    document.add_paragraph("城关镇社会救助领域基层政务公开标准目录")
    put_docx(document, rows, merges)
    table = document.tables[0]
    for r in range(3, len(rows), 2):  # every other row: Enter, not Shift+Enter, in Word
        cell = table.cell(r, 7)
        lines = rows[r][7].split("\n")
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    path = folder / "社会救助（换行）.docx"
    document.save(path)
    return Built(path, items, [d])


def build_xlsx_shared_column(folder: Path) -> Built:
    """One-row header whose 公开对象 and 公开方式 are words in one column together."""
    d = "就业"
    items = [
        item(d, 1, "就业服务", "招聘信息", ["用人单位", "招聘岗位"], BASIS_JIUYE, TL_NOW,
             ["政府网站", "两微一端"], ["全社会"], ["主动"], ["县级", "乡级"]),
        item(d, 2, "就业援助", "援助对象认定", ["认定条件", "认定结果"], BASIS_JIUYE, TL_PUBLIC,
             [BOARD], ["特定群体"], ["主动", "依申请"], ["乡级"]),
        item(d, 3, "就业援助", "援助政策", ["援助对象", "援助内容"], BASIS_JIUYE, TL_FORMED,
             ["公开查阅点"], ["全社会", "特定群体"], ["依申请"], ["乡级"]),
    ]
    head = ["序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
            "公开渠道和载体", "公开对象及方式", "公开层级"]
    texts = [("政府网站，两微\n一端", "全社会、主动公开", "县级、乡级"),
             ("社区/企事业单位/村公示栏\n（电子屏）", "特定\n群体\n主动、依申请公开", "乡级"),
             ("公开查阅点", "全社会 特定群体 依申请 每月", "乡级")]
    body = [[str(it.seq), it.level1, it.level2, "、".join(it.elements), it.basis, it.time_limit,
             it.subject, channels, words, level]
            for it, (channels, words, level) in zip(items, texts, strict=True)]
    book = Workbook()
    put_xlsx(book.active, 1, [["城关镇就业领域基层政务公开标准目录"] + [""] * 9, head, *body],
             [_across(0, 10)])
    path = folder / "就业（对象方式一列）.xlsx"
    book.save(path)
    warning = ("工作表「Sheet」第5行的公开对象、公开方式中的“每月”对不上任何选项名称，"
               "未导入，请核对原表")
    return Built(path, items, [d], [warning])


#: A wrapped piece that matches no channel, and the warning the reader must give for it.
FRAGMENT = "(电子显示屏)"
FRAGMENT_WARNING = ("工作表「Sheet」第4行的公开渠道和载体中的“(电子显示屏)”对不上任何渠道名称，"
                    "未导入，请核对原表")


def build_xlsx_fragment(folder: Path) -> Built:
    """The reported wrapping with a bracket no channel ends in: a warning, not a channel."""
    d = "社会救助"
    it = item(d, 1, "最低生活保障", "审核信息", ["申请人姓名", "保障金额"], BASIS_DIBAO,
              TL_AUDIT, [BOARD], ["特定群体"], ["主动"], ["乡级"])
    head = standard_head()
    rows = [["城关镇社会救助领域基层政务公开标准目录"] + [""] * (len(head) - 1), *head_rows(head),
            row(it, "申请人姓名、保障金额", f"■社区/企事业单位/村公示栏\n{FRAGMENT}\n□政府网站")]
    book = Workbook()
    put_xlsx(book.active, 1, rows, [_across(0, len(head)), *head_merges(head, 1)])
    path = folder / "社会救助（残片）.xlsx"
    book.save(path)
    return Built(path, [it], [d], [FRAGMENT_WARNING])


def county_table(path: Path, items: list[CatalogItem], *, drop: tuple[str, ...] = (),
                 channels: dict[int, str] | None = None) -> Path:
    """A two-row county table of ``items`` without the columns ``drop`` names (sub-headers)."""
    head = standard_head()
    body = [row(it, "、".join(it.elements), (channels or {}).get(it.seq)
                   or boxes(it.channels)) for it in items]
    keep = [c for c, (_top, sub) in enumerate(head) if not any(d in sub for d in drop)]
    head = [head[c] for c in keep]
    body = [[cells[c] for c in keep] for cells in body]
    width = len(head)
    title = f"城关镇{items[0].domain}领域基层政务公开标准目录"
    book = Workbook()
    put_xlsx(book.active, 1, [[title] + [""] * (width - 1), *head_rows(head), *body],
             [(0, 0, 0, width - 1), *head_merges(head, 1)])
    book.save(path)
    return path


# --------------------------------------------------------------------------- bad files


def build_bad_files(folder: Path) -> dict[str, Path]:
    """Files the reader must refuse with a UserError, by what is wrong with them."""
    paths = {
        "corrupt": folder / "损坏.xlsx",
        "empty_docx": folder / "空白.docx",
        "text": folder / "目录.txt",
        "zero_bytes": folder / "零字节.xlsx",
        "no_catalog": folder / "会议通知.docx",
        "old_excel": folder / "旧目录.xls",
        "old_renamed": folder / "旧目录改名.xlsx",
        "password": folder / "加密目录.xlsx",
        "excel_named_docx": folder / "其实是表格.docx",
    }
    paths["corrupt"].write_bytes(random.Random(7).randbytes(4096))
    docx.Document().save(paths["empty_docx"])
    paths["text"].write_text("序号\t公开事项\t公开依据\n", encoding="utf-8")
    paths["zero_bytes"].write_bytes(b"")
    document = docx.Document()
    document.add_paragraph("关于召开政务公开工作会议的通知")
    put_docx(document, [["时间", "地点"], ["3月5日", "三楼会议室"]])
    document.save(paths["no_catalog"])
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    paths["old_excel"].write_bytes(ole + b"Workbook".ljust(512, b"\0"))
    paths["old_renamed"].write_bytes(ole + "Workbook".encode("utf-16-le").ljust(512, b"\0"))
    paths["password"].write_bytes(ole + "EncryptedPackage".encode("utf-16-le").ljust(512, b"\0"))
    book = Workbook()
    book.active["A1"] = "公开事项"
    book.save(paths["excel_named_docx"])
    return paths


ALL_BUILDERS = (
    build_xlsx_merged, build_xlsx_sheets, build_xlsx_one_row, build_xlsx_no_level,
    build_xlsx_level3, build_xlsx_channel_columns, build_docx_vmerge, build_docx_multi,
    build_docx_title_row, build_docx_spaced, build_docx_continued, build_xlsx_wrapped,
    build_docx_wrapped, build_xlsx_fragment, build_xlsx_shared_column,
)
