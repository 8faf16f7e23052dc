"""Checks for investigation and repatriation (Regulations Chapter IV) and the restricted-area duty (Art. 24).

- An order to leave within a time limit sets the exit deadline at most 15 days away (Art. 33). The days
  are calendar days: Art. 36 counts only approval periods and receipt validity in working days. The
  deadline is the stay the authority grants, so it ends at 24:00 Beijing time on its last day (Art. 36(2))
  and is not moved off a rest day: departures run every day.
- A foreigner detained for examination is sent to a detention centre or repatriation facility within 24
  hours (Art. 29 para. 2), counted from the instant of detention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from exitentry.law.calendar import BEIJING, expires_at
from exitentry.law.periods import last_day_within_calendar_days
from exitentry.law.sources import Citation, cite
from exitentry.law.text import Text

MAX_EXIT_DEADLINE_CALENDAR_DAYS = 15  # Art. 33
DETENTION_TRANSFER_HOURS = 24  # Art. 29 para. 2
RESTRICTION_SOURCES = ("document", "temporary-entry")  # Art. 24: who set the restricted area


class ExitDeadlineTooLong(ValueError):
    """An exit deadline longer than Art. 33 allows."""


@dataclass(frozen=True, slots=True)
class ExitDeadline:
    """The last day to leave under an order to leave within a time limit, and the instant it runs out."""

    ordered_on: date
    calendar_days: int
    last_day: date
    expires_at: datetime
    cite: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Check:
    """The result of a check: whether the duty is met, what it says, its citations, its deadline if any."""

    ok: bool
    text: Text
    cite: tuple[Citation, ...]
    due: datetime | None = None


def exit_deadline(ordered_on: date, calendar_days: int) -> ExitDeadline:
    """The exit deadline of an order made on ``ordered_on`` giving ``calendar_days`` to leave.

    Art. 33: at most 15 days; a longer period is refused with ``ExitDeadlineTooLong``. The day of the
    order is not counted (Civil Code Art. 201): 15 days from 2026-11-22 ends on 2026-12-07.
    """
    if calendar_days < 1:
        raise ValueError(f"an exit deadline is at least one day, got {calendar_days}")
    if calendar_days > MAX_EXIT_DEADLINE_CALENDAR_DAYS:
        raise ExitDeadlineTooLong(
            f"an order to leave may give at most {MAX_EXIT_DEADLINE_CALENDAR_DAYS} days "
            f"(Regulations Art. 33), not {calendar_days}"
        )
    last = last_day_within_calendar_days(ordered_on, calendar_days)
    return ExitDeadline(
        ordered_on=ordered_on,
        calendar_days=calendar_days,
        last_day=last,
        expires_at=expires_at(last),
        cite=(
            cite("regulations", "Art. 33"),
            cite("regulations", "Art. 36(2)"),
            cite("civil-code", "Art. 201"),
        ),
    )


def restricted_area_duty(*, restricted_by: str | None, outside_area: bool) -> Check:
    """Whether the restricted-area duty is met (Art. 24).

    ``restricted_by`` is "document" (the exit-entry document names a restricted area), "temporary-entry"
    (border inspection approved temporary entry with a restricted area), or None (no restriction).
    Activities outside the area are also illegal residence (Art. 25(3)).
    """
    if restricted_by is not None and restricted_by not in RESTRICTION_SOURCES:
        raise ValueError(f"restricted_by is one of {RESTRICTION_SOURCES} or None, got {restricted_by!r}")
    cites = (cite("regulations", "Art. 24"),)
    if restricted_by is None:
        return Check(True, Text("No restricted area applies", "未限定停留区域"), cites)
    if outside_area:
        return Check(
            False,
            Text(
                "Outside the restricted area: the foreigner must stay within it; this is illegal residence",
                "超出限定的停留区域：外国人应当在限定的区域内停留，超出区域活动属于非法居留",
            ),
            (*cites, cite("regulations", "Art. 25(3)")),
        )
    return Check(True, Text("Within the restricted area", "在限定的停留区域内"), cites)


def detention_transfer(detained_at: datetime, *, transferred_at: datetime | None, now: datetime) -> Check:
    """Whether a foreigner detained for examination was sent on in time (Art. 29 para. 2: within 24 hours).

    Not yet transferred is fine until the deadline passes; ``due`` is the deadline in Beijing time.
    """
    for name, value in (("detained_at", detained_at), ("transferred_at", transferred_at), ("now", now)):
        if value is not None and value.utcoffset() is None:
            raise ValueError(f"{name} has no time zone; give an aware instant")
    due = (detained_at + timedelta(hours=DETENTION_TRANSFER_HOURS)).astimezone(BEIJING)
    cites = (cite("regulations", "Art. 29 para. 2"),)
    if transferred_at is not None:
        if transferred_at < detained_at:
            raise ValueError("the transfer cannot come before the detention")
        if transferred_at <= due:
            return Check(True, Text("Transferred within 24 hours", "已在24小时内送交"), cites, due)
        return Check(False, Text("Transferred later than 24 hours", "超过24小时才送交"), cites, due)
    if now <= due:
        return Check(
            True,
            Text("Not yet transferred; the 24 hours have not run out", "尚未送交，24小时尚未届满"),
            cites,
            due,
        )
    return Check(
        False,
        Text("Not transferred and the 24 hours have run out", "尚未送交且已超过24小时"),
        cites,
        due,
    )
