"""Charts drawn with QPainter: PySide6-Essentials has no QtCharts, and these need little.

Each chart keeps the numbers it draws (``bars()``, ``rates()``), so a test can
check what the clerk sees against the figures of app/. The palette is fixed
and prints legibly in black and white (the values are written on the bars);
the text uses the widget's font, which is the application's CJK font.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

APP_RED = QColor("#c8102e")
ON_TIME = QColor("#3f6e9e")  # muted blue
OVERDUE = QColor("#b00020")
OTHER = QColor("#b4bec9")  # grey-blue: neither on time nor late (yet)
TRACK = QColor("#e6eaef")
GRID = QColor("#e3e7ec")
TEXT = QColor("#1f2933")
MUTED = QColor("#66727f")
FRAME = QColor("#d5dbe2")
EMPTY = "本期暂无数据"


@dataclass(frozen=True)
class Series:
    """One part of every bar: its name (legend, tooltip) and colour."""

    name: str
    color: QColor


@dataclass(frozen=True)
class Bar:
    """One bar: its label, a value per series (stacked), and a note drawn after its total."""

    label: str
    values: tuple[int, ...]
    note: str = ""
    tip: str = ""
    #: Draw the note in the overdue red (a domain that missed deadlines).
    alarm: bool = False
    #: A colour of its own for a one-series bar (办理中 in grey among the outcomes).
    color: QColor | None = None

    @property
    def total(self) -> int:
        """The whole bar."""
        return sum(self.values)


def _font(base: QFont, scale: float = 1.0, bold: bool = False) -> QFont:
    font = QFont(base)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * scale)
    font.setBold(bold)
    return font


def _nice_step(top: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5, 10, 20 …) that splits 0..top into at most ``ticks`` parts."""
    raw = max(1.0, top / ticks)
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return int(m * power)
    return int(10 * power)


