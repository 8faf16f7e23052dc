"""Where a permit stands (registry/standing.py): in force, expired, void or cancelled, since when and why."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exitentry import clock
from exitentry.law.calendar import beijing_today
from exitentry.registry import services
from exitentry.registry.models import Permit, PermitEvent
from exitentry.registry.standing import beijing_date, standing
from factories import PermitFactory

pytestmark = pytest.mark.django_db

LAST_DAY = date(2026, 12, 1)


def permit() -> Permit:
    return services.issue_permit(
        PermitFactory().person,
        "residence-permit",
        number="RP1",
        issued_on=date(2025, 12, 2),
        valid_until=LAST_DAY,
    )


def test_a_permit_is_in_force_through_its_last_day_and_expired_after_it_reading_no_events() -> None:
    held = Permit.objects.get(pk=permit().pk)
    with CaptureQueriesContext(connection) as queries:
        assert standing(held, LAST_DAY).in_force
        after = standing(held, LAST_DAY + timedelta(days=1))
    assert len(queries) == 0
    assert (after.state, after.ended_on, after.label.en) == ("expired", LAST_DAY, "Expired")


def test_a_voided_permit_stands_void_from_the_beijing_day_of_the_voiding_with_its_ground() -> None:
    held = permit()
    services.end_permit(held, Permit.Status.VOID, "void-damaged-lost-stolen-robbed", on=LAST_DAY)
    # 23:30 UTC on 30 November is already 1 December in Beijing
    PermitEvent.objects.filter(kind="void").update(at=datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    now = standing(held, date(2026, 11, 1))
    assert (now.state, now.in_force, now.ended_on) == ("void", False, date(2026, 12, 1))
    assert now.ground.id == "void-damaged-lost-stolen-robbed"
    assert now.label.zh == "已宣布作废（《中华人民共和国外国人入境出境管理条例》第三十四条）"


def test_a_void_permit_later_cancelled_stands_cancelled_on_the_cancellations_ground() -> None:
    held = permit()
    services.end_permit(held, Permit.Status.VOID, "void-damaged-lost-stolen-robbed", on=LAST_DAY)
    services.end_permit(held, Permit.Status.CANCELLED, "cancel-declared-void-or-misused", on=LAST_DAY)
    now = standing(held, date(2026, 11, 1))
    assert (now.state, now.ground.id) == ("cancelled", "cancel-declared-void-or-misused")


def test_a_permit_recorded_as_issued_on_an_earlier_day_has_its_issue_event_on_that_day() -> None:
    """The history's "Issued" agrees with the permit's issue date, whenever the record was loaded."""
    held = permit()  # issued on 2 December 2025, recorded today
    assert beijing_date(held.events.get(kind=PermitEvent.Kind.ISSUE)) == held.issued_on
    today = beijing_today()
    fresh = services.issue_permit(
        PermitFactory().person,
        "residence-permit",
        number="RP2",
        issued_on=today,
        valid_until=today + timedelta(days=365),
    )
    event = fresh.events.get(kind=PermitEvent.Kind.ISSUE)
    assert beijing_date(event) == today and abs(event.at - clock.now()) < timedelta(minutes=1)
