"""Channels: where a notice actually went, recorded and refused through the real command
line; the checklist beside the postings; the 台账 counting the records, not the catalog;
the 渠道未完成 line of the 工作台; and the 两微一端 post read back as files."""

import re
import sqlite3
import string
from datetime import date
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
from PIL import Image
from tests_support import approve_step, body_with_personal_data, dibao_roster

from app.errors import UserError
from app.notices import boards, channels, drafts, review
from app.printing.social import TABLE_NOTE, export_social
from app.reports.due import due_lines
from app.sync import outbox
from app.sync.protocol import BatchReceipt, Reply

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")
BOARD = channels.BOARD_CHANNEL
TOWN = "镇政务公开栏"
#: 专项活动信息: 政府网站, 两微一端, 广播电视, 政务服务中心, 便民服务站 — and no board.
EVENTS = "jy-005"
#: 帮扶责任人和帮扶措施: 入户/现场 and the board.
VISITS = "fp-009"


def _approved(store, item, formed="2026-11-16", body=None, kind="通知"):
    review.set_review_steps(store, 1)
    n = drafts.create_notice(store, item, formed=formed, kind=kind, body=body)
    if body is not None and drafts.check_notice(store, n.id).findings:
        drafts.mask_notice(store, n.id)
    approve_step(store, n.id, "王明")
    return n.id


def _records(store) -> int:
    return store.scalar("SELECT count(*) FROM channel_records")


def _duty(store, notice_id, channel):
    return next(d for d in channels.channel_duties(store, notice_id) if d.channel == channel)


# -- records and refusals ------------------------------------------------------------------


def test_records_through_the_command_line_and_refusals(township, gk) -> None:
    store = township
    notice = _approved(store, EVENTS)
    out = gk("notice", "channel", notice[:8], "--channel", "大喇叭", "--place", "东山村").stdout
    assert out.startswith("已记录（第1条）：广播电视")
    gk("notice", "channel", notice, "--channel", "微信公众号", "--url",
       "https://mp.weixin.qq.com/s/AbC-123", "--date", "2026-11-20", "--place", "青石镇发布")
    gk("notice", "channel", notice, "--channel", "入户", "--count", "120", "--place", "东山村")
    listed = {d["channel"]: d for d in gk.json("notice", "channels", notice)}
    assert [r["place"] for r in listed["广播电视"]["records"]] == ["东山村"]
    assert listed["两微一端"]["records"][0]["url"] == "https://mp.weixin.qq.com/s/AbC-123"
    assert listed["两微一端"]["records"][0]["day"] == "2026-11-20"
    # Not named by the item, yet it went there: listed, not required.
    assert listed["入户/现场"]["required"] is False and listed["入户/现场"]["done"] is True
    assert listed["政务服务中心"] == {"channel": "政务服务中心", "output": "查阅文本",
                                "required": True, "done": False, "records": []}
    before = _records(store)
    refusals = [
        (["--channel", "公示栏"], "记录张贴"),
        (["--channel", "村务公开栏"], "记录张贴"),
        (["--channel", "政府网站", "--url", "https://www.example.gov.cn/1"], "县级平台"),
        (["--channel", "两微一端"], "网址"),
        (["--channel", "两微一端", "--url", "ftp://example.com/x"], "http"),
        (["--channel", "两微一端", "--url", "javascript:alert(1)"], "http"),
        (["--channel", "两微一端", "--url", "https://"], "http"),
        (["--channel", "两微一端", "--url", "https://a.cn/" + "x" * 600], "太长"),
        (["--channel", "广播"], "村"),
        (["--channel", "广播", "--place", "东山村", "--date", "2026-11-24"], "晚于今天"),
        (["--channel", "广播", "--place", "东山村", "--date", "2026-11-13"], "信息形成日期"),
        (["--channel", "广播", "--place", "东山村"], "已经有了"),
        (["--channel", "广播", "--place", "西河村", "--count", "3"], "不填份数"),
        (["--channel", "广播", "--place", "西河村", "--until", "2026-11-30"], "不填截止"),
        (["--channel", "入户"], "份数"),
        (["--channel", "入户", "--count", "0"], "份数"),
        (["--channel", "电子屏", "--place", "大屏", "--date", "2026-11-20",
          "--until", "2026-11-19"], "早于开始"),
        (["--channel", "广播", "--place", "东" * 61], "太长"),
        (["--channel", "广播", "--place", "西河村", "--note", "说" * 201], "太长"),
        (["--channel", "广播", "--place", "西河村", "--note", "〔撤销第1条〕"], "标记"),
        (["--channel", "抖音"], "不是公开渠道"),
        (["--channel", "广播", "--place", "西河村", "--replaces", "99"], "第99条"),
    ]
    for args, said in refusals:
        done = gk("notice", "channel", notice, *args, check=False)
        assert done.returncode == 1, (args, done.stdout)
        assert said in done.stderr and len(done.stderr.strip().splitlines()) == 1, (args,
                                                                                   done.stderr)
    assert _records(store) == before  # a refusal writes nothing

    draft = drafts.create_notice(store, EVENTS, formed="2026-11-16")
    with pytest.raises(UserError, match="先审后发"):
        channels.record_channel(store, draft.id, "广播", place="东山村")
    drafts.withdraw(store, notice, "活动取消")
    with pytest.raises(UserError, match="已撤回"):
        channels.record_channel(store, notice, "广播", place="西河村")
    # What is for a 特定群体 stays off the internet unless the catalog names the channel.
    dibao = _approved(store, "shjz-002")
    with pytest.raises(UserError, match="特定群体"):
        channels.record_channel(store, dibao, "两微一端", url="https://mp.weixin.qq.com/s/x")
    assert _records(store) == before
    actions = [r["action"] for r in store.query(
        "SELECT action FROM audit_log WHERE action LIKE 'notice.channel%'")]
    assert actions == ["notice.channel"] * 3


