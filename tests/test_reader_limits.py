"""Files made to exhaust the PC are refused in one sentence, fast, in little memory.

Each hostile file starts as a genuine county table (tests/table_builders.py)
whose XML is then patched to declare something no county table could: a
sheet of A1:XFD1048576, one merged range of that size, a Word cell spanning
50,000,000 columns, a part that unpacks to 600 MB, 100,000 rows, a JSON
nested 100,000 deep. The real command line runs each one in a child process
limited to 1 GB of address space; the test measures the child's time and
peak memory (``os.wait4``) and checks the catalog did not move.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import table_builders as tb
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_support import flipped_bytes, zip_part_garbage

from app.catalog.importing import FileSource, import_catalog
from app.catalog.limits import check_json, limits
from app.errors import UserError

CHILD_MEMORY = 1024 * 1024 * 1024  # RLIMIT_AS of the child: the PC must survive even a bug
SECONDS = 5.0  # of CPU: the suite shares its cores with other work, so wall time is looser
WALL_SECONDS = 30.0
PEAK_MB = 500


# --------------------------------------------------------------------------- hostile files


def repack(src: Path, dst: Path, patch: dict[str, Callable[[str], str]]) -> Path:
    """Copy a zip package, rewriting the named XML members with ``patch[name](text)``."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename in patch:
                data = patch[info.filename](data.decode("utf-8")).encode("utf-8")
            new.writestr(info.filename, data)
    return dst


def _sheet(folder: Path) -> Path:
    return tb.build_xlsx_merged(folder).path


def patch_sheet(folder: Path, name: str, patch: Callable[[str], str]) -> Path:
    """A genuine county workbook with its first sheet's XML rewritten by ``patch``."""
    return repack(_sheet(folder), folder / name, {"xl/worksheets/sheet1.xml": patch})


def patch_document(folder: Path, name: str, patch: Callable[[str], str]) -> Path:
    """A genuine county Word table with word/document.xml rewritten by ``patch``."""
    return repack(_document(folder), folder / name, {"word/document.xml": patch})


