"""Real small disks for the fault tests: a tmpfs that fills up, a folder mounted read-only.

No test lives here. Mounting needs root (CI runs as root); where it is not
permitted the test is skipped with the reason. Every mount is undone when the
test ends, passed or failed (lazily, so a connection still open cannot keep it).
"""

from __future__ import annotations

import errno
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    if sys.platform != "linux":
        pytest.skip("the disk-fault tests mount real file systems, which needs Linux")
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount is not permitted here ({done.stderr.strip() or done.returncode}); "
                    "the disk-fault tests need root, as CI has")


def unmount(where: Path) -> None:
    """Undo a mount (lazily: an open file of the program must not keep it)."""
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


@contextmanager
def small_disk(where: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` (made if missing)."""
    where.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where))
    try:
        yield where
    finally:
        unmount(where)


@contextmanager
def read_only_view(source: Path, where: Path) -> Iterator[Path]:
    """``source`` mounted again at ``where``, read-only (a bind mount, then remounted ro)."""
    where.mkdir(parents=True, exist_ok=True)
    _mount("--bind", str(source), str(where))
    try:
        _mount("-o", "remount,bind,ro", str(where))
        yield where
    finally:
        unmount(where)


def fill(disk: Path) -> Path:
    """Write a file on ``disk`` until no byte more fits; the file, to delete to free it."""
    filler = disk / "filler.bin"
    with filler.open("wb", buffering=0) as out:
        for chunk in (1 << 16, 512, 1):
            try:
                while True:
                    out.write(b"\0" * chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    return filler
