"""Background work for the GUI: small operations that run off the UI thread and report back.

Like Anki's ``QueryOp[T]`` and ``CollectionOp``: the operation is a plain
function of a store, run in Qt's thread pool on its own SQLite connection
(connections belong to the thread that opened them), and its result, typed
by what the function returns, or its one-sentence error comes back to the
main thread by a queued signal.

An operation that writes says what it wrote (:class:`Changes`); when it ends
the runner announces that once, on :attr:`Runner.desk_changed`, and every page
that reads those parts of the desk reads them again (as Anki's
``operation_did_execute`` hook does). Nobody wires one page to another.
"""

from __future__ import annotations

import enum
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, ParamSpec, TypeVar, overload

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.errors import FILE_ERROR, UserError
from app.store import DataVersion, Store

log = logging.getLogger(__name__)
UNEXPECTED = "操作未完成，详情已写入日志。"

T = TypeVar("T")
P = ParamSpec("P")
#: How work tells its progress: ``report(done, total)``, called from the worker thread.
Report = Callable[[int, int], None]


class Changes(enum.Flag):
    """The parts of the desk an operation may have written, for the pages that read them."""

    NONE = 0
    #: The township, review steps, villages and their boards, templates, holiday years.
    SETTINGS = enum.auto()
    CATALOG = enum.auto()
    #: Drafts, revisions, review steps, withdrawals: a notice's text or status.
    NOTICES = enum.auto()
    #: What hangs on which board: postings and takedowns.
    POSTINGS = enum.auto()
    REQUESTS = enum.auto()
    #: What the county has and said: the outbox, batches, replies.
    COUNTY = enum.auto()
    #: The plan of the year (不涉及, schedules, standing checks), scoring rules, 整改.
    PLAN = enum.auto()
    ALL = SETTINGS | CATALOG | NOTICES | POSTINGS | REQUESTS | COUNTY | PLAN


class Newest:
    """Of a series of reads of the same thing, only the newest one's callbacks run.

    Reads finish in any order; an older one that answers last must not
    overwrite what the newer one showed. ``only = newest.start()`` begins a
    read; ``only(callback)`` is the callback, silent once a later read began.
    """

    def __init__(self) -> None:
        self._last = 0

    def start(self) -> Callable[[Callable[P, object]], Callable[P, None]]:
        """Begin a read: the wrapper for its callbacks."""
        self._last += 1
        mine = self._last

        def only(callback: Callable[P, object]) -> Callable[P, None]:
            def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
                if mine == self._last:
                    callback(*args, **kwargs)
            return guarded

        return only


class _Signals(QObject):
    # ``ok`` travels as an int: queued bool arguments have been seen to drop
    # references to True/False in PySide6 and crash the interpreter at exit.
    finished = Signal(int, int, object)
    progress = Signal(int, int, int)


class _Task(QRunnable):
    # ``folder`` None: pure work with no database (checking text as the clerk types).
    def __init__(self, number: int, folder: Path | None, work: Callable[..., object],
                 signals: _Signals, wants_progress: bool) -> None:
        super().__init__()
        self.number, self.folder, self.work = number, folder, work
        self.signals, self.wants_progress = signals, wants_progress

    def run(self) -> None:
        """In a pool thread: open the folder's own store, do the work, report once."""
        # Imported in the worker: opening the desk pulls in the catalog, which the
        # first window can be shown without.
        from app.desk import open_desk

        def report(done: int, total: int) -> None:
            self.signals.progress.emit(self.number, done, total)

        try:
            if self.folder is None:
                result = self.work(report) if self.wants_progress else self.work()
            else:
                with open_desk(self.folder) as store:
                    result = (self.work(store, report) if self.wants_progress
                              else self.work(store))
        except UserError as err:
            log.warning("refused: %s (%s)", err, err.detail)
            self.signals.finished.emit(self.number, 0, str(err))
        except OSError:
            log.exception("background task failed on a file")
            self.signals.finished.emit(self.number, 0, FILE_ERROR)
        except Exception:
            log.exception("background task failed")
            self.signals.finished.emit(self.number, 0, UNEXPECTED)
        else:
            self.signals.finished.emit(self.number, 1, result)


@dataclass(frozen=True)
class _Pending(Generic[T]):
    done: Callable[[T], object]
    failed: Callable[[str], object] | None
    progress: Callable[[int, int], object] | None
    changes: Changes
    origin: object


