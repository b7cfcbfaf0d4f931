"""Opening a data folder: the one entry point the CLI, the GUI and the tests share."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from app import logs, paths
from app.catalog.items import ensure_default_catalog
from app.errors import FaultError, as_fault
from app.store import Store

log = logging.getLogger(__name__)

_prepared: set[Path] = set()
_lock = threading.Lock()


def open_desk(explicit: str | os.PathLike[str] | None = None) -> Store:
    """Open the data folder's database, creating it and loading the default catalog if new.

    The first open in a process also takes the daily backup. GUI workers open
    the folder from several threads at once, so the preparation is serialised.
    """
    if not logging.getLogger().handlers:
        # Until there is a log file (and where there can be none: a read-only folder, a
        # vanished one), Python would print the details on stderr under the one sentence.
        logging.getLogger().addHandler(logging.NullHandler())
    try:
        folder = paths.data_dir(explicit)
    except OSError as exc:
        # A network drive or USB stick that is gone: mkdir finds no parent to make it in.
        fault = as_fault(exc)
        raise (fault if fault and fault.kind != "file"
               else FaultError("not_a_folder", str(exc))) from exc
    if folder in _prepared and not paths.db_path(folder).exists():
        # Opened earlier in this process and gone now (a share unmounted, a stick pulled):
        # never start an empty desk in its place.
        raise FaultError("vanished", f"{paths.db_path(folder)} no longer exists")
    logs.setup(folder)
    with _lock:
        store = Store.open(folder)
        if folder in _prepared:
            return store
        try:
            if not ensure_default_catalog(store):
                _daily_backup(store)
        except BaseException:
            store.close()
            raise
        _prepared.add(folder)
    return store


def _daily_backup(store: Store) -> None:
    """Take the day's backup; a disk that cannot hold it does not stop the clerk reading.

    The backup is tried again at the next open; each write says for itself
    that the disk is full.
    """
    try:
        store.daily_backup()
    except FaultError as err:
        log.warning("daily backup not taken: %s (%s)", err, err.detail)
