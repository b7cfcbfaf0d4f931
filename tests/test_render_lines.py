"""Printed lines read back from the PDF: balanced titles, 避头尾, units never split.

The lines are rebuilt from PDFium's glyphs (same page, same baseline), so
what is checked is what prints, not what the line breaker meant to do.
"""

from __future__ import annotations

import ctypes
import random
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from test_request_letters import answered  # noqa: F401  (a fixture)
from tests_support import TITLES, approve_step

from app.notices import drafts
from app.printing.fonts import bundled_faces
from app.printing.handout_pdf import HALF, render_handout_pdf
from app.printing.linebreak import balance_title, rules
from app.printing.sheet import build_sheet
from app.printing.sheet_pdf import PAPERS, render_sheet_pdf
from app.printing.typeset import measure

pytestmark = pytest.mark.usefixtures("pinned_today")
NO_START, NO_END = rules().no_line_start, rules().no_line_end
FACES = bundled_faces()
#: Pieces that must never break, and the 明白纸 sentence once misprinted with 。 opening a line.
UNITS = ["〔2021〕57号）", "2026年11月20日", "0551-62345678", "1,260元", "3.5万元",
         "500元/月", "12.5%", "400-812-3456"]
PIECES = UNITS + ["（民发〔2021〕57号）", "户口簿、身份证、残疾证（有的提供）。",
                  "《最低生活保障审核确认办法》",
                  "经村（居）民委员会初审，", "家庭人均收入低于当地标准的，",
                  "请于“一网通办”申请；", "镇社会事务办公室", "按月发放。", "如有异议：",
                  "能否享受？", "可以！", "「低保」", "『特困』", "乡镇人民政府", "审核确认",
                  "并", "和", "的"]


def printed_lines(pdf: Path, size: float | None = None,
                  left_of: float = 1e9) -> list[tuple[str, float, float]]:
    """Each printed line as (text without spaces, left x, right x), page by page, top down.

    Read with PDFium (glyphs on one baseline of a page make a line); ``size``
    keeps only glyphs of that type size (a title's lines, say), ``left_of`` only
    those starting left of it (the left copy of a two-up sheet).
    """
    out = []
    document = pdfium.PdfDocument(pdf)
    for page in document:
        text_page = page.get_textpage()
        rows: dict[float, list[tuple[float, float, str]]] = defaultdict(list)
        x, y = ctypes.c_double(), ctypes.c_double()
        for index in range(text_page.count_chars()):
            if raw.FPDFText_IsGenerated(text_page.raw, index) == 1:
                continue
            char = chr(raw.FPDFText_GetUnicode(text_page.raw, index))
            if char.isspace() or size is not None and \
                    abs(raw.FPDFText_GetFontSize(text_page.raw, index) - size) > 0.1:
                continue
            raw.FPDFText_GetCharOrigin(text_page.raw, index, x, y)
            if x.value >= left_of:
                continue
            right = text_page.get_charbox(index)[2]
            rows[round(y.value, 1)].append((x.value, right, char))
        for baseline in sorted(rows, reverse=True):
            glyphs = sorted(rows[baseline])
            out.append(("".join(g[2] for g in glyphs), glyphs[0][0], glyphs[-1][1]))
    document.close()
    return out


def largest_size(pdf: Path) -> float:
    """The largest type size on page 1: a handout's title, after any stepping down to fit."""
    document = pdfium.PdfDocument(pdf)
    text_page = document[0].get_textpage()
    size = max(raw.FPDFText_GetFontSize(text_page.raw, i) for i in range(text_page.count_chars()))
    document.close()
    return size


def assert_kinsoku(lines: list[str]) -> None:
    """No line opens with a closing mark or ends with an opening one."""
    assert not [line for line in lines if line[0] in NO_START], [
        line for line in lines if line[0] in NO_START]
    assert not [line for line in lines if line[-1] in NO_END], [
        line for line in lines if line[-1] in NO_END]


def assert_units_whole(lines: list[str], body: str) -> None:
    """Every number, date, phone and amount of ``body`` prints within one line."""
    printed, joined = "\n".join(lines), "".join(lines)
    for unit in UNITS:
        assert body.count(unit) and printed.count(unit) == joined.count(unit) >= body.count(unit), \
            (unit, [line for line in lines if unit[:3] in line[-4:]])


def prose(seed: int, length: int) -> str:
    """A paragraph of ``length``-odd characters from PIECES, so stops land everywhere."""
    pick = random.Random(seed)
    text = ""
    while len(text) < length:
        filler = pick.choices("政策补贴资金发放名单公示", k=pick.randint(0, 5))
        text += pick.choice(PIECES) + "".join(filler)
    return text + "。"


def approved(store, kind: str, item: str, body: str) -> str:
    n = drafts.create_notice(store, item, kind=kind, formed="2026-11-20", body=body)
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(store, n.id, reviewer)
    return n.id


def check_title_lines(pdf: Path, title: str, size: float, width: float) -> None:
    lines = printed_lines(pdf, size)
    texts = [t for t, _, _ in lines]
    assert "".join(texts) == title, texts
    assert min(map(len, texts)) >= rules().title_min_chars, texts
    assert texts == balance_title(title, width, measure(FACES["title"], size)), texts
    if len(lines) > 1:  # balanced: widest and narrowest printed lines within 4 characters
        widths = [right - left for _, left, right in lines]
        assert max(widths) - min(widths) <= 4 * size, (texts, widths)


