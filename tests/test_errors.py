"""A refusal is one sentence on one line, whatever the clerk or a file typed into it."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.errors import UserError
from app.workdays import parse_date


def test_a_date_with_a_line_break_is_refused_on_one_line() -> None:
    try:
        parse_date("0\n0")
    except UserError as err:
        assert str(err) == "日期「0 0」格式不对，请写成 2026-11-23 这样的格式。"
    else:
        raise AssertionError("a malformed date was taken")


def test_control_characters_never_reach_the_sentence() -> None:
    # A terminal escape in a pasted cell must not colour or move the clerk's console.
    assert str(UserError("名称「\x1b[31m红\x1b[0m」不对\r\n")) == "名称「 [31m红 [0m」不对 "


@given(st.text(max_size=200))
def test_any_malformed_date_is_one_short_line(text: str) -> None:
    try:
        parse_date(text)
    except UserError as err:
        sentence = str(err)
        assert not [c for c in sentence if unicodedata.category(c) in ("Cc", "Zl", "Zp")]
        assert len(sentence) < 60
