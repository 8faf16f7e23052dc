"""The demo gives every hall a counter and slots ahead, once; without DEBUG it refuses."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exitentry.appointments.models import Counter, Slot
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
    assert "0 created; slots: 0 created" in out.getvalue()


def test_the_demo_counters_are_refused_without_debug(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo_appointments", stdout=StringIO())
    assert not Counter.objects.exists()