def test_titles_on_sheets_are_balanced(township, tmp_path) -> None:
    sheet = build_sheet(township, approved(township, "公示", "shjz-002", ""))
    paper = PAPERS["A4"]
    width = paper.size[0] - (28 + 26) * 72 / 25.4  # the text block; its frame has no padding
    for n, title in enumerate(TITLES):
        assert 15 <= len(title) <= 40
        pdf = tmp_path / f"t{n}.pdf"
        render_sheet_pdf(replace(sheet, title=title), pdf, faces=FACES)
        check_title_lines(pdf, title, paper.title_pt, width)


def test_titles_on_half_sheet_handouts_are_balanced(township, tmp_path) -> None:
    notice = approved(township, "明白纸", "shjz-004", "一、政策是什么：救助。")
    sheet = build_sheet(township, notice)
    width = HALF.size[0] - 2 * 12 * 72 / 25.4  # the copy's frame has no padding
    for n, title in enumerate(TITLES[:12]):
        pdf = tmp_path / f"h{n}.pdf"
        render_handout_pdf(replace(sheet, title=title), pdf, 2, faces=FACES)
        size = largest_size(pdf)  # the copy may step its type down to fit its half
        assert HALF.title_pt * 0.7 <= size <= HALF.title_pt
        left = printed_lines(pdf, size, left_of=HALF.size[0])
        both = printed_lines(pdf, size)
        assert len(both) == len(left)  # the right copy's lines sit on the same baselines
        texts = [t for t, _, _ in left]
        assert "".join(texts) == title and [t for t, _, _ in both] == [t * 2 for t in texts]
        assert min(map(len, texts)) >= rules().title_min_chars, texts
        assert texts == balance_title(title, width, measure(FACES["title"], size))


def test_a_200_line_handout_keeps_every_line_start_and_end(township, tmp_path) -> None:
    sections = "一二三四五六七八九十"
    body = "\n".join(f"{sections[k % 10]}、第{k + 1}项：{prose(k, 60 + 37 * (k % 7))}"
                     for k in range(40))
    pdf = tmp_path / "long.pdf"
    pages = render_handout_pdf(build_sheet(township, approved(township, "明白纸", "shjz-004",
                                                              body)), pdf, 1, faces=FACES)
    lines = [t for t, _, _ in printed_lines(pdf)]
    assert len(lines) >= 200 and pages > 3, (len(lines), pages)
    assert_kinsoku(lines)
    assert_units_whole(lines, body)


def test_a_20_page_roster_keeps_every_line_start_and_end(township, tmp_path) -> None:
    rows = ["序号\t姓名\t所在村\t家庭人口\t拟保障金额"]
    rows += [f"{k}\t村民{k:03d}\t东山村\t{k % 5 + 1}\t{300 + k}元" for k in range(1, 521)]
    before = "\n".join(prose(k, 120 + 29 * k) for k in range(6))
    after = "\n".join(prose(100 + k, 90 + 41 * k) for k in range(6))
    body = f"{before}\n现将初审对象名单公示如下：\n" + "\n".join(rows) + f"\n{after}"
    pdf = tmp_path / "roster.pdf"
    pages = render_sheet_pdf(build_sheet(township, approved(township, "公示", "shjz-002", body)),
                             pdf, faces=FACES)
    assert pages >= 20
    lines = [t for t, _, _ in printed_lines(pdf)]
    assert_kinsoku(lines)
    assert_units_whole(lines, body)


def test_docx_titles_break_where_the_pdf_does(township, tmp_path) -> None:
    import docx

    from app.printing.fonts import choose_faces
    from app.printing.handout_docx import render_handout_docx
    from app.printing.sheet_docx import render_sheet_docx

    sheet = build_sheet(township, approved(township, "公示", "shjz-002", ""))
    face = choose_faces()["title"]
    width = PAPERS["A4"].size[0] - (28 + 26) * 72 / 25.4 - 12
    for title in TITLES[:2]:
        out = tmp_path / "t.docx"
        render_sheet_docx(replace(sheet, title=title), out)
        paragraph = next(p for p in docx.Document(str(out)).paragraphs if p.text.startswith(
            title[:4]))
        expected = balance_title(title, width, measure(face, PAPERS["A4"].title_pt))
        assert len(expected) == 2 and paragraph.text.split("\n") == expected
        assert min(map(len, expected)) >= rules().title_min_chars
        render_handout_docx(replace(sheet, title=title), out, 2)
        texts = [p.text for p in docx.Document(str(out)).paragraphs if p.text.startswith(
            title[:4])]
        assert len(texts) == 2 and all("".join(t.split("\n")) == title for t in texts)
        assert all(min(map(len, t.split("\n"))) >= 3 for t in texts)


def test_a_request_letter_keeps_every_line_start_and_end(gk, answered, tmp_path) -> None:  # noqa: F811
    """The letters of 依申请公开 print through the sheet renderer, so the same rules hold."""
    pdf = tmp_path / "答复书.pdf"
    gk("request", "letter", answered, "答复书", "--out", str(pdf))
    lines = [t for t, _, _ in printed_lines(pdf)]
    assert len(lines) > 20
    assert_kinsoku(lines)
    assert [line for line in lines if "〔2026〕1号" in line]  # the letter's own 文号, whole
    assert all("".join(lines).count(u) == "\n".join(lines).count(u)
               for u in ("0551-62345678", "2026年11月6日", "〔2026〕1号"))
