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
#: The day the tests' examples are written for, unless a module names its own ``TODAY``.
TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def own_user_config(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test, and every command it starts, has its own per-user config folder.

    The county token, the signing keys and the window's settings live there
    (``~/.config/gongkai``); the suite must neither read nor change the real
    one, and tests running side by side must not share theirs.
    """
    folder = tmp_path_factory.mktemp("user-config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


@pytest.fixture
def pinned_today(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Pin the program's "today" (``GONGKAI_TODAY``) to the module's ``TODAY``, or 2026-11-23.

    A module asks for it once: ``pytestmark = pytest.mark.usefixtures("pinned_today")``.
    Every command and every window of its tests then runs on that day, so due
    dates and 公示期 read the same on any day the suite runs.
    """
    day = getattr(request.module, "TODAY", TODAY)
    day = day if isinstance(day, str) else day.isoformat()
    monkeypatch.setenv("GONGKAI_TODAY", day)
    return day


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