def xlsx_dimension(folder: Path) -> Path:
    """A genuine table whose sheet declares the whole grid of Excel as its dimension."""
    return patch_sheet(folder, "范围.xlsx", lambda x: re.sub(
        r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', x))


def xlsx_merge(folder: Path) -> Path:
    """A genuine table with its merged ranges replaced by one over the whole grid."""
    merge = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    return patch_sheet(folder, "合并.xlsx", lambda x: re.sub(
        r"<mergeCells.*?</mergeCells>", merge, x, flags=re.S))


def xlsx_zip_bomb(folder: Path) -> Path:
    """A genuine table plus a 600 MB part of spaces that packs to about 600 KB."""
    path = folder / "压缩炸弹.xlsx"
    repack(_sheet(folder), path, {})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        with package.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as part:
            part.write(b"<worksheet>")
            block = b" " * (1024 * 1024)
            for _ in range(600):
                part.write(block)
            part.write(b"</worksheet>")
    return path


def xlsx_rows(folder: Path) -> Path:
    """A genuine table followed by 100,000 rows of one empty cell."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"/></row>' for r in range(100, 100_100))
    return patch_sheet(folder, "十万行.xlsx", lambda x: x.replace(
        "</sheetData>", rows + "</sheetData>"))


def xlsx_entities(folder: Path) -> Path:
    """A genuine table whose title cell is a billion-laughs entity bomb (10⁸ characters)."""
    entities = "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                       for p, c in zip("abcdefg", "bcdefgh", strict=True))
    dtd = f'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">{entities}]>'
    return patch_sheet(folder, "实体.xlsx", lambda x: (
        dtd + x.replace("<t>", "<t>&h;", 1)))


def _document(folder: Path) -> Path:
    return tb.build_docx_vmerge(folder).path


def docx_grid_span(folder: Path) -> Path:
    """A genuine Word table whose first cell spans 50,000,000 columns."""
    return patch_document(folder, "跨列.docx", lambda x: x.replace(
        "<w:tcPr>", '<w:tcPr><w:gridSpan w:val="50000000"/>', 1))


def docx_rows(folder: Path) -> Path:
    """A genuine Word table followed by 100,000 empty rows, each with its own revision id."""
    rsid = random.Random(1).getrandbits
    rows = "".join(f'<w:tr w:rsidR="{rsid(32):08X}"><w:tc><w:p/></w:tc></w:tr>'
                   for _ in range(100_000))
    return patch_document(folder, "十万行.docx", lambda x: x.replace(
        "</w:tbl>", rows + "</w:tbl>", 1))


def docx_same_rows(folder: Path) -> Path:
    """The same 100,000 empty rows, all alike: the part packs 600 to 1, like a zip bomb."""
    row = "<w:tr><w:tc><w:p/></w:tc></w:tr>"
    return patch_document(folder, "十万空行.docx", lambda x: x.replace(
        "</w:tbl>", row * 100_000 + "</w:tbl>", 1))


def docx_long_cell(folder: Path) -> Path:
    """A genuine Word table with 100,000 characters in one cell (Excel allows 32,767)."""
    pick = random.Random(2).randrange
    text = "".join(chr(0x4E00 + pick(0x51A5)) for _ in range(100_000))
    return patch_document(folder, "长文字.docx", lambda x: x.replace(
        "</w:tc>", "<w:p><w:r><w:t>" + text + "</w:t></w:r></w:p></w:tc>", 1))


def json_deep(folder: Path) -> Path:
    """A catalog JSON whose items are nested 100,000 deep."""
    path = folder / "嵌套.json"
    path.write_text('{"format": "gongkai-catalog", "items": ' + "[" * 100_000 + "]" * 100_000
                    + "}", encoding="utf-8")
    return path


def json_unclosed(folder: Path) -> Path:
    """100,000 opening brackets that never close."""
    path = folder / "未闭合.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    return path


#: Each hostile file and a word the refusal must contain (which limit it names).
HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "xlsx_dimension": (xlsx_dimension, "A1:XFD1048576"),
    "xlsx_merge": (xlsx_merge, "合并单元格 A1:XFD1048576"),
    "xlsx_zip_bomb": (xlsx_zip_bomb, "压缩"),
    "xlsx_100000_rows": (xlsx_rows, "行"),
    "xlsx_entity_bomb": (xlsx_entities, "DTD"),
    "docx_grid_span": (docx_grid_span, "50,000,000"),
    "docx_100000_rows": (docx_rows, "5,000 行"),
    "docx_100000_same_rows": (docx_same_rows, "压缩比"),
    "docx_long_cell": (docx_long_cell, "32,767 字"),
    "json_100000_deep": (json_deep, "嵌套超过 20 层"),
    "json_unclosed": (json_unclosed, "不配对"),
}


# --------------------------------------------------------------------------- a limited child


@dataclass
class Run:
    """How a child ``gongkai`` ended and what it cost."""

    code: int
    stdout: str
    stderr: str
    seconds: float  # wall clock
    cpu: float  # user + system time of the child
    peak_mb: float


# Linux counts in a child's peak RSS the memory of the process it was forked from,
# so the command is started by a small launcher (a fresh interpreter, ~10 MB) that
# forks it, limits it, waits for it with wait4 and writes down its rusage.
_LAUNCHER = """
import json, os, resource, sys
limit, report, *command = sys.argv[1:]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
    os.execv(command[0], command)
_pid, status, usage = os.wait4(pid, 0)
with open(report, "w") as fh:
    json.dump([usage.ru_maxrss, usage.ru_utime + usage.ru_stime], fh)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_limited(folder: Path, *args: str, timeout: float = 60) -> Run:
    """Run the real command line limited to 1 GB of address space; measure time and peak RSS."""
    env = {k: v for k, v in os.environ.items() if k != "GONGKAI_HOME"}
    command = [sys.executable, "-m", "ui.launch", "--data-dir", str(folder), *args]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rusage.json"
        start = time.monotonic()
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _LAUNCHER, str(CHILD_MEMORY), str(report), *command],
                capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"gongkai {' '.join(args)} still running after {timeout} s")
        seconds = time.monotonic() - start
        max_rss_kb, cpu = json.loads(report.read_text())
    return Run(proc.returncode, proc.stdout, proc.stderr, seconds, cpu, max_rss_kb / 1024)


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every hostile file, built once."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, (build, _word) in HOSTILE.items():
        sub = folder / name
        sub.mkdir()
        paths[name] = build(sub)
    return paths


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_refused_fast_in_little_memory(gk, hostile_files, name: str) -> None:
    path = hostile_files[name]
    assert path.stat().st_size < 1024 * 1024, "the issue's bound is for files under 1 MB"
    before = gk.json("catalog", "domains")
    run = run_limited(gk.folder, "catalog", "import", str(path))
    print(f"{name}: {path.stat().st_size / 1024:.0f} KB refused in {run.cpu:.2f} s CPU "
          f"({run.seconds:.2f} s wall), peak {run.peak_mb:.0f} MB")
    assert run.code == 1, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert HOSTILE[name][1] in lines[0] and lines[0].count("。") == 1, lines[0]
    assert run.cpu < SECONDS and run.seconds < WALL_SECONDS, (run.cpu, run.seconds)
    assert run.peak_mb < PEAK_MB, run.peak_mb
    assert gk.json("catalog", "domains") == before


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_window_s_preview_refuses_with_the_same_sentence(store, hostile_files,
                                                             name: str) -> None:
    # ui/import_dialog.py previews with import_catalog(store, FileSource(path), dry_run=True).
    with pytest.raises(UserError, match=re.escape(HOSTILE[name][1])):
        import_catalog(store, FileSource(hostile_files[name]), dry_run=True)


