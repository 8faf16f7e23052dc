"""A permanent resident ID card is reminded two weeks before its renewal window opens, the window being the
law's (parameter pr-card-renewal-before-expiry, bj-permanent-residence Renewal), whatever its length."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.compliance.coming_due import LEAD_CALENDAR_DAYS, REMIND_BEFORE_WINDOW_DAYS, pr_card_lead_days
from exitentry.law.rules import duties


@pytest.mark.parametrize("on", [date(2026, 1, 31), date(2026, 2, 1), date(2026, 6, 15), date(2026, 12, 31)])
def test_the_lead_is_the_law_s_window_and_two_weeks(on: date) -> None:
    _, last_in_window = duties.card_expiries_in_renewal_window(on)
    assert (
        pr_card_lead_days(on)
        == (last_in_window - on).days + REMIND_BEFORE_WINDOW_DAYS
        == ((last_in_window - on).days + 14)
    )
    assert 28 + 14 <= pr_card_lead_days(on) <= 31 + 14  # a one-month window in force


def test_the_other_duties_keep_their_recorded_leads_whatever_the_day() -> None:
    assert LEAD_CALENDAR_DAYS == {
        duties.EXTENSION: 14,
        duties.PERMIT_AFTER_ENTRY: 10,
        duties.PARTICULARS_CHANGE: 5,
    }  # the card's alone depends on the day (its window's length in months)
