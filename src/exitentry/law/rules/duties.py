"""A registry-wide scan's numbers, as of a day: which last days have run out, which residence-permit
expiries make the extension late, which permanent resident cards are in their renewal window, which
entries and changes of particulars are past their deadline.

Each pair here is one rule said twice: a one-person function (given a person's dates, is the duty late or
the period run out on ``on``?) and the bounds a set-based query compares whole columns with. The bounds
are derived from the same parameters and the same counting as the one-person function, never restated;
``tests/compliance`` checks that the scan's SQL and the one-person functions agree on generated registries.

- A period (visa, permit, receipt) runs at 00:00 Beijing time on ``on`` while its last day is later than
  ``run_out_by(on)``, the day before (Art. 36(2): it ends at 24:00 on its last day);
  ``residence.illegal_residence`` judges a date so.
- Extension (``extension-at-least-30-days-before-expiry``): the latest day to apply is N days before the
  permit's last day; from the day after it until the permit runs out, the application is late.
- Permanent resident ID card renewal (``pr-card-renewal-within-one-month-before-expiry``): the window runs
  from the day N months before the card's last day to that day (Civil Code Art. 202 for the month).
- Residence permit after entry (``residence-permit-within-30-days-of-entry``) and change of particulars
  (``change-of-particulars-within-10-days``): due N days after the entry or the change, moved off a rest
  day (Civil Code Arts. 201, 203); from the day after, it is late.

Coming due (the reminders ahead): each duty's last day is also asked the other way round, "is it from
``on`` to ``lead`` days after ``on``?", once for a person (``*_coming_due``) and once as the bounds of the
permit last days, entry days or change days that make it so (``*_coming_due_between``). How many days
ahead to remind is the caller's choice, not the law's, so it is an argument here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from exitentry.law.catalog import Catalog, catalog
from exitentry.law.model import Obligation
from exitentry.law.periods import (
    add_months,
    last_day_within_calendar_days,
    latest_day_at_least_calendar_days_before,
    roll_past_rest_days,
    window_within_months_before,
)
from exitentry.law.rulefunctions import cites

EXTENSION = "extension-at-least-30-days-before-expiry"
PERMIT_AFTER_ENTRY = "residence-permit-within-30-days-of-entry"
PR_CARD_RENEWAL = "pr-card-renewal-within-one-month-before-expiry"
PARTICULARS_CHANGE = "change-of-particulars-within-10-days"


def obligation(obligation_id: str, on: date) -> Obligation:
    """The catalog's obligation with its numbers in force on ``on``."""
    cat = catalog()
    return cat.obligations[obligation_id].on(cat.parameters, on)


def _days(obligation_id: str, on: date) -> int:
    return obligation(obligation_id, on).period.calendar_days  # type: ignore[return-value]


@cites("regulations: Art. 36(2)")
def still_runs(last_day: date, on: date) -> bool:
    """Whether a period with ``last_day`` still runs at 00:00 Beijing time on ``on`` (Art. 36(2))."""
    return last_day > run_out_by(on)


@cites("regulations: Art. 36(2)")
def run_out_by(on: date) -> date:
    """The latest last day of a period that has run out at 00:00 Beijing time on ``on``: the day before,
    whose 24:00 has passed (Art. 36(2)). A query compares last days with it."""
    return on - timedelta(days=1)


@cites("exit-entry-law: Art. 32", params=("residence-permit-extension-before-expiry",))
def extension_late(permit_last_day: date, on: date) -> date | None:
    """The latest day to have applied to extend a residence permit running to ``permit_last_day``, when
    ``on`` is past it and the permit still runs; None otherwise."""
    latest = extension_due(permit_last_day, on)
    return latest if latest < on and still_runs(permit_last_day, on) else None


@cites("exit-entry-law: Art. 32", params=("residence-permit-extension-before-expiry",))
def extension_due(permit_last_day: date, on: date) -> date:
    """The latest day to apply to extend a residence permit running to ``permit_last_day`` (the days in
    force on ``on``)."""
    return latest_day_at_least_calendar_days_before(permit_last_day, _days(EXTENSION, on))


@cites("exit-entry-law: Art. 32", params=("residence-permit-extension-before-expiry",))
def expiries_with_extension_late(on: date) -> tuple[date, date]:
    """The first and last permit last day (both inclusive) for which ``extension_late`` holds on ``on``."""
    return on, on + timedelta(days=_days(EXTENSION, on) - 1)


def _due_within_days(obligation_id: str, start: date, days: int | None = None) -> date:
    """The last day of "within N days of ``start``" (``days``, else the days in force on ``start``), moved
    past rest days."""
    days = _days(obligation_id, start) if days is None else days
    return roll_past_rest_days(last_day_within_calendar_days(start, days)).date