def test_a_wrong_record_is_put_right_by_a_later_one(township, gk) -> None:
    store = township
    notice = _approved(store, EVENTS)
    first = channels.record_channel(store, notice, "广播", place="东山村")
    fixed = channels.record_channel(store, notice, "广播", place="西河村", note="记错了村",
                                    replaces=first.number)
    assert fixed.replaces == first.number and "更正第1条" in fixed.text()
    duty = _duty(store, notice, "广播电视")
    assert [r.place for r in duty.records] == ["西河村"]
    assert [r.place for r in duty.superseded] == ["东山村"]
    post = channels.record_channel(store, notice, "两微一端", url="https://weibo.com/123/abc")
    with pytest.raises(UserError, match="不是「广播」"):
        channels.withdraw_record(store, notice, post.number, "发错了", channel="广播")
    with pytest.raises(UserError, match="理由"):
        channels.withdraw_record(store, notice, post.number, "  ")
    out = gk("notice", "channel", notice, "--channel", "两微一端", "--withdraw",
             str(post.number), "--note", "发到了别的账号").stdout
    assert "已撤销第3条" in out
    assert not _duty(store, notice, "两微一端").done
    # Twice is refused: it no longer counts already.
    with pytest.raises(UserError, match="已被更正、撤销"):
        channels.withdraw_record(store, notice, post.number, "再撤一次")
    # The records are all still there: the table is append-only.
    assert _records(store) == 4
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE channel_records SET place = '南岭村'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM channel_records")
    audit = store.query("SELECT action, detail FROM audit_log WHERE action LIKE 'notice.channel%'"
                        " ORDER BY id")
    assert [a["action"] for a in audit][-1] == "notice.channel_withdraw"
    assert '"replaces": 1' in audit[1]["detail"]


def test_checklist_counts_postings_and_the_county_url(township) -> None:
    store = township
    notice = _approved(store, VISITS)
    duties = channels.channel_duties(store, notice)
    assert [(d.channel, d.output, d.done) for d in duties] == [
        ("入户/现场", "明白纸", False), (BOARD, "张贴稿、屏幕页", False)]
    assert _duty(store, notice, BOARD).status() == "未张贴"
    boards.set_villages(store, ["东山村"])
    boards.post(store, notice, TOWN, "2026-11-18")
    boards.post(store, notice, "东山村", "2026-11-19")
    channels.record_channel(store, notice, "电子屏", place="镇政府门口大屏", day="2026-11-18",
                            until="2026-11-25")
    board = _duty(store, notice, BOARD)
    assert [(r.kind, r.place) for r in board.records] == [
        ("posting", TOWN), ("posting", "东山村村务公开栏"), ("record", "镇政府门口大屏")]
    assert "2026-11-18至2026-11-25" in board.records[-1].text()
    # The website is done when the county says where it published the notice.
    other = _approved(store, EVENTS)
    assert _duty(store, other, "政府网站").status() == "待县级平台发布"
    with pytest.raises(UserError, match="县级平台"):
        channels.record_channel(store, other, "政府网站")
    for batch in outbox.form_batches(store):
        outbox.record_receipt(store, BatchReceipt(batch, False, [
            Reply(other, "published", url="https://www.example.gov.cn/gk/7", seq=1)]))
    website = _duty(store, other, "政府网站")
    assert website.done and website.records[0].kind == "county"
    assert website.records[0].url == "https://www.example.gov.cn/gk/7"


