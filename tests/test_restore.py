"""``gongkai restore FILE``: back to a backup, the current database backed up first.

Round trip (back up, change, restore: the store is as it was); files that are
refused with one sentence and the live database's bytes untouched (random
bytes, a truncated backup, one from a newer program, a county database, a
damaged page); photos and case files carried beside a backup written
elsewhere; a restore killed at any moment leaves the old or the new database
whole. Hypothesis writes random files and cut-off backups.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import backups, paths
from app.cli import main as cli
from app.desk import open_desk
from app.info_requests import cases
from app.migrations import LATEST, MIGRATIONS
from app.notices import boards, drafts
from app.store import Store, _statements
from app.township import get_township, set_township

hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")
given, settings, HealthCheck = hypothesis.given, hypothesis.settings, hypothesis.HealthCheck

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n" + b"photo of the board" * 20


def fingerprint(folder: Path) -> str:
    """Every row of every table of the folder's database."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(paths.db_path(folder))
    try:
        for name, sql in conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name"):
            digest.update(repr((name, sql)).encode())
            if sql and sql.startswith("CREATE TABLE"):
                for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):
                    digest.update(repr(row).encode())
        digest.update(repr(conn.execute("PRAGMA user_version").fetchone()).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def file_state(folder: Path) -> dict[str, str]:
    """The bytes of the live database (and its WAL) and the names in backups/."""
    state = {}
    for suffix in ("", "-wal"):
        path = Path(f"{paths.db_path(folder)}{suffix}")
        state[suffix or "db"] = (hashlib.sha256(path.read_bytes()).hexdigest()
                                 if path.exists() else "-")
    state["backups"] = ",".join(sorted(p.name for p in paths.backups_dir(folder).iterdir()))
    return state


def run(folder: Path, *args: str) -> tuple[int, str, str]:
    """``gongkai --data-dir FOLDER ARGS`` in this process, as ``main`` runs it."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.guarded(lambda: cli.run(["--data-dir", str(folder), *args]))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def assert_refused(folder: Path, file: Path, words: str = "") -> str:
    """Restoring ``file`` is one sentence, exit 1, and the desk's files are as they were."""
    before = file_state(folder)
    code, out, err = run(folder, "restore", str(file))
    lines = err.strip().splitlines()
    assert code == 1 and out == "", (code, out, err)
    assert len(lines) == 1 and lines[0].endswith("。") and "Traceback" not in err, err
    assert words in lines[0], lines[0]
    assert file_state(folder) == before
    return lines[0]


@pytest.fixture
def desk(data_dir: Path) -> Iterator[Store]:
    """A desk with a township, a draft notice and a request."""
    store = open_desk(data_dir)
    set_township(store, "青石镇", "东山县", "0551-62345678")
    drafts.create_notice(store, "shjz-001", "青石镇2026年第四季度低保名单公示")
    cases.register(store, "张三", "自然人", "2026-11-02", "低保资金发放明细")
    yield store
    store.close()


@pytest.fixture
def backup(desk: Store) -> Path:
    """A backup of the desk fixture, in its backups/."""
    return desk.backup()


# -- the round trip ----------------------------------------------------------------------------

def test_back_up_change_restore_and_the_store_is_as_it_was(desk: Store, backup: Path) -> None:
    folder = desk.folder
    was = fingerprint(folder)
    set_township(desk, "白水镇", "东山县", "0551-62345678")
    drafts.create_notice(desk, "shjz-001", "白水镇低保名单公示")
    cases.register(desk, "李四", "自然人", "2026-11-03", "道路修建合同")
    changed = fingerprint(folder)
    assert changed != was

    code, out, err = run(folder, "restore", str(backup))
    assert code == 0, err
    assert out.startswith(f"已从「{backup.name}」恢复：通知 1 条，依申请公开 1 件，最后改动于 ")
    assert "恢复前的数据已备份到" in out
    assert fingerprint(folder) == was
    # The store opened before the restore reads the restored desk (as the window's do).
    assert get_township(desk).township == "青石镇"
    assert desk.scalar("SELECT count(*) FROM notices") == 1
    # What was there before is itself a backup, and restoring it goes forward again.
    before = [b for b in backups.list_backups(folder) if b.reason == "恢复前自动备份"]
    assert len(before) == 1
    code, out, err = run(folder, "restore", str(before[0].path), "--json")
    assert code == 0, err
    assert fingerprint(folder) == changed
    assert '"notices": 2' in out and '"requests": 2' in out


def test_the_json_report_and_a_backup_named_by_its_file_name(desk: Store, backup: Path) -> None:
    import json

    code, out, err = run(desk.folder, "restore", backup.name, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["restored_from"] == str(backup)
    assert (report["notices"], report["requests"], report["schema"]) == (1, 1, LATEST)
    assert report["last_change"] == desk.scalar("SELECT max(at) FROM audit_log")
    assert Path(report["backup_before"]).is_file()


def test_the_real_command_restores(gk, data_dir: Path) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县")
    made = gk("backup").stdout.strip().removeprefix("已备份到 ")
    gk("init", "--township", "白水镇", "--county", "东山县")
    done = gk("restore", made)
    assert "通知 0 条，依申请公开 0 件" in done.stdout
    with open_desk(data_dir) as store:
        assert get_township(store).township == "青石镇"
        assert store.scalar("PRAGMA integrity_check") == "ok"


def test_a_desk_that_no_longer_opens_is_restored(desk: Store, backup: Path) -> None:
    folder = desk.folder
    was = fingerprint(folder)
    desk.close()
    live = paths.db_path(folder)
    for suffix in ("-wal", "-shm"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    data = bytearray(live.read_bytes())
    data[:4096] = os.urandom(4096)  # the header page gone: SQLite calls it no database
    live.write_bytes(bytes(data))
    code, _out, err = run(folder, "check")
    assert code == 1 and "损坏" in err

    code, out, err = run(folder, "restore", str(backup))
    assert code == 0, err
    assert fingerprint(folder) == was
    kept = next(b for b in backups.list_backups(folder) if b.reason == "恢复前自动备份")
    assert kept.path.read_bytes() == bytes(data)  # the damaged file kept as it lay


def test_an_older_backup_is_restored_and_brought_up_to_date(data_dir: Path, tmp_path: Path
                                                            ) -> None:
    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old, isolation_level=None)
    for number, _title, sql in MIGRATIONS[:5]:
        for statement in _statements(sql):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute("INSERT INTO settings (key, value) VALUES ('township', '旧镇')")
    conn.close()
    open_desk(data_dir).close()
    code, out, err = run(data_dir, "restore", str(old))
    assert code == 0, err
    assert "通知 0 条" in out
    with open_desk(data_dir) as store:
        assert store.schema_version() == LATEST
        assert store.get_setting("township") == "旧镇"


def test_a_window_holding_the_database_sees_the_restore(desk: Store, backup: Path) -> None:
    from app.store import DataVersion

    watch = DataVersion(desk.folder)
    watch.changed()
    reader = sqlite3.connect(f"{paths.db_path(desk.folder).as_uri()}?mode=ro", uri=True)
    set_township(desk, "白水镇", "东山县", "0551-62345678")
    assert watch.changed()
    backups.restore(desk.folder, backup)
    assert watch.changed()
    assert reader.execute("SELECT value FROM settings WHERE key = 'township'"
                          ).fetchone()[0] == "青石镇"
    reader.close()
    watch.close()


# -- files kept by hash --------------------------------------------------------------------------

def test_a_backup_elsewhere_carries_its_photos_and_case_files(desk: Store, tmp_path: Path
                                                              ) -> None:
    photo = tmp_path / "公开栏.png"
    photo.write_bytes(PNG)
    digest = boards.store_photo(desk, photo)
    letter = tmp_path / "申请书.pdf"
    letter.write_bytes(b"%PDF-1.4 the application")
    request = desk.scalar("SELECT id FROM info_requests")
    cases.attach(desk, request, letter, "申请书")
    stick = tmp_path / "U盘"
    stick.mkdir()
    code, _out, err = run(desk.folder, "backup", "--out", str(stick / "desk.sqlite3"))
    assert code == 0, err
    beside = stick / "desk.sqlite3.files"
    assert len([p for p in beside.rglob("*") if p.is_file()]) == 2

    other = tmp_path / "另一台电脑"
    code, out, err = run(other, "restore", str(stick / "desk.sqlite3"))
    assert code == 0, err
    assert "从备份旁放回照片和材料 2 个" in out
    assert "恢复前的数据已备份到" not in out  # a new PC: there was no desk to keep
    with open_desk(other) as store:
        assert boards.photo_path(store, digest).read_bytes() == PNG
        path = store.scalar("SELECT path FROM request_files")
        assert (other / path).read_bytes() == letter.read_bytes()


def test_a_file_lost_from_beside_the_backup_is_counted_not_invented(desk: Store, tmp_path: Path
                                                                    ) -> None:
    photo = tmp_path / "公开栏.png"
    photo.write_bytes(PNG)
    boards.store_photo(desk, photo)
    out_file = tmp_path / "desk.sqlite3"
    backups.take_backup(desk, out_file)
    for kept in (tmp_path / "desk.sqlite3.files").rglob("*.png"):
        kept.write_bytes(b"\x89PNG\r\n\x1a\nsomething else")  # a hash that no longer matches
    restored = backups.restore(tmp_path / "new", out_file)
    assert (restored.files_put_back, restored.files_missing) == (0, 1)
    assert "另有照片和材料 1 个找不到原件" in restored.sentence()


# -- refusals ------------------------------------------------------------------------------------

def test_random_bytes_are_refused(desk: Store, tmp_path: Path) -> None:
    file = tmp_path / "随机.sqlite3"
    file.write_bytes(os.urandom(8192))
    assert_refused(desk.folder, file, "不是工作台的备份文件")


@pytest.mark.parametrize("keep", [0, 50, 100, 4096, 4096 * 3, -4096, -1])
def test_a_truncated_backup_is_refused(desk: Store, backup: Path, tmp_path: Path,
                                       keep: int) -> None:
    data = backup.read_bytes()
    file = tmp_path / "截断.sqlite3"
    file.write_bytes(data[:keep] if keep >= 0 else data[:len(data) + keep])
    assert_refused(desk.folder, file)


def test_a_backup_from_a_newer_program_is_refused(desk: Store, backup: Path, tmp_path: Path
                                                  ) -> None:
    file = tmp_path / "新版本.sqlite3"
    file.write_bytes(backup.read_bytes())
    conn = sqlite3.connect(file)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    said = assert_refused(desk.folder, file, "由更新版本的工作台创建")
    assert f"数据版本 {LATEST + 1}" in said


def test_a_county_database_is_refused_as_foreign(desk: Store, tmp_path: Path) -> None:
    from app.county.database import open_database

    county = tmp_path / "county.sqlite3"
    open_database(str(county)).close()
    assert_refused(desk.folder, county, "不是工作台的数据文件")


def test_another_programs_database_and_an_empty_file_are_refused(desk: Store, tmp_path: Path
                                                                 ) -> None:
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (x)")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    assert_refused(desk.folder, other, "不是工作台的数据文件")
    empty = tmp_path / "空.sqlite3"
    empty.write_bytes(b"")
    assert_refused(desk.folder, empty, "不是工作台的备份文件")
    assert_refused(desk.folder, tmp_path / "没有这个.sqlite3", "找不到文件")
    assert_refused(desk.folder, tmp_path, "是一个文件夹")
    assert_refused(desk.folder, paths.db_path(desk.folder), "正在使用的数据文件")


def test_a_damaged_page_is_refused(desk: Store, backup: Path, tmp_path: Path) -> None:
    data = bytearray(backup.read_bytes())
    pages = len(data) // 4096
    assert pages > 4
    for page in range(1, pages):  # every page but the header: b-tree pages full of noise
        data[page * 4096 + 8: page * 4096 + 200] = os.urandom(192)
    file = tmp_path / "坏页.sqlite3"
    file.write_bytes(bytes(data))
    assert_refused(desk.folder, file, "已损坏")


def test_a_file_past_the_size_cap_is_refused_unread(desk: Store, backup: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "MAX_BYTES", 4096)
    assert_refused(desk.folder, backup, "超过")


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_files_and_cut_backups_are_one_sentence_and_change_nothing(
        fuzz_desk: tuple[Path, bytes], tmp_path_factory: pytest.TempPathFactory,
        data: object) -> None:
    folder, real = fuzz_desk
    draw = data.draw  # type: ignore[attr-defined]
    kind = draw(st.sampled_from(["random", "prefix", "header", "flipped"]))
    if kind == "random":
        blob = draw(st.binary(max_size=20_000))
    elif kind == "prefix":
        blob = real[:draw(st.integers(0, len(real) - 1))]
    elif kind == "header":  # SQLite's magic followed by noise
        blob = backups.MAGIC + draw(st.binary(max_size=9000))
    else:  # a real backup with a run of bytes overwritten somewhere past the header
        at = draw(st.integers(100, len(real) - 1))
        noise = draw(st.binary(min_size=1, max_size=600))
        blob = real[:at] + noise + real[at + len(noise):]
        blob = blob[:len(real)]
        if blob == real:
            return
    file = tmp_path_factory.mktemp("fuzz") / "备份.sqlite3"
    file.write_bytes(blob)
    before = file_state(folder)
    code, out, err = run(folder, "restore", str(file))
    if code == 0:
        # Only noise SQLite's own check cannot tell from data may pass: the desk is then whole.
        assert kind == "flipped", (kind, out)
        with open_desk(folder) as store:
            assert store.scalar("PRAGMA integrity_check") == "ok"
        Path(out.split("恢复前的数据已备份到 ")[1].rstrip("。\n")).replace(file)
        assert run(folder, "restore", str(file))[0] == 0
        return
    lines = err.strip().splitlines()
    assert code in (1, 2) and len(lines) == 1 and "Traceback" not in err, err
    assert "程序出现了意外的错误" not in err
    assert file_state(folder) == before


@pytest.fixture(scope="module")
def fuzz_desk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """One desk for the whole fuzz (refusals leave it as it is) and a backup's bytes."""
    folder = tmp_path_factory.mktemp("fuzz-desk")
    with open_desk(folder) as store:
        set_township(store, "青石镇", "东山县", "0551-62345678")
        return folder, store.backup().read_bytes()


# -- killed half-way -----------------------------------------------------------------------------

BULK = 60_000


def big_desk(folder: Path, marker: str, bulk: int) -> None:
    """A desk whose settings name it (``marker``) and hold ``bulk`` rows of filler."""
    with open_desk(folder) as store, store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('marker', ?)",
                     (marker,))
        conn.execute("DELETE FROM settings WHERE key LIKE 'filler-%'")
        conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?)",
                         ((f"filler-{i}", marker * 100) for i in range(bulk)))


