"""Whatever a person types on the desk's command line gets an answer, never a traceback.

Exit 0 (done), 1 (refused: one Chinese line on stderr) or 2 (written wrongly:
argparse's usage and a Chinese message); on 1 or 2 the data folder is exactly
as it was. Hypothesis writes the command lines from the real parser (every
command of :data:`app.cli.main.COMMANDS`, every option, with odd dates, huge
numbers, unicode and wrong file names for their values), run in-process on a
fresh copy of a seeded data folder, and a few through the real ``gongkai``.
The issue's own list of failures is named one by one below.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import logging
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from app import paths
from app.cli import main as cli
from app.errors import UserError

hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")
given, settings, HealthCheck = hypothesis.given, hypothesis.settings, hypothesis.HealthCheck

TODAY = "2026-11-23"
pytestmark = pytest.mark.usefixtures("pinned_today")

#: The fuzz's budget, about 50 s in all (measured on the development PC: 600 examples in
#: process ≈ 42 s, 8 through the real command ≈ 10 s; most of it is waiting on the disk).
IN_PROCESS_EXAMPLES = 500
SUBPROCESS_EXAMPLES = 8
#: Commands the fuzz leaves out: the window, and the three that reach for the network
#: or read a token from stdin (tests/test_sync_network.py drives those against a server).
SKIPPED = {("gui",), ("sync", "login"), ("sync", "push"), ("sync", "pull")}
#: Options whose value is a file to read or write: always a name inside the example's folder.
PATH_DESTS = {"file", "out", "body_file", "photo", "text_file", "ca_cert"}


# -- a seeded data folder and its copies ---------------------------------------------------

@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A data folder with a township, a draft notice and a request: something to refuse."""
    import os

    from app.desk import open_desk
    from app.info_requests import cases
    from app.notices import boards, drafts
    from app.township import set_township

    folder = tmp_path_factory.mktemp("seeded")
    old = os.environ.get("GONGKAI_TODAY")
    os.environ["GONGKAI_TODAY"] = TODAY
    try:
        store = open_desk(folder)
        set_township(store, "青石镇", "东山县", "0551-62345678")
        # The boards exist before the fuzz: the first look at them creates the township's
        # own board (app.notices.boards.list_boards), a refusal included.
        boards.set_villages(store, ["东河村", "西岭村"])
        notice = drafts.create_notice(store, "shjz-001", "青石镇2026年第四季度低保名单公示")
        request = cases.register(store, "张三", "自然人", "2026-11-02", "低保资金发放明细")
        store.close()
    finally:
        if old is None:
            del os.environ["GONGKAI_TODAY"]
        else:
            os.environ["GONGKAI_TODAY"] = old
    body = folder / "正文.txt"
    body.write_text("正文第一段。\n", encoding="utf-8")
    (folder / "乱码.json").write_bytes(b"\xff\xfe{[" * 10)
    return {"folder": folder, "notice": notice.id, "request": request.id}


def fresh_copy(seeded: dict[str, Any], into: Path) -> Path:
    """The seeded folder copied (without its backups and log), with today's backup taken."""
    folder = into / "seeded-copy"
    shutil.copytree(seeded["folder"], folder,
                    ignore=shutil.ignore_patterns("backups", "gongkai.log*"))
    backups = paths.backups_dir(folder)
    backups.mkdir(parents=True, exist_ok=True)
    # The marker of today's backup: the copy's first open does not copy the database again.
    (backups / f".daily-{datetime.now():%Y%m%d}").touch()
    return folder


