"""Statutory clocks: a time limit in working days that stands still while the applicant is asked for more.

A clock starts on a day (not counted, as in ``add_working_days``) and runs for N working days on the
official calendar (Regulations Art. 36: approval periods and receipt validity are counted in working
days, excluding statutory holidays). A pause is a period, never a flag: it starts on the day the one-time
notice of missing materials is issued (that day still counts) and ends on the day the applicant
resubmits; the working days after the start up to and including the end do not count. An open pause
(no end yet) leaves the clock with no due date until the applicant answers.

A deadline is met (the step was taken on or before its last day), due (not taken, last day not passed)
or late; a deadline's last day ends at 24:00 Beijing time (Art. 36(2)).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from exitentry.law.calendar import OfficialCalendar, official_calendar

MET, DUE, LATE, PAUSED = "met", "due", "late", "paused"


class BadPause(ValueError):
    """A pause that ends before it starts."""


@dataclass(frozen=True, slots=True)
class Pause:
    """The clock stands still on the days after ``start`` up to and including ``end`` (None: still paused)."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise BadPause(f"a pause cannot end ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day of a clock (None while paused), and whether it relied on an unpublished year."""

    due: date | None
    provisional: bool
    paused_working_days: int

    def status(self, done_on: date | None, today: date) -> str:
        """``met``, ``late``, ``due`` or ``paused``, for a step done on ``done_on`` (or not yet)."""
        if done_on is not None and self.due is not None:
            return MET if done_on <= self.due else LATE
        if self.due is None:
            return PAUSED
        if done_on is not None:
            return MET
        return LATE if today > self.due else DUE


def working_day_deadline(
    start: date,
    working_days: int,
    pauses: Iterable[Pause] = (),
    *,
    calendar: OfficialCalendar | None = None,
) -> Deadline:
    """The last day of ``working_days`` counted after ``start``, the ``pauses`` not counted."""
    if working_days < 0:
        raise ValueError(f"a time limit cannot be negative: {working_days} working days")
    cal = calendar or official_calendar()
    remaining, cursor, provisional, paused = working_days, start, False, 0
    for pause in sorted(pauses, key=lambda p: p.start):
        if pause.end is not None and pause.end <= cursor:
            continue  # wholly before the clock's current position
        stop = max(pause.start, cursor)
        counted = cal.working_days_between(cursor, stop)
        provisional |= counted.provisional
        if counted.days >= remaining:
            break  # the clock runs out before this pause begins
        remaining -= counted.days
        if pause.end is None:
            return Deadline(None, provisional, paused)
        skipped = cal.working_days_between(stop, pause.end)
        provisional |= skipped.provisional
        paused += skipped.days
        cursor = pause.end
    reckoned = cal.add_working_days(cursor, remaining)
    return Deadline(reckoned.date, provisional or reckoned.provisional, paused)
