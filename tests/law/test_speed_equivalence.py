"""The shortcuts taken for speed give exactly what the plain computation gives.

``add_months``, ``Duration.end_from`` and ``age_in_years`` were written without relativedelta; these
properties hold them to relativedelta's answers over the whole range of dates, month ends and 29 February
included (Civil Code Arts. 202, 1259). ``Duration.comparable_ends`` is held to the end dates it stands
for, and the advice's prebuilt answers to the conditions they stand for.
"""

from __future__ import annotations

from calendar import isleap, monthrange
from dataclasses import replace
from datetime import date

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from exitentry.law.advice import advise
from exitentry.law.catalog import catalog
from exitentry.law.conditions import compile_condition
from exitentry.law.facts import Duration
from exitentry.law.periods import add_months, age_in_years

dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
month_ends = st.builds(
    lambda year, month: date(year, month, monthrange(year, month)[1]),
    st.integers(1, 9999),
    st.integers(1, 12),
)
any_day = st.one_of(
    dates, month_ends, st.builds(lambda y: date(y, 2, 29), st.integers(1, 9999).filter(isleap))
)
month_counts = st.integers(-1200, 1200)


def _relativedelta_add(start: date, months: int, days: int = 0) -> date | type[Exception]:
    try:
        return start + relativedelta(months=months, days=days)
    except (ValueError, OverflowError) as exc:
        return type(exc)


@given(any_day, month_counts)
def test_add_months_lands_on_the_same_day_as_relativedelta(start, months):
    try:
        ours: date | type[Exception] = add_months(start, months)
    except (ValueError, OverflowError) as exc:
        ours = type(exc)
    assert ours == _relativedelta_add(start, months)


@given(any_day, st.integers(0, 1200), st.integers(0, 4000))
def test_a_duration_ends_on_the_same_day_as_relativedelta(start, months, days):
    try:
        ours: date | type[Exception] = Duration(months, days).end_from(start)
    except (ValueError, OverflowError) as exc:
        ours = type(exc)
    assert ours == _relativedelta_add(start, months, days)


@given(any_day, any_day)
def test_age_in_years_counts_the_same_completed_years_as_relativedelta(birth, on):
    assert age_in_years(birth, on) == relativedelta(on, birth).years


def test_a_29_february_birthday_is_reached_on_28_february_in_a_common_year():
    assert age_in_years(date(2008, 2, 29), date(2026, 2, 28)) == 18
    assert age_in_years(date(2008, 2, 29), date(2026, 2, 27)) == 17


def test_one_month_after_31_january_is_the_last_day_of_february():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


durations = st.builds(Duration, st.integers(0, 120), st.integers(0, 4000))


@given(durations, durations, st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_comparable_ends_order_two_durations_as_their_end_dates_do(a, b, start):
    x, y = a.comparable_ends(b, start)
    ends = a.end_from(start), b.end_from(start)
    assert (x < y, x == y, x > y) == (ends[0] < ends[1], ends[0] == ends[1], ends[0] > ends[1])


def test_six_months_and_180_days_compare_by_their_end_dates():
    six_months, days_180 = Duration(6, 0), Duration(0, 180)
    assert six_months.comparable_ends(days_180, date(2026, 1, 1)) == (date(2026, 7, 1), date(2026, 6, 30))
    assert six_months.comparable_ends(days_180, date(2026, 3, 1)) == (date(2026, 9, 1), date(2026, 8, 28))


def test_a_line_whose_condition_names_no_fact_but_is_false_is_left_out():
    cat = catalog()
    procedure = cat.procedure("rp-personal-affairs")
    never = compile_condition({"not": True}, cat.facts, "test")
    notes = tuple(replace(rule, when=never) for rule in procedure.rules["notes"])
    changed = replace(procedure, rules={**procedure.rules, "notes": notes})
    in_catalog = replace(cat, procedures={**cat.procedures, procedure.id: changed})

    assert procedure.rules["notes"]
    assert advise(procedure.id, {}, date(2026, 11, 23), in_catalog=in_catalog).notes == ()
