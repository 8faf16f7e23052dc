"""Many bookers racing for few slots: every slot booked at most once, and nobody's case twice. The database
decides (partial unique indexes), on SQLite and on PostgreSQL.

SQLite's test database lives in memory, where threads share one cache and lock whole tables; the SQLite
race runs in a process of its own on a database file, as the embedded default does (``race_on_sqlite``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from tests.appointments.helpers import BEFORE, counters, held_agrees

from case_helpers import submitted
from exitentry.accounts.audit import Actor
from exitentry.appointments import services
from exitentry.appointments.models import Booking, Slot
from exitentry.appointments.services import Taken
from factories import applicant

BOOKERS = 16
WAIT_SECONDS = 240  # for all the bookers to answer, however loaded the machine: a hang fails, it never blocks
# How long the SQLite race's bookers wait for the write lock (``EXITENTRY_SQLITE_TIMEOUT``; 20 s by default).
# SQLite's busy handler polls rather than queues, so the last of 16 bookers may wait for most of the others'
# transactions: 8 s at load average 10 on two cores. The race asserts that the database decides (no slot or
# case booked twice) and that every booker is answered, not how fast: its waits are those of the burst.
LOCK_WAIT_SECONDS = 120


def race(slot_ids: list[int]) -> Counter:
    """Every booker tries every slot in turn at the same moment, until one is theirs: how often each
    outcome came ("taken" once per slot found taken). A booker that raised anything else counts as
    "failed: ..." with the error, one that gave no answer in time as "no answer"."""
    people = [applicant() for _ in range(BOOKERS)]
    cases = [submitted(person, "rp-work") for person in people]
    barrier = threading.Barrier(BOOKERS)
    said: list[str] = []  # list.append is atomic; a Counter's += may lose a count between threads

    def run(user, case) -> None:
        try:
            barrier.wait(WAIT_SECONDS)
            for slot_id in slot_ids:
                try:
                    services.book(Actor(user), case, slot_id, now=BEFORE)
                    said.append("booked")
                    return
                except Taken:
                    said.append("taken")
            said.append("none left")
        except Exception as exc:  # noqa: BLE001 - named in the outcome, so the assertion shows it
            said.append(f"failed: {exc!r}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=pair, daemon=True) for pair in zip(people, cases, strict=True)
    ]
    for t in threads:
        t.start()
    deadline = time.monotonic() + WAIT_SECONDS
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    outcomes = Counter(said)
    if silent := sum(t.is_alive() for t in threads):
        outcomes["no answer"] = silent
    return outcomes


def four_slots_raced() -> dict:
    """Sixteen bookers for the first four slots of a day: what each got, and what the database holds."""
    from tests.appointments.helpers import WEEK

    from exitentry.appointments.generation import regenerate_day

    counters("reception-hall", ["*"])
    regenerate_day("reception-hall", WEEK)
    slot_ids = list(Slot.objects.order_by("starts_at").values_list("pk", flat=True)[:4])
    outcomes = race(slot_ids)
    active = Booking.objects.filter(state=Booking.State.ACTIVE)
    return {
        **{k: n for k, n in outcomes.items() if k != "taken"},  # every answer, failures named
        "active": active.count(),
        "slots": active.values("slot").distinct().count(),
        "cases": active.values("case").distinct().count(),
    }


EXPECTED = {"booked": 4, "none left": BOOKERS - 4, "active": 4, "slots": 4, "cases": 4}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_many_bookers_for_few_slots_book_each_slot_once_on_postgresql() -> None:
    assert four_slots_raced() == EXPECTED
    assert held_agrees() == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite race")
def test_many_bookers_for_few_slots_book_each_slot_once_on_sqlite(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "EXITENTRY_DATA_DIR": str(tmp_path), "EXITENTRY_DEBUG": "1"}
    env["EXITENTRY_SQLITE_TIMEOUT"] = str(LOCK_WAIT_SECONDS)
    env.pop("EXITENTRY_DATABASE_URL", None)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(root / "src"), str(root), str(root / "tests")]
    )  # this tree's code
    migrate = subprocess.run(
        [sys.executable, "-m", "exitentry.cli", "manage", "migrate", "--noinput"],
        env=env,
        capture_output=True,
        timeout=600,  # start-up and migrations on a loaded machine
    )
    assert migrate.returncode == 0, migrate.stderr
    run = subprocess.run(
        [sys.executable, "-m", "tests.appointments.race_on_sqlite"],
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS + 300,  # start-up and the setup before the race, on a loaded machine
        cwd=root,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1]) == EXPECTED, run.stderr


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_many_bookers_for_one_slot_on_postgresql() -> None:
    from tests.appointments.helpers import WEEK

    from exitentry.appointments.generation import regenerate_day

    counters("reception-hall", ["*"])
    regenerate_day("reception-hall", WEEK)
    slot_id = Slot.objects.order_by("starts_at").values_list("pk", flat=True)[0]
    outcomes = race([slot_id])
    assert outcomes == {"booked": 1, "taken": BOOKERS - 1, "none left": BOOKERS - 1}
    assert Booking.objects.filter(slot_id=slot_id, state=Booking.State.ACTIVE).count() == 1
    assert held_agrees() == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_request_sent_many_times_at_once_books_once_and_answers_alike() -> None:
    from unittest import mock

    from tests.appointments.helpers import WEEK

    from case_helpers import client_for
    from exitentry.appointments.generation import regenerate_day

    counters("reception-hall", ["*"])
    regenerate_day("reception-hall", WEEK)
    user = applicant()
    case = submitted(user, "rp-work")
    slot_id = Slot.objects.order_by("starts_at").values_list("pk", flat=True)[0]
    body = json.dumps({"case_id": case.pk, "slot_id": slot_id})
    clients = [client_for(user) for _ in range(8)]
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, str]] = []

    def send(client) -> None:
        try:
            barrier.wait()
            r = client.post(
                "/api/v1/bookings", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="same"
            )
            answers.append((r.status_code, r.content.decode()))
        finally:
            connection.close()

    with mock.patch("exitentry.clock.now", return_value=BEFORE):
        threads = [threading.Thread(target=send, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(set(answers)) == 1 and answers[0][0] == 201
    assert Booking.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_persons_bookings_racing_in_one_week_stay_within_the_weekly_limit() -> None:
    from tests.appointments.helpers import WEEK

    from exitentry.appointments.generation import regenerate_day
    from exitentry.appointments.models import BookingRules
    from exitentry.cases.services import Refused

    counters("reception-hall", ["*"])
    regenerate_day("reception-hall", WEEK)
    BookingRules.objects.update_or_create(pk=1, defaults={"per_person_per_week": 2})
    user = applicant()
    cases = [submitted(user, "rp-work") for _ in range(4)]
    slot_ids = list(Slot.objects.order_by("starts_at").values_list("pk", flat=True)[:4])
    barrier = threading.Barrier(len(cases))
    outcomes: Counter = Counter()

    def run(case, slot_id) -> None:
        try:
            barrier.wait()
            services.book(Actor(user), case, slot_id, now=BEFORE)
            outcomes["booked"] += 1
        except Refused:
            outcomes["over the limit"] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(cases, slot_ids, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == {"booked": 2, "over the limit": 2}
    assert Booking.objects.filter(person=cases[0].person, state=Booking.State.ACTIVE).count() == 2
