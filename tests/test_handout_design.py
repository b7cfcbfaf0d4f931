"""明白纸 laid out as the counties' examples are: tabs, flow boxes, a footer strip, one sheet.

The PDF is read back with pdfium: its path objects (bounds, fill colour,
curve segments) and the text inside given bounds, so each test checks what a
villager would see, not how the renderer meant it.
"""

import ctypes
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_support import libreoffice_to_pdf

from app.printing.fonts import bundled_faces
from app.printing.handout_docx import render_handout_docx
from app.printing.handout_pdf import render_handout_pdf
from app.printing.sheet import Sheet, split_body

URL = "https://www.example.gov.cn/qingshi/dibao-2026.html"
ACCENT = (168, 23, 23)
TINT = (252, 237, 232)
WHITE = (255, 255, 255)
STEPS = ("申请", "入户调查", "民主评议", "公示", "审批", "发放")
HEADINGS = ("一、政策是什么", "二、谁能享受", "三、标准是多少", "四、怎么办理", "五、要带什么材料",
            "六、找谁咨询")
BODY = f"""一、政策是什么：最低生活保障是对家庭人均收入低于当地标准的困难家庭按月发放的救助。
二、谁能享受：本镇户籍、共同生活的家庭成员人均收入低于每月700元且财产符合规定的家庭。
三、标准是多少：按家庭人均收入与保障标准的差额发放。
四、怎么办理：{"→".join(STEPS)}
五、要带什么材料：1. 户口簿 2. 身份证 3. 家庭收入和财产情况说明
六、找谁咨询：镇社会事务办公室。
监督电话：0551-62345678"""
LONG_STEPS = ("本人或委托他人向户籍所在地镇人民政府或村（居）民委员会提出书面申请",
              "镇人民政府组织入户调查、邻里访问和信息核对", "村民代表民主评议",
              "在村务公开栏公示7天", "县民政局审批", "按月打卡发放到户")
LONG = BODY.replace("→".join(STEPS), "\n".join(f"（{n}）{s}；" for n, s in
                                              enumerate(LONG_STEPS, 1)))


def sheet_of(body: str) -> Sheet:
    return Sheet("最低生活保障政策明白纸", split_body(body), "", "", "青石镇人民政府",
                 "2026年11月23日", draft=False, qr_caption="扫码查看网上版本")


@dataclass
class Shape:
    """A path on the page: PDF-space bounds (y upwards), fill colour, whether filled."""

    left: float
    bottom: float
    right: float
    top: float
    fill: tuple[int, int, int]
    filled: bool
    segments: int
    curves: int

    def holds(self, box: tuple[float, float, float, float], slack: float = 0.5) -> bool:
        left, bottom, right, top = box
        return (self.left - slack <= left and right <= self.right + slack
                and self.bottom - slack <= bottom and top <= self.top + slack)


def shapes(page) -> list[Shape]:
    found = []
    for obj in page.get_objects(max_depth=4):
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
        mode, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(mode), ctypes.byref(stroke))
        count = raw.FPDFPath_CountSegments(obj.raw)
        curves = sum(1 for i in range(count) if raw.FPDFPathSegment_GetType(
            raw.FPDFPath_GetPathSegment(obj.raw, i)) == raw.FPDF_SEGMENT_BEZIERTO)
        found.append(Shape(*obj.get_bounds(), (r.value, g.value, b.value), mode.value != 0,
                           count, curves))
    return found


def text_box(page, text: str, start: int = 0) -> tuple[float, float, float, float]:
    """The bounds of the first ``text`` on the page at or after character ``start``."""
    textpage = page.get_textpage()
    searcher = textpage.search(text, index=start)
    hit = searcher.get_next()
    assert hit, f"{text!r} not on the page"
    boxes = [textpage.get_charbox(i) for i in range(hit[0], hit[0] + hit[1])]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def inside(page, shape: Shape) -> str:
    return re.sub(r"\s+", "", page.get_textpage().get_text_bounded(
        shape.left, shape.bottom, shape.right, shape.top))


def step_boxes(page) -> list[Shape]:
    """Rounded tinted boxes other than the footer strip, top row first, left to right."""
    boxes = [s for s in shapes(page) if s.filled and s.fill == TINT and s.curves >= 8
             and "青石镇人民政府" not in inside(page, s)]
    return sorted(boxes, key=lambda s: (-round(s.top), s.left))


