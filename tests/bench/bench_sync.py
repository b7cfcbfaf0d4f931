"""Figures for sync. Run: ``.venv/bin/python tests/bench/bench_sync.py``.

Pushes 1,000 approved notices with 200 photos (about 48 kB each) from a
township data folder to a fresh ``gongkai-county serve`` (SQLite) on
127.0.0.1, and prints notices/s and MB/s; then cuts the server off in the
middle of a second such push, restarts it and prints how long the push took
to finish after the restart. Last, the first push again with the rendered
sheet of every notice attached (``sync attach-pdf on``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("GONGKAI_TODAY", "2026-11-23")

import httpx  # noqa: E402
from tests_support import fill_outbox  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.sync import attached_sheets, exchange  # noqa: E402
from app.sync.http_client import RetryPolicy, SyncError  # noqa: E402

COUNTY = [str(Path(sys.executable).with_name("gongkai-county"))]


def serve(db: Path, port: int) -> subprocess.Popen:
    """Start the county server and wait until it answers."""
    proc = subprocess.Popen([*COUNTY, "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.02)


def township(folder: Path, db: Path, port: int):
    """A data folder with 1,000 approved notices and 200 photos, logged in to the county."""
    store = open_desk(folder)
    fill_outbox(store, 1000, 200)
    token = subprocess.run([*COUNTY, "token", "add", "青石镇", "--db", str(db)],
                           capture_output=True, text=True, check=True).stdout.split()[0]
    os.environ[exchange.TOKEN_ENV] = token
    store.set_settings({"sync.server": f"http://127.0.0.1:{port}"})
    return store


def main() -> None:
    """Print the figures."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        db = tmp_path / "county.sqlite3"
        store = township(tmp_path / "a", db, port)
        proc = serve(db, port)
        start = time.perf_counter()
        with exchange.connect(store) as client:
            report = exchange.push(store, client)
        took = time.perf_counter() - start
        proc.terminate()
        proc.wait()
        mb = report.bytes_sent / 1e6
        print(f"push of {report.notices} notices, {report.attachments} photos, {mb:.1f} MB "
              f"in {took:.2f} s: {report.notices / took:.0f} notices/s, {mb / took:.1f} MB/s")

        db2 = tmp_path / "county2.sqlite3"
        store2 = township(tmp_path / "b", db2, port)
        proc = serve(db2, port)
        threading.Timer(took / 2, proc.send_signal, (signal.SIGKILL,)).start()
        try:
            with exchange.connect(store2, retry=RetryPolicy(attempts=1)) as client:
                exchange.push(store2, client)
            print("the cut came too late; run again")
        except SyncError:
            proc.wait()
            proc = serve(db2, port)
            start = time.perf_counter()
            with exchange.connect(store2) as client:
                rest = exchange.push(store2, client)
            print(f"resume after a cut half-way: {time.perf_counter() - start:.2f} s to finish "
                  f"({rest.notices} notices still unconfirmed, {rest.attachments} of 200 photos "
                  f"still to upload, {rest.replayed} batches recognised as already received)")
        proc.terminate()
        proc.wait()

        db3 = tmp_path / "county3.sqlite3"
        store3 = township(tmp_path / "c", db3, port)
        attached_sheets.set_enabled(store3, True)
        proc = serve(db3, port)
        start = time.perf_counter()
        with exchange.connect(store3) as client:
            report = exchange.push(store3, client)
        took = time.perf_counter() - start
        mb = report.bytes_sent / 1e6
        print(f"with each sheet as a PDF: {report.notices} notices, {report.attachments} "
              f"attachments, {mb:.1f} MB in {took:.2f} s (rendering included): "
              f"{report.notices / took:.0f} notices/s, {mb / took:.1f} MB/s")
        proc.terminate()
        proc.wait()
        store.close()
        store2.close()
        store3.close()


if __name__ == "__main__":
    main()
