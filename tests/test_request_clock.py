"""The 依申请公开 clock in official working days, pinned on 2026's arrangement."""

from __future__ import annotations

from datetime import date

from app.info_requests.deadlines import ClockInput, Consultation, compute, workdays_between
from app.workdays import Calendar

CAL = Calendar()
RECEIVED = date(2026, 9, 25)


def test_twenty_working_days_across_national_day_and_its_working_saturday() -> None:
    # 10-01…10-07 are off; Saturday 10-10 is a working day (调休).
    assert not CAL.is_workday(date(2026, 10, 1)) and not CAL.is_workday(date(2026, 10, 7))
    assert CAL.is_workday(date(2026, 10, 8)) and CAL.is_workday(date(2026, 10, 10))
    clock = compute(CAL, ClockInput(received=RECEIVED))
    assert clock.start == RECEIVED
    assert clock.due == date(2026, 10, 29)
    assert clock.calendar_known and clock.paused is None


def test_correction_stops_the_clock_and_restarts_it_from_the_corrected_request() -> None:
    waiting = compute(CAL, ClockInput(received=RECEIVED, correction_sent=date(2026, 9, 28)))
    assert waiting.due is None and waiting.paused == "等待申请人补正"
    corrected = compute(CAL, ClockInput(received=RECEIVED, correction_sent=date(2026, 9, 28),
                                        correction_received=date(2026, 10, 12)))
    assert corrected.start == date(2026, 10, 12)
    assert corrected.due == date(2026, 11, 9)
    assert not corrected.correction_late


def test_correction_notice_is_due_within_seven_working_days() -> None:
    on_time = compute(CAL, ClockInput(received=RECEIVED, correction_sent=date(2026, 10, 12)))
    assert on_time.correction_deadline == date(2026, 10, 12) and not on_time.correction_late
    late = compute(CAL, ClockInput(received=RECEIVED, correction_sent=date(2026, 10, 13)))
    assert late.correction_late


def test_one_extension_adds_up_to_twenty_working_days() -> None:
    base = dict(received=RECEIVED, correction_sent=date(2026, 9, 28),
                correction_received=date(2026, 10, 12))
    assert compute(CAL, ClockInput(**base, extension_days=20)).due == date(2026, 12, 7)
    assert compute(CAL, ClockInput(**base, extension_days=5)).due == date(2026, 11, 16)


def test_days_spent_consulting_a_third_party_are_not_counted() -> None:
    asked = Consultation("青石村村民委员会", date(2026, 10, 14), date(2026, 10, 21))
    clock = compute(CAL, ClockInput(received=RECEIVED, consultations=(asked,)))
    assert clock.excluded_workdays == 5  # 10-15, 10-16, 10-19, 10-20, 10-21
    assert clock.due == date(2026, 11, 5)  # 10-29 plus five working days
    assert clock.third_party_deadlines == (date(2026, 11, 4),)


def test_a_pending_consultation_stops_the_clock_and_a_late_reply_counts_only_fifteen_days() -> None:
    pending = compute(CAL, ClockInput(received=RECEIVED, consultations=(
        Consultation("某公司", date(2026, 10, 14)),)))
    assert pending.due is None and pending.paused == "征求某公司意见中"
    late = compute(CAL, ClockInput(received=RECEIVED, consultations=(
        Consultation("某公司", date(2026, 10, 14), date(2026, 11, 20)),)))
    assert late.excluded_workdays == 15
    assert late.due == CAL.add_workdays(RECEIVED, 35).date


def test_answered_request_keeps_its_due_date_and_is_no_longer_paused() -> None:
    clock = compute(CAL, ClockInput(received=RECEIVED, correction_sent=date(2026, 9, 28),
                                    answered=date(2026, 10, 9)))
    assert clock.paused is None and clock.due == date(2026, 10, 29)


def test_a_year_without_an_arrangement_says_so() -> None:
    clock = compute(CAL, ClockInput(received=date(2027, 12, 20)))
    assert not clock.calendar_known


def test_workdays_between_counts_after_the_first_day_up_to_the_last() -> None:
    assert workdays_between(CAL, date(2026, 9, 30), date(2026, 10, 9)) == 2  # 10-08, 10-09
    assert workdays_between(CAL, date(2026, 10, 9), date(2026, 10, 9)) == 0
