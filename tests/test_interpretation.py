"""政策解读: drafted in three forms, linked both ways, and 三同步 enforced (issue 20).

Real SQLite, the real ``gongkai`` command, the real county server on 127.0.0.1,
and the 台账 workbook read back with openpyxl.
"""

from __future__ import annotations

import sqlite3
import time
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from test_county_cli import county_process, serve_process  # noqa: F401  (fixture)
from test_sync_e2e import _county_answers, _staff_token, county_for
from tests_support import CONFIRMED, approve_step

from app.errors import UserError
from app.notices import boards, drafts, interpretation, review
from app.notices.text import INTERPRETATION, interpretation_elements
from app.reports.interpretation_sheet import SHEET_NAME, read_counts
from app.reports.ledger import LedgerFilter
from app.reports.ledger_view import export_view
from app.sync import exchange, outbox

pytestmark = pytest.mark.usefixtures("pinned_today")

GUIDE = tomllib.loads(INTERPRETATION.read_text(encoding="utf-8"))
ELEMENT_NAMES = [e["name"] for e in GUIDE["elements"]]
QUESTIONS = [q["question"] for q in GUIDE["questions"]]

#: A 文字 解读 of the 低保 公示, every 要素 written.
TEXT_BODY = """为便于群众了解最低生活保障政策，现将有关内容解读如下：
一、背景依据：依据《社会救助暂行办法》和省、市有关规定制定。
二、目标任务：保障困难群众基本生活。
三、主要内容：对家庭人均收入低于当地标准的家庭按月发放保障金。
四、适用范围：本镇户籍、家庭人均收入低于标准且财产符合规定的家庭。
五、执行标准：城乡低保标准为每人每月680元，按差额发放。
六、新旧变化：标准由每人每月650元提高到680元。
七、办理事项：向户籍所在地村（居）民委员会或镇人民政府提出申请，公示期：11月23日至11月29日。
八、咨询方式：咨询电话：0551-62345678"""


@pytest.fixture
def desk(township):
    """青石镇 with two review steps (初审, 审核) and a 低保 公示 marked 应解读."""
    review.set_review_steps(township, 2)
    parent = drafts.create_notice(township, "shjz-002", kind="公示")
    interpretation.set_interpret(township, parent.id, True)
    return township, parent.id


def _interpretation(store, parent_id: str, form: str = "文字", body: str | None = None):
    made = drafts.create_notice(store, None, kind="解读", explains=parent_id, form=form)
    if body is not None:
        drafts.edit_notice(store, made.id, body=body)
    return made.id


def _pass_all(store, notice_id: str) -> None:
    approve_step(store, notice_id, "王明")
    approve_step(store, notice_id, "李华")


def test_three_forms_follow_the_elements_kept_as_data(desk) -> None:
    store, parent = desk
    text = drafts.get_notice(store, _interpretation(store, parent, "文字"))
    assert text.title == "《青石镇关于最低生活保障审核信息的公示》政策解读"
    assert text.kind == "解读" and text.form == "文字" and text.item_id == "shjz-002"
    headings = [line.split("、", 1)[1].rstrip("：") for line in text.body.splitlines()[1:]
                if "、" in line]
    assert [h.split("：")[0] for h in headings] == ELEMENT_NAMES
    assert "咨询电话：0551-62345678" in text.body  # 咨询方式 written out, so covered
    assert drafts.check_notice(store, text.id).missing == [
        e for e in interpretation_elements("文字") if e != "咨询方式"]

    qa = drafts.get_notice(store, _interpretation(store, parent, "问答"))
    assert [line.split("：", 1)[1] for line in qa.body.splitlines() if line.startswith("问")] \
        == QUESTIONS
    assert drafts.check_notice(store, qa.id).missing == QUESTIONS[:-1]
    answered = qa.body.replace("答：\n问二", "答：月保障金按家庭人均收入差额发放。\n问二", 1)
    drafts.edit_notice(store, qa.id, body=answered)
    assert drafts.check_notice(store, qa.id).missing == QUESTIONS[1:-1]

    picture = drafts.get_notice(store, _interpretation(store, parent, "图解"))
    drawn = [e["name"] for e in GUIDE["elements"] if e.get("graphic")]
    assert [line.split("、", 1)[1].split("：")[0] for line in picture.body.splitlines()[1:]] \
        == drawn

    policy = drafts.create_notice(store, "shjz-004", kind="解读", form="文字",
                                  policy_title="《青石镇最低生活保障实施办法》",
                                  policy_number="青政发〔2026〕5号")
    assert policy.title == "《青石镇最低生活保障实施办法》政策解读"
    assert (policy.explains, policy.policy_number, policy.item_id) == (
        None, "青政发〔2026〕5号", "shjz-004")


