"""Many townships pushing to one real ``gongkai-county serve`` at once (the load test's parts).

No test lives here; tests/test_county_workers.py and tests/bench/bench_county_load.py
use it. A township's batches are made by the desk's own code (``fill_outbox``
then ``outbox.form_batches`` in a real data folder) once, and copied for each
simulated township under its own name, batch ids, notice ids and photos; each
township then pushes them with the desk's own client (``CountyClient``: ask
which photos are missing, upload them, put the batch) under its own token,
issued by the real ``gongkai-county token add``. Every response's status is
noted, so a 5xx cannot hide behind a retry (the client is given one attempt).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from net_support import free_port
from tests_support import fill_outbox

from app.county.cli import main as county_main
from app.county.database import Database, database_url
from app.desk import open_desk
from app.sync import outbox
from app.sync.http_client import Connection, CountyClient, RetryPolicy, SyncError
from app.sync.protocol import sha256_hex

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class TownshipLoad:
    """One simulated township: its name, token, frozen batch documents and photo bytes."""

    name: str
    token: str
    batches: list[tuple[str, bytes]]
    blobs: dict[str, bytes]

    @property
    def notices(self) -> int:
        """How many notices its batches carry."""
        return sum(len(json.loads(doc)["notices"]) for _id, doc in self.batches)


def desk_batches(folder: Path, notices: int, photos: int, photo_bytes: int = 48_000
                 ) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """Batch documents and photos exactly as a desk freezes them for a push."""
    store = open_desk(folder)
    try:
        fill_outbox(store, notices, photos, photo_bytes)
        outbox.form_batches(store)
        documents = [json.loads(p.text) for p in outbox.pending_batches(store)]
        digests = {a["sha256"] for d in documents for n in d["notices"]
                   for a in n["attachments"]}
        return documents, {h: outbox.blob_bytes(store, h) for h in digests}
    finally:
        store.close()


def copy_for(documents: list[dict[str, Any]], blobs: dict[str, bytes], name: str,
             token: str, seed: int) -> TownshipLoad:
    """The desk's batches as another township would send them: its own ids and photos."""
    rng = random.Random(seed)
    fresh = {old: data[:4] + rng.randbytes(len(data) - 4) for old, data in blobs.items()}
    renamed = {old: sha256_hex(data) for old, data in fresh.items()}
    batches = []
    for template in documents:
        doc = json.loads(json.dumps(template))
        doc["batch_id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        doc["township"] = name
        for entry in doc["notices"]:
            entry["notice"]["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            for a in entry["attachments"]:
                a["sha256"] = renamed[a["sha256"]]
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")
        batches.append((doc["batch_id"], text))
    return TownshipLoad(name, token, batches, {renamed[o]: d for o, d in fresh.items()})


def issue_token(db: str, name: str) -> str:
    """``gongkai-county token add NAME --db DB`` (the real command, run in this process)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()), \
            contextlib.suppress(SystemExit):
        county_main(["token", "add", name, "--db", db])
    token = out.getvalue().strip()
    assert token, f"no token for {name}"
    return token


def townships(db: str, folder: Path, count: int, notices: int, photos: int,
              photo_bytes: int = 48_000) -> list[TownshipLoad]:
    """``count`` townships, each with a token on ``db`` and ``notices`` notices to push."""
    documents, blobs = desk_batches(folder / "desk", notices, photos, photo_bytes)
    return [copy_for(documents, blobs, name, issue_token(db, name), seed)
            for seed, name in enumerate(f"测试{k:03d}镇" for k in range(count))]


# -- the server ---------------------------------------------------------------------------


@dataclass
class Serving:
    """A running ``gongkai-county serve`` process."""

    url: str
    proc: subprocess.Popen[bytes]
    port: int


@contextmanager
def serving(db: str, folder: Path, workers: int = 1) -> Iterator[Serving]:
    """The real ``gongkai-county serve --workers N`` on a free port, until the block ends."""
    port = free_port()
    args = ["serve", "--db", db, "--port", str(port), "--workers", str(workers)]
    folder.mkdir(parents=True, exist_ok=True)
    # ``python -m`` from this tree (not the console script, which may import another
    # checkout): the workers uvicorn spawns inherit the same sys.path.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(folder / "serve.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "app.county.cli", *args], cwd=ROOT,
                                stdout=log, stderr=log, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (folder / "serve.log").read_text()
            assert time.monotonic() < deadline, "the county did not start"
            try:
                if httpx.get(url + "/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        if workers > 1:  # every worker up, not just the first to answer
            while len(worker_pids(proc.pid, port)) < workers:
                assert time.monotonic() < deadline, "the workers did not start"
                time.sleep(0.05)
        yield Serving(url, proc, port)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def worker_pids(parent: int, port: int) -> list[int]:
    """Pids of the processes ``parent`` started that hold its listening socket (from /proc).

    The children of ``serve --workers N`` are the N workers and multiprocessing's
    resource tracker; only the workers hold the socket.
    """
    inode = listening_inode(port)
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the ppid follows the last ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and holds_socket(int(entry.name),
                                                                               inode):
            children.append(int(entry.name))
    return sorted(children)


def listening_inode(port: int) -> str:
    """The inode of the socket listening on 127.0.0.1:``port`` (from /proc/net/tcp)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state = fields[1], fields[3]
        if state == "0A" and int(local.split(":")[1], 16) == port:  # 0A: LISTEN
            return fields[9]
    raise AssertionError(f"nothing listens on port {port}")


def holds_socket(pid: int, inode: str) -> bool:
    """Whether process ``pid`` has the socket ``inode`` open."""
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                if os.readlink(fd) == f"socket:[{inode}]":
                    return True
    return False


# -- the load -----------------------------------------------------------------------------


@dataclass
class LoadResult:
    """What a round of pushes saw."""

    seconds: float = 0.0
    notices: int = 0
    bytes_sent: int = 0
    replayed: int = 0
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def note(self, kind: str, started: float) -> None:
        """One call of ``kind`` that began at ``started`` (perf_counter) has ended."""
        took = time.perf_counter() - started
        with self.lock:
            self.latencies[kind].append(took)

    @property
    def server_errors(self) -> int:
        """How many responses had a 5xx status."""
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def p95(self, kind: str) -> float:
        """The 95th percentile latency of ``kind`` calls, in seconds."""
        values = sorted(self.latencies[kind])
        return values[min(len(values) - 1, int(0.95 * len(values)))] if values else 0.0


def _push_one(url: str, town: TownshipLoad, result: LoadResult, again: bool) -> None:
    def seen(response: httpx.Response) -> None:
        with result.lock:
            result.statuses[response.status_code] += 1

    # One attempt: a 503 or a dropped connection must show, not be retried away.
    with CountyClient(Connection(url, town.token), RetryPolicy(attempts=1)) as client:
        client.http.event_hooks = {"request": [], "response": [seen]}
        try:
            for batch_id, document in town.batches:
                started = time.perf_counter()
                missing = client.missing(
                    [a["sha256"] for n in json.loads(document)["notices"]
                     for a in n["attachments"]])
                result.note("blobs/missing", started)
                for digest in missing:
                    started = time.perf_counter()
                    client.put_blob(digest, town.blobs[digest])
                    result.note("PUT blob", started)
                started = time.perf_counter()
                receipt = client.put_batch(batch_id, document)
                result.note("PUT batch (again)" if again else "PUT batch", started)
                with result.lock:
                    result.notices += len(receipt.replies)
                    result.replayed += receipt.replayed
        except SyncError as err:
            with result.lock:
                result.failures.append(f"{town.name}: {err}")
        with result.lock:
            result.bytes_sent += client.bytes_sent


def push_all(url: str, towns: list[TownshipLoad], concurrency: int | None = None,
             again: bool = False) -> LoadResult:
    """Every township pushes all its batches at once (``again``: the same batches resent)."""
    result = LoadResult()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency or len(towns)) as pool:
        for done in [pool.submit(_push_one, url, t, result, again) for t in towns]:
            done.result()
    result.seconds = time.perf_counter() - started
    return result


def county_counts(db: str) -> dict[str, Any]:
    """What the county database holds: notices (and distinct ones), per township, batches, blobs."""
    county = Database(database_url(db))
    try:
        with county.read() as conn:
            def one(sql: str) -> int:
                return int(conn.exec_driver_sql(sql).scalar() or 0)
            per = {name: n for name, n in conn.exec_driver_sql(
                "SELECT t.name, count(*) FROM notices n JOIN townships t ON t.id = n.township_id"
                " GROUP BY t.name")}
            return {"notices": one("SELECT count(*) FROM notices"),
                    "distinct": one("SELECT count(*) FROM (SELECT DISTINCT township_id,"
                                    " notice_id FROM notices) AS d"),
                    "per_township": per,
                    "batches": one("SELECT count(*) FROM batches"),
                    "blobs": one("SELECT count(*) FROM blobs")}
    finally:
        county.close()


def figures(label: str, result: LoadResult) -> str:
    """One paragraph of figures for a round: throughput, statuses and p95 per call."""
    mb = result.bytes_sent / 1e6
    lines = [f"{label}: {result.notices} notices, {mb:.1f} MB in {result.seconds:.2f} s: "
             f"{result.notices / result.seconds:.0f} notices/s, {mb / result.seconds:.1f} MB/s; "
             f"statuses {dict(sorted(result.statuses.items()))}, "
             f"{len(result.failures)} failed pushes"]
    for kind in sorted(result.latencies):
        values = result.latencies[kind]
        lines.append(f"    {kind:<18} {len(values):>6} calls  p95 {result.p95(kind) * 1000:7.0f} ms"
                     f"  max {max(values) * 1000:7.0f} ms")
    return "\n".join(lines)


def serving_pid(port: int, client: socket.socket, candidates: list[int]) -> int | None:
    """Which of ``candidates`` holds the server's end of ``client``'s connection to ``port``."""
    mine = client.getsockname()[1]
    inode = ""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == port and int(remote.split(":")[1], 16) == mine:
            inode = fields[9]
    return next((pid for pid in candidates if inode and holds_socket(pid, inode)), None)
