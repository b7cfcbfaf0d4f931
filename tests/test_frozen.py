"""The one-folder program a clerk installs: built with installer/build, run with no Python.

The build is the documented command itself (``bash installer/build``), into a
temporary folder. The frozen executables then run with an empty PATH, from a
folder outside the repository, so nothing of the developer's Python or of
this tree can stand in for what the build should contain.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built program folder (``…/gongkai``)."""
    out = tmp_path_factory.mktemp("frozen")
    env = dict(os.environ, GONGKAI_DIST=str(out / "dist"), GONGKAI_WORK=str(out / "work"))
    done = subprocess.run(["bash", str(ROOT / "installer" / "build")], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out / "dist" / "gongkai"


def run_frozen(program: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run one of the frozen executables with no Python anywhere on PATH."""
    empty = home / "empty-path"
    empty.mkdir(exist_ok=True)
    env = {"PATH": str(empty), "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "LANG": "C.UTF-8", "GONGKAI_TODAY": "2026-11-23"}
    return subprocess.run([str(program), *args], env=env, cwd=home, capture_output=True,
                          text=True, timeout=120)


def test_frozen_program_starts_and_lists_the_domains_without_python(frozen: Path,
                                                                     tmp_path: Path) -> None:
    data = tmp_path / "data"
    started = run_frozen(frozen / "gongkai", "--data-dir", str(data), "gui", "--smoke",
                         home=tmp_path)
    assert started.returncode == 0, started.stderr
    assert "ready in" in started.stdout
    listed = run_frozen(frozen / "gongkai-cli", "--data-dir", str(data), "catalog", "domains",
                        "--json", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    domains = json.loads(listed.stdout)
    assert len(domains) == 13 and sum(d["items"] for d in domains) > 100
    assert {"社会救助", "财政预决算", "公共法律服务"} <= {d["name"] for d in domains}


def test_frozen_folder_holds_what_the_program_needs_and_not_the_county_server(
        frozen: Path) -> None:
    inside = frozen / "_internal"
    plugins = inside / "PySide6" / "Qt" / "plugins"
    for name in ("platforms", "imageformats", "printsupport"):
        assert (plugins / name).is_dir(), name
    assert (plugins / "platforms" / "libqxcb.so").exists()
    assert (plugins / "platforms" / "libqoffscreen.so").exists()
    for shipped in ("catalog/default.json", "fonts/wqy-microhei.ttc",
                    "templates/default.toml"):
        assert (inside / "resources" / shipped).is_file(), shipped
    for absent in ("fastapi", "uvicorn", "sqlalchemy", "psycopg", "pytest"):
        assert not (inside / absent).exists(), absent
    # Nothing points back at this tree or its virtual environment.
    assert not list(inside.glob("**/*.pth"))
