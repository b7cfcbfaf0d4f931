"""The closing block of a sheet never stands alone on a page: the last lines of body go with it.

特此公示, the issuing unit, the date and the room for the seal mean little on a
page of their own (and a page holding only them could be swapped for another).
When they do not fit under the body, the last two lines of the last
paragraph, or the last two rows of the last table, move over with them.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, LongTable
from reportlab.platypus.doctemplate import FrameBreak
from reportlab.platypus.flowables import _listWrapOn  # type: ignore[attr-defined]

#: Lines (or table rows) of body that go over with the closing, and that stay behind.
KEEP = 2


class KeepWithClosing(Flowable):
    """``body`` (a paragraph or a table) then ``closing``, split only where both sides keep two."""

    def __init__(self, body: Flowable, closing: list[Flowable],
                 measured: dict[float, float] | None = None) -> None:
        """Keep the tail of ``body`` on the page that holds ``closing``.

        ``measured`` holds the closing's height by width, shared by the parts a split makes.
        """
        super().__init__()
        self.body = body
        self.closing = closing
        self.measured: dict[float, float] = {} if measured is None else measured

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        """Ask always to be split, as KeepTogether does, so that :meth:`split` decides."""
        return aW, 0xFFFFFF

    def split(self, aW: float, aH: float) -> list[Flowable]:
        """The parts to lay out here and after: the whole when it fits, else body split or moved."""
        parts = [self.body, *self.closing]
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        if isinstance(self.body, LongTable):
            # Pages in the middle of a long table: its own split, one measure of
            # the rows left per page, is right as long as enough rows are left.
            split = self.body.splitOn(self.canv, aW, aH)
            header = self.body.repeatRows if isinstance(self.body.repeatRows, int) else 0
            if len(split) == 2 and split[1]._nrows - header >= KEEP:  # type: ignore[attr-defined]
                return [split[0], self._with(split[1])]
            if not split and not at_top:
                return [FrameBreak(), self]  # not even a row fits under what is here
        height = self.body.wrapOn(self.canv, aW, aH)[1] + self.body.getSpaceAfter()
        if height + self._closing_height(aW) <= aH:
            return parts
        head = self._head(aW, aH)
        if head is not None:
            return [head[0], self._with(head[1])]
        if at_top:
            # Nothing to gain from a fresh page: body and closing outgrow one.
            return parts
        return [FrameBreak(), self]

    def _with(self, body: Flowable) -> KeepWithClosing:
        return KeepWithClosing(body, self.closing, self.measured)

    def _closing_height(self, aW: float) -> float:
        """The closing's height (with the spaces between its parts), measured once per width."""
        if aW not in self.measured:
            height = float(_listWrapOn(self.closing, aW, self.canv)[1])
            self.measured[aW] = height + (self.closing[0].getSpaceBefore() if self.closing else 0)
        return self.measured[aW]

    def _head(self, aW: float, aH: float) -> tuple[Flowable, Flowable] | None:
        """``body`` split so that what stays here and what goes on each hold :data:`KEEP` units.

        ``body`` has just been wrapped at ``aW``.
        """
        body = self.body
        if isinstance(body, LongTable):
            heights = list(body._rowHeights)  # type: ignore[attr-defined]  # set by wrap
            header = body.repeatRows if isinstance(body.repeatRows, int) else 0
            fit, used = 0, 0.0
            for h in heights:
                if used + h > aH:
                    break
                used, fit = used + h, fit + 1
            stay = min(fit, len(heights) - KEEP) - header
            if stay < 1:
                return None
            at = sum(heights[:header + stay]) + 0.001
        else:
            style = getattr(body, "style", None)
            if style is None:
                return None
            leading = style.leading
            lines = round(body.height / leading) if getattr(body, "height", 0) else 0
            room = aH - body.getSpaceBefore()
            stay = min(int((room + 0.001) // leading), lines - KEEP)
            if stay < KEEP:
                return None
            at = stay * leading + 0.001
        split = body.splitOn(self.canv, aW, at)
        return (split[0], split[1]) if len(split) == 2 else None