def dump(folder: Path) -> str:
    """A fingerprint of everything stored: every row of every table, and the folder's files."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(paths.db_path(folder))
    try:
        tables = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        for name, sql in tables:
            digest.update(repr((name, sql)).encode())
            if sql and sql.startswith("CREATE TABLE"):
                for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):
                    digest.update(repr(row).encode())
    finally:
        conn.close()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if rel.parts[0] in ("backups",) or rel.name.startswith(("gongkai.log", "gongkai.sqlite")):
            continue
        digest.update(f"{rel}:{path.stat().st_size if path.is_file() else '/'}".encode())
    return digest.hexdigest()


@contextlib.contextmanager
def own_logging() -> Iterator[None]:
    """Close the log handlers a run adds for its folder (hundreds of folders, one process)."""
    from app import logs

    root = logging.getLogger()
    before = list(root.handlers)
    configured = set(logs._configured)
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        logs._configured.intersection_update(configured)


def run_in_process(folder: Path, args: list[str]) -> tuple[int, str, str]:
    """``gongkai --data-dir FOLDER ARGS`` as ``main`` runs it, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with own_logging(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.guarded(lambda: cli.run(["--data-dir", str(folder), *args]))
        except SystemExit as done:  # argparse: --help, --version, usage errors
            code = done.code if isinstance(done.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def assert_one_answer(code: int, out: str, err: str, args: list[str]) -> None:
    """Exit 0, 1 or 2; one line for a refusal, usage and a Chinese line for wrong usage."""
    said = f"gongkai {args!r} -> {code}\nstdout: {out[-800:]}\nstderr: {err[-1500:]}"
    assert code in (0, 1, 2), said
    assert "Traceback" not in out + err, said
    lines = err.strip().splitlines()
    if code == 1:
        assert len(lines) == 1 and lines[0].strip(), said
        assert "程序出现了意外的错误" not in err, said  # every refusal we know has its sentence
    elif code == 2:
        assert lines and lines[0].startswith("用法：") and "：错误：" in lines[-1], said


# -- the command lines Hypothesis writes ------------------------------------------------------

def leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
           ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every runnable command of the parser: its words (``notice``, ``show``) and its parser.

    A positional with choices that picks the action (``sync ACTION``) stays a positional.
    """
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    for name, child in subs[0].choices.items():
        yield from leaves(child, (*path, name))


def _commands() -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found = []
    for words, parser in leaves(cli.build_parser()):
        if words in SKIPPED:
            continue
        found.append((words, parser))
    return found


COMMAND_LINES = _commands()

#: Text a clerk, a script or a cat on the keyboard might type.
ODD = ["", " ", "0", "-1", "--", "-", "１２", "二〇二六年", "NaN", "1e9", "9" * 25,
       "２０２６－１１－２３", "2026/11/23", "2026-02-30", "0001-01-01", "9999-12-31",
       "1900-01-01", "2100-01-01", "20261123", "2026-W48-1", "'; DROP TABLE notices;--",
       "<script>alert(1)</script>", "\u202e反转", "a\tb\nc", "𠮷野家", "%s%n", "{0}"]
text = st.one_of(st.sampled_from(ODD), st.text(st.characters(blacklist_characters="\0",
                                                              blacklist_categories=("Cs",)),
                                               max_size=30))
numbers = st.one_of(st.integers(-5, 30).map(str), st.integers(-10**30, 10**30).map(str),
                    st.integers(1, 3000).map(lambda k: "9" * k), st.sampled_from(ODD), text)
days = st.one_of(st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(date.isoformat),
                 st.dates().map(date.isoformat), st.sampled_from(ODD), text)
names = st.text(st.characters(blacklist_characters="\0/\\", blacklist_categories=("Cs",)),
                min_size=1, max_size=12).filter(lambda s: s not in (".", ".."))
suffixes = st.sampled_from(["", ".pdf", ".docx", ".xlsx", ".json", ".zip", ".txt", ".PDF"])


def path_values(work: Path, folder: Path) -> Any:
    """A file name inside the example's own folder: new, existing, odd, or a missing folder."""
    existing = st.sampled_from([folder / "正文.txt", folder / "乱码.json", folder, work])
    new = st.builds(lambda n, s: work / f"{n}{s}", names, suffixes)
    missing = st.builds(lambda n, s: work / "没有的文件夹" / f"{n}{s}", names, suffixes)
    return st.one_of(new, new, existing, missing).map(str)


def value_for(action: argparse.Action, seeded: dict[str, Any], paths_: Any) -> Any:
    """What to type for one argument, by what the parser expects of it."""
    kind = getattr(action.type, "__name__", "")
    if action.dest in PATH_DESTS:
        return paths_
    if kind == "count":
        return numbers
    if kind == "day":
        return days
    if action.choices:
        return st.one_of(st.sampled_from([str(c) for c in action.choices]),
                         st.sampled_from([str(c) for c in action.choices]), text)
    if action.dest == "id":
        ids = [seeded["notice"], seeded["notice"][:8], seeded["request"], "shjz-001"]
        return st.one_of(st.sampled_from(ids), text)
    return text


@st.composite
def command_lines(draw: Any, seeded: dict[str, Any], work: Path, folder: Path) -> list[str]:
    """One command of ``gongkai`` with random values for a random choice of its arguments."""
    words, parser = draw(st.sampled_from(COMMAND_LINES))
    paths_ = path_values(work, folder)
    argv = list(words)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:  # a positional: nearly always given
            if words == ("sync",) and action.dest == "action":
                argv.append(draw(st.sampled_from(["status", "export", "catalog",
                                                  "attach-pdf", "import", "推送"])))
            elif draw(st.integers(0, 9)) or action.nargs == "?":
                if action.nargs != "?" or draw(st.booleans()):
                    argv.append(draw(value_for(action, seeded, paths_)))
            continue
        if not draw(st.integers(0, 2)) == 0 and not action.required:
            continue
        option = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            argv.append(option)
            continue
        for _ in range(draw(st.integers(1, 2)) if isinstance(action, argparse._AppendAction)
                       else 1):
            argv += [option, draw(value_for(action, seeded, paths_))]
    if draw(st.integers(0, 15)) == 0:
        argv.insert(draw(st.integers(0, len(argv))), draw(text))
    return argv


def example_folder(tmp_path: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=tmp_path))


# -- the fuzz ---------------------------------------------------------------------------------

def test_every_command_the_fuzz_can_reach() -> None:
    reached = {words[0] for words, _ in COMMAND_LINES}
    assert reached == set(cli.COMMANDS) - {"gui"}
    assert len(COMMAND_LINES) >= 45  # every verb of notice, request, catalog …


def test_random_command_lines_in_process(seeded, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # a relative name the fuzz did not make lands here
    started = time.monotonic()
    seen: dict[int, int] = {}

    @settings(max_examples=IN_PROCESS_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one(data: Any) -> None:
        work = example_folder(tmp_path)
        folder = fresh_copy(seeded, work)
        args = data.draw(command_lines(seeded, work, folder))
        before = dump(folder)
        code, out, err = run_in_process(folder, args)
        assert_one_answer(code, out, err, args)
        if code in (1, 2):
            assert dump(folder) == before, f"{args!r} -> {code} changed the store: {err}"
        seen[code] = seen.get(code, 0) + 1
        shutil.rmtree(work, ignore_errors=True)

    one()
    # The fuzz reaches all three answers, not only argparse's refusals.
    assert set(seen) == {0, 1, 2}, seen
    assert time.monotonic() - started < 120


def test_random_command_lines_through_the_real_command(seeded, gk, tmp_path) -> None:
    @settings(max_examples=SUBPROCESS_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one(data: Any) -> None:
        work = example_folder(tmp_path)
        folder = fresh_copy(seeded, work)
        args = data.draw(command_lines(seeded, work, folder))
        before = dump(folder)
        gk.folder = folder
        done = gk(*args, check=False)
        assert_one_answer(done.returncode, done.stdout, done.stderr, args)
        if done.returncode in (1, 2):
            assert dump(folder) == before

    one()


def test_every_number_and_date_argument_is_range_checked() -> None:
    """No argument is read with bare int(), float() or as free text where a date is meant."""
    for words, parser in leaves(cli.build_parser()):
        for action in parser._actions:
            assert action.type not in (int, float), (words, action.dest)
            if action.dest in ("date", "received", "formed", "rev", "year", "n", "days",
                               "limit", "count", "quarter", "copies_per_sheet"):
                assert getattr(action.type, "__name__", "") in ("day", "count"), (
                    words, action.dest)


# -- the issue's list, one by one --------------------------------------------------------------

@pytest.fixture
def folder(seeded, tmp_path) -> Path:
    """A fresh copy of the seeded data folder."""
    return fresh_copy(seeded, tmp_path)


def refused(folder: Path, *args: str) -> str:
    """Run a command that must be refused (exit 1, store unchanged); return its one line."""
    before = dump(folder)
    code, out, err = run_in_process(folder, list(args))
    assert_one_answer(code, out, err, list(args))
    assert code == 1, (code, out, err)
    assert dump(folder) == before
    return err.strip()


TWENTY_DIGITS = "9" * 20


def test_workdays_add_refuses_a_count_past_a_thousand(folder) -> None:
    assert "1到1000" in refused(folder, "workdays", "add", "2026-01-05", "99999999")
    assert "1到1000" in refused(folder, "workdays", "add", "2026-01-05", "0")
    code, out, _ = run_in_process(folder, ["workdays", "add", "2026-01-05", "1000"])
    assert code == 0 and out.startswith("2029-11-21")  # Monday to Friday past 2026


def test_workdays_add_refuses_a_day_past_the_calendar(folder) -> None:
    assert "2000年到2099年" in refused(folder, "workdays", "add", "9999-12-31", "10")
    assert "2000年到2099年" in refused(folder, "workdays", "add", "1999-12-31", "10")
    assert "格式不对" in refused(folder, "workdays", "add", "2026-13-01", "10")


def test_huge_revisions_and_years_are_refused_before_the_database(folder, seeded) -> None:
    assert "版本号" in refused(folder, "notice", "show", seeded["notice"], "--rev", TWENTY_DIGITS)
    assert "版本号" in refused(folder, "catalog", "show", "shjz-001", "--rev", TWENTY_DIGITS)
    assert "年份" in refused(folder, "request", "list", "--year", TWENTY_DIGITS)
    assert "年份" in refused(folder, "workdays", "show", TWENTY_DIGITS)
    assert "年份" in refused(folder, "ledger", "export", "台账.xlsx", "--year", TWENTY_DIGITS)
    assert "年份" in refused(folder, "report", "figures", TWENTY_DIGITS)


def test_revision_zero_is_no_revision(folder, seeded) -> None:
    # It used to show the current revision as if it were the one asked for.
    assert "1到1000000" in refused(folder, "notice", "show", seeded["notice"], "--rev", "0")
    assert "1到1000000" in refused(folder, "catalog", "show", "shjz-001", "--rev", "0")
    code, out, _ = run_in_process(folder, ["notice", "show", seeded["notice"], "--rev", "1"])
    assert code == 0 and "低保名单公示" in out


def test_a_notice_formed_in_year_one_is_refused(folder) -> None:
    line = refused(folder, "notice", "new", "--item", "shjz-001", "--formed", "0001-01-01")
    assert line == "信息形成日期「0001-01-01」不在2000年到2099年之间，请核对。"


def test_a_request_received_in_1900_is_refused(folder) -> None:
    line = refused(folder, "request", "new", "--applicant", "李四", "--type", "自然人",
                   "--received", "1900-01-01", "--content", "村道修建资金")
    assert line == "收到申请的日期「1900-01-01」不在2000年到2099年之间，请核对。"


def test_a_docx_is_never_written_under_a_pdf_name(folder, seeded, tmp_path) -> None:
    from docx import Document

    nid = seeded["notice"]
    line = refused(folder, "notice", "render", nid, "--format", "docx", "--out",
                   str(tmp_path / "x.pdf"))
    assert "x.pdf" in line and "不符" in line and not (tmp_path / "x.pdf").exists()
    assert ".docx" in refused(folder, "notice", "render", nid, "--format", "docx", "--out",
                              str(tmp_path / "张贴稿"))
    # Without --format the name decides.
    code, out, err = run_in_process(folder, ["notice", "render", nid, "--out",
                                             str(tmp_path / "张贴稿.docx")])
    assert code == 0, err
    text = "\n".join(p.text for p in Document(str(tmp_path / "张贴稿.docx")).paragraphs)
    assert "低保名单公示" in text


def test_full_width_digits_are_read_as_typed(folder) -> None:
    code, out, err = run_in_process(folder, ["workdays", "add", "２０２６－０９－２８", "２０"])
    assert (code, out.split("（")[0]) == (0, "2026-10-30"), err


def test_usage_errors_speak_chinese(folder) -> None:
    code, out, err = run_in_process(folder, ["notice", "show"])
    assert code == 2 and err.startswith("用法：gongkai notice show")
    assert err.strip().splitlines()[-1] == "gongkai notice show：错误：缺少必填的参数：id"
    code, _, err = run_in_process(folder, ["notice", "new", "--item", "x", "--kind", "布告"])
    assert code == 2 and "参数 --kind：'布告' 不在可选的范围内" in err


@pytest.mark.parametrize("error", [RecursionError("maximum recursion depth exceeded"),
                                   OverflowError("Python int too large to convert"),
                                   sqlite3.DatabaseError("database disk image is malformed"),
                                   sqlite3.IntegrityError("UNIQUE constraint failed"),
                                   KeyError("nobody met this one")])
def test_an_unforeseen_error_is_one_sentence_and_the_log_has_the_rest(
        folder, monkeypatch, error: Exception) -> None:
    from app.reports import due

    def broken(*_args: object, **_kwargs: object) -> list[object]:
        raise error

    monkeypatch.setattr(due, "due_lines", broken)
    before = dump(folder)
    code, out, err = run_in_process(folder, ["due"])
    assert code == 1 and not out and "Traceback" not in err
    assert err.strip() in (cli.UNEXPECTED, cli.DB_ERROR)
    assert dump(folder) == before
    logged = paths.log_path(folder).read_text(encoding="utf-8")
    assert "Traceback" in logged and type(error).__name__ in logged


def test_a_data_folder_that_is_a_file_is_one_sentence(tmp_path) -> None:
    (tmp_path / "数据").write_text("不是文件夹", encoding="utf-8")
    code, out, err = run_in_process(tmp_path / "数据", ["catalog", "list"])
    assert code == 1 and len(err.strip().splitlines()) == 1 and "数据文件夹" in err


def test_a_malformed_pinned_today_is_one_sentence(folder, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_TODAY", "明天")
    assert "GONGKAI_TODAY" in refused(folder, "due")


def test_the_issue_list_through_the_real_command(gk, seeded, tmp_path) -> None:
    gk.folder = fresh_copy(seeded, tmp_path)
    for args in (["workdays", "add", "2026-01-05", "99999999"],
                 ["workdays", "add", "9999-12-31", "10"],
                 ["request", "list", "--year", TWENTY_DIGITS],
                 ["notice", "render", seeded["notice"], "--format", "docx", "--out",
                  str(tmp_path / "x.pdf")]):
        done = gk(*args, check=False)
        assert done.returncode == 1 and "Traceback" not in done.stderr, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


# -- the app's own checks, for what the GUI sends ---------------------------------------------

def test_the_calendar_refuses_what_would_overflow() -> None:
    from app.workdays import Calendar

    cal = Calendar()
    with pytest.raises(UserError, match="最多计算1000个工作日"):
        cal.add_workdays(date(2026, 1, 5), 99_999_999)
    with pytest.raises(UserError, match="超出了日历的范围"):
        cal.add_workdays(date(9999, 12, 31), 10)
    with pytest.raises(UserError, match="超出了日历的范围"):
        cal.add_days(date(2026, 1, 5), 10**9)
    assert cal.add_workdays(date(2026, 9, 28), 20).date == date(2026, 10, 30)


def test_the_register_and_the_drafts_refuse_days_out_of_range(township) -> None:
    from app.info_requests import cases
    from app.notices import drafts

    with pytest.raises(UserError, match="2000年到2099年"):
        cases.register(township, "张三", "自然人", "1900-01-01", "低保", today=date(2026, 11, 23))
    with pytest.raises(UserError, match="2000年到2099年"):
        drafts.create_notice(township, "shjz-001", formed="0001-01-01", today=date(2026, 11, 23))
    assert township.scalar("SELECT count(*) FROM notices") == 0


@pytest.mark.parametrize("name, fmt, answer", [
    ("a.pdf", None, "pdf"), ("a.DOCX", None, "docx"), ("a.docx", "docx", "docx"),
    ("a.pdf", "docx", "不符"), ("a.docx", "pdf", "不符"), ("a", None, ".pdf 或 .docx"),
    ("a.txt", "pdf", "应以 .pdf 结尾"), ("a.pdf", "odt", "只能生成")])
def test_the_output_format_follows_the_file_name(name: str, fmt: str | None, answer: str) -> None:
    from app.printing.output import output_format

    check: Callable[[], str] = lambda: output_format(Path(name), fmt)  # noqa: E731
    if answer in ("pdf", "docx"):
        assert check() == answer
    else:
        with pytest.raises(UserError, match=answer):
            check()
