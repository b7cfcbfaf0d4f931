"""Notices from the catalog: deadlines, the privacy guard, review, boards and `due`."""

import json
import struct
import zlib
from pathlib import Path

import pytest
from tests_support import CONFIRMED, approve_step, body_with_personal_data

from app.errors import UserError
from app.notices import boards, drafts, review
from app.reports.due import due_lines

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")


def png(path: Path) -> Path:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")
    path.write_bytes(raw)
    return path


def test_dibao_publicity_dates(township) -> None:
    n = drafts.create_notice(township, "shjz-002", kind="公示", formed="2026-11-20")
    assert (n.due, n.calendar_known, n.status) == ("2026-12-04", True, "draft")
    assert n.title == "青石镇关于最低生活保障审核信息的公示"
    assert "监督电话：0551-62345678" in n.body and "一、初审对象名单：" in n.body
    assert drafts.check_notice(township, n.id).missing == ["初审对象名单", "家庭人口",
                                                           "拟保障金额"]
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(township, n.id, reviewer)
    boards.post(township, n.id, "镇政务公开栏", "2026-11-23")
    shown = drafts.get_notice(township, n.id)
    assert shown.status == "published"
    assert shown.publicity == {"start": "2026-11-23", "end": "2026-12-01"}


def test_privacy_guard_before_and_after_masking(township) -> None:
    body, secrets = body_with_personal_data()
    n = drafts.create_notice(township, "shjz-002", body=body, formed="2026-11-20")
    found = drafts.check_notice(township, n.id).findings
    assert sorted(f.text for f in found) == sorted(secrets)
    with pytest.raises(UserError, match="个人信息未遮盖"):
        approve_step(township, n.id, "王明")
    masked, count = drafts.mask_notice(township, n.id)
    assert count == len(secrets) and masked.rev == 2
    for secret in secrets:
        assert secret not in masked.body
    for kept in ("0551-62345678", "张三", "1260元", "民发〔2021〕57号", "2026年11月20日"):
        assert kept in masked.body
    assert approve_step(township, n.id, "王明").step == "初审"
    assert drafts.get_notice(township, n.id, rev=1).body == body  # the old text is kept


def test_review_steps_return_and_edit_after_approval(township) -> None:
    review.set_review_steps(township, 2)
    n = drafts.create_notice(township, "shjz-001", kind="公告")
    assert not approve_step(township, n.id, "王明").approved
    review.send_back(township, n.id, "李华", "要素不全")
    again = approve_step(township, n.id, "王明")
    assert again.step == "初审"  # a new round starts from the first step
    assert approve_step(township, n.id, "李华").approved
    assert drafts.get_notice(township, n.id).approved_rev == 1
    edited = drafts.edit_notice(township, n.id, body="改过的正文")
    assert edited.status == "draft" and edited.rev == 2
    history = [(s["step_name"], s["outcome"]) for s in review.review_history(township, n.id)]
    assert history == [("初审", "passed"), ("审核", "returned"), ("初审", "passed"),
                       ("审核", "passed")]
    actions = [r["action"] for r in township.query(
        "SELECT action FROM audit_log WHERE subject = ?", (n.id,))]
    assert actions == ["notice.new", "notice.review", "notice.return", "notice.review",
                       "notice.approve", "notice.edit"]


def test_drafts_cannot_go_on_a_wall(township) -> None:
    n = drafts.create_notice(township, "shjz-001")
    with pytest.raises(UserError, match="还没有审核通过"):
        boards.post(township, n.id, "镇政务公开栏")
    assert township.scalar("SELECT count(*) FROM postings") == 0


def test_boards_photos_and_takedown(township, tmp_path) -> None:
    boards.set_villages(township, ["东山村", "西河"])
    names = [b.name for b in boards.list_boards(township)]
    assert names == ["镇政务公开栏", "东山村村务公开栏", "西河村村务公开栏"]
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-02")
    review.set_review_steps(township, 1)
    approve_step(township, n.id, "王明")
    photo = png(tmp_path / "board.png")
    boards.post(township, n.id, "东山村", "2026-11-05", photo)
    digest = drafts.get_notice(township, n.id).postings[0]["photo"]
    stored = boards.photo_path(township, digest)
    assert stored.read_bytes() == photo.read_bytes() and digest in stored.name
    text = tmp_path / "not-a-photo.png"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(UserError, match="不是照片"):
        boards.post(township, n.id, "西河", "2026-11-21", text)
    assert len(drafts.get_notice(township, n.id).postings) == 1
    lines = due_lines(township)
    assert drafts.get_notice(township, n.id).publicity == {"start": "2026-11-05",
                                                           "end": "2026-11-13"}
    assert [(line.kind, line.date) for line in lines if line.kind == "takedown"] == \
        [("takedown", "2026-11-13")]
    boards.take_down(township, n.id, "东山村", "2026-11-23")
    assert not [line for line in due_lines(township) if line.kind == "takedown"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"item_id": "nope-001"}, "没有编号"),
    ({"item_id": "shjz-001", "title": "  "}, "标题不能为空"),
    ({"item_id": "shjz-001", "formed": "2026-12-01"}, "不能晚于今天"),
    ({"item_id": "shjz-001", "kind": "通报"}, "类型"),
])
def test_bad_input_is_refused_and_nothing_written(township, kwargs, message) -> None:
    with pytest.raises(UserError, match=message):
        drafts.create_notice(township, **kwargs)
    assert township.scalar("SELECT count(*) FROM notices") == 0


