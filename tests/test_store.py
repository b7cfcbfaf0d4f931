"""The database file: WAL, foreign keys, migrations from every older version, backups."""

import hashlib
import sqlite3
from pathlib import Path

import pytest
from tests_support import build_at_version

from app import migrations, paths
from app.errors import UserError
from app.store import Store


@pytest.mark.parametrize("version", range(0, migrations.LATEST))
def test_upgrade_from_every_earlier_version(tmp_path: Path, version: int) -> None:
    build_at_version(tmp_path, version)
    with Store.open(tmp_path) as store:
        assert store.schema_version() == migrations.LATEST
        if version >= 1:
            assert store.get_setting("township") == "青石镇"
            assert store.scalar("SELECT level1 FROM catalog_items") == "最低生活保障"
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"settings", "domains", "catalog_items", "calendar_years", "notices",
                "notice_revisions", "review_steps", "boards", "postings", "photos"} <= tables
    backups = list((tmp_path / "backups").glob("*.sqlite3")) if version else []
    if version:
        assert len(backups) == 1
        old = sqlite3.connect(backups[0])
        assert old.execute("PRAGMA user_version").fetchone()[0] == version
        old.close()


def test_fresh_file_is_wal_with_foreign_keys(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        assert store.scalar("PRAGMA journal_mode") == "wal"
        assert store.scalar("PRAGMA foreign_keys") == 1
        with pytest.raises(sqlite3.IntegrityError):
            with store.transaction() as conn:
                conn.execute("INSERT INTO domain_aliases VALUES ('x', 999)")
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    build_at_version(tmp_path, migrations.LATEST)
    db = paths.db_path(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.commit()
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(UserError, match="更新版本"):
        Store.open(tmp_path)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_failed_migration_leaves_old_version(tmp_path: Path, monkeypatch) -> None:
    build_at_version(tmp_path, 1)
    broken = (*migrations.MIGRATIONS[:1], (2, "broken", "CREATE TABLE settings (x);"))
    monkeypatch.setattr("app.store.MIGRATIONS", broken)
    monkeypatch.setattr("app.store.LATEST", 2)
    with pytest.raises(UserError, match="数据保持原样"):
        Store.open(tmp_path)
    conn = sqlite3.connect(paths.db_path(tmp_path))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT value FROM settings").fetchone()[0] == "青石镇"
    conn.close()


def test_transaction_is_all_or_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        with pytest.raises(RuntimeError):
            with store.transaction() as conn:
                conn.execute("INSERT INTO settings VALUES ('a', '1')")
                with store.transaction():
                    conn.execute("INSERT INTO settings VALUES ('b', '2')")
                raise RuntimeError("power cut")
        assert store.scalar("SELECT count(*) FROM settings") == 0


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    paths.db_path(tmp_path).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(UserError, match="损坏"):
        Store.open(tmp_path)


def test_backup_is_a_readable_copy(store, tmp_path: Path) -> None:
    out = store.backup(tmp_path / "copy.sqlite3")
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT count(*) FROM catalog_items").fetchone()[0] == \
        store.scalar("SELECT count(*) FROM catalog_items")
    conn.close()


def test_data_dir_precedence(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_HOME", str(tmp_path / "env"))
    assert paths.data_dir(tmp_path / "flag") == (tmp_path / "flag").resolve()
    assert paths.data_dir(None) == (tmp_path / "env").resolve()
    monkeypatch.delenv("GONGKAI_HOME")
    monkeypatch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(tmp_path / "user"))
    assert paths.data_dir(None) == (tmp_path / "user").resolve()


def test_daily_backup_once_a_day(store) -> None:
    first = store.daily_backup()
    assert first is not None and first.exists()
    assert store.daily_backup() is None
    assert len(list((store.folder / "backups").glob("*-daily.sqlite3"))) == 1


def test_check_command_reports_a_sound_file(gk) -> None:
    out = gk("check").stdout
    assert "数据文件完好" in out and "catalog_items" in out


def test_opening_a_notice_finds_its_postings_by_an_index(township) -> None:
    """``get_notice`` (thousands of times for the 工作台) must not read every posting."""
    from app.notices import drafts

    n = drafts.create_notice(township, "shjz-002")
    plan = " ".join(r[3] for r in township.conn.execute(
        "EXPLAIN QUERY PLAN SELECT p.*, b.name FROM postings p JOIN boards b"
        " ON b.id = p.board_id WHERE p.notice_id = ? ORDER BY p.posted, b.position", (n.id,)))
    assert "SEARCH p USING INDEX postings_by_notice" in plan and "SCAN p" not in plan


def test_a_notice_s_review_history_is_found_by_an_index(township) -> None:
    plan = " ".join(r[3] for r in township.conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM review_steps WHERE notice_id = ? ORDER BY id", ("x",)))
    assert "USING INDEX review_steps_by_notice" in plan and "SCAN" not in plan
