"""Official working days, including the cases the issue pins."""

import json
from datetime import date

import pytest

from app.errors import UserError
from app.workdays import (
    Calendar,
    arrangement_json,
    day_lines,
    load_arrangement,
    load_typed_arrangement,
    read_day_lines,
    typed_arrangement,
    validate_arrangement,
)

ARRANGEMENT_2027 = {
    "year": 2027,
    # A plausible 2027 arrangement for the tests: 元旦 and 春节 off, one 调休 Sunday on.
    "holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
                 "2027-02-11"],
    "workdays": ["2027-01-09", "2027-02-07"],
}


def test_across_national_day_2026() -> None:
    cal = Calendar()
    result = cal.add_workdays(date(2026, 9, 28), 20)
    assert result.date == date(2026, 10, 30)
    assert result.calendar_known


def test_adjusted_saturday_counts() -> None:
    result = Calendar().add_workdays(date(2026, 10, 9), 1)
    assert result.date == date(2026, 10, 10)  # 国庆调休 Saturday
    assert date(2026, 10, 10).weekday() == 5


def test_request_clock_example_from_issue_7() -> None:
    assert Calendar().add_workdays(date(2026, 9, 25), 20).date == date(2026, 10, 29)


def test_unknown_year_counts_weekdays_and_says_so(store) -> None:
    cal = Calendar.from_store(store)
    result = cal.add_workdays(date(2026, 12, 15), 20)
    assert not result.calendar_known
    assert result.unknown_years == (2027,)
    # Monday–Friday only: 2026-12 has no holidays after the 15th, 2027-01-01 is a Friday.
    assert result.date == date(2027, 1, 12)


def test_loaded_year_is_honoured(store) -> None:
    load_arrangement(store, ARRANGEMENT_2027)
    cal = Calendar.from_store(store)
    assert cal.year_status(2027) == "已载入"
    result = cal.add_workdays(date(2026, 12, 15), 20)
    assert result.calendar_known
    # 2027-01-01 is now off and Saturday 2027-01-09 is on.
    assert result.date == date(2027, 1, 12)
    assert cal.is_workday(date(2027, 1, 9)) and not cal.is_workday(date(2027, 1, 1))
    assert cal.add_workdays(date(2027, 2, 4), 1).date == date(2027, 2, 7)


def test_far_future_year_never_crashes() -> None:
    result = Calendar().add_workdays(date(2099, 12, 20), 30)
    assert not result.calendar_known and result.unknown_years == (2099, 2100)


def test_calendar_days_report_unknown_years() -> None:
    result = Calendar().add_days(date(2026, 12, 20), 20)
    assert result.date == date(2027, 1, 9) and not result.calendar_known


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "2027"}, "格式不对"),
        ({"year": 2027, "holidays": ["2027-13-01"], "workdays": []}, "格式不对"),
        ({"year": 2027, "holidays": ["2028-01-01"], "workdays": []}, "不属于"),
        ({"year": 2027, "holidays": ["2027-01-09"], "workdays": ["2027-01-09"]}, "同时"),
        ({"year": 2027, "holidays": [], "workdays": ["2027-01-04"]}, "是工作日"),
    ],
)
def test_bad_arrangements_are_refused(data: dict, message: str) -> None:
    with pytest.raises(UserError, match=message):
        validate_arrangement(data)


def test_refused_arrangement_changes_nothing(store) -> None:
    with pytest.raises(UserError):
        load_arrangement(store, {"year": 2027, "holidays": ["2027-01-01"],
                                 "workdays": ["2027-01-05"]})
    assert store.scalar("SELECT count(*) FROM calendar_years") == 0


def test_cli_workdays(gk, tmp_path) -> None:
    assert gk.json("workdays", "add", "2026-09-28", "20")["date"] == "2026-10-30"
    assert gk.json("workdays", "add", "2026-10-09", "1")["date"] == "2026-10-10"
    before = gk.json("workdays", "add", "2026-12-15", "20")
    assert before["calendar_known"] is False and before["unknown_years"] == [2027]
    human = gk("workdays", "add", "2026-12-15", "20")
    assert "2027年的节假日安排尚未载入" in human.stderr
    file = tmp_path / "2027.json"
    file.write_text(json.dumps(ARRANGEMENT_2027), encoding="utf-8")
    assert "已载入2027年" in gk("workdays", "load", str(file)).stdout
    after = gk.json("workdays", "add", "2026-12-15", "20")
    assert after["calendar_known"] is True and after["date"] == "2027-01-12"
    bad = gk("workdays", "add", "2026-02-30", "3", check=False)
    assert bad.returncode == 1 and "日期" in bad.stderr and bad.stderr.count("\n") == 1


