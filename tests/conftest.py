"""Shared fixtures: a fresh data folder, an open store, and the real ``gongkai`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder, as on a fresh PC."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def store(data_dir: Path) -> Iterator:
    """The store of a fresh data folder, with the default catalog loaded."""
    from app.desk import open_desk

    s = open_desk(data_dir)
    yield s
    s.close()


@pytest.fixture
def township(store):
    """The store of 青石镇, 东山县, with its 监督电话 set (what printed sheets need)."""
    from app.township import set_township

    set_township(store, "青石镇", "东山县", "0551-62345678")
    return store


class Gongkai:
    """Runs the real ``gongkai`` command line against one data folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "GONGKAI_HOME"}
        proc = subprocess.run(
            [sys.executable, "-m", "ui.launch", "--data-dir", str(self.folder), *args],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"gongkai {' '.join(args)} -> {proc.returncode}\n{proc.stderr}")
        return proc

    def json(self, *args: str) -> object:
        """Run a ``--json`` command and parse its output."""
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def gk(data_dir: Path) -> Gongkai:
    """The command line, pointed at a fresh data folder."""
    return Gongkai(data_dir)
