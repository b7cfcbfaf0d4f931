"""Our .docx files open in LibreOffice (headless) and convert to PDF without losing text.

This machine has no Chinese fonts, so LibreOffice draws boxes for the glyphs;
what matters here is that every paragraph, table cell and header survives
the trip, and that the layout (paper, one sheet for two handout copies) holds.
"""

import re
import shutil
import subprocess

import docx
import pytest
from tests_support import approve_step, libreoffice_to_pdf

from app.notices import drafts
from app.printing.output import PrintOptions, render_notice

pytestmark = [
    pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext")
                       is None, reason="scripts/setup-system installs LibreOffice"),
    pytest.mark.usefixtures("pinned_today"),
]
HANDOUT = """一、政策是什么：临时救助是对遭遇突发困难家庭的应急帮扶。
二、谁能享受：因火灾、交通事故、突发重病等导致基本生活暂时困难的家庭。
三、标准是多少：一般不超过当地月低保标准的6倍。
四、怎么办理：向镇人民政府或村（居）委会申请，急难情形可先行救助。
五、要带什么材料：身份证、户口簿、困难情况说明。
六、找谁咨询：镇社会事务办公室。"""


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(pdf) -> str:
    return squashed(subprocess.run(["pdftotext", str(pdf), "-"], check=True,
                                   capture_output=True, text=True).stdout)


def docx_texts(path) -> list[str]:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    # Paragraph by paragraph: the cells of a row sit side by side, so a cell's
    # lines need not come out of the PDF next to each other.
    texts += [p.text for t in document.tables for row in t.rows for c in row.cells
              for p in c.paragraphs]
    texts += [p.text for p in document.sections[0].header.paragraphs]
    return [squashed(t) for t in texts if t.strip()]


def test_long_roster_docx_converts_without_losing_text(township, tmp_path) -> None:
    rows = ["序号\t姓名\t所在村\t家庭人口\t拟保障金额"]
    rows += [f"{k}\t村民{k:03d}\t东山村\t{k % 5 + 1}\t{300 + k}元" for k in range(1, 501)]
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20",
                             body="现将名单公示如下：\n" + "\n".join(rows))
    word = tmp_path / "roster.docx"
    render_notice(township, n.id, word, PrintOptions(fmt="docx"))
    text = pdf_text(libreoffice_to_pdf(word, tmp_path))
    expected = docx_texts(word)
    assert len(expected) > 2500  # 501 rows of five cells, the paragraphs, the draft mark
    lost = [t for t in expected if t not in text]
    assert not lost, lost[:5]
    assert all(f"村民{k:03d}" in text for k in range(1, 501))


def test_a3_sheet_stays_a3(township, tmp_path) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(township, n.id, reviewer)
    word = tmp_path / "a3.docx"
    render_notice(township, n.id, word, PrintOptions(fmt="docx", paper="A3"))
    pdf = libreoffice_to_pdf(word, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 1190\.\d+", info), info
    assert not [t for t in docx_texts(word) if t not in pdf_text(pdf)]


def test_two_up_handout_docx_keeps_both_copies_on_one_sheet(township, tmp_path) -> None:
    n = drafts.create_notice(township, "shjz-004", kind="明白纸", body=HANDOUT)
    word = tmp_path / "two.docx"
    render_notice(township, n.id, word,
                  PrintOptions(fmt="docx", copies_per_sheet=2, qr_url="https://example.cn/x"))
    pdf = libreoffice_to_pdf(word, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(r"Pages:\s+1\n", info) and re.search(r"Page size:\s+841\.\d+ x 595\.\d+",
                                                          info), info
    text = pdf_text(pdf)
    assert text.count("一、政策是什么") == 2
    assert not [t for t in docx_texts(word) if t not in text]


def test_reply_letter_docx_converts_on_one_a4_page(township, tmp_path) -> None:
    from datetime import date

    from app.info_requests import cases, letters

    today = date(2026, 11, 23)
    request = cases.register(township, "张三", "自然人", "2026-10-09", "村道维修资金",
                             today=today)
    cases.answer(township, request.id, "不予公开", "保护第三方合法权益", "个人隐私",
                 "2026-11-02", today=today)
    word = tmp_path / "reply.docx"
    letters.render_letter(township, request.id, "答复书", word, PrintOptions("docx"))
    pdf = libreoffice_to_pdf(word, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(r"Pages:\s+1\n", info) and re.search(r"Page size:\s+595\.\d+ x 841\.\d+",
                                                          info), info
    expected = docx_texts(word)
    assert "公开会对第三方合法权益造成损害。具体情况：个人隐私。根据" in "".join(expected)
    # pdftotext drops a hyphen that ends a line ("2026-" / "001"): compare without them.
    text = pdf_text(pdf).replace("-", "")
    assert not [t for t in expected if t.replace("-", "") not in text]
