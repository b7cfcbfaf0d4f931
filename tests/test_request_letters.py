"""The letters of a 依申请公开 case, through the real command line, read back from real files."""

from __future__ import annotations

import hashlib
import subprocess
import tomllib
from pathlib import Path

import pytest
from docx import Document
from test_info_requests import database_rows, refused, register

from app.errors import UserError
from app.facts import LETTER_KINDS, REQUEST_FILE_KINDS, REQUEST_OUTCOMES
from app.info_requests import cases, letters

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")


@pytest.fixture
def answered(gk) -> str:
    """A corrected request answered 部分公开 with its reason; returns its id."""
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    request_id = register(gk)["id"]
    gk("request", "correction", request_id, "--date", "2026-09-28")
    gk("request", "resume", request_id, "--date", "2026-10-12")
    gk("request", "answer", request_id, "--outcome", "部分公开",
       "--reason", "涉及个人身份证号码和银行账号的部分", "--date", "2026-11-06")
    return request_id


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler reads it, without line breaks or spaces."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return "".join(out.split())


def test_every_outcome_of_the_annual_report_has_its_own_reply_paragraph() -> None:
    """The template covers exactly the outcomes and cases of app.facts, no more, no fewer."""
    data = tomllib.loads(letters.LETTERS.read_text(encoding="utf-8"))
    keys = set(data["答复书"]["正文"])
    wanted = {c if not items else f"{c}/{i}" for c, items in REQUEST_OUTCOMES.items()
              for i in (items or (None,))}
    assert keys == wanted
    assert set(LETTER_KINDS) <= set(REQUEST_FILE_KINDS)
    for kind in LETTER_KINDS:
        assert data[kind]["title"].startswith("政府信息公开")


def test_reply_letter_is_drafted_from_the_register(gk, answered: str) -> None:
    letter = gk.json("request", "letter", answered, "答复书")
    assert letter["title"] == "政府信息公开申请答复书" and letter["addressee"] == "张三"
    assert not letter["edited"] and not letter["stale"] and letter["to_fill"] == []
    body = letter["body"]
    # The corrected request is named with both dates; the reason recorded goes in the letter.
    assert "2026年9月25日收到" in body and "2026年10月12日收到您补正后的申请" in body
    assert "2025年度最低生活保障资金发放明细" in body
    # The clerk's reason is a sentence of its own after the template's colon.
    assert "不予公开的部分及理由：涉及个人身份证号码和银行账号的部分。根据" in body
    assert "第三十七条" in body and "第十五条" in body  # 身份证号码, 银行账号: privacy
    assert body.endswith("附件：2025年度最低生活保障资金发放明细（区分处理后可以公开的部分）")
    assert "向东山县人民政府申请行政复议" in body and "六个月内" in body
    printed = gk("request", "letter", answered, "答复书").stdout
    assert printed.startswith("政府信息公开申请答复书\n（文号在存入案卷或生成正式文件时编定）"
                              "\n\n张三：\n")


def _day(text: str):
    from datetime import date
    return date.fromisoformat(text)


def test_letter_prints_to_pdf_and_word_with_the_township_as_issuer(gk, answered, tmp_path):
    pdf, docx = tmp_path / "答复书.pdf", tmp_path / "答复书.docx"
    said = gk("request", "letter", answered, "答复书", "--out", str(pdf)).stdout
    assert said.strip() == f"已生成答复书 {pdf}，共 2 页。"  # the seal and date on page 2
    text = pdf_text(pdf)
    for words in ("政府信息公开申请答复书", "青政依复〔2026〕1号", "张三：", "青石镇人民政府",
                  "2026年11月6日", "联系电话：0551-62345678", "特此告知。",
                  "附件：2025年度最低生活保障资金发放明细"):
        assert words in text, words
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)  # every face embedded
    gk("request", "letter", answered, "答复书", "--out", str(docx))
    paragraphs = [p.text for p in Document(str(docx)).paragraphs if p.text]
    assert paragraphs[:3] == ["政府信息公开申请答复书", "青政依复〔2026〕1号", "张三："]
    # The addressee line starts at the margin; the paragraphs after it are indented.
    first = Document(str(docx)).paragraphs
    addressee = next(p for p in first if p.text == "张三：")
    assert addressee.paragraph_format.first_line_indent is None
    assert paragraphs[-2:] == ["青石镇人民政府", "2026年11月6日"]


def test_kept_letter_is_in_the_case_file_with_its_hash(gk, answered, data_dir) -> None:
    said = gk("request", "letter", answered, "答复书", "--keep").stdout
    assert said.strip() == f"已把政府信息公开申请答复书存入 {answered} 的案卷。"
    shown = gk.json("request", "show", answered)
    kept = [f for f in shown["files"] if f["kind"] == "答复书"]
    assert len(kept) == 1 and kept[0]["name"] == f"政府信息公开申请答复书（{answered}）.pdf"
    stored = data_dir / kept[0]["path"]
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == kept[0]["sha256"]
    assert "不予公开的部分及理由：涉及个人身份证号码和银行账号的部分。" in pdf_text(stored)
    # The number given when the letter was kept is its own for good.
    assert shown["letter_numbers"] == {"答复书": "青政依复〔2026〕1号"}
    assert any(h["action"] == "request.attach" for h in shown["history"])


