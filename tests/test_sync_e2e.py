"""End to end on 127.0.0.1: the township client against the real ``gongkai-county serve``.

A thousand approved notices with two hundred photos are pushed while the
server is killed at random moments and restarted; the county ends with each
notice and each photo once and the township's outbox empty. The same data
as a USB file gives the same totals, once however often it is imported.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_county_cli import county_process, serve_process  # noqa: F401  (fixture)
from tests_support import fill_outbox

from app.notices import drafts
from app.sync import exchange, outbox
from app.sync.http_client import RetryPolicy, SyncError

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("pinned_today"),
]


def stats(db: str) -> dict[str, int]:
    done = county_process("stats", "--json", "--db", db)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def token_for(db: str, township: str = "青石镇") -> str:
    done = county_process("token", "add", township, "--db", db)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[0]


def county_for(serve_process, store, monkeypatch) -> tuple[str, str]:  # noqa: F811
    """Start the county, give 青石镇 a token and point ``store`` at it: (database, base URL)."""
    db = str(serve_process["db"])
    monkeypatch.setenv(exchange.TOKEN_ENV, token_for(db))
    base = f"http://127.0.0.1:{serve_process['port']}"
    store.set_settings({"sync.server": base})
    serve_process["start"]()
    return db, base


def test_push_survives_server_kills_and_stores_each_notice_once(
        serve_process, store, monkeypatch) -> None:  # noqa: F811
    fill_outbox(store, 1000, 200)
    db = str(serve_process["db"])
    monkeypatch.setenv(exchange.TOKEN_ENV, token_for(db))
    store.set_settings({"sync.server": f"http://127.0.0.1:{serve_process['port']}"})
    rng = random.Random(2026)
    quick = RetryPolicy(attempts=3, base=0.05, cap=0.2)
    kills = 0
    for _round in range(60):
        serve_process["start"]()
        proc = serve_process["proc"]
        killer = threading.Timer(rng.uniform(0.05, 0.6), proc.send_signal, (signal.SIGKILL,))
        killer.start()
        try:
            with exchange.connect(store, retry=quick) as client:
                exchange.push(store, client)
        except SyncError:
            pass
        else:
            if not outbox.pending_batches(store):
                killer.cancel()
                break
        finally:
            killer.join()
            kills += proc.poll() is not None
            proc.kill()
            proc.wait(10)
    assert kills >= 3, "the server should have died under the push several times"
    assert not outbox.pending_batches(store)
    status = outbox.sync_status(store)
    assert (status.queued, status.in_flight) == (0, 0)
    totals = stats(db)
    assert (totals["notices"], totals["attachments"]) == (1000, 200), totals


def test_the_client_killed_mid_push_loses_nothing_and_sends_nothing_twice(
        serve_process, store, tmp_path) -> None:  # noqa: F811
    fill_outbox(store, 600, 50)
    db = str(serve_process["db"])
    token = token_for(db)
    store.set_settings({"sync.server": f"http://127.0.0.1:{serve_process['port']}"})
    serve_process["start"]()
    env = {"GONGKAI_COUNTY_TOKEN": token, "GONGKAI_TODAY": "2026-11-23"}
    command = [sys.executable, "-m", "ui.launch", "--data-dir", str(store.folder), "sync",
               "push", "--json"]
    rng = random.Random(11)
    for _round in range(20):
        child = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.2, 0.8))
        child.kill()
        child.wait(10)
        if child.returncode == 0:
            break
    finished = subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                              text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert not outbox.pending_batches(store)
    totals = stats(db)
    assert (totals["notices"], totals["attachments"]) == (600, 50), totals


def test_usb_file_gives_the_same_totals_once_and_a_changed_byte_is_refused(
        store, tmp_path) -> None:
    fill_outbox(store, 1000, 200)
    out = tmp_path / "报送.zip"
    batches = exchange.export_bundle(store, out)
    assert sum(len(b.notices) for b in batches) == 1000
    db = str(tmp_path / "county.sqlite3")
    token_for(db)
    _register_by_staff(store, db)  # the desk's key, carried on paper (signed files, issue 16)
    first = county_process("import", str(out), "--db", db)
    assert first.returncode == 0, first.stderr
    totals = stats(db)
    assert (totals["notices"], totals["attachments"]) == (1000, 200), totals
    again = county_process("import", str(out), "--db", db)
    assert again.returncode in (0, 1) and stats(db) == totals
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bytes(data))
    fresh = str(tmp_path / "fresh.sqlite3")
    token_for(fresh)
    _register_by_staff(store, fresh)
    refused = county_process("import", str(broken), "--db", fresh)
    assert refused.returncode == 1 and refused.stderr.strip()
    assert stats(fresh)["notices"] == 0 and stats(fresh)["attachments"] == 0


def test_a_returned_notice_shows_the_county_reason_after_pull(
        serve_process, store, monkeypatch) -> None:  # noqa: F811
    ids = fill_outbox(store, 3, 0)
    db, base = county_for(serve_process, store, monkeypatch)
    with exchange.connect(store) as client:
        assert exchange.push(store, client).notices == 3
    assert {drafts.get_notice(store, i).sync for i in ids} == {"accepted"}
    staff = _staff_token(db)
    _county_answers(base, staff, ids[0], "returned", "名单缺少家庭人口，请补充后重报。")
    _county_answers(base, staff, ids[1], "published", "https://www.example.gov.cn/gk/1.html")
    with exchange.connect(store) as client:
        pulled = exchange.pull(store, client)
    assert (pulled.replies, pulled.returned) == (2, 1)
    returned = drafts.get_notice(store, ids[0])
    assert returned.sync == "returned"
    assert returned.county_reason == "名单缺少家庭人口，请补充后重报。"
    from app.reports.due import due_lines

    line = next(d for d in due_lines(store) if d.notice_id == ids[0])
    assert line.kind == "returned" and "名单缺少家庭人口" in line.detail
    status = outbox.sync_status(store)
    assert status.returned[0]["reason"] == "名单缺少家庭人口，请补充后重报。"
    row = store.conn.execute("SELECT county_url FROM notices WHERE id = ?", (ids[1],)).fetchone()
    assert row[0] == "https://www.example.gov.cn/gk/1.html"


def _staff_token(db: str) -> str:
    done = county_process("token", "add", "张科长", "--staff", "--db", db)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[0]


def _county_answers(base: str, staff: str, notice_id: str, state: str, text: str) -> None:
    """What county staff do on their page: sign in, then mark a notice."""
    import re

    import httpx

    with httpx.Client(base_url=base, follow_redirects=False, timeout=10) as page:
        assert page.post("/login", data={"token": staff}).status_code == 303
        html = page.get("/").text
        key = re.search(r'name="key" value="([0-9a-f]+)"', html)
        township = re.search(r'name="township" value="(\d+)"', html)
        assert key and township
        field = "url" if state == "published" else "reason"
        # The 低保 notices of these tests are 不上网: staff confirm they go online anyway.
        confirm = ({"confirm_online": "yes", "online_reason": "县民政局同意在专栏公开"}
                   if state == "published" else {})
        done = page.post("/mark", data={"key": key.group(1), "township": township.group(1),
                                        "notice_id": notice_id, "state": state, field: text,
                                        "back": "/", **confirm})
        assert done.status_code == 303, done.text


# -- signed USB files both ways (issue 16) -----------------------------------------------

pytest_plugins = ["keyring_support"]


def _register_by_staff(store, db: str) -> None:
    """Staff enter the desk's public key carried on paper (the desk makes it on first need)."""
    from app.sync import signing

    signer, _made = signing.ensure_signer(store)
    done = county_process("township-key", "青石镇", "--public-key", signer.public_text,
                          "--db", db)
    assert done.returncode == 0 and signer.fingerprint in done.stdout, done.stderr