def _latest_start_late(obligation_id: str, on: date, days: int | None = None) -> date:
    """The latest start day whose "within N days" (``days``, else the parameter's) has passed by ``on``;
    every earlier one's has too (a later start is never due earlier), so a query compares start days with
    this one bound."""
    day = on - timedelta(days=(_days(obligation_id, on) if days is None else days) + 1)
    while _due_within_days(obligation_id, day, days) >= on:
        day -= timedelta(days=1)
    while _due_within_days(obligation_id, day + timedelta(days=1), days) < on:
        day += timedelta(days=1)
    return day


@cites("regulations: Art. 9", "exit-entry-law: Art. 30", params=("residence-permit-application-after-entry",))
def after_entry_obligation(
    entry_date: date, within_days: int | None = None, *, in_catalog: Catalog | None = None
) -> Obligation:
    """The residence-permit-after-entry duty of an entry on ``entry_date``, within ``within_days``: the days
    the visa states. Regulations Art. 9: "the visa authority shall specify on the visa the time limit for
    applying for the residence permit after entry", so a visa's own number is the one (a visa saying 10
    days gives 10); the Law's days (Art. 30, the parameter in force on the day of entry: 30, which the
    personal-affairs guide's Legal Reminder 1 repeats) only where the visa's number is not given (None)."""
    cat = in_catalog or catalog()
    duty = cat.obligations[PERMIT_AFTER_ENTRY]
    if within_days is not None:
        duty = replace(duty, period=replace(duty.period, calendar_days=within_days))
    return duty.on(cat.parameters, entry_date)


@cites(
    "regulations: Art. 9",
    "exit-entry-law: Art. 30",
    "civil-code: Art. 201",
    "civil-code: Art. 203",
    params=("residence-permit-application-after-entry",),
)
def residence_permit_due(entry_date: date, within_days: int | None = None) -> date:
    """The last day to apply for a residence permit after entering on ``entry_date`` (within the visa's
    ``within_days``, else the days in force on the day of entry: ``after_entry_obligation``), moved past
    rest days on the official calendar."""
    return _due_within_days(PERMIT_AFTER_ENTRY, entry_date, within_days)


@cites("regulations: Art. 9", "exit-entry-law: Art. 30", params=("residence-permit-application-after-entry",))
def residence_permit_late(entry_date: date, on: date, within_days: int | None = None) -> date | None:
    """The residence permit's due day when ``on`` is past it, else None."""
    due = residence_permit_due(entry_date, within_days)
    return due if due < on else None


@cites("regulations: Art. 9", "exit-entry-law: Art. 30", params=("residence-permit-application-after-entry",))
def latest_entry_with_residence_permit_late(on: date, within_days: int | None = None) -> date:
    """The latest entry day, on a visa stating ``within_days``, whose residence-permit deadline has passed
    by ``on``."""
    return _latest_start_late(PERMIT_AFTER_ENTRY, on, within_days)


@cites(
    "exit-entry-law: Art. 33",
    "civil-code: Art. 201",
    "civil-code: Art. 203",
    params=("residence-permit-change-of-particulars",),
)
def particulars_change_late(change_date: date, on: date) -> date | None:
    """The last day to apply to change a residence permit whose particulars changed on ``change_date``,
    moved past rest days, when ``on`` is past it; else None."""
    due = particulars_change_due(change_date)
    return due if due < on else None


@cites("exit-entry-law: Art. 33", params=("residence-permit-change-of-particulars",))
def latest_change_with_particulars_late(on: date) -> date:
    """The latest change day whose residence-permit change is late by ``on``."""
    return _latest_start_late(PARTICULARS_CHANGE, on)


def _months(obligation_id: str, on: date) -> int:
    return obligation(obligation_id, on).period.months  # type: ignore[return-value]


@cites("bj-permanent-residence: Renewal", "civil-code: Art. 202", params=("pr-card-renewal-before-expiry",))
def pr_card_renewal_open(card_last_day: date, on: date) -> date | None:
    """The card's last day, by which it is renewed, when ``on`` is inside the renewal window; else None."""
    first, last = window_within_months_before(card_last_day, _months(PR_CARD_RENEWAL, on))
    return last if first <= on <= last else None


