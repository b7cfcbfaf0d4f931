"""Figures for the foundation issue. Run: ``.venv/bin/python tests/bench/bench_foundation.py``.

Prints, on this machine:
- cold start to first screen (``gongkai gui --smoke``, offscreen), as reported and as wall time;
- catalog search latency with the default catalog and with 5,000 items;
- import time of a 500-row county table (.xlsx and .docx).
Not a timed test: it asserts nothing and is not collected by pytest.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.catalog import search  # noqa: E402
from app.catalog.importing import import_catalog  # noqa: E402
from app.catalog.item import CatalogItem  # noqa: E402
from app.catalog.items import DEFAULT_CATALOG, read_catalog_json  # noqa: E402
from app.catalog.table_writer import write_catalog_docx, write_catalog_xlsx  # noqa: E402
from app.desk import open_desk  # noqa: E402

QUERIES = ("低保", "危房", "补贴", "预算 公示", "临时救助", "养老服务补贴", "shjz-005", "火星")


def cold_start(runs: int = 5) -> None:
    """``gui --smoke`` in a fresh process each time, after one warm-up to fill the page cache."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as home:
        env["GONGKAI_HOME"] = home
        cmd = [sys.executable, "-m", "ui.launch", "gui", "--smoke"]
        subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=True)
        reported, wall = [], []
        for _ in range(runs):
            start = time.perf_counter()
            out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout
            wall.append((time.perf_counter() - start) * 1000)
            reported.append(int(re.search(r"ready in (\d+) ms", out).group(1)))
    print(f"cold start to first screen: ready in {statistics.median(reported):.0f} ms (median "
          f"of {runs}, as printed); whole process {statistics.median(wall):.0f} ms wall")


def search_latency(store, label: str, rounds: int = 50) -> None:
    """Median and worst latency of a set of typical queries, index warm."""
    search.search(store, "低保")
    times = []
    for _ in range(rounds):
        for q in QUERIES:
            start = time.perf_counter()
            search.search(store, q)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    items = store.scalar("SELECT count(*) FROM catalog_items WHERE active")
    print(f"search, {label} ({items} items): median {statistics.median(times):.2f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.2f} ms, max {times[-1]:.2f} ms")


def synthetic_items(n: int, domain: str = "社会救助") -> list[CatalogItem]:
    """``n`` realistic rows, varied enough that matching has work to do."""
    base = read_catalog_json(DEFAULT_CATALOG)[2]
    items = []
    for k in range(n):
        src = base[k % len(base)]
        items.append(CatalogItem(
            id="", domain=domain, seq=k + 1, level1=f"{src.level1}（{k // len(base) + 1}）",
            level2=src.level2, elements=list(src.elements), basis=src.basis,
            time_limit=src.time_limit, subject=src.subject, channels=list(src.channels),
            audience=list(src.audience), mode=list(src.mode), levels=list(src.levels)))
    return items


def import_times(tmp: Path) -> None:
    """A 500-row county table written the way counties do, imported into a fresh folder."""
    items = synthetic_items(500)
    for suffix, writer in ((".xlsx", write_catalog_xlsx), (".docx", write_catalog_docx)):
        path = tmp / f"county-500{suffix}"
        writer(path, items, ["社会救助"], "青石镇")
        with open_desk(tmp / f"import{suffix}") as store:
            start = time.perf_counter()
            report = import_catalog(store, path)
            took = time.perf_counter() - start
        print(f"import of a 500-row {suffix} table: {took:.2f} s "
              f"({report.rows} rows read, {sum(len(s.added) for s in report.sections)} added)")


def main() -> None:
    """Print every figure."""
    cold_start()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        with open_desk(tmp / "default") as store:
            search_latency(store, "default catalog")
        with open_desk(tmp / "big") as store:
            existing = store.scalar("SELECT count(*) FROM catalog_items WHERE active")
            path = tmp / "big.xlsx"
            write_catalog_xlsx(path, synthetic_items(5000 - existing), ["社会救助"])
            import_catalog(store, path)
            search_latency(store, "5,000 items")
        import_times(tmp)


if __name__ == "__main__":
    main()
