"""Write the catalog as the standard county table, one domain per sheet (Excel) or part (Word).

The layout is the one counties publish, so a file written here can be sent to the
county, printed for the 公开栏, and read back by :mod:`app.catalog.table_reader` without
loss: the 目录编号 column carries each item's id through the round trip.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.run import Run
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.atomic import atomic_path
from app.catalog.item import CatalogItem
from app.errors import UserError
from app.facts import AUDIENCES, CHANNELS, LEVELS, MODES

MARK = "√"
_NOTHING = "没有可导出的目录事项，请先导入或添加目录后再导出。"

# (group header, sub header, relative width); group == sub means one cell merged down.
_Column = tuple[str, str, float]


def _columns(with_level3: bool) -> list[_Column]:
    items = ["一级事项", "二级事项"] + (["三级事项"] if with_level3 else [])
    single: list[tuple[str, float]] = [("公开内容（要素）", 24), ("公开依据", 24), ("公开时限", 16),
                                       ("公开主体", 10), ("公开渠道和载体", 20)]
    return (
        [("序号", "序号", 5)]
        + [("公开事项", name, 11) for name in items]
        + [(name, name, width) for name, width in single]
        + [("公开对象", name, 5) for name in AUDIENCES]
        + [("公开方式", name, 5) for name in MODES]
        + [("公开层级", name, 5) for name in LEVELS]
        + [("目录编号", "目录编号", 10)]
    )


def _merges(columns: list[_Column]) -> list[tuple[int, int, int, int]]:
    """(row, col, last row, last col) of the header merges, rows 0-1, cols 0-based."""
    merges = []
    col = 0
    while col < len(columns):
        group = columns[col][0]
        end = col
        while end + 1 < len(columns) and columns[end + 1][0] == group:
            end += 1
        merges.append((0, col, 0, end) if end > col else (0, col, 1, col))
        col = end + 1
    return merges


def _channels_text(channels: list[str]) -> str:
    lines = [("■" if name in channels else "□") + name for name in CHANNELS]
    return "\n".join(lines + ["■" + name for name in channels if name not in CHANNELS])


def _row(item: CatalogItem, with_level3: bool) -> list[str | int]:
    groups = ((item.audience, AUDIENCES), (item.mode, MODES), (item.levels, LEVELS))
    marks = [MARK if name in chosen else "" for chosen, names in groups for name in names]
    return [
        item.seq, item.level1, item.level2, *([item.level3] if with_level3 else []),
        "\n".join("●" + element for element in item.elements), item.basis, item.time_limit,
        item.subject, _channels_text(item.channels), *marks, item.id,
    ]


def _groups(items: list[CatalogItem], domains: list[str]) -> list[tuple[str, list[CatalogItem]]]:
    # Items of a domain missing from ``domains`` are still written (last), not dropped.
    order = list(dict.fromkeys([*domains, *(item.domain for item in items)]))
    groups = [(d, [item for item in items if item.domain == d]) for d in order]
    groups = [(d, its) for d, its in groups if its]
    if not groups:
        raise UserError(_NOTHING)
    return groups


def _title(title_prefix: str, domain: str) -> str:
    return f"{title_prefix}{domain}领域基层政务公开标准目录"


def _clean(value: str | int) -> str | int:
    # Control characters pasted from other programs make both formats unreadable.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


# --------------------------------------------------------------------------- Excel

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def write_catalog_xlsx(
    path: Path, items: list[CatalogItem], domains: list[str], title_prefix: str = ""
) -> None:
    """Write the catalog as an Excel workbook, one sheet per domain that has items."""
    book = Workbook()
    blank = book.active
    assert blank is not None  # a new workbook starts with one sheet
    book.remove(blank)
    used: set[str] = set()
    for domain, domain_items in _groups(items, domains):
        sheet = book.create_sheet(_sheet_name(domain, used))
        _fill_sheet(sheet, domain_items, _title(title_prefix, domain))
    with atomic_path(path) as tmp:
        book.save(tmp)


def _sheet_name(domain: str, used: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in domain)[:28] or "目录"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base}{n}"
    used.add(name.lower())
    return name


def _fill_sheet(sheet: Worksheet, items: list[CatalogItem], title: str) -> None:
    with_level3 = any(item.level3 for item in items)
    columns = _columns(with_level3)
    last = len(columns)
    sheet.cell(1, 1, title).font = Font(name="黑体", size=16, bold=True)
    sheet.cell(1, 1).alignment = _CENTER
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    sheet.row_dimensions[1].height = 36
    for col, (group, sub, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
        for row, text in ((2, group), (3, sub)):
            cell = sheet.cell(row, col, text)
            cell.font = Font(name="黑体", size=10, bold=True)
            cell.alignment = _CENTER
            cell.border = _BORDER
    for r0, c0, r1, c1 in _merges(columns):
        sheet.merge_cells(start_row=r0 + 2, start_column=c0 + 1, end_row=r1 + 2, end_column=c1 + 1)
    wide = {"一级事项", "二级事项", "三级事项", "公开内容（要素）", "公开依据", "公开时限",
            "公开主体", "公开渠道和载体"}
    for row, item in enumerate(items, start=4):
        for col, value in enumerate(_row(item, with_level3), start=1):
            cell = sheet.cell(row, col, _clean(value))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cell.font = Font(name="仿宋", size=10)
            cell.alignment = _LEFT if columns[col - 1][1] in wide else _CENTER
            cell.border = _BORDER
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "2:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    setup = sheet.sheet_properties.pageSetUpPr
    assert setup is not None  # WorksheetProperties always makes one
    setup.fitToPage = True


# --------------------------------------------------------------------------- Word

_BODY_FONT = "仿宋"
_HEAD_FONT = "黑体"


def write_catalog_docx(
    path: Path, items: list[CatalogItem], domains: list[str], title_prefix: str = ""
) -> None:
    """Write the catalog as a landscape A4 Word document: per domain a heading and a table."""
    groups = _groups(items, domains)
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.8)
    normal = document.styles["Normal"]
    normal.font.size = Pt(9)
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _BODY_FONT)
    usable = section.page_width - section.left_margin - section.right_margin
    for number, (domain, domain_items) in enumerate(groups):
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.paragraph_format.page_break_before = number > 0
        _font(heading.add_run(_title(title_prefix, domain)), _HEAD_FONT, 16, bold=True)
        _add_table(document, domain_items, usable)
    with atomic_path(path) as tmp:
        document.save(tmp)


def _font(run: Run, east_asian: str, size: float | None = None, bold: bool = False) -> None:
    # Word picks the CJK font from w:eastAsia only (the Latin one comes from Normal).
    # Size and bold are set only where they differ from Normal: 500 rows stay fast.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True


def _write_cell(cell: _Cell, text: str, header: bool, center: bool) -> None:
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    paragraph = cell.paragraphs[0].clear()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    if text:
        # One run; python-docx writes each "\n" as a line break (w:br) inside it.
        _font(paragraph.add_run(text), _HEAD_FONT if header else _BODY_FONT, bold=header)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _add_table(document: DocxDocument, items: list[CatalogItem], usable: int) -> None:
    with_level3 = any(item.level3 for item in items)
    columns = _columns(with_level3)
    total = sum(width for _, _, width in columns)
    widths = [int(usable * width / total) for _, _, width in columns]
    table = document.add_table(rows=2, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in enumerate(widths):
        table.columns[col].width = width
        for row in table.rows:
            row.cells[col].width = width  # before merging: a merge adds the widths up
    for r0, c0, r1, c1 in _merges(columns):
        table.cell(r0, c0).merge(table.cell(r1, c1))
    for col, (group, sub, _) in enumerate(columns):
        _write_cell(table.cell(0, col), group, header=True, center=True)
        if sub != group:
            _write_cell(table.cell(1, col), sub, header=True, center=True)
    for row in table.rows:
        # Repeat both header rows at the top of every printed page.
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    centered = {"序号", *AUDIENCES, *MODES, *LEVELS}
    for item in items:
        cells = table.add_row().cells
        for col, value in enumerate(_row(item, with_level3)):
            _write_cell(cells[col], str(_clean(value)), False, columns[col][1] in centered)
