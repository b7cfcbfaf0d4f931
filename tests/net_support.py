"""Bad networks on 127.0.0.1, for the sync tests: a fault relay, a forward proxy, TLS, a server.

No test lives here, and nothing here is a mock: every helper is a real
socket server in a background thread (or a real process), and the township
client talks to it over real TCP, through real TLS where the test asks.

- ``Relay`` sits between the client and a real county server and can be
  switched between passing bytes through, answering HTTP 500, stalling
  (reading the request and never answering) and cutting the county's answer
  after N bytes.
- ``ForwardProxy`` is a tiny HTTP proxy (absolute-URI requests for http://,
  CONNECT tunnels for https://) that logs what it carried.
- ``make_tls`` writes a private CA and a server certificate for 127.0.0.1.
- ``county_serving`` runs the real ``gongkai-county serve`` process, over
  http or https.

Each helper is a context manager that stops its threads or process and
closes its sockets on the way out.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import os
import select
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
#: Headers that belong to one hop, not to the request a proxy passes on (RFC 9110 §7.6.1).
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
              "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}


# -- sockets ------------------------------------------------------------------------------


class _Live:
    """The sockets a helper has open, so that a switch or a stop can end them from outside.

    ``shutdown`` (not ``close``) is what wakes a thread blocked in ``recv`` or
    ``select`` on the socket; the thread that owns the socket then closes it.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.stopping = False

    def add(self, *socks: socket.socket) -> bool:
        """Track ``socks``; False if the helper is stopping (the caller must give up)."""
        with self.lock:
            if self.stopping:
                return False
            self.sockets.update(socks)
            return True

    def discard(self, *socks: socket.socket) -> None:
        """Stop tracking ``socks`` (their owner is about to close them)."""
        with self.lock:
            self.sockets.difference_update(socks)

    def end_all(self, stopping: bool = False) -> None:
        """Shut down every tracked socket; with ``stopping``, refuse new ones from now on."""
        with self.lock:
            self.stopping = self.stopping or stopping
            socks = list(self.sockets)
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by its peer


def _pump(a: socket.socket, b: socket.socket, cut_after: int | None = None) -> None:
    """Copy bytes both ways until either side ends; ``b``→``a`` stops after ``cut_after``."""
    sent_back = 0
    while True:
        try:
            ready, _, _ = select.select([a, b], [], [])
        except (OSError, ValueError):
            return
        for src in ready:
            dst = b if src is a else a
            try:
                data = src.recv(65536)
            except OSError:
                return
            if not data:
                return
            if src is b and cut_after is not None:
                data = data[:cut_after - sent_back]
                sent_back += len(data)
            try:
                dst.sendall(data)
            except OSError:
                return
            if src is b and cut_after is not None and sent_back >= cut_after:
                return  # the answer is cut here: both sides are closed by the caller


def _read_request(sock: socket.socket) -> str | None:
    """Read one HTTP/1.1 request (head and Content-Length body); its request line, or None."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return lines[0].decode("latin-1")


def _close(*socks: socket.socket) -> None:
    for sock in socks:
        try:
            sock.close()
        except OSError:
            pass


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    # Handler threads are joined by server_close(), so a test ends with none left running.
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True


class _Served:
    """A socketserver in a thread, used as a context manager (the relay and the proxy)."""

    _server: socketserver.BaseServer
    _live: _Live

    def _serve(self, server: socketserver.BaseServer) -> None:
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop accepting, end every open connection, and wait for the handler threads."""
        self._server.shutdown()
        self._live.end_all(stopping=True)
        self._server.server_close()
        self._thread.join(5)


# -- the fault relay ----------------------------------------------------------------------


