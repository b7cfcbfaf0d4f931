"""Print templates: shipped per kind, changed by a township without code, used everywhere."""

import re
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from tests_support import approve_step

from app.errors import UserError
from app.notices import drafts
from app.notices.templates import (
    default_templates,
    get_template,
    reset_template,
    set_template,
    township_changes,
)
from app.printing.output import PrintOptions, render_notice

pytestmark = pytest.mark.usefixtures("pinned_today")


def approved(store, body=None, kind="公示") -> str:
    n = drafts.create_notice(store, "shjz-002", kind=kind, formed="2026-11-20", body=body)
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(store, n.id, reviewer)
    return n.id


def pdf_text(pdf) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    return re.sub(r"\s+", "", out)


def test_every_kind_has_a_shipped_template() -> None:
    shipped = default_templates()
    assert set(shipped) == {"公告", "公示", "通知", "明白纸", "解读"}
    assert shipped["公示"].closing == "特此公示。"
    assert shipped["公告"].closing == "特此公告。"
    assert shipped["明白纸"].qr_caption
    assert all(t.paper == "A4" and t.phone_label for t in shipped.values())


def test_default_sheet_prints_closing_once_and_dates_in_the_publicity_sentence(
        township, tmp_path) -> None:
    out = tmp_path / "a.pdf"
    render_notice(township, approved(township), out, PrintOptions())
    text = pdf_text(out)
    assert text.count("特此公示。") == 1
    # The outline's "自张贴之日起5个工作日" becomes the real dates, printed once.
    assert "自张贴之日起" not in text
    assert text.count("公示期：2026年11月23日至2026年12月1日") == 1
    # A body that already says it does not get it twice.
    body = "现将名单公示如下：\n张三\n特此公示。"
    again = tmp_path / "b.pdf"
    render_notice(township, approved(township, body), again, PrintOptions())
    assert pdf_text(again).count("特此公示。") == 1


def test_township_heading_and_words_reach_pdf_and_docx(township, tmp_path) -> None:
    set_template(township, "公示", {"heading": "中共{乡镇名称}委员会 {乡镇名称}人民政府",
                                  "closing": "特此公示，欢迎监督。", "phone_label": "举报电话",
                                  "opening": "为接受群众监督，"})
    nid = approved(township, "名单如下：\n张三")
    pdf = tmp_path / "t.pdf"
    render_notice(township, nid, pdf, PrintOptions())
    text = pdf_text(pdf)
    assert text.startswith("中共青石镇委员会青石镇人民政府")
    for part in ("为接受群众监督，", "特此公示，欢迎监督。", "举报电话：0551-62345678"):
        assert part in text
    assert "特此公示。" not in text
    word = tmp_path / "t.docx"
    render_notice(township, nid, word, PrintOptions(fmt="docx"))
    paragraphs = docx.Document(str(word)).paragraphs
    head = paragraphs[0]
    assert head.text == "中共青石镇委员会 青石镇人民政府"
    assert str(head.runs[0].font.color.rgb) == "D91A1A"
    assert head._p.pPr.find(qn("w:pBdr")) is not None  # the red rule under it
    texts = [p.text for p in paragraphs]
    assert "举报电话：0551-62345678" in texts and "特此公示，欢迎监督。" in texts


def test_only_changed_fields_are_kept_and_reset_returns_to_default(township) -> None:
    set_template(township, "通知", {"closing": "特此通知，请相互转告。", "phone_label": "咨询电话"})
    # 咨询电话 is already the shipped label for 通知: not stored as a change.
    assert township_changes(township, "通知") == {"closing": "特此通知，请相互转告。"}
    assert get_template(township, "通知").closing == "特此通知，请相互转告。"
    assert get_template(township, "公告").closing == "特此公告。"  # other kinds untouched
    reset_template(township, "通知")
    assert get_template(township, "通知") == default_templates()["通知"]


