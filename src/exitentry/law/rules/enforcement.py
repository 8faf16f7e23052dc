"""Checks for investigation and repatriation (Regulations Chapter IV) and the restricted-area duty (Art. 24).

- An order to leave within a time limit sets the exit deadline at most 15 days away (Art. 33; the
  parameter ``exit-deadline-maximum``, read on the day of the order). The days
  are calendar days: Art. 36 counts only approval periods and receipt validity in working days. The
  deadline is the stay the authority grants, so it ends at 24:00 Beijing time on its last day (Art. 36(2))
  and is not moved off a rest day: departures run every day.
- A foreigner detained for examination is sent to a detention centre or repatriation facility within 24
  hours (Art. 29 para. 2; ``detention-transfer-limit``), counted from the instant of detention.
- A restriction of activities (Art. 30) keeps the person inside an area and has them report at the times
  it specifies; each report is met when made by its time. An area, whoever set it (Art. 24 or Art. 30),
  is an administrative division code (GB/T 2260, with its trailing "00" pairs dropped: "11" is Beijing,
  "1101" its districts, "110105" Chaoyang); a place is inside when its code starts with the area's.
- Repatriation (Art. 31; Exit and Entry Administration Law Art. 62): the deciding authority sets the
  no-entry period, between one and five years from the day of repatriation (``repatriation-no-entry-*``);
  the day of repatriation is not counted (Civil Code Art. 201) and a year ends on the corresponding day.
  Who bears the costs is Art. 32's order: the foreigner; if unable, the illegal employer where the
  employment was illegal, otherwise whoever guaranteed the stay.
- Each deadline here is met (done by it), due (not done, not yet passed) or late (done after it, or
  passed undone), judged at an instant (``deadline_status``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from exitentry.law.calendar import BEIJING, expires_at
from exitentry.law.parameters import Parameters, parameters
from exitentry.law.periods import add_months, last_day_within_calendar_days
from exitentry.law.rulefunctions import cites
from exitentry.law.sources import Citation, cite
from exitentry.law.text import Text

RESTRICTION_SOURCES = ("document", "temporary-entry", "activities-restriction")  # Arts. 24, 30: who set it
MET, DUE, LATE = "met", "due", "late"
STATUS_TEXT = {
    MET: Text("met", "已按期履行"),
    DUE: Text("due", "期限未届满"),
    LATE: Text("late", "已逾期"),
}
SELF, ILLEGAL_EMPLOYER, GUARANTOR = "self", "illegal-employer", "guarantor"
# The article of the Regulations that sets each kind of record's deadline or outcome (``record_cites``).
_RECORD_SECTIONS = (
    ("detention", "Art. 29 para. 2"),
    ("restriction", "Art. 30"),
    ("repatriation", "Art. 31"),
    ("costs", "Art. 32"),
    ("order", "Art. 33"),
)


class ExitDeadlineTooLong(ValueError):
    """An exit deadline longer than Art. 33 allows; ``text`` says so in both languages."""

    def __init__(self, days: int, most: int):
        article = cite("regulations", "Art. 33").label
        self.text = Text(
            f"An order to leave may give at most {most} days ({article.en}), not {days}.",
            f"限期出境的期限最长不得超过{most}日（{article.zh}），不能为{days}日。",
        )
        super().__init__(self.text.en)


class NoEntryPeriodOutOfBounds(ValueError):
    """A no-entry period outside the years the Exit and Entry Administration Law allows (Art. 62)."""

    def __init__(self, years: int, least: int, most: int):
        self.years, self.least, self.most = years, least, most
        article = cite("exit-entry-law", "Art. 62").label
        self.text = Text(
            f"A no-entry period after repatriation is {least} to {most} years ({article.en}), not {years}.",
            f"遣送出境后不准入境的期限为{least}至{most}年（{article.zh}），不能为{years}年。",
        )
        super().__init__(self.text.en)


@dataclass(frozen=True, slots=True)
class NoEntryPeriod:
    """The days a repatriated foreigner may not enter: after ``repatriated_on`` through ``last_day``."""

    repatriated_on: date
    years: int
    last_day: date
    cite: tuple[Citation, ...]

    def bars(self, day: date) -> bool:
        """Whether an entry on ``day`` falls inside the period."""
        return self.repatriated_on < day <= self.last_day

    def standing(self, day: date) -> Text:
        """The period on ``day`` in words: still running (entry barred) or over."""
        return _NO_ENTRY_OVER if day > self.last_day else _NO_ENTRY_RUNNING


@dataclass(frozen=True, slots=True)
class CostBearer:
    """Who bears the costs of a repatriation (Art. 32), and why."""

    who: str
    text: Text
    cite: tuple[Citation, ...]


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


def record_cites() -> dict[str, tuple[Citation, ...]]:
    """Where the Regulations set each enforcement record's deadline or outcome, by kind of record:
    detention (Art. 29 para. 2), restriction (Art. 30), repatriation (Art. 31), costs (Art. 32) and
    order (to leave, Art. 33)."""
    return {kind: (cite("regulations", section),) for kind, section in _RECORD_SECTIONS}


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
        raise ExitDeadlineTooLong(calendar_days, most)  # type: ignore[arg-type]
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


@cites("regulations: Art. 33", "regulations: Art. 36(2)")
def order_to_leave_status(last_day: date, left_on: date | None, at: datetime | date) -> str:
    """Met, due or late at ``at`` (an aware instant, or a date at 00:00 Beijing time) for an order to leave
    by ``last_day``: met by an exit on or before it, late by an exit after it or when 24:00 Beijing time on
    it has passed with no exit (Art. 36(2))."""
    if left_on is not None and datetime.combine(left_on, time.min, BEIJING) <= _instant(at):
        return MET if left_on <= last_day else LATE
    return deadline_status(expires_at(last_day), None, at)


@cites("regulations: Art. 30")
def report_status(due_at: datetime, reported_at: datetime | None, at: datetime | date) -> str:
    """Met, due or late at ``at`` for a report a restriction of activities sets for ``due_at`` (Art. 30:
    the person reports to the public security organ at the specified time)."""
    return deadline_status(due_at, reported_at, at)


def deadline_status(due: datetime, done_at: datetime | None, at: datetime | date) -> str:
    """``MET`` when done by ``due``, ``LATE`` when done after it or still undone at ``at`` past it, else
    ``DUE``. ``at`` is an aware instant or a date, judged at 00:00 Beijing time."""
    instant = _instant(at)
    if done_at is not None and done_at <= instant:
        return MET if done_at <= due else LATE
    return LATE if instant >= due else DUE


def _instant(at: datetime | date) -> datetime:
    instant = at if isinstance(at, datetime) else datetime.combine(at, time.min, BEIJING)
    if instant.utcoffset() is None:
        raise ValueError("at has no time zone; give an aware instant")
    return instant


@cites("regulations: Art. 29 para. 2", params=("detention-transfer-limit",))
def detention_status(detained_at: datetime, transferred_at: datetime | None, at: datetime) -> str:
    """Met, due or late at ``at`` for the transfer of a foreigner detained for examination (Art. 29)."""
    check = detention_transfer(
        detained_at,
        transferred_at=transferred_at if transferred_at and transferred_at <= at else None,
        now=at,
    )
    if not check.ok:
        return LATE
    return MET if transferred_at is not None and transferred_at <= at else DUE


@cites(
    "regulations: Art. 31",
    "exit-entry-law: Art. 62",
    "civil-code: Art. 201",
    "civil-code: Art. 202",
    params=("repatriation-no-entry-minimum", "repatriation-no-entry-maximum"),
)
def no_entry_period(repatriated_on: date, years: int, *, params: Parameters | None = None) -> NoEntryPeriod:
    """The no-entry period the authority set at ``years`` for a foreigner repatriated on ``repatriated_on``
    (Art. 31), refused with ``NoEntryPeriodOutOfBounds`` outside the law's years (Exit and Entry
    Administration Law Art. 62, as in force on the day of repatriation)."""
    least, most = no_entry_years_allowed(repatriated_on, params=params)
    if not least <= years <= most:
        raise NoEntryPeriodOutOfBounds(years, least, most)
    return NoEntryPeriod(
        repatriated_on=repatriated_on,
        years=years,
        last_day=add_months(repatriated_on, 12 * years),
        cite=(cite("regulations", "Art. 31"), cite("exit-entry-law", "Art. 62")),
    )


@cites("exit-entry-law: Art. 62", params=("repatriation-no-entry-minimum", "repatriation-no-entry-maximum"))
def no_entry_years_allowed(on: date, *, params: Parameters | None = None) -> tuple[int, int]:
    """The fewest and most years of a no-entry period the authority may set on ``on`` (Exit and Entry
    Administration Law Art. 62)."""
    p = params or parameters()
    least = p.value("repatriation-no-entry-minimum", on)
    most = p.value("repatriation-no-entry-maximum", on)
    return least, most  # type: ignore[return-value]


@cites("regulations: Art. 32")
def repatriation_costs(*, can_pay: bool, illegally_employed: bool) -> CostBearer:
    """Who bears the costs of repatriating a foreigner (Art. 32 para. 1): the foreigner; if unable, the
    unit or individual that employed them illegally, in a case of illegal employment; otherwise the unit or
    individual that guaranteed their stay or residence."""
    cites_ = (cite("regulations", "Art. 32"),)
    if can_pay:
        return CostBearer(SELF, Text("The foreigner", "外国人本人"), cites_)
    if illegally_employed:
        return CostBearer(
            ILLEGAL_EMPLOYER,
            Text("The unit or individual that employed them illegally", "非法聘用的单位、个人"),
            cites_,
        )
    return CostBearer(
        GUARANTOR,
        Text(
            "The unit or individual that guaranteed their stay or residence",
            "对其在华停留居留提供保证措施的单位或者个人",
        ),
        cites_,
    )


def is_area(area: str) -> bool:
    """Whether ``area`` is an administrative division code with its trailing "00" pairs dropped: 2, 4 or 6
    digits ("11" Beijing, "1101" its districts, "110105" Chaoyang)."""
    return area.isascii() and area.isdigit() and len(area) in (2, 4, 6)


def in_restricted_area(area: str, division: str) -> bool:
    """Whether a place with the six-digit administrative division code ``division`` lies inside ``area``."""
    if not is_area(area):
        raise ValueError(f"an area is a division code of 2, 4 or 6 digits, got {area!r}")
    return division.startswith(area)


@cites("regulations: Art. 24", "regulations: Art. 30", "regulations: Art. 25(3)")
def restricted_area_duty(*, restricted_by: str | None, outside_area: bool) -> Check:
    """Whether the restricted-area duty is met (Art. 24).

    ``restricted_by`` is "document" (the exit-entry document names a restricted area), "temporary-entry"
    (border inspection approved temporary entry with a restricted area), "activities-restriction" (a
    decision restricting activities, Art. 30), or None (no restriction).
    Activities outside the area are also illegal residence (Art. 25(3)).
    """
    if restricted_by is not None and restricted_by not in RESTRICTION_SOURCES:
        raise ValueError(f"restricted_by is one of {RESTRICTION_SOURCES} or None, got {restricted_by!r}")
    cites = (cite("regulations", "Art. 30" if restricted_by == "activities-restriction" else "Art. 24"),)
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


_NO_ENTRY_RUNNING = Text("running: entry is barred", "期限未届满，不准入境")
_NO_ENTRY_OVER = Text("over", "期限已届满")
_IN_TIME = Text("Transferred within {hours} hours", "已在{hours}小时内送交")
_LATE = Text("Transferred later than {hours} hours", "超过{hours}小时才送交")
_NOT_YET = Text("Not yet transferred; the {hours} hours have not run out", "尚未送交，{hours}小时尚未届满")
_RUN_OUT = Text("Not transferred and the {hours} hours have run out", "尚未送交且已超过{hours}小时")
