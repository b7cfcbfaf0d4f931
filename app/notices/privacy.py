"""Personal data that must not go on a wall: find it, say where it stands, mask it.

What counts, and how it is masked, follows 公示 practice: enough stays to tell
people apart (3401**********3012, 138****5678), nothing that lets a passer-by
use the number. Names, amounts, dates and document numbers (民发〔2021〕57号)
are not personal data here, and the township's own published phone numbers
(监督电话, 举报电话, office lines) are never masked.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from datetime import date

#: What the clerk reads for each kind of finding.
KINDS: dict[str, str] = {
    "id_card": "身份证号码",
    "old_id_card": "15位旧身份证号码",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "address": "详细住址",
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Digits glued to letters or other digits are part of something else (an
# account reference, a serial number), so every pattern is fenced on both sides.
_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z+])(?:(?:\+|00)?86[\s-]?)?"
    r"(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?![0-9A-Za-z])"
)
_CARD = re.compile(
    r"(?<![0-9A-Za-z])\d{4}(?:[\s-]?\d{4}){3}(?:[\s-]?\d{1,3})?(?![0-9A-Za-z])"
)
_PLACE = (r"[\u4e00-\u9fa5]{1,12}?"
          r"(?:省|自治区|市|州|盟|县|区|旗|乡|镇|街道|苏木|村|社区|居委会|嘎查)")
_ADDRESS = re.compile(
    rf"(?:{_PLACE}){{1,6}}"
    r"(?:[\u4e00-\u9fa5\d]{1,10}?(?:组|队|屯|路|街|巷|弄|道|里))?"
    r"[\u4e00-\u9fa5]{0,6}?\d+(?:-\d+)*(?:号|栋|幢|单元|楼|室|户)"
    r"(?:\d+(?:-\d+)*(?:号|栋|幢|单元|楼|室|户))*"
)
_KEEP_UP_TO = re.compile(r".*(?:村|社区|居委会|嘎查|镇|乡|街道|苏木)")


@dataclass(frozen=True)
class Finding:
    """One piece of personal data, where it stands, and what it becomes when masked."""

    kind: str
    start: int
    end: int
    text: str
    masked: str

    @property
    def label(self) -> str:
        """The kind in the clerk's words."""
        return KINDS[self.kind]

    def to_json(self) -> dict[str, object]:
        """As JSON for ``notice check --json``."""
        return asdict(self) | {"label": self.label}


def valid_id18(number: str) -> bool:
    """Whether an 18-character ID number has a real birth date and a right check digit."""
    if len(number) != 18 or not number[:17].isdigit() or number[0] in "09":
        return False
    if not _valid_birth(number[6:14]):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def plausible_id18(number: str) -> bool:
    """Whether 18 characters read as an ID number, its check digit aside."""
    return (len(number) == 18 and number[:17].isdigit() and number[0] in "12345678"
            and _valid_birth(number[6:14]))


def valid_id15(number: str) -> bool:
    """Whether a 15-digit (pre-1999) ID number has a real birth date in 19YY."""
    return len(number) == 15 and number.isdigit() and number[0] not in "09" and \
        _valid_birth("19" + number[6:12])


def _valid_birth(text: str) -> bool:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def luhn(number: str) -> bool:
    """The Luhn check every UnionPay debit and credit card number passes."""
    digits = [int(d) for d in number]
    total = 0
    for n, digit in enumerate(reversed(digits)):
        if n % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _mask_middle(text: str, keep_start: int, keep_end: int) -> str:
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[-keep_end:]


def find_personal_data(text: str, published_phones: tuple[str, ...] = ()) -> list[Finding]:
    """Every piece of personal data in ``text``, in reading order, none overlapping.

    ``published_phones`` are numbers the township prints on purpose (监督电话 …);
    they are compared digit for digit, so ``0551-1234 5678`` matches ``055112345678``.
    """
    allowed = {_digits(p)[-11:] for p in published_phones if _digits(p)}
    found: list[Finding] = []
    starts: list[int] = []  # sorted, with ``ends`` alongside: spans never overlap
    ends: list[int] = []

    def add(kind: str, start: int, end: int, masked: str) -> None:
        # Earlier kinds win a contested span (an ID is not also a card number).
        at = bisect.bisect_left(starts, start)
        if at > 0 and ends[at - 1] > start or at < len(starts) and starts[at] < end:
            return
        starts.insert(at, start)
        ends.insert(at, end)
        found.append(Finding(kind, start, end, text[start:end], masked))

    for m in _ID18.finditer(text):
        # A number with a wrong check digit is still somebody's ID, mistyped: a
        # real area digit and birth date are enough to keep it off the wall.
        if valid_id18(m.group(0)) or plausible_id18(m.group(0)):
            add("id_card", m.start(), m.end(), _mask_middle(m.group(0), 4, 4))
    for m in _ID15.finditer(text):
        if valid_id15(m.group(0)):
            add("old_id_card", m.start(), m.end(), _mask_middle(m.group(0), 4, 4))
    for m in _CARD.finditer(text):
        number = _digits(m.group(0))
        if 16 <= len(number) <= 19 and luhn(number) and not plausible_id18(number):
            add("bank_card", m.start(), m.end(), _mask_middle(number, 4, 4))
    for m in _MOBILE.finditer(text):
        number = "".join(m.groups())
        if number in allowed:
            continue
        add("mobile", m.start(), m.end(), f"{number[:3]}****{number[-4:]}")
    for m in _ADDRESS.finditer(text):
        place = _KEEP_UP_TO.match(m.group(0))
        kept = place.group(0) if place else ""
        if len(kept) == len(m.group(0)):
            continue
        add("address", m.start(), m.end(), kept + "****")
    found.sort(key=lambda f: f.start)
    return found


def mask(text: str, findings: list[Finding] | None = None,
         published_phones: tuple[str, ...] = ()) -> str:
    """``text`` with every finding replaced by its masked form."""
    if findings is None:
        findings = find_personal_data(text, published_phones)
    out, last = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        out.append(text[last:f.start])
        out.append(f.masked)
        last = f.end
    out.append(text[last:])
    return "".join(out)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset, to show a finding where it stands."""
    return lines_and_columns(text, [offset])[0]


def lines_and_columns(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """:func:`line_and_column` for many offsets, in one pass over the text.

    A 3,000-line 名单 has thousands of findings; finding each line afresh
    would scan the text once per finding.
    """
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = []
    for offset in offsets:
        line = bisect.bisect_right(starts, offset)
        out.append((line, offset - starts[line - 1] + 1))
    return out
