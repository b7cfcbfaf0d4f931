"""名单 tables laid out from their cells, read back from the PDF (and the DOCX) as printed.

Characters and their boxes come from PDFium (pypdfium2), lines from
``pdftotext -layout``: a name split across lines shows as two lines there.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pypdfium2
import pytest
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.units import mm
from tests_support import approve_step, dibao_roster, dibao_rows

from app.notices import drafts
from app.printing import table_layout
from app.printing.fonts import BUNDLED, bundled_faces, choose_faces
from app.printing.output import PrintOptions, render_notice
from app.printing.sheet import Block, Sheet, build_sheet, split_body
from app.printing.sheet_docx import render_sheet_docx
from app.printing.sheet_pdf import PAPERS, plan_tables, render_sheet_pdf

pytestmark = [
    pytest.mark.skipif(shutil.which("pdftotext") is None,
                       reason="poppler-utils is installed by scripts/setup-system"),
    pytest.mark.usefixtures("pinned_today"),
]
A4_LANDSCAPE = "841.89 x 595.276"
FACES = bundled_faces()


def lines_of(pdf: Path, page: int | None = None) -> list[str]:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def page_chars(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's printed characters with their boxes (left, bottom, right, top) in points."""
    document = pypdfium2.PdfDocument(str(pdf))
    pages = []
    try:
        for n in range(len(document)):
            text = document[n].get_textpage()
            pages.append([(c, *text.get_charbox(i)) for i in range(text.count_chars())
                          if (c := text.get_text_range(i, 1)).strip()])
    finally:
        document.close()
    return pages


