"""Appointments at scale for ``bench_bookings``: ``python -m benchmarks.bookings_data --bookings 100000``.

Into the database of ``EXITENTRY_DATABASE_URL``: the people and cases of ``benchmarks.cases_data``, ten
counters at each of three halls, 15-minute slots from 26 weeks back to 8 weeks ahead, and ``--bookings``
bookings: most on past days (ended: cancelled or moved), and 60 % of the reception hall's slots of the next
four weeks booked and active, one case each. Weeks five to eight are kept free for the benchmark's race and
its throughput run. Rows go in with ``bulk_create``; kept between runs (``--reset`` frees the benchmark's
weeks again). Deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import time
from datetime import timedelta

HALLS = ("reception-hall", "zhongguancun", "shijingshan")
COUNTERS = 10
WEEKS_BACK, WEEKS_AHEAD = 26, 8
BOOKED_AHEAD = 0.6
BATCH = 10_000


def _reference() -> str:
    return "".join(secrets.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(10))


def generate(n_bookings: int, seed: int = 1) -> dict[str, int]:
    from benchmarks import cases_data
    from exitentry.appointments.generation import generate as generate_slots
    from exitentry.appointments.models import Booking, Counter, Slot, SlotLength
    from exitentry.cases.models import Case
    from exitentry.law.calendar import beijing_today

    if Booking.objects.exists():
        return {"bookings": Booking.objects.count(), "skipped": 1}
    rng = random.Random(seed)
    cases_data.generate(max(30_000, n_bookings // 3), seed)
    today = beijing_today()
    SlotLength.objects.update_or_create(category="*", defaults={"minutes": 15})
    for hall in HALLS:
        Counter.objects.bulk_create(
            [Counter(hall_id=hall, number=n, categories=["*"]) for n in range(1, COUNTERS + 1)],
            ignore_conflicts=True,
        )
    monday = today - timedelta(days=today.weekday())
    generate_slots(monday - timedelta(weeks=WEEKS_BACK), WEEKS_BACK + WEEKS_AHEAD, list(HALLS))
    cases = list(Case.objects.values_list("pk", "person_id", "submitted_by_id"))
    rng.shuffle(cases)
    ahead = list(
        Slot.objects.filter(hall_id="reception-hall", day__gte=today, day__lt=today + timedelta(weeks=4))
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    active_slots = rng.sample(ahead, int(len(ahead) * BOOKED_AHEAD))
    past = list(Slot.objects.filter(day__lt=today).values_list("pk", flat=True))
    n_past = max(0, n_bookings - len(active_slots))
    past_slots = [rng.choice(past) for _ in range(n_past)]

    def booking(slot: int, case: tuple, state: str) -> Booking:
        case_id, person_id, user_id = case
        return Booking(
            reference=_reference(),
            slot_id=slot,
            case_id=case_id,
            person_id=person_id,
            booked_by_id=user_id,
            state=state,
        )

    ended = (Booking.State.CANCELLED, Booking.State.MOVED)
    rows = [
        booking(slot, case, Booking.State.ACTIVE) for slot, case in zip(active_slots, cases, strict=False)
    ]
    rows += [booking(slot, rng.choice(cases), rng.choice(ended)) for slot in past_slots]
    Booking.objects.bulk_create(rows, batch_size=BATCH)
    Slot.objects.filter(pk__in=active_slots).update(held=True)  # as booking does (``holding``)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"bookings": len(rows), "active ahead": len(active_slots), "slots": Slot.objects.count()}


def run_fixture(clients: int, per_client: int, race_slots: int) -> dict:
    """Free the benchmark's weeks again and give each client its cases (submitted to the reception hall,
    signed in), the slots to race for, the pool to book from, and a case to ask availability for."""
    from benchmarks.signin import session_key
    from exitentry.accounts.models import User
    from exitentry.appointments.models import Booking, BookingRules, IdempotentAnswer, Slot
    from exitentry.cases.models import Case
    from exitentry.law.calendar import beijing_today

    today = beijing_today()
    free_from = today - timedelta(days=today.weekday()) + timedelta(weeks=5)
    Booking.objects.filter(slot__day__gte=free_from).delete()
    Slot.objects.filter(day__gte=free_from).update(held=False)
    IdempotentAnswer.objects.all().delete()
    # One person books many cases here: the limit per week is an administrator's setting.
    BookingRules.objects.update_or_create(pk=1, defaults={"per_person_per_week": 10_000, "weeks_ahead": 8})
    busy = Booking.objects.filter(state=Booking.State.ACTIVE).values("case_id")
    wanted = clients * (1 + per_client)
    picked = list(
        Case.objects.filter(submitted_by__role="applicant")
        .exclude(pk__in=busy)
        .order_by("pk")
        .values_list("pk", flat=True)[:wanted]
    )
    Case.objects.filter(pk__in=picked).update(
        state="submitted", hall_id="reception-hall", procedure_id="rp-work"
    )
    owner = dict(Case.objects.filter(pk__in=picked).values_list("pk", "submitted_by_id"))
    sessions: dict[int, str] = {}

    def signed(case_id: int) -> list:
        user_id = owner[case_id]
        if user_id not in sessions:
            sessions[user_id] = session_key(User.objects.get(pk=user_id))
        return [case_id, sessions[user_id]]

    free = Slot.objects.filter(hall_id="reception-hall", day__gte=free_from).order_by("starts_at", "pk")
    ids = list(free.values_list("pk", flat=True))
    race = ids[:race_slots]
    pool = ids[race_slots:]
    return {
        "race": [signed(c) for c in picked[:clients]],
        "pool_cases": [signed(c) for c in picked[clients:]],
        "race_slots": race,
        "pool_slots": pool,
        "availability": signed(picked[0]),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fixture", nargs=3, type=int, metavar=("CLIENTS", "PER_CLIENT", "RACE_SLOTS"))
    args = parser.parse_args(argv)
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exitentry.settings")
    django.setup()
    if args.fixture:
        print(json.dumps(run_fixture(*args.fixture)))
        return
    start = time.perf_counter()
    made = generate(args.bookings, args.seed)
    print(f"{made} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
