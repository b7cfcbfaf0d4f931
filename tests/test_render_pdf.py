"""Board sheets as PDF, read back with poppler's tools as a person would see them."""

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from tests_support import approve_step, assert_matches_reference

from app.notices import drafts
from app.notices.templates import set_template
from app.printing.fonts import bundled_faces
from app.printing.sheet import build_sheet, split_body
from app.printing.sheet_pdf import NO_LINE_START, render_sheet_pdf

pytestmark = [
    pytest.mark.skipif(shutil.which("pdftotext") is None,
                       reason="poppler-utils is installed by scripts/setup-system"),
    pytest.mark.usefixtures("pinned_today"),
]


def text_of(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def fonts_of(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def approved(store, body: str | None = None) -> str:
    n = drafts.create_notice(store, "shjz-002", formed="2026-11-20", body=body)
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(store, n.id, reviewer)
    return n.id


def roster(rows: int) -> str:
    lines = ["序号\t姓名\t所在村\t家庭人口\t拟保障金额"]
    lines += [f"{k}\t村民{k:03d}\t东山村\t{k % 5 + 1}\t{300 + k}元" for k in range(1, rows + 1)]
    return "现将初审对象名单公示如下：\n" + "\n".join(lines) + "\n公示期间如有异议，请实名反映。"


def test_one_page_sheet_has_everything_and_embeds_every_font(township, tmp_path) -> None:
    out = tmp_path / "sheet.pdf"
    assert render_sheet_pdf(build_sheet(township, approved(township)), out) == 1
    fonts = fonts_of(out)
    assert fonts and all(row[-5] == "yes" and row[-4] == "yes" for row in fonts), fonts
    text = re.sub(r"\s+", "", text_of(out))
    for part in ("青石镇关于最低生活保障审核信息的公示", "公示期：2026年11月23日至2026年12月1日",
                 "监督电话：0551-62345678", "青石镇人民政府", "2026年11月23日"):
        assert part in text


def reddish_pixels(pdf: Path, page: int, tmp: Path) -> int:
    """Pixels of the watermark's red tint on a page (the mark is drawn, not text to extract)."""
    stem = tmp / f"p{page}"
    subprocess.run(["pdftoppm", "-r", "20", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)
    _magic, _w, _h, _max, data = stem.with_suffix(".ppm").read_bytes().split(maxsplit=4)
    return sum(1 for i in range(0, len(data) - 2, 3)
               if data[i] > data[i + 1] + 25 and data[i] > data[i + 2] + 25)


def test_draft_carries_the_watermark_on_every_page(township, tmp_path) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20", body=roster(120))
    out = tmp_path / "draft.pdf"
    pages = render_sheet_pdf(build_sheet(township, n.id), out)
    assert pages > 1
    for page in range(1, pages + 1):
        assert reddish_pixels(out, page, tmp_path) > 200, page
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(township, n.id, reviewer)
    clean = tmp_path / "approved.pdf"
    render_sheet_pdf(build_sheet(township, n.id), clean)
    assert reddish_pixels(clean, 1, tmp_path) == 0


def test_long_roster_breaks_with_header_on_each_page(township, tmp_path) -> None:
    out = tmp_path / "roster.pdf"
    pages = render_sheet_pdf(build_sheet(township, approved(township, roster(500))), out)
    assert pages >= 10
    fonts = fonts_of(out)
    assert fonts and all(row[-5] == "yes" and row[-4] == "yes" for row in fonts), fonts
    text = text_of(out)
    assert all(f"村民{k:03d}" in text for k in range(1, 501))
    for page in range(1, pages + 1):
        page_text = text_of(out, page)
        if "村民" in page_text:
            assert "拟保障金额" in page_text, page  # header repeated
    rows = [line for line in text.splitlines() if "村民" in line]
    assert len(rows) == 500  # no row split across pages


def test_a3_is_larger(township, tmp_path) -> None:
    out = tmp_path / "a3.pdf"
    render_sheet_pdf(build_sheet(township, approved(township)), out, "A3")
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True,
                          text=True).stdout
    assert "841.89 x 1190.55" in info
    # On A3 this sheet's 公示期 sentence wraps just before a "，"; it must not open a line.
    lines = [line.strip() for line in text_of(out).splitlines() if line.strip()]
    assert not [line for line in lines if line[0] in NO_LINE_START], lines


def test_cli_render_and_refusals(gk, tmp_path) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    n = gk.json("notice", "new", "--item", "shjz-002", "--formed", "2026-11-20")
    out = tmp_path / "n.pdf"
    done = gk("notice", "render", n["id"], "--format", "pdf", "--out", str(out))
    assert "草稿" in done.stdout and out.exists()
    word = tmp_path / "n.docx"
    gk("notice", "render", n["id"], "--format", "docx", "--out", str(word))
    document = docx.Document(str(word))
    texts = [p.text for p in document.paragraphs]
    assert "青石镇关于最低生活保障审核信息的公示" in texts and "青石镇人民政府" in texts
    assert "草稿 未经审核" in document.sections[0].header.paragraphs[0].text
    runs = [r for p in document.paragraphs for r in p.runs]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    two_up = gk("notice", "render", n["id"], "--out", str(tmp_path / "x.pdf"),
                "--copies-per-sheet", "2", check=False)
    assert two_up.returncode == 1 and not (tmp_path / "x.pdf").exists()


def test_docx_table_repeats_its_header(township, tmp_path) -> None:
    from app.printing.sheet_docx import render_sheet_docx

    out = tmp_path / "roster.docx"
    render_sheet_docx(build_sheet(township, approved(township, roster(40))), out)
    table = docx.Document(str(out)).tables[0]
    assert len(table.rows) == 41 and table.rows[0].cells[1].text == "姓名"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_split_body_finds_tables() -> None:
    blocks = split_body("说明\n甲\t乙\n1\t2\n\n结尾\n单行\t无表")
    assert [b.text for b in blocks if not b.rows] == ["说明", "结尾", "单行  无表"]
    assert [b.rows for b in blocks if b.rows] == [[["甲", "乙"], ["1", "2"]]]


@pytest.mark.parametrize("case", ["approved-a4", "draft-roster-a4", "masthead-a3"])
def test_pages_match_reference_images(township, tmp_path, case) -> None:
    if case == "draft-roster-a4":
        n = drafts.create_notice(township, "shjz-002", formed="2026-11-20", body=roster(30))
        sheet = build_sheet(township, n.id)
    else:
        if case == "masthead-a3":
            set_template(township, "公示", {"heading": "中共{乡镇名称}委员会　{乡镇名称}人民政府"})
        sheet = build_sheet(township, approved(township))
    pdf = tmp_path / f"{case}.pdf"
    render_sheet_pdf(sheet, pdf, case[-2:].upper(), faces=bundled_faces())
    assert_matches_reference(pdf, case, tmp_path)
