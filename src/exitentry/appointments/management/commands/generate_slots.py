"""Generate the halls' appointment slots ahead (``exitentry slots``): running it again creates nothing new."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from exitentry.appointments.generation import generate
from exitentry.appointments.models import BookingRules
from exitentry.law.calendar import OutOfCalendarRange, beijing_today
from exitentry.law.catalog import catalog


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--weeks", type=int, help="how many weeks ahead (default: the booking rules')")
        parser.add_argument("--start", type=date.fromisoformat, help="the first day (default today, Beijing)")
        parser.add_argument("--hall", action="append", help="only this hall (repeatable)")

    def handle(self, *args, weeks: int | None, start: date | None, hall: list[str] | None, **options) -> None:
        unknown = sorted(set(hall or ()) - set(catalog().halls))
        if unknown:
            raise CommandError(f"no hall {', '.join(unknown)}; the halls are {', '.join(catalog().halls)}")
        weeks = BookingRules.current().weeks_ahead if weeks is None else weeks
        if not 1 <= weeks <= 26:
            raise CommandError(f"--weeks takes 1 to 26, not {weeks}")
        try:
            done = generate(start or beijing_today(), weeks, hall)
        except OutOfCalendarRange as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"slots: {done.created} created, {done.deleted} deleted, {done.withdrawn} withdrawn, "
            f"{done.restored} restored; bookings on withdrawn slots: {len(done.flagged)}"
            + (f" ({', '.join(done.flagged)})" if done.flagged else "")
        )