# -- the holiday editor's lines -----------------------------------------------------------

SPRING = [date(2027, 2, d) for d in range(6, 13)]


@pytest.mark.parametrize(("line", "days"), [
    ("2027-02-06至2027-02-12", SPRING),
    ("2027-02-06~2027-02-12", SPRING),
    ("2027-02-06 至 2027-02-12", SPRING),
    ("2027-02-06到2027-02-12", SPRING),
    ("2027-02-06—2027-02-12", SPRING),
    ("2027-02-06-2027-02-12", SPRING),
    ("2027/2/6～2027/2/12", SPRING),
    ("2027-02-06至02-12", SPRING),
    ("2027年2月6日至12日", SPRING),
    ("2027年2月6日至2月12日", SPRING),
    ("2月6日—2月12日", SPRING),
    ("2月6日-12日", SPRING),
    ("2月6日（星期六）至12日（星期五）放假调休，共7天", SPRING),
    ("2027年4月5日", [date(2027, 4, 5)]),
    ("2027.2.6", [date(2027, 2, 6)]),
    ("2027/02/06", [date(2027, 2, 6)]),
    ("20270206", [date(2027, 2, 6)]),
    ("2月6日", [date(2027, 2, 6)]),
    ("2/6", [date(2027, 2, 6)]),
    ("1月31日至2月2日", [date(2027, 1, 31), date(2027, 2, 1), date(2027, 2, 2)]),
    ("2月7日（星期日）、2月20日（星期六）上班", [date(2027, 2, 7), date(2027, 2, 20)]),
    # 元旦 may begin in December: only the year's own days count.
    ("2026年12月31日至2027年1月2日", [date(2027, 1, 1), date(2027, 1, 2)]),
    ("   ", []),
])
def test_a_line_is_read_as_clerks_write_it(line, days) -> None:
    assert read_day_lines(line, 2027) == (days, [])


@pytest.mark.parametrize(("line", "reason"), [
    ("明年元旦", "看不懂"),
    ("2027-13-01", "没有这一天"),
    ("2月30日", "没有这一天"),
    ("2月12日至6日", "起止日期前后颠倒了"),
    ("2027-02-06至2027-12-06", "跨了304天"),
    ("2026-10-01", "不是2027年的日期"),
    ("2027-02-06至", "看不懂"),
    ("2027-02-06至后天", "看不懂"),
])
def test_a_line_that_cannot_be_read_says_why(line, reason) -> None:
    days, problems = read_day_lines(f"2027-01-01\n{line}\n2027-10-01", 2027)
    assert days == [date(2027, 1, 1), date(2027, 10, 1)]  # the other lines are read
    assert [(p.line, p.text) for p in problems] == [(2, line)]
    assert problems[0].reason.startswith(reason)


def test_refused_lines_name_themselves_and_nothing_is_stored(store) -> None:
    holidays = "2027-01-01\n2027-02-06~2027-02-12\n明年元旦"
    with pytest.raises(UserError) as refused:
        load_typed_arrangement(store, 2027, holidays, "2月30日")
    assert str(refused.value).startswith(
        "放假日期第3行「明年元旦」看不懂；调休上班日期第1行「2月30日」没有这一天。")
    assert not Calendar.from_store(store).knows(2027)


def test_typed_lines_are_stored_and_shown_back_as_ranges(store) -> None:
    load_typed_arrangement(store, 2027, "2027年1月1日\n2月6日—2月12日", "2027.2.20")
    cal = Calendar.from_store(store)
    assert cal.year_status(2027) == "已载入"
    assert not cal.is_workday(date(2027, 2, 8)) and cal.is_workday(date(2027, 2, 20))
    shown = arrangement_json(cal, 2027)
    assert day_lines(shown["holidays"]) == ["2027-01-01", "2027-02-06至2027-02-12"]
    assert day_lines(shown["workdays"]) == ["2027-02-20"]
    # What the editor shows is read back to the same days.
    assert read_day_lines("\n".join(day_lines(shown["holidays"])), 2027)[0] == \
        sorted(date.fromisoformat(d) for d in shown["holidays"])


def test_a_day_both_off_and_on_is_still_refused(store) -> None:
    with pytest.raises(UserError, match="同时被列为放假和上班"):
        typed = typed_arrangement(2027, "2月6日至12日", "2027-02-07")
        load_arrangement(store, typed)