@pytest.mark.parametrize("typed, meant", [
    ("广播", "广播电视"), ("大喇叭", "广播电视"), ("村村响", "广播电视"), ("电视", "广播电视"),
    ("政务微信", "两微一端"), ("公众号", "两微一端"), ("政务微博", "两微一端"),
    ("入户", "入户/现场"), ("现场", "入户/现场"), ("明白纸", "入户/现场"),
    ("电子屏", BOARD), ("触摸屏", BOARD), ("村公示栏（电子屏）", BOARD), ("LED屏", BOARD),
    ("ＬＥＤ显示屏", BOARD),
    ("公开查阅点", "公开查阅点"), (" 公 开 查 阅 点 ", "公开查阅点"), ("便民服务点", "便民服务站"),
])
def test_channel_names_as_clerks_type_them(typed, meant) -> None:
    assert channels.resolve_channel(typed) == meant


def test_an_items_own_channel_is_recorded_under_its_name(township) -> None:
    store = township
    notice = _approved(store, EVENTS)
    # A county table's own channel (kept under its own name by the catalog reader).
    store.conn.execute("UPDATE catalog_items SET channels = ? WHERE item_id = ?",
                       ('["政府网站", "村级微信群"]', EVENTS))
    assert not _duty(store, notice, "村级微信群").done
    done = channels.record_channel(store, notice, " 村级 微信群", place="东山村群")
    assert done.channel == "村级微信群"
    duty = _duty(store, notice, "村级微信群")
    assert duty.done and duty.required and duty.output == "正文"


# -- garbage in ----------------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")


@pytest.fixture(scope="module")
def garbage_desk(tmp_path_factory):
    """One approved notice on a desk of its own, shared by the examples."""
    from app.desk import open_desk
    from app.township import set_township

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_TODAY", TODAY)
        store = open_desk(tmp_path_factory.mktemp("garbage"))
        set_township(store, "青石镇", "东山县", "0551-62345678")
        notice = _approved(store, EVENTS)
    yield store, notice
    store.close()


_TEXT = st.one_of(st.text(max_size=80), st.sampled_from(
    ["广播", "两微一端", "入户", "电子屏", "公示栏", "政府网站", "https://a.cn/x", "2026-11-20",
     "", " ", "\x00", "〔更正第1条〕", "ftp://a.cn", "http://a", "2026-13-40", "今天"]))


