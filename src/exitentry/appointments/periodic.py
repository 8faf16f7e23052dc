"""The appointments' periodic tasks (``settings.EXITENTRY_PERIODIC_TASKS``): slots generated ahead, and the
reminders of tomorrow's appointments. Both may run again safely: generation is idempotent and a reminder is
keyed by its booking and day."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from exitentry.appointments import notices
from exitentry.appointments.generation import generate
from exitentry.appointments.models import Booking, BookingRules
from exitentry.law.calendar import beijing_today


@task()
def generate_slots_ahead() -> dict:
    """Every hall's slots from today for the booking rules' weeks ahead."""
    done = generate(beijing_today(), BookingRules.current().weeks_ahead)
    return {
        "created": done.created,
        "deleted": done.deleted,
        "withdrawn": done.withdrawn,
        "flagged": done.flagged,
    }


@task()
def send_reminders() -> int:
    """A reminder for every active booking of tomorrow (Beijing time); how many bookings there were."""
    tomorrow = beijing_today() + timedelta(days=1)
    bookings = Booking.objects.filter(state=Booking.State.ACTIVE, slot__day=tomorrow).select_related(
        "slot", "slot__counter", "booked_by", "person"
    )
    count = 0
    for booking in bookings:
        notices.reminder(booking)
        count += 1
    return count
