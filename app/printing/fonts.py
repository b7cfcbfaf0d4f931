"""Which font file prints each part of a sheet: the system's official faces, or ours.

Official papers use 方正小标宋 for titles, 仿宋_GB2312 for body text, 黑体 for
headings and 楷体 for signatures. Where the PC has them (or Windows' SimSun,
FangSong, SimHei, KaiTi) we use them; otherwise bundled open faces of the same
kinds print (resources/fonts/README.md says which and why): Noto Serif SC Bold
for the title, Fandol 仿宋 for the body, WenQuanYi Micro Hei for headings and
Fandol 楷体 for the signature. A character a role's face lacks prints in the
first :data:`FALLBACK` face that has it, so a 生僻字 in a name is never dropped.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from resources import RESOURCES

FONTS_DIR = RESOURCES / "fonts"
#: The bundled 黑体: it holds all of GBK, so screens use it too.
BUNDLED = FONTS_DIR / "wqy-microhei.ttc"


@dataclass(frozen=True)
class Face:
    """A font file (and the face inside a collection) for one role, with its family name."""

    role: str
    path: Path
    subfont: int = 0
    family: str = ""

    @property
    def bundled(self) -> bool:
        """Whether this is one of our own faces rather than the system's."""
        return self.path.parent == FONTS_DIR


#: Bundled face per role: file and the family name Word, WPS and Qt know it by.
BUNDLED_ROLES: dict[str, tuple[str, str]] = {
    "title": ("NotoSerifSC-Bold-gb.ttf", "Noto Serif CJK SC"),
    "body": ("FandolFang-Regular.ttf", "FandolFang R"),
    "heading": ("wqy-microhei.ttc", "WenQuanYi Micro Hei"),
    "sign": ("FandolKai-Regular.ttf", "FandolKai"),
}

#: System files to look for, per role, best first, with their family names.
CANDIDATES: dict[str, tuple[tuple[str, str], ...]] = {
    "title": (("FZXBSJW.TTF", "方正小标宋简体"), ("方正小标宋简体.ttf", "方正小标宋简体"),
              ("FZXiaoBiaoSong-B05S.ttf", "方正小标宋简体"), ("simsun.ttc", "宋体"),
              ("SimSun.ttf", "宋体")),
    "body": (("仿宋_GB2312.ttf", "仿宋_GB2312"), ("FangSong_GB2312.ttf", "仿宋_GB2312"),
             ("simfang.ttf", "仿宋"), ("FangSong.ttf", "仿宋")),
    "heading": (("simhei.ttf", "黑体"), ("SimHei.ttf", "黑体"), ("黑体.ttf", "黑体")),
    "sign": (("simkai.ttf", "楷体"), ("KaiTi.ttf", "楷体"), ("楷体_GB2312.ttf", "楷体_GB2312")),
}

#: Bundled faces for the characters a role's face lacks, tried in this order
#: glyph by glyph: Hanazono Mincho for the rest of the basic block and
#: Extension A, its second file for Extensions B–F, BabelStone Han for what
#: Hanazono lacks (Extensions G and H); then the bundled title and 黑体 faces
#: for symbols the Fandol faces lack.
FALLBACK: tuple[Face, ...] = (
    Face("fallback", FONTS_DIR / "HanaMinA-ext.ttf", family="HanaMinA"),
    Face("fallback", FONTS_DIR / "HanaMinB.ttf", family="HanaMinB"),
    Face("fallback", FONTS_DIR / "BabelStoneHan-ext.ttf", family="BabelStone Han"),
    Face("fallback", FONTS_DIR / BUNDLED_ROLES["title"][0], family=BUNDLED_ROLES["title"][1]),
    Face("fallback", BUNDLED, family=BUNDLED_ROLES["heading"][1]),
)


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


def bundled_face(role: str) -> Face:
    """The bundled face for ``role``."""
    name, family = BUNDLED_ROLES[role]
    return Face(role, FONTS_DIR / name, family=family)


def choose_faces(dirs: list[Path] | None = None) -> dict[str, Face]:
    """The face for each role: a system one by the official name, or the bundled one.

    Only TrueType outlines are candidates, because the PDF must embed a subset
    of every face it uses.
    """
    available = _index(font_dirs() if dirs is None else dirs)
    faces = {}
    for role, names in CANDIDATES.items():
        found = next(((available[n.lower()], family) for n, family in names
                      if n.lower() in available), None)
        faces[role] = Face(role, found[0], family=found[1]) if found else bundled_face(role)
    return faces


@lru_cache(maxsize=1)
def system_faces() -> dict[str, Face]:
    """:func:`choose_faces` read once per process (the editor asks on every pause in typing)."""
    return choose_faces()


def bundled_faces() -> dict[str, Face]:
    """The bundled face for every role (for reproducible output)."""
    return {role: bundled_face(role) for role in CANDIDATES}


def bundled_files() -> list[Path]:
    """Every bundled font file, role faces and fallbacks (for the screen to register)."""
    files = [bundled_face(role).path for role in BUNDLED_ROLES]
    files += [f.path for f in FALLBACK if f.path not in files]
    return files