def test_a_township_without_network_hears_back_by_usb(
        serve_process, store, gk, tmp_path, no_keyring) -> None:  # noqa: F811
    ids = fill_outbox(store, 3, 1)
    db = str(serve_process["db"])
    token_for(db)
    _register_by_staff(store, db)
    out = tmp_path / "报送.zip"
    exchange.export_bundle(store, out)
    assert county_process("import", str(out), "--db", db).returncode == 0
    serve_process["start"]()
    base = f"http://127.0.0.1:{serve_process['port']}"
    staff = _staff_token(db)
    _county_answers(base, staff, ids[0], "returned", "照片不清楚，请重拍")
    _county_answers(base, staff, ids[1], "published", "https://www.example.gov.cn/gk/2.html")
    # The county's key goes to the desk once, on paper: the clerk types it in.
    shown = county_process("county-key", "--json", "--db", db)
    county_key = json.loads(shown.stdout)
    typed = gk("sync", "key", "--county-key", county_key["public_key"])
    assert county_key["fingerprint"] in typed.stdout
    answers = tmp_path / "青石镇答复.zip"
    made = county_process("replies", "--township", "青石镇", "--out", str(answers), "--db", db)
    assert made.returncode == 0 and "5条答复、1个批次回执" in made.stdout, made.stdout
    assert {drafts.get_notice(store, i).sync for i in ids} == {"sent"}

    done = gk("sync", "import", str(answers), "--json")
    assert json.loads(done.stdout) == {"replies": 5, "returned": 1, "published": 1,
                                       "receipts": 1}
    returned, published, received = (drafts.get_notice(store, i) for i in ids)
    assert (returned.sync, returned.county_reason) == ("returned", "照片不清楚，请重拍")
    assert published.sync == "accepted" and published.county_url == \
        "https://www.example.gov.cn/gk/2.html"
    assert received.sync == "accepted"
    status = outbox.sync_status(store)
    assert (status.queued, status.in_flight) == (0, 0) and not outbox.pending_batches(store)
    again = gk("sync", "import", str(answers))
    assert "此前都已收到" in again.stdout
    assert drafts.get_notice(store, ids[0]).county_reason == "照片不清楚，请重拍"


