"""What counts as a phone number the township publishes: one rule for 设置, the CLI and print.

Clerks write numbers the way they are printed on the township's letterhead:
``0531-8765 4321``, ``(0531)87654321``, ``（0531）8765-4321``, ``138 0013 8000``,
``0551-62345678转801``, ``400-123-4567``, ``12345``. The rule accepts those shapes
and keeps the number as typed; only runs of spaces (full-width ones too) become
one space, and full-width digits (typed with a Chinese input method in
full-width mode) become ordinary ones, so the number prints the way it was meant.

The privacy check compares numbers digit for digit
(:func:`app.notices.privacy.find_personal_data`), so keeping the clerk's spacing
does not stop a published number from being recognised in a notice's text.
"""

from __future__ import annotations

import re

from app.errors import UserError

_SPACES = re.compile(r"\s+")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# One optional separator between groups of digits: a space or a dash of any width.
_SEP = r"[ \-－—–]?"
_AREA = r"(?:0\d{2,3}|\(0\d{2,3}\)|（0\d{2,3}）)"
#: A local number of 7 or 8 digits, possibly split once (8765 4321, 876-5432); local
#: numbers never begin with 0, so 0531-8765 is an area code and half a number.
_LOCAL = rf"(?:[1-9]\d{{2,3}}{_SEP}\d{{4}})"
#: 转801, 分机801, ext.801, x801, or a dash and a short number after a full landline.
_EXTENSION = r"(?: ?(?:转|分机|[Ee][Xx][Tt]\.?|[Xx]) ?\d{1,6}|[\-－—–]\d{1,6})"
#: Service numbers: 12345 (市民热线), 12315, 12348, 110, 95598 and the like.
_SHORT = r"(?:1\d{2}|1\d{4}|9[56]\d{3,6})"
_SHAPES = (
    # Landline with area code, optional extension.
    rf"{_AREA}{_SEP}{_LOCAL}{_EXTENSION}?",
    # Landline without area code (the county's own numbers often are printed so).
    rf"{_LOCAL}{_EXTENSION}?",
    # Mobile, with or without +86.
    rf"(?:(?:\+|00)?86{_SEP})?1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}",
    # 400 / 800 hotlines: 400-123-4567, 4001234567, 400 123 4567.
    rf"[48]00{_SEP}\d{{3}}{_SEP}\d{{4}}{_EXTENSION}?",
    # Service numbers, alone or behind an area code (0551-12345).
    rf"(?:{_AREA}{_SEP})?{_SHORT}",
)
_PHONE = re.compile("|".join(f"(?:{shape})" for shape in _SHAPES))
#: Between two numbers of a list: commas, 、 and semicolons (never a space, which
#: may sit inside a number).
_LIST_SEP = re.compile(r"[,，、;；\n]+")


def tidy_phone(text: str) -> str:
    """The number as typed, with runs of spaces made one and full-width digits made plain."""
    return _SPACES.sub(" ", (text or "").translate(_FULL_WIDTH_DIGITS)).strip()


def is_phone(text: str) -> bool:
    """Whether ``text`` (tidied) is a landline, mobile, hotline or service number."""
    return _PHONE.fullmatch(tidy_phone(text)) is not None


def check_phone(text: str, field: str) -> str:
    """The tidied number, or a UserError naming ``field``: 「办公电话：「…」不是电话号码。」."""
    phone = tidy_phone(text)
    if not _PHONE.fullmatch(phone):
        raise UserError(f"{field}：「{phone}」不是电话号码。")
    return phone


def split_phones(text: str, field: str) -> list[str]:
    """The numbers of a list typed in one box, each checked, duplicates dropped.

    Numbers are separated by commas, 、, semicolons or new lines. A space may sit
    inside a number (``0531-8765 4321``); a piece that is not one number but is
    several numbers separated by spaces (``0551-62345000 12345``) is read as those.
    """
    phones: list[str] = []
    for piece in _LIST_SEP.split(text or ""):
        piece = tidy_phone(piece)
        if not piece:
            continue
        if is_phone(piece):
            found = [piece]
        else:
            words = piece.split(" ")
            found = words if len(words) > 1 and all(is_phone(w) for w in words) else []
            if not found:
                check_phone(piece, field)  # raises, naming the piece
        phones.extend(p for p in found if p not in phones)
    return phones
