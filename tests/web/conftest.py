"""Fixtures for the web pages: a fixed Beijing date and time, so dates and "open now" can be asserted."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from exitentry.law.calendar import BEIJING

# Monday 21 September 2026, 10:00 in Beijing: before the Mid-Autumn (25-27 Sep) and National Day
# (1-7 Oct) holidays, with make-up working days on 20 Sep (Sunday) and 10 Oct (Saturday).
MONDAY_MORNING = datetime(2026, 9, 21, 10, 0, tzinfo=BEIJING)


@pytest.fixture
def beijing_at(monkeypatch):
    """Set the views' clock: ``beijing_at(datetime)``; the default is ``MONDAY_MORNING``."""

    def set_clock(at: datetime = MONDAY_MORNING) -> datetime:
        monkeypatch.setattr("exitentry.web.views.beijing_now", lambda: at)
        monkeypatch.setattr("exitentry.web.views.beijing_today", lambda: at.date())
        return at

    set_clock()
    return set_clock


@pytest.fixture
def today() -> date:
    return MONDAY_MORNING.date()
