"""The appointments' periodic tasks (``settings.EXITENTRY_PERIODIC_TASKS``): slots generated ahead, the
reminders of tomorrow's appointments, and the purge of expired ``Idempotency-Key`` answers. Each may run
again safely: generation is idempotent, a reminder is keyed by its booking and day, a purge deletes what
has expired."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from exitentry import clock
from exitentry.appointments import notices
from exitentry.appointments.generation import generate
from exitentry.appointments.models import Booking, BookingRules, IdempotentAnswer
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


@task()
def purge_idempotent_answers() -> int:
    """Delete the ``Idempotency-Key`` answers older than ``IdempotentAnswer.KEPT``; how many there were."""
    expired = IdempotentAnswer.objects.filter(created_at__lt=clock.now() - IdempotentAnswer.KEPT)
    return expired.delete()[0]
