"""Figures for ``due`` (the 工作台's read). Run: ``.venv/bin/python tests/bench/bench_due.py [N]``.

Seeds N (default 10,000) notices the way ``bench_ledger`` does (most posted, some
still open, many not yet settled with the county: about 7,000 can give a line)
and times :func:`app.reports.due.due_lines`, best of three, first as the
desk holds it and then, as the baseline in the same run, with the index of
migration 13 (every notice's postings) dropped, as before it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ledger import TODAY, seed  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.reports.due import due_lines  # noqa: E402


def _best(store, rounds: int = 3) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        count = len(due_lines(store, TODAY))
        times.append(time.perf_counter() - start)
    return min(times), count


def main() -> None:
    """Print the figures."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp, open_desk(Path(tmp) / "data") as store:
        seed(store, count)
        now, lines = _best(store)
        store.conn.execute("DROP INDEX postings_by_notice")
        before, same = _best(store, 1)
        assert same == lines
        print(f"due over {count:,} notices ({lines:,} lines): {now:.2f} s; "
              f"without the postings index (before migration 13): {before:.2f} s "
              f"({before / now:.1f}×)")


if __name__ == "__main__":
    main()