def test_edited_text_is_kept_and_printed(gk, answered, tmp_path) -> None:
    edited = tmp_path / "edit.txt"
    edited.write_text("您申请的低保资金发放明细已作区分处理，见附件。\n\n特此告知。\n",
                      encoding="utf-8")
    letter = gk.json("request", "letter", answered, "答复书", "--text-file", str(edited))
    # The text refers to an attachment: the 附件 line is added, with its name to write.
    assert letter["edited"] and letter["body"] == ("您申请的低保资金发放明细已作区分处理，见附件。"
                                                   "\n特此告知。\n附件：【附件名称】")
    assert letter["to_fill"] == ["【附件名称】"]
    edited.write_text(letter["body"].replace("【附件名称】", "低保资金发放明细"), encoding="utf-8")
    gk("request", "letter", answered, "答复书", "--text-file", str(edited))
    pdf = tmp_path / "edited.pdf"
    gk("request", "letter", answered, "答复书", "--out", str(pdf))
    assert "已作区分处理" in pdf_text(pdf) and "第三十七条" not in pdf_text(pdf)
    back = gk.json("request", "letter", answered, "答复书", "--reset")
    assert not back["edited"] and "第三十七条" in back["body"]


def test_a_letter_with_blanks_to_fill_is_not_kept(gk, data_dir) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县")
    request_id = register(gk)["id"]
    gk("request", "correction", request_id, "--date", "2026-09-28")
    letter = gk.json("request", "letter", request_id, "补正通知")
    assert letter["title"] == "政府信息公开申请补正通知书" and len(letter["to_fill"]) == 1
    before = database_rows(data_dir)
    line = refused(gk, "request", "letter", request_id, "补正通知", "--keep")
    assert line == f"文书里还有1处【】需要填写（{letter['to_fill'][0]}），填好后再存入案卷。"
    assert database_rows(data_dir) == before
    # Nor is it printed as the letter to send, unless asked for as a draft.
    final = data_dir.parent / "补正通知.pdf"
    line = refused(gk, "request", "letter", request_id, "补正通知", "--out", str(final))
    assert line.startswith("文书里还有1处【】需要填写（【请写明需要补正的事项")
    assert line.endswith("填好后才能另存为正式文书（只要草稿请加 --draft）。")
    assert not final.exists() and database_rows(data_dir) == before
    said = gk("request", "letter", request_id, "补正通知", "--out", str(final), "--draft").stdout
    assert said.strip() == f"已生成补正通知草稿 {final}，共 1 页（还有1处【】待填写）。"
    marked = pdf_text(final)
    assert "草稿：还有1处【】待填写（【请写明需要补正的事项" in marked
    assert "青政依复〔2026〕号" in marked  # a draft takes no number
    assert gk.json("request", "show", request_id)["letter_numbers"] == {}
    filled = data_dir.parent / "filled.txt"
    filled.write_text(letter["body"].replace(letter["to_fill"][0], "所需低保名单的年份和村名"),
                      encoding="utf-8")
    gk("request", "letter", request_id, "补正通知", "--text-file", str(filled), "--keep")
    files = gk.json("request", "show", request_id)["files"]
    assert [f["kind"] for f in files] == ["补正通知"]


def test_third_party_letter_goes_stale_when_the_register_changes(gk, data_dir) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县")
    request_id = register(gk)["id"]
    gk("request", "consult", request_id, "--party", "青石建材有限公司", "--date", "2026-10-09")
    letter = gk.json("request", "letter", request_id, "征求意见函")
    assert letter["addressee"] == "青石建材有限公司"
    # The letter to a third party never names the applicant.
    assert "张三" not in letter["body"]
    text = data_dir.parent / "consult.txt"
    text.write_text(letter["body"] + "\n联系人：王五", encoding="utf-8")
    gk("request", "letter", request_id, "征求意见函", "--text-file", str(text))
    gk("request", "consult", request_id, "--party", "东山运输公司", "--date", "2026-10-12")
    now = gk.json("request", "letter", request_id, "征求意见函")
    assert now["edited"] and now["stale"] and now["addressee"] == "东山运输公司"
    assert refused(gk, "request", "letter", request_id, "征求意见函", "--keep").startswith(
        "登记的办理情况在文书修改之后变了")


@pytest.mark.parametrize(("args", "message"), [
    (("答复书",), "这件申请还没有登记办理结果，请先登记答复（办理结果）。"),
    (("延期通知",), "这件申请还没有延期，请先登记延长的天数和批准人。"),
    (("告知书",), "文书只能是登记回执、补正通知、延期通知、征求意见函、答复书之一。"),
    (("答复书", "--out", "x.txt"), None),
])
def test_letters_the_register_has_no_facts_for_are_refused(gk, data_dir, args, message) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县")
    request_id = register(gk)["id"]
    if message is None:
        gk("request", "answer", request_id, "--outcome", "予以公开")
        message = "文书只能保存为 PDF 或 Word（.docx）文件，「x.txt」不是。"
    before = database_rows(data_dir)
    assert refused(gk, "request", "letter", request_id, *args) == message
    assert database_rows(data_dir) == before


def test_empty_or_overlong_text_is_refused(township) -> None:
    store = township
    request = cases.register(store, "张三", "自然人", "2026-10-09", "村道维修资金",
                             today=_day(TODAY))
    cases.answer(store, request.id, "予以公开", on="2026-11-02", today=_day(TODAY))
    for text, words in (("  \n ", "文书内容不能为空。"), ("字" * 5001, "文书太长了")):
        with pytest.raises(UserError, match=words):
            letters.save_letter(store, request.id, "答复书", text, _day(TODAY))
    assert store.scalar("SELECT COUNT(*) FROM request_letters") == 0