GENUINE_BUILDERS = [tb.build_xlsx_merged, tb.build_docx_vmerge, tb.build_xlsx_sheets]


@pytest.mark.parametrize("build", GENUINE_BUILDERS, ids=lambda b: b.__name__[6:])
def test_a_genuine_county_table_still_imports_under_the_same_limit(gk, tmp_path: Path,
                                                                   build) -> None:
    built = build(tmp_path)
    args = ["--domain", "社会救助"] if not all(built.labels) else []
    run = run_limited(gk.folder, "catalog", "import", str(built.path), *args, "--json")
    assert run.code == 0, run.stderr
    assert run.peak_mb < PEAK_MB
    assert len(gk.json("catalog", "list")) >= len(built.items)


def test_the_export_reads_back_and_limits_sit_far_above_it(store, tmp_path: Path) -> None:
    from app.catalog.importing import export_catalog

    out = tmp_path / "导出.json"
    export_catalog(store, out)
    check_json(out)  # the desk's own export passes with room to spare
    lim = limits()
    assert out.stat().st_size * 20 < lim.json_mb * 1024 * 1024
    assert lim.rows * lim.cols == lim.cells


def test_json_depth_is_counted_exactly(tmp_path: Path) -> None:
    depth = limits().json_depth
    path = tmp_path / "x.json"
    path.write_text("[" * depth + '"[{"' + "]" * depth, encoding="utf-8")  # brackets in a string
    check_json(path)
    path.write_text("[" * (depth + 1) + "]" * (depth + 1), encoding="utf-8")
    with pytest.raises(UserError, match="嵌套超过"):
        check_json(path)


def test_a_span_at_the_limit_is_read_and_one_past_it_refused(tmp_path: Path) -> None:
    from app.catalog.table_reader import read_county_table

    cols = limits().cols
    genuine = _document(tmp_path)
    ok = repack(genuine, tmp_path / "ok.docx", {"word/document.xml": lambda x: re.sub(
        r"(</w:tbl>)", f'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="{cols}"/></w:tcPr><w:p/></w:tc>'
        r"</w:tr>\1", x, count=1)})
    assert read_county_table(ok)
    wide = repack(genuine, tmp_path / "wide.docx", {"word/document.xml": lambda x: re.sub(
        r"(</w:tbl>)", f'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="{cols + 1}"/></w:tcPr><w:p/>'
        r"</w:tc></w:tr>\1", x, count=1)})
    with pytest.raises(UserError, match=f"最多 {cols} 列"):
        read_county_table(wide)


# --------------------------------------------------------------------------- random bytes


def _genuine_bytes() -> dict[str, bytes]:
    folder = Path(tempfile.mkdtemp())
    return {".xlsx": _sheet(folder).read_bytes(), ".docx": _document(folder).read_bytes(),
            ".json": Path(ROOT / "resources" / "catalog" / "default.json").read_bytes()[:20000]}


GENUINE = _genuine_bytes()






_XMLISH = st.text(alphabet='<>/=": abcdefrtcvw1234567890XFD', max_size=300).map(str.encode)
FILES = st.one_of(
    st.tuples(st.sampled_from([".xlsx", ".docx", ".json"]), st.binary(max_size=2000)),
    st.builds(lambda s, seed, g: (s, flipped_bytes(GENUINE[s], seed, g)),
              st.sampled_from(list(GENUINE)),
              st.integers(0, 10**6), st.binary(min_size=1, max_size=64)),
    st.builds(lambda s, seed, g: (s, zip_part_garbage(GENUINE[s], seed, g)),
              st.sampled_from([".xlsx", ".docx"]),
              st.integers(0, 10**6), st.one_of(st.binary(max_size=500), _XMLISH)),
)


@settings(max_examples=150, deadline=5000,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(FILES)
def test_random_bytes_give_a_sentence_or_an_import_never_a_traceback(
    store, tmp_path: Path, case: tuple[str, bytes]
) -> None:
    suffix, data = case
    path = tmp_path / f"随机{suffix}"
    path.write_bytes(data)
    start = time.monotonic()
    try:
        import_catalog(store, path, dry_run=True, domain="社会救助")
    except UserError as err:
        assert str(err) and "\n" not in str(err)
    assert time.monotonic() - start < SECONDS