def render(tmp_path: Path, body: str = BODY, copies: int = 1, name: str = "h") -> Path:
    out = tmp_path / f"{name}.pdf"
    render_handout_pdf(sheet_of(body), out, copies, URL, faces=bundled_faces())
    return out


def test_headings_print_white_on_a_tab_of_the_accent_colour(tmp_path) -> None:
    page = pdfium.PdfDocument(render(tmp_path))[0]
    tabs = [s for s in shapes(page) if s.filled and s.fill == ACCENT and s.segments <= 6
            and s.top - s.bottom > 15]
    for heading in HEADINGS:
        box = text_box(page, heading)
        holding = [t for t in tabs if t.holds(box)]
        assert len(holding) == 1, heading
        assert inside(page, holding[0]) == heading  # the colon stays off the tab
    white = [o for o in page.get_objects() if o.type == raw.FPDF_PAGEOBJ_TEXT]
    colours = []
    for obj in white:
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
        colours.append((r.value, g.value, b.value))
    assert colours.count(WHITE) >= len(HEADINGS)


def test_arrowed_steps_are_numbered_boxes_left_to_right_with_arrows(tmp_path) -> None:
    page = pdfium.PdfDocument(render(tmp_path))[0]
    boxes = step_boxes(page)
    assert [inside(page, b) for b in boxes] == [f"{n}{s}" for n, s in enumerate(STEPS, 1)]
    rows = sorted({round(b.top) for b in boxes}, reverse=True)
    assert 1 <= len(rows) <= 2
    for row in rows:  # each row reads left to right, boxes not overlapping
        lefts = [b for b in boxes if round(b.top) == row]
        assert all(a.right < b.left for a, b in zip(lefts, lefts[1:], strict=False))
    # One arrowhead (a filled triangle) for each step after the first.
    heads = [s for s in shapes(page) if s.filled and s.fill == ACCENT and s.segments == 4
             and s.right - s.left < 12]
    assert len(heads) == len(STEPS) - 1
    # The numbered 材料 stay a list: no boxes for 户口簿.
    assert not [b for b in boxes if "户口簿" in inside(page, b)]


def test_long_numbered_steps_wrap_inside_their_boxes_on_one_page(tmp_path) -> None:
    pdf = render(tmp_path, LONG)
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1
    page = document[0]
    boxes = step_boxes(page)
    assert [inside(page, b) for b in boxes] == [f"{n}{s}" for n, s in enumerate(LONG_STEPS, 1)]
    width = page.get_width()
    assert all(20 < b.left and b.right < width - 20 for b in boxes)
    first = text_box(page, LONG_STEPS[0][:6])
    last = text_box(page, LONG_STEPS[0][-4:])
    assert last[3] < first[1], "the long first step wraps onto more lines of its box"


def test_footer_strip_holds_the_qr_code_and_the_phone_line(tmp_path) -> None:
    page = pdfium.PdfDocument(render(tmp_path))[0]
    strips = [s for s in shapes(page) if s.filled and s.fill == TINT
              and s.right - s.left > page.get_width() * 0.8]
    assert len(strips) == 1
    strip = strips[0]
    assert strip.bottom < 60, "the strip sits at the foot of the page"
    for text in ("监督电话：0551-62345678", "青石镇人民政府", "2026年11月23日", "扫码查看网上版本"):
        assert strip.holds(text_box(page, text)), text
    code = [s for s in shapes(page) if s.filled and s.fill == (0, 0, 0) and s.segments > 200]
    assert len(code) == 1 and strip.holds((code[0].left, code[0].bottom, code[0].right,
                                           code[0].top))
    # The phone line is the largest type in the strip, after nothing but the title.
    phone = text_box(page, "监督电话")
    issuer = text_box(page, "青石镇人民")
    assert phone[3] - phone[1] > (issuer[3] - issuer[1]) * 1.15
    # The phone written in the body moved to the strip: it prints once.
    assert page.get_textpage().get_text_range().count("0551-62345678") == 1


