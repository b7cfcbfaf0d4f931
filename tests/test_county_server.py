"""The county server over real HTTP on 127.0.0.1, on SQLite and on a real PostgreSQL.

Each test gets a fresh database and its own server (uvicorn in a thread); the
township side is spoken with httpx exactly as the protocol says.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_county_support import (
    County,
    batch,
    blob,
    database_for,
    notice,
    running_county,
)

from app.county.answers import mark
from app.county.calendars import load_calendar
from app.county.catalog_versions import load_catalog
from app.county.stats import stats
from app.county.tokens import township_id
from app.sync.protocol import (
    MAX_BATCH_BYTES,
    MAX_BLOB_BYTES,
    MAX_NOTICES_PER_BATCH,
    BatchReceipt,
    sha256_hex,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def county(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[County]:
    """A fresh county server on SQLite, then on PostgreSQL."""
    url, reason = database_for(request.param, tmp_path)
    if reason:
        pytest.skip(reason)
    with running_county(url) as running:
        yield running


def tid(county: County, name: str) -> int:
    """A township's id in the county database."""
    with county.db.read() as conn:
        found = township_id(conn, name)
    assert found is not None
    return found


def is_chinese_sentence(text: str) -> bool:
    """One plain sentence in Chinese, ending with its full stop."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text) and text.endswith("。")


def test_hello_names_the_township_and_the_limits(county: County) -> None:
    town = county.township("城关镇")
    answer = town.http.get("/hello").json()
    assert answer["township"] == "城关镇"
    assert answer["limits"] == {"max_blob_bytes": MAX_BLOB_BYTES,
                                "max_batch_bytes": MAX_BATCH_BYTES,
                                "max_notices_per_batch": MAX_NOTICES_PER_BATCH}


def test_no_token_or_a_wrong_or_staff_token_is_refused_in_chinese(county: County) -> None:
    county.token("城关镇")
    staff = county.token("张科长", staff=True)
    for client in (county.client(), county.client("not-a-token"), county.client(staff)):
        answer = client.get("/replies")
        assert answer.status_code == 401
        assert is_chinese_sentence(answer.json()["detail"])
        assert answer.headers["www-authenticate"] == "Bearer"
    unknown = county.client(county.token("城关镇")).get("/no-such-thing")
    assert unknown.status_code == 404 and is_chinese_sentence(unknown.json()["detail"])


def test_a_batch_is_stored_once_however_often_it_is_sent(county: County) -> None:
    town = county.township("城关镇")
    photos = [blob(), blob()]
    sent = batch("城关镇", [notice(photos=photos[:1]), notice(photos=photos), notice()])
    first = town.push(sent, photos)
    assert first["replayed"] is False
    assert [r["state"] for r in first["replies"]] == ["received"] * 3
    assert [r["seq"] for r in first["replies"]] == [1, 2, 3]
    again = town.push(sent, photos)
    assert again["replayed"] is True
    assert again["replies"] == first["replies"]
    assert BatchReceipt.from_json(again).replies == BatchReceipt.from_json(first).replies
    assert town.missing([sha256_hex(p) for p in photos]) == []
    assert stats(county.db) == {"townships": 1, "notices": 3, "batches": 1, "attachments": 2,
                                "bytes": sum(map(len, photos)), "published": 0, "returned": 0,
                                "offline_only": 0, "metadata_only": 0}
    assert [r["seq"] for r in town.replies()["replies"]] == [1, 2, 3]


def test_a_half_uploaded_batch_is_refused_then_resumes_without_resending(county: County) -> None:
    town = county.township("城关镇")
    photos = [blob(), blob(), blob()]
    sent = batch("城关镇", [notice(photos=photos)])
    hashes = [sha256_hex(p) for p in photos]
    assert town.missing(hashes) == hashes
    assert town.upload(photos[0]).status_code == 201  # then the line drops
    early = town.put_batch(sent)
    assert early.status_code == 409
    assert sorted(early.json()["missing"]) == sorted(hashes[1:])
    assert is_chinese_sentence(early.json()["detail"])
    assert stats(county.db)["notices"] == 0 and stats(county.db)["batches"] == 0
    # The resend asks again and uploads only the two it lacks.
    assert town.missing(hashes) == hashes[1:]
    assert town.upload(photos[0]).status_code == 200
    receipt = town.push(sent, photos)
    assert receipt["replayed"] is False
    assert stats(county.db)["attachments"] == 3 and stats(county.db)["notices"] == 1


def test_a_later_revision_replaces_and_a_late_older_one_changes_nothing(county: County) -> None:
    town = county.township("城关镇")
    nid = "3b0f6c62-4a57-4c39-9a55-3f2d35d0e001"
    town.push(batch("城关镇", [notice(nid, title="第一版标题", rev=1)]), [])
    mark(county.db, tid(county, "城关镇"), nid, "returned", reason="名单缺少家庭人口")
    revised = town.push(batch("城关镇", [notice(nid, title="第二版标题", rev=2)]), [])
    assert revised["replies"][0]["state"] == "received"
    late = town.push(batch("城关镇", [notice(nid, title="第一版标题", rev=1)]), [])
    assert late["replies"] == revised["replies"]
    with county.db.read() as conn:
        row = conn.exec_driver_sql("SELECT title, rev, state FROM notices").one()
    assert tuple(row) == ("第二版标题", 2, "received")
    assert stats(county.db)["notices"] == 1 and stats(county.db)["batches"] == 3


def test_same_revision_with_a_new_photo_keeps_the_county_answer(county: County) -> None:
    town = county.township("城关镇")
    nid = "3b0f6c62-4a57-4c39-9a55-3f2d35d0e002"
    town.push(batch("城关镇", [notice(nid)]), [])
    published = mark(county.db, tid(county, "城关镇"), nid, "published",
                     url="https://www.example.gov.cn/xxgk/1.html")
    photo = blob()
    again = town.push(batch("城关镇", [notice(nid, photos=[photo])]), [photo])
    assert again["replies"][0] == published.to_json()
    with county.db.read() as conn:
        document = conn.exec_driver_sql("SELECT document, state FROM notices").one()
    assert sha256_hex(photo) in document[0] and document[1] == "published"


def test_one_township_cannot_reach_another(county: County) -> None:
    a, b = county.township("城关镇"), county.township("河口乡")
    secret_photo = blob()
    nid = "3b0f6c62-4a57-4c39-9a55-3f2d35d0e003"
    b_batch = batch("河口乡", [notice(nid, title="河口乡的公示", photos=[secret_photo])])
    b.push(b_batch, [secret_photo])
    digest = sha256_hex(secret_photo)
    # Probe: B's photo is "missing" for A, so A learns nothing about what B holds.
    assert a.missing([digest]) == [digest]
    # A cannot send for B, nor read B's replies.
    forged = a.put_batch(batch("河口乡", [notice(title="冒名")]))
    assert forged.status_code == 403 and "河口乡" in forged.json()["detail"]
    assert a.replies()["replies"] == [] and a.replies()["last"] == 0
    # A batch of A's that names B's photo (which A never uploaded) is refused.
    taken = a.put_batch(batch("城关镇", [notice(photos=[secret_photo])]))
    assert taken.status_code == 409 and taken.json()["missing"] == [digest]
    # Reusing B's batch id and notice id only ever makes A's own records.
    copy = a.push(batch("城关镇", [notice(nid, title="城关镇的同号公示", rev=9)],
                        b_batch.batch_id), [])
    assert copy["replayed"] is False
    # Uploading other bytes under B's hash is refused; the same bytes become A's own copy.
    assert a.http.put(f"/blobs/{digest}", content=b"other bytes").status_code == 422
    assert a.upload(secret_photo).status_code == 201
    with county.db.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT t.name, n.title, n.rev FROM notices n JOIN townships t"
            " ON t.id = n.township_id ORDER BY t.name").all()
    assert sorted(map(tuple, rows)) == [("城关镇", "城关镇的同号公示", 9),
                                        ("河口乡", "河口乡的公示", 1)]
    assert [r["notice_id"] for r in b.replies()["replies"]] == [nid]
    assert b.push(b_batch, [secret_photo])["replayed"] is True


def test_size_limits_are_enforced_while_reading(county: County) -> None:
    town = county.township("城关镇")
    big = b"\0" * (MAX_BLOB_BYTES + 1)
    declared = town.upload(big)
    assert declared.status_code == 413 and is_chinese_sentence(declared.json()["detail"])

    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BLOB_BYTES // (1 << 20) + 1):
            yield b"\0" * (1 << 20)

    # No Content-Length (chunked): the cap still stops it part way.
    streamed = town.http.put(f"/blobs/{'0' * 64}", content=chunks())
    assert streamed.status_code == 413
    huge = batch("城关镇", [notice(body="字" * (MAX_BATCH_BYTES // 3 + 10))])
    assert town.put_batch(huge).status_code == 413
    too_many = batch("城关镇", [notice() for _ in range(MAX_NOTICES_PER_BATCH + 1)])
    answer = town.put_batch(too_many)
    assert answer.status_code == 422 and str(MAX_NOTICES_PER_BATCH) in answer.json()["detail"]
    assert stats(county.db)["attachments"] == 0 and stats(county.db)["notices"] == 0


def test_bad_hashes_ids_and_documents_are_refused(county: County) -> None:
    town = county.township("城关镇")
    photo = blob()
    wrong = town.http.put(f"/blobs/{sha256_hex(b'something else')}", content=photo)
    assert wrong.status_code == 422 and is_chinese_sentence(wrong.json()["detail"])
    upper = town.http.put(f"/blobs/{sha256_hex(photo).upper()}", content=photo)
    assert upper.status_code == 422
    assert town.http.post("/blobs/missing", json={"sha256": ["xyz"]}).status_code == 422
    assert town.http.post("/blobs/missing", content=b"{not json").status_code == 422
    good = batch("城关镇", [notice()])
    moved = town.http.put(f"/batches/{batch('城关镇', []).batch_id}", json=good.to_json())
    assert moved.status_code == 422 and "不一致" in moved.json()["detail"]
    assert town.http.put("/batches/not-a-uuid", json=good.to_json()).status_code == 422
    junk = town.http.put(f"/batches/{good.batch_id}", json={"format": "something"})
    assert junk.status_code == 422 and is_chinese_sentence(junk.json()["detail"])
    bad_after = town.http.get("/replies", params={"after": "abc"})
    assert bad_after.status_code == 422 and is_chinese_sentence(bad_after.json()["detail"])
    assert stats(county.db)["attachments"] == 0 and stats(county.db)["batches"] == 0


def test_county_answers_come_back_after_a_sequence_number(county: County) -> None:
    town = county.township("城关镇")
    first, second = notice(), notice()
    receipt = town.push(batch("城关镇", [first, second]), [])
    seen = max(r["seq"] for r in receipt["replies"])
    assert town.replies(seen) == {"replies": [], "last": seen, "more": False}
    township = tid(county, "城关镇")
    mark(county.db, township, first.notice_id, "published",
         url="https://www.example.gov.cn/xxgk/2.html", staff="张科长")
    mark(county.db, township, second.notice_id, "returned", reason="公示期写错了，应为7个工作日")
    news = town.replies(seen)["replies"]
    assert [(r["notice_id"], r["state"], r["url"], r["reason"]) for r in news] == [
        (first.notice_id, "published", "https://www.example.gov.cn/xxgk/2.html", None),
        (second.notice_id, "returned", None, "公示期写错了，应为7个工作日")]
    assert [r["seq"] for r in news] == [seen + 1, seen + 2]
    assert town.replies(seen + 1)["replies"] == news[1:]
    paged = town.http.get("/replies", params={"after": 0, "limit": 1}).json()
    assert len(paged["replies"]) == 1 and paged["more"] is True
    assert stats(county.db)["published"] == 1 and stats(county.db)["returned"] == 1


def test_catalog_and_calendar_are_pulled(county: County) -> None:
    town = county.township("城关镇")
    assert town.http.get("/catalog").json() == {"version": 0, "items": []}
    items = [{"id": "shjz-005", "domain": "社会救助", "seq": 5, "level1": "最低生活保障",
              "level2": "审核信息", "time_limit": "制定或获取信息之日起10个工作日内"}]
    assert load_catalog(county.db, items, "test") == 1
    pulled = town.http.get("/catalog", params={"after": 0}).json()
    assert pulled["version"] == 1 and [i["id"] for i in pulled["items"]] == ["shjz-005"]
    assert pulled["items"][0]["rule"]["kind"] == "workdays"
    assert town.http.get("/catalog", params={"after": 1}).json() == {"version": 1, "items": []}
    assert load_catalog(county.db, items + [{**items[0], "id": "shjz-006", "seq": 6}]) == 2
    assert len(town.http.get("/catalog", params={"after": 1}).json()["items"]) == 2
    missing = town.http.get("/calendar/2027")
    assert missing.status_code == 404 and "2027" in missing.json()["detail"]
    arrangement = {"year": 2027, "holidays": ["2027-01-01", "2027-10-01"],
                   "workdays": ["2027-02-06"]}
    load_calendar(county.db, arrangement)
    assert town.http.get("/calendar/2027").json() == arrangement


def test_the_same_batch_arriving_at_once_on_several_connections_is_stored_once(
        county: County) -> None:
    town = county.township("城关镇")
    sent = batch("城关镇", [notice() for _ in range(20)])
    answers: list[httpx.Response] = []

    def send() -> None:
        with httpx.Client(base_url=str(town.http.base_url), headers=town.http.headers,
                          timeout=30) as client:
            answers.append(client.put(f"/batches/{sent.batch_id}", json=sent.to_json()))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [200] * 4
    assert sorted(a.json()["replayed"] for a in answers) == [False, True, True, True]
    assert stats(county.db)["notices"] == 20 and stats(county.db)["batches"] == 1
    assert len(town.replies()["replies"]) == 20
