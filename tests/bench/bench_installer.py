"""Figures for the installer issue. Run: ``.venv/bin/python tests/bench/bench_installer.py``.

Prints, on this machine:
- the wall time of ``python3 installer/build.py`` (frozen folder and .deb);
- the frozen folder's size and file count, the .deb's size, and the folder as .tar.gz;
- cold start to first screen of the frozen program (``gongkai gui --smoke``, offscreen,
  median of 5 after one warm-up), as it reports and as wall time, and the first start
  on a new data folder;
- ``gongkai-cli catalog domains --json`` from the frozen folder.
Not a timed test: it asserts nothing and is not collected by pytest.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(program: Path, *args: str, home: Path) -> tuple[float, str]:
    """Run a frozen executable with no Python on PATH; return wall seconds and stdout."""
    env = {"PATH": str(home / "empty"), "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "LANG": "C.UTF-8"}
    began = time.perf_counter()
    done = subprocess.run([str(program), *args], env=env, cwd=home, capture_output=True,
                          text=True, check=True)
    return time.perf_counter() - began, done.stdout


def size_of(folder: Path) -> tuple[float, int]:
    """MB on disk (file sizes) and number of files."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1e6, len(files)


def main() -> None:
    """Build once, then measure."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        began = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"),
                        "--dist", str(out / "dist"), "--work", str(out / "work")],
                       check=True, capture_output=True)
        print(f"build (folder + .deb): {time.perf_counter() - began:.0f} s")
        folder = out / "dist" / "gongkai"
        megabytes, count = size_of(folder)
        print(f"folder: {megabytes:.0f} MB, {count} files")
        deb = next((out / "dist").glob("gongkai_*.deb"))
        print(f".deb: {deb.stat().st_size / 1e6:.0f} MB ({deb.name})")
        archive = out / "folder.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder, arcname="gongkai")
        print(f"folder as .tar.gz: {archive.stat().st_size / 1e6:.0f} MB")

        home = out / "home"
        (home / "empty").mkdir(parents=True)
        first, said = run(folder / "gongkai", "--data-dir", str(home / "new"), "gui",
                          "--smoke", home=home)
        print(f"first start on a new data folder: {said.strip()}, {first:.2f} s wall")
        reported, wall = [], []
        for _ in range(6):
            seconds, said = run(folder / "gongkai", "--data-dir", str(home / "new"), "gui",
                                "--smoke", home=home)
            reported.append(int(re.search(r"ready in (\d+) ms", said).group(1)))
            wall.append(seconds)
        # The first of the six warms the page cache, as a clerk's second start would be.
        print(f"cold start (median of 5): ready in {statistics.median(reported[1:])} ms, "
              f"{statistics.median(wall[1:]):.2f} s wall")
        cli = [run(folder / "gongkai-cli", "--data-dir", str(home / "new"), "catalog",
                   "domains", "--json", home=home)[0] for _ in range(5)]
        print(f"gongkai-cli catalog domains --json (median of 5): {statistics.median(cli):.2f} s")
    os.sync()


if __name__ == "__main__":
    main()
