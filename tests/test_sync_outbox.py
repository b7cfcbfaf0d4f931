"""The township side of sync without a network: queueing, frozen batches, USB files."""

import json
import zipfile

import pytest
from tests_support import approve_step

from app.notices import boards, county_queue, drafts
from app.sync import exchange, outbox
from app.sync.bundle import read_bundle
from app.sync.protocol import BatchReceipt, ProtocolError, Reply
from app.township import set_township

pytestmark = pytest.mark.usefixtures("pinned_today")


@pytest.fixture
def township(store):
    set_township(store, "青石镇", "东山县", "0551-62345678")
    boards.set_villages(store, ["东山村"])
    return store


def approved(store, title="公示") -> str:
    n = drafts.create_notice(store, "shjz-002", formed="2026-11-20", title=title)
    for reviewer in ("王明", "李华", "赵强"):
        approve_step(store, n.id, reviewer)
    return n.id


def test_approval_queues_and_going_back_to_draft_unqueues(township) -> None:
    nid = approved(township)
    assert drafts.get_notice(township, nid).sync == "queued"
    assert outbox.sync_status(township).queued == 1
    drafts.edit_notice(township, nid, body="改过的正文", author="王明")
    assert drafts.get_notice(township, nid).sync == "none"
    assert outbox.sync_status(township).queued == 0


def test_batches_freeze_once_and_a_receipt_closes_them(township, tmp_path) -> None:
    photo = tmp_path / "board.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"photo" * 100)
    ids = [approved(township, f"公示{k}") for k in range(3)]
    boards.post(township, ids[0], "镇政务公开栏", photo=photo)
    made = outbox.form_batches(township)
    assert len(made) == 1 and outbox.form_batches(township) == []  # frozen once
    pending = outbox.pending_batches(township)
    batch = pending[0].batch
    assert sorted(p.notice_id for p in batch.notices) == sorted(ids)
    assert [a.kind for a in batch.blobs()] == ["photo"]
    assert {drafts.get_notice(township, i).sync for i in ids} == {"sent"}
    status = outbox.sync_status(township)
    assert (status.queued, status.in_flight) == (0, 3)
    replies = [Reply(ids[0], "received", seq=1), Reply(ids[1], "published", "https://x/1", seq=2),
               Reply(ids[2], "returned", reason="缺少公示期", seq=3)]
    outbox.record_receipt(township, BatchReceipt(made[0], False, replies))
    assert outbox.pending_batches(township) == []
    assert [drafts.get_notice(township, i).sync for i in ids] == ["accepted", "accepted",
                                                                  "returned"]
    status = outbox.sync_status(township)
    assert (status.queued, status.in_flight) == (0, 0) and status.last_ok
    assert status.returned == [{"id": ids[2], "title": "公示2", "reason": "缺少公示期"}]


def test_usb_file_round_trip_and_any_changed_byte_is_refused(township, tmp_path) -> None:
    photo = tmp_path / "board.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    nid = approved(township)
    boards.post(township, nid, "镇政务公开栏", photo=photo)
    out = tmp_path / "batch.zip"
    batches = exchange.export_bundle(township, out)
    assert len(batches) == 1
    bundle = read_bundle(out)
    assert bundle.batch.batch_id == batches[0].batch_id
    assert list(bundle.blobs.values()) == [photo.read_bytes()]
    # The file carries the very document a push would send.
    frozen = outbox.pending_batches(township)[0].text
    with zipfile.ZipFile(out) as archive:
        assert archive.read(f"batches/{batches[0].batch_id}.json").decode() == frozen
        assert json.loads(archive.read("manifest.json"))["township"] == "青石镇"
    data = out.read_bytes()
    for where in (len(data) // 3, len(data) // 2, len(data) - 30):
        broken = tmp_path / f"broken{where}.zip"
        changed = bytearray(data)
        changed[where] ^= 0x01
        broken.write_bytes(bytes(changed))
        with pytest.raises(ProtocolError):
            read_bundle(broken)


def test_a_thousand_waiting_notices_make_several_batches_in_one_file(township, tmp_path) -> None:
    for k in range(450):
        n = drafts.create_notice(township, "shjz-002", formed="2026-11-20", title=f"第{k}条")
        township.conn.execute("UPDATE notices SET status = 'approved', approved_rev = 1"
                              " WHERE id = ?", (n.id,))
    assert county_queue.sweep(township) == 450
    out = tmp_path / "many.zip"
    batches = exchange.export_bundle(township, out)
    assert [len(b.notices) for b in batches] == [200, 200, 50]
    bundle = read_bundle(out)
    assert [b.batch_id for b in bundle.batches] == [b.batch_id for b in batches]
    assert sum(len(b.notices) for b in bundle.batches) == 450


def test_every_flipped_bit_in_a_compressed_batch_is_refused_in_one_sentence(township,
                                                                            tmp_path) -> None:
    import struct

    approved(township)
    out = tmp_path / "batch.zip"
    batch_id = exchange.export_bundle(township, out)[0].batch_id
    with zipfile.ZipFile(out) as archive:
        info = archive.getinfo(f"batches/{batch_id}.json")
    raw = out.read_bytes()
    name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:
                                                   info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    assert info.compress_type == zipfile.ZIP_DEFLATED
    original = read_bundle(out).batch
    broken = tmp_path / "broken.zip"
    refused = 0
    for k in range(info.compress_size):
        changed = bytearray(raw)
        changed[start + k] ^= 0x01
        broken.write_bytes(bytes(changed))
        try:
            # A flip in the deflate stream's unused padding bits changes nothing it holds.
            assert read_bundle(broken).batch == original
        except ProtocolError as err:
            assert str(err) == "U盘文件已损坏或被改动，未导入任何内容。"
            refused += 1
    assert refused >= info.compress_size * 0.9