class Runner(QObject):
    """Runs operations on a data folder in the background, one callback each on the main thread."""

    #: An operation ended that may have written these parts of the desk
    #: (:class:`Changes`); the second argument is whoever started it (or None).
    desk_changed = Signal(object, object)
    #: A failed operation that named no ``failed`` callback: its one sentence.
    error = Signal(str)

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.pool = QThreadPool.globalInstance()
        self._signals = _Signals()
        # Bound slots of this QObject make the connections queued: callbacks run here.
        self._signals.finished.connect(self._finished)
        self._signals.progress.connect(self._progress)
        self._numbers = itertools.count(1)
        self._pending: dict[int, _Pending[Any]] = {}
        # Telling our own writes from someone else's (look_for_outside_changes).
        self._version: DataVersion | None = None
        self._looking = False
        self._writes_ended = 0
        self._writes_seen = 0

    @overload
    def run(self, work: Callable[[Store], T], done: Callable[[T], object],
            failed: Callable[[str], object] | None = None, progress: None = None, *,
            changes: Changes = Changes.NONE, origin: object = None) -> int: ...

    @overload
    def run(self, work: Callable[[Store, Report], T], done: Callable[[T], object],
            failed: Callable[[str], object] | None, progress: Callable[[int, int], object], *,
            changes: Changes = Changes.NONE, origin: object = None) -> int: ...

    def run(self, work: Callable[..., T], done: Callable[[T], object],
            failed: Callable[[str], object] | None = None,
            progress: Callable[[int, int], object] | None = None, *,
            changes: Changes = Changes.NONE, origin: object = None) -> int:
        """Start ``work(store)`` (or ``work(store, report)`` when ``progress`` is given).

        ``done(result)`` or ``failed(sentence)`` runs on the main thread; then,
        if the work may write, ``changes`` names what, and ``origin`` (the page
        that asked) is told apart from the pages that should read again. They
        are announced whether it succeeded or not: a refused write changed
        nothing and costs a cheap read, but a push that failed half-way has
        committed its first batches.
        """
        return self._start(self.folder, work, _Pending(
            done, failed, progress, changes, origin))

    @overload
    def compute(self, work: Callable[[], T], done: Callable[[T], object],
                failed: Callable[[str], object] | None = None,
                progress: None = None) -> int: ...

    @overload
    def compute(self, work: Callable[[Report], T], done: Callable[[T], object],
                failed: Callable[[str], object] | None,
                progress: Callable[[int, int], object]) -> int: ...

    def compute(self, work: Callable[..., T], done: Callable[[T], object],
                failed: Callable[[str], object] | None = None,
                progress: Callable[[int, int], object] | None = None) -> int:
        """Start ``work()`` (no database) off the UI thread; ``done(result)`` on the main thread.

        With ``progress`` the work is called as ``work(report)``, as in ``run``.
        """
        return self._start(None, work, _Pending(done, failed, progress, Changes.NONE, None))

    def _start(self, folder: Path | None, work: Callable[..., object],
               pending: _Pending[Any]) -> int:
        number = next(self._numbers)
        self._pending[number] = pending
        self.pool.start(_Task(number, folder, work, self._signals, pending.progress is not None))
        return number

    def busy(self) -> bool:
        """Whether any operation is still running."""
        return bool(self._pending)

    def announce(self, changes: Changes, origin: object = None) -> None:
        """Tell every page that ``changes`` were written (by ``origin``, if it is a page)."""
        if changes:
            self.desk_changed.emit(changes, origin)

    def look_for_outside_changes(self) -> None:
        """Ask, off the UI thread, whether someone else wrote the desk; if so, tell every page.

        The command line, a timer sync or a second window write the same
        SQLite file; SQLite's ``data_version`` moves when another connection
        commits. The window's own writes move it too, and are announced
        already: a move while one of ours ran or ended since the last look is
        taken to be ours (an outside write in that very moment shows on the
        next change or with F5).
        """
        if self._looking:
            return
        if self._version is None:
            self._version = DataVersion(self.folder)
        self._looking = True
        self.compute(self._version.changed, self._looked, lambda _m: self._looked(False))

    def _looked(self, moved: bool) -> None:
        self._looking = False
        ours = (self._writes_ended != self._writes_seen
                or any(p.changes for p in self._pending.values()))
        self._writes_seen = self._writes_ended
        if moved and not ours:
            self.announce(Changes.ALL, None)

    def watching(self) -> bool:
        """Whether the watch has taken its first look (later writes by others will be seen)."""
        return self._version is not None and not self._looking

    def stop_watching(self) -> None:
        """Close the connection the watch keeps (the window is closing)."""
        if self._version is not None and not self._looking:
            self._version.close()
            self._version = None

    @Slot(int, int, object)
    def _finished(self, number: int, ok: int, payload: object) -> None:
        pending = self._pending.pop(number, None)
        if pending is None:
            return
        if ok:
            pending.done(payload)
        elif pending.failed:
            pending.failed(str(payload))
        else:
            self.error.emit(str(payload))
        if pending.changes:
            self._writes_ended += 1
        self.announce(pending.changes, pending.origin)

    @Slot(int, int, int)
    def _progress(self, number: int, done_: int, total: int) -> None:
        entry = self._pending.get(number)
        if entry and entry.progress:
            entry.progress(done_, total)
