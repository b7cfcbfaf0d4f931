"""What the 依申请公开 letters say: the articles each outcome cites, the clerk's words as
whole sentences, the register's fields in place of blanks, the 文号 and the 登记回执."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from test_info_requests import database_rows, refused, register
from tests_support import make_id

from app import paths
from app.facts import REQUEST_OUTCOMES
from app.info_requests import cases, letters

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")
DAY = date.fromisoformat(TODAY)

#: The articles of the 条例 (2019) each reply cites, besides 第五十一条 (复议/诉讼) that all
#: cite: written out here from the law, not read from the template.
ARTICLES: dict[str, set[str]] = {
    "予以公开": {"第三十六条第二项"},
    "部分公开": {"第三十六条第二项", "第三十六条第三项", "第三十七条"},
    "不予公开/属于国家秘密": {"第十四条", "第三十六条第三项"},
    "不予公开/其他法律行政法规禁止公开": {"第十四条", "第三十六条第三项"},
    "不予公开/危及“三安全一稳定”": {"第十四条", "第三十六条第三项"},
    "不予公开/保护第三方合法权益": {"第十五条", "第三十六条第三项"},
    "不予公开/属于三类内部事务信息": {"第十六条第一款", "第三十六条第三项"},
    "不予公开/属于四类过程性信息": {"第十六条第二款", "第三十六条第三项"},
    "不予公开/属于行政执法案卷": {"第十六条第二款", "第三十六条第三项"},
    "不予公开/属于行政查询事项": {"第三十六条第七项"},
    "无法提供/本机关不掌握相关政府信息": {"第三十六条第四项"},
    "无法提供/没有现成信息需要另行制作": {"第三十八条"},
    "无法提供/补正后申请内容仍不明确": {"第二十九条", "第三十条"},
    "不予处理/信访举报投诉类申请": {"第三十九条第一款"},
    "不予处理/重复申请": {"第三十六条第六项"},
    "不予处理/要求提供公开出版物": {"第三十九条第二款"},
    "不予处理/无正当理由大量反复申请": {"第三十五条"},
    "不予处理/要求行政机关确认或重新出具已获取信息": set(),
    "其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": {"第三十条"},
    "其他处理/申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请":
        {"第四十二条"},
    "其他处理/其他": set(),
}
#: Reasons as clerks type them: ending in nothing, a full stop, a comma, spread over lines.
REASONS = ("第3页予以公开", "涉及他人的家庭住址。", "见镇财政所的档案，", "  分两行\n写的理由；  ")
#: What may stand before and after a clerk's words that the template placed.
BEFORE, AFTER = set("：。；，“（\n"), set("。！？；，”（）\n")
_NUMERAL = "一二三四五六七八九十"
_TOKEN = re.compile(rf"第([{_NUMERAL}]+)(条|款|项)")


def cited(body: str) -> set[str]:
    """The articles a text cites: 第三十六条第二项、第三项和第三十七条 → three citations."""
    found: set[str] = set()
    article, bare, last_end = "", False, -1
    for match in _TOKEN.finditer(body):
        unit = match.group(2)
        if unit == "条":
            if bare:
                found.add(article)
            article, bare = match.group(0), True
        elif article and body[last_end:match.start()] in ("", "、", "和"):
            found.add(article + match.group(0))
            bare = False
        last_end = match.end()
    if bare:
        found.add(article)
    return found


def outcomes() -> list[tuple[str, str | None]]:
    """Every outcome and 具体情形 of the annual report."""
    return [(c, i) for c, items in REQUEST_OUTCOMES.items() for i in (items or (None,))]


def key(outcome: str, item: str | None) -> str:
    """The template's key of an outcome."""
    return f"{outcome}/{item}" if item else outcome


def answered(store, outcome: str, item: str | None, reason: str = "", **fields: str):
    """A request answered with ``outcome`` (a 补正 first where the outcome speaks of one)."""
    request = cases.register(store, "李四", "自然人", "2026-10-09", "村道维修资金。", today=DAY)
    if "补正" in (item or ""):
        cases.send_correction(store, request.id, "2026-10-12", today=DAY)
        if item == "补正后申请内容仍不明确":
            cases.resume(store, request.id, "2026-10-14", today=DAY)
    return cases.answer(store, request.id, outcome, item, reason, "2026-11-02", today=DAY,
                        **fields)


def assert_placed_as_a_sentence(body: str, words: str) -> None:
    """``words`` are in ``body``, each time after and before a punctuation mark."""
    at = body.find(words)
    assert at >= 0, (words, body)
    while at >= 0:
        end = at + len(words)
        assert at == 0 or body[at - 1] in BEFORE, body[max(0, at - 12):end + 2]
        assert end == len(body) or body[end] in AFTER, body[max(0, at - 2):end + 12]
        at = body.find(words, end)


def assert_punctuated(body: str) -> None:
    """Every paragraph closes its sentence; no mark follows another."""
    assert not re.search(r"[。，；：、][。，；：、]", body), body
    for line in body.splitlines():
        assert line.startswith("附件：") or line[-1] in "：。", line