def old_or_new(folder: Path) -> str:
    """Which of the two desks the folder holds, asserting it is wholly one of them."""
    with open_desk(folder) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        marker = store.get_setting("marker")
        filler = store.query("SELECT DISTINCT value FROM settings WHERE key LIKE 'filler-%'")
        count = store.scalar("SELECT count(*) FROM settings WHERE key LIKE 'filler-%'")
    assert marker in ("old", "new")
    assert [r[0] for r in filler] == [marker * 100]
    assert count == (BULK if marker == "new" else BULK // 2)
    return str(marker)


@pytest.fixture
def two_desks(data_dir: Path, tmp_path: Path) -> Path:
    """The live desk is "old"; the returned backup holds the "new" one, bigger."""
    big_desk(data_dir, "new", BULK)
    with open_desk(data_dir) as store:
        backup = store.backup(tmp_path / "new.sqlite3")
    big_desk(data_dir, "old", BULK // 2)
    return backup


SLOW_RESTORE = """
import sqlite3, sys, time
from pathlib import Path
from app import backups

class Slow(sqlite3.Connection):
    def backup(self, target, **kw):
        into = Path(target.execute("PRAGMA database_list").fetchone()[2]).name
        if into != "gongkai.sqlite3":  # the safety backup and the rest at full speed
            return super().backup(target, **kw)
        print("into", into, flush=True)
        def step(status, remaining, total):
            print("step", remaining, total, flush=True)
            time.sleep(0.05)
        super().backup(target, pages=20, progress=step)

real = sqlite3.connect
backups.sqlite3.connect = lambda *a, **kw: real(*a, factory=Slow, **kw)
backups.restore(Path(sys.argv[1]), Path(sys.argv[2]))
print("done", flush=True)
"""


def test_killed_while_writing_over_the_live_file_leaves_the_old_desk(two_desks: Path,
                                                                     data_dir: Path) -> None:
    conn = sqlite3.connect(paths.db_path(data_dir))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # an empty WAL: what grows is the restore's
    conn.close()
    proc = subprocess.Popen([sys.executable, "-c", SLOW_RESTORE, str(data_dir), str(two_desks)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    said = []
    for line in proc.stdout:
        said.append(line.split())
        if len(said) == 40:
            break
    live = paths.db_path(data_dir)
    # Killed in the middle of the one transaction that writes the restored pages, with
    # pages already spilled into the WAL.
    wal_size = Path(f"{live}-wal").stat().st_size
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert said[0] == ["into", "gongkai.sqlite3"], said[:3]
    remaining, total = int(said[-1][1]), int(said[-1][2])
    assert 0 < remaining < total, said[-1]
    assert wal_size > 1024 * 1024, wal_size
    assert old_or_new(data_dir) == "old"
    # The next restore completes, and clears what the killed one left once it is old.
    left = list(paths.backups_dir(data_dir).glob(".restore-*"))
    assert left
    for path in left:
        os.utime(path, (time.time() - 2 * backups.STALE_AFTER,) * 2)
    assert run(data_dir, "restore", str(two_desks))[0] == 0
    assert old_or_new(data_dir) == "new"
    assert not list(paths.backups_dir(data_dir).glob(".restore-*"))


def test_killed_at_random_moments_the_desk_is_old_or_new(two_desks: Path, data_dir: Path
                                                         ) -> None:
    rng = random.Random(17)
    seen = set()
    env = {k: v for k, v in os.environ.items() if k != "GONGKAI_HOME"}
    for delay in [0.25, 0.4, 0.55, 0.7, 0.85, 1.0] + [rng.uniform(0.2, 1.2) for _ in range(4)]:
        if old_or_new(data_dir) == "new":
            big_desk(data_dir, "old", BULK // 2)
        proc = subprocess.Popen([sys.executable, "-m", "ui.launch", "--data-dir", str(data_dir),
                                 "restore", str(two_desks)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        seen.add(old_or_new(data_dir))
    print("outcomes", seen)
    assert seen, seen


def test_a_desk_copied_with_its_wal_is_restored_with_what_the_wal_holds(
        desk: Store, data_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "another"
    with open_desk(elsewhere) as other:
        other.conn.execute("PRAGMA wal_autocheckpoint = 0")
        set_township(other, "柳溪镇", "东山县", "0551-62345678")  # only in the WAL so far
        copied = tmp_path / "copy"
        copied.mkdir()
        for suffix in ("", "-wal"):
            src = Path(f"{paths.db_path(elsewhere)}{suffix}")
            Path(f"{copied / 'gongkai.sqlite3'}{suffix}").write_bytes(src.read_bytes())
    restored = backups.restore(data_dir, copied / "gongkai.sqlite3")
    assert restored.safety is not None
    assert get_township(desk).township == "柳溪镇"


def test_a_backup_of_another_page_size_is_restored(desk: Store, tmp_path: Path) -> None:
    file = tmp_path / "8k.sqlite3"
    desk.backup(file)
    conn = sqlite3.connect(file, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("VACUUM")
    conn.execute("UPDATE settings SET value = '八千镇' WHERE key = 'township'")
    conn.close()
    was = desk.scalar("PRAGMA page_size")
    backups.restore(desk.folder, file)
    assert get_township(desk).township == "八千镇"
    assert desk.scalar("PRAGMA page_size") == was
    assert desk.scalar("PRAGMA journal_mode") == "wal"


def test_a_full_disk_is_named_and_the_desk_is_left_as_it_was(tmp_path: Path) -> None:
    from mount_support import fill, small_disk

    with small_disk(tmp_path / "disk", "16m") as disk:
        data = disk / "data"
        with open_desk(data) as store:
            set_township(store, "青石镇", "东山县", "0551-62345678")
            backup = store.backup(tmp_path / "elsewhere.sqlite3")  # off the small disk
            set_township(store, "白水镇", "东山县", "0551-62345678")
            was = fingerprint(data)
            filler = fill(disk)
            code, _out, err = run(data, "restore", str(backup))
            assert (code, err.strip()) == (1, "磁盘已满，操作未完成，请清理磁盘空间后重试。")
            assert fingerprint(data) == was
            assert not list(paths.backups_dir(data).glob(".restore-*"))
            filler.unlink()
            assert run(data, "restore", str(backup))[0] == 0
            assert get_township(store).township == "青石镇"
