"""Generate a city's worth of cases in PostgreSQL: ``python -m benchmarks.cases_data --cases 1000000``.

Into the database of ``EXITENTRY_DATABASE_URL`` (created and migrated by ``bench_cases_api``): people,
their passports, units, users of each role, cases across every procedure and hall, and the permits of
the collected ones. Most cases are closed, as in a running system: 85 % collected, 3 % refused, 2 %
withdrawn, 10 % open and spread over the open states, so an officer's queue holds thousands of cases and
a person has two cases on average and an account of their own. Rows go in with ``bulk_create`` in batches (no per-row transition,
no audit entry: this is a fixture, not history). Deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta


def _setup() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exitentry.settings")
    django.setup()


OPEN = ("submitted", "received", "deficient", "accepted", "approved", "issued", "ready")
HALLS = ("reception-hall", "zhongguancun", "chaoyang", "shunyi", "shijingshan", "tongzhou")
PROCEDURES = (
    "rp-work",
    "rp-study",
    "rp-family-reunion",
    "rp-personal-affairs",
    "rp-extension",
    "visa-extension",
)
PASSWORD = "bench-2026!"
BATCH = 10_000


def _state(rng: random.Random) -> str:
    x = rng.random()
    if x < 0.85:
        return "collected"
    if x < 0.88:
        return "refused"
    if x < 0.90:
        return "withdrawn"
    return rng.choice(OPEN)


def generate(n_cases: int, seed: int = 1) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from exitentry.accounts.models import HallAssignment, Role, Unit, User
    from exitentry.cases.models import Case
    from exitentry.law.examples import eligible_facts
    from exitentry.registry.models import Permit, Person, TravelDocument

    if connection.vendor != "postgresql":
        raise SystemExit("the benchmark data goes into PostgreSQL: set EXITENTRY_DATABASE_URL")
    if Case.objects.exists():
        return {"cases": Case.objects.count(), "skipped": 1}
    rng = random.Random(seed)
    today = date.today()
    facts = {p: eligible_facts(p, today) for p in PROCEDURES}
    password = make_password(PASSWORD)
    n_people = max(1, n_cases // 2)
    n_units = max(1, n_cases // 1000)

    units = Unit.objects.bulk_create(
        [Unit(name=f"Unit {i}", kind="employer", credit_code=f"9111{i:014d}") for i in range(n_units)],
        batch_size=BATCH,
    )
    for start in range(0, n_people, BATCH):
        stop = min(n_people, start + BATCH)
        Person.objects.bulk_create(
            [
                Person(
                    surname=f"Surname{i}",
                    given_names="Alex",
                    sex=rng.choice("FM"),
                    birth_date=date(1950, 1, 1) + timedelta(days=rng.randrange(20_000)),
                    nationality="DEU",
                )
                for i in range(start, stop)
            ]
        )
    first_person = Person.objects.order_by("pk").values_list("pk", flat=True).first()
    person_ids = range(first_person, first_person + n_people)
    for start in range(0, n_people, BATCH):
        TravelDocument.objects.bulk_create(
            [
                TravelDocument(
                    person_id=pid,
                    number=f"C{pid:09d}",
                    issuing_country="DEU",
                    issued_on=date(2020, 1, 1),
                    expires_on=date(2030, 1, 1),
                )
                for pid in person_ids[start : start + BATCH]
            ]
        )

    officers = [
        User(username=f"officer-{hall}-{k}", role=Role.OFFICER, password=password)
        for hall in HALLS
        for k in range(2)
    ]
    applicants = [
        User(username=f"applicant-{i}", role=Role.APPLICANT, person_id=person_ids[i], password=password)
        for i in range(n_people)
    ]
    handlers = [User(username=f"unit-{u.pk}", role=Role.UNIT, unit_id=u.pk, password=password) for u in units]
    User.objects.bulk_create(officers + applicants + handlers, batch_size=BATCH)
    HallAssignment.objects.bulk_create(
        [
            HallAssignment(user=u, hall_id=u.username.split("-", 1)[1].rsplit("-", 1)[0])
            for u in User.objects.filter(role=Role.OFFICER)
        ]
    )
    applicant_by_person = dict(User.objects.filter(role=Role.APPLICANT).values_list("person_id", "pk"))
    handler_by_unit = dict(User.objects.filter(role=Role.UNIT).values_list("unit_id", "pk"))
    unit_ids = list(handler_by_unit)

    made = 0
    first_day = max(date(2024, 1, 2), today - timedelta(days=3 * 365))
    while made < n_cases:
        batch = []
        for i in range(made, min(n_cases, made + BATCH)):
            pid = person_ids[i % n_people]
            state = _state(rng)
            procedure = rng.choice(PROCEDURES)
            submitted = (
                first_day + timedelta(days=rng.randrange(3 * 365 - 10))
                if state not in OPEN
                else today - timedelta(days=rng.randrange(1, 30))
            )
            by_unit = rng.random() < 0.3
            unit_id = rng.choice(unit_ids) if by_unit else None
            accepted = (
                submitted + timedelta(days=2)
                if state not in ("submitted", "received", "deficient", "withdrawn")
                else None
            )
            decided = accepted + timedelta(days=10) if accepted and state not in ("accepted",) else None
            batch.append(
                Case(
                    reference=f"BJ{submitted.year}{i + 1:08d}",
                    procedure_id=procedure,
                    person_id=pid,
                    submitted_by_id=handler_by_unit[unit_id] if by_unit else applicant_by_person[pid],
                    acting_as="unit" if by_unit else "self",
                    unit_id=unit_id,
                    hall_id=rng.choice(HALLS),
                    facts=facts[procedure],
                    state=state,
                    submitted_on=submitted,
                    received_on=submitted + timedelta(days=1) if state != "submitted" else None,
                    accepted_on=accepted,
                    decision_due=accepted + timedelta(days=21) if accepted else None,
                    decided_on=decided,
                    applicant_present=True,
                    ready_on=decided + timedelta(days=1) if state in ("ready", "collected") else None,
                    closed_on=decided + timedelta(days=3) if state == "collected" else None,
                )
            )
        Case.objects.bulk_create(batch)
        made += len(batch)
    collected = Case.objects.filter(state="collected").values_list("person_id", "decided_on", "reference")
    permits, n_permits = [], 0
    for pid, decided, reference in collected.iterator(chunk_size=BATCH):
        permits.append(
            Permit(
                person_id=pid,
                kind="residence-permit",
                permit_type="work",
                number=f"{reference}-RE",
                issued_on=decided,
                valid_until=decided + timedelta(days=730),
            )
        )
        if len(permits) == BATCH:
            Permit.objects.bulk_create(permits)
            n_permits += len(permits)
            permits = []
    Permit.objects.bulk_create(permits)
    n_permits += len(permits)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"cases": made, "people": n_people, "units": n_units, "permits": n_permits}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    _setup()
    started = time.perf_counter()
    counts = generate(args.cases, args.seed)
    print(f"{counts} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
