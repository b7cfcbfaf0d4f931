"""Opening a data folder: the one entry point the CLI, the GUI and the tests share."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from app import logs, paths
from app.catalog.items import ensure_default_catalog
from app.store import Store

_prepared: set[Path] = set()
_lock = threading.Lock()


def open_desk(explicit: str | os.PathLike[str] | None = None) -> Store:
    """Open the data folder's database, creating it and loading the default catalog if new.

    The first open in a process also takes the daily backup. GUI workers open
    the folder from several threads at once, so the preparation is serialised.
    """
    folder = paths.data_dir(explicit)
    logs.setup(folder)
    with _lock:
        store = Store.open(folder)
        if folder in _prepared:
            return store
        try:
            if not ensure_default_catalog(store):
                store.daily_backup()
        except BaseException:
            store.close()
            raise
        _prepared.add(folder)
    return store
