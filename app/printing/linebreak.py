"""Where Chinese text may break into lines, and how a title breaks into balanced lines.

Pure text logic (no reportlab, no Qt): every function takes a ``measure(text)``
that says how wide a string prints, so tests drive it with one unit a character
and the renderers with the real face.

Body text. Text is cut into *units* that never break: a run of Latin letters
or digits, a 发文字号 〔2021〕57号 (its 机关代字 民发 may end the line
before), a date 2026年11月20日, a phone number
0551-62345678 or 138 1234 5678, an amount with its unit 1,260元 / 3.5万元 /
500元/月 / 5%, a 破折号 —— or 省略号 ……, else one character. Then the
避头尾 rules of resources/typesetting.toml glue them: a character that must
not open a line (。，、；：？！）》」』〕 …) joins the unit before it, one that
must not close a line (（《「『〔 …) joins the unit after it. Lines are filled
greedily; a unit that overflows the line only because of the closing stops
glued to it may stay when the overflow is within ``squeeze`` (the renderer
tightens that line's spacing, 挤压, instead of pushing a whole 文号 down).
A unit wider than a whole line is the one thing ever split.

Titles (GB/T 9704—2012 7.3.1: 词意完整，排列对称，梯形或菱形). The rule:

1. fewest lines that fit the width;
2. breaks only between words: never inside a unit above, nor inside a word of
   the title word list, never after 关于 / 对于 / 有关, never before 的 / 之;
3. no line under three characters;
4. among those, the least cost, where cost (in character widths) is the
   spread (widest line minus narrowest) plus a shape term: 0 for a top-heavy
   trapezoid (倒梯形) or a diamond (菱形), ½ for a bottom-heavy trapezoid
   (正梯形), 1 for lines of equal width (长方形), 3 for an hourglass (沙漏形)
   or a zigzag, plus 3 for each break next to a character the word list does
   not know on either side (inside a place name, say), so an unknown word is
   kept whole unless that costs more than three characters of balance.

The phrase 关于…的 is not kept whole: in almost every title it is most of the
title, so it has to break; rule 2 keeps its edges tidy.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from resources import RESOURCES

Measure = Callable[[str], float]
RULES_FILE = RESOURCES / "typesetting.toml"

#: Widths within this much count as equal (measures are in points or characters).
_EPS = 1e-6


@dataclass(frozen=True)
class Rules:
    """The line-breaking facts of resources/typesetting.toml."""

    no_line_start: frozenset[str]
    no_line_end: frozenset[str]
    units: tuple[str, ...]
    title_words: frozenset[str]
    title_no_line_end: tuple[str, ...]
    title_no_line_start: tuple[str, ...]
    title_min_chars: int


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The rules, read once per process."""
    with open(RULES_FILE, "rb") as file:
        data = tomllib.load(file)
    title = data["title"]
    return Rules(frozenset(data["line_start"]["no"]), frozenset(data["line_end"]["no"]),
                 tuple(sorted(data["units"]["after_number"], key=len, reverse=True)),
                 frozenset(title["words"]), tuple(title["no_line_end"]),
                 tuple(title["no_line_start"]), int(title["min_chars"]))


@lru_cache(maxsize=1)
def _unit_pattern() -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in rules().units)
    number = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    parts = [
        # 发文字号. Its 机关代字 (民发) may end the line before: glued on, the
        # whole 11-character citation would leave half a line of gaps behind it.
        r"[〔［\[]\d{4}[〕］\]]第?\d+号",
        r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日",  # dates
        r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}",
        r"(?:\+?86[- ]?)?(?:0\d{2,3}-\d{7,8}(?:-\d{1,6})?|1\d{2}[- ]\d{4}[- ]\d{4}"
        r"|[48]00-?\d{3}-?\d{4})",                               # phone numbers
        rf"{number}(?:{units})",                                  # amounts with a unit
        r"[A-Za-z0-9][A-Za-z0-9._:/@#%&=?+\-~]*",                # Latin, digits, web addresses
        r"—+|…+|·+",                                             # 破折号, 省略号
        r".",
    ]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.S)


def units(text: str) -> list[str]:
    """``text`` cut into pieces no line break may fall inside, 避头尾 glue included.

    Joined again they give back ``text``.
    """
    r = rules()
    out: list[str] = []
    for match in _unit_pattern().finditer(text):
        piece = match.group()
        if out and piece != "\n" and out[-1] != "\n" and (
                piece[0] in r.no_line_start or out[-1][-1] in r.no_line_end):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _squeezable(unit: str) -> str:
    """The part of ``unit`` before the closing marks glued to its end."""
    no_start = rules().no_line_start
    end = len(unit)
    while end > 1 and unit[end - 1] in no_start:
        end -= 1
    return unit[:end]


