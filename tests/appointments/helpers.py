"""Counters and slots for the appointment tests, and instants in Beijing time."""

from __future__ import annotations

from datetime import date, datetime

from exitentry.appointments.generation import generate
from exitentry.appointments.models import Counter, SlotLength
from exitentry.law.calendar import BEIJING

WEEK = date(2026, 11, 23)  # a Monday with no holiday near
BEFORE = datetime(2026, 11, 20, 10, 0, tzinfo=BEIJING)  # the Friday before, when people book


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def counters(hall_id: str, *categories: list[str]) -> list[Counter]:
    """One counter per list of categories, numbered from 1."""
    return [
        Counter.objects.create(hall_id=hall_id, number=n, categories=c) for n, c in enumerate(categories, 1)
    ]


def hall_with_slots(
    hall_id: str = "reception-hall", minutes: int = 30, *categories: list[str], weeks: int = 1
) -> None:
    SlotLength.objects.update_or_create(category="*", defaults={"minutes": minutes})
    counters(hall_id, *(categories or (["*"],)))
    generate(WEEK, weeks, [hall_id])


def offered_weeks_ahead(weeks: int, hall_id: str = "reception-hall") -> None:
    """The booking rules offer ``weeks`` ahead and the hall has slots that far."""
    from exitentry.appointments.models import BookingRules

    rules = BookingRules.current()
    rules.weeks_ahead = weeks
    rules.save()
    hall_with_slots(hall_id, 30, weeks=weeks)


def held_agrees() -> list:
    """The slots whose ``held`` flag says otherwise than their bookings (none, if ``holding`` is kept)."""
    from django.db.models import Exists, F, OuterRef

    from exitentry.appointments.models import HOLDS_SLOT, Booking, Slot

    holder = Booking.objects.filter(slot=OuterRef("pk"), state__in=HOLDS_SLOT)
    return list(Slot.objects.annotate(booked=Exists(holder)).exclude(held=F("booked")).values("pk", "held"))