def test_drafting_refuses_what_a_解读_cannot_be(desk) -> None:
    store, parent = desk
    with pytest.raises(UserError, match="所解读的公开信息"):
        drafts.create_notice(store, "shjz-002", kind="解读")
    with pytest.raises(UserError, match="解读形式"):
        drafts.create_notice(store, None, kind="解读", explains=parent, form="漫画")
    first = _interpretation(store, parent)
    with pytest.raises(UserError, match="不能再解读另一篇解读"):
        drafts.create_notice(store, None, kind="解读", explains=first)
    with pytest.raises(UserError, match="只有政策解读"):
        drafts.create_notice(store, "shjz-002", kind="公示", explains=parent)
    with pytest.raises(UserError, match="不超过100个字"):
        drafts.create_notice(store, "shjz-004", kind="解读", policy_title="办法" * 60)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=140), number=st.text(max_size=60),
       form=st.sampled_from(["文字", "问答", "图解", "", "x", "文字 "]))
def test_whatever_is_typed_for_a_policy_is_a_draft_or_one_sentence(township, title, number,
                                                                  form) -> None:
    try:
        made = drafts.create_notice(township, "shjz-004", kind="解读", form=form or None,
                                    policy_title=title, policy_number=number)
    except UserError as exc:
        assert exc.args[0].endswith("。") and "\n" not in exc.args[0]
    else:
        assert made.title.endswith("政策解读") and made.form in ("文字", "问答", "图解")
        assert made.policy_title == title.strip().strip("《》").strip()


def test_links_show_both_ways_with_the_county_url(gk, township) -> None:
    del township  # the CLI opens the same folder
    parent = gk.json("notice", "new", "--item", "shjz-002", "--kind", "公示")
    assert parent["interpret"] is False and parent["interpretations"] == []
    gk("notice", "interpret", parent["id"], "on")
    made = gk.json("notice", "new", "--item", "shjz-002", "--title", "低保审核政策解读",
                   "--kind", "解读", "--explains", parent["id"][:8], "--form", "问答")
    assert made["explains"]["id"] == parent["id"] and made["form"] == "问答"
    assert made["title"] == "低保审核政策解读"
    shown = gk.json("notice", "show", parent["id"])
    assert shown["interpret"] is True and shown["form"] is None
    assert shown["interpretations"] == [{"id": made["id"], "title": "低保审核政策解读",
                                         "status": "draft", "form": "问答", "county_url": None}]
    text = gk("notice", "show", made["id"]).stdout
    assert f"解读的是：{parent['id'][:8]}" in text
    bad = gk("notice", "new", "--kind", "解读", "--explains", "nosuchnotice", check=False)
    assert bad.returncode == 1 and "没有编号" in bad.stderr


def test_an_item_marked_应解读_marks_its_new_notices(gk, township) -> None:
    del township
    gk("catalog", "interpret", "shjz-002", "on")
    assert gk.json("notice", "new", "--item", "shjz-002")["interpret"] is True
    assert gk.json("notice", "new", "--item", "shjz-003")["interpret"] is False
    gk("catalog", "interpret", "shjz-002", "off")
    assert gk.json("notice", "new", "--item", "shjz-002")["interpret"] is False
    assert gk("catalog", "interpret", "no-such-item", "on", check=False).returncode == 1


