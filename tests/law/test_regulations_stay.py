"""The cumulative cap on extending a visa's duration of stay (Regulations Art. 14; rules.stay)."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.rules.stay import extended_stay_last_day, max_extension_days


@pytest.mark.parametrize(
    ("original", "so_far", "remaining"),
    [
        pytest.param(30, 0, 30, id="a 30-day visa not yet extended may be extended by 30 days"),
        pytest.param(30, 20, 10, id="a 30-day visa extended by 20 may be extended by 10 more"),
        pytest.param(30, 30, 0, id="a 30-day visa extended by 30 may not be extended again"),
        pytest.param(180, 90, 90, id="a 180-day visa extended by 90 may be extended by 90 more"),
    ],
)
def test_the_remaining_extension_is_the_original_stay_less_what_was_extended(
    original: int, so_far: int, remaining: int
) -> None:
    cap = max_extension_days(original, so_far)
    assert cap.remaining_days == remaining
    assert {(c.source, c.section) for c in cap.cite} == {
        ("regulations", "Art. 14"),
        ("exit-entry-law", "Art. 29"),
    }


@pytest.mark.parametrize(
    ("requested", "allowed"),
    [
        pytest.param(10, True, id="asking 10 more days after 20 of 30 is allowed"),
        pytest.param(11, False, id="asking 11 more days after 20 of 30 is refused"),
        pytest.param(1, True, id="asking one more day after 20 of 30 is allowed"),
    ],
)
def test_a_request_is_allowed_only_within_the_cap(requested: int, allowed: bool) -> None:
    assert max_extension_days(30, 20).allows(requested) is allowed


@pytest.mark.parametrize(
    ("original", "so_far", "message"),
    [
        pytest.param(
            30,
            31,
            "more than the 30 days",
            id="an extension beyond the original stay already is refused as impossible",
        ),
        pytest.param(0, 0, "at least one day", id="a visa without a duration of stay is refused"),
        pytest.param(30, -1, "cannot be negative", id="a negative extension so far is refused"),
    ],
)
def test_impossible_numbers_are_refused_with_a_reason(original: int, so_far: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        max_extension_days(original, so_far)


def test_a_request_of_zero_days_is_not_an_extension() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        max_extension_days(30, 0).allows(0)


def test_an_extension_moves_the_stays_last_day_by_the_days_granted_from_the_current_one():
    assert extended_stay_last_day(date(2026, 11, 20), 10) == date(2026, 11, 30)
    assert extended_stay_last_day(date(2026, 12, 25), 10) == date(2027, 1, 4)
