"""Whatever a clerk types into 设置 is read or refused with a sentence, never a crash:
holiday lines, phone numbers, village and board names (Hypothesis makes the garbage)."""

from datetime import date

import pytest

from app.errors import UserError
from app.notices.boards import board_name, village_name
from app.phones import is_phone, split_phones, tidy_phone
from app.workdays import day_lines, read_day_lines, typed_arrangement

# A declared test extra (pyproject); an older venv without it skips rather than breaks.
hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")
given, settings = hypothesis.given, hypothesis.settings

#: The characters holiday lines and numbers are made of, so garbage comes close to sense.
NEAR = "0123456789０１２年月日号至到~～—–－-一、，,；;.（）()/ \n\t星期六周放假调休共天转分机ext+"
text = st.one_of(st.text(alphabet=NEAR, max_size=60), st.text(max_size=60))


@settings(max_examples=400, deadline=None)
@given(text, st.integers(2000, 2100))
def test_holiday_lines_never_raise(typed: str, year: int) -> None:
    days, problems = read_day_lines(typed, year)
    assert all(d.year == year for d in days) and days == sorted(set(days))
    lines = typed.splitlines()
    for p in problems:
        assert 1 <= p.line <= len(lines) and p.reason
    try:
        data = typed_arrangement(year, typed, "")
    except UserError as refused:
        assert problems and "第" in str(refused)
    else:
        assert not problems and data["holidays"] == [d.isoformat() for d in days]


@settings(max_examples=200, deadline=None)
@given(st.sets(st.dates(date(2027, 1, 1), date(2027, 12, 31)), max_size=30))
def test_the_editor_reads_back_what_it_shows(days: set[date]) -> None:
    assert read_day_lines("\n".join(day_lines(sorted(days))), 2027) == (sorted(days), [])


@settings(max_examples=400, deadline=None)
@given(text)
def test_phone_numbers_are_taken_or_refused_with_a_sentence(typed: str) -> None:
    assert isinstance(is_phone(typed), bool)
    try:
        phones = split_phones(typed, "办公电话")
    except UserError as refused:
        assert str(refused).startswith("办公电话：「")
    else:
        assert all(is_phone(p) and p == tidy_phone(p) and "," not in p for p in phones)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="东西南北河岭山村社区居委会嘎查务公开栏示屏", min_size=1, max_size=12))
def test_a_board_shown_and_saved_again_is_the_same_board(typed: str) -> None:
    stored = board_name(typed)
    assert typed in stored  # the typed name is kept whole
    assert board_name(village_name(stored)) == stored
