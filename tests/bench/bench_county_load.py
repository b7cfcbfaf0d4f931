"""The county under a city's load. Run: ``.venv/bin/python tests/bench/bench_county_load.py``.

200 townships, each with its own token (``gongkai-county token add``), push
50 notices and 10 photos (about 48 kB each) at the same moment to the real
``gongkai-county serve`` on 127.0.0.1: first on PostgreSQL with ``--workers 2``,
then on SQLite with one worker. The batches are the desk's own (frozen by
``outbox.form_batches`` in a real data folder, copied under each township's
name, ids and photos) and are sent with the desk's client, one attempt per
call so that nothing is retried out of sight; then every township sends its
batch again, as a desk does that never heard the answer.

Prints, for each database: notices/s and MB/s of the first round, the HTTP
statuses seen, p95 and maximum latency per kind of call, and what the county
database holds (every notice once?). Asserts nothing. ``--townships``,
``--notices``, ``--photos`` and ``--workers`` change the load.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("GONGKAI_TODAY", "2026-11-23")

from county_load import county_counts, figures, push_all, serving, townships  # noqa: E402
from test_county_support import postgres_url  # noqa: E402


def run(label: str, db: str, folder: Path, workers: int, args: argparse.Namespace) -> None:
    """One database: make the townships, serve, push twice, print the figures."""
    towns = townships(db, folder, args.townships, args.notices, args.photos)
    with serving(db, folder / "county", workers=workers) as county:
        first = push_all(county.url, towns)
        again = push_all(county.url, towns, again=True)
    held = county_counts(db)
    expected = args.townships * args.notices
    once = (held["notices"] == held["distinct"] == expected and
            set(held["per_township"].values()) == {args.notices})
    print(figures(f"{label}, {workers} worker{'s' if workers > 1 else ''}, "
                  f"{args.townships} townships at once", first))
    print(figures("  the same batches sent again", again))
    print(f"  county holds {held['notices']} notices ({held['distinct']} distinct, "
          f"{expected} sent), {held['batches']} batches, {held['blobs']} photos: "
          f"{'every notice once' if once else 'NOT every notice once'}; "
          f"{again.replayed} of {len(towns)} resends answered as replayed")
    for failure in (first.failures + again.failures)[:5]:
        print(f"  failed: {failure}")
    print()


def main() -> None:
    """Print the figures for PostgreSQL (N workers) and SQLite (one)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--townships", type=int, default=200)
    parser.add_argument("--notices", type=int, default=50)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; the townships' client threads run on the same machine\n")
    with tempfile.TemporaryDirectory() as tmp:
        url, reason = postgres_url()
        if reason:
            print(f"PostgreSQL skipped: {reason}")
        else:
            run("PostgreSQL", url, Path(tmp) / "pg", args.workers, args)
        run("SQLite", str(Path(tmp) / "county.sqlite3"), Path(tmp) / "sqlite", 1, args)


if __name__ == "__main__":
    main()