def test_the_last_step_waits_for_the_解读(desk, gk) -> None:
    store, parent = desk
    approve_step(store, parent, "王明")
    with pytest.raises(UserError, match="还没有起草它的政策解读"):
        approve_step(store, parent, "李华")
    made = _interpretation(store, parent, body=TEXT_BODY)
    approve_step(store, made, "王明")
    refused = gk("notice", "approve", parent, "--reviewer", "李华", *CONFIRMED, check=False)
    assert refused.returncode == 1
    assert "政策解读「《青石镇关于最低生活保障审核信息的公示》政策解读」还是草稿（初审已通过）" \
        in refused.stderr and refused.stderr.count("。") == 1
    assert drafts.get_notice(store, parent).status == "draft"
    approve_step(store, made, "李华")
    assert gk("notice", "approve", parent, "--reviewer", "李华", *CONFIRMED).returncode == 0
    assert drafts.get_notice(store, parent).status == "approved"


def test_posting_one_without_the_other_warns(desk, gk) -> None:
    store, parent = desk
    made = _interpretation(store, parent, body=TEXT_BODY)
    _pass_all(store, made)
    _pass_all(store, parent)
    done = gk("notice", "post", parent, "--board", "镇政务公开栏")
    assert "注意：它的政策解读「" in done.stdout and "请一并张贴" in done.stdout
    assert drafts.get_notice(store, parent).status == "published"
    assert boards.post(store, made, "镇政务公开栏") == ""
    assert interpretation.post_warning(store, parent) == ""


def test_both_go_to_the_real_county_in_one_batch(desk, gk, serve_process,  # noqa: F811
                                                 monkeypatch) -> None:
    store, parent = desk
    made = _interpretation(store, parent, body=TEXT_BODY)
    other = drafts.create_notice(store, "shjz-003", kind="公示").id
    _pass_all(store, other)
    _pass_all(store, made)
    # The 解读 is ready first: it waits for what it explains.
    assert interpretation.sync_groups(store, [made, other]) == ([[other]], [made])
    db, base = county_for(serve_process, store, monkeypatch)
    with exchange.connect(store) as client:
        exchange.push(store, client)
    assert drafts.get_notice(store, made).sync == "queued"
    # The clerk sees why 待报送 did not move, on the page and with `sync status`.
    status = outbox.sync_status(store)
    assert status.queued == 1 and status.held == [{
        "id": made, "title": "《青石镇关于最低生活保障审核信息的公示》政策解读",
        "why": "等《青石镇关于最低生活保障审核信息的公示》审核通过后与它一同报送"
               "（政策文件与解读同步发布）"}]
    assert "held" not in status.to_json()  # the contract's shape stays as it is
    assert "暂不报送「《青石镇关于最低生活保障审核信息的公示》政策解读」：等《" in \
        gk("sync", "status").stdout
    _pass_all(store, parent)
    with exchange.connect(store) as client:
        report = exchange.push(store, client)
    assert report.notices == 2 and not outbox.pending_batches(store)
    assert outbox.sync_status(store).held == []
    with sqlite3.connect(db) as county:
        batches = dict(county.execute("SELECT notice_id, batch_id FROM notices").fetchall())
    assert batches[parent] == batches[made] != batches[other]
    # The county's URL of one shows on the other.
    staff = _staff_token(db)
    _county_answers(base, staff, parent, "published", "https://www.example.gov.cn/gk/9.html")
    with exchange.connect(store) as client:
        exchange.pull(store, client)
    assert drafts.get_notice(store, made).explains["county_url"] == \
        "https://www.example.gov.cn/gk/9.html"
    assert interpretation.graphic_content(store, made).qr_url == \
        "https://www.example.gov.cn/gk/9.html"


