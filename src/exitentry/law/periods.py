"""Periods counted in calendar days and months, and the Regulations' definitions of stay (Art. 36).

Every function names its unit. Conventions, each an explicit choice with its source:

- The day a period starts from is not counted; counting begins the next day (Civil Code Art. 201;
  for stays, Regulations Art. 36(3)). "Within 30 days of entry on 1 March" ends on 31 March.
- A period in months ends on the corresponding day of the last month, or on that month's last day when it
  has none (Civil Code Art. 202): one month before 31 March 2026 is 28 February 2026.
- "Above", "below" and "within" include the number itself (Civil Code Art. 1259).
- A period whose last day is a statutory rest day ends on the first working day after it (Civil Code
  Art. 203); ``roll_past_rest_days`` applies that, on the official calendar.
"""

from __future__ import annotations

from calendar import isleap
from datetime import date, timedelta

from exitentry.law.calendar import OfficialCalendar, Reckoned, official_calendar


def last_day_within_calendar_days(start: date, calendar_days: int) -> date:
    """The last day of "within N days of ``start``": day 1 is the day after ``start``."""
    return start + timedelta(days=calendar_days)


def latest_day_at_least_calendar_days_before(event: date, calendar_days: int) -> date:
    """The latest day that is "at least N days before ``event``" (``event`` minus N days)."""
    return event - timedelta(days=calendar_days)


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole months, ending on the month's last day where the day does not exist."""
    year, month_index = divmod(start.year * 12 + start.month - 1 + months, 12)
    month = month_index + 1
    day = start.day
    if day > 28:
        day = min(day, 29 if month == 2 and isleap(year) else _DAYS_IN_MONTH[month])
    return start.replace(year=year, month=month, day=day)


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def window_within_months_before(event: date, months: int) -> tuple[date, date]:
    """First and last day of "within N months before ``event``" (both inclusive)."""
    return add_months(event, -months), event


def window_within_months_after(event: date, months: int) -> tuple[date, date]:
    """First and last day of "within N months after ``event``" (both inclusive)."""
    return event, add_months(event, months)


def last_day_of_stay(entry: date, stay_calendar_days: int) -> date:
    """The last day a visa's duration of stay allows: counted from the day after entry (Art. 36(3))."""
    return entry + timedelta(days=stay_calendar_days)


def roll_past_rest_days(
    last_day: date, *, exact: bool = False, calendar: OfficialCalendar | None = None
) -> Reckoned:
    """``last_day``, or the first working day after it when it is a rest day (Civil Code Art. 203), on
    ``calendar`` (the official calendar unless another is given)."""
    return (calendar or official_calendar()).next_working_day(last_day, exact=exact)


def age_in_years(birth_date: date, on: date) -> int:
    """Completed years of age on ``on``; a 29 February birthday is reached on 28 February (Art. 202)."""
    years = on.year - birth_date.year
    anniversary = add_months(birth_date, 12 * years)
    if on >= birth_date:
        return years - 1 if anniversary > on else years
    return years + 1 if anniversary < on else years
