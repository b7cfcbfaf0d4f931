"""广播/「大喇叭」: a notice rewritten to be read aloud, printed, and spoken where a voice exists.

(Interface fixed for the parts built beside it; the helper writing it fills it in.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.store import Store


@dataclass(frozen=True)
class Broadcast:
    """What ``notice export --channel 广播`` made: the script, and the audio if a voice exists."""

    script: Path
    audio: Path | None
    #: Why there is no audio (one sentence), when there is none.
    no_audio: str = ""


def broadcast_text(store: Store, notice_id: str) -> str:
    """The 广播稿: no tables, no ID or phone digits of persons, amounts and dates in words."""
    raise NotImplementedError


def export_broadcast(store: Store, notice_id: str, out: Path) -> Broadcast:
    """Write the 广播稿 as ``out`` (.txt or .docx) and, where a Chinese voice exists, a .wav."""
    raise NotImplementedError
