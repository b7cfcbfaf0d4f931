"""Figures for the readers' budget. Run: ``.venv/bin/python tests/bench/bench_reader_limits.py``.

Prints, on this machine:
- each hostile file of tests/test_reader_limits.py: its size, and the CPU time, wall
  time and peak memory of ``gongkai catalog import FILE`` refusing it (a child
  limited to 1 GB of address space, measured with ``os.wait4``);
- the same for a genuine county table that imports, and a bare ``catalog domains``;
- what the check before parsing costs on a 500-row county table (.xlsx and .docx),
  beside the whole read.
Not a timed test: it asserts nothing and is not collected by pytest.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "bench")]

import table_builders as tb  # noqa: E402
from bench_foundation import synthetic_items  # noqa: E402
from test_reader_limits import HOSTILE, run_limited  # noqa: E402

from app.catalog.limits import check_package  # noqa: E402
from app.catalog.table_reader import read_county_table  # noqa: E402
from app.catalog.table_writer import write_catalog_docx, write_catalog_xlsx  # noqa: E402
from app.desk import open_desk  # noqa: E402


def refusals(tmp: Path) -> None:
    """Every hostile file through the real command line, and two honest runs to compare."""
    tmp.mkdir()
    data = tmp / "data"
    open_desk(data).close()
    print(f"{'file':24} {'size':>8} {'exit':>4} {'CPU s':>6} {'wall s':>7} {'peak MB':>8}")
    for name, (build, _word) in HOSTILE.items():
        folder = tmp / name
        folder.mkdir()
        path = build(folder)
        run = run_limited(data, "catalog", "import", str(path))
        print(f"{name:24} {path.stat().st_size / 1024:6.0f} KB {run.code:4} {run.cpu:6.2f} "
              f"{run.seconds:7.2f} {run.peak_mb:8.0f}")
    genuine = tb.build_xlsx_sheets(tmp)
    for label, args in (("genuine table imports", ("catalog", "import", str(genuine.path))),
                        ("catalog domains", ("catalog", "domains"))):
        run = run_limited(data, *args)
        print(f"{label:24} {'':>8} {run.code:4} {run.cpu:6.2f} {run.seconds:7.2f} "
              f"{run.peak_mb:8.0f}")


def scan_cost(tmp: Path, rounds: int = 7) -> None:
    """check_package alone against the whole read, on a 500-row table."""
    items = synthetic_items(500)
    for suffix, writer in ((".xlsx", write_catalog_xlsx), (".docx", write_catalog_docx)):
        path = tmp / f"county-500{suffix}"
        writer(path, items, ["社会救助"], "青石镇")
        checks, reads = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            check_package(path, suffix[1:])
            checks.append(time.perf_counter() - start)
            start = time.perf_counter()
            read_county_table(path)
            reads.append(time.perf_counter() - start)
        check, read = statistics.median(checks), statistics.median(reads)
        print(f"500-row {suffix} ({path.stat().st_size / 1024:.0f} KB): check {check * 1000:.0f} ms"
              f" of a {read * 1000:.0f} ms read ({check / read:.0%})")


def main() -> None:
    """Print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        refusals(Path(tmp) / "refusals")
        scan_cost(Path(tmp))


if __name__ == "__main__":
    main()