class _Chart(QWidget):
    """A titled white card; subclasses draw into ``body`` below the title and legend."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._tips: list[tuple[QRectF, str]] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Small enough for 1366×740, big enough that labels never collide."""
        return QSize(240, 160)

    def legend(self) -> Sequence[Series]:
        """The series named in the legend (none by default)."""
        return ()

    def event(self, event: QEvent) -> bool:
        """Tooltips: the numbers of the bar (or ring) under the mouse."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = QPointF(event.pos())
            tip = next((text for rect, text in self._tips if rect.contains(pos)), "")
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """The card, its title and legend, then the chart's own drawing."""
        self._tips = []
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(QPen(FRAME, 1))
        p.setBrush(QColor("white"))
        p.drawRoundedRect(card, 4, 4)
        pad = 10.0
        title_font = _font(self.font(), 1.1, bold=True)
        p.setFont(title_font)
        p.setPen(TEXT)
        title_h = QFontMetrics(title_font).height()
        head = QRectF(pad, pad - 2, card.width() - 2 * pad, title_h)
        p.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        self._draw_legend(p, head, QFontMetrics(title_font).horizontalAdvance(self.title))
        body = QRectF(pad, head.bottom() + 6, card.width() - 2 * pad,
                      card.height() - head.bottom() - 6 - pad)
        p.setFont(self.font())
        self.draw(p, body)
        p.end()

    def _draw_legend(self, p: QPainter, head: QRectF, title_w: float) -> None:
        series = self.legend()
        if not series:
            return
        font = _font(self.font(), 0.9)
        fm = QFontMetrics(font)
        box = fm.height() * 0.6
        widths = [box + 4 + fm.horizontalAdvance(s.name) for s in series]
        total = sum(widths) + 12 * (len(series) - 1)
        if total > head.width() - title_w - 16:
            return  # too narrow: the tooltips still name every part
        p.setFont(font)
        x = head.right() - total
        for s, w in zip(series, widths, strict=True):
            p.fillRect(QRectF(x, head.center().y() - box / 2, box, box), s.color)
            p.setPen(MUTED)
            p.drawText(QRectF(x + box + 4, head.top(), w, head.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, s.name)
            x += w + 12

    def draw(self, p: QPainter, body: QRectF) -> None:
        """Draw the chart into ``body``."""
        raise NotImplementedError

    def _empty(self, p: QPainter, body: QRectF, text: str = EMPTY) -> None:
        p.setPen(MUTED)
        p.setFont(_font(self.font(), 1.05))
        p.drawText(body, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)


class BarChart(_Chart):
    """Stacked bars with their values written on them: vertical (months) or horizontal (domains).

    Horizontal bars keep their labels (long Chinese domain names) in a column on
    the left, elided with the full name in the tooltip when the card is narrow.
    """

    def __init__(self, title: str, series: Sequence[Series], horizontal: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.series = tuple(series)
        self.horizontal = horizontal
        self._bars: tuple[Bar, ...] = ()
        self.empty_text = EMPTY

    def legend(self) -> Sequence[Series]:
        """Every series, when there is more than one."""
        return self.series if len(self.series) > 1 else ()

    def set_bars(self, bars: Sequence[Bar], empty_text: str = EMPTY) -> None:
        """Show ``bars`` (one value per series each); ``empty_text`` when all are zero."""
        for bar in bars:
            if len(bar.values) != len(self.series):
                raise ValueError(f"bar {bar.label} has {len(bar.values)} values")
        self._bars = tuple(bars)
        self.empty_text = empty_text
        self.update()

    def bars(self) -> list[tuple[str, tuple[int, ...]]]:
        """What the chart shows: (label, values per series) for every bar, in order."""
        return [(b.label, b.values) for b in self._bars]

    def is_empty(self) -> bool:
        """Whether the chart shows its empty sentence instead of bars."""
        return not any(b.total for b in self._bars)

    def _tip(self, bar: Bar) -> str:
        parts = [f"{s.name} {v}" for s, v in zip(self.series, bar.values, strict=True)]
        lines = [bar.tip or bar.label, f"合计 {bar.total}"
                 + ("（" + "，".join(parts) + "）" if len(parts) > 1 else "")]
        if bar.note:
            lines.append(bar.note)
        return "\n".join(lines)

    def draw(self, p: QPainter, body: QRectF) -> None:
        """Bars, or the empty sentence."""
        if self.is_empty():
            self._empty(p, body, self.empty_text)
        elif self.horizontal:
            self._draw_horizontal(p, body)
        else:
            self._draw_vertical(p, body)

    def _segments(self, bar: Bar) -> list[tuple[int, QColor]]:
        if bar.color is not None and len(self.series) == 1:
            return [(bar.values[0], bar.color)] if bar.values[0] else []
        return [(v, s.color) for v, s in zip(bar.values, self.series, strict=True) if v]

    def _draw_vertical(self, p: QPainter, body: QRectF) -> None:
        font = self.font()
        fm = QFontMetrics(font)
        top_value = max(b.total for b in self._bars)
        step = _nice_step(top_value)
        axis_top = step * math.ceil(top_value / step)
        axis_w = fm.horizontalAdvance(str(axis_top)) + 8
        label_h = fm.height() + 4
        plot = QRectF(body.left() + axis_w, body.top() + fm.height() + 2,
                      body.width() - axis_w, body.height() - fm.height() - 2 - label_h)
        small = _font(font, 0.85)
        p.setFont(small)
        for tick in range(0, axis_top + 1, step):
            y = plot.bottom() - plot.height() * tick / axis_top
            p.setPen(QPen(GRID if tick else FRAME, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(MUTED)
            p.drawText(QRectF(body.left(), y - fm.height() / 2, axis_w - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(tick))
        slot = plot.width() / len(self._bars)
        width = min(slot * 0.6, 56.0)
        for k, bar in enumerate(self._bars):
            x = plot.left() + slot * k + (slot - width) / 2
            y = plot.bottom()
            segments = self._segments(bar)
            # A part's own number only where the bar has several; the total is above it.
            split = len(segments) > 1
            for value, color in segments:
                h = plot.height() * value / axis_top
                rect = QRectF(x, y - h, width, h)
                p.fillRect(rect, color)
                if h >= fm.height() and split:
                    p.setFont(small)
                    p.setPen(QColor("white") if color != OTHER else TEXT)
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(value))
                y -= h
            p.setFont(font)
            p.setPen(TEXT if bar.total else MUTED)
            p.drawText(QRectF(x - 10, y - fm.height() - 1, width + 20, fm.height()),
                       Qt.AlignmentFlag.AlignCenter, str(bar.total))
            p.drawText(QRectF(plot.left() + slot * k, plot.bottom() + 3, slot, label_h),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, bar.label)
            self._tips.append((QRectF(plot.left() + slot * k, plot.top(), slot,
                                      plot.height() + label_h), self._tip(bar)))

    def _draw_horizontal(self, p: QPainter, body: QRectF) -> None:
        font = self.font()
        fm = QFontMetrics(font)
        small = _font(font, 0.85)
        sfm = QFontMetrics(small)
        label_w = min(max(fm.horizontalAdvance(b.label) for b in self._bars) + 8,
                      body.width() * 0.36)
        value_w = max(fm.horizontalAdvance(str(b.total)) + (sfm.horizontalAdvance(b.note) + 8
                                                              if b.note else 0)
                      for b in self._bars) + 10
        plot = QRectF(body.left() + label_w, body.top(), body.width() - label_w - value_w,
                      body.height())
        top_value = max(b.total for b in self._bars)
        # A few bars (one domain, the outcomes) keep a bar's height and stay at the top.
        row = min(plot.height() / len(self._bars), fm.height() * 2.4)
        plot.setHeight(row * len(self._bars))
        thick = max(4.0, min(row * 0.62, 24.0))
        p.setPen(QPen(FRAME, 1))
        p.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))
        for k, bar in enumerate(self._bars):
            mid = plot.top() + row * (k + 0.5)
            label = fm.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(label_w - 8))
            p.setFont(font)
            p.setPen(TEXT)
            p.drawText(QRectF(body.left(), mid - row / 2, label_w - 8, row),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            x = plot.left()
            segments = self._segments(bar)
            split = len(segments) > 1
            for value, color in segments:
                w = plot.width() * value / top_value
                rect = QRectF(x, mid - thick / 2, w, thick)
                p.fillRect(rect, color)
                if (split and w >= sfm.horizontalAdvance(str(value)) + 6
                        and thick >= sfm.height() - 2):
                    p.setFont(small)
                    p.setPen(QColor("white") if color != OTHER else TEXT)
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(value))
                x += w
            p.setFont(font)
            p.setPen(TEXT if bar.total else MUTED)
            total = str(bar.total)
            p.drawText(QRectF(x + 5, mid - row / 2, value_w, row),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, total)
            if bar.note:
                p.setFont(small)
                p.setPen(OVERDUE if bar.alarm else MUTED)
                p.drawText(QRectF(x + 5 + fm.horizontalAdvance(total) + 8, mid - row / 2,
                                  value_w, row),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, bar.note)
            self._tips.append((QRectF(body.left(), mid - row / 2, body.width(), row),
                               self._tip(bar)))


@dataclass(frozen=True)
class Rate:
    """One ring: what it measures, the share (None: nothing settled yet), and its detail."""

    label: str
    rate: float | None
    detail: str
    #: Said in place of the percentage when ``rate`` is None.
    none_text: str = "尚无到期事项"


def percent(rate: float | None) -> str:
    """``92.3%``, or ``—`` while there is nothing to measure."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


class RateChart(_Chart):
    """One or more rings: the on-time share in blue, the late share in red, the % in the middle."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._rates: tuple[Rate, ...] = ()

    def legend(self) -> Sequence[Series]:
        """按时 and 超期, the two colours of every ring."""
        return (Series("按时", ON_TIME), Series("超期", OVERDUE))

    def set_rates(self, rates: Sequence[Rate]) -> None:
        """Show one ring per rate, side by side."""
        self._rates = tuple(rates)
        self.update()

    def rates(self) -> list[tuple[str, float | None]]:
        """What the rings show: (label, share or None)."""
        return [(r.label, r.rate) for r in self._rates]

    def draw(self, p: QPainter, body: QRectF) -> None:
        """A ring per rate with its label and detail beneath."""
        if not self._rates:
            self._empty(p, body)
            return
        fm = QFontMetrics(self.font())
        small = _font(self.font(), 0.9)
        sfm = QFontMetrics(small)
        text_h = fm.height() + sfm.height() + 6
        cell = body.width() / len(self._rates)
        size = max(40.0, min(cell - 16, body.height() - text_h - 4))
        for k, rate in enumerate(self._rates):
            cx = body.left() + cell * (k + 0.5)
            ring = QRectF(cx - size / 2, body.top() + 2, size, size)
            thick = max(8.0, size * 0.14)
            inner = ring.adjusted(thick / 2, thick / 2, -thick / 2, -thick / 2)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(TRACK, thick, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            p.drawEllipse(inner)
            if rate.rate is not None:
                done = round(360 * 16 * rate.rate)
                if rate.rate < 1:
                    p.setPen(QPen(OVERDUE, thick, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
                    p.drawArc(inner, 90 * 16 - done, -(360 * 16 - done))
                if done:
                    p.setPen(QPen(ON_TIME, thick, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
                    p.drawArc(inner, 90 * 16, -done)
            big = _font(self.font(), max(1.0, size / 70), bold=True)
            room = (size - 2 * thick) * 0.72
            while big.pointSizeF() > 9 and QFontMetrics(big).horizontalAdvance("100.0%") > room:
                big.setPointSizeF(big.pointSizeF() - 1)
            p.setFont(big)
            p.setPen(TEXT if rate.rate is not None else MUTED)
            p.drawText(ring, Qt.AlignmentFlag.AlignCenter, percent(rate.rate))
            below = QRectF(body.left() + cell * k + 4, ring.bottom() + 4, cell - 8, fm.height())
            p.setFont(self.font())
            p.setPen(TEXT)
            p.drawText(below, Qt.AlignmentFlag.AlignCenter,
                       fm.elidedText(rate.label, Qt.TextElideMode.ElideRight, int(below.width())))
            p.setFont(small)
            p.setPen(MUTED)
            detail = rate.detail if rate.rate is not None else rate.none_text
            p.drawText(below.translated(0, fm.height() + 2), Qt.AlignmentFlag.AlignCenter,
                       sfm.elidedText(detail, Qt.TextElideMode.ElideRight, int(below.width())))
            self._tips.append((ring, f"{rate.label}：{percent(rate.rate)}\n{detail}"))
