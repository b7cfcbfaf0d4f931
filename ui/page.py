"""What every page of the main window shares: its runner and what it reads again after a change.

A page names the parts of the desk it shows (:attr:`Page.cares`). When an
operation that wrote any of them ends, the runner's one hook reaches every
page, and those that care read again. The page that started the operation
(itself, a box on it or a dialog it opened) refreshes itself as it sees fit,
since only it knows what the clerk is in the middle of, and emits
:attr:`Page.changed` instead. So a new page says what it reads, and no one
wires it to the others.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ui.tasks import Changes, Runner


class Page(QWidget):
    """A page of the main window, refreshed when the desk changes in what it shows."""

    #: An operation this page started has ended and may have written something.
    changed = Signal()
    #: The parts of the desk this page shows; a change to any of them refreshes it.
    cares: Changes = Changes.NONE

    def __init__(self, runner: Runner) -> None:
        super().__init__()
        self.runner = runner
        runner.desk_changed.connect(self._desk_changed)

    def refresh(self) -> None:
        """Read what the page shows again (in the background)."""

    def started(self, origin: object) -> bool:
        """Whether ``origin`` is this page, or a widget or dialog it holds (at any depth)."""
        while isinstance(origin, QObject):
            if origin is self:
                return True
            origin = origin.parent()
        return False

    def _desk_changed(self, changes: Changes, origin: object) -> None:
        if self.started(origin):
            self.changed.emit()
        elif changes & self.cares:
            self.refresh()