@pytest.mark.parametrize(("kind", "changes", "says"), [
    ("公示", {"paper": "A5"}, "A4 或 A3"),
    ("公示", {"phone_label": " "}, "不能为空"),
    ("公示", {"heading": "长" * 41}, "最多40个字"),
    ("公示", {"colour": "红"}, "没有「colour」"),
    ("布告", {"closing": "特此布告。"}, "没有「布告」"),
])
def test_bad_changes_are_refused_and_change_nothing(township, kind, changes, says) -> None:
    set_template(township, "公示", {"closing": "特此公示！"})
    before = township.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(UserError, match=says):
        set_template(township, kind, {"closing": "改了", **changes})
    assert township_changes(township, "公示") == {"closing": "特此公示！"}
    assert township.scalar("SELECT count(*) FROM audit_log") == before


def test_template_paper_is_the_default_paper(township, tmp_path) -> None:
    set_template(township, "公示", {"paper": "A3"})
    out = tmp_path / "a3.pdf"
    render_notice(township, approved(township), out, PrintOptions())
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True,
                          text=True).stdout
    assert "841.89 x 1190.55" in info
    a4 = tmp_path / "a4.pdf"
    render_notice(township, approved(township), a4, PrintOptions(paper="A4"))
    assert "595.276 x 841.89" in subprocess.run(["pdfinfo", str(a4)], check=True,
                                                capture_output=True, text=True).stdout


def test_cli_template_show_set_reset(gk, tmp_path) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    shown = gk.json("template", "show", "公示", "--json")
    assert shown["closing"] == "特此公示。" and shown["kind"] == "公示"
    said = gk("template", "set", "公示", "--heading", "{乡镇名称}人民政府", "--phone-label",
              "举报电话")
    assert "{乡镇名称}人民政府（本乡镇）" in said.stdout
    n = gk.json("notice", "new", "--item", "shjz-002", "--formed", "2026-11-20")
    out = tmp_path / "n.pdf"
    gk("notice", "render", n["id"], "--out", str(out))
    assert pdf_text(out).startswith("青石镇人民政府青石镇关于")
    refused = gk("template", "set", "公示", "--paper", "A3", "--phone-label", "", check=False)
    assert refused.returncode == 1 and "电话名称不能为空" in refused.stderr
    assert gk.json("template", "show", "公示", "--json")["paper"] == "A4"
    gk("template", "reset", "公示")
    assert gk.json("template", "show", "公示", "--json")["heading"] == ""


def test_a_handout_drafted_from_its_outline_prints_its_sections(township, tmp_path) -> None:
    n = drafts.create_notice(township, "shjz-005", kind="明白纸", formed="2026-11-20")
    assert n.title == "最低生活保障办事指南明白纸"
    filled = {"一、政策是什么：": "对收入低于本地标准的困难家庭按月发放救助。",
              "二、谁能享受（办理条件）：": "本镇户籍、家庭人均收入低于每月700元。",
              "三、标准是多少（最低生活保障标准）：": "每人每月700元。",
              "四、怎么办理（办理事项、办理流程、办理时间和地点）：": "到镇便民服务中心申请。",
              "五、要带什么材料（申请材料）：": "户口簿、身份证。"}
    body = "\n".join(line + filled.get(line, "") for line in n.body.splitlines())
    drafts.edit_notice(township, n.id, body=body)
    assert drafts.check_notice(township, n.id).missing == []
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(township, n.id, reviewer)
    word = tmp_path / "h.docx"
    render_notice(township, n.id, word, PrintOptions(fmt="docx"))
    document = docx.Document(str(word))
    cells = [c for t in document.tables for row in t.rows for c in row.cells]
    texts = [p.text.strip("\u3000") for p in
             document.paragraphs + [p for c in cells for p in c.paragraphs]]
    for heading in filled:
        # The handout prints each section's heading on its own line (on its tab, no colon).
        assert heading.rstrip("：") in texts
    assert "六、找谁咨询（联系方式）" in texts and "青石镇人民政府" in texts
    assert texts.count("监督电话：0551-62345678") == 1  # in the footer strip, once
    pdf = tmp_path / "h.pdf"
    render_notice(township, n.id, pdf, PrintOptions())
    assert "每人每月700元。" in pdf_text(pdf) and "谁能享受（办理条件）" in pdf_text(pdf)