@hypothesis.settings(max_examples=150, deadline=None,
                     suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(channel=_TEXT, day=st.one_of(st.none(), _TEXT), url=_TEXT, place=_TEXT,
                  note=_TEXT, until=st.one_of(st.none(), _TEXT),
                  count=st.one_of(st.none(), st.integers(-5, 2_000_000)))
def test_garbage_is_refused_in_one_sentence_or_recorded(garbage_desk, channel, day, url, place,
                                                        note, until, count) -> None:
    store, notice = garbage_desk
    before = _records(store)
    try:
        done = channels.record_channel(store, notice, channel, day, url, note, place, count,
                                       until, today=date(2026, 11, 23))
    except UserError as err:
        assert str(err) and "\n" not in str(err)
        assert _records(store) == before
    else:
        assert _records(store) == before + 1
        assert done.day <= date(2026, 11, 23) and done.channel
        assert not set(done.place + done.note) & set(string.whitespace.replace(" ", ""))


# -- the 台账 ------------------------------------------------------------------------------


def _channel_table(ws) -> dict[str, list]:
    lines, inside = {}, False
    for cells in ws.iter_rows(min_row=1):
        first = cells[0].value
        if first == "公开渠道":
            inside = True
            assert [c.value for c in cells[1:4]] == ["实际公开", "目录要求", "要求未完成"]
        elif inside and first:
            lines[first] = [c.value for c in cells[1:4]]
        elif inside:
            break
    return lines


def test_ledger_counts_follow_the_records_not_the_catalog(township, gk, tmp_path) -> None:
    store = township
    boards.set_villages(store, ["东山村"])
    broadcast = _approved(store, EVENTS)
    channels.record_channel(store, broadcast, "广播", place="东山村")
    boards.post(store, broadcast, TOWN, "2026-11-17")  # the item names no board
    silent = _approved(store, EVENTS)
    visited = _approved(store, VISITS)
    boards.post(store, visited, "东山村", "2026-11-17")
    wrong = channels.record_channel(store, visited, "入户", count=40)
    channels.withdraw_record(store, visited, wrong.number, "实际没有发放")
    drafts.create_notice(store, EVENTS, formed="2026-11-16")  # a draft: asked, not yet due
    path = tmp_path / "台账.xlsx"
    result = gk.json("ledger", "export", str(path))
    book = openpyxl.load_workbook(path)
    table = _channel_table(book["汇总"])
    # went, asked by the catalog, asked and not done (approved and published ones only)
    assert table["广播电视"] == [1, 3, 1]
    assert table["两微一端"] == [0, 3, 2]
    assert table["入户/现场"] == [0, 1, 1]  # the withdrawn record does not count
    assert table["社区/企事业单位/村公示栏（电子屏）"] == [2, 1, 0]
    assert table["政府网站"] == [0, 3, 2]
    by_json = {c["channel"]: c for c in result["channels"]}
    assert by_json["广播电视"] == {"channel": "广播电视", "went": 1, "required": 3, "missing": 1}
    rows = {}
    for name in ("就业", "扶贫"):
        ws = book[name]
        headers = [c.value for c in ws[3]]
        for cells in ws.iter_rows(min_row=4):
            if cells[0].value is not None:
                row = dict(zip(headers, (c.value for c in cells), strict=True))
                rows[row["信息编号"]] = row
    assert rows[broadcast[:8]]["实际公开渠道"] == (
        "广播电视、公示栏（电子屏）；未完成：政府网站、两微一端、政务服务中心、便民服务站")
    assert rows[visited[:8]]["实际公开渠道"] == "公示栏（电子屏）；未完成：入户/现场"
    assert rows[silent[:8]]["实际公开渠道"].startswith("；未完成：政府网站")


# -- the 工作台 ----------------------------------------------------------------------------


def test_due_line_for_channels_not_yet_recorded(township, gk) -> None:
    store = township
    late = _approved(store, VISITS)
    boards.post(store, late, TOWN, "2026-11-17")  # three working days: 11-20
    fresh = _approved(store, VISITS)
    boards.post(store, fresh, TOWN, "2026-11-23")
    lines = [d for d in gk.json("due") if d["kind"] == "channels_missing"]
    assert [(d["notice_id"], d["date"], d["label"]) for d in lines] == [
        (late, "2026-11-20", "渠道未完成")]
    assert "入户/现场尚未记录" in lines[0]["detail"]
    channels.record_channel(store, late, "入户", count=35, place="东山村")
    assert not [d for d in due_lines(store, date(2026, 11, 23)) if d.kind == "channels_missing"]
    # Boards and the website have lines of their own: an item naming only them gives none.
    website_only = _approved(store, "shjz-002", formed="2026-10-30")
    boards.post(store, website_only, TOWN, "2026-11-02")
    assert not [d for d in due_lines(store, date(2026, 11, 23))
                if d.kind == "channels_missing"]
    # Long past, the gap stays in the 台账 and leaves the list of today.
    assert not [d for d in due_lines(store, date(2027, 3, 1)) if d.kind == "channels_missing"
                and d.notice_id == fresh]


# -- 两微一端 --------------------------------------------------------------------------------


def test_social_export_writes_text_and_pictures(township, gk, tmp_path) -> None:
    store = township
    body, secrets = body_with_personal_data()
    roster = dibao_roster(60)
    notice = _approved(store, "jy-003", body=body + "\n" + roster)
    title = drafts.get_notice(store, notice).title
    folder = tmp_path / "微信"
    folder.mkdir()
    stem = title[:40]
    (folder / f"{stem}-第9页.png").write_bytes(b"an older export's page")
    (folder / "别的文件.png").write_bytes(b"the clerk's own")
    result = gk.json("notice", "export", notice, "--channel", "两微一端", "--out", str(folder))
    files = [Path(p) for p in result["files"]]
    assert files[0].name == f"{stem}.txt"
    text = files[0].read_bytes().decode("utf-8-sig")
    assert text.startswith(title + "\r\n")
    for secret in secrets:
        assert secret.replace(" ", "") not in text.replace(" ", "")
    assert not re.search(r"\d{17}[\dXx]", text)
    assert TABLE_NOTE in text and "\t" not in text and "欧阳" not in text
    assert "0551-62345678" in text and "青石镇人民政府" in text
    pictures = files[1:]
    assert pictures and all(p.suffix == ".png" for p in pictures)
    for p in pictures:
        with Image.open(p) as im:
            assert im.width == 1080 and im.height > 1400
            # Printed matter on white: a page mostly white, with some ink.
            grey = im.convert("L")
            assert grey.getextrema()[0] < 100 and grey.resize((1, 1)).getpixel((0, 0)) > 200
    # As many pictures as the sheet has pages.
    from app.printing.output import PrintOptions, render_notice

    pdf = render_notice(store, notice, tmp_path / "sheet.pdf", PrintOptions()).path
    assert len(pictures) == len(pypdfium2.PdfDocument(str(pdf))) > 1
    assert not (folder / f"{stem}-第9页.png").exists()
    assert (folder / "别的文件.png").exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [p.name for p in files] + ["别的文件.png"])  # no scratch folder left behind


