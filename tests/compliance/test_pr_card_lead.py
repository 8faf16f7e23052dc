"""A permanent resident ID card is reminded two weeks before its renewal window opens, the window being the
law's (parameter pr-card-renewal-before-expiry, bj-permanent-residence Renewal), whatever its length."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.compliance.coming_due import REMIND_BEFORE_WINDOW_DAYS, lead_days
from exitentry.law.rules import duties


@pytest.mark.parametrize("on", [date(2026, 1, 31), date(2026, 2, 1), date(2026, 6, 15), date(2026, 12, 31)])
def test_the_lead_is_the_law_s_window_and_two_weeks(on: date) -> None:
    _, last_in_window = duties.card_expiries_in_renewal_window(on)
    assert (
        lead_days(duties.PR_CARD_RENEWAL, on)
        == (last_in_window - on).days + REMIND_BEFORE_WINDOW_DAYS
        == ((last_in_window - on).days + 14)
    )
    assert 28 + 14 <= lead_days(duties.PR_CARD_RENEWAL, on) <= 31 + 14  # a one-month window in force


def test_the_other_duties_keep_their_recorded_leads() -> None:
    assert lead_days(duties.EXTENSION, date(2026, 6, 15)) == 14
