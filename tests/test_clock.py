"""The instant records are stamped with: the real time, or a replayed one that is never in the future."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from exitentry import clock
from exitentry.law.calendar import BEIJING


def test_outside_a_replay_records_are_stamped_with_the_real_time() -> None:
    before = timezone.now()
    assert before <= clock.now() <= timezone.now()


def test_a_replay_stamps_the_instant_it_was_given_in_utc_and_ends_with_its_block() -> None:
    past = datetime(2026, 9, 23, 9, 30, tzinfo=BEIJING)
    with clock.replaying() as set_instant:
        set_instant(past)
        assert clock.now() == past and clock.now().tzinfo == UTC
    assert clock.now() - timezone.now() < timedelta(seconds=1)


def test_a_replayed_instant_is_never_later_than_now() -> None:
    with clock.replaying() as set_instant:
        set_instant(timezone.now() + timedelta(days=3))
        assert clock.now() <= timezone.now()


def test_a_replayed_instant_needs_its_time_zone() -> None:
    with clock.replaying() as set_instant, pytest.raises(ValueError, match="time zone"):
        set_instant(datetime(2026, 9, 23, 9, 30))