class Relay(_Served):
    """A TCP relay on 127.0.0.1 in front of a real server, in one of four modes.

    - ``"pass"``: bytes go through untouched (TLS too: the relay never looks inside).
    - ``"500"``: every request is read whole and answered ``500 Internal Server
      Error`` with ``Connection: close``; the upstream is never contacted.
    - ``"stall"``: the request is read whole, then nothing is ever answered; the
      connection stays open until the client gives up or the mode is switched.
    - ``"cut"``: like pass, but each connection's answer from upstream is cut
      after ``cut_after`` bytes (the upstream did the work; the client never
      hears the end of it).

    The mode is taken when a connection is accepted, and switching the mode
    ends every open connection, so the next request meets the new mode
    whatever a client keeps in its connection pool. ``requests`` lists the
    request lines answered 500 or stalled; ``connections`` counts accepted
    connections of any mode.
    """

    MODES = ("pass", "500", "stall", "cut")

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.mode = "pass"
        self.cut_after = 0
        self.requests: list[str] = []
        self.connections = 0
        self._live = _Live()
        relay = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                relay._handle(self.request)

        self._serve(_Server(("127.0.0.1", 0), Handler))

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (use ``https://`` in front of a TLS server)."""
        return f"http://127.0.0.1:{self.port}"

    def set_mode(self, mode: str, cut_after: int = 0) -> None:
        """Switch to ``mode`` and end every open connection of the old one."""
        if mode not in self.MODES:
            raise ValueError(f"unknown relay mode {mode!r}")
        with self._live.lock:
            self.mode, self.cut_after = mode, cut_after
        self._live.end_all()

    def _handle(self, client: socket.socket) -> None:
        with self._live.lock:
            mode, cut_after = self.mode, self.cut_after
            self.connections += 1
        if not self._live.add(client):
            return
        upstream: socket.socket | None = None
        try:
            if mode in ("pass", "cut"):
                upstream = socket.create_connection(self.upstream, timeout=5)
                upstream.settimeout(None)
                if self._live.add(upstream):
                    _pump(client, upstream, cut_after if mode == "cut" else None)
                return
            line = _read_request(client)
            if line is None:
                return
            with self._live.lock:
                self.requests.append(line)
            if mode == "500":
                body = b'{"detail": "relay: injected failure"}'
                client.sendall(b"HTTP/1.1 500 Internal Server Error\r\n"
                               b"Content-Type: application/json\r\n"
                               b"Content-Length: " + str(len(body)).encode() + b"\r\n"
                               b"Connection: close\r\n\r\n" + body)
                return
            # stall: keep the connection open and silent until the client or a switch ends it.
            while client.recv(65536):
                pass
        except OSError:
            pass  # a connection ended by a switch, a stop or the client: nothing to report
        finally:
            socks = [s for s in (client, upstream) if s is not None]
            self._live.discard(*socks)
            _close(*socks)


# -- the forward proxy --------------------------------------------------------------------


@dataclass
class ProxyLog:
    """One request the proxy carried: ``("GET", "127.0.0.1:8700", "/api/v1/hello")``.

    A CONNECT tunnel is logged as ``("CONNECT", "host:port", "")``: what goes
    through it is encrypted, which is the point.
    """

    method: str
    host: str
    path: str


class ForwardProxy(_Served):
    """A real HTTP forward proxy on 127.0.0.1 that logs what it carried.

    Plain http:// requests arrive in absolute form (``GET http://host/path``)
    and are passed on one per connection; https:// arrives as ``CONNECT
    host:port`` and is tunnelled byte for byte.

    With ``auth=(user, password)`` it asks for HTTP Basic credentials, as an
    office proxy does: a request without the right ``Proxy-Authorization``
    gets 407 and is counted in ``refused``.
    """

    def __init__(self, auth: tuple[str, str] | None = None) -> None:
        self.log: list[ProxyLog] = []
        self.refused = 0
        self._auth = ("Basic " + base64.b64encode(":".join(auth).encode()).decode()
                      if auth else None)
        self._live = _Live()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # the test reads ``proxy.log``; nothing on stderr

            def do_CONNECT(self) -> None:  # noqa: N802  (http.server's naming)
                if proxy._admitted(self):
                    proxy._tunnel(self)

            def _forward(self) -> None:
                if proxy._admitted(self):
                    proxy._forward(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward  # noqa: N815

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = False  # joined by server_close()
        self._serve(server)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, as a proxy setting takes it."""
        return f"http://127.0.0.1:{self.port}"

    def paths(self) -> list[str]:
        """The paths of the plain-HTTP requests carried, in order."""
        return [entry.path for entry in self.log if entry.method != "CONNECT"]

    def _admitted(self, handler: BaseHTTPRequestHandler) -> bool:
        """Whether the request carries the credentials asked for (a 407 is sent if not)."""
        if self._auth is None or handler.headers.get("Proxy-Authorization") == self._auth:
            return True
        with self._live.lock:
            self.refused += 1
        handler.send_response(407, "Proxy Authentication Required")
        handler.send_header("Proxy-Authenticate", 'Basic realm="office"')
        handler.send_header("Content-Length", "0")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        return False

    def _note(self, method: str, host: str, path: str) -> None:
        with self._live.lock:
            self.log.append(ProxyLog(method, host, path))

    def _tunnel(self, handler: BaseHTTPRequestHandler) -> None:
        host, _, port = handler.path.rpartition(":")
        self._note("CONNECT", handler.path, "")
        try:
            upstream = socket.create_connection((host, int(port)), timeout=5)
        except OSError:
            handler.send_error(502, "upstream unreachable")
            return
        upstream.settimeout(None)
        handler.send_response(200, "Connection established")
        handler.end_headers()
        handler.wfile.flush()
        if self._live.add(handler.connection, upstream):
            _pump(handler.connection, upstream)
        self._live.discard(handler.connection, upstream)
        _close(upstream)
        handler.close_connection = True

    def _forward(self, handler: BaseHTTPRequestHandler) -> None:
        target = urlsplit(handler.path)
        if target.scheme != "http" or not target.hostname:
            handler.send_error(400, "absolute http:// URI expected")
            return
        self._note(handler.command, target.netloc, target.path)
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Connection"] = "close"
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        try:
            path = target.path + (f"?{target.query}" if target.query else "")
            upstream.request(handler.command, path, body=body or None, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
        except OSError:
            handler.send_error(502, "upstream unreachable")
            return
        finally:
            upstream.close()
        handler.send_response(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length", "date", "server"}:
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(data)
        handler.close_connection = True


# -- TLS ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TlsFiles:
    """PEM files: the county's private CA, and a server certificate and key it signed."""

    ca_cert: Path
    server_cert: Path
    server_key: Path

    def verify(self) -> ssl.SSLContext:
        """An SSL context that trusts only the private CA (for the test's own checks)."""
        return ssl.create_default_context(cafile=str(self.ca_cert))


def make_tls(folder: Path, ip: str = "127.0.0.1") -> TlsFiles:
    """Write a private CA and a server certificate for ``ip`` (an IP SAN) into ``folder``.

    EC P-256 keys take milliseconds to make. The extensions are the ones a
    strict verifier wants (basic constraints and key usage marked critical,
    subject and authority key identifiers), so the files pass Python's
    ``VERIFY_X509_STRICT`` as well as the default checks.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "东山县政务公开办"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "东山县政务公开测试 CA")])
    ca = (x509.CertificateBuilder()
          .subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False),
                         critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ip)]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False,
                                         decipher_only=False),
                           critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(folder / "county-ca.pem", folder / "server.pem", folder / "server-key.pem")
    files.ca_cert.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files.server_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.server_key.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return files


# -- the real county server ---------------------------------------------------------------


def county_command(*args: str) -> list[str]:
    """The real console script (``.venv/bin/gongkai-county``) with ``args``."""
    script = Path(sys.executable).with_name("gongkai-county")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "app.county.cli"]
    return [*command, *args]


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class CountyServer:
    """A running ``gongkai-county serve`` process: where it listens and its database."""

    port: int
    db: str
    tls: TlsFiles | None
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` or ``https://…`` when it serves TLS."""
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def run(self, *args: str) -> str:
        """Run ``gongkai-county ARGS --db DB`` (another process); its stdout."""
        done = subprocess.run(county_command(*args, "--db", self.db), cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def token(self, township: str = "青石镇") -> str:
        """A new township token, from ``gongkai-county token add``."""
        return self.run("token", "add", township).split()[0]

    def stats(self) -> dict[str, int]:
        """``gongkai-county stats --json``."""
        return json.loads(self.run("stats", "--json"))


@contextmanager
def county_serving(folder: Path, tls: TlsFiles | None = None) -> Iterator[CountyServer]:
    """Run the real ``gongkai-county serve`` (with ``--tls-cert``/``--tls-key`` when ``tls``).

    Waits until the staff login page answers (over TLS, checked against the
    private CA) and stops the process at the end; its stderr goes to
    ``folder/serve.log`` and is shown if it fails to start.
    """
    folder.mkdir(parents=True, exist_ok=True)
    server = CountyServer(free_port(), str(folder / "county.sqlite3"), tls)
    args = ["serve", "--db", server.db, "--port", str(server.port)]
    if tls:
        args += ["--tls-cert", str(tls.server_cert), "--tls-key", str(tls.server_key)]
    log_path = folder / "serve.log"
    with open(log_path, "wb") as log:
        server.proc = subprocess.Popen(county_command(*args), cwd=ROOT, env=dict(os.environ),
                                       stdout=subprocess.DEVNULL, stderr=log)
    try:
        verify: ssl.SSLContext | bool = tls.verify() if tls else True
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{server.url}/login", verify=verify, timeout=1, trust_env=False)
                break
            except httpx.TransportError:
                if server.proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("gongkai-county serve did not start:\n"
                                         + log_path.read_text(errors="replace")) from None
                time.sleep(0.05)
        yield server
    finally:
        server.proc.terminate()
        try:
            server.proc.wait(10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait(10)