def test_two_a5_copies_each_have_their_own_strip_and_flow(tmp_path) -> None:
    document = pdfium.PdfDocument(render(tmp_path, LONG, copies=2))
    assert len(document) == 1
    page = document[0]
    half = page.get_width() / 2
    strips = [s for s in shapes(page) if s.filled and s.fill == TINT
              and s.right - s.left > half * 0.8]
    assert sorted(round(s.left) < half for s in strips) == [False, True]
    assert all(s.right < half or s.left > half for s in strips)
    boxes = step_boxes(page)
    assert len(boxes) == 2 * len(LONG_STEPS)
    assert all(b.right < half or b.left > half for b in boxes)


def _body_size(pdf: Path) -> float:
    page = pdfium.PdfDocument(pdf)[0]
    box = text_box(page, "户口簿")
    return box[3] - box[1]


def test_a_longer_handout_steps_its_type_down_to_stay_on_one_sheet(tmp_path) -> None:
    family = ("共同生活的家庭成员包括配偶、未成年子女、已成年但不能独立生活的子女"
              "以及其他共同居住的家庭成员。")
    more = LONG.replace("二、谁能享受：", "二、谁能享受：" + family * 4)
    for copies in (1, 2):
        short, long = (render(tmp_path, b, copies, f"{n}{copies}") for n, b in
                       (("s", LONG), ("l", more)))
        assert len(pdfium.PdfDocument(long)) == 1
        assert _body_size(long) < _body_size(short) * 0.97
        text = re.sub(r"\s+", "", pdfium.PdfDocument(long)[0].get_textpage().get_text_range())
        assert "已成年但不能独立生活的子女" in text and "监督电话：0551-62345678" in text


def test_a_handout_too_long_for_a4_runs_on_to_a_second_page_uncut(tmp_path) -> None:
    para = "本镇户籍、共同生活的家庭成员人均收入低于每月700元且财产符合规定的家庭。"
    body = LONG.replace("二、谁能享受：", "二、谁能享受：" + para * 40)
    pdf = render(tmp_path, body)
    document = pdfium.PdfDocument(pdf)
    assert len(document) >= 2
    text = "".join(re.sub(r"\s+", "", p.get_textpage().get_text_range()) for p in document)
    assert text.count("财产符合规定的家庭") == 41
    assert "监督电话：0551-62345678" in text and "青石镇人民政府" in text


# --- the same in Word -----------------------------------------------------------------------


def _cells(table) -> list:
    return [cell for row in table.rows for cell in row.cells]


def _shade(element) -> str:
    shd = element.find(".//" + qn("w:shd"))
    return "" if shd is None else shd.get(qn("w:fill"))


def test_docx_has_heading_tabs_a_flow_table_and_a_footer_strip(tmp_path) -> None:
    out = tmp_path / "h.docx"
    render_handout_docx(sheet_of(BODY), out, 1, URL)
    document = docx.Document(str(out))
    headings = [p for p in document.paragraphs if p.text.strip("\u3000") in HEADINGS]
    assert len(headings) == len(HEADINGS)
    for paragraph in headings:
        assert _shade(paragraph.runs[0]._element.rPr) == "A81717"
        assert paragraph.runs[0].font.color.rgb == docx.shared.RGBColor(0xFF, 0xFF, 0xFF)
    flow, footer = document.tables
    boxes = [c for c in _cells(flow) if c.text.strip() and c.text.strip() != "→"]
    assert [c.text for c in boxes] == [f"{n} {s}" for n, s in enumerate(STEPS, 1)]
    for box in boxes:
        borders = box._tc.tcPr.find(qn("w:tcBorders"))
        assert borders.find(qn("w:left")).get(qn("w:val")) == "single"
        assert _shade(box._tc.tcPr) == "FCEDE8"
    assert sum(c.text == "→" for c in _cells(flow)) == len(STEPS) - 2  # a row ends arrowless
    for row in flow.rows:  # box, arrow, box, ... in every row
        texts = [c.text for c in row.cells]
        assert all(t in ("→", "") for t in texts[1::2])
    strip = _cells(footer)
    assert all(_shade(c._tc.tcPr) == "FCEDE8" for c in strip)
    assert strip[0]._tc.findall(".//" + qn("a:blip")), "the QR code is in the strip"
    assert "监督电话：0551-62345678" in strip[1].text and "青石镇人民政府" in strip[1].text
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for c in _cells(t) for p in c.paragraphs for r in p.runs]
    assert all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="scripts/setup-system installs it")