def page_size(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    return re.search(r"Page size:\s+([\d.]+ x [\d.]+)", info).group(1)


def sheet_of(body: str) -> Sheet:
    return Sheet("关于2026年11月新增最低生活保障对象的公示", split_body(body),
                 "公示期：2026年11月23日至2026年11月27日", "0551-62345678", "青石镇人民政府",
                 "2026年11月23日", draft=False, closing="特此公示。")


def assert_rows_whole(lines: list[str], rows: list[list[str]], columns: list[int]) -> None:
    """Every row's cells in ``columns`` stand whole, in order, on one printed line."""
    for row in rows:
        pattern = r"\s+".join(re.escape(row[c]) for c in columns)
        assert any(re.search(rf"(^|\s){pattern}(\s|$)", line) for line in lines), row


def test_seven_column_roster_keeps_names_phones_and_amounts_on_one_line(tmp_path) -> None:
    out, notes = tmp_path / "dibao.pdf", []
    pages = render_sheet_pdf(sheet_of(dibao_roster(40)), out, faces=FACES, notes=notes)
    assert notes == ["名单列较多，表格已缩小为小四号字。"]
    lines = [line for page in range(1, pages + 1) for line in lines_of(out, page)]
    rows = dibao_rows(40)
    assert any("欧阳" in r[1] for r in rows)  # a 4-character name is among them
    assert_rows_whole(lines, rows, list(range(7)))
    # Headers wrap only between words: 家庭/人口, 保障金额/（元/月）, never a character
    # a line; the one-line headers sit in the middle, between the two lines.
    head = next(n for n, line in enumerate(lines) if "身份证号码" in line)
    assert lines[head].split() == ["序号", "姓名", "身份证号码", "联系电话", "所在村"]
    assert lines[head - 1].split() == ["家庭", "保障金额"]
    assert lines[head + 1].split() == ["人口", "（元/月）"]


def test_the_masked_id_column_is_as_wide_as_its_numbers_and_no_wider() -> None:
    sheet = sheet_of(dibao_roster(40))
    layout = plan_tables(sheet, PAPERS["A4"], FACES).tables[0]
    id_width = table_layout.measure("110101********1001", FACES["body"], layout.size)
    name_width = table_layout.measure("欧阳志强", FACES["body"], layout.size)
    widths = layout.widths
    assert layout.size == 12 and layout.fits
    assert id_width < widths[2] - 2 * layout.padding < id_width + 0.2 * layout.size
    assert widths[1] - 2 * layout.padding >= name_width
    assert sum(widths) == pytest.approx(156 * mm)


def test_a_roster_that_fits_keeps_the_body_size_and_says_nothing(tmp_path) -> None:
    rows = "\n".join(f"{k}\t张桂兰\t青石村" for k in range(1, 6))
    notes: list[str] = []
    sheet = sheet_of(f"名单如下：\n序号\t姓名\t所在村\n{rows}")
    render_sheet_pdf(sheet, tmp_path / "small.pdf", faces=FACES, notes=notes)
    assert notes == [] and plan_tables(sheet, PAPERS["A4"], FACES).tables[0].size == 16


def test_five_row_roster_with_its_closing_fits_one_a4_page(township, tmp_path) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20", body=dibao_roster(5))
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(township, n.id, reviewer)
    out = tmp_path / "five.pdf"
    rendered = render_notice(township, n.id, out, PrintOptions())
    assert rendered.pages == 1 and rendered.notes == ("名单列较多，表格已缩小为小四号字。",)
    text = "".join("".join(line.split()) for line in lines_of(out))
    sheet = build_sheet(township, n.id)
    assert sheet.issuer in text and sheet.dated in text and "杨德胜" in text


#: Twenty two-character headers: too many for A4 upright even at 小四.
TWENTY = ("户主 人口 收入 田亩 房屋 住址 村组 电话 类别 金额 "
          "月份 备注 医疗 教育 住房 就业 残疾 年龄 性别 民族")


def twenty_columns(rows: int = 6) -> list[list[str]]:
    return [TWENTY.split()] + [[f"{r * c % 1000}" for c in range(1, 21)]
                               for r in range(1, rows + 1)]


def test_twenty_columns_turn_the_sheet_landscape_and_say_so(tmp_path) -> None:
    table = twenty_columns()
    sheet = sheet_of("名单如下：")
    sheet.blocks.append(Block(rows=table))
    out, notes = tmp_path / "wide.pdf", []
    render_sheet_pdf(sheet, out, faces=FACES, notes=notes)
    assert page_size(out) == A4_LANDSCAPE
    assert notes == ["名单列较多，已改为横向页面，表格用小四号字。"]
    lines = lines_of(out)
    assert any(line.split() == table[0] for line in lines)  # every header on one line
    assert_rows_whole(lines, table[1:], list(range(20)))


def test_too_many_columns_even_for_landscape_say_what_to_do(tmp_path) -> None:
    sheet = sheet_of("名单如下：")
    sheet.blocks.append(Block(rows=[[f"家庭成员姓名{k}" for k in range(30)],
                                    [f"110101********{k:04d}" for k in range(30)]]))
    notes: list[str] = []
    render_sheet_pdf(sheet, tmp_path / "too.pdf", faces=FACES, notes=notes)
    assert len(notes) == 1 and "分成几张表" in notes[0] and page_size(tmp_path / "too.pdf") \
        == A4_LANDSCAPE


@pytest.mark.parametrize("landscape", [False, True])
def test_text_stays_inside_the_gbt9704_text_block(tmp_path, landscape) -> None:
    sheet = sheet_of(dibao_roster(60) + "\n" + "公示期间接受群众监督，" * 30)
    if landscape:
        sheet.blocks.append(Block(rows=twenty_columns(30)))
    out = tmp_path / "block.pdf"
    pages = render_sheet_pdf(sheet, out, faces=FACES)
    width, height = (297 * mm, 210 * mm) if landscape else (210 * mm, 297 * mm)
    left, right, top, bottom = (37, 35, 26, 28) if landscape else (28, 26, 37, 35)
    assert page_size(out) == (A4_LANDSCAPE if landscape else "595.276 x 841.89")
    slack = 0.5
    for n, chars in enumerate(page_chars(out), 1):
        inside = [c for c in chars if c[2] >= bottom * mm - slack]
        footer = "".join(c[0] for c in chars if c[2] < bottom * mm - slack)
        assert footer == f"—{n}—", footer  # only the page number sits under the block
        assert all(left * mm - slack <= c[1] and c[3] <= width - right * mm + slack
                   for c in inside), n
        assert all(c[4] <= height - top * mm + slack for c in inside), n
    assert pages > 2


def test_no_page_holds_only_the_closing(tmp_path) -> None:
    # Row counts around each page break, so that some render just overflows.
    for count in range(26, 90, 3):
        out = tmp_path / f"r{count}.pdf"
        pages = render_sheet_pdf(sheet_of(dibao_roster(count)), out, faces=FACES)
        last = lines_of(out, pages)
        names = [r[1] for r in dibao_rows(count)]
        assert "特此公示。" in "".join(last[-8:]).replace(" ", "")
        assert sum(1 for line in last if any(name in line for name in names)) >= 2, count
        assert any("序号" in line for line in last), count  # the header came along too


def test_a_long_last_paragraph_brings_two_lines_with_the_closing(tmp_path) -> None:
    for count in range(18, 40, 2):
        body = "\n".join(["现将有关事项公示如下："] + [f"第{k}条，" + "按规定办理，" * 8
                                                     for k in range(count)])
        out = tmp_path / f"p{count}.pdf"
        pages = render_sheet_pdf(sheet_of(body), out, faces=FACES)
        last = lines_of(out, pages)
        closing = next(n for n, line in enumerate(last) if "公示期" in line)
        assert closing >= 2, (count, last[:4])  # at least two lines of body above it


def test_docx_takes_the_same_widths_and_turns_the_same_way(tmp_path) -> None:
    sheet = sheet_of(dibao_roster(12))
    word = tmp_path / "dibao.docx"
    notes: list[str] = []
    render_sheet_docx(sheet, word, notes=notes)
    layout = plan_tables(sheet, PAPERS["A4"], choose_faces()).tables[0]  # as the DOCX measures
    document = docx.Document(str(word))
    table = document.tables[0]
    expected = [round(w * 20) for w in layout.widths]
    assert [c.width.twips for c in table.columns] == expected
    assert all([c.width.twips for c in row.cells] == expected for row in table.rows)
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert table.rows[0].cells[5].text == "保障金额\n（元/月）"
    assert notes == ["名单列较多，表格已缩小为小四号字。"]
    section = document.sections[0]
    assert (round(section.left_margin.mm), round(section.top_margin.mm)) == (28, 37)

    sheet.blocks.append(Block(rows=twenty_columns()))
    render_sheet_docx(sheet, word)
    section = docx.Document(str(word)).sections[0]
    assert section.page_width > section.page_height
    assert (round(section.left_margin.mm), round(section.top_margin.mm)) == (37, 26)


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="scripts/setup-system installs LibreOffice")
def test_libreoffice_keeps_names_whole_in_our_docx(tmp_path) -> None:
    # LibreOffice is pointed at the bundled face under the official names, so
    # that it measures what the PDF measured (this machine has no Chinese fonts).
    conf = tmp_path / "fonts.conf"
    aliases = "".join(f'<alias binding="same"><family>{name}</family><prefer><family>'
                      "WenQuanYi Micro Hei</family></prefer></alias>"
                      for name in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"))
    conf.write_text('<?xml version="1.0"?><fontconfig><include ignore_missing="yes">'
                    f"/etc/fonts/fonts.conf</include><dir>{BUNDLED.parent}</dir>"
                    f"<cachedir>{tmp_path / 'fc'}</cachedir>{aliases}</fontconfig>",
                    encoding="utf-8")
    word = tmp_path / "dibao.docx"
    render_sheet_docx(sheet_of(dibao_roster(20)), word)
    profile = (tmp_path / "lo").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(word)],
                   check=True, capture_output=True, timeout=180,
                   env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    lines = lines_of(tmp_path / "dibao.pdf")
    assert_rows_whole(lines, dibao_rows(20), list(range(7)))


