"""Talking to the county platform over HTTP: retries that are safe because every call is.

Every call of the protocol is idempotent (blobs are addressed by their hash,
batches by the id the township chose), so a call that failed half-way is
simply made again. Transient failures — no connection, a stalled read, a
5xx or 429 — are retried with exponential backoff and full jitter, so that
thirty townships coming back online together do not knock at the same
second; anything else is the county saying no, and is reported in one
sentence. TLS is always verified, against the county's own CA certificate
when one is set; a proxy setting (or the usual HTTPS_PROXY) is honoured, with
the proxy's password taken from where the token is kept.

A certificate that cannot be verified is not transient: retrying cannot
help, and calling it "no connection" sends the clerk to check the cable. It
is reported at once as what it is, with the one setting that fixes it.
"""

from __future__ import annotations

import logging
import random
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from app import __version__
from app.errors import UserError
from app.sync import credentials
from app.sync.protocol import (
    API,
    MAX_PROBLEM_LIST_BYTES,
    PROBLEM_LISTS_PER_ANSWER,
    BatchReceipt,
    Reply,
)

log = logging.getLogger(__name__)


class SyncError(UserError):
    """A send or fetch that did not happen; the message is one Chinese sentence.

    Where what to do differs between the two faces, ``str(err)`` is the command
    line's sentence (it names the command) and ``window`` the window's (it names
    the button); the window never shows a command line. Elsewhere they are one.
    """

    def __init__(self, message: str, detail: str = "", window: str = "") -> None:
        super().__init__(message, detail)
        self.window = window or message


def in_window(err: UserError) -> str:
    """The sentence the window shows for ``err`` (a SyncError's ``window``, else the message)."""
    return err.window if isinstance(err, SyncError) else str(err)


class SyncStopped(SyncError):
    """The clerk pressed 停止: nothing is lost, the next sync carries on."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry transient failures."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry ``attempt`` (0-based): full jitter under a growing cap."""
        return rng() * min(self.cap, self.base * 2 ** attempt)


#: The patience used when a caller does not choose (looked up at each connection, so a
#: test can shorten it): six attempts with backoff, 10 s to connect, 30 s per read.
DEFAULT_RETRY = RetryPolicy()
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0


@dataclass(frozen=True)
class Connection:
    """Where the county is and how to reach it.

    ``connect_timeout`` and ``read_timeout`` bound one attempt (seconds to
    connect, and to wait for each read of the answer), so a county that
    accepts a request and never answers costs at most ``attempts ×
    read_timeout`` plus the backoff before the clerk is told.
    """

    server: str
    token: str
    ca_cert: str = ""
    proxy: str = ""
    connect_timeout: float | None = None  # None: CONNECT_TIMEOUT
    read_timeout: float | None = None  # None: READ_TIMEOUT


