"""A full disk, a read-only folder, a locked file, a vanished share: each says what it is.

The disks are real: a small tmpfs filled to the last byte, a data folder
bind-mounted read-only, a second connection holding the write lock, a mount
taken away while the desk has it open. Only a file that is not a database,
or fails SQLite's integrity check, is called damaged. After the space is
freed the same folder works again, with no restore.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from mount_support import fill, read_only_view, small_disk, unmount

from app import paths
from app.desk import open_desk
from app.errors import FAULTS, FaultError, fault_of
from app.info_requests import cases

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("pinned_today")

FULL = "磁盘已满，操作未完成，请清理磁盘空间后重试。"
READ_ONLY = "数据文件夹只读，无法保存，请检查文件夹权限或U盘、网络盘是否写保护后重试。"
LOCKED = "数据文件正被其他程序占用，请关闭其他打开它的程序（或稍等片刻）后重试。"
VANISHED = "找不到数据文件夹，请检查网络盘或U盘是否已连接（网络盘断开？）后重试。"
DAMAGED = "数据文件已损坏或不是工作台的数据文件，请从备份恢复。"


def gongkai(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line on ``folder``."""
    return subprocess.run([sys.executable, "-m", "ui.launch", "--data-dir", str(folder), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def new_request(folder: Path, applicant: str) -> subprocess.CompletedProcess[str]:
    """``gongkai request new`` for ``applicant``."""
    return gongkai(folder, "request", "new", "--applicant", applicant, "--type", "自然人",
                   "--received", "2026-11-20", "--content", "2026年低保资金发放明细")


def applicants(folder: Path) -> list[str]:
    """Who is in the register, read straight from the file."""
    with sqlite3.connect(paths.db_path(folder)) as conn:
        return [r[0] for r in conn.execute("SELECT applicant FROM info_requests ORDER BY id")]


def test_each_fault_has_its_own_sentence() -> None:
    assert [FAULTS[k] for k in ("full", "read_only", "locked", "vanished", "damaged")] == [
        FULL, READ_ONLY, LOCKED, VANISHED, DAMAGED]
    assert len(set(FAULTS.values())) == len(FAULTS)


def test_a_full_disk_says_so_and_the_desk_works_again_once_space_is_freed(
        tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        data = disk / "data"
        with open_desk(data) as store:
            cases.register(store, "张三", "自然人", "2026-11-19", "危房改造名单")
            filler = fill(disk)
            # In the process, as the window's worker meets it: one sentence, nothing written.
            with pytest.raises(FaultError) as full:
                cases.register(store, "李四" * 40, "自然人", "2026-11-20", "低保名单" * 200)
            assert str(full.value) == FULL and full.value.kind == "full"
            # The command line, a process of its own, says the same and exits 1.
            refused = new_request(data, "王五" * 40)
            assert (refused.returncode, refused.stderr.strip()) == (1, FULL)
            assert applicants(data) == ["张三"]
            filler.unlink()
            # No restore: the same file takes the next request, and it is intact.
            added = new_request(data, "王五")
            assert added.returncode == 0, added.stderr
            assert applicants(data) == ["张三", "王五"]
            assert store.scalar("PRAGMA quick_check") == "ok"


def test_a_read_only_folder_is_not_called_damaged(tmp_path: Path) -> None:
    source = tmp_path / "writable"
    with open_desk(source / "data") as store:
        cases.register(store, "张三", "自然人", "2026-11-19", "危房改造名单")
    with read_only_view(source, tmp_path / "ro") as view:
        listed = gongkai(view / "data", "request", "list")
        assert (listed.returncode, listed.stderr.strip()) == (1, READ_ONLY)
        with pytest.raises(FaultError) as refused:
            open_desk(view / "data")
        assert refused.value.kind == "read_only"
        # The file itself is whole: SQLite's own check says so.
        with sqlite3.connect(f"file:{paths.db_path(view / 'data')}?immutable=1",
                             uri=True) as conn:
            assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert applicants(source / "data") == ["张三"]


def test_a_database_another_program_holds_is_named_locked(store) -> None:
    other = sqlite3.connect(paths.db_path(store.folder), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # as a database tool with the file open for writing
    try:
        store.conn.execute("PRAGMA busy_timeout = 200")
        with pytest.raises(FaultError) as locked:
            cases.register(store, "张三", "自然人", "2026-11-19", "危房改造名单")
        assert str(locked.value) == LOCKED
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert cases.register(store, "张三", "自然人", "2026-11-19", "危房改造名单").id == "2026-001"


def test_a_share_that_vanished_is_named_and_no_empty_desk_takes_its_place(
        tmp_path: Path) -> None:
    share = tmp_path / "share"
    with small_disk(share) as disk:
        data = disk / "data"
        open_desk(data).close()
        unmount(share)  # the network drive drops while the desk is in use
        with pytest.raises(FaultError) as gone:
            open_desk(data)
        assert str(gone.value) == VANISHED
        assert not paths.db_path(data).exists()


def test_a_file_where_the_folder_should_be_is_not_called_anything_else(
        tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    listed = gongkai(blocked, "request", "list")
    assert (listed.returncode, listed.stderr.strip()) == (1, FAULTS["not_a_folder"])


def test_only_a_file_that_is_not_a_database_or_fails_its_check_is_damaged(
        data_dir: Path) -> None:
    paths.db_path(data_dir).write_bytes(b"PK\x03\x04 not a database at all" * 100)
    listed = gongkai(data_dir, "request", "list")
    assert (listed.returncode, listed.stderr.strip()) == (1, DAMAGED)


def test_errors_without_a_code_are_read_from_the_system_number(tmp_path: Path) -> None:
    import errno

    assert fault_of(OSError(errno.ENOSPC, "No space left on device")) == "full"
    assert fault_of(OSError(errno.EROFS, "Read-only file system")) == "read_only"
    # A drive letter that is gone (Windows says ENOENT when making a folder on it).
    assert fault_of(OSError(errno.ENOENT, "No such file"), None) == "vanished"
    # SQLite's words where there is no result code (an older layer, a wrapped error).
    assert fault_of(sqlite3.OperationalError("database or disk is full")) == "full"
    assert fault_of(sqlite3.OperationalError("unable to open database file"),
                    tmp_path / "gone") == "vanished"
