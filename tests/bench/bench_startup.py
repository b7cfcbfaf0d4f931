"""How fast the desk starts, against a bare interpreter and a bare Qt window in the same run.

Run: ``.venv/bin/python tests/bench/bench_startup.py [--against REV] [--runs N]``

Prints, each as the median of N interleaved runs (bytecode cached, as on an
installed PC; ``--no-bytecode`` for a first start or a PC where it cannot be
written):
- ``gongkai --version`` and ``gongkai catalog domains`` against
  ``python -c "import sqlite3, json, argparse"``: the median of the per-run ratios;
- ``gongkai gui --smoke`` as a whole process (offscreen) against a bare PySide6
  process that shows an empty QMainWindow and quits.
With ``--against REV`` the same commands of that revision (checked out in a
temporary git worktree) run in the same rounds, so before and after are
measured side by side. Not a timed test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BARE = [sys.executable, "-c", "import sqlite3, json, argparse"]
BARE_QT = [sys.executable, "-c", (
    "import sys\nfrom PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication(sys.argv[:1]); w = QMainWindow(); w.show()\n"
    "QTimer.singleShot(0, app.quit); app.exec()")]
COMMANDS = {"--version": ["--version"], "catalog domains": ["catalog", "domains"],
            "gui --smoke": ["gui", "--smoke"]}


def wall(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds for one run of ``command`` (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def measure(trees: dict[str, Path], runs: int, bytecode: bool) -> None:
    """Interleave every command of every tree with the two baselines, ``runs`` rounds."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        # The program's own modules compile at every start; the libraries' were
        # compiled when they were installed.
        for tree in trees.values():
            for part in ("app", "ui", "resources"):
                for cache in (tree / part).rglob("__pycache__"):
                    shutil.rmtree(cache, ignore_errors=True)
    with tempfile.TemporaryDirectory() as home:
        env["GONGKAI_HOME"] = home
        jobs = {("bare", ""): (BARE, ROOT), ("qt", ""): (BARE_QT, ROOT)}
        for name, tree in trees.items():
            for label, args in COMMANDS.items():
                jobs[(name, label)] = ([sys.executable, "-m", "ui.launch", *args], tree)
        for command, cwd in jobs.values():  # warm the page cache and the data folder
            wall(command, cwd, env)
        times: dict[tuple[str, str], list[float]] = {key: [] for key in jobs}
        for _ in range(runs):
            for key, (command, cwd) in jobs.items():
                times[key].append(wall(command, cwd, env))

    def ms(key: tuple[str, str]) -> str:
        return f"{statistics.median(times[key]) * 1000:.0f} ms"

    def ratio(key: tuple[str, str], base: str) -> float:
        return statistics.median(a / b for a, b in zip(times[key], times[(base, "")],
                                                       strict=True))

    print(f"{runs} rounds, bytecode {'cached' if bytecode else 'not written'}:"
          f" bare interpreter {ms(('bare', ''))}, bare Qt window {ms(('qt', ''))}")
    for name in trees:
        for label in COMMANDS:
            base = "qt" if label.startswith("gui") else "bare"
            against = "Qt window" if base == "qt" else "interpreter"
            print(f"  {name:>8}  gongkai {label:<16} {ms((name, label)):>7}"
                  f"   {ratio((name, label), base):4.1f}× the bare {against}")


def main() -> None:
    """Measure this tree (and, with --against, another revision beside it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="also measure this git revision")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-bytecode", action="store_true")
    args = parser.parse_args()
    trees = {"this": ROOT}
    with tempfile.TemporaryDirectory() as scratch:
        if args.against:
            other = Path(scratch) / "against"
            subprocess.run(["git", "worktree", "add", "--detach", str(other), args.against],
                           cwd=ROOT, check=True, capture_output=True)
            trees = {args.against[:8]: other, **trees}
        try:
            measure(trees, args.runs, not args.no_bytecode)
        finally:
            if args.against:
                subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT,
                               check=True, capture_output=True)


if __name__ == "__main__":
    main()