def break_lines(text: str, width: float, measure: Measure, indent: float = 0.0,
                squeeze: float = 0.0) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (the first ``indent`` narrower).

    A line may run over by up to ``squeeze`` when what runs over is closing
    punctuation glued to its last unit; a space at a break stays at the end of
    the line it follows (the renderer does not print it), and so does a
    newline, which always ends its line. The lines joined give back ``text``.
    """
    lines: list[str] = []
    line, used, room = "", 0.0, width - indent
    for unit in units(text):
        if unit == "\n":  # a forced break ends its line (and is not printed)
            lines.append(line + unit)
            line, used, room = "", 0.0, width
            continue
        size = measure(unit)
        if used + size <= room + _EPS or (line and unit.isspace()):
            line, used = line + unit, used + size
            continue
        if line and used + size <= room + squeeze + _EPS and \
                used + measure(_squeezable(unit)) <= room + _EPS:
            line, used = line + unit, used + size
            continue
        if line:
            lines.append(line)
            line, used, room = "", 0.0, width
        if size <= room + _EPS:
            line, used = unit, size
            continue
        no_start = rules().no_line_start
        for char in unit:  # wider than a whole line: the only unit ever split
            step = measure(char)
            if line and used + step > room + _EPS and char not in no_start:
                lines.append(line)
                line, used, room = "", 0.0, width
            line, used = line + char, used + step
    if line or not lines:
        lines.append(line)
    return lines


# --- titles ----------------------------------------------------------------------------

def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"


def title_breaks(text: str) -> dict[int, int]:
    """Where a title may break: position → 1 if the break falls inside unknown words, else 0.

    Position ``p`` breaks between ``text[p - 1]`` and ``text[p]``; positions
    that are missing may not break at all (inside a unit or a listed word,
    after 关于, before 的).
    """
    r = rules()
    known = [False] * len(text)
    closed: set[int] = set()  # positions inside a unit or a word
    pos = 0
    for unit in units(text):
        closed.update(range(pos + 1, pos + len(unit)))
        if len(unit) > 1 or not _is_han(unit):
            known[pos:pos + len(unit)] = [True] * len(unit)
        pos += len(unit)
    longest = max(map(len, r.title_words), default=1)
    pos = 0
    while pos < len(text):  # forward maximum matching over the word list
        size = next((n for n in range(min(longest, len(text) - pos), 1, -1)
                     if text[pos:pos + n] in r.title_words), 1)
        if size > 1 or text[pos] in r.title_words:
            closed.update(range(pos + 1, pos + size))
            known[pos:pos + size] = [True] * size
        pos += size
    out: dict[int, int] = {}
    for p in range(1, len(text)):
        if p in closed or text[:p].endswith(r.title_no_line_end) or \
                text[p:].startswith(r.title_no_line_start):
            continue
        # Inside a run of characters the list does not know (a place name, most often).
        out[p] = int(not known[p - 1] and not known[p] and _is_han(text[p - 1])
                     and _is_han(text[p]))
    return out


def _shape(widths: list[float], em: float) -> float:
    tiny = em * 0.01
    if max(widths) - min(widths) <= tiny:
        return 1.0  # 长方形
    if len(widths) == 2:
        return 0.5 if widths[0] < widths[1] - tiny else 0.0
    steps = [b - a for a, b in zip(widths, widths[1:], strict=False)]
    ups = [s > tiny for s in steps]
    downs = [s < -tiny for s in steps]
    if not any(ups):
        return 0.0  # 倒梯形
    if not any(downs):
        return 0.5  # 正梯形
    first_down = downs.index(True)
    if not any(ups[first_down:]):
        return 0.0  # 菱形: up, then down
    return 3.0  # 沙漏形 or zigzag


def title_cost(lines: list[str], measure: Measure, unknown: int = 0) -> float:
    """The cost of a title arrangement in character widths (the module docstring's rule 4)."""
    em = measure("国") or 1.0
    widths = [measure(line) for line in lines]
    if len(lines) == 1:
        return 3.0 * unknown
    return (max(widths) - min(widths)) / em + _shape(widths, em) + 3.0 * unknown


def balance_title(text: str, width: float, measure: Measure,
                  most_combinations: int = 50_000) -> list[str]:
    """``text`` as title lines no wider than ``width``, by the module docstring's rule.

    When no arrangement keeps to the rule (one enormous word, a width of a few
    characters) the title is broken as body text is.
    """
    if measure(text) <= width + _EPS:
        return [text]
    min_chars = rules().title_min_chars
    breaks = title_breaks(text)
    positions = sorted(breaks)
    fewest = max(2, math.ceil(measure(text) / max(width, _EPS) - _EPS))
    for count in range(fewest, min(len(text) // min_chars, fewest + 3) + 1):
        best: tuple[float, list[str]] | None = None
        choices = combinations(positions, count - 1)
        for n, cut in enumerate(choices):
            if n > most_combinations:
                break
            edges = (0, *cut, len(text))
            lines = [text[a:b] for a, b in zip(edges, edges[1:], strict=False)]
            if any(len(line) < min_chars or measure(line) > width + _EPS for line in lines):
                continue
            cost = title_cost(lines, measure, sum(breaks[p] > 0 for p in cut))
            if best is None or cost < best[0] - _EPS:
                best = (cost, lines)
        if best:
            return best[1]
    return break_lines(text, width, measure)