def test_social_export_refusals(township, tmp_path) -> None:
    store = township
    draft = drafts.create_notice(store, "jy-003", formed="2026-11-16")
    with pytest.raises(UserError, match="先审后发"):
        export_social(store, draft.id, tmp_path / "a")
    dibao = _approved(store, "shjz-002")
    with pytest.raises(UserError, match="特定群体"):
        export_social(store, dibao, tmp_path / "b")
    notice = _approved(store, "jy-003")
    (tmp_path / "file").write_text("x")
    with pytest.raises(UserError, match="文件夹"):
        export_social(store, notice, tmp_path / "file")
    with pytest.raises(UserError, match="不存在"):
        export_social(store, notice, tmp_path / "no" / "such")
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())


def test_a_graphic_interpretation_posts_its_picture(township, tmp_path) -> None:
    store = township
    review.set_review_steps(store, 1)
    parent = drafts.create_notice(store, "jy-003", formed="2026-11-16", kind="通知")
    notice = drafts.create_notice(store, None, kind="解读", explains=parent.id, form="图解",
                                  formed="2026-11-16").id
    approve_step(store, notice, "王明")
    files = export_social(store, notice, tmp_path / "解读")
    pictures = [p.name for p in files if p.suffix == ".png"]
    # A 图解 is posted as itself: one tall picture, not the sheet's pages.
    assert pictures == [files[0].stem + "-图解.png"]
    for p in files[1:]:
        with Image.open(p) as im:
            assert im.width == 1080


def test_a_notice_for_a_specific_group_owes_no_website(township, gk, tmp_path) -> None:
    # 低保 审核信息 names the website for the catalog row, but its 名单 is for a 特定群体:
    # the checklist says it stays offline, and the 台账 does not count it as owed.
    dibao = _approved(township, "shjz-002", kind="公示")
    everyone = _approved(township, "jy-003")
    site = next(d for d in channels.channel_duties(township, dibao) if d.channel == "政府网站")
    assert site.offline and not site.required and not site.missing
    assert site.status() == "仅限线下公开，不上网"
    other = next(d for d in channels.channel_duties(township, everyone)
                 if d.channel == "政府网站")
    assert other.required and other.missing and not other.offline
    out = tmp_path / "台账.xlsx"
    gk("ledger", "export", str(out), "--year", "2026")
    table = _channel_table(openpyxl.load_workbook(out)["汇总"])
    # Both rows name the website; only jy-003's notice owes it.
    assert table["政府网站"] == [0, 2, 1]
