"""Read a catalog's 公开时限 text into the ``rule`` of CONTRACT.md.

The catalogs word their limits freely (``自信息形成或者变更之日起20个工作日内``,
``经人大批准后二十日内``, ``每季度``, ``及时公开，公示期不少于7天``). We recognise the
forms that carry a countable meaning and leave everything else as ``unknown``:
a guessed deadline is worse than none, because the clerk would trust it.
"""

from __future__ import annotations

import re
from typing import Any

from app.facts import PERIODS, PUBLICITY_UNITS, squash

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[〇零一二两三四五六七八九十]+(?=个|日|天|工作日|周|星期)")
#: The same, and a month's number too (三月底前), for the plan of the year.
_CN_NUMBER_MONTHS = re.compile(r"[〇零一二两三四五六七八九十]+(?=个|日|天|工作日|周|星期|月)")


def chinese_number(text: str) -> int:
    """Value of a small Chinese numeral (``七`` 7, ``十五`` 15, ``二十`` 20, ``三十`` 30)."""
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    tens, _, ones = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def arabic_numerals(text: str, months: bool = False) -> str:
    """``text`` with the small Chinese numerals of counts (and, with ``months``, of months)
    written in digits: ``二十个工作日`` → ``20个工作日``, ``三月底`` → ``3月底``."""
    pattern = _CN_NUMBER_MONTHS if months else _CN_NUMBER
    return pattern.sub(lambda m: str(chinese_number(m.group(0))), text)


_PUBLICITY = re.compile(
    r"公示(?:期|时间|期限)?(?:为|是|应|需|须)?(?:不少于|不得少于|不低于|至少|不短于)?"
    r"(\d+)(个工作日|工作日|个自然日|自然日|日|天|周|个星期|星期)"
)
_WORKDAYS = re.compile(r"(\d+)个?工作日")
_DAYS = re.compile(r"(\d+)个?(?:自然)?(?:日|天)(?:内|以内|之内)")
_PERIODIC = (
    ("quarter", re.compile(r"季度|每季|按季")),
    ("month", re.compile(r"每月|按月|月度")),
    ("half", re.compile(r"每半年|半年度|按半年")),
    ("year", re.compile(r"每年|年度|按年|年初|年底|年末|每一年")),
)
_IMMEDIATE = re.compile(r"及时|实时|即时|适时|随时|第一时间")
_CONTINUOUS = re.compile(r"长期|常态|持续|常年")


def _publicity(text: str) -> tuple[dict[str, Any] | None, str]:
    match = _PUBLICITY.search(text)
    if not match:
        return None, text
    n, unit = int(match.group(1)), match.group(2)
    if "工作日" in unit:
        rule = {"n": n, "unit": "workdays"}
    elif unit in ("周", "个星期", "星期"):
        rule = {"n": n * 7, "unit": "days"}
    else:
        rule = {"n": n, "unit": "days"}
    return rule, text[: match.start()] + "；" + text[match.end():]


def parse_time_limit(text: str) -> dict[str, Any]:
    """Parse a 公开时限 text into ``{"kind": …, "publicity": …}`` (CONTRACT.md).

    >>> parse_time_limit("制定或获取信息之日起10个工作日内，公示7个工作日")
    {'kind': 'workdays', 'n': 10, 'publicity': {'n': 7, 'unit': 'workdays'}}
    >>> parse_time_limit("经人大批准后二十日内")["n"]
    20
    """
    plain = arabic_numerals(squash(text or ""))
    publicity, rest = _publicity(plain)
    if match := _WORKDAYS.search(rest):
        return {"kind": "workdays", "n": int(match.group(1)), "publicity": publicity}
    if match := _DAYS.search(rest):
        return {"kind": "days", "n": int(match.group(1)), "publicity": publicity}
    for period, pattern in _PERIODIC:
        if pattern.search(rest):
            return {"kind": "periodic", "period": period, "publicity": publicity}
    if _IMMEDIATE.search(rest):
        return {"kind": "immediate", "publicity": publicity}
    if _CONTINUOUS.search(rest):
        return {"kind": "continuous", "publicity": publicity}
    return {"kind": "unknown", "publicity": publicity}


def describe_rule(rule: dict[str, Any] | None) -> str:
    """The rule in the clerk's words, e.g. ``20个工作日内；公示期7个工作日``."""
    if not rule:
        return "未能识别"
    kind = rule.get("kind")
    if kind == "workdays":
        text = f"{rule['n']}个工作日内"
    elif kind == "days":
        text = f"{rule['n']}日内（自然日）"
    elif kind == "periodic":
        text = PERIODS.get(rule.get("period", ""), "定期")
    elif kind == "immediate":
        text = "及时公开"
    elif kind == "continuous":
        text = "长期公开"
    else:
        text = "未能识别，请按原文办理"
    pub = rule.get("publicity")
    if pub:
        text += f"；公示期{pub['n']}{PUBLICITY_UNITS.get(pub['unit'], '天')}"
    return text
