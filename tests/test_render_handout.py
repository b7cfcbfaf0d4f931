"""明白纸 handouts: large type, a scannable QR code, two A5 copies on one A4 sheet."""

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from tests_support import HANDOUT_BODY, approve_step, assert_matches_reference

from app.notices import drafts
from app.printing.handout_docx import render_handout_docx
from app.printing.handout_pdf import render_handout_pdf
from app.printing.sheet import build_sheet
from app.township import set_township

pytestmark = [
    pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm")
                       is None, reason="scripts/setup-system installs the tools"),
    pytest.mark.usefixtures("pinned_today"),
]
URL = "https://www.example.gov.cn/qingshi/dibao-2026.html"


@pytest.fixture
def handout(store) -> str:
    set_township(store, "青石镇", "东山县", "0551-62345678")
    n = drafts.create_notice(store, "shjz-004", kind="明白纸", body=HANDOUT_BODY)
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(store, n.id, reviewer)
    return n.id


def page_text(pdf: Path) -> str:
    return re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                                             capture_output=True, text=True).stdout)


def scan(pdf: Path, tmp: Path) -> str:
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(tmp / "page")], check=True)
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp / "page.png")],
                         capture_output=True, text=True)
    return out.stdout.strip()


def test_one_up_handout_with_scannable_qr(store, handout, tmp_path) -> None:
    out = tmp_path / "handout.pdf"
    assert render_handout_pdf(build_sheet(store, handout), out, 1, URL) == 1
    text = page_text(out)
    for part in ("政策是什么", "谁能享受", "标准是多少", "怎么办理", "要带什么材料", "找谁咨询",
                 "监督电话：0551-62345678", "扫码查看网上版本"):
        assert part in text
    assert scan(out, tmp_path) == URL
    fonts = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(row.split()[-5:-3] == ["yes", "yes"] for row in fonts), fonts


def test_two_a5_copies_on_one_a4(store, handout, tmp_path) -> None:
    out = tmp_path / "two.pdf"
    assert render_handout_pdf(build_sheet(store, handout), out, 2, URL) == 1
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True,
                          text=True).stdout
    assert "841.89 x 595.2" in info  # A4 landscape, cut into two A5
    assert page_text(out).count("政策是什么") == 2
    assert scan(out, tmp_path).splitlines() == [URL, URL]  # one code on each copy


def test_cli_handout_two_up(gk, tmp_path) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县")
    body = tmp_path / "body.txt"
    body.write_text(HANDOUT_BODY, encoding="utf-8")
    n = gk.json("notice", "new", "--item", "shjz-004", "--kind", "明白纸", "--body-file",
                str(body))
    out = tmp_path / "h.pdf"
    said = gk("notice", "render", n["id"], "--out", str(out), "--copies-per-sheet", "2",
              "--qr-url", URL)
    assert "明白纸" in said.stdout and "草稿" in said.stdout
    assert scan(out, tmp_path).splitlines() == [URL, URL]


def docx_paragraphs(document) -> list:
    """Every paragraph of the body, table cells included, and of the header."""
    cells = [c for t in document.tables for row in t.rows for c in row.cells]
    return (document.paragraphs + [p for c in cells for p in c.paragraphs]
            + document.sections[0].header.paragraphs)


def test_handout_as_docx_with_the_same_qr(store, handout, tmp_path) -> None:
    out = tmp_path / "handout.docx"
    render_handout_docx(build_sheet(store, handout), out, 1, URL)
    document = docx.Document(str(out))
    texts = [p.text.strip("\u3000") for p in docx_paragraphs(document)]
    for heading in ("一、政策是什么", "二、谁能享受", "六、找谁咨询"):
        assert heading in texts
    assert "监督电话：0551-62345678" in texts
    assert "青石镇人民政府　2026年11月23日" in texts
    runs = [r for p in docx_paragraphs(document) for r in p.runs]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    pictures = [rel.target_part.blob for rel in document.part.rels.values()
                if "image" in rel.reltype]
    assert len(pictures) == 1
    (tmp_path / "qr.png").write_bytes(pictures[0])
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")],
                             capture_output=True, text=True).stdout.strip()
    assert scanned == URL


def test_two_up_docx_is_two_columns_on_landscape_a4(store, handout, tmp_path) -> None:
    out = tmp_path / "two.docx"
    render_handout_docx(build_sheet(store, handout), out, 2, "")
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    columns = section._sectPr.find(qn("w:cols"))
    assert columns.get(qn("w:num")) == "2" and columns.get(qn("w:sep")) == "1"
    texts = [p.text for p in document.paragraphs]
    assert texts.count("最低生活保障政策法规文件明白纸") == 2
    assert len(document.tables) == 2  # each copy's footer strip
    assert not [rel for rel in document.part.rels.values() if "image" in rel.reltype]
    breaks = document.element.body.findall(".//" + qn("w:br"))
    assert [b.get(qn("w:type")) for b in breaks] == ["column"]


@pytest.mark.parametrize("copies", [1, 2])
def test_handout_pages_match_reference_images(store, handout, tmp_path, copies) -> None:
    from app.printing.fonts import bundled_faces

    case = f"handout-{copies}up"
    pdf = tmp_path / f"{case}.pdf"
    render_handout_pdf(build_sheet(store, handout), pdf, copies, URL, faces=bundled_faces())
    assert_matches_reference(pdf, case, tmp_path)
