"""The demo gives every hall a counter and slots ahead, and leaves the reception hall's day alive, once;
without DEBUG it refuses."""

from __future__ import annotations

from datetime import UTC
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.appointments.helpers import at

from case_helpers import client_for
from exitentry.accounts.audit import verify
from exitentry.accounts.models import AuditEntry, User
from exitentry.appointments.models import Booking, Counter, QueueTicket, Slot
from exitentry.law.catalog import catalog

pytestmark = pytest.mark.django_db


def test_every_hall_gets_a_demo_counter_and_slots_and_a_second_run_creates_nothing(settings) -> None:
    settings.DEBUG = True
    call_command("load_demo_appointments", stdout=StringIO())
    assert set(Counter.objects.values_list("hall_id", flat=True)) == set(catalog().halls)
    slots = Slot.objects.count()
    assert slots > 0
    out = StringIO()
    call_command("load_demo_appointments", stdout=out)
    assert (Counter.objects.count(), Slot.objects.count()) == (len(catalog().halls) + 1, slots)
    assert "0 created; slots: 0 created; bookings: 0 created" in out.getvalue()


def test_the_demo_counters_are_refused_without_debug(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo_appointments", stdout=StringIO())
    assert not Counter.objects.exists()


def demo_appointments(now) -> str:
    out = StringIO()
    with mock.patch("exitentry.clock.now", return_value=now.astimezone(UTC)):  # as the database gives it
        call_command("load_demo_appointments", force=True, stdout=out)
    return out.getvalue()


def test_the_demo_leaves_the_reception_halls_day_alive_on_an_opening_day_once(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", force=True, stdout=StringIO())
    assert "bookings: 0 created" in demo_appointments(at("2026-11-22T13:20"))  # a Sunday: closed
    assert not Booking.objects.exists()
    assert "bookings: 6 created" in demo_appointments(at("2026-11-23T13:20"))
    today = QueueTicket.objects.filter(hall_id="reception-hall", day="2026-11-23")
    assert sorted(today.values_list("state", flat=True)) == ["called", "served", "waiting", "waiting"]
    assert list(today.exclude(state="waiting").order_by("counter").values_list("counter", flat=True)) == [
        1,
        2,
    ]
    assert all(t.issued_at < t.booked_for and t.booking.created_at < t.issued_at for t in today)
    later = Booking.objects.get(slot__day="2026-11-23", state=Booking.State.ACTIVE)
    assert later.slot.starts_at > at("2026-11-23T13:20")  # still to check in, by hand
    assert Booking.objects.filter(slot__day="2026-11-24", state=Booking.State.ACTIVE).count() == 1
    actions = list(AuditEntry.objects.filter(action__startswith="booking.").values_list("action", flat=True))
    assert (actions.count("booking.create"), actions.count("booking.check_in")) == (6, 4)
    assert verify().ok
    before = (Booking.objects.count(), QueueTicket.objects.count(), AuditEntry.objects.count())
    assert "bookings: 0 created" in demo_appointments(at("2026-11-23T13:25"))
    assert (Booking.objects.count(), QueueTicket.objects.count(), AuditEntry.objects.count()) == before
    with mock.patch("exitentry.clock.now", return_value=at("2026-11-23T13:25")):
        board = client_for(User.objects.get(username="officer.wang")).get(
            "/en/console/hall/reception-hall/day/"
        )
    assert board.status_code == 200 and board.content.decode().count("ticket-waiting") == 2


@pytest.mark.parametrize(
    ("loaded", "states"),
    [
        ("2026-11-23T04:00", []),  # before the hall opens: booked, nobody checked in yet
        ("2026-11-23T09:05", ["called", "waiting", "waiting", "waiting"]),  # the first called, not yet served
    ],
)
def test_the_demo_day_at_the_hall_shows_only_what_has_happened_by_the_time_it_is_loaded(
    settings, tmp_path, loaded, states
) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", force=True, stdout=StringIO())
    now = at(loaded)
    demo_appointments(now)
    today = QueueTicket.objects.filter(hall_id="reception-hall", day="2026-11-23")
    assert sorted(today.values_list("state", flat=True)) == states
    for ticket in today:
        assert all(t is None or t <= now for t in (ticket.issued_at, ticket.called_at, ticket.served_at))
    assert Booking.objects.filter(slot__day="2026-11-23").count() == 5  # the morning and one later, booked
