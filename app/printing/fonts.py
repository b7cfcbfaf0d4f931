"""Which font file prints each part of a sheet: the system's official faces, or ours.

Official papers use 方正小标宋 for titles, 仿宋_GB2312 for body text, 黑体 for
headings and 楷体 for signatures. Where the PC has them (or Windows' SimSun,
FangSong, SimHei, KaiTi) we use them; otherwise the bundled WenQuanYi Micro
Hei prints everything, so a PC with no Chinese fonts still prints Chinese.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from resources import RESOURCES

BUNDLED = RESOURCES / "fonts" / "wqy-microhei.ttc"

#: File names to look for, per role, best first.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "title": ("FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXiaoBiaoSong-B05S.ttf", "simsun.ttc",
              "SimSun.ttf"),
    "body": ("仿宋_GB2312.ttf", "FangSong_GB2312.ttf", "simfang.ttf", "FangSong.ttf"),
    "heading": ("simhei.ttf", "SimHei.ttf", "黑体.ttf"),
    "sign": ("simkai.ttf", "KaiTi.ttf", "楷体_GB2312.ttf"),
}


@dataclass(frozen=True)
class Face:
    """A font file (and the face inside a collection) for one role."""

    role: str
    path: Path
    subfont: int = 0

    @property
    def bundled(self) -> bool:
        """Whether this is our own fallback face."""
        return self.path == BUNDLED


def font_dirs() -> list[Path]:
    """Where the operating system keeps fonts."""
    if sys.platform.startswith("win"):
        return [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
                Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
            Path.home() / ".local" / "share" / "fonts", Path.home() / ".fonts",
            Path("/Library/Fonts"), Path("/System/Library/Fonts")]


def _index(dirs: list[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in dirs:
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.suffix.lower() in (".ttf", ".ttc"):
                    found.setdefault(path.name.lower(), path)
    return found


def choose_faces(dirs: list[Path] | None = None) -> dict[str, Face]:
    """The face for each role: a system one by the official name, or the bundled one.

    Only TrueType outlines are candidates, because the PDF must embed a subset
    of every face it uses.
    """
    available = _index(font_dirs() if dirs is None else dirs)
    faces = {}
    for role, names in CANDIDATES.items():
        path = next((available[n.lower()] for n in names if n.lower() in available), None)
        faces[role] = Face(role, path) if path else Face(role, BUNDLED)
    return faces


#: Bundled faces for the characters a role's face lacks (生僻字 in the CJK
#: extensions, common in names), tried in this order glyph by glyph.
FALLBACK: tuple[Face, ...] = ()


def bundled_faces() -> dict[str, Face]:
    """The bundled face for every role (for reproducible output)."""
    return {role: Face(role, BUNDLED) for role in CANDIDATES}
