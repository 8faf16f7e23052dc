"""The demo's step times (``exitentry.demo_times``): inside a hall's hours, in order, the same on every load."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from exitentry.demo_times import FOLLOW_UP, WORKING_HOURS, later, step_instants
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog

MONDAY = date(2026, 11, 2)
DAYS = [MONDAY, MONDAY + timedelta(days=1), *[MONDAY + timedelta(days=2)] * 4, MONDAY + timedelta(days=3)]


def local(instants) -> list[time]:
    return [i.astimezone(BEIJING).time() for i in instants]


@pytest.mark.parametrize("hall_id", [None, "reception-hall", "shijingshan"])
def test_steps_fall_in_the_halls_hours_later_each_step_of_a_day_and_the_same_every_time(hall_id) -> None:
    hall = catalog().halls[hall_id] if hall_id else None
    sessions = hall.sessions if hall else WORKING_HOURS
    for key in ("anna:rp-personal-affairs", "maria:rp-personal-affairs", "kofi:study"):
        instants = step_instants(key, DAYS, hall)
        assert instants == step_instants(key, DAYS, hall)  # a checksum, not chance
        assert [i.astimezone(BEIJING).date() for i in instants] == DAYS
        assert instants == sorted(set(instants))
        for at in local(instants) + local(later(i, FOLLOW_UP - 1, hall) for i in instants):
            assert any(s.opens <= at < s.closes for s in sessions), (key, at)
    assert len({local(step_instants(k, DAYS[:1], hall))[0] for k in "abcdefgh"}) > 1  # spread, not one time


def test_what_follows_a_step_skips_the_halls_lunch_break() -> None:
    shijingshan = catalog().halls["shijingshan"]  # 9:00-12:00 and 13:30-17:30 (seed 000)
    noon = datetime.combine(MONDAY, time(11, 50), BEIJING)
    assert later(noon, 20, shijingshan).astimezone(BEIJING).time() == time(13, 40)
    assert later(noon, 20, None).astimezone(BEIJING).time() == time(12, 10)
