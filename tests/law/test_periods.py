"""Periods in calendar days and months: Regulations Art. 36 and Civil Code Arts. 201-203 and 1259."""

from __future__ import annotations

import calendar as gregorian
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitentry.law.periods import (
    add_months,
    age_in_years,
    last_day_of_stay,
    last_day_within_calendar_days,
    latest_day_at_least_calendar_days_before,
    roll_past_rest_days,
    window_within_months_after,
    window_within_months_before,
)

D = date.fromisoformat


def test_within_30_days_of_entry_on_1_march_ends_on_31_march() -> None:
    assert last_day_within_calendar_days(D("2026-03-01"), 30) == D("2026-03-31")


def test_within_10_days_of_a_change_on_25_december_ends_on_4_january() -> None:
    assert last_day_within_calendar_days(D("2025-12-25"), 10) == D("2026-01-04")


def test_at_least_30_days_before_expiry_on_31_december_is_1_december_at_the_latest() -> None:
    assert latest_day_at_least_calendar_days_before(D("2026-12-31"), 30) == D("2026-12-01")


def test_at_least_30_days_before_expiry_on_30_march_2024_reaches_back_over_29_february() -> None:
    assert latest_day_at_least_calendar_days_before(D("2024-03-30"), 30) == D("2024-02-29")


@pytest.mark.parametrize(
    ("event", "first_day"),
    [
        pytest.param(
            D("2026-03-31"), D("2026-02-28"), id="one month before 31 March 2026 starts 28 February"
        ),
        pytest.param(
            D("2024-03-31"), D("2024-02-29"), id="one month before 31 March 2024 starts 29 February"
        ),
        pytest.param(D("2026-05-31"), D("2026-04-30"), id="one month before 31 May starts 30 April"),
        pytest.param(D("2026-03-15"), D("2026-02-15"), id="one month before 15 March starts 15 February"),
        pytest.param(
            D("2026-01-31"), D("2025-12-31"), id="one month before 31 January reaches into last year"
        ),
    ],
)
def test_the_month_before_an_event(event: date, first_day: date) -> None:
    assert window_within_months_before(event, 1) == (first_day, event)


@pytest.mark.parametrize(
    ("event", "last_day"),
    [
        pytest.param(D("2026-01-31"), D("2026-02-28"), id="one month after 31 January 2026 ends 28 February"),
        pytest.param(D("2024-01-31"), D("2024-02-29"), id="one month after 31 January 2024 ends 29 February"),
        pytest.param(D("2026-08-31"), D("2026-09-30"), id="one month after 31 August ends 30 September"),
        pytest.param(D("2026-12-15"), D("2027-01-15"), id="one month after 15 December ends 15 January"),
    ],
)
def test_the_month_after_an_event(event: date, last_day: date) -> None:
    assert window_within_months_after(event, 1) == (event, last_day)


def test_a_stay_is_counted_from_the_day_after_entry() -> None:
    assert last_day_of_stay(D("2026-03-01"), 30) == D("2026-03-31")
    assert last_day_of_stay(D("2026-03-01"), 1) == D("2026-03-02")


@pytest.mark.parametrize(
    ("last_day", "expected"),
    [
        pytest.param(
            D("2026-10-01"), D("2026-10-08"), id="a deadline on National Day 2026 moves to 8 October"
        ),
        pytest.param(D("2026-10-11"), D("2026-10-12"), id="a deadline on a Sunday moves to Monday"),
        pytest.param(D("2026-10-10"), D("2026-10-10"), id="a deadline on a make-up Saturday stays"),
        pytest.param(D("2026-02-15"), D("2026-02-24"), id="a deadline in the Spring Festival moves past it"),
        pytest.param(D("2026-03-31"), D("2026-03-31"), id="a deadline on a working Tuesday stays"),
    ],
)
def test_a_deadline_on_a_rest_day_rolls_to_the_next_working_day(last_day: date, expected: date) -> None:
    assert roll_past_rest_days(last_day, exact=True) == (expected, False)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        pytest.param(
            D("2008-02-29"), D("2026-02-27"), 17, id="born 29 February 2008 is 17 on 27 February 2026"
        ),
        pytest.param(
            D("2008-02-29"), D("2026-02-28"), 18, id="born 29 February 2008 is 18 on 28 February 2026"
        ),
        pytest.param(
            D("2008-02-29"), D("2028-02-28"), 19, id="born 29 February 2008 is still 19 on 28 February 2028"
        ),
        pytest.param(
            D("2008-02-29"), D("2028-02-29"), 20, id="born 29 February 2008 is 20 on 29 February 2028"
        ),
        pytest.param(
            D("1966-11-22"), D("2026-11-22"), 60, id="born 22 November 1966 is 60 on 22 November 2026"
        ),
        pytest.param(
            D("1966-11-23"), D("2026-11-22"), 59, id="born 23 November 1966 is 59 on 22 November 2026"
        ),
    ],
)
def test_age_in_completed_years(birth: date, on: date, age: int) -> None:
    assert age_in_years(birth, on) == age


# --- month arithmetic properties -------------------------------------------------------------------

any_day = st.dates(min_value=D("1900-01-01"), max_value=D("2100-12-31"))
months = st.integers(min_value=-1200, max_value=1200)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


@given(any_day, months)
def test_moving_by_months_lands_in_the_month_asked_for_and_never_on_a_later_day(start: date, n: int) -> None:
    result = add_months(start, n)
    assert month_index(result) == month_index(start) + n
    assert result.day <= start.day


@given(any_day, months)
def test_moving_by_months_clamps_only_at_the_end_of_a_shorter_month(start: date, n: int) -> None:
    result = add_months(start, n)
    if result.day < start.day:
        assert result.day == gregorian.monthrange(result.year, result.month)[1]
