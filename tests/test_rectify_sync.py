"""整改 through sync: the county publishes a township's 测评问题清单, ``sync pull`` imports it once.

Against the real ``gongkai-county serve``: a list published for 青石镇 arrives with its
deadlines and the township's default days, a second pull brings nothing, 城关镇's list
is never served to 青石镇, garbage is refused at publish, a file the county accepts but
the desk's reader refuses is said once, a pull cut between two answers loses and doubles
nothing, and garbage to and from the endpoint is refused in one sentence.
"""

from __future__ import annotations

import base64
import io
import json
import sqlite3
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import httpx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_county_cli import county_process, serve_process  # noqa: F401  (fixture)
from test_rectify import docx_list, xlsx_list

from app.county.errors import Refused
from app.county.problem_lists import check_list_file
from app.planning import rectify
from app.sync import problem_lists
from app.sync.http_client import Connection, CountyClient, RetryPolicy, SyncError
from app.sync.protocol import API, MAX_PROBLEM_LIST_BYTES

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")
TITLE = "2026年第三季度测评问题"


@pytest.fixture
def county(serve_process, tmp_path):  # noqa: F811
    """A running county with 青石镇 and 城关镇; how to publish a list for either."""
    db = str(serve_process["db"])
    tokens = {name: county_process("token", "add", name, "--db", db).stdout.split()[0]
              for name in ("青石镇", "城关镇")}
    serve_process["start"]()

    def publish(path: Path, *extra: str, township: str = "青石镇"):
        return county_process("problems", "publish", "--township", township, str(path),
                              *extra, "--db", db)

    return SimpleNamespace(db=db, tokens=tokens, publish=publish,
                           url=f"http://127.0.0.1:{serve_process['port']}")


@pytest.fixture
def desk(gk, county, monkeypatch):
    """青石镇's desk, logged in to the county, giving 8 working days where a row names none."""
    gk("init", "--township", "青石镇", "--county", "东山县")
    monkeypatch.setenv("GONGKAI_COUNTY_TOKEN", county.tokens["青石镇"])
    gk("sync", "login", "--server", county.url)
    gk("rectify", "default-days", "8")
    return gk


def _lists(gk) -> list[tuple]:
    with sqlite3.connect(gk.folder / "gongkai.sqlite3") as conn:
        return conn.execute("SELECT id, title, source, received FROM rectify_lists").fetchall()


