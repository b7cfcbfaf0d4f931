"""先审后发 as an assessor would question it: who approved which text, with which checklist."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from tests_support import CONFIRMED, approve_step, body_with_personal_data

from app.errors import UserError
from app.facts import REVIEW_CHECKLIST
from app.notices import actions, boards, drafts, review

pytestmark = pytest.mark.usefixtures("pinned_today")

ROSTER = ("一、初审对象名单：\n序号\t姓名\t家庭人口\t拟保障金额（元/月）\t所在村\n"
          "1\t张桂兰\t3\t1260\t东山村\n2\t李强\t2\t840\t西河村\n")


def _steps(store, notice_id):
    return [(r["step_name"], r["rev"], r["valid"]) for r in review.review_history(store, notice_id)
            if r["outcome"] == "passed"]


def test_a_step_passed_on_one_revision_does_not_count_after_the_next(township) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")
    approve_step(township, n.id, "王明")
    assert review.review_state(township, n.id).next_step == "审核"
    drafts.edit_notice(township, n.id, body=n.body + "\n" + ROSTER)  # the 名单 pasted: rev 2
    state = review.review_state(township, n.id)
    assert state.next_step == "初审" and state.passed == []
    assert "初审需重新审核（通过的是第1版，之后已改为第2版）" in state.summary()
    assert _steps(township, n.id) == [("初审", 1, False)]
    # The next step is 初审 again, on the text as it is now.
    assert approve_step(township, n.id, "王明").step == "初审"
    assert _steps(township, n.id) == [("初审", 1, False), ("初审", 2, True)]


def test_masking_after_a_step_voids_it_too(township) -> None:
    body, _secrets = body_with_personal_data()
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20", body=body)
    with pytest.raises(UserError, match="个人信息未遮盖"):
        approve_step(township, n.id, "王明")
    drafts.mask_notice(township, n.id)
    approve_step(township, n.id, "王明")
    drafts.edit_notice(township, n.id, title="青石镇2026年第四季度低保审核信息公示")
    assert review.review_state(township, n.id).passed == []


def test_an_edit_of_an_approved_notice_sends_it_back_and_voids_every_step(township) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(township, n.id, reviewer)
    assert drafts.get_notice(township, n.id).status == "approved"
    drafts.edit_notice(township, n.id, body=n.body + ROSTER)
    assert drafts.get_notice(township, n.id).status == "draft"
    assert [v for _s, _r, v in _steps(township, n.id)] == [False, False, False]
    assert review.review_state(township, n.id).next_step == "初审"


def test_one_person_cannot_pass_two_steps_of_a_round(township) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")
    approve_step(township, n.id, "王明")
    with pytest.raises(UserError, match="「王明」已审过本轮的初审"):
        approve_step(township, n.id, "王明")
    approve_step(township, n.id, "李华")
    # A township with one reviewer says so, and then one person may pass every step.
    review.set_reviewers(township, {}, one=True)
    assert approve_step(township, n.id, "李华").approved


def test_where_the_township_names_reviewers_only_they_pass_their_step(township) -> None:
    review.set_reviewers(township, {"初审": ["王明"], "审核": ["李华", "周敏"], "审发": ["赵强"]})
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")
    with pytest.raises(UserError, match="「李华」不是设置中「初审」的审核人（王明）"):
        approve_step(township, n.id, "李华")
    approve_step(township, n.id, "王明")
    approve_step(township, n.id, "周敏")
    with pytest.raises(UserError, match="审发"):
        approve_step(township, n.id, "周敏")
    assert approve_step(township, n.id, "赵强").approved


def test_the_checklist_is_answered_never_presumed(township) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20",
                             body="根据有关规定，现公示如下：\n" + ROSTER)
    everything = "、".join(REVIEW_CHECKLIST)
    with pytest.raises(UserError, match=f"以下核对项未确认：{everything}"):
        review.approve(township, n.id, "王明")
    with pytest.raises(UserError, match="未确认：表述准确"):
        review.approve(township, n.id, "王明",
                       checked=[c for c in REVIEW_CHECKLIST if c != "表述准确"])
    with pytest.raises(UserError, match="核对项「保密」不存在"):
        review.approve(township, n.id, "王明", checked=[*REVIEW_CHECKLIST, "保密"])
    assert review.approve(township, n.id, "王明", checked=REVIEW_CHECKLIST).step == "初审"
    record = review.review_history(township, n.id)[0]
    assert record["checklist"] == dict.fromkeys(REVIEW_CHECKLIST, True)
    assert record["override"] == "" and len(record["text_hash"]) == 64


def test_a_missing_element_needs_a_written_reason_that_is_kept(township) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")  # the bare outline
    with pytest.raises(UserError, match="不能确认要素齐全"):
        review.approve(township, n.id, "王明", checked=REVIEW_CHECKLIST)
    review.approve(township, n.id, "王明", checked=REVIEW_CHECKLIST,
                   override="名单见附件，张贴时附后")
    assert review.review_history(township, n.id)[0]["override"] == "名单见附件，张贴时附后"


def test_an_approval_of_an_older_revision_is_refused(township) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")
    drafts.edit_notice(township, n.id, body=n.body + ROSTER)
    with pytest.raises(UserError, match="审核的是第1版，但这条公开信息现在是第2版"):
        review.approve(township, n.id, "王明", checked=REVIEW_CHECKLIST, override="x", rev=1)
    assert review.review_history(township, n.id) == []


def test_the_review_record_cannot_be_rewritten_behind_its_back(township) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")
    approve_step(township, n.id, "王明")
    conn = sqlite3.connect(township.folder / "gongkai.sqlite3")
    for sql in ("UPDATE review_steps SET reviewer = '别人'", "DELETE FROM review_steps",
                "UPDATE notice_revisions SET body = '改过'", "DELETE FROM notice_revisions"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()
    assert review.review_history(township, n.id)[0]["reviewer"] == "王明"


def test_a_posted_notice_is_revised_through_review_and_its_new_sheet_replaces_the_old(
        township) -> None:
    review.set_review_steps(township, 2)
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20")
    approve_step(township, n.id, "王明")
    approve_step(township, n.id, "李华")
    boards.post(township, n.id, "镇政务公开栏", "2026-11-21")
    with pytest.raises(UserError, match="修改后重新报审"):
        drafts.edit_notice(township, n.id, title="改个标题")
    with pytest.raises(UserError, match="写明修改的理由"):
        drafts.revise(township, n.id, " ")
    revised = drafts.revise(township, n.id, "名单未写明公示期起止日期")
    assert revised.status == "draft" and revised.postings[0]["taken_down"] is None
    drafts.edit_notice(township, n.id, body=n.body + ROSTER)
    assert review.review_state(township, n.id).next_step == "初审"
    approve_step(township, n.id, "王明")
    assert approve_step(township, n.id, "李华").approved
    boards.post(township, n.id, "镇政务公开栏", "2026-11-23")
    hung = drafts.get_notice(township, n.id).postings
    assert [(p["posted"], p["taken_down"]) for p in hung] == [("2026-11-21", "2026-11-23"),
                                                             ("2026-11-23", None)]
    with pytest.raises(UserError, match="已经贴在"):
        boards.post(township, n.id, "镇政务公开栏", "2026-11-23")


@pytest.mark.parametrize("status", ["draft", "approved", "published", "withdrawn"])
def test_the_command_line_allows_exactly_what_the_table_allows(gk, status) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    gk("boards", "--villages", "东山村")
    nid = gk.json("notice", "new", "--item", "shjz-002", "--formed", "2026-11-20")["id"]
    if status != "draft":
        for reviewer in ("王明", "李华", "赵强"):
            gk("notice", "approve", nid, "--reviewer", reviewer, *CONFIRMED)
    if status == "published":
        gk("notice", "post", nid, "--board", "镇政务公开栏", "--date", "2026-11-21")
    if status == "withdrawn":
        gk("notice", "withdraw", nid, "--reason", "重复发布")
    assert gk.json("notice", "show", nid)["status"] == status
    body = gk.folder.parent / "body.txt"
    body.write_text("新的正文\n" + ROSTER, encoding="utf-8")
    commands = {
        "edit": ("notice", "edit", nid, "--body-file", str(body)),
        "mask": ("notice", "mask", nid),
        "approve": ("notice", "approve", nid, "--reviewer", "钱多", *CONFIRMED),
        "return": ("notice", "return", nid, "--reviewer", "钱多", "--reason", "要素不全"),
        "post": ("notice", "post", nid, "--board", boards.board_name("东山村"),
                 "--date", "2026-11-22"),
        "revise": ("notice", "revise", nid, "--reason", "县级平台退回"),
        "withdraw": ("notice", "withdraw", nid, "--reason", "不再公开"),
    }
    snapshot = gk.folder.parent / "snapshot"
    for action, argv in commands.items():
        # Each action is tried on the same starting point: the data folder is put back.
        shutil.rmtree(snapshot, ignore_errors=True)
        shutil.copytree(gk.folder, snapshot)
        proc = gk(*argv, check=False)
        accepted = proc.returncode == 0
        assert accepted == (action in actions.allowed(status)), (status, action, proc.stderr)
        if not accepted:
            assert proc.returncode == 1 and proc.stderr.strip() == actions.refusal(status,
                                                                                    action)
        shutil.rmtree(gk.folder)
        shutil.copytree(snapshot, gk.folder)


def test_the_command_line_shows_which_steps_an_edit_voided(gk) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    nid = gk.json("notice", "new", "--item", "shjz-002", "--formed", "2026-11-20")["id"]
    gk("notice", "approve", nid, "--reviewer", "王明", *CONFIRMED)
    refused = gk("notice", "approve", nid, "--reviewer", "王明", *CONFIRMED, check=False)
    assert refused.returncode == 1 and "须由另一人审核" in refused.stderr
    body = gk.folder.parent / "roster.txt"
    body.write_text(ROSTER, encoding="utf-8")
    gk("notice", "edit", nid, "--body-file", str(body))
    shown = gk.json("notice", "show", nid)
    assert [(r["step_name"], r["rev"], r["valid"]) for r in shown["reviews"]] == [
        ("初审", 1, False)]
    assert shown["next_step"] == "初审"
    assert "初审需重新审核（通过的是第1版，之后已改为第2版）" in gk("notice", "show", nid).stdout
    stale = gk("notice", "approve", nid, "--reviewer", "王明", *CONFIRMED, "--rev", "1",
               check=False)
    assert stale.returncode == 1 and "现在是第2版" in stale.stderr
    missing = gk("notice", "approve", nid, "--reviewer", "王明", "--checked", "不涉密",
                 check=False)
    assert missing.returncode == 1
    assert "未确认：不含个人隐私、要素齐全、表述准确、公开属性" in missing.stderr
    gk("notice", "approve", nid, "--reviewer", "王明", *CONFIRMED, "--rev", "2")
    assert gk.json("notice", "show", nid)["reviews"][-1]["override"] == "测试：名单另附"


def test_saving_a_long_roster_says_what_changed_without_taking_seconds() -> None:
    import time

    rows = "\n".join(f"{k}\t张{k}\t3\t1260\t东山村" for k in range(1, 3001))
    masked = rows.replace("\t3\t", "\t4\t", 1)
    start = time.perf_counter()
    said = drafts.describe_change("公示", rows, "公示", masked + "\n特此公示。")
    assert time.perf_counter() - start < 1.0
    assert said == "正文增加7字、删去1字"
    assert drafts.describe_change("公示", "正文", "公示（更正）", "正文") == "改标题"


@pytest.mark.parametrize("size", [10, 5000])
def test_what_changed_always_adds_up(size) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=60, deadline=None)
    @given(st.text(alphabet="张李\t\n0123", max_size=size), st.text(alphabet="张李\t\n0123",
                                                                   max_size=size))
    def adds_up(old: str, new: str) -> None:
        added, removed = drafts._changed_chars(old, new)
        assert added - removed == len(new) - len(old)
        assert 0 <= added <= len(new) and 0 <= removed <= len(old)

    adds_up()