@pytest.mark.parametrize("copies", [1, 2])
def test_docx_handout_stays_on_one_sheet_in_libreoffice(tmp_path, copies) -> None:
    out = tmp_path / f"h{copies}.docx"
    render_handout_docx(sheet_of(LONG), out, copies, URL)
    pdf = libreoffice_to_pdf(out, tmp_path)
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                                             capture_output=True, text=True).stdout)
    assert text.count("监督电话：0551-62345678") == copies
    assert text.count("县民政局审批") == copies


def _all_text(pdf: Path) -> str:
    return "".join(re.sub(r"\s+", "", p.get_textpage().get_text_range())
                   for p in pdfium.PdfDocument(pdf))


def test_many_steps_wrap_into_rows_and_a_huge_step_runs_on_as_numbered_lines(tmp_path) -> None:
    many = "四、怎么办理：" + "→".join(f"第{n}项审核" for n in range(1, 31))
    pdf = render(tmp_path, many, name="many")
    page = pdfium.PdfDocument(pdf)[0]
    assert len(pdfium.PdfDocument(pdf)) == 1
    boxes = step_boxes(page)
    assert [inside(page, b) for b in boxes] == [f"{n}第{n}项审核" for n in range(1, 31)]
    huge = "四、怎么办理：申请→" + "镇人民政府组织入户调查" * 300 + "→发放"
    pdf = render(tmp_path, huge, name="huge")
    document = pdfium.PdfDocument(pdf)
    assert len(document) >= 2
    first = re.sub(r"\s+", "", document[0].get_textpage().get_text_range())
    assert "四、怎么办理" in first and "1申请" in first  # the first page is not left blank
    text = _all_text(pdf)
    assert text.count("入户调查") == 300 and "3.发放" in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet="申请审核公示发放材料村镇https:/.→（）1234①②③第一二步；。\n ",
                        max_size=60), min_size=1, max_size=6), st.sampled_from([1, 2]))
def test_any_section_text_renders(tmp_path, texts, copies) -> None:
    body = "\n".join(f"{'一二三四五六'[n]}、怎么办理：{t}" for n, t in enumerate(texts))
    pdf = render(tmp_path, body, copies, name="fuzz")
    assert len(pdfium.PdfDocument(pdf)) >= 1
    printed = _all_text(pdf)
    for t in texts:  # every word of it prints, arrows and numbers aside
        for word in re.findall(r"[申请审核公示发放材料村镇]+", t):
            assert word in printed


def test_docx_two_up_too_long_for_its_half_is_refused_in_one_sentence(tmp_path) -> None:
    from app.errors import UserError

    huge = "四、怎么办理：申请→" + "镇人民政府组织入户调查" * 300 + "→发放"
    with pytest.raises(UserError, match="印不下两份"):
        render_handout_docx(sheet_of(huge), tmp_path / "two.docx", 2, URL)
    assert not (tmp_path / "two.docx").exists()
    render_handout_docx(sheet_of(huge), tmp_path / "one.docx", 1, URL)  # one-up runs on
    text = "".join(p.text for t in docx.Document(str(tmp_path / "one.docx")).tables
                   for row in t.rows for p in row.cells[0].paragraphs)
    assert text.count("入户调查") == 300


def test_steps_written_one_per_line_keep_the_words_around_them_in_place(tmp_path) -> None:
    body = BODY.replace("→".join(STEPS), "到镇便民服务中心办理。\n第一步：提交申请\n"
                        "第二步：入户调查\n第三步：领取补贴\n办理时限：20个工作日。")
    page = pdfium.PdfDocument(render(tmp_path, body))[0]
    boxes = step_boxes(page)
    assert [inside(page, b) for b in boxes] == ["1提交申请", "2入户调查", "3领取补贴"]
    lead, tail = text_box(page, "到镇便民服务中心办理。"), text_box(page, "办理时限：20个工作日。")
    assert lead[1] > boxes[0].top and tail[3] < boxes[0].bottom  # above and below the flow
    out = tmp_path / "lines.docx"
    render_handout_docx(sheet_of(body), out, 1, URL)
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert "到镇便民服务中心办理。" in texts and "办理时限：20个工作日。" in texts
    assert [c.text for c in _cells(document.tables[0]) if c.text.strip() not in ("", "→")] == [
        "1 提交申请", "2 入户调查", "3 领取补贴"]
