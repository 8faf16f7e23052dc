"""Give every hall a counter that serves each category it accepts (two at the reception hall) and generate
the slots ahead, so the demo's cases can be booked; running it again creates nothing new. Refuses unless
``DEBUG`` is on or ``--force`` is given, as ``load_demo`` does."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exitentry.appointments.generation import generate
from exitentry.appointments.models import BookingRules, Counter
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog

COUNTERS = {"reception-hall": 2}  # every other hall: one


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="load even though DEBUG is off")

    def handle(self, *args, force: bool, **options) -> None:
        if not (settings.DEBUG or force):
            raise CommandError("refusing to load demo counters: DEBUG is off (pass --force if you are sure)")
        made = 0
        for hall_id in catalog().halls:
            for number in range(1, COUNTERS.get(hall_id, 1) + 1):
                _, created = Counter.objects.get_or_create(
                    hall_id=hall_id, number=number, defaults={"categories": ["*"]}
                )
                made += created
        done = generate(beijing_today(), BookingRules.current().weeks_ahead)
        self.stdout.write(f"demo counters: {made} created; slots: {done.created} created")
