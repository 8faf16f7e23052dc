"""Checks for investigation and repatriation (Regulations Chapter IV) and the restricted-area duty (Art. 24).

- An order to leave within a time limit sets the exit deadline at most 15 days away (Art. 33; the
  parameter ``exit-deadline-maximum``, read on the day of the order). The days
  are calendar days: Art. 36 counts only approval periods and receipt validity in working days. The
  deadline is the stay the authority grants, so it ends at 24:00 Beijing time on its last day (Art. 36(2))
  and is not moved off a rest day: departures run every day.
- A foreigner detained for examination is sent to a detention centre or repatriation facility within 24
  hours (Art. 29 para. 2; ``detention-transfer-limit``), counted from the instant of detention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from exitentry.law.calendar import BEIJING, expires_at
from exitentry.law.parameters import Parameters, parameters
from exitentry.law.periods import last_day_within_calendar_days
from exitentry.law.rulefunctions import cites
from exitentry.law.sources import Citation, cite
from exitentry.law.text import Text

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


@cites(
    "regulations: Art. 33",
    "regulations: Art. 36(2)",
    "civil-code: Art. 201",
    params=("exit-deadline-maximum",),
)
def exit_deadline(ordered_on: date, calendar_days: int, *, params: Parameters | None = None) -> ExitDeadline:
    """The exit deadline of an order made on ``ordered_on`` giving ``calendar_days`` to leave.

    Art. 33: at most 15 days; a longer period is refused with ``ExitDeadlineTooLong``. The day of the
    order is not counted (Civil Code Art. 201): 15 days from 2026-11-22 ends on 2026-12-07.
    """
    if calendar_days < 1:
        raise ValueError(f"an exit deadline is at least one day, got {calendar_days}")
    most = (params or parameters()).value("exit-deadline-maximum", ordered_on)
    if calendar_days > most:  # type: ignore[operator]
        raise ExitDeadlineTooLong(
            f"an order to leave may give at most {most} days (Regulations Art. 33), not {calendar_days}"
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


@cites("regulations: Art. 24", "regulations: Art. 25(3)")
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


@cites("regulations: Art. 29 para. 2", params=("detention-transfer-limit",))
def detention_transfer(
    detained_at: datetime,
    *,
    transferred_at: datetime | None,
    now: datetime,
    params: Parameters | None = None,
) -> Check:
    """Whether a foreigner detained for examination was sent on in time (Art. 29 para. 2: within 24 hours,
    the limit in force on the day of detention in Beijing).

    Not yet transferred is fine until the deadline passes; ``due`` is the deadline in Beijing time.
    """
    for name, value in (("detained_at", detained_at), ("transferred_at", transferred_at), ("now", now)):
        if value is not None and value.utcoffset() is None:
            raise ValueError(f"{name} has no time zone; give an aware instant")
    detained = detained_at.astimezone(BEIJING)
    hours = (params or parameters()).value("detention-transfer-limit", detained.date())
    due = detained + timedelta(hours=hours)  # type: ignore[arg-type]
    cites = (cite("regulations", "Art. 29 para. 2"),)
    if transferred_at is not None:
        if transferred_at < detained_at:
            raise ValueError("the transfer cannot come before the detention")
        if transferred_at <= due:
            return Check(True, _IN_TIME.format(hours=hours), cites, due)
        return Check(False, _LATE.format(hours=hours), cites, due)
    if now <= due:
        return Check(True, _NOT_YET.format(hours=hours), cites, due)
    return Check(False, _RUN_OUT.format(hours=hours), cites, due)


_IN_TIME = Text("Transferred within {hours} hours", "已在{hours}小时内送交")
_LATE = Text("Transferred later than {hours} hours", "超过{hours}小时才送交")
_NOT_YET = Text("Not yet transferred; the {hours} hours have not run out", "尚未送交，{hours}小时尚未届满")
_RUN_OUT = Text("Not transferred and the {hours} hours have run out", "尚未送交且已超过{hours}小时")