def test_pieces_break_only_where_a_reader_would() -> None:
    assert table_layout.pieces("保障金额（元/月）", header=True)[0] == ["保障", "金额", "（元/月）"]
    assert table_layout.pieces("身份证号码", header=True)[0] == ["身份证", "号码"]
    assert table_layout.pieces("所在村", header=True)[0] == ["所在村"]
    assert table_layout.pieces("欧阳志强")[0] == ["欧阳志强"]
    assert table_layout.pieces("110101********1234")[0] == ["110101********1234"]
    assert table_layout.pieces("1,260.00")[0] == ["1,260.00"]
    prose, is_prose = table_layout.pieces("因病致贫家庭成员长期患病")
    assert is_prose and len(prose) == 12
    assert table_layout.lines("保障金额（元/月）", FACES["heading"], 12, 60, header=True) == \
        ["保障金额", "（元/月）"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(st.sampled_from("张桂兰青石村0123456789*， （）"), max_size=12),
                         min_size=3, max_size=3), min_size=2, max_size=6))
def test_widths_fill_the_block_and_never_cut_a_piece(rows) -> None:
    body, head = FACES["body"], FACES["heading"]
    plan = table_layout.plan_sheet([rows], body, head, (16, 15, 14, 12), 156 * mm, 225 * mm)
    layout = plan.tables[0]
    assert sum(layout.widths) == pytest.approx(225 * mm if plan.landscape else 156 * mm)
    for c, width in enumerate(layout.widths):
        room = width - 2 * layout.padding
        for n, row in enumerate(rows):
            face = head if n == 0 else body
            assert table_layout.least(row[c], face, n == 0) * layout.size <= room + 0.01
