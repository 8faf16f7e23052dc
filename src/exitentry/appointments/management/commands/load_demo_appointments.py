"""Give every hall a counter that serves each category it accepts (two at the reception hall), generate the
slots ahead, and, on an opening day, leave the reception hall's day alive (:func:`hall_day`); running it
again creates nothing new. Refuses unless ``DEBUG`` is on or ``--force`` is given, as ``load_demo`` does."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from exitentry import clock
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import User
from exitentry.appointments import services, tickets
from exitentry.appointments.generation import generate
from exitentry.appointments.models import Booking, BookingRules, Counter, Slot
from exitentry.cases.lifecycle import BOOKABLE
from exitentry.cases.models import Case
from exitentry.law.catalog import catalog

COUNTERS = {"reception-hall": 2}  # every other hall: one
DAY_HALL = "reception-hall"  # where the demo's bookable cases were submitted
DAY_OFFICER = "officer.wang"
# What each of the hall's bookable demo cases (oldest first) becomes today: served at counter 1, called to
# counter 2, two checked in and waiting, one booked later today (to check in by hand), one booked tomorrow.
ROLES = ("served", "called", "waiting", "waiting", "later", "tomorrow")
QUEUED = ("served", "called", "waiting")


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
        now = clock.now()
        done = generate(tickets.today(now), BookingRules.current().weeks_ahead)
        booked = hall_day(now)
        self.stdout.write(
            f"demo counters: {made} created; slots: {done.created} created; bookings: {booked} created"
        )


def hall_day(now: datetime) -> int:
    """Book the reception hall's bookable demo cases (oldest first) for its day through the services, as
    ``ROLES`` says; how many bookings were made. Once: nothing when the hall has a booking already, nor on a
    day it has no slots (not an opening day), nor without the demo officer.

    The morning's first slots are booked the day before, checked in ten minutes before they start; the
    first is called at counter 1 when its slot starts and served twelve minutes later, the next then called
    at counter 2. Every record carries its instant (``clock.replaying``), and a step whose instant is still
    to come is not taken: loaded before the hall opens, the morning is booked and nobody has checked in yet
    (the officer checks them in by hand), so the board never shows a ticket issued or called later than now."""
    officer = User.objects.filter(username=DAY_OFFICER).first()
    day = tickets.today(now)
    morning = list(
        Slot.objects.filter(hall_id=DAY_HALL, day=day, withdrawn=False).order_by(
            "starts_at", "counter__number"
        )
    )
    if officer is None or not morning or Booking.objects.filter(slot__hall_id=DAY_HALL).exists():
        return 0
    cases = Case.objects.filter(hall_id=DAY_HALL, state__in=BOOKABLE).select_related("submitted_by")
    planned = list(zip(cases.order_by("pk"), ROLES, strict=False))
    queue = [(case, slot) for (case, role), slot in zip(planned, morning, strict=False) if role in QUEUED]
    clerk, made = Actor(officer, "127.0.0.1"), 0
    with transaction.atomic():
        with clock.replaying() as stamp:

            def at(instant: datetime) -> datetime:
                stamp(instant)
                return instant

            for case, slot in queue:
                booking = services.book(_by(case), case, slot.pk, now=at(slot.starts_at - timedelta(days=1)))
                made += 1
                if (arrives := slot.starts_at - timedelta(minutes=10)) <= now:
                    tickets.check_in(clerk, DAY_HALL, booking.reference, now=at(arrives))
            opens = queue[0][1].starts_at if queue else now + timedelta(days=1)
            if opens <= now:
                first = tickets.call_next(clerk, DAY_HALL, 1, now=at(opens))
                if first is not None and (done := opens + timedelta(minutes=12)) <= now:
                    tickets.mark_served(clerk, first, now=at(done))
            if len(queue) > 1 and (second := opens + timedelta(minutes=13)) <= now:
                tickets.call_next(clerk, DAY_HALL, 2, now=at(second))
        after_queue = max([now] + [slot.starts_at for _, slot in queue])
        for case, role in planned:
            if role == "later":
                slot = services.open_slots(case, DAY_HALL, day, day, now=after_queue).first()
            elif role == "tomorrow":
                slot = services.open_slots(
                    case, DAY_HALL, day + timedelta(days=1), day + timedelta(days=14)
                ).first()
            else:
                continue
            if slot is not None:
                services.book(_by(case), case, slot.pk, now=now)
                made += 1
    return made


def _by(case: Case) -> Actor:
    return Actor(case.submitted_by, "127.0.0.1")
