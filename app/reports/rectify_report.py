"""The 整改报告: what the township did about each problem on the county's lists, and when.

An editable DOCX in the house style of a township's report to the county
(title in 小标宋, body in 仿宋 三号, GB/T 9704's A4 margins): a paragraph of
figures, one table row per problem, and the township's 落款 with the date. A
problem fixed after its deadline says so in its row (逾期完成（超期N天）); one
not yet fixed reads 未完成, so the report never claims more than was done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell

from app import clock
from app.atomic import atomic_path, check_output
from app.errors import UserError
from app.planning.plan import check_year
from app.planning.rectify import Problem, list_problems
from app.printing.sheet import chinese_date
from app.printing.sheet_docx import FACES, add_run, add_title, official_a4_document
from app.store import Store
from app.township import get_township

BODY_PT = 16  # 三号, GB/T 9704's body text
TABLE_PT = 10.5  # 五号: seven columns on A4
TEXT_WIDTH_MM = 156  # A4 less GB/T 9704's margins (28 mm left, 26 mm right)
#: The table's columns and their widths in mm (A4 less 28 + 26 mm margins: 156 mm).
COLUMNS: tuple[tuple[str, float], ...] = (
    # A date of ten digits at 五号 needs 24 mm with narrow cell margins (in the wide
    # fallback faces of a PC without 仿宋), or it breaks at its dash.
    ("序号", 9), ("问题", 29), ("整改要求", 20), ("期限", 25), ("整改措施", 30),
    ("完成日期", 25), ("状态", 18),
)


@dataclass(frozen=True)
class RectifyReport:
    """What a written report holds, for the sentence after it and ``--json``."""

    path: Path
    year: int | None
    problems: int
    fixed: int
    late: int

    def to_json(self) -> dict[str, object]:
        """As JSON for ``rectify report --json``."""
        return {"path": str(self.path), "year": self.year, "problems": self.problems,
                "fixed": self.fixed, "late": self.late, "open": self.problems - self.fixed}

    def line(self) -> str:
        """The sentence after writing."""
        return (f"已写出整改报告到 {self.path}：共{self.problems}个问题，已完成整改{self.fixed}个"
                f"（其中逾期完成{self.late}个），未完成{self.problems - self.fixed}个。")


def report_title(township: str) -> str:
    """「青石镇关于政务公开测评问题整改情况的报告」."""
    return f"{township}关于政务公开测评问题整改情况的报告"


def state_words(p: Problem) -> str:
    """按期完成, 逾期完成（超期N天） or 未完成: the report's 状态 column."""
    if p.fix is None:
        return "未完成"
    return f"逾期完成（超期{p.late_days}天）" if p.fixed_late else "按期完成"


def _we(township: str) -> str:
    """How the township calls itself: 我镇, 我乡, 我街道."""
    for ending in ("街道", "镇", "乡"):
        if township.endswith(ending):
            return "我" + ending
    return "我单位"


def summary(problems: list[Problem], county: str, township: str = "") -> str:
    """The opening paragraph: where the problems came from and the figures."""
    titles = "、".join(dict.fromkeys(f"《{p.list_title}》" for p in problems))
    fixed = [p for p in problems if p.fix is not None]
    late = sum(p.fixed_late for p in fixed)
    source = f"{county}政务公开测评反馈的问题清单" if county else "上级政务公开测评反馈的问题清单"
    figures = (f"共{len(problems)}个问题，已完成整改{len(fixed)}个"
               + (f"（其中逾期完成{late}个）" if late else "（均按期完成）" if fixed else "")
               + f"，尚未完成{len(problems) - len(fixed)}个")
    return (f"根据{source}{titles}，{_we(township)}对照问题逐项制定措施、明确时限、"
            f"落实整改。{figures}。现将整改情况报告如下。")


def _paragraph(doc: DocxDocument, text: str, face: str, indent: bool = True,
               align: WD_ALIGN_PARAGRAPH | None = None) -> None:
    paragraph = doc.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    if align is not None:
        paragraph.alignment = align
    add_run(paragraph, text, face, BODY_PT)


