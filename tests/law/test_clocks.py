"""Statutory clocks in working days with pauses for missing materials (Regulations Arts. 18, 36)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitentry.law.calendar import official_calendar
from exitentry.law.clocks import DUE, LATE, MET, PAUSED, BadPause, Pause, working_day_deadline

D = date.fromisoformat
CAL = official_calendar()
days_2024_2026 = st.dates(min_value=D("2024-01-01"), max_value=D("2026-11-30"))


def test_fifteen_working_days_from_acceptance_on_24_september_2026_cross_the_national_day_holiday() -> None:
    # 25-27 Sep (Mid-Autumn) and 1-7 Oct rest; 10 Oct is a make-up working day.
    assert working_day_deadline(D("2026-09-24"), 15).due == D("2026-10-22")


def test_seven_working_days_from_24_september_2026_end_on_12_october() -> None:
    assert working_day_deadline(D("2026-09-24"), 7).due == D("2026-10-12")


def test_a_pause_from_a_monday_notice_to_the_thursday_resubmission_adds_three_working_days() -> None:
    plain = working_day_deadline(D("2026-11-02"), 7).due
    paused = working_day_deadline(D("2026-11-02"), 7, [Pause(D("2026-11-09"), D("2026-11-12"))])
    assert plain == D("2026-11-11")
    assert paused.due == D("2026-11-16")
    assert paused.paused_working_days == 3


def test_an_open_pause_leaves_no_due_date_until_the_applicant_resubmits() -> None:
    deadline = working_day_deadline(D("2026-11-02"), 7, [Pause(D("2026-11-04"))])
    assert deadline.due is None
    assert deadline.status(None, D("2026-12-31")) == PAUSED


def test_a_pause_that_starts_after_the_clock_ran_out_changes_nothing() -> None:
    assert working_day_deadline(D("2026-11-02"), 3, [Pause(D("2026-11-20"), D("2026-11-30"))]).due == D(
        "2026-11-05"
    )


def test_a_clock_that_reaches_2027_is_provisional_until_its_schedule_is_published() -> None:
    deadline = working_day_deadline(D("2026-12-24"), 15)
    assert deadline.provisional
    assert not working_day_deadline(D("2026-11-02"), 15).provisional


def test_a_pause_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(BadPause, match="before it starts"):
        Pause(D("2026-11-10"), D("2026-11-09"))


@pytest.mark.parametrize(
    ("done_on", "today", "status"),
    [
        pytest.param(D("2026-11-11"), D("2026-11-30"), MET, id="done on the last day is met"),
        pytest.param(D("2026-11-12"), D("2026-11-30"), LATE, id="done the day after is late"),
        pytest.param(None, D("2026-11-11"), DUE, id="not done on the last day is still due"),
        pytest.param(None, D("2026-11-12"), LATE, id="not done after the last day is late"),
    ],
)
def test_a_deadline_is_met_due_or_late(done_on: date | None, today: date, status: str) -> None:
    assert working_day_deadline(D("2026-11-02"), 7).status(done_on, today) == status


@given(start=days_2024_2026, n=st.integers(0, 30))
def test_with_no_pause_the_clock_is_plain_working_day_addition(start: date, n: int) -> None:
    assert working_day_deadline(start, n).due == CAL.add_working_days(start, n).date


@given(
    start=days_2024_2026,
    n=st.integers(1, 30),
    offset=st.integers(0, 40),
    length=st.integers(0, 40),
)
def test_a_pause_inside_the_clock_moves_the_due_date_by_exactly_its_working_days(
    start: date, n: int, offset: int, length: int
) -> None:
    pause = Pause(start + timedelta(days=offset), start + timedelta(days=offset + length))
    plain = CAL.add_working_days(start, n).date
    deadline = working_day_deadline(start, n, [pause])
    if pause.start >= plain:
        assert deadline.due == plain
    else:
        skipped = CAL.working_days_between(pause.start, pause.end).days
        assert deadline.paused_working_days == skipped
        assert deadline.due == CAL.add_working_days(plain, skipped).date
    # The working days counted between start and due, less the paused ones, are exactly n.
    counted = CAL.working_days_between(start, deadline.due).days - deadline.paused_working_days
    assert counted == n


@given(start=days_2024_2026, n=st.integers(1, 30), cuts=st.lists(st.integers(0, 60), min_size=4, max_size=4))
def test_two_pauses_count_the_same_in_any_order(start: date, n: int, cuts: list[int]) -> None:
    a, b, c, d = sorted(cuts)
    pauses = [
        Pause(start + timedelta(a), start + timedelta(b)),
        Pause(start + timedelta(c), start + timedelta(d)),
    ]
    assert working_day_deadline(start, n, pauses) == working_day_deadline(start, n, list(reversed(pauses)))
    assert working_day_deadline(start, n, pauses).due >= CAL.add_working_days(start, n).date
