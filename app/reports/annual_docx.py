"""The 政府信息公开工作年度报告 as an editable DOCX, laid out like 国办公开办函〔2021〕30号.

The clerk finishes the report in Word or WPS: the tables are filled in, and
the narrative sections hold a grey paragraph saying what to write there. The
tables keep the format's merged header cells, so the county's reader finds
every figure where the format puts it. Fonts are named as app/printing/sheet_docx.py
names them (w:eastAsia on every run).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell

from app.atomic import atomic_path, check_output
from app.errors import UserError
from app.facts import APPLICANT_TYPES, NOTICE_KINDS, REQUEST_OUTCOMES
from app.printing.sheet_docx import FACES, add_run, official_a4_document
from app.reports.annual_figures import (
    ACTIVE_GROUPS,
    APPLICANT_COLUMNS,
    BALANCE_NOTE,
    CARRIED_IN_LABEL,
    CARRIED_OUT_LABEL,
    CASE_COLUMNS,
    NEW_LABEL,
    RESULTS_LABEL,
    RESULTS_TOTAL_LABEL,
    SECTIONS,
    TOTAL,
    AnnualFigures,
    CaseCounts,
    Counts,
    annual_figures,
    check_balance,
    check_year,
    format_amount,
    item_label,
    outcome_label,
)
from app.store import Store

GREY = RGBColor(0x80, 0x80, 0x80)
BODY_PT = 16  # 三号, as GB/T 9704 sets body text
TABLE_PT = 9  # 小五: tables 三 and 四 have ten and fifteen columns
WIDE_TABLE_PT = 10.5  # 五号: table 二 and the notices have room for it
#: A4 text width with GB/T 9704's margins (28 mm left, 26 mm right).
TEXT_WIDTH_MM = 156

#: What the clerk is asked to write in each narrative section (grey, to be deleted).
PLACEHOLDERS: dict[str, str] = {
    SECTIONS[0]: "（请在此概述本年度政府信息公开工作的总体情况，一般按主动公开、依申请公开、"
                 "政府信息管理、平台建设、监督保障几方面，写明做了哪些工作、有哪些数据和成效；"
                 "可参考第二部分下方工作台记录的本年公开信息。写完后删去本段。）",
    SECTIONS[4]: "（请写上一年度报告所列问题的改进情况，本年度政府信息公开工作存在的主要问题，"
                 "以及下一步的改进措施。写完后删去本段。）",
    SECTIONS[5]: "（请写依据《政府信息公开信息处理费管理办法》收取信息处理费的情况：本年度发出"
                 "收费通知的件数和总金额、实际收取的总金额；本机关落实上级年度政务公开工作要点、"
                 "人大代表建议和政协提案办理结果公开等情况；以及其他需要报告的事项，没有的写"
                 "“无”。写完后删去本段。）",
}


#: What is left for the clerk once the report is written (第一、五、六部分 …).
REWRITE_NOTE = ("第" + "、".join(h.split("、", 1)[0] for h in SECTIONS if h in PLACEHOLDERS)
                + "部分的灰色段落请按提示改写")


def report_title(figures: AnnualFigures) -> str:
    """「青石镇人民政府2026年政府信息公开工作年度报告」."""
    return f"{figures.township}人民政府{figures.year}年政府信息公开工作年度报告"


# -- paragraphs and cells -----------------------------------------------------------------


def _paragraph(doc: DocxDocument, text: str, face: str, size: float = BODY_PT,
               grey: bool = False, keep_with_next: bool = False) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(2 * size)
    paragraph.paragraph_format.keep_with_next = keep_with_next
    add_run(paragraph, text, face, size)
    if grey:
        paragraph.runs[-1].font.color.rgb = GREY


def _heading(doc: DocxDocument, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    paragraph.paragraph_format.space_before = Pt(8)
    paragraph.paragraph_format.space_after = Pt(4)
    paragraph.paragraph_format.keep_with_next = True
    add_run(paragraph, text, FACES["heading"], BODY_PT)


def _write(cell: _Cell, text: str, header: bool = False, left: bool = False,
           grey: bool = False, size: float = TABLE_PT) -> None:
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    paragraph = cell.paragraphs[0]
    paragraph.clear()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = 1.0
    paragraph.paragraph_format.first_line_indent = Pt(0)
    add_run(paragraph, text, FACES["heading" if header else "body"], size)
    if grey:
        paragraph.runs[-1].font.color.rgb = GREY
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _table(doc: DocxDocument, rows: int, widths_mm: list[float], header_rows: int = 0,
           row_mm: float = 6.0, narrow: bool = False) -> Table:
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in enumerate(widths_mm):
        table.columns[col].width = Mm(width)
        for row in table.rows:
            row.cells[col].width = Mm(width)  # before merging: a merge adds the widths up
    if narrow:
        _narrow_margins(table)
    for n, row in enumerate(table.rows):
        row.height, row.height_rule = Mm(row_mm), WD_ROW_HEIGHT_RULE.AT_LEAST
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if n < header_rows:
            # A table that runs onto the next page shows its header again there.
            properties.append(OxmlElement("w:tblHeader"))
    return table


def _merge(table: Table, r0: int, c0: int, r1: int, c1: int) -> _Cell:
    return table.cell(r0, c0).merge(table.cell(r1, c1)) if (r0, c0) != (r1, c1) \
        else table.cell(r0, c0)


def _spacer(doc: DocxDocument) -> None:
    doc.add_paragraph().paragraph_format.space_after = Pt(4)


# -- the three tables ---------------------------------------------------------------------


def _active_table(doc: DocxDocument, figures: AnnualFigures) -> None:
    rows = sum(2 + len(group[3]) for group in ACTIVE_GROUPS)
    table = _table(doc, rows, [48, 36, 36, 36], row_mm=7)
    r = 0
    for article, columns, labels, names in ACTIVE_GROUPS:
        _write(_merge(table, r, 0, r, 3), article, header=True, size=WIDE_TABLE_PT)
        _write(table.cell(r + 1, 0), "信息内容", header=True, size=WIDE_TABLE_PT)
        # A group with one column stretches it over the three of the first group.
        spans = [(1, 3)] if len(labels) == 1 else [(c, c) for c in range(1, 4)]
        for (c0, c1), label in zip(spans, labels, strict=True):
            _write(_merge(table, r + 1, c0, r + 1, c1), label, header=True, size=WIDE_TABLE_PT)
        for k, name in enumerate(names):
            row = r + 2 + k
            _write(table.cell(row, 0), name, size=WIDE_TABLE_PT)
            for (c0, c1), column in zip(spans, columns, strict=True):
                value = figures.manual.active[f"{name}.{column}"]
                _write(_merge(table, row, c0, row, c1), format_amount(value),
                       size=WIDE_TABLE_PT)
        r += 2 + len(names)


def _notices_table(doc: DocxDocument, figures: AnnualFigures) -> None:
    kinds = list(NOTICE_KINDS)
    _paragraph(doc, f"以下是工作台记录的{figures.year}年主动公开信息（以首次张贴公开栏的日期计，"
               "张贴后撤回的仍计入），不属于年度报告格式的内容，供撰写时参考，定稿前请删去本段和"
               "下表。", FACES["sign"], 12, grey=True, keep_with_next=True)
    table = _table(doc, 2 + len(figures.notices), [48] + [108 / (len(kinds) + 1)] *
                   (len(kinds) + 1), header_rows=0, row_mm=5)
    for col, text in enumerate(["领域", *kinds, "合计"]):
        _write(table.cell(0, col), text, header=True, grey=True)
    for n, domain in enumerate(figures.notices, start=1):
        _write(table.cell(n, 0), domain.domain, grey=True)
        for col, value in enumerate([*domain.by_kind, domain.total], start=1):
            _write(table.cell(n, col), str(value), grey=True)
    totals = figures.notice_totals
    last = len(figures.notices) + 1
    _write(table.cell(last, 0), "合计", header=True, grey=True)
    for col, value in enumerate([*totals, sum(totals)], start=1):
        _write(table.cell(last, col), str(value), grey=True)
    # A reference, not a table of the format: it moves whole to the next page
    # rather than leave its first rows alone at the foot of this one.
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _request_rows(figures: AnnualFigures) -> list[tuple[str, str | None, str | None, Counts]]:
    """Table 三's body: (level-one label, level-two label, item label, counts)."""
    req = figures.requests
    rows: list[tuple[str, str | None, str | None, Counts]] = [
        (NEW_LABEL, None, None, req.new), (CARRIED_IN_LABEL, None, None, req.carried_in)]
    for category, items in REQUEST_OUTCOMES.items():
        for item in items or (None,):
            rows.append((RESULTS_LABEL, outcome_label(category),
                         item_label(category, item) if item else None,
                         req.outcome(category, item)))
    rows.append((RESULTS_LABEL, RESULTS_TOTAL_LABEL, None, req.results))
    rows.append((CARRIED_OUT_LABEL, None, None, req.carried_out))
    return rows