def test_graphic_content_reads_points_figures_and_phone(desk) -> None:
    store, parent = desk
    graphic = interpretation.graphic_content(store, _interpretation(store, parent,
                                                                    body=TEXT_BODY))
    assert [p[0] for p in graphic.points] == ELEMENT_NAMES
    figures = {f.value: f.label for f in graphic.figures}
    assert figures["680元"] == "每人每月" and "650元" in figures
    assert figures["11月23日至11月29日"] == "公示期"
    assert graphic.phone == "0551-62345678" and graphic.date == "2026年11月23日"
    assert graphic.subtitle == "《青石镇关于最低生活保障审核信息的公示》政策解读"
    qa = _interpretation(store, parent, "问答")
    body = drafts.get_notice(store, qa).body.replace(
        "问一：这项政策是什么？\n答：",
        "问一：这项政策是什么？\n答：按月发放的救助。\n每人每月680元。")
    drafts.edit_notice(store, qa, body=body)
    pairs = interpretation.graphic_content(store, qa)
    assert pairs.points[0] == ("这项政策是什么？", "按月发放的救助。 每人每月680元。")
    assert pairs.points[-1][0] == "有问题找谁？"
    with pytest.raises(UserError, match="只有政策解读"):
        interpretation.graphic_content(store, parent)


def test_the_ledger_counts_what_was_interpreted_and_when(desk, tmp_path) -> None:
    store, on_time = desk
    _pass_all(store, _interpretation(store, on_time, body=TEXT_BODY))
    _pass_all(store, on_time)
    never = drafts.create_notice(store, "shjz-002", kind="公示").id
    _pass_all(store, never)
    interpretation.set_interpret(store, never, True)  # marked after it passed, no 解读
    late = drafts.create_notice(store, "shjz-003", kind="公示").id
    _pass_all(store, late)
    interpretation.set_interpret(store, late, True)
    time.sleep(1.1)  # the 解读 passes a second later than its document did
    _pass_all(store, _interpretation(store, late, body=TEXT_BODY))
    drafts.create_notice(store, "shjz-002", kind="公示")  # not 应解读: not counted

    counts = read_counts(store, LedgerFilter(2026))
    assert [(c.domain, c.due, c.interpreted, c.on_time) for c in counts] == [
        ("社会救助", 3, 2, 1), ("合计", 3, 2, 1)]
    path = tmp_path / "台账.xlsx"
    export_view(store, path, LedgerFilter(2026))
    book = load_workbook(path)
    sheet = book[SHEET_NAME]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(k for k, r in enumerate(rows) if r[0] == "公开领域")
    line = rows[header + 1]
    assert line[:4] == ["社会救助", 3, 2, 1]
    assert line[4] == pytest.approx(2 / 3) and line[5] == pytest.approx(1 / 3)
    assert "关于最低生活保障审批（确认）信息的公示" in line[6]
    summary = [[c.value for c in row] for row in book["汇总"].iter_rows()]
    assert ["解读率", "66.7%"] in [r[:2] for r in summary]
    assert ["按时解读率", "33.3%"] in [r[:2] for r in summary]
    one = read_counts(store, LedgerFilter(2026, domain="公共资源配置"))
    assert [(c.domain, c.due) for c in one] == [("合计", 0)] and one[0].rate is None
    # A period with nothing 应解读 gets no empty sheet.
    export_view(store, path, LedgerFilter(2025))
    assert SHEET_NAME not in load_workbook(path).sheetnames


def test_a_解读_prints_without_a_公示期_of_its_own(desk, gk, tmp_path) -> None:
    import subprocess

    store, parent = desk
    made = _interpretation(store, parent, body=TEXT_BODY.replace(
        "，公示期：11月23日至11月29日", ""))
    out = tmp_path / "解读.pdf"
    gk("notice", "render", made, "--out", str(out))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "政策解读" in text and "背景依据" in text and "咨询电话" in text
    assert "公示期" not in text


def test_a_posted_解读_never_answers_its_item_in_the_plan(desk, gk) -> None:
    store, _parent = desk
    # fp-012 is reported once a year; its 2026 period is still open.
    made = drafts.create_notice(store, "fp-012", kind="解读", policy_title="青石镇帮扶办法")
    _pass_all(store, made.id)
    boards.post(store, made.id, "镇政务公开栏")
    entry = next(e for e in gk.json("plan", "--year", "2026")["entries"]
                 if e["item_id"] == "fp-012")
    assert (entry["status"], entry["notice_id"]) == ("open", None)
