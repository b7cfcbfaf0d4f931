"""What binding review to the text and never losing typing cost, against what they sit beside.

Run: ``.venv/bin/python tests/bench/bench_review.py [--rows N] [--runs N]``

Prints, as medians of N runs on a real data folder with one 低保 名单 of N rows:
- ``review_state`` (which steps still count: the current text hashed and compared
  with each step) against ``get_notice`` (reading the same notice);
- one autosave of the editor's text (a JSON file written whole) against
  ``edit_notice`` (saving the same text as a revision);
- one look of the window's watch (``PRAGMA data_version`` on its own connection)
  against ``SELECT 1`` on that connection;
- how long after another connection commits the watch sees it, with the window's
  1.5 s interval taken out (the look itself, from the commit's end).
Not a timed test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from tests_support import approve_step  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.notices import drafts, review  # noqa: E402
from app.store import DataVersion  # noqa: E402
from app.township import set_township  # noqa: E402


def median_ms(work: Callable[[], object], runs: int) -> float:
    """The median wall time of ``work`` in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def roster(rows: int) -> str:
    """A 7-column 名单 of ``rows`` rows, as pasted from a spreadsheet."""
    head = "序号\t姓名\t身份证号码\t联系电话\t家庭人口\t保障金额（元/月）\t所在村"
    lines = [f"{k}\t张{k}\t3401**********{k % 10000:04d}\t139****{k % 10000:04d}\t3\t1260\t东山村"
             for k in range(1, rows + 1)]
    return "一、初审对象名单：\n" + "\n".join([head, *lines]) + "\n"


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-review-"))
    store = open_desk(folder)
    set_township(store, "青石镇", "东山县", "0551-62345678")
    body = roster(args.rows)
    n = drafts.create_notice(store, "shjz-002", formed="2026-11-20", body=body)
    approve_step(store, n.id, "王明")
    approve_step(store, n.id, "李华")

    state = median_ms(lambda: review.review_state(store, n.id), args.runs)
    read = median_ms(lambda: drafts.get_notice(store, n.id), args.runs)
    print(f"review_state, {args.rows}-row 名单: {state:.2f} ms; get_notice {read:.2f} ms "
          f"({state / read:.1f}×)")

    typed = iter(range(10**9))
    autosave = median_ms(lambda: drafts.autosave(store, n.id, 1, n.title,
                                                 body + f"\n{next(typed)}"), args.runs)
    save = median_ms(lambda: drafts.edit_notice(store, n.id, body=body + f"\n{next(typed)}"),
                     args.runs)
    print(f"autosave {autosave:.2f} ms; a saved revision {save:.2f} ms "
          f"(autosave {save / autosave:.1f}× cheaper)")

    # What a save says it changed: the old way (difflib over every character) against
    # ours, on a 300-row 名单 (the old way is quadratic: 500 rows took 13 s).
    small = roster(300)
    edited = small.replace("\t3\t", "\t4\t", 1) + "特此公示。"
    whole = median_ms(lambda: difflib.SequenceMatcher(None, small, edited,
                                                      autojunk=False).get_opcodes(), 3)
    ours = median_ms(lambda: drafts.describe_change("t", small, "t", edited), args.runs)
    print(f"what a save changed, 300-row 名单: {ours:.2f} ms; character-level difflib "
          f"{whole:.0f} ms ({whole / ours:.0f}×)")

    watch = DataVersion(folder)
    watch.changed()
    look = median_ms(watch.changed, args.runs * 10)
    assert watch._conn is not None
    conn = watch._conn
    bare = median_ms(lambda: conn.execute("SELECT 1").fetchone(), args.runs * 10)
    print(f"one look of the watch {look * 1000:.0f} µs; SELECT 1 {bare * 1000:.0f} µs")

    other = open_desk(folder)
    waits = []
    for k in range(args.runs):
        other.set_settings({"bench.k": str(k)})
        start = time.perf_counter()
        while not watch.changed():
            pass
        waits.append((time.perf_counter() - start) * 1000)
    print(f"another connection's commit seen {statistics.median(waits):.3f} ms after it ends "
          "(plus at most the window's 1.5 s interval)")
    other.close()
    watch.close()
    store.close()


if __name__ == "__main__":
    main()
