"""``gongkai-county``: tokens, USB import, stats, catalog and calendar loads, and the real serve.

Most commands run in-process through ``app.county.cli.main`` (the same code as
the console script); the token test and the kill-and-restart test run the real
console script as a separate process.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_county_support import (
    Township,
    batch,
    blob,
    database_for,
    free_port,
    notice,
    running_county,
)

from app.county.answers import mark
from app.county.cli import main
from app.county.database import open_database
from app.county.keys import register_by_name
from app.county.tokens import township_id
from app.sync.bundle import Signer, write_bundle
from app.sync.protocol import API, Batch, sha256_hex

ROOT = Path(__file__).resolve().parents[1]
ZERO = {"notices": 0, "batches": 0, "attachments": 0, "bytes": 0, "published": 0,
        "returned": 0,
        "offline_only": 0, "metadata_only": 0}


def county(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``gongkai-county ARGS`` in-process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(list(args))
    out = capsys.readouterr()
    return int(stop.value.code or 0), out.out, out.err


def county_process(*args: str, env: dict[str, str] | None = None,
                   wait: bool = True) -> subprocess.CompletedProcess[str] | subprocess.Popen:
    """The county's command line as its own process, from this source tree.

    ``python -m`` from the tree's root rather than ``.venv/bin/gongkai-county``: the
    installed script imports whichever tree the venv was installed from, which is
    not this one in a second worktree.
    """
    command = [sys.executable, "-m", "app.county.cli"]
    full_env = {**os.environ, **(env or {})}
    if not wait:
        return subprocess.Popen([*command, *args], cwd=ROOT, env=full_env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return subprocess.run([*command, *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=60)


def stats_of(db: str, capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    """``stats --json`` of a database."""
    code, out, _ = county("stats", "--json", "--db", db, capsys=capsys)
    assert code == 0
    return json.loads(out)


#: Each township's desk key, made once per test run.
SIGNERS: dict[str, Signer] = {}


def usb_file(folder: Path, batches: list[Batch], photos: list[bytes], db: str) -> Path:
    """A USB file as the township writes it (app.sync.bundle), signed by its desk's key.

    The key is registered with the county ``db`` as staff would, when the
    township is known there.
    """
    name = batches[0].township
    signer = SIGNERS.setdefault(name, Signer.new())
    opened = open_database(db)
    try:
        with opened.read() as conn:
            known = township_id(conn, name) is not None
        if known:
            register_by_name(opened, name, signer.public_text, "张科长")
    finally:
        opened.close()
    return write_bundle(batches, {sha256_hex(p): p for p in photos}, folder / "报送.zip",
                        signer=signer)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh county database, SQLite then PostgreSQL, as ``--db`` takes it."""
    url, reason = database_for(request.param, tmp_path)
    if reason:
        pytest.skip(reason)
    return url


def test_token_add_prints_the_token_once_and_keeps_only_its_hash(tmp_path: Path) -> None:
    db = tmp_path / "county.sqlite3"
    made = county_process("token", "add", "城关镇", "--db", str(db))
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert len(token) >= 43 and "只显示这一次" in made.stderr
    listed = county_process("token", "list", "--json", "--db", str(db))
    assert json.loads(listed.stdout)[0]["name"] == "城关镇" and token not in listed.stdout
    for path in tmp_path.iterdir():  # the database and its WAL
        assert token.encode() not in path.read_bytes()
    opened = open_database(db)
    with opened.read() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash, role FROM tokens").one()
    opened.close()
    assert tuple(stored) == (hashlib.sha256(token.encode()).hexdigest(), "township")


def test_usb_file_imported_twice_counts_once(db_url: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert county("token", "add", "城关镇", "--db", db_url, capsys=capsys)[0] == 0
    photos = [blob(), blob(), blob()]
    first = batch("城关镇", [notice(photos=photos[:2]), notice()])
    second = batch("城关镇", [notice(photos=photos[1:]), notice(), notice()])
    path = usb_file(tmp_path, [first, second], photos, db_url)
    code, out, _ = county("import", str(path), "--db", db_url, capsys=capsys)
    assert code == 0 and "2个新批次，5条公开信息，3个新附件" in out
    totals = {"townships": 1, "notices": 5, "batches": 2, "attachments": 3,
              "bytes": sum(map(len, photos)), "published": 0, "returned": 0,
              "offline_only": 0, "metadata_only": 0}
    assert stats_of(db_url, capsys) == totals
    code, out, _ = county("import", str(path), "--db", db_url, capsys=capsys)
    assert code == 0 and "2个批次此前都已收到" in out
    code, out, _ = county("import", str(path), "--db", db_url, "--json", capsys=capsys)
    again = json.loads(out)
    assert code == 0 and again["new_blobs"] == 0
    assert [b["replayed"] for b in again["batches"]] == [True, True]
    assert stats_of(db_url, capsys) == totals


def test_usb_file_after_the_same_batch_came_over_the_network_counts_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "county.sqlite3")
    photos = [blob(), blob()]
    sent = batch("城关镇", [notice(photos=photos[:1]), notice()])
    later = batch("城关镇", [notice(photos=photos)])
    with running_county(db) as running:
        town = running.township("城关镇")
        network = town.push(sent, photos[:1])
    code, out, _ = county("import", str(usb_file(tmp_path, [sent, later], photos, db)),
                          "--db", db, "--json", capsys=capsys)
    result = json.loads(out)
    assert code == 0 and result["new_blobs"] == 1
    assert result["batches"][0] == {**network, "replayed": True}
    assert result["batches"][1]["replayed"] is False
    assert stats_of(db, capsys) == {"townships": 1, "notices": 3, "batches": 2,
                                    "attachments": 2, "bytes": sum(map(len, photos)),
                                    "published": 0, "returned": 0,
                                    "offline_only": 0, "metadata_only": 0}