_RETRY_STATUS = {429, 500, 502, 503, 504}
#: The most a ``GET /problems`` answer can hold: its files in base64, and their names.
MAX_PROBLEMS_ANSWER = PROBLEM_LISTS_PER_ANSWER * (MAX_PROBLEM_LIST_BYTES * 4 // 3 + 8192)
_UNREACHABLE = "连不上县级平台，已保留待报送内容，网络恢复后会自动重试。"
_STOPPED = "已停止同步，待报送内容都还在，下次同步会接着报送。"
_STALLED = "县级平台长时间没有响应，已保留待报送内容，稍后会自动重试。"
_BAD_PROXY = "代理地址无法识别，应形如 http://10.0.0.1:8080（只支持 HTTP 代理）。"
_PROXY_FAILED = "代理服务器没能连到县级平台，已保留待报送内容，请检查代理设置或稍后再试。"
_CERT_UNKNOWN = ("县级平台的证书无法验证，请向县里要来 CA 证书文件，"
                 "用 gongkai sync login --ca-cert 填上后再试。")
_CERT_UNKNOWN_WINDOW = ("县级平台的证书无法验证，请向县里要来 CA 证书文件，点「连接设置…」"
                        "填在“CA 证书”一栏后再试。")
_NO_TOKEN = "还没有县级平台的令牌，请先运行 gongkai sync login。"
_NO_TOKEN_WINDOW = "尚未连接县级平台，请点「连接设置…」填写平台地址和令牌。"
_TOKEN_REFUSED = "县级平台不接受这个令牌，请重新运行 gongkai sync login。"
_TOKEN_REFUSED_WINDOW = "县级平台不接受这个令牌，请点「连接设置…」重新填写县里发的令牌。"
_CERT_MISMATCH = ("县级平台的证书无法用所填的 CA 证书验证，请确认 CA 证书文件是县里给的那一份、"
                  "平台地址没有写错。")


def _cert_failure(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification error behind ``exc``, if that is what it was.

    httpx wraps it twice (httpx.ConnectError from httpcore.ConnectError from
    ssl.SSLCertVerificationError), so the chain of causes is walked.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _proxy_url(proxy: str) -> str | None:
    """The proxy setting as httpx takes it: "10.0.0.1:8080" as typed means http://10.0.0.1:8080."""
    proxy = proxy.strip()
    if not proxy:
        return None
    if "://" not in proxy:
        proxy = "http://" + proxy
    try:
        url = httpx.URL(proxy)
    except (httpx.InvalidURL, ValueError) as exc:
        raise SyncError(_BAD_PROXY) from exc
    # SOCKS would need an extra package (socksio) that is not installed: refuse it plainly.
    if url.scheme not in ("http", "https") or not url.host:
        raise SyncError(_BAD_PROXY)
    return proxy


class CountyClient:
    """One township's client of the county API (use as a context manager)."""

    def __init__(self, connection: Connection, retry: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 stop: threading.Event | None = None) -> None:
        if not connection.server.startswith(("https://", "http://")):
            raise SyncError("县级平台地址应以 https:// 开头。")
        if not connection.token:
            raise SyncError(_NO_TOKEN, window=_NO_TOKEN_WINDOW)
        verify: ssl.SSLContext | bool = True
        if connection.ca_cert:
            try:
                verify = ssl.create_default_context(cafile=connection.ca_cert)
            except (OSError, ssl.SSLError) as exc:
                raise SyncError("县里的 CA 证书文件无法读取。") from exc
        self.retry = retry or DEFAULT_RETRY
        self._own_ca = bool(connection.ca_cert)
        self._proxied = bool(connection.proxy.strip())
        self._sleep = sleep
        self.stop = stop
        read = connection.read_timeout or READ_TIMEOUT
        self.http = httpx.Client(
            base_url=connection.server.rstrip("/") + API, verify=verify,
            # The settings hold the proxy without its password; it is put back only here.
            proxy=_proxy_url(credentials.proxy_with_password(connection.proxy)),
            trust_env=True,
            timeout=httpx.Timeout(read, connect=connection.connect_timeout or CONNECT_TIMEOUT),
            headers={"Authorization": f"Bearer {connection.token}",
                     "User-Agent": f"gongkai/{__version__}"})
        self.bytes_sent = 0

    def __enter__(self) -> CountyClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def check_stop(self) -> None:
        """Raise SyncStopped if the clerk asked to stop (checked between calls and retries)."""
        if self.stop is not None and self.stop.is_set():
            raise SyncStopped(_STOPPED)

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        last = _UNREACHABLE
        for attempt in range(self.retry.attempts):
            self.check_stop()
            try:
                response = self.http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                log.warning("%s %s, attempt %d: %r", method, path, attempt + 1, exc)
                if (bad := _cert_failure(exc)) is not None:
                    raise SyncError(_CERT_MISMATCH if self._own_ca else _CERT_UNKNOWN,
                                    bad.verify_message or str(bad),
                                    _CERT_MISMATCH if self._own_ca
                                    else _CERT_UNKNOWN_WINDOW) from exc
                if isinstance(exc, httpx.TimeoutException):
                    last = _STALLED
                elif isinstance(exc, httpx.ProxyError) or (
                        self._proxied and isinstance(exc, httpx.ConnectError)):
                    # Through a proxy the connection is made to the proxy: it is the one down.
                    last = _PROXY_FAILED
                else:
                    last = _UNREACHABLE
            else:
                if response.status_code < 400 or response.status_code == 404:
                    return response
                if response.status_code not in _RETRY_STATUS:
                    raise _refusal(response)
                log.warning("%s %s, attempt %d: HTTP %d", method, path, attempt + 1,
                            response.status_code)
                last = "县级平台暂时出错，已保留待报送内容，稍后会自动重试。"
            if attempt + 1 < self.retry.attempts:
                delay = self.retry.delay(attempt)
                # A stop pressed during the backoff ends the wait at once.
                if self.stop is not None:
                    self.stop.wait(delay)
                else:
                    self._sleep(delay)
        self.check_stop()
        raise SyncError(last)

    def hello(self) -> dict[str, Any]:
        """Who the token belongs to, and the server's limits."""
        return _json(self._call("GET", "/hello"))

    def missing(self, hashes: list[str]) -> list[str]:
        """Which of these attachments the county does not have yet."""
        if not hashes:
            return []
        return list(_json(self._call("POST", "/blobs/missing", json={"sha256": hashes}))
                    .get("missing", []))

    def put_blob(self, digest: str, data: bytes) -> None:
        """Upload one attachment (the county checks it against its hash)."""
        self._call("PUT", f"/blobs/{digest}", content=data,
                   headers={"Content-Type": "application/octet-stream"})
        self.bytes_sent += len(data)

    def put_batch(self, batch_id: str, document: bytes) -> BatchReceipt:
        """Send a frozen batch document; the receipt holds one reply per notice."""
        response = self._call("PUT", f"/batches/{batch_id}", content=document,
                              headers={"Content-Type": "application/json"})
        self.bytes_sent += len(document)
        return BatchReceipt.from_json(_json(response))

    def replies(self, after: int) -> list[Reply]:
        """The county's answers since reply number ``after``, every page of them."""
        found: list[Reply] = []
        while True:
            data = _json(self._call("GET", "/replies", params={"after": after}))
            page = [Reply.from_json(r) for r in data.get("replies", [])]
            found += page
            if not data.get("more") or not page:
                return found
            after = max(r.seq for r in page)

    def catalog(self, after: int) -> dict[str, Any]:
        """Catalog items of a county version newer than ``after`` (``items`` empty if none)."""
        return _json(self._call("GET", "/catalog", params={"after": after}))

    def rules(self, after: int) -> dict[str, Any] | None:
        """The county's 考核细则 if a version newer than ``after`` was published (``body``
        empty if none); None from a county server that does not publish rules yet."""
        response = self._call("GET", "/rules", params={"after": after})
        return None if response.status_code == 404 else _json(response)

    def problems(self, after: int) -> dict[str, Any] | None:
        """This township's 测评问题清单 numbered above ``after`` (``lists``, ``more``); None
        from a county server that does not send them yet."""
        response = self._call("GET", "/problems", params={"after": after})
        if response.status_code == 404:
            return None
        if len(response.content) > MAX_PROBLEMS_ANSWER:
            raise SyncError("县级平台发来的问题清单超过大小上限，请联系县政务公开办。")
        return _json(response)

    def calendar(self, year: int) -> dict[str, Any] | None:
        """The county's holiday arrangement for ``year``, or None if it has none."""
        response = self._call("GET", f"/calendar/{year}")
        return None if response.status_code == 404 else _json(response)


def _json(response: httpx.Response) -> dict[str, Any]:
    if response.status_code == 404:
        raise SyncError("县级平台不认识这个请求，请确认平台地址和程序版本。")
    try:
        data = response.json()
    except ValueError as exc:
        raise SyncError("县级平台的答复无法识别，请确认平台地址。") from exc
    if not isinstance(data, dict):
        raise SyncError("县级平台的答复无法识别，请确认平台地址。")
    return data


def _refusal(response: httpx.Response) -> SyncError:
    """The county's own one-sentence reason, or ours by status."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str) and detail:
        return SyncError(detail if detail.endswith(("。", "！", "？")) else detail + "。")
    if response.status_code in (401, 403):
        return SyncError(_TOKEN_REFUSED, window=_TOKEN_REFUSED_WINDOW)
    if response.status_code == 413:
        return SyncError("报送内容超过县级平台的大小上限。")
    return SyncError(f"县级平台拒绝了这次报送（{response.status_code}）。")
