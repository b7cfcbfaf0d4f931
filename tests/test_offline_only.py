"""仅限线下公开，不上网: a 特定群体 board-only notice through the real county, whole or as metadata.

The township pushes over HTTP (and on a USB stick) to the real ``gongkai-county
serve``; the county marks the notice 不上网 on its staff page and in its
database, refuses a published mark with a URL until staff confirm with a
reason, keeps no body of a notice sent as metadata only (searched for in the
database file's own bytes), and counts both kinds in ``stats --json``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_county_cli import county_process, serve_process  # noqa: F401  (fixture)
from test_county_support import batch, notice, running_county
from tests_support import approve_step, dibao_roster, dibao_rows

from app.county.database import open_database
from app.county.offline import payload_flags
from app.county.schema import LATEST, VERSION_KEY, meta
from app.notices import boards, drafts, review
from app.sync import attached_sheets, exchange
from app.sync.protocol import Batch, ProtocolError
from app.township import set_township

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")
pytest_plugins = ["keyring_support"]

#: A sentence only the body holds: found in the county's bytes if the body went there.
SECRET = "本次初审另有两户因家庭财产核查未通过暂缓纳入"
URL = "https://www.example.gov.cn/xxgk/2026/dibao.html"


def _approved(store, item: str, title: str, photo: bool = True) -> str:
    body = dibao_roster(3) + f"\n{SECRET}。\n"
    made = drafts.create_notice(store, item, title=title, body=body, formed="2026-11-20")
    approve_step(store, made.id, "王明")
    if photo:
        folder = store.folder / "incoming"
        folder.mkdir(exist_ok=True)
        path = folder / f"{made.id}.jpg"
        path.write_bytes(b"\xff\xd8\xff\xe0" + made.id.encode() * 40)
        boards.post(store, made.id, "镇政务公开栏", photo=path)
    return made.id


def _desk(store) -> None:
    set_township(store, "青石镇", "东山县", "0551-62345678")
    review.set_review_steps(store, 1)


def _county(serve_process, store, monkeypatch) -> tuple[str, str]:  # noqa: F811
    db = str(serve_process["db"])
    token = county_process("token", "add", "青石镇", "--db", db).stdout.split()[0]
    monkeypatch.setenv(exchange.TOKEN_ENV, token)
    base = f"http://127.0.0.1:{serve_process['port']}"
    store.set_settings({"sync.server": base})
    serve_process["start"]()
    return db, base


def _push(store) -> None:
    with exchange.connect(store) as client:
        exchange.push(store, client)


def _staff(base: str, db: str) -> tuple[httpx.Client, dict[str, str]]:
    staff = county_process("token", "add", "张科长", "--staff", "--db", db).stdout.split()[0]
    page = httpx.Client(base_url=base, follow_redirects=False, timeout=10)
    assert page.post("/login", data={"token": staff}).status_code == 303
    html = page.get("/").text
    key = re.search(r'name="key" value="([0-9a-f]{64})"', html)
    township = re.search(r'name="township" value="(\d+)"', html)
    assert key and township
    return page, {"key": key.group(1), "township": township.group(1), "back": "/"}


def _row(db: str, notice_id: str) -> sqlite3.Row:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM notices WHERE notice_id = ?", (notice_id,)).fetchone()
    finally:
        conn.close()


def _stats(db: str) -> dict[str, int]:
    done = county_process("stats", "--json", "--db", db)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _county_bytes(db: str) -> bytes:
    """The database file and its write-ahead log, as a disk would give them up."""
    return b"".join(Path(db + suffix).read_bytes() for suffix in ("", "-wal")
                    if Path(db + suffix).exists())


def test_the_notice_json_carries_the_items_channels_audience_and_offline_flag(
        township) -> None:
    review.set_review_steps(township, 1)
    board = drafts.create_notice(township, "shjz-003", title="低保审批对象公示")
    web = drafts.create_notice(township, "shjz-005", title="低保办事指南")
    board_json, web_json = (drafts.get_notice(township, n.id).to_json() for n in (board, web))
    assert board_json["channels"] == ["社区/企事业单位/村公示栏（电子屏）"]
    assert board_json["audience"] == ["特定群体"] and board_json["offline_only"] is True
    assert "政府网站" in web_json["channels"] and web_json["offline_only"] is False
    # 政府网站 listed, but for 特定群体: still not for the internet.
    listed = drafts.create_notice(township, "shjz-002", title="低保审核对象公示")
    assert drafts.get_notice(township, listed.id).to_json()["offline_only"] is True


def test_a_group_board_only_notice_is_offline_on_the_county_and_online_only_with_a_reason(
        serve_process, store, monkeypatch) -> None:  # noqa: F811
    _desk(store)
    offline = _approved(store, "shjz-003", "青石镇2026年第四季度低保审批对象公示")
    online = _approved(store, "shjz-005", "青石镇最低生活保障办事指南", photo=False)
    db, base = _county(serve_process, store, monkeypatch)
    _push(store)
    assert (_row(db, offline)["offline_only"], _row(db, online)["offline_only"]) == (1, 0)
    sent = json.loads(_row(db, offline)["document"])["notice"]
    assert sent["offline_only"] is True and sent["audience"] == ["特定群体"]
    assert SECRET in sent["body"]  # sent whole: metadata-only is not set for this item

    page, form = _staff(base, db)
    html = page.get("/").text
    row_html = html[html.index(f'id="n-{offline}"'):]
    row_html = row_html[:row_html.index("</tr>")]
    assert "仅限线下公开，不上网" in row_html and 'name="confirm_online"' in row_html
    other = html[html.index(f'id="n-{online}"'):]
    assert "仅限线下公开" not in other[:other.index("</tr>")]

    mark = {**form, "notice_id": offline, "state": "published", "url": URL}
    refused = page.post("/mark", data=mark)
    assert refused.status_code == 422 and "仅限线下公开，不上网" in refused.text
    no_reason = page.post("/mark", data={**mark, "confirm_online": "yes"})
    assert no_reason.status_code == 422
    no_box = page.post("/mark", data={**mark, "online_reason": "县民政局要求公开审批结果"})
    assert no_box.status_code == 422
    assert _row(db, offline)["state"] == "received"
    # Returning it needs no confirmation: it stays off the internet.
    reason = "经县民政局书面同意，审批结果在县政府网站专栏公开（已隐去身份证号）"
    done = page.post("/mark", data={**mark, "confirm_online": "yes", "online_reason": reason})
    assert done.status_code == 303, done.text
    held = _row(db, offline)
    assert (held["state"], held["url"], held["online_reason"]) == ("published", URL, reason)
    conn = sqlite3.connect(db)
    kept = conn.execute("SELECT staff, online_reason FROM replies WHERE notice_id = ?"
                        " AND state = 'published'", (offline,)).fetchone()
    conn.close()
    assert kept == ("张科长", reason)
    assert reason in page.get("/").text
    # The web notice needs nothing more than its URL.
    assert page.post("/mark", data={**mark, "notice_id": online}).status_code == 303
    page.close()
    with exchange.connect(store) as client:
        exchange.pull(store, client)
    assert drafts.get_notice(store, offline).county_url == URL
    figures = _stats(db)
    assert (figures["offline_only"], figures["metadata_only"], figures["published"]) == \
        (1, 0, 2)


def test_metadata_only_leaves_no_body_at_the_county(
        serve_process, store, gk, monkeypatch) -> None:  # noqa: F811
    _desk(store)
    attached_sheets.set_enabled(store, True)  # the sheet would carry the body: it stays too
    said = gk("catalog", "metadata-only", "shjz-003", "on")
    assert "不含正文" in said.stdout
    shown = gk.json("catalog", "show", "shjz-003")
    assert shown["metadata_only"] is True and shown["offline_only"] is True
    bare = _approved(store, "shjz-003", "青石镇2026年第四季度低保审批对象公示")
    whole = _approved(store, "shjz-008", "青石镇特困人员审核对象公示")
    db, base = _county(serve_process, store, monkeypatch)
    _push(store)
    frozen = [json.loads(r["document"]) for r in store.query("SELECT document FROM sync_batches")]
    entry = next(n for b in frozen for n in b["notices"] if n["notice"]["id"] == bare)
    assert "body" not in entry["notice"] and entry["notice"]["metadata_only"] is True
    assert entry["notice"]["counts"]["list_rows"] == 3
    assert [a["kind"] for a in entry["attachments"]] == ["photo"]  # no rendered sheet
    assert entry["notice"]["postings"][0]["board"] == "镇政务公开栏"
    other = next(n for b in frozen for n in b["notices"] if n["notice"]["id"] == whole)
    assert {a["kind"] for a in other["attachments"]} == {"photo", "pdf"}

    held = _row(db, bare)
    assert (held["metadata_only"], held["offline_only"]) == (1, 1)
    assert SECRET not in held["document"] and "青石镇2026年第四季度" in held["title"]
    on_disk = _county_bytes(db)
    assert SECRET.encode("utf-8") in on_disk  # the other notice went whole: the search works
    page, _form = _staff(base, db)
    html = page.get("/").text
    row_html = html[html.index(f'id="n-{bare}"'):]
    row_html = row_html[:row_html.index("</tr>")]
    assert "仅报送元数据，未含正文" in row_html and "名单1份共3行" in row_html
    assert SECRET not in row_html
    page.close()
    figures = _stats(db)
    assert (figures["offline_only"], figures["metadata_only"]) == (2, 1)
    said = county_process("stats", "--db", db).stdout
    assert "仅限线下公开 2，仅元数据 1" in said


def test_a_fresh_county_holds_not_one_byte_of_a_metadata_only_body(
        serve_process, store, gk, monkeypatch) -> None:  # noqa: F811
    _desk(store)
    gk("catalog", "metadata-only", "shjz-003", "on")
    bare = _approved(store, "shjz-003", "青石镇2026年第四季度低保审批对象公示")
    db, _base = _county(serve_process, store, monkeypatch)
    _push(store)
    assert _row(db, bare)["metadata_only"] == 1
    on_disk = _county_bytes(db)
    assert "青石镇2026年第四季度低保审批对象公示".encode() in on_disk
    assert SECRET.encode("utf-8") not in on_disk
    # The 名单's names are in the body too: none of them reached the county.
    for row in dibao_rows(3):
        assert row[1].encode("utf-8") not in on_disk


def test_switching_metadata_only_on_later_sends_the_notice_again_without_its_body(
        serve_process, store, gk, monkeypatch) -> None:  # noqa: F811
    _desk(store)
    sent = _approved(store, "shjz-003", "青石镇低保审批对象公示")
    db, _base = _county(serve_process, store, monkeypatch)
    _push(store)
    assert SECRET in _row(db, sent)["document"]
    said = gk("catalog", "metadata-only", "shjz-003", "on")
    assert "1条将在下次同步时按此重新报送" in said.stdout
    assert drafts.get_notice(store, sent).sync == "queued"
    _push(store)
    held = _row(db, sent)
    assert held["metadata_only"] == 1 and SECRET not in held["document"]
    assert drafts.get_notice(store, sent).sync == "accepted"
    gk("catalog", "metadata-only", "shjz-003", "off")
    _push(store)
    assert SECRET in _row(db, sent)["document"] and _row(db, sent)["metadata_only"] == 0


def test_the_usb_road_marks_the_same(store, gk, tmp_path) -> None:
    from app.sync import signing

    _desk(store)
    gk("catalog", "metadata-only", "shjz-003", "on")
    bare = _approved(store, "shjz-003", "青石镇低保审批对象公示")
    out = tmp_path / "报送.zip"
    exchange.export_bundle(store, out)
    db = str(tmp_path / "county.sqlite3")
    assert county_process("token", "add", "青石镇", "--db", db).returncode == 0
    signer, _made = signing.ensure_signer(store)
    assert county_process("township-key", "青石镇", "--public-key", signer.public_text,
                          "--db", db).returncode == 0
    done = county_process("import", str(out), "--db", db)
    assert done.returncode == 0, done.stderr
    held = _row(db, bare)
    assert (held["offline_only"], held["metadata_only"]) == (1, 1)
    assert SECRET.encode("utf-8") not in _county_bytes(db)
    assert _stats(db)["offline_only"] == 1


def test_the_county_checks_the_channels_itself_and_drops_a_body_sent_anyway(
        tmp_path) -> None:
    with running_county(str(tmp_path / "county.sqlite3")) as county:
        town = county.township("城关镇")
        says_online = notice(title="低保审批对象公示", offline_only=False,
                             channels=["社区/企事业单位/村公示栏（电子屏）"], audience=["特定群体"])
        older = notice(title="没有渠道键的旧版乡镇")
        older.item.update(channels=["政府网站"], audience=["特定群体"])
        leaky = notice(title="仅元数据却带了正文", metadata_only=True, body=SECRET)
        web = notice(title="办事指南", channels=["政府网站"], audience=["全社会"])
        town.push(batch("城关镇", [says_online, older, leaky, web]), [])
        from app.county.received import received_notices

        rows, _total = received_notices(county.db, 1)
        flags = {r.title: (r.offline_only, r.metadata_only, r.body) for r in rows}
        assert flags["低保审批对象公示"][0] and flags["没有渠道键的旧版乡镇"][0]
        assert flags["仅元数据却带了正文"][1:] == (True, "")
        assert flags["办事指南"][:2] == (False, False)
    assert SECRET.encode("utf-8") not in _county_bytes(str(tmp_path / "county.sqlite3"))


def test_a_version_4_county_database_gains_the_marks_from_what_it_holds(tmp_path) -> None:
    path = tmp_path / "county.sqlite3"
    with running_county(str(path)) as county:
        town = county.township("城关镇")
        held = notice(title="低保审批对象公示", channels=["社区/企事业单位/村公示栏（电子屏）"],
                      audience=["特定群体"])
        town.push(batch("城关镇", [held]), [])
    conn = sqlite3.connect(path)
    for table, column in (("notices", "offline_only"), ("notices", "metadata_only"),
                          ("notices", "online_reason"), ("replies", "online_reason")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("UPDATE meta SET value = '4' WHERE key = ?", (VERSION_KEY,))
    conn.commit()
    conn.close()
    db = open_database(path)
    with db.read() as read:
        assert read.execute(meta.select().where(meta.c.key == VERSION_KEY)).one().value == \
            str(LATEST) == "5"
    db.close()
    assert _row(str(path), held.notice_id)["offline_only"] == 1


def _entry(extra: dict) -> dict:
    return {"format": "gongkai-batch", "version": 1,
            "batch_id": "8a1b5b7e-2d7c-4b8e-9a43-3c2d1e0f9a11", "township": "青石镇",
            "notices": [{"notice": {"id": "n1", "title": "t", **extra}}]}


@pytest.mark.parametrize("extra", [{"channels": "政府网站"}, {"audience": [1, 2]},
                                   {"offline_only": "yes"}, {"metadata_only": 1},
                                   {"channels": ["x"] * 101}])
def test_a_batch_with_malformed_marks_is_refused(extra: dict) -> None:
    with pytest.raises(ProtocolError):
        Batch.from_json(_entry(extra))


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20))
def test_the_county_reads_any_payload_into_two_booleans(data: object) -> None:
    payload = data if isinstance(data, dict) else {"notice": data, "item": data}
    offline, bare = payload_flags(payload)
    assert isinstance(offline, bool) and isinstance(bare, bool)
