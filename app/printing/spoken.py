"""Numbers as a listener hears them: integers, amounts, dates, percentages, phone numbers.

The readings are those of resources/broadcast.toml: 1,234.50元 → 一千二百三十四元五角,
2026-11-23 → 二〇二六年十一月二十三日, 12.5% → 百分之十二点五,
0551-62345678 → 零五五一，六二三四，五六七八. :func:`speak_numbers` rewrites every
number left in a sentence; what is personal data is taken out before (app/printing/broadcast.py).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from resources import RESOURCES

RULES = RESOURCES / "broadcast.toml"
#: Integers read as words up to this (below 一亿亿); longer runs of digits are read digit by digit.
MAX_INTEGER = 10 ** 16 - 1
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


@dataclass(frozen=True)
class Rules:
    """The reading rules of resources/broadcast.toml."""

    count: tuple[str, ...]
    year: tuple[str, ...]
    phone: tuple[str, ...]
    small: tuple[str, ...]
    large: tuple[str, ...]
    point: str
    minus: str
    percent: str
    yuan: str
    jiao: str
    fen: str
    big_money: tuple[str, ...]
    data: dict[str, Any]


@cache
def rules() -> Rules:
    """The shipped reading rules."""
    data: dict[str, Any] = tomllib.loads(RULES.read_text(encoding="utf-8"))
    d, u, m = data["digits"], data["units"], data["money"]
    return Rules(tuple(d["count"]), tuple(d["year"]), tuple(d["phone"]), tuple(u["small"]),
                 tuple(u["large"]), u["point"], u["minus"], u["percent"], m["yuan"],
                 m["jiao"], m["fen"], tuple(m["big"]), data)


def integer_words(n: int) -> str:
    """An integer as read aloud: 0 → 零, 15 → 十五, 1005 → 一千零五, 10**12 → 一万亿.

    Above 一万 the number splits at 亿, then at 万: 一万二千亿, 一亿零一万; one 零
    stands for any run of empty places between two read digits; a leading 一十
    is read 十 (十五, 十万), inside a number it stays (一百一十).
    """
    r = rules()
    if n < 0:
        return r.minus + integer_words(-n)
    if n > MAX_INTEGER:
        raise ValueError(f"{n} is beyond {MAX_INTEGER}")
    if n == 0:
        return r.count[0]
    words = _read(n)
    prefix = r.count[1] + r.small[1]
    return words[1:] if words.startswith(prefix) else words


def _read(n: int) -> str:
    r = rules()
    for level in range(len(r.large) - 1, 0, -1):
        unit = 10 ** (4 * level)
        if n >= unit:
            high, low = divmod(n, unit)
            out = _read(high) + r.large[level]
            if low:
                out += (r.count[0] if low < unit // 10 else "") + _read(low)
            return out
    out, zero = "", False
    for place in range(3, -1, -1):
        digit = n // 10 ** place % 10
        if digit == 0:
            zero = zero or bool(out)
        else:
            out += (r.count[0] if zero else "") + r.count[digit] + r.small[place]
            zero = False
    return out


def digit_words(digits: str, table: tuple[str, ...] | None = None) -> str:
    """Digits one by one (二〇二六 for a year with the year table, 零五五一 for a phone)."""
    table = table or rules().count
    return "".join(table[int(c)] for c in digits if c.isdigit())


def decimal_words(text: str) -> str:
    """A number with a fraction: 3.5 → 三点五, 0.25 → 零点二五, 1,200.5 → 一千二百点五."""
    r = rules()
    whole, _, fraction = text.replace(",", "").partition(".")
    words = integer_words(int(whole or "0")) if len(whole) <= 16 else digit_words(whole)
    return words + (r.point + digit_words(fraction) if fraction else "")


def amount_words(text: str) -> str:
    """A sum in 元 written in figures (commas allowed): 1,234.50 → 一千二百三十四元五角.

    An amount under one 元 starts at its 角 (0.5 → 五角); 12.05 → 十二元零五分.
    """
    r = rules()
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    cents = int((value * 100).to_integral_value())
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    out = integer_words(yuan) + r.yuan if yuan or not (jiao or fen) else ""
    if jiao:
        out += r.count[jiao] + r.jiao
    elif fen and yuan:
        out += r.count[0]
    if fen:
        out += r.count[fen] + r.fen
    return out


def date_words(year: int | None, month: int | None = None, day: int | None = None) -> str:
    """二〇二六年十一月二十三日, or the parts given (十一月二十三日, 二〇二六年十一月)."""
    out = digit_words(str(year), rules().year) + "年" if year is not None else ""
    if month is not None:
        out += integer_words(month) + "月"
    if day is not None:
        out += integer_words(day) + "日"
    return out


def phone_words(number: str) -> str:
    """A phone number digit by digit, a pause (，) between its groups.

    Groups are as printed (0551-62345678 → 零五五一，六二三四，五六七八); an
    unbroken run is cut as people say it: area code, then fours; a mobile 3-4-4.
    """
    r = rules()
    extension = ""
    match = re.search(r"\s*(?:转|分机|[Ee][Xx][Tt]\.?|[Xx])\s*(\d+)$", number)
    if match:
        extension = "转" + digit_words(match.group(1), r.phone)
        number = number[: match.start()]
    pieces = [p for p in re.split(r"[^\d]+", number) if p]
    groups: list[str] = []
    for piece in pieces:
        groups.extend(_phone_groups(piece))
    words = "，".join(digit_words(g, r.phone) for g in groups)
    return words + ("，" + extension if extension else "")


def _phone_groups(digits: str) -> list[str]:
    if len(digits) <= 5:
        return [digits]
    if len(digits) == 11 and digits.startswith("1"):
        return [digits[:3], digits[3:7], digits[7:]]
    if digits.startswith("0") and len(digits) >= 10:
        area = 3 if digits[1] in "12" else 4  # 010, 020…029 have three digits; others four
        return [digits[:area], *_fours(digits[area:])]
    return _fours(digits)


def _fours(digits: str) -> list[str]:
    if len(digits) <= 4:
        return [digits]
    if len(digits) == 7:
        return [digits[:3], digits[3:]]
    return [digits[:4], *_fours(digits[4:])]


# --- numbers inside sentences --------------------------------------------------------------

_YMD = re.compile(r"(?<!\d)(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})"
                  r"(?:\s*日|号)?(?![\d.])")
_YM = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_MD = re.compile(r"(?<![\d.])(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号)")
_YEAR = re.compile(r"(?<![\d.])(?<!\d,)(\d{4})\s*(?=年)")
_BRACKET_YEAR = re.compile(r"([〔\[［(（])\s*(\d{4})\s*([〕\]］)）])")
_TIME = re.compile(r"(?<![\d.])([01]?\d|2[0-4])\s*[:：]\s*([0-5]\d)(?!\d)")
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PERCENT = re.compile(rf"(?<![\d.])(?<!\d,)({_NUMBER})\s*[%％]")
_MONEY = re.compile(rf"(?<![\d.])(?<!\d,)({_NUMBER})\s*(万|亿)?\s*(?=元)元")
_DECIMAL = re.compile(rf"(?<![\d.])(?<!\d,)({_NUMBER})")


def _date(m: re.Match[str]) -> str:
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0)
    return date_words(year, month, day)


def _money(m: re.Match[str]) -> str:
    number, big = m.group(1), m.group(2)
    if big:
        return decimal_words(number) + big + rules().yuan
    return amount_words(number)


def _number(m: re.Match[str]) -> str:
    text = m.group(1)
    if "." in text or "," in text:
        return decimal_words(text)
    if len(text) > 1 and text.startswith("0") or len(text) > 16:
        return digit_words(text)  # a code or serial, not a count
    return integer_words(int(text))


def speak_numbers(text: str) -> str:
    """``text`` with every number written in figures rewritten as it is read aloud.

    Phone numbers and personal data should be dealt with before: what is left
    here is dates, times, amounts, percentages, counts and codes.
    """
    text = text.translate(_FULL_WIDTH)
    text = _YMD.sub(_date, text)
    text = _YM.sub(lambda m: date_words(int(m.group(1)), int(m.group(2)))
                   if 1 <= int(m.group(2)) <= 12 else m.group(0), text)
    text = _MD.sub(lambda m: date_words(None, int(m.group(1)), int(m.group(2)))
                   if 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31
                   else m.group(0), text)
    text = _BRACKET_YEAR.sub(lambda m: m.group(1) + digit_words(m.group(2), rules().year)
                             + m.group(3), text)
    text = _YEAR.sub(lambda m: digit_words(m.group(1), rules().year), text)
    text = _TIME.sub(lambda m: integer_words(int(m.group(1))) + "点"
                     + (integer_words(int(m.group(2))) + "分" if int(m.group(2)) else "整"),
                     text)
    text = _PERCENT.sub(lambda m: rules().percent + decimal_words(m.group(1)), text)
    text = _MONEY.sub(_money, text)
    measures = "".join(rules().data["units"]["liang"])
    text = re.sub(rf"(?<![\d.第])2(?=[{measures}])", rules().data["units"]["two"], text)
    text = _DECIMAL.sub(_number, text)
    # What no pattern took (a digit after a stray point, .5) is still read, one digit at a time.
    return re.sub(r"\d", lambda m: digit_words(m.group(0)), text)
