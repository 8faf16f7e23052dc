"""The days off the National Holidays Measures fix for a year before its notice: Art. 2's festivals and
Art. 6's days in lieu of those on a weekend, held to the published notices and to the ``holidays`` package.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lunar_python import Lunar

from exitentry.law.calendar import official_calendar
from exitentry.law.statutory_holidays import (
    days_in_lieu,
    holidays_with_days_in_lieu,
    statutory_holidays,
)

D = date.fromisoformat
STATUTORY_DAYS = 13  # Art. 2: 1 + 4 + 1 + 2 + 1 + 1 + 3
years = st.integers(min_value=2025, max_value=2056)  # the revised Measures' years the calendar reckons with


def span_days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def festival_days(year: int) -> set[date]:
    return {day for first, last, _ in statutory_holidays(year) for day in span_days(first, last)}


def shares_a_weekday_with_national_day(year: int) -> bool:
    """A Mid-Autumn Festival (the 15th of the eighth lunar month) on a weekday of 1-3 October."""
    solar = Lunar.fromYmd(year, 8, 15).getSolar()
    mid_autumn = date(solar.getYear(), solar.getMonth(), solar.getDay())
    return mid_autumn.month == 10 and mid_autumn.day <= 3 and mid_autumn.weekday() < 5


# --- dated scenarios -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        pytest.param(
            2027,
            [("2027-02-09", "Spring Festival"), ("2027-02-10", "Spring Festival"),
             ("2027-05-03", "Labour Day"), ("2027-05-04", "Labour Day"),
             ("2027-10-04", "National Day"), ("2027-10-05", "National Day")],
            id="2027: the Spring Festival's, Labour Day's and National Day's Saturday and Sunday",
        ),
        pytest.param(
            2028,
            [("2028-01-03", "New Year's Day"), ("2028-05-29", "Dragon Boat Festival"),
             ("2028-10-04", "National Day"), ("2028-10-05", "Mid-Autumn Festival")],
            id="2028: New Year's Saturday, Dragon Boat's Sunday, Sunday 1 October, Mid-Autumn on 3 October",
        ),
        pytest.param(
            2044,
            [("2044-02-02", "Spring Festival"), ("2044-02-03", "Spring Festival"),
             ("2044-05-03", "Labour Day"), ("2044-10-04", "National Day"), ("2044-10-06", "National Day")],
            id="2044: 1-2 October made up on Tuesday 4 and Thursday 6, Wednesday 5 being Mid-Autumn",
        ),
    ],
)  # fmt: skip
def test_a_holiday_on_a_weekend_is_made_up_on_the_next_free_weekday(year: int, expected) -> None:
    assert [(str(day), name.en) for day, name in days_in_lieu(year)] == expected


def test_a_holiday_runs_on_to_its_days_in_lieu() -> None:
    spans = {(str(first), str(last)): name.zh for first, last, name in holidays_with_days_in_lieu(2028)}
    assert spans[("2028-01-01", "2028-01-03")] == "元旦"
    assert spans[("2028-10-01", "2028-10-05")] == "国庆节、中秋节"


@pytest.mark.parametrize("year", (2025, 2026))
def test_the_days_in_lieu_are_the_days_the_notice_gave(year: int) -> None:
    """The notices of 2025 (Dragon Boat on Saturday 31 May: Monday 2 June) and 2026 (Qingming on Sunday 5
    April, 2 May, 3 October: 6 April, 4 May, 5 October) rest each day in lieu, and their weekdays off
    less their make-up working days are Art. 2's 13, as the rule's are."""
    calendar = official_calendar()
    notice = calendar.schedule(year)
    assert notice is not None
    lieu = [day for day, _ in days_in_lieu(year)]
    assert lieu and [day for day in lieu if calendar.is_working_day(day, exact=True)] == []
    year_days = span_days(date(year, 1, 1), date(year, 12, 31))
    weekdays_off = [d for d in year_days if d.weekday() < 5 and not calendar.is_working_day(d, exact=True)]
    assert len(weekdays_off) - len(notice.makeup_working_days) == STATUTORY_DAYS
    assert len([d for d in festival_days(year) if d.weekday() < 5]) + len(lieu) == STATUTORY_DAYS


@pytest.mark.parametrize("year", range(2027, 2057))
def test_the_days_in_lieu_agree_with_the_holidays_package(year: int) -> None:
    """Its "observed" days are the same next-weekday guess at Art. 6; it does not make up a Mid-Autumn
    Festival sharing a weekday with National Day (2028, 2031), which the notices of 2009 and 2020 did."""
    ours = {day for day, _ in days_in_lieu(year)}
    theirs = {d for d, name in holidays.China(years=year).items() if "observed" in name.lower()}
    assert theirs <= ours
    assert len(ours - theirs) == (1 if shares_a_weekday_with_national_day(year) else 0)


# --- properties ------------------------------------------------------------------------------------


@given(years)
def test_every_year_has_the_13_weekdays_off_of_art_2(year: int) -> None:
    weekday_festivals = [d for d in festival_days(year) if d.weekday() < 5]
    assert len(weekday_festivals) + len(days_in_lieu(year)) == STATUTORY_DAYS


@given(years)
def test_a_day_in_lieu_is_a_weekday_of_its_year_not_already_off(year: int) -> None:
    lieu = [day for day, _ in days_in_lieu(year)]
    assert len(set(lieu)) == len(lieu)
    for day in lieu:
        assert day.year == year
        assert day.weekday() < 5
        assert day not in festival_days(year)


@given(years)
def test_a_day_in_lieu_is_the_first_free_weekday_after_the_holiday_it_makes_up(year: int) -> None:
    free = {day for day, _ in days_in_lieu(year)}
    for day, name in days_in_lieu(year):
        first, last = next((f, la) for f, la, n in statutory_holidays(year) if name.zh in n.zh)
        assert day > last
        between = span_days(last + timedelta(days=1), day - timedelta(days=1))
        assert all(d.weekday() >= 5 or d in festival_days(year) or d in free for d in between)


@given(years)
def test_a_holiday_with_its_days_in_lieu_holds_no_working_day(year: int) -> None:
    off = festival_days(year) | {day for day, _ in days_in_lieu(year)}
    spans = holidays_with_days_in_lieu(year)
    covered = [day for first, last, _ in spans for day in span_days(first, last)]
    assert len(set(covered)) == len(covered)  # no two overlap
    assert off <= set(covered)
    assert all(day in off or day.weekday() >= 5 for day in covered)
