"""Where the clerk's data lives: ``--data-dir`` > ``GONGKAI_HOME`` > the per-user folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, TypedDict

import platformdirs

DB_NAME = "gongkai.sqlite3"


class _DirsNaming(TypedDict):
    appname: str
    appauthor: Literal[False]


#: How platformdirs names the per-user data folder (%LOCALAPPDATA%\gongkai on Windows,
#: ~/.local/share/gongkai on Linux). The installers rely on it lying outside the program.
PLATFORM_DIRS: _DirsNaming = {"appname": "gongkai", "appauthor": False}


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder to use, created if missing.

    An explicit folder (the CLI's ``--data-dir``) wins over ``GONGKAI_HOME``,
    which wins over the platform's per-user data folder.
    """
    if explicit:
        path = Path(explicit)
    elif os.environ.get("GONGKAI_HOME"):
        path = Path(os.environ["GONGKAI_HOME"])
    else:
        path = Path(platformdirs.user_data_dir(**PLATFORM_DIRS))
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_path(folder: Path) -> Path:
    """The SQLite file inside a data folder."""
    return folder / DB_NAME


def backups_dir(folder: Path) -> Path:
    """Where backups are written (inside the data folder, so they travel with it)."""
    path = folder / "backups"
    path.mkdir(exist_ok=True)
    return path


def autosave_dir(folder: Path) -> Path:
    """Where the editor keeps text not saved yet, against a crash (not part of the record)."""
    path = folder / "autosave"
    path.mkdir(exist_ok=True)
    return path


def log_path(folder: Path) -> Path:
    """The log file: details of errors the clerk saw as one sentence."""
    return folder / "gongkai.log"
