"""``gongkai-county serve --workers N``: several processes on one PostgreSQL, refused on SQLite.

The load here is the bench's (tests/bench/bench_county_load.py) made small: 20
townships, each with its own token, push 10 notices and 2 photos at the same
moment to the real server with two workers, using the desk's own batches and
client; then every one of them sends its batch again, as a desk does when it
never heard the answer.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import TODAY
from county_load import (
    Serving,
    TownshipLoad,
    county_counts,
    push_all,
    serving,
    serving_pid,
    townships,
    worker_pids,
)
from test_county_support import postgres_url

from app.county import server
from app.county.cli import main
from app.county.database import open_database
from app.county.errors import Refused


@dataclass
class TwoWorkers:
    """A ``serve --workers 2`` on a fresh PostgreSQL database, and 20 townships ready to push."""

    db: str
    county: Serving
    towns: list[TownshipLoad]


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoWorkers]:
    """One server for the module: starting two workers costs seconds, so it is done once."""
    url, reason = postgres_url()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("workers")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_TODAY", TODAY)  # the desk's batches are made on the suite's day
        towns = townships(url, folder, count=20, notices=10, photos=2, photo_bytes=20_000)
    with serving(url, folder / "county", workers=2) as county:
        yield TwoWorkers(url, county, towns)


def test_twenty_townships_at_once_on_two_workers_store_every_notice_once(
        two_workers: TwoWorkers) -> None:
    county, towns = two_workers.county, two_workers.towns
    first = push_all(county.url, towns)
    again = push_all(county.url, towns, again=True)

    assert first.failures == [] and again.failures == []
    assert first.server_errors == 0 and again.server_errors == 0
    assert first.notices == 200 and first.replayed == 0
    # The resend is answered from the receipt already given; nothing new is stored.
    assert again.replayed == 20 and again.latencies["PUT blob"] == []
    held = county_counts(two_workers.db)
    assert held["notices"] == held["distinct"] == 200
    assert held["per_township"] == {t.name: 10 for t in towns}
    assert held["batches"] == 20 and held["blobs"] == 40


def test_two_workers_are_two_processes_that_both_answer(two_workers: TwoWorkers) -> None:
    county = two_workers.county
    workers = worker_pids(county.proc.pid, county.port)
    assert len(workers) == 2 and county.proc.pid not in workers
    # Connections kept open until each is traced to the process holding its far end.
    answered: set[int] = set()
    opened: list[socket.socket] = []
    try:
        for _ in range(60):
            conn = socket.create_connection(("127.0.0.1", county.port), timeout=10)
            opened.append(conn)
            conn.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert conn.recv(12).startswith(b"HTTP/1.1 200")
            pid = serving_pid(county.port, conn, workers)
            assert pid is not None
            answered.add(pid)
            if answered == set(workers):
                break
    finally:
        for conn in opened:
            conn.close()
    assert answered == set(workers)


def test_several_workers_on_sqlite_are_refused_in_one_sentence(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["serve", "--db", str(tmp_path / "county.sqlite3"), "--workers", "2"])
    assert stop.value.code == 1
    assert capsys.readouterr().err.strip() == (
        "多个工作进程（--workers 大于 1）需要 PostgreSQL 数据库，SQLite 只能用一个工作进程。")

    for nonsense in ("0", "-3", "1000"):
        with pytest.raises(SystemExit) as stop:
            main(["serve", "--db", str(tmp_path / "county.sqlite3"), "--workers", nonsense])
        err = capsys.readouterr().err.strip()
        assert stop.value.code == 1
        assert err == "--workers 应是 1 到 64 之间的整数（工作进程的个数）。"


def test_a_worker_never_creates_tables_itself(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # The serving process migrates before the workers start; a worker that finds an
    # unmigrated database refuses instead of racing its siblings to create the schema.
    empty = tmp_path / "empty.sqlite3"
    monkeypatch.setenv(server.DB_ENV, f"sqlite+pysqlite:///{empty}")
    with pytest.raises(Refused, match="结构版本"):
        server.worker_app()
    with sqlite3.connect(empty) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    migrated = open_database(tmp_path / "county.sqlite3")
    monkeypatch.setenv(server.DB_ENV, migrated.url)
    assert server.worker_app().state.db.url == migrated.url
    migrated.close()
