"""Helpers for the county server tests: a real server on 127.0.0.1, a real PostgreSQL, batches.

No test lives here. ``running_county`` serves the real FastAPI app with
uvicorn in a thread on a free port (``test_county_cli`` also starts the real
``gongkai-county serve`` process); ``postgres_url`` gives a fresh database in
a throw-away PostgreSQL cluster started from Debian's binaries on first use.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from app.county.api import create_app
from app.county.database import Database, open_database
from app.county.tokens import add_token
from app.sync.protocol import API, Attachment, Batch, NoticePayload, sha256_hex


def free_socket() -> socket.socket:
    """A listening-ready socket bound to a free port on 127.0.0.1."""
    # proto named explicitly: asyncio sets TCP_NODELAY on accepted sockets only when it
    # is, and without it every keep-alive response waits 40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def free_port() -> int:
    """A port that was free a moment ago."""
    with free_socket() as sock:
        return sock.getsockname()[1]


@dataclass
class County:
    """A running county server: its address and its database."""

    url: str
    db: Database
    clients: list[httpx.Client] = field(default_factory=list)

    def token(self, township: str, staff: bool = False) -> str:
        """A new token, as ``gongkai-county token add`` makes it."""
        return add_token(self.db, township, staff=staff)

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        """An HTTP client for the API, with a township's bearer token."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.Client(base_url=self.url + API, headers=headers, timeout=30, **kwargs)
        self.clients.append(client)
        return client

    def township(self, name: str) -> Township:
        """A township with a fresh token and a client."""
        return Township(name, self.client(self.token(name)))


@contextmanager
def running_county(db_url: str) -> Iterator[County]:
    """The real app under uvicorn in a thread, on a free port, until the block ends."""
    db = open_database(db_url)
    sock = free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(db), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    county = County(f"http://127.0.0.1:{port}", db)
    try:
        yield county
    finally:
        for client in county.clients:
            client.close()
        server.should_exit = True
        thread.join(10)
        sock.close()
        db.close()


# -- batches ------------------------------------------------------------------------------


def blob(size: int = 2000) -> bytes:
    """Random bytes standing in for a photo."""
    return b"\xff\xd8\xff" + secrets.token_bytes(max(size - 3, 0))


def notice(notice_id: str | None = None, title: str = "关于2026年第四季度低保对象的公示",
           rev: int = 1, photos: list[bytes] | None = None, **extra: Any) -> NoticePayload:
    """A notice payload as the township sends it (CONTRACT Notice JSON plus body and rev)."""
    notice_id = notice_id or str(uuid.uuid4())
    document = {"id": notice_id, "item_id": "shjz-005", "item_rev": 1, "domain": "社会救助",
                "kind": "公示", "title": title, "status": "approved", "formed": "2026-11-20",
                "due": "2026-12-04", "calendar_known": True,
                "publicity": {"start": "2026-11-23", "end": "2026-12-01"},
                "postings": [{"board": "镇政务公开栏", "posted": "2026-11-23",
                              "taken_down": None}],
                "sync": "queued", "rev": rev, "approved_rev": rev, "issuer": "某某镇人民政府",
                "phone": "0551-62345678", "body": "现将初审对象名单公示如下：……", **extra}
    item = {"id": "shjz-005", "domain": "社会救助", "seq": 5, "level1": "最低生活保障",
            "level2": "审核信息"}
    attachments = [Attachment(sha256_hex(p), len(p), "photo", f"镇政务公开栏 {n}")
                   for n, p in enumerate(photos or [])]
    return NoticePayload(document, item, attachments)


def batch(township: str, notices: list[NoticePayload], batch_id: str | None = None) -> Batch:
    """A batch document under a fresh (or given) id."""
    return Batch(batch_id or str(uuid.uuid4()), township, "某某县", "2026-11-23T10:00:00+08:00",
                 notices)


@dataclass
class Township:
    """A township's side of the protocol, spoken over real HTTP."""

    name: str
    http: httpx.Client

    def missing(self, hashes: list[str]) -> list[str]:
        """``POST /blobs/missing``."""
        answer = self.http.post("/blobs/missing", json={"sha256": hashes})
        assert answer.status_code == 200, answer.text
        return answer.json()["missing"]

    def upload(self, data: bytes) -> httpx.Response:
        """``PUT /blobs/{sha256}``."""
        return self.http.put(f"/blobs/{sha256_hex(data)}", content=data)

    def put_batch(self, b: Batch) -> httpx.Response:
        """``PUT /batches/{id}``."""
        return self.http.put(f"/batches/{b.batch_id}", json=b.to_json())

    def push(self, b: Batch, blobs: list[bytes]) -> dict[str, Any]:
        """The whole send: ask, upload what is missing, put the batch; the receipt."""
        by_hash = {sha256_hex(d): d for d in blobs}
        for digest in self.missing([a.sha256 for a in b.blobs()]):
            assert self.upload(by_hash[digest]).status_code == 201
        answer = self.put_batch(b)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def replies(self, after: int = 0) -> dict[str, Any]:
        """``GET /replies?after=``."""
        answer = self.http.get("/replies", params={"after": after})
        assert answer.status_code == 200, answer.text
        return answer.json()


# -- PostgreSQL ---------------------------------------------------------------------------


class _Cluster:
    """A throw-away PostgreSQL cluster in a temporary folder, run as a non-root user."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                       key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit()
                       else 0)
        self.reason = ""
        self.url = ""
        self.count = 0
        if not found:
            self.reason = ("PostgreSQL 未安装（/usr/lib/postgresql/*/bin/initdb 不存在；"
                           "scripts/setup-system 会安装 Debian 的 postgresql 包）")
            return
        self.bin = Path(found[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="gongkai-pg-"))
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: run it as the postgres user Debian makes.
            user = "postgres" if _user_exists("postgres") else "nobody"
            os.chown(self.dir, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
            self.prefix = ["runuser", "-u", user, "--"]
        data = self.dir / "data"
        self.port = free_port()
        self._run("initdb", "-D", str(data), "-U", "gongkai", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(data), "-l", str(self.dir / "log"), "-w", "-t", "30",
                  "-o", options, "start")
        self.data = data
        self.url = f"postgresql://gongkai@127.0.0.1:{self.port}"
        atexit.register(self.stop)

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.prefix, str(self.bin / tool), *args], check=True,
                       capture_output=True, timeout=60, cwd=self.dir)

    def new_database(self) -> str:
        """A fresh, empty database in the cluster; its URL."""
        import psycopg

        self.count += 1
        name = f"county_{os.getpid()}_{self.count}"
        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{self.url}/{name}"

    def stop(self) -> None:
        """Stop the cluster and remove its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


_cluster: _Cluster | None = None


def postgres_url() -> tuple[str, str]:
    """(URL of a fresh database, "") or ("", why PostgreSQL cannot be used here)."""
    global _cluster
    if _cluster is None:
        _cluster = _Cluster()
    if _cluster.reason:
        return "", _cluster.reason
    return _cluster.new_database(), ""


def database_for(kind: str, folder: Path) -> tuple[str, str]:
    """A fresh database of ``kind`` ("sqlite" or "postgresql"): (URL or path, skip reason)."""
    if kind == "sqlite":
        return str(folder / "county.sqlite3"), ""
    return postgres_url()
