"""The legal clock of a 依申请公开 request, in official working days (政府信息公开条例).

- 第三十三条: answer within 20 working days of receipt; one extension of up to
  20 more, approved by the person in charge of the office's disclosure work.
- 第三十条: a request that is unclear is returned for 补正 within 7 working days of
  receipt; the clock stops, and (第三十一条) the request counts as received on the
  day the corrected one arrives, so the 20 days start again from that day.
- 第三十二条, 第三十三条: a third party consulted has 15 working days to reply, and the
  time spent consulting is not counted.

Nothing here reads the database: the same dates always give the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.workdays import Calendar

ANSWER_WORKDAYS = 20
EXTENSION_MAX_WORKDAYS = 20
CORRECTION_NOTICE_WORKDAYS = 7
THIRD_PARTY_WORKDAYS = 15


@dataclass(frozen=True)
class Consultation:
    """A third party asked for its view; ``replied`` is None while it has not answered.

    ``opinion`` is what it said (同意 or 不同意 公开), None where it was not recorded.
    """

    third_party: str
    sent: date
    replied: date | None = None
    opinion: str | None = None


@dataclass(frozen=True)
class ClockInput:
    """The dates of a request that move its clock."""

    received: date
    correction_sent: date | None = None
    correction_received: date | None = None
    extension_days: int = 0
    consultations: tuple[Consultation, ...] = ()
    answered: date | None = None


@dataclass(frozen=True)
class Clock:
    """Where a request stands against the law's time limits."""

    start: date
    due: date | None
    calendar_known: bool
    paused: str | None
    correction_deadline: date
    correction_late: bool
    excluded_workdays: int
    third_party_deadlines: tuple[date, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The ``clock`` part of a request's JSON."""
        return {
            "start": self.start.isoformat(),
            "due": self.due.isoformat() if self.due else None,
            "calendar_known": self.calendar_known,
            "paused": self.paused,
            "correction_deadline": self.correction_deadline.isoformat(),
            "correction_late": self.correction_late,
            "excluded_workdays": self.excluded_workdays,
            "third_party_deadlines": [d.isoformat() for d in self.third_party_deadlines],
        }


def workdays_between(cal: Calendar, after: date, until: date) -> int:
    """Working days d with ``after`` < d ≤ ``until`` (0 when ``until`` is not later)."""
    count, day = 0, after
    while day < until:
        day += timedelta(days=1)
        count += cal.is_workday(day)
    return count


def compute(cal: Calendar, dates: ClockInput) -> Clock:
    """The request's clock: when the answer is due, or why the clock is stopped."""
    known = cal.knows(dates.received.year)
    correction_deadline = cal.add_workdays(dates.received, CORRECTION_NOTICE_WORKDAYS).date
    late = bool(dates.correction_sent and dates.correction_sent > correction_deadline)
    start = dates.correction_received or dates.received
    paused = None
    if dates.correction_sent and not dates.correction_received:
        paused = "等待申请人补正"
    excluded = 0
    deadlines = []
    for asked in dates.consultations:
        # The third party's 15 days bound the pause even if its reply comes later.
        limit = cal.add_workdays(asked.sent, THIRD_PARTY_WORKDAYS)
        deadlines.append(limit.date)
        known = known and limit.calendar_known
        if asked.replied is None:
            paused = paused or f"征求{asked.third_party}意见中"
            continue
        excluded += workdays_between(cal, asked.sent, min(asked.replied, limit.date))
    due = None
    if paused is None or dates.answered:
        answer = cal.add_workdays(start, ANSWER_WORKDAYS + dates.extension_days + excluded)
        due, known = answer.date, known and answer.calendar_known
    return Clock(start=start, due=due, calendar_known=known, paused=paused if not
                 dates.answered else None, correction_deadline=correction_deadline,
                 correction_late=late, excluded_workdays=excluded,
                 third_party_deadlines=tuple(deadlines))