def _member_data_offset(path: Path, name: str) -> tuple[int, int]:
    """Where a zip member's (possibly compressed) bytes start in the file, and their length."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    raw = path.read_bytes()
    name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:
                                                   info.header_offset + 30])
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


@pytest.mark.parametrize("part", ["blob", "batch", "manifest"])
def test_a_usb_file_with_one_byte_changed_is_refused_and_nothing_is_stored(
        part: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "county.sqlite3")
    county("token", "add", "城关镇", "--db", db, capsys=capsys)
    photo = blob(5000)
    sent = batch("城关镇", [notice(photos=[photo])])
    path = usb_file(tmp_path, [sent], [photo], db)
    name = {"blob": f"blobs/{sha256_hex(photo)}", "batch": f"batches/{sent.batch_id}.json",
            "manifest": "manifest.json"}[part]
    start, length = _member_data_offset(path, name)
    raw = bytearray(path.read_bytes())
    raw[start + length // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    code, out, err = county("import", str(path), "--db", db, capsys=capsys)
    assert code == 1 and out == ""
    assert err.strip() == "U盘文件已损坏或被改动，未导入任何内容。"
    assert stats_of(db, capsys) == {"townships": 1, **ZERO}


def test_a_usb_file_of_an_unknown_township_is_refused(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "county.sqlite3")
    county("token", "add", "城关镇", "--db", db, capsys=capsys)
    path = usb_file(tmp_path, [batch("河口乡", [notice()])], [], db)
    code, _, err = county("import", str(path), "--db", db, capsys=capsys)
    assert code == 1 and "河口乡" in err and len(err.strip().splitlines()) == 1
    missing = county("import", str(tmp_path / "nope.zip"), "--db", db, capsys=capsys)
    assert missing[0] == 1 and "nope.zip" in missing[2]
    assert stats_of(db, capsys) == {"townships": 1, **ZERO}


def test_stats_adds_up_townships_batches_attachments_and_answers(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "county.sqlite3")
    shared = blob(3000)
    with running_county(db) as running:
        a, b = running.township("城关镇"), running.township("河口乡")
        a_notices = [notice(photos=[shared]), notice(), notice()]
        a.push(batch("城关镇", a_notices), [shared])
        a.push(batch("城关镇", [notice(a_notices[1].notice_id, rev=2)]), [])
        b.push(batch("河口乡", [notice(photos=[shared])]), [shared])
        with running.db.read() as conn:
            ta = township_id(conn, "城关镇")
        mark(running.db, ta or 0, a_notices[0].notice_id, "published",
             url="https://www.example.gov.cn/1.html")
        mark(running.db, ta or 0, a_notices[2].notice_id, "returned", reason="缺少监督电话")
    # The same photo from two townships is two stored attachments: each keeps its own.
    assert stats_of(db, capsys) == {"townships": 2, "notices": 4, "batches": 3,
                                    "attachments": 2, "bytes": 6000, "published": 1,
                                    "returned": 1,
                                    "offline_only": 0, "metadata_only": 0}
    code, out, _ = county("stats", "--db", db, capsys=capsys)
    assert code == 0 and "乡镇 2 个，公开信息 4 条（已发布 1，已退回 1）" in out


def test_catalog_and_calendar_load_and_refuse_bad_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "county.sqlite3")
    items = [{"id": "shjz-005", "domain": "社会救助", "seq": 5, "level1": "最低生活保障",
              "level2": "审核信息", "time_limit": "10个工作日内"}]
    good = tmp_path / "catalog.json"
    good.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    assert county("catalog", "load", str(good), "--db", db, capsys=capsys)[1].strip() == \
        "目录已载入，版本 1。"
    assert "版本 2" in county("catalog", "load", str(good), "--db", db, capsys=capsys)[1]
    exported = tmp_path / "export.json"  # what ``gongkai catalog export x.json`` writes
    exported.write_text(json.dumps({"format": "gongkai-catalog", "items": items},
                                   ensure_ascii=False), encoding="utf-8")
    assert "版本 3" in county("catalog", "load", str(exported), "--db", db, capsys=capsys)[1]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "x"}]), encoding="utf-8")
    code, _, err = county("catalog", "load", str(bad), "--db", db, capsys=capsys)
    assert code == 1 and "第1项" in err
    bad.write_text("{not json", encoding="utf-8")
    assert county("catalog", "load", str(bad), "--db", db, capsys=capsys)[0] == 1
    year = tmp_path / "2027.json"
    year.write_text(json.dumps({"year": 2027, "holidays": ["2027-01-01"],
                                "workdays": ["2027-02-06"]}), encoding="utf-8")
    code, out, _ = county("calendar", "load", str(year), "--db", db, capsys=capsys)
    assert code == 0 and "2027年" in out
    year.write_text(json.dumps({"year": 2027, "holidays": [], "workdays": ["2027-02-08"]}),
                    encoding="utf-8")
    code, _, err = county("calendar", "load", str(year), "--db", db, capsys=capsys)
    assert code == 1 and "2027-02-08" in err
    opened = open_database(db)
    with opened.read() as conn:
        versions = conn.exec_driver_sql("SELECT count(*) FROM catalog_versions").scalar()
        kept = conn.exec_driver_sql("SELECT document FROM calendar_years").scalar()
    opened.close()
    assert versions == 3 and json.loads(kept)["workdays"] == ["2027-02-06"]


def test_usage_errors_exit_2_and_the_data_folder_is_the_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for args in ([], ["nonsense"], ["token"], ["serve", "--port", "abc"], ["import"]):
        with pytest.raises(SystemExit) as stop:
            main(args)
        assert stop.value.code == 2, args
    monkeypatch.setenv("GONGKAI_COUNTY_DATA", str(tmp_path / "county-data"))
    assert county("token", "add", "城关镇", capsys=capsys)[0] == 0
    assert (tmp_path / "county-data" / "county.sqlite3").exists()
    # --db before the command works as well as after it.
    other = str(tmp_path / "other.sqlite3")
    assert county("--db", other, "stats", "--json", capsys=capsys)[0] == 0
    assert stats_of(other, capsys)["townships"] == 0
    assert stats_of(str(tmp_path / "county-data" / "county.sqlite3"), capsys)["townships"] == 1


@pytest.fixture
def serve_process(tmp_path: Path) -> Iterator[dict[str, object]]:
    """Start and restart the real ``gongkai-county serve`` on one port and database."""
    state: dict[str, object] = {"port": free_port(), "db": str(tmp_path / "county.sqlite3"),
                                "proc": None}

    def start() -> None:
        proc = county_process("serve", "--db", str(state["db"]), "--port",
                              str(state["port"]), wait=False)
        state["proc"] = proc
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{state['port']}/login", timeout=1)
                return
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.05)
        raise AssertionError("gongkai-county serve did not start")

    state["start"] = start
    yield state
    proc = state["proc"]
    if isinstance(proc, subprocess.Popen) and proc.poll() is None:
        proc.kill()
        proc.wait(10)


def test_serve_killed_during_a_push_and_restarted_keeps_each_notice_once(
        serve_process: dict[str, object], capsys: pytest.CaptureFixture[str]) -> None:
    db = str(serve_process["db"])
    token = county_process("token", "add", "城关镇", "--db", db).stdout.strip()
    photos = [blob(200_000) for _ in range(12)]
    batches = [batch("城关镇", [notice(photos=photos[n:n + 1]) for _ in range(10)])
               for n in range(len(photos))]
    start = serve_process["start"]
    assert callable(start)
    start()
    url = f"http://127.0.0.1:{serve_process['port']}{API}"
    done: list[str] = []
    failures: list[Exception] = []
    stop = threading.Event()

    def push_until_done() -> None:
        # What the client does: every step may fail while the server is down; retry it.
        client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                              timeout=5)
        town = Township("城关镇", client)
        for b in batches:
            while not stop.is_set():
                try:
                    town.push(b, photos)
                    done.append(b.batch_id)
                    break
                except (httpx.TransportError, AssertionError) as exc:
                    failures.append(exc)
                    time.sleep(0.05)
        client.close()

    pusher = threading.Thread(target=push_until_done)
    pusher.start()
    for cut_after in (3, 7):
        while len(done) < cut_after:
            time.sleep(0.005)
        proc = serve_process["proc"]
        assert isinstance(proc, subprocess.Popen)
        os.kill(proc.pid, signal.SIGKILL)  # no shutdown, mid-request if one is running
        proc.wait(10)
        start()
    pusher.join(60)
    stop.set()
    assert len(done) == len(batches) and len(failures) >= 2  # it really was cut, twice
    assert stats_of(db, capsys) == {"townships": 1, "notices": 120, "batches": 12,
                                    "attachments": 12, "bytes": 12 * 200_000,
                                    "published": 0, "returned": 0,
                                    "offline_only": 0, "metadata_only": 0}