def _write(cell: _Cell, text: str, header: bool = False, left: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = 1.0
    add_run(paragraph, text, FACES["heading" if header else "body"], TABLE_PT)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _narrow_margins(table: Table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "40")  # twentieths of a point: 0.7 mm
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    # Word wants tblPr's children in schema order: tblCellMar comes before tblLook.
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption",
                                           "w:tblDescription", "w:tblPrChange")


def _fix_text(p: Problem) -> str:
    fix = p.fix
    if fix is None:
        return "正在整改。"
    if not fix.evidence:
        return fix.action
    names = "、".join(e.get("name", "") for e in fix.evidence)
    return f"{fix.action}（佐证：{names}）"


def render_rectify_docx(problems: list[Problem], township: str, county: str, out: Path,
                        today: date) -> None:
    """Write the report of ``problems`` to ``out``, atomically."""
    doc = official_a4_document()

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(16)
    add_title(title, report_title(township), 22, Mm(TEXT_WIDTH_MM).pt)

    _paragraph(doc, f"{county}政务公开办公室：" if county else "县政务公开办公室：", FACES["body"],
               indent=False)
    _paragraph(doc, summary(problems, county, township), FACES["body"])

    table = doc.add_table(rows=1 + len(problems), cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _narrow_margins(table)
    for col, (_name, width) in enumerate(COLUMNS):
        table.columns[col].width = Mm(width)
    texts = [[name for name, _width in COLUMNS]] + [
        [str(n), p.problem, p.requirement or "—", p.deadline.isoformat(), _fix_text(p),
         p.fix.fixed_on.isoformat() if p.fix else "—", state_words(p)]
        for n, p in enumerate(problems, start=1)]
    # Row by row: python-docx's table.cell(r, c) walks the whole table each time, which
    # made a 500-problem report take four minutes.
    for n, (row, values) in enumerate(zip(table.rows, texts, strict=True)):
        row.height, row.height_rule = Mm(7), WD_ROW_HEIGHT_RULE.AT_LEAST
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if n == 0:
            # A table that runs onto the next page shows its header again there.
            properties.append(OxmlElement("w:tblHeader"))
        for col, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Mm(COLUMNS[col][1])
            _write(cell, text, header=n == 0, left=n > 0 and col in (1, 2, 4))

    doc.add_paragraph().paragraph_format.space_after = Pt(8)
    _paragraph(doc, f"{township}人民政府", FACES["body"], indent=False,
               align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, chinese_date(today), FACES["body"], indent=False,
               align=WD_ALIGN_PARAGRAPH.RIGHT)
    with atomic_path(out) as tmp:
        doc.save(tmp)


def check_report_target(out: Path) -> Path:
    """Refuse, before anything is read, a file name that is not a .docx or is a folder."""
    return check_output(out, "整改报告", "Word 文件", ".docx", short="报告")


def write_rectify_report(store: Store, out: Path, year: int | str | None = None,
                         today: date | None = None) -> RectifyReport:
    """Write the 整改报告 of the lists received in ``year`` (all lists when None) to ``out``.

    Refused (nothing written) without a township name or without a problem to report.
    """
    out = check_report_target(Path(out))
    today = today or clock.today()
    chosen = None if year is None else check_year(year, today)
    info = get_township(store)
    if not info.township:
        raise UserError("请先设置乡镇名称（gongkai init --township 名称 --county 名称），"
                        "报告标题要用到它。")
    problems = list_problems(store, chosen)
    if not problems:
        when = f"{chosen}年" if chosen else ""
        raise UserError(f"{when}还没有导入测评问题清单，没有可写入整改报告的问题。")
    render_rectify_docx(problems, info.township, info.county, out, today)
    fixed = [p for p in problems if p.fix is not None]
    return RectifyReport(out, chosen, len(problems), len(fixed), sum(p.fixed_late for p in fixed))
