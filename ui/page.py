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

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

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

    def leave(self, then: Callable[[], None]) -> bool:
        """Whether the clerk may leave the page now; a page with unsaved work asks first.

        When it returns False it has either kept the clerk here (取消) or will
        call ``then`` once the work is saved.
        """
        return True

    def find_box(self) -> QLineEdit | None:
        """The page's search or filter box, where Ctrl+F goes (None: the page has none)."""
        named = getattr(self, "search_box", None) or getattr(self, "filter_box", None)
        if isinstance(named, QLineEdit):
            return named
        boxes = [b for b in self.findChildren(QLineEdit)
                 if b.isVisibleTo(self) and b.placeholderText().startswith(("搜索", "按", "筛选"))]
        return boxes[0] if boxes else None

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
