"""政策解读: a notice of kind 解读 explaining another (三同步), and what its 图解 shows.

(Interface fixed for the parts built beside it; the helper building 解读 fills it in.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.store import Store


@dataclass(frozen=True)
class Figure:
    """A number a reader should see large: 每人每月 | 680元, 公示期 | 11月23日至12月1日."""

    label: str
    value: str


@dataclass(frozen=True)
class Graphic:
    """What a 图解 (一图读懂) draws, read from the 解读's fields."""

    title: str
    subtitle: str  # e.g. 《青石镇最低生活保障实施办法》政策解读
    points: tuple[tuple[str, str], ...]  # numbered key points: (heading, text)
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    qr_url: str = ""  # the published URL of the document it explains, if known
    phone: str = ""
    phone_label: str = "咨询电话"
    issuer: str = ""
    date: str = ""  # 2026年11月23日


def graphic_content(store: Store, notice_id: str) -> Graphic:
    """The 图解 of a 解读 (any form: a 文字 or 问答 解读 can be drawn too)."""
    raise NotImplementedError


def set_interpret(store: Store, notice_id: str, needed: bool) -> None:
    """Mark a notice 应解读 (or not): its last review step then waits for its 解读 (三同步)."""
    raise NotImplementedError
