"""Where a notice actually went, channel by channel, beside the board postings.

(Interface fixed for the parts built beside it; the helper building channels fills it in.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.store import Store


@dataclass(frozen=True)
class ChannelRecord:
    """One time a notice went out on a channel: the screen and days, the village, the URL…"""

    channel: str
    day: date
    until: date | None = None
    url: str = ""
    place: str = ""
    count: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ChannelDuty:
    """A channel the notice's item names: what the desk makes for it, and whether it was done."""

    channel: str
    output: str  # what the desk makes: 张贴稿, 屏幕页, 广播稿, 图文, 明白纸 …
    records: tuple[ChannelRecord, ...]

    @property
    def done(self) -> bool:
        """At least one record."""
        return bool(self.records)


def record_channel(store: Store, notice_id: str, channel: str, day: str | None = None,
                   url: str = "", note: str = "", place: str = "", count: int | None = None,
                   until: str | None = None) -> ChannelRecord:
    """Record that the notice went out on ``channel`` (one audited write)."""
    raise NotImplementedError


def channel_duties(store: Store, notice_id: str) -> list[ChannelDuty]:
    """The checklist: every channel the item names, what the desk makes, what was recorded."""
    raise NotImplementedError
