"""Chapter IV's deadlines at their boundaries: the 24-hour transfer to the minute (Art. 29), an order to
leave to 24:00 Beijing time on its last day and at most 15 days (Art. 33), reports (Art. 30), the no-entry
period's years (Art. 31, Exit and Entry Administration Law Art. 62), who bears the costs (Art. 32)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitentry.law.calendar import BEIJING
from exitentry.law.rules.enforcement import (
    DUE,
    GUARANTOR,
    ILLEGAL_EMPLOYER,
    LATE,
    MET,
    SELF,
    ExitDeadlineTooLong,
    NoEntryPeriodOutOfBounds,
    detention_status,
    exit_deadline,
    in_restricted_area,
    is_area,
    no_entry_period,
    order_to_leave_status,
    repatriation_costs,
    report_status,
)
from exitentry.law.rules.residence import visa_free_last_day

DETAINED = datetime(2026, 3, 1, 10, 30, tzinfo=BEIJING)
MINUTE = timedelta(minutes=1)
DUE_AT = DETAINED + timedelta(hours=24)


@pytest.mark.parametrize(
    ("transferred", "at", "status"),
    [
        pytest.param(None, DUE_AT - MINUTE, DUE, id="not yet sent on, a minute before the 24 hours end: due"),
        pytest.param(None, DUE_AT + MINUTE, LATE, id="not sent on a minute after: late"),
        pytest.param(DUE_AT, DUE_AT + timedelta(days=3), MET, id="sent on at the 24th hour: met"),
        pytest.param(DUE_AT + MINUTE, DUE_AT + timedelta(days=3), LATE, id="a minute after: late"),
        pytest.param(DUE_AT + MINUTE, DUE_AT - MINUTE, DUE, id="a later transfer is not known yet: due"),
    ],
)
def test_a_detention_is_sent_on_within_24_hours_to_the_minute(transferred, at, status) -> None:
    assert detention_status(DETAINED, transferred, at) == status


def test_the_24_hours_run_from_the_instant_whatever_its_time_zone() -> None:
    in_utc = DETAINED.astimezone(UTC)
    assert detention_status(in_utc, DUE_AT.astimezone(UTC), DUE_AT + MINUTE) == MET


ORDERED = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("left_on", "at", "status"),
    [
        pytest.param(
            None, datetime(2026, 12, 7, 23, 59, tzinfo=BEIJING), DUE, id="23:59 on the last day: due"
        ),
        pytest.param(None, datetime(2026, 12, 8, 0, 0, tzinfo=BEIJING), LATE, id="24:00 Beijing time: late"),
        pytest.param(
            None, datetime(2026, 12, 7, 16, 0, tzinfo=UTC), LATE, id="16:00 UTC is 24:00 in Beijing"
        ),
        pytest.param(
            None, datetime(2026, 12, 7, 15, 59, tzinfo=UTC), DUE, id="15:59 UTC is 23:59 in Beijing"
        ),
        pytest.param(date(2026, 12, 7), date(2026, 12, 20), MET, id="left on the last day: met"),
        pytest.param(date(2026, 12, 8), date(2026, 12, 20), LATE, id="left the day after: late"),
        pytest.param(None, date(2026, 12, 8), LATE, id="a date is judged at 00:00 Beijing time"),
    ],
)
def test_an_order_to_leave_in_15_days_runs_to_24_00_beijing_time_on_its_last_day(left_on, at, status) -> None:
    deadline = exit_deadline(ORDERED, 15)
    assert deadline.last_day == date(2026, 12, 7)
    assert order_to_leave_status(deadline.last_day, left_on, at) == status


def test_an_order_to_leave_in_16_days_is_refused_in_both_languages() -> None:
    assert exit_deadline(ORDERED, 15).calendar_days == 15
    with pytest.raises(ExitDeadlineTooLong) as refused:
        exit_deadline(ORDERED, 16)
    assert "at most 15 days" in refused.value.text.en and "不得超过15日" in refused.value.text.zh
    assert "第三十三条" in refused.value.text.zh


def test_a_report_is_met_by_its_time_and_late_after() -> None:
    due = datetime(2026, 5, 4, 9, 0, tzinfo=BEIJING)
    assert report_status(due, due, due + MINUTE) == MET
    assert report_status(due, due + MINUTE, due + timedelta(hours=1)) == LATE
    assert report_status(due, None, due - MINUTE) == DUE
    assert report_status(due, None, due) == LATE


@pytest.mark.parametrize("years", [0, 6])
def test_a_no_entry_period_outside_one_to_five_years_is_refused(years: int) -> None:
    with pytest.raises(NoEntryPeriodOutOfBounds) as refused:
        no_entry_period(date(2026, 3, 1), years)
    assert "1 to 5 years" in refused.value.text.en and "第六十二条" in refused.value.text.zh


@pytest.mark.parametrize(("years", "last"), [(1, date(2027, 3, 1)), (5, date(2031, 3, 1))])
def test_the_no_entry_period_runs_from_the_day_after_repatriation_to_the_corresponding_day(
    years, last
) -> None:
    period = no_entry_period(date(2026, 3, 1), years)
    assert period.last_day == last
    assert not period.bars(date(2026, 3, 1)) and period.bars(date(2026, 3, 2))
    assert period.bars(last) and not period.bars(last + timedelta(days=1))


def test_a_no_entry_period_from_29_february_ends_on_28_february() -> None:
    assert no_entry_period(date(2028, 2, 29), 1).last_day == date(2029, 2, 28)


@pytest.mark.parametrize(
    ("can_pay", "illegally_employed", "who"),
    [
        pytest.param(True, True, SELF, id="the foreigner pays when able, even when employed illegally"),
        pytest.param(True, False, SELF, id="the foreigner pays when able"),
        pytest.param(False, True, ILLEGAL_EMPLOYER, id="unable, employed illegally: the illegal employer"),
        pytest.param(False, False, GUARANTOR, id="unable, otherwise: whoever guaranteed the stay"),
    ],
)
def test_who_bears_the_costs_of_repatriation(can_pay, illegally_employed, who) -> None:
    bearer = repatriation_costs(can_pay=can_pay, illegally_employed=illegally_employed)
    assert bearer.who == who and bearer.cite[0].section == "Art. 32"


@given(st.dates(date(2014, 1, 1), date(2030, 12, 31)), st.integers(1, 240))
def test_a_visa_free_stay_counts_from_the_day_after_entry(entered: date, days: int) -> None:
    last = visa_free_last_day(entered, days)
    assert (last - entered).days == days


def test_areas_are_division_codes_and_a_place_is_inside_by_its_prefix() -> None:
    assert [is_area(a) for a in ("11", "1101", "110105", "1", "11010", "1101050", "", "1a")] == [
        True, True, True, False, False, False, False, False,
    ]  # fmt: skip
    assert in_restricted_area("11", "110105") and in_restricted_area("110105", "110105")
    assert not in_restricted_area("110105", "110108") and not in_restricted_area("11", "120101")
    with pytest.raises(ValueError, match="2, 4 or 6 digits"):
        in_restricted_area("1", "110105")
