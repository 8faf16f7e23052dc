"""When the demo's steps happen: plausible instants inside a hall's opening hours, Beijing time.

The steps of one day share its opening hours out in equal parts, one part each in their order, each step
anywhere in its part but its last ``FOLLOW_UP`` minutes (what follows it on the same visit, a payment or an
interview, fits in those). Where in its part comes from a checksum of the case's key, the day and the step,
never from chance, so every load of the demo stamps the same times.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zlib import crc32

from exitentry.law.calendar import BEIJING
from exitentry.law.model import Hall, Session

WORKING_HOURS = (Session(time(9, 0), time(17, 0)),)  # a step with no hall: a working day's office hours
FIRST_MINUTE = 5  # nobody is served the minute the doors open
LAST_MINUTES = 30  # and no step starts in the last half hour
FOLLOW_UP = 45  # the minutes kept after a step for what follows it on the same visit (``later``)


def step_instants(key: str, days: Sequence[date], hall: Hall | None) -> list[datetime]:
    """The instant of each step taken on ``days`` (one day per step, in order), inside ``hall``'s sessions
    (``WORKING_HOURS`` without one): later for each later step of the same day."""
    sessions = _sessions(hall)
    open_minutes = sum(_length(s) for s in sessions) - LAST_MINUTES
    instants = []
    for i, day in enumerate(days):
        n, part = days[:i].count(day), (open_minutes - FIRST_MINUTE) // days.count(day)
        spread = crc32(f"{key}:{day}:{n}".encode()) % max(1, part - FOLLOW_UP)
        instants.append(_at(day, sessions, FIRST_MINUTE + n * part + spread))
    return instants


def later(instant: datetime, minutes: int, hall: Hall | None) -> datetime:
    """``minutes`` of ``hall``'s opening hours after ``instant`` (one of ``step_instants``): a break between
    its sessions does not count."""
    local, sessions = instant.astimezone(BEIJING), _sessions(hall)
    minute = 0
    for session in sessions:
        if local.time() < session.closes:
            minute += max(0, _minutes(local.time()) - _minutes(session.opens))
            break
        minute += _length(session)
    return _at(local.date(), sessions, minute + minutes)


def _sessions(hall: Hall | None) -> tuple[Session, ...]:
    return hall.sessions if hall else WORKING_HOURS


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _length(session: Session) -> int:
    return _minutes(session.closes) - _minutes(session.opens)


def _at(day: date, sessions: Sequence[Session], minute: int) -> datetime:
    """The ``minute``-th open minute of ``day`` (counted across the sessions, skipping the breaks)."""
    for session in sessions:
        length = _length(session)
        if minute < length:
            return datetime.combine(day, session.opens, BEIJING) + timedelta(minutes=minute)
        minute -= length
    raise ValueError(f"minute {minute} is after the last session")