@pytest.mark.parametrize(("outcome", "item"), outcomes(), ids=lambda v: str(v))
def test_each_reply_cites_the_articles_of_its_outcome(township, outcome, item) -> None:
    request = answered(township, outcome, item, "商业秘密" if item else "")
    body = letters.get_letter(township, request.id, "答复书", DAY).body
    assert cited(body) == ARTICLES[key(outcome, item)] | {"第五十一条"}, body
    assert_punctuated(body)


def test_the_table_above_covers_every_outcome() -> None:
    assert set(ARTICLES) == {key(c, i) for c, i in outcomes()}


@pytest.mark.parametrize("reason", REASONS)
@pytest.mark.parametrize(("outcome", "item"), outcomes(), ids=lambda v: str(v))
def test_the_clerks_reason_is_never_glued_onto_template_words(township, outcome, item,
                                                              reason) -> None:
    request = answered(township, outcome, item, reason)
    body = letters.get_letter(township, request.id, "答复书", DAY).body
    words = " ".join(reason.split()).strip("。，；：、 ")
    assert_placed_as_a_sentence(body, words)
    assert_placed_as_a_sentence(body, "村道维修资金")  # the content, quoted
    assert_punctuated(body)
    assert "予以公开依法" not in body  # the issue's 「…予以公开依法不予公开」


def test_partial_disclosure_of_private_data_cites_article_15(township) -> None:
    request = answered(township, "部分公开", None, "第4页涉及个人身份证号码")
    body = letters.get_letter(township, request.id, "答复书", DAY).body
    assert cited(body) == {"第三十六条第二项", "第三十六条第三项", "第三十七条", "第十五条",
                           "第五十一条"}
    assert "（见附件）" in body and body.endswith("附件：村道维修资金（区分处理后可以公开的部分）")


def test_information_held_by_another_office_is_article_36_item_5(township) -> None:
    request = answered(township, "无法提供", "本机关不掌握相关政府信息",
                       referred_to="东山县交通运输局，电话0551-61234567")
    body = letters.get_letter(township, request.id, "答复书", DAY).body
    assert cited(body) == {"第三十六条第五项", "第五十一条"}
    assert "联系方式：东山县交通运输局，电话0551-61234567。" in body
    assert_punctuated(body)


@pytest.mark.parametrize(("opinion", "said"), [
    ("不同意", "第三方于2026年10月20日书面答复不同意公开。"),
    ("同意", "第三方于2026年10月20日书面答复同意公开。"),
    (None, "第三方于2026年10月20日提出了意见：【同意或者不同意公开】。"),
])
def test_a_consulted_third_party_is_article_32_and_its_opinion(township, opinion, said) -> None:
    store = township
    request = cases.register(store, "李四", "自然人", "2026-10-09", "砂石厂排污许可", today=DAY)
    cases.consult(store, request.id, "青石建材有限公司", "2026-10-12", today=DAY)
    cases.resume(store, request.id, "2026-10-20", today=DAY, opinion=opinion)
    cases.answer(store, request.id, "不予公开", "保护第三方合法权益", "涉及企业的工艺参数",
                 "2026-11-02", today=DAY)
    body = letters.get_letter(store, request.id, "答复书", DAY).body
    assert cited(body) == {"第三十二条", "第十五条", "第三十六条第三项", "第五十一条"}
    assert said in body
    assert "青石建材有限公司" not in body  # the applicant's letter does not name the third party


def test_the_register_fields_round_trip_and_fill_the_letters(gk, data_dir) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    id_number = make_id("34010219800101301")
    new = register(gk, **{"id_number": id_number, "address": "青石镇东村12号",
                          "delivery": "邮寄"})
    assert (new["id_number"], new["address"], new["delivery"]) == (
        id_number, "青石镇东村12号", "邮寄")
    request_id = new["id"]
    gk("request", "correction", request_id, "--date", "2026-09-28",
       "--items", "请写明所需名单的年份和村名，")
    gk("request", "resume", request_id, "--date", "2026-10-12")
    gk("request", "consult", request_id, "--party", "王五", "--date", "2026-10-13")
    gk("request", "resume", request_id, "--date", "2026-10-20", "--opinion", "不同意")
    gk("request", "extend", request_id, "--approver", "李镇长", "--days", "10",
       "--reason", "需要到县档案馆调取原件", "--date", "2026-11-10")
    gk("request", "answer", request_id, "--outcome", "部分公开", "--reason",
       "王五的家庭住址", "--date", "2026-11-16")
    gk("request", "deliver", request_id, "--way", "邮寄", "--date", "2026-11-18")
    gk("request", "edit", request_id, "--address", "青石镇东村14号")
    shown = gk.json("request", "show", request_id)
    assert shown["id_number"] == id_number and shown["address"] == "青石镇东村14号"
    assert shown["delivery"] == "邮寄"
    assert shown["correction"]["items"] == "请写明所需名单的年份和村名，"
    assert shown["consultations"] == [{"third_party": "王五", "sent": "2026-10-13",
                                       "replied": "2026-10-20", "opinion": "不同意"}]
    assert shown["extension"]["reason"] == "需要到县档案馆调取原件"
    assert shown["served"] == {"on": "2026-11-18", "way": "邮寄"}
    assert [h["action"] for h in shown["history"]][-2:] == ["request.serve", "request.edit"]
    # The ID number stays in the register, not in the audit log.
    assert id_number not in str(shown["history"])

    correction = gk.json("request", "letter", request_id, "补正通知")
    assert correction["to_fill"] == []
    assert "请您对以下事项作出补正：请写明所需名单的年份和村名。\n请您自收到" in correction["body"]
    extension = gk.json("request", "letter", request_id, "延期通知")
    assert extension["to_fill"] == []
    assert "理由是：需要到县档案馆调取原件。\n根据" in extension["body"]
    reply = gk.json("request", "letter", request_id, "答复书")["body"]
    assert "第三方于2026年10月20日书面答复不同意公开。" in reply
    assert "第十五条" in reply and "本答复按您选择的邮寄方式送达。" in reply