@cites("bj-permanent-residence: Renewal", "civil-code: Art. 202", params=("pr-card-renewal-before-expiry",))
def card_expiries_in_renewal_window(on: date) -> tuple[date, date]:
    """The first and last card last day (both inclusive) whose renewal window holds ``on``: a later last day
    never opens its window earlier, so the last is found by stepping from ``on`` plus the months."""
    months = _months(PR_CARD_RENEWAL, on)
    last = add_months(on, months)
    while add_months(last, -months) > on:
        last -= timedelta(days=1)
    while add_months(last + timedelta(days=1), -months) <= on:
        last += timedelta(days=1)
    return on, last


# --- coming due: the last day from ``on`` to ``lead`` days ahead ----------------------------------------


def _within(due: date, on: date, lead: int) -> date | None:
    return due if on <= due <= on + timedelta(days=lead) else None


def _starts_due_between(due_of: Callable[[date], date], first: date, last: date) -> tuple[date, date]:
    """The first and last start day whose due day (``due_of``: never earlier for a later start, and at
    least the start) is from ``first`` to ``last``, found by stepping; first > last when there is none
    (every due day in between is a rest day that moves on)."""
    lo = first
    while due_of(lo) >= first:
        lo -= timedelta(days=1)
    while due_of(lo) < first:
        lo += timedelta(days=1)
    hi = lo
    while due_of(hi + timedelta(days=1)) <= last:
        hi += timedelta(days=1)
    return lo, hi if due_of(hi) <= last else lo - timedelta(days=1)


@cites("exit-entry-law: Art. 32", params=("residence-permit-extension-before-expiry",))
def extension_coming_due(permit_last_day: date, on: date, lead: int) -> date | None:
    """The latest day to apply to extend the permit, when it is from ``on`` to ``lead`` days ahead."""
    return _within(extension_due(permit_last_day, on), on, lead)


@cites("exit-entry-law: Art. 32", params=("residence-permit-extension-before-expiry",))
def expiries_with_extension_coming_due(on: date, lead: int) -> tuple[date, date]:
    """The first and last permit last day for which ``extension_coming_due`` holds on ``on``."""
    return _starts_due_between(lambda d: extension_due(d, on), on, on + timedelta(days=lead))


@cites("regulations: Art. 9", "exit-entry-law: Art. 30", params=("residence-permit-application-after-entry",))
def residence_permit_coming_due(
    entry_date: date, on: date, lead: int, within_days: int | None = None
) -> date | None:
    """The residence permit's due day after entering on ``entry_date`` (on a visa stating ``within_days``),
    when from ``on`` to ``lead`` days ahead."""
    return _within(residence_permit_due(entry_date, within_days), on, lead)


@cites("regulations: Art. 9", "exit-entry-law: Art. 30", params=("residence-permit-application-after-entry",))
def entries_with_residence_permit_coming_due(
    on: date, lead: int, within_days: int | None = None
) -> tuple[date, date]:
    """The first and last entry day (on a visa stating ``within_days``) for which
    ``residence_permit_coming_due`` holds on ``on``."""
    return _starts_due_between(lambda d: residence_permit_due(d, within_days), on, on + timedelta(days=lead))


@cites("exit-entry-law: Art. 33", params=("residence-permit-change-of-particulars",))
def particulars_change_due(change_date: date) -> date:
    """The last day to apply to change a residence permit whose particulars changed on ``change_date``
    (the days in force on that day), moved past rest days."""
    return _due_within_days(PARTICULARS_CHANGE, change_date)


@cites("exit-entry-law: Art. 33", params=("residence-permit-change-of-particulars",))
def particulars_change_coming_due(change_date: date, on: date, lead: int) -> date | None:
    """The change's last day, when from ``on`` to ``lead`` days ahead."""
    return _within(particulars_change_due(change_date), on, lead)


@cites("exit-entry-law: Art. 33", params=("residence-permit-change-of-particulars",))
def changes_with_particulars_coming_due(on: date, lead: int) -> tuple[date, date]:
    """The first and last change day for which ``particulars_change_coming_due`` holds on ``on``."""
    return _starts_due_between(particulars_change_due, on, on + timedelta(days=lead))


@cites("bj-permanent-residence: Renewal", params=("pr-card-renewal-before-expiry",))
def pr_card_renewal_coming_due(card_last_day: date, on: date, lead: int) -> date | None:
    """The card's last day (by which it is renewed), when from ``on`` to ``lead`` days ahead."""
    return _within(card_last_day, on, lead)


@cites("bj-permanent-residence: Renewal", params=("pr-card-renewal-before-expiry",))
def card_expiries_with_renewal_coming_due(on: date, lead: int) -> tuple[date, date]:
    """The first and last card last day for which ``pr_card_renewal_coming_due`` holds on ``on``."""
    return _starts_due_between(lambda d: d, on, on + timedelta(days=lead))