def _get(county, token: str, after: object = 0) -> httpx.Response:
    return httpx.get(f"{county.url}{API}/problems", params={"after": after},
                     headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_a_published_list_arrives_with_its_deadlines_once(desk, county, tmp_path) -> None:
    assert desk.json("sync", "pull")["problem_lists"] == {"imported": 0, "problems": 0,
                                                          "refused": []}
    done = county.publish(xlsx_list(tmp_path / "青石镇问题清单.xlsx"), "--title", TITLE,
                          "--received", "2026-11-16")
    assert done.returncode == 0, done.stderr
    assert f"已把问题清单「{TITLE}」（下发日期 2026-11-16）发给青石镇" in done.stdout

    pulled = desk("sync", "pull").stdout
    assert "已导入县里发来的问题清单1份（3个问题）" in pulled
    listed = desk.json("rectify", "list")
    # 5个工作日, 十个工作日内, and an empty cell: the township's 8 days, from 16 November.
    assert [(p["id"], p["days"], p["deadline"]) for p in listed] == [
        ("ZG1-01", 5, "2026-11-23"), ("ZG1-02", 10, "2026-11-30"), ("ZG1-03", 8, "2026-11-26")]
    assert {(p["list_title"], p["received"]) for p in listed} == {(TITLE, "2026-11-16")}
    assert _lists(desk) == [(1, TITLE, "县级平台：青石镇问题清单.xlsx", "2026-11-16")]

    assert desk.json("sync", "pull")["problem_lists"]["imported"] == 0
    assert len(desk.json("rectify", "list")) == 3

    # A Word list without --title or --received: its name, and the county's today.
    county.publish(docx_list(tmp_path / "检查问题.docx"))
    assert desk.json("sync", "pull")["problem_lists"] == {"imported": 1, "problems": 3,
                                                          "refused": []}
    assert _lists(desk)[1][1:] == ("检查问题", "县级平台：检查问题.docx", TODAY)


def test_another_townships_list_is_never_served(desk, county, tmp_path) -> None:
    assert county.publish(xlsx_list(tmp_path / "城关镇.xlsx"), township="城关镇").returncode == 0
    assert desk.json("sync", "pull")["problem_lists"]["imported"] == 0
    assert _lists(desk) == []
    assert _get(county, county.tokens["青石镇"]).json() == {"lists": [], "more": False}
    theirs = _get(county, county.tokens["城关镇"]).json()
    assert [(e["id"], e["title"], e["filename"]) for e in theirs["lists"]] == [
        (1, "城关镇", "城关镇.xlsx")]
    assert base64.b64decode(theirs["lists"][0]["data"]) == (tmp_path / "城关镇.xlsx").read_bytes()
    unknown = county.publish(tmp_path / "城关镇.xlsx", township="白沙镇")
    assert unknown.returncode == 1 and "白沙镇" in unknown.stderr and "尚未" in unknown.stderr


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_garbage_is_refused_at_publish_and_nothing_is_served(desk, county, tmp_path) -> None:
    word = docx_list(tmp_path / "w.docx").read_bytes()
    cases = {
        "随机.xlsx": (b"\x00garbage" * 100, "不是有效的Excel文件"),
        "空.docx": (b"", "不是有效的Word文件"),
        "截断.xlsx": (xlsx_list(tmp_path / "x.xlsx").read_bytes()[:3000], "不是有效的Excel"),
        "无类型.xlsx": (_zip({"xl/workbook.xml": b"<workbook/>"}), "不是有效的Excel文件"),
        "改名.xlsx": (word, "不是有效的Excel文件"),  # a Word document named .xlsx
        "清单.csv": (b"a,b\n", "只能发布Excel（.xlsx）或Word（.docx）"),
        "清单.xls": (b"\xd0\xcf\x11\xe0" + b"\0" * 60, "只能发布Excel"),
        "太大.xlsx": (b"PK\x03\x04" + b"\0" * MAX_PROBLEM_LIST_BYTES, "超过5MB"),
    }
    for name, (data, said) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        out = county.publish(path)
        assert out.returncode == 1 and said in out.stderr, (name, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1
    for extra, said in ((("--received", "2026-11-24"), "不能晚于今天"),
                        (("--received", "11月16日"), "格式不对"), (("--title", " "), "名称")):
        out = county.publish(tmp_path / "x.xlsx", *extra)
        assert out.returncode == 1 and said in out.stderr, out.stderr
    assert _get(county, county.tokens["青石镇"]).json()["lists"] == []
    assert desk.json("sync", "pull")["problem_lists"]["imported"] == 0


def test_a_file_the_desk_cannot_read_is_said_once(desk, county, tmp_path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["这是一份会议通知，不是问题清单"])
    wb.save(tmp_path / "通知.xlsx")
    assert county.publish(tmp_path / "通知.xlsx", "--title", "会议通知").returncode == 0
    county.publish(xlsx_list(tmp_path / "清单.xlsx"), "--received", "2026-11-16")

    out = desk("sync", "pull").stdout
    assert "县里发来的问题清单「会议通知」未能导入：文件中没有找到问题清单表格" in out
    assert "已导入县里发来的问题清单1份（3个问题）" in out
    assert _lists(desk)[0][1:3] == ("清单", "县级平台：清单.xlsx")
    again = desk.json("sync", "pull")["problem_lists"]
    assert again == {"imported": 0, "problems": 0, "refused": []}  # said once, not fetched again
    with sqlite3.connect(desk.folder / "gongkai.sqlite3") as conn:
        (subject, detail), = conn.execute("SELECT subject, detail FROM audit_log"
                                          " WHERE action = 'rectify.county_refused'")
    assert subject == "会议通知" and json.loads(detail)["reason"] == rectify._NO_LIST

    # The JSON names the refusal as the output does.
    county.publish(tmp_path / "通知.xlsx", "--title", "又一份")
    refused = desk.json("sync", "pull")["problem_lists"]["refused"]
    assert [(r["id"], r["title"], r["filename"], r["reason"]) for r in refused] == [
        (3, "又一份", "通知.xlsx", rectify._NO_LIST)]


def test_a_pull_cut_between_answers_loses_and_doubles_nothing(township, county,
                                                              tmp_path) -> None:
    for n in range(3):  # two answers: two lists, then one
        county.publish(xlsx_list(tmp_path / f"第{n + 1}份.xlsx"), "--received", "2026-11-16")

    class CutAfterFirst(CountyClient):
        """The real client, whose county goes away after answering once."""

        calls = 0

        def problems(self, after: int):
            self.calls += 1
            if self.calls > 1:
                self.http.base_url = "http://127.0.0.1:9" + API  # nothing listens there
            return super().problems(after)

    connection = Connection(county.url, county.tokens["青石镇"])
    with CutAfterFirst(connection, RetryPolicy(attempts=1)) as client, \
            pytest.raises(SyncError, match="连不上县级平台"):
        problem_lists.pull_lists(township, client)
    assert township.get_setting(problem_lists.AFTER) == "2"
    assert [r["title"] for r in township.query("SELECT title FROM rectify_lists")] == [
        "第1份", "第2份"]
    with CountyClient(connection, RetryPolicy(attempts=1)) as client:
        assert problem_lists.pull_lists(township, client).imported == 1
    assert [r["title"] for r in township.query("SELECT title FROM rectify_lists")] == [
        "第1份", "第2份", "第3份"]
    assert len(rectify.list_problems(township)) == 9


@pytest.mark.parametrize("after", ["-1", "abc", "1e3", str(10**30), ""])
def test_a_bad_after_is_refused_in_one_sentence(county, after) -> None:
    answer = _get(county, county.tokens["青石镇"], after)
    assert answer.status_code == 422 and answer.json()["detail"] == "请求参数不对（after）。"


@pytest.mark.parametrize("endpoint", ["replies", "catalog", "rules", "problems"])
def test_an_after_beyond_any_number_is_refused_on_every_list(county, endpoint) -> None:
    # 10**30 overflows SQLite's integers: it is a 422 with its sentence, never a 500.
    answer = httpx.get(f"{county.url}{API}/{endpoint}", params={"after": str(10**30)},
                       headers={"Authorization": f"Bearer {county.tokens['青石镇']}"},
                       timeout=10)
    assert answer.status_code == 422 and "after" in answer.json()["detail"]


def test_no_token_no_lists(county) -> None:
    answer = httpx.get(f"{county.url}{API}/problems", timeout=10)
    assert answer.status_code == 401 and "令牌" in answer.json()["detail"]
    wrong = _get(county, "not-a-token")
    assert wrong.status_code == 401


# --------------------------------------------------------------------------- fuzz

GENUINE: dict[str, bytes] = {}


def _genuine(suffix: str) -> bytes:
    import tempfile

    if suffix not in GENUINE:
        folder = Path(tempfile.mkdtemp())
        GENUINE[suffix] = (xlsx_list(folder / "g.xlsx") if suffix == ".xlsx"
                           else docx_list(folder / "g.docx")).read_bytes()
    return GENUINE[suffix]


def _mutated(suffix: str, at: int, garbage: bytes) -> bytes:
    data = bytearray(_genuine(suffix))
    spot = at % len(data)
    data[spot:spot + len(garbage)] = garbage
    return bytes(data)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([".xlsx", ".docx", ".xls", ".zip", ""]),
       st.one_of(st.binary(max_size=3000),
                 st.builds(lambda g: b"PK\x03\x04" + g, st.binary(max_size=500)),
                 st.builds(_mutated, st.sampled_from([".xlsx", ".docx"]),
                           st.integers(0, 10**6), st.binary(min_size=1, max_size=64))))
def test_the_county_file_check_refuses_garbage_in_one_sentence(suffix, data) -> None:
    try:
        kind = check_list_file(data, f"清单{suffix}")
    except Refused as err:
        assert err.status in (413, 422) and str(err) and "\n" not in str(err)
    else:
        assert kind == suffix and data.startswith(b"PK\x03\x04")


class _Garbage:
    """A real HTTP server on 127.0.0.1 that answers ``GET /problems`` with the body it is given."""

    def __init__(self) -> None:
        self.body = b"{}"
        garbage = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802  (http.server's name)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(garbage.body)))
                self.end_headers()
                self.wfile.write(garbage.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture(scope="module")
def garbage_county():
    served = _Garbage()
    yield served
    served.server.shutdown()
    served.server.server_close()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


ENTRY = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.integers(-2, 10**12), st.booleans(), st.none(), st.text(max_size=4)),
    "title": st.one_of(st.text(max_size=30), st.integers(), st.just(TITLE)),
    "received": st.one_of(st.just("2026-11-16"), st.just("2027-01-01"), st.text(max_size=12)),
    "filename": st.one_of(st.sampled_from(["a.xlsx", "../../b.xlsx", "c.docx", "d.csv", ""]),
                          st.text(max_size=20)),
    "sha256": st.one_of(st.none(), st.text(max_size=64)),
    "data": st.one_of(st.builds(lambda: _b64(_genuine(".xlsx"))), st.text(max_size=40),
                      st.binary(max_size=200).map(_b64),
                      st.builds(lambda s, at, g: _b64(_mutated(s, at, g)),
                                st.sampled_from([".xlsx", ".docx"]), st.integers(0, 10**6),
                                st.binary(min_size=1, max_size=32))),
})
ANSWERS = st.one_of(
    st.fixed_dictionaries({"lists": st.lists(st.one_of(ENTRY, st.integers(), st.text(max_size=3)),
                                             max_size=3),
                           "more": st.one_of(st.booleans(), st.none(), st.integers(0, 2))}
                          ).map(lambda a: json.dumps(a).encode()),
    st.binary(max_size=200),
    st.sampled_from([b"[]", b"null", b'{"lists": {}}', b'{"lists": null}', b'"x"']),
)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ANSWERS)
def test_a_garbage_answer_is_one_sentence_or_lists_kept_whole(township, garbage_county,
                                                               body) -> None:
    township.set_settings({problem_lists.AFTER: "0"})
    garbage_county.body = body
    before = township.scalar("SELECT count(*) FROM rectify_lists")
    with CountyClient(Connection(garbage_county.url, "token"), RetryPolicy(attempts=1)) as client:
        try:
            pulled = problem_lists.pull_lists(township, client)
        except SyncError as err:
            assert str(err) and "\n" not in str(err)
            return
    kept = township.scalar("SELECT count(*) FROM rectify_lists")
    assert kept == before + pulled.imported
    assert all(r["reason"] and "\n" not in r["reason"] for r in pulled.refused)
    ids = [e["id"] for e in json.loads(body)["lists"]] if pulled.imported or pulled.refused else []
    assert problem_lists.done_after(township) == (max(ids) if ids else 0)
    assert township.scalar("SELECT count(*) FROM rectify_lists WHERE source NOT LIKE '县级平台：%'"
                           ) == 0
