"""Opening a data folder: the one entry point the CLI, the GUI and the tests share."""

from __future__ import annotations

import os

from app import catalog, logs, paths
from app.store import Store


def open_desk(explicit: str | os.PathLike[str] | None = None) -> Store:
    """Open the data folder's database, creating it and loading the default catalog if new."""
    folder = paths.data_dir(explicit)
    logs.setup(folder)
    store = Store.open(folder)
    try:
        if not catalog.ensure_default_catalog(store):
            store.daily_backup()
    except BaseException:
        store.close()
        raise
    return store