@pytest.mark.parametrize(("args", "message"), [
    (("new", "--applicant", "张三", "--type", "自然人", "--received", "2026-09-25",
      "--content", "低保名单", "--id-number", "340102198001013010"),
     "身份证号码「340102198001013010」的校验位不对，请核对。"),
    (("deliver", "2026-001", "--way", "邮寄"), "2026-001 还没有登记答复，答复之后再登记送达。"),
    (("answer", "2026-001", "--outcome", "予以公开", "--referred-to", "县民政局"),
     "只有「本机关不掌握相关政府信息」才登记负责公开的机关。"),
])
def test_register_fields_that_do_not_fit_are_refused(gk, data_dir, args, message) -> None:
    register(gk)
    before = database_rows(data_dir)
    assert refused(gk, "request", *args) == message
    assert database_rows(data_dir) == before


def pdf_text(pdf: Path) -> str:
    """A PDF's text as PDFium reads it back, without spaces or line breaks."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return "".join("".join(page.get_textpage().get_text_range() for page in document).split())
    finally:
        document.close()


def test_the_registration_receipt_prints(gk, tmp_path) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    request_id = register(gk, delivery="电子邮件")["id"]
    receipt = tmp_path / "回执.pdf"
    said = gk("request", "letter", request_id, "登记回执", "--out", str(receipt)).stdout
    assert said.strip() == f"已生成登记回执 {receipt}，共 1 页。"
    text = pdf_text(receipt)
    for words in ("政府信息公开申请登记回执", "青政依复〔2026〕1号", "张三：",
                  "2026年9月25日收到您以当面方式提出的政府信息公开申请",
                  "登记编号为2026-001", "“2025年度最低生活保障资金发放明细”",
                  "20个工作日内，即2026年10月29日前作出答复", "按您选择的电子邮件方式",
                  "请致电0551-62345678", "青石镇人民政府", "2026年9月25日"):
        assert words in text, words
    assert text.count("0551-62345678") == 1  # the body gives the phone: no second line
    kept = gk("request", "letter", request_id, "登记回执", "--keep").stdout
    assert kept.strip() == f"已把政府信息公开申请登记回执存入 {request_id} 的案卷。"
    shown = gk.json("request", "show", request_id)
    assert [f["kind"] for f in shown["files"]] == ["登记回执"]
    assert shown["letter_numbers"] == {"登记回执": "青政依复〔2026〕1号"}


def test_numbers_are_given_once_per_year_and_never_again(township, data_dir) -> None:
    store = township
    assert letters.letter_prefix(store) == "青政依复"  # from 青石镇
    first = cases.register(store, "张三", "自然人", "2026-10-09", "低保名单", today=DAY)
    second = cases.register(store, "李四", "自然人", "2026-10-12", "危房改造名单", today=DAY)
    last_year = cases.register(store, "王五", "自然人", "2025-12-29", "救灾物资", today=DAY)
    assert letters.number_letter(store, first.id, "登记回执", 2026) == "青政依复〔2026〕1号"
    assert letters.number_letter(store, second.id, "登记回执", 2026) == "青政依复〔2026〕2号"
    assert letters.number_letter(store, last_year.id, "登记回执", 2025) == "青政依复〔2025〕1号"
    assert letters.set_letter_prefix(store, " 青政 依申 ") == "青政依申"
    # A letter asked for again keeps its number; the next one carries the new prefix.
    assert letters.number_letter(store, first.id, "登记回执", 2026) == "青政依复〔2026〕1号"
    assert letters.number_letter(store, first.id, "答复书", 2026) == "青政依申〔2026〕3号"
    conn = sqlite3.connect(paths.db_path(data_dir))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM letter_numbers")
    conn.close()
    assert letters.set_letter_prefix(store, "") == "青政依复"
