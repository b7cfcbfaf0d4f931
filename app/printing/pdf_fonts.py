"""Faces registered with reportlab, and text split into runs each face can print.

A sheet names one face per role, but no single face holds every character of
Chinese names: a character the role's face lacks is printed, glyph by glyph,
in the first bundled fallback face that has it (:data:`app.printing.fonts.FALLBACK`).
Everything that lays text out for a PDF measures and marks it up through this
module, so the widths it computes are the widths that print.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from app.printing.fonts import FALLBACK, Face, system_faces

_registered: dict[tuple[str, int], str] = {}
_reportlab_cmap = ttfonts.makeToUnicodeCMap


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, with characters beyond the BMP as UTF-16 pairs.

    reportlab writes U+2C317 as the five digits <2C317>, which readers take as
    U+2C31: a 生僻字 prints right but copies, searches and reads aloud wrong
    (pdftotext gave 王ⰱ for 王𬌗). The PDF reference asks for UTF-16BE.
    """
    text = _reportlab_cmap(fontname, subset)
    for index, code in enumerate(subset):
        if code > 0xFFFF:
            text = text.replace(f"<{index:02X}> <{code:04X}>",
                                f"<{index:02X}> <{_utf16_hex(code)}>")
    return text


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def register(face: Face) -> str:
    """Register ``face`` with reportlab once and return the name to draw it with."""
    key = (str(face.path), face.subfont)
    if key not in _registered:
        name = f"gk{len(_registered)}"
        pdfmetrics.registerFont(TTFont(name, str(face.path), subfontIndex=face.subfont))
        _registered[key] = name
    return _registered[key]


@lru_cache(maxsize=32)
def _cmap(path: str, subfont: int) -> frozenset[int]:
    font = pdfmetrics.getFont(register(Face("", Path(path), subfont)))
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]  # TTFont only


def has_glyph(face: Face, char: str) -> bool:
    """Whether ``face`` draws ``char`` (spaces and controls count as drawn)."""
    code = ord(char)
    return code < 0x20 or char.isspace() or code in _cmap(str(face.path), face.subfont)


def face_for(char: str, face: Face) -> Face | None:
    """The face that prints ``char``: ``face`` itself, else the first fallback, else None."""
    if has_glyph(face, char):
        return face
    return next((f for f in FALLBACK if has_glyph(f, char)), None)


def runs(text: str, face: Face) -> list[tuple[Face, str]]:
    """``text`` cut into consecutive runs, each with the face that prints it.

    A character no bundled face has stays in ``face`` (it will print as the
    face's .notdef box); :func:`missing` names such characters so that the
    clerk is told before anything is printed.
    """
    out: list[tuple[Face, str]] = []
    for char in text:
        chosen = face_for(char, face) or face
        if out and out[-1][0] == chosen:
            out[-1] = (chosen, out[-1][1] + char)
        else:
            out.append((chosen, char))
    return out


def markup(text: str, face: Face) -> str:
    """``text`` as reportlab paragraph markup, fallback runs wrapped in ``<font>`` tags."""
    parts = []
    for chosen, run in runs(text, face):
        if chosen == face:
            parts.append(escape(run))
        else:
            parts.append(f'<font name="{register(chosen)}">{escape(run)}</font>')
    return "".join(parts)


def width(text: str, face: Face, size: float) -> float:
    """How wide ``text`` prints in ``face`` at ``size`` points, fallbacks included."""
    return sum(pdfmetrics.stringWidth(run, register(chosen), size)
               for chosen, run in runs(text, face))


def missing(text: str, faces: dict[str, Face] | None = None) -> list[str]:
    """The distinct characters of ``text`` that no face (role or fallback) can print."""
    primary = list((faces or system_faces()).values())
    seen: dict[str, None] = {}
    for char in text:
        if char in seen or char.isspace():
            continue
        if not any(has_glyph(f, char) for f in (*primary, *FALLBACK)):
            seen[char] = None
    return list(seen)


def unprintable_sentence(chars: list[str]) -> str:
    """One sentence naming characters no face has, with their code points."""
    named = "、".join(f"「{c}」（U+{ord(c):04X}）" for c in chars[:10])
    more = f"等 {len(chars)} 个字" if len(chars) > 10 else ""
    return (f"{named}{more}在本机和随附的字体中都没有字形，印出来会是空框："
            "请核对字形，或用造字、手写补上。")