def _two_lines(name: str) -> str:
    """商业企业 → 商业/企业 in an 11 mm column, rather than 商业企/业."""
    return name if len(name) <= 3 else name[: (len(name) + 1) // 2] + "\n" + \
        name[(len(name) + 1) // 2:]


def _span(labels: Sequence[str | None], start: int) -> int:
    """The last row from ``start`` on that has the same label (a run to merge)."""
    end = start
    while end + 1 < len(labels) and labels[end + 1] == labels[start]:
        end += 1
    return end


def _requests_table(doc: DocxDocument, figures: AnnualFigures) -> None:
    body = _request_rows(figures)
    head = 3
    data_cols = len(APPLICANT_COLUMNS) + 1
    data_width = 11.0
    table = _table(doc, head + len(body), [17, 22, TEXT_WIDTH_MM - 39 - data_cols * data_width]
                   + [data_width] * data_cols, header_rows=head, row_mm=5.5, narrow=True)
    _write(_merge(table, 0, 0, head - 1, 2), BALANCE_NOTE, header=False)
    _write(_merge(table, 0, 3, 0, 3 + data_cols - 1), "申请人情况", header=True)
    _write(_merge(table, 1, 3, 2, 3), APPLICANT_TYPES[0], header=True)
    _write(_merge(table, 1, 4, 1, 3 + len(APPLICANT_COLUMNS) - 1), APPLICANT_TYPES[1],
           header=True)
    _write(_merge(table, 1, 3 + data_cols - 1, 2, 3 + data_cols - 1), TOTAL, header=True)
    for col, name in enumerate(APPLICANT_COLUMNS[1:], start=4):
        _write(table.cell(2, col), _two_lines(name), header=True)

    level1 = [row[0] for row in body]
    level2 = [row[1] for row in body]
    r = 0
    while r < len(body):
        end = _span(level1, r)
        if body[r][1] is None:  # 一、二、四: the label spans the three label columns
            _write(_merge(table, head + r, 0, head + end, 2), body[r][0], left=True)
        else:
            _write(_merge(table, head + r, 0, head + end, 0), body[r][0])
            s = r
            while s <= end:
                stop = _span(level2, s)
                if body[s][2] is None:  # an outcome counted whole: spans two columns
                    _write(_merge(table, head + s, 1, head + stop, 2), body[s][1] or "",
                           left=True)
                else:
                    # （三）above 不予公开: the narrow column would break the word.
                    _write(_merge(table, head + s, 1, head + stop, 1),
                           (body[s][1] or "").replace("）", "）\n", 1), left=True)
                    for k in range(s, stop + 1):
                        _write(table.cell(head + k, 2), body[k][2] or "", left=True)
                s = stop + 1
        r = end + 1
    for k, (_, _, _, counts) in enumerate(body):
        values = [*counts.values, counts.total]
        for col, value in enumerate(values, start=3):
            _write(table.cell(head + k, col), str(value))


def _cases_table(doc: DocxDocument, figures: AnnualFigures) -> None:
    leaf = (*CASE_COLUMNS, TOTAL)
    parts: list[CaseCounts] = [figures.manual.review, figures.manual.litigation_direct,
                               figures.manual.litigation_after_review]
    width = TEXT_WIDTH_MM / (len(leaf) * 3)
    table = _table(doc, 4, [width] * (len(leaf) * 3), header_rows=3, narrow=True)
    n = len(leaf)
    _write(_merge(table, 0, 0, 1, n - 1), "行政复议", header=True)
    _write(_merge(table, 0, n, 0, 3 * n - 1), "行政诉讼", header=True)
    _write(_merge(table, 1, n, 1, 2 * n - 1), "未经复议直接起诉", header=True)
    _write(_merge(table, 1, 2 * n, 1, 3 * n - 1), "复议后起诉", header=True)
    for p, counts in enumerate(parts):
        for k, column in enumerate(leaf):
            _write(table.cell(2, p * n + k), column, header=True)
            _write(table.cell(3, p * n + k), str(counts.get(column)))


def _narrow_margins(table: Table) -> None:
    # Ten or fifteen columns on A4: the default 1.9 mm side margins would leave
    # a 10 mm column room for one character per line.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "28")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    # Word wants tblPr's children in schema order: tblCellMar comes before tblLook.
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption",
                                           "w:tblDescription", "w:tblPrChange")


# -- the document -------------------------------------------------------------------------


def render_annual_docx(figures: AnnualFigures, out: Path) -> None:
    """Write the report (title, six sections, three tables) to ``out``, atomically.

    The caller has checked the balance (:func:`app.reports.annual_figures.check_balance`).
    """
    if not figures.township:
        raise UserError("请先设置乡镇名称（gongkai init --township 名称 --county 名称），"
                        "报告标题要用到它。")
    doc = official_a4_document()

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(16)
    add_run(title, f"{figures.township}人民政府", FACES["title"], 22)
    title.runs[-1].add_break()
    add_run(title, f"{figures.year}年政府信息公开工作年度报告", FACES["title"], 22)

    for heading in SECTIONS:
        _heading(doc, heading)
        if heading in PLACEHOLDERS:
            _paragraph(doc, PLACEHOLDERS[heading], FACES["sign"], grey=True)
        elif heading == SECTIONS[1]:
            _active_table(doc, figures)
            _spacer(doc)
            _notices_table(doc, figures)
        elif heading == SECTIONS[2]:
            _requests_table(doc, figures)
        else:
            _cases_table(doc, figures)
        _spacer(doc)

    with atomic_path(out) as tmp:
        doc.save(tmp)


def check_report_target(out: Path) -> Path:
    """Refuse, before anything is read, a file name that is not a .docx or is a folder."""
    return check_output(out, "年度报告", "Word 文件", ".docx", short="报告")


def write_annual_report(store: Store, year: str | int, out: Path,
                        today: date | None = None) -> AnnualFigures:
    """Check the year and the file name, read the figures and write the report to ``out``.

    An unbalanced year is refused (UserError, the sentence of
    :func:`app.reports.annual_figures.balance_problem`) and nothing is written. The
    command line and the GUI both write the report through here.
    """
    chosen = check_year(year, today)
    out = check_report_target(out)
    figures = annual_figures(store, chosen, today)
    check_balance(figures)
    render_annual_docx(figures, out)
    return figures


def written_line(figures: AnnualFigures, out: Path) -> str:
    """The sentence after writing: where the report is, and which paragraphs to rewrite."""
    so_far = "" if figures.complete else f"（本年度尚未结束，数字截至{figures.as_of.isoformat()}）"
    return (f"已写出{figures.year}年政府信息公开工作年度报告到 {out}{so_far}；"
            f"{REWRITE_NOTE}。")