def test_a_tampered_or_foreign_reply_file_is_refused(
        store, gk, tmp_path, no_keyring) -> None:
    import zipfile

    from app.sync.bundle import MANIFEST, SIGNATURE, Signer

    ids = fill_outbox(store, 2, 0)
    db = str(tmp_path / "county.sqlite3")
    token_for(db)
    token_for(db, "红土乡")
    _register_by_staff(store, db)
    out = tmp_path / "报送.zip"
    exchange.export_bundle(store, out)
    assert county_process("import", str(out), "--db", db).returncode == 0
    key = json.loads(county_process("county-key", "--json", "--db", db).stdout)
    gk("sync", "key", "--county-key", key["public_key"])
    mine, foreign = tmp_path / "青石镇答复.zip", tmp_path / "红土乡答复.zip"
    for name, path in (("青石镇", mine), ("红土乡", foreign)):
        assert county_process("replies", "--township", name, "--out", str(path),
                              "--db", db).returncode == 0
    with zipfile.ZipFile(mine) as archive:
        head = json.loads(archive.read(MANIFEST))
        signature = archive.read(SIGNATURE)
    for reply in head["replies"]:
        reply.update(state="returned", reason="伪造的退回理由")
    forged = json.dumps(head, ensure_ascii=False).encode("utf-8")
    tampered, other_key = tmp_path / "改过.zip", tmp_path / "别的县.zip"
    for path, sig in ((tampered, signature), (other_key, Signer.new().signature(forged))):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(MANIFEST, forged)
            archive.writestr(SIGNATURE, sig)
    refusals = {foreign: "是给「红土乡」的", tampered: "签名对不上", other_key: "不是本县平台"}
    for path, words in refusals.items():
        done = gk("sync", "import", str(path), check=False)
        assert done.returncode == 1 and words in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert {drafts.get_notice(store, i).sync for i in ids} == {"sent"}
    assert store.scalar("SELECT count(*) FROM county_replies") == 0


def test_login_registers_the_desk_key_and_a_rotation_retires_the_old_one(
        serve_process, store, gk, tmp_path, monkeypatch, no_keyring) -> None:  # noqa: F811
    from app.sync import signing

    fill_outbox(store, 2, 0)
    db, base = county_for(serve_process, store, monkeypatch)
    hello = exchange.login(store, base, os.environ[exchange.TOKEN_ENV], keep=False)
    status = signing.key_status(store)
    assert hello["key_fingerprint"] == status["fingerprint"]
    assert hello["county_key_fingerprint"] == status["county_fingerprint"]
    shown = county_process("township-key", "青石镇", "--json", "--db", db)
    assert json.loads(shown.stdout)["fingerprint"] == status["fingerprint"]
    old_file = tmp_path / "旧.zip"
    exchange.export_bundle(store, old_file)
    rotated = gk("sync", "key", "--new")
    assert "已换用新的签名密钥并在县里登记" in rotated.stdout
    refused = county_process("import", str(old_file), "--db", db)
    assert refused.returncode == 1 and "旧密钥" in refused.stderr
    new_file = tmp_path / "新.zip"
    exchange.export_bundle(store, new_file)
    assert county_process("import", str(new_file), "--db", db).returncode == 0
    assert stats(db)["notices"] == 2
