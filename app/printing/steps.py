"""The steps of a procedure, read from how a clerk writes them, for drawing as a flow.

「申请→审核→公示→发放」 and 「第一步……第二步……」 are steps wherever they
are written. Numbered items (「1. … 2. …」, 「（1）…（2）…」, 「①…②…」) are
steps only in a section about how to apply: under 「要带什么材料」 they are a
list of papers, and arrows between papers would mislead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

#: Words in a section heading that make its numbered items the steps of a procedure.
PROCEDURE_WORDS = ("办理", "流程", "程序", "步骤", "怎么办", "如何办", "申请方式", "申领",
                   "办事")

_ARROW = re.compile(r"\s*(?:→|->|—>|－>|－＞|⟶|➔|➜|➡|⇒|=>)\s*")
#: Where the words before a flow end and the first step begins.
_LEAD_END = re.compile(r"[：。；;\n]|:(?!//|\d)")  # not the colon of https:// or 8:30
#: Where the last step ends and the words after the flow begin.
_TAIL_START = re.compile(r"[。；;\n]")
_TRIM = "，,；;。、 \t\r\n\u3000"
_NUMERALS = "一二三四五六七八九十"


def _chinese(n: int) -> str:
    """1…99 in Chinese numerals (一, 十, 十一, 二十三)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return head + (_NUMERALS[ones - 1] if ones else "")


def _circled(n: int) -> str:
    """①…⑳ (an empty pattern past 20, which stops the count)."""
    return re.escape(chr(0x2460 + n - 1)) if n <= 20 else "(?!)"


#: Numbering styles: the pattern of item ``n``, and whether it counts only in a
#: section about how to apply. Arabic items must follow a break, so that
#: 「每月700元」 or 「共2、3项」 inside a sentence is never taken for a step.
_STYLES: tuple[tuple[Callable[[int], str], bool], ...] = (
    (lambda n: rf"第(?:{_chinese(n)}|{n})步[：:、，,.．]?", False),
    (lambda n: rf"[（(](?:{n}|{_chinese(n)})[）)]", True),
    (_circled, True),
    (lambda n: rf"(?:^|(?<=[\s：:。；;，,])){n}\s*[.．、)）](?!\d)", True),
)


@dataclass(frozen=True)
class Flow:
    """A section's text as a flow: the words before it, the steps, the words after."""

    lead: str
    steps: tuple[str, ...]
    tail: str


def is_procedure(heading: str) -> bool:
    """Whether a section heading is about how to apply (its numbered items are steps)."""
    return any(word in heading for word in PROCEDURE_WORDS)


def find_flow(text: str, procedure: bool = False) -> Flow | None:
    """The steps ``text`` lists, or None when it lists fewer than two.

    ``procedure`` says the text is a section about how to apply, where
    numbered items are steps too. Nothing is dropped but the arrows, the
    numbers and the punctuation between steps.
    """
    found = [f for f in (_arrow_flow(text), *(_numbered_flow(text, style)
                         for style, needs in _STYLES if procedure or not needs)) if f]
    return max(found, key=lambda f: len(f.steps)) if found else None


def _split_tail(last: str) -> tuple[str, str]:
    """The last step and the words after it (after its first full stop or line end)."""
    body = last.lstrip(_TRIM).rstrip()
    end = _TAIL_START.search(body)
    if end is None or not body[end.end():].strip(_TRIM):
        return body.strip(_TRIM), ""
    return body[:end.start()].strip(_TRIM), body[end.end():].lstrip(_TRIM)


def _made(lead: str, steps: list[str], last: str) -> Flow | None:
    step, tail = _split_tail(last)
    steps = [s for s in (*steps, step) if s]
    return Flow(lead.strip(), tuple(steps), tail) if len(steps) >= 2 else None


def _arrow_flow(text: str) -> Flow | None:
    parts = _ARROW.split(text)
    if len(parts) < 2:
        return None
    first = parts[0]
    breaks = list(_LEAD_END.finditer(first))
    cut = breaks[-1].end() if breaks else 0
    lead, first_step = first[:cut], first[cut:]
    middle = [p.strip(_TRIM) for p in [first_step, *parts[1:-1]]]
    return _made(lead, middle, parts[-1])


def _numbered_flow(text: str, pattern: Callable[[int], str]) -> Flow | None:
    marks: list[re.Match[str]] = []
    at = 0
    while len(marks) < 50:
        found = re.compile(pattern(len(marks) + 1)).search(text, at)
        if found is None:
            break
        marks.append(found)
        at = found.end()
    if len(marks) < 2:
        return None
    steps = [text[a.end():b.start()].strip(_TRIM) for a, b in zip(marks, marks[1:], strict=False)]
    return _made(text[:marks[0].start()], steps, text[marks[-1].end():])
