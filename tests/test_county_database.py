"""The county database: where it is, how it is opened, and its numbered schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_county_support import database_for

from app.county.cli import main
from app.county.database import database_url, open_database
from app.county.errors import Refused
from app.county.schema import LATEST, VERSION_KEY, meta, schema_version


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_schema_is_created_once_and_reopening_changes_nothing(kind: str,
                                                                  tmp_path: Path) -> None:
    url, reason = database_for(kind, tmp_path)
    if reason:
        pytest.skip(reason)
    first = open_database(url)
    with first.read() as conn:
        assert schema_version(conn) == LATEST
        secret = conn.exec_driver_sql("SELECT value FROM meta WHERE key ="
                                      " 'staff_form_secret'").scalar()
    first.close()
    again = open_database(url)
    with again.read() as conn:
        assert schema_version(conn) == LATEST
        assert conn.exec_driver_sql("SELECT count(*) FROM meta").scalar() == 2
        assert conn.exec_driver_sql("SELECT value FROM meta WHERE key ="
                                    " 'staff_form_secret'").scalar() == secret
    again.close()
    assert len(secret) == 64


def test_a_database_from_a_newer_server_is_refused_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "county.sqlite3"
    db = open_database(path)
    with db.write() as conn:
        conn.execute(meta.update().where(meta.c.key == VERSION_KEY).values(value=str(LATEST + 1)))
    db.close()
    before = path.read_bytes()
    with pytest.raises(Refused, match="更新版本"):
        open_database(path)
    with pytest.raises(SystemExit) as stop:
        main(["stats", "--db", str(path)])
    assert stop.value.code == 1 and "更新版本" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_db_takes_a_path_or_a_postgresql_url(tmp_path: Path) -> None:
    assert database_url(tmp_path / "x.sqlite3") == f"sqlite+pysqlite:///{tmp_path}/x.sqlite3"
    assert database_url("postgresql://u:p@db.county:5432/gongkai") == \
        "postgresql+psycopg://u:p@db.county:5432/gongkai"
    assert database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"


def test_a_database_that_cannot_be_opened_is_one_sentence(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for target in (str(blocker / "county.sqlite3"), "postgresql+nonsense://x/y",
                   str(blocker)):
        with pytest.raises(SystemExit) as stop:
            main(["stats", "--db", target])
        err = capsys.readouterr().err
        assert stop.value.code == 1, target
        assert err.strip() == "无法打开县级数据库，请检查 --db 参数和数据库服务。", target


def test_a_version_1_database_gains_the_township_keys_and_keeps_its_data(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.county.schema import MIGRATIONS

    path = tmp_path / "county.sqlite3"
    with pytest.raises(SystemExit):
        main(["token", "add", "青石镇", "--db", str(path)])
    db = open_database(path)
    with db.write() as conn:  # back to what a version-1 server left
        conn.exec_driver_sql("DROP TABLE township_keys")
        conn.execute(meta.update().where(meta.c.key == VERSION_KEY).values(value="1"))
    db.close()
    reopened = open_database(path)
    with reopened.read() as conn:
        assert schema_version(conn) == LATEST == MIGRATIONS[-1][0] == 5
        assert conn.exec_driver_sql("SELECT count(*) FROM township_keys").scalar() == 0
        assert conn.exec_driver_sql("SELECT name FROM townships").scalar() == "青石镇"
    reopened.close()