def test_due_lists_overdue_and_soon(township) -> None:
    late = drafts.create_notice(township, "shjz-002", formed="2026-11-02")
    soon = drafts.create_notice(township, "shjz-001", formed="2026-10-28")
    later = drafts.create_notice(township, "jy-002", formed="2026-11-23")
    kinds = {(line.kind, line.notice_id) for line in due_lines(township)}
    assert ("overdue", late.id) in kinds  # due 2026-11-16
    assert ("due_soon", soon.id) in kinds  # due 2026-11-25
    assert not any(k in ("overdue", "due_soon") and i == later.id for k, i in kinds)
    assert ("awaiting_review", later.id) in kinds


def test_cli_notice_flow(gk, tmp_path, monkeypatch) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    body, secrets = body_with_personal_data()
    file = tmp_path / "body.txt"
    file.write_text(body, encoding="utf-8")
    n = gk.json("notice", "new", "--item", "shjz-002", "--formed", "2026-11-20",
                "--body-file", str(file))
    assert n["due"] == "2026-12-04"
    check = gk.json("notice", "check", n["id"])
    assert len(check["personal_data"]) == len(secrets)
    refused = gk("notice", "approve", n["id"], "--reviewer", "王明", check=False)
    assert refused.returncode == 1 and "个人信息" in refused.stderr
    gk("notice", "mask", n["id"])
    for reviewer in ("王明", "李华", "赵强"):
        gk("notice", "approve", n["id"], "--reviewer", reviewer, *CONFIRMED)
    gk("notice", "post", n["id"][:8], "--board", "镇政务公开栏", "--date", "2026-11-23")
    shown = gk.json("notice", "show", n["id"])
    assert shown["publicity"] == {"start": "2026-11-23", "end": "2026-12-01"}
    assert "3401**********" in shown["body"] and secrets[0] not in json.dumps(shown)
    assert [r["rev"] for r in shown["revisions"]] == [2, 1]
    due = gk.json("due")
    # The default catalog's periodic items add the plan's lines (本季度应公开) besides.
    assert [d["kind"] for d in due if not d["item_id"]] == ["unsent"]
    missing = gk("notice", "show", "deadbeef", check=False)
    assert missing.returncode == 1 and "没有编号" in missing.stderr


def test_withdraw_keeps_the_notice_and_leaves_due(township) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-02")
    with pytest.raises(UserError, match="理由"):
        drafts.withdraw(township, n.id, " ")
    drafts.withdraw(township, n.id, "重复起草")
    assert drafts.get_notice(township, n.id).status == "withdrawn"
    assert not [line for line in due_lines(township) if line.notice_id == n.id]
    with pytest.raises(UserError, match="已撤回"):
        drafts.edit_notice(township, n.id, body="x")


def test_workflow_settings_are_saved_together(township) -> None:
    from app.notices.workflow import get_workflow, set_workflow

    flow = set_workflow(township, 2, "东山村\n西河村，南岭", "0551-62345000，12345")
    assert set_workflow(township, 2, "幸福社区", "").villages == ["幸福社区"]
    flow = set_workflow(township, 2, "东山村\n西河村，南岭", "0551-62345000，12345")
    assert flow.review_steps == 2 and flow.villages == ["东山村", "西河村", "南岭村"]
    assert flow.office_phones == ["0551-62345000", "12345"]
    assert "0551-62345000" in drafts.published_phones(township)
    with pytest.raises(UserError, match="办公电话：「电话号码」不是电话号码"):
        set_workflow(township, 3, "北坡村", "电话号码")
    assert get_workflow(township) == flow  # refused whole: nothing changed


def test_revisions_say_what_changed(township) -> None:
    n = drafts.create_notice(township, "shjz-001", kind="公告")
    drafts.edit_notice(township, n.id, title="新标题", body=n.body + "补充说明。")
    history = drafts.revisions(township, n.id)
    assert history[0]["change"] == "改标题；正文增加5字、删去0字"
    assert history[1]["change"] == "新建"
