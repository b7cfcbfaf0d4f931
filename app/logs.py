"""Logging to the data folder: the details behind every sentence a clerk was shown."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app import paths

_configured: set[Path] = set()


def setup(folder: Path) -> None:
    """Send this process's log records to ``gongkai.log`` in the data folder (once per folder)."""
    if folder in _configured:
        return
    _configured.add(folder)
    try:
        handler = RotatingFileHandler(paths.log_path(folder), maxBytes=2_000_000, backupCount=3,
                                      encoding="utf-8")
    except OSError:
        return  # a read-only folder must not stop the program; the store will say so
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # A log that cannot be written (a full disk) must stay silent: the clerk is
    # told the fault in one sentence, not shown Python's "--- Logging error ---".
    logging.raiseExceptions = False
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
