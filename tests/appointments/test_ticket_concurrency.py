"""Officers racing at the hall: tickets issued at once get distinct numbers, counters calling at once get
distinct tickets (PostgreSQL, threads: the database decides, by its unique constraint and a conditional
update)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from tests.appointments.helpers import at

from case_helpers import one_stop_submitted
from exitentry.appointments import tickets
from exitentry.appointments.models import QueueTicket
from factories import actor, officer
from race_helpers import waits_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
NINE = at("2026-11-23T09:00")
RACERS = 12


def together(jobs: list[Callable[[], object]]) -> list[object]:
    """Run every job in its own thread, all released at once; what each returned (or raised)."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = jobs[i]()
        except Exception as exc:  # noqa: BLE001 - the test reads what happened
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def walk_ins(n: int):
    cases = [one_stop_submitted() for _ in range(n)]
    return cases, actor(officer(cases[0].hall_id))


def test_tickets_issued_at_once_get_distinct_numbers() -> None:
    cases, clerk = walk_ins(RACERS)
    issued = together([lambda c=c: tickets.issue_walk_in(clerk, c, now=NINE) for c in cases])
    assert all(isinstance(t, QueueTicket) for t in issued), issued
    assert sorted(t.number for t in issued) == list(range(1, RACERS + 1))


def test_counters_calling_at_once_never_get_the_same_ticket() -> None:
    cases, clerk = walk_ins(RACERS // 2)
    for c in cases:
        tickets.issue_walk_in(clerk, c, now=NINE)
    called = together(
        [lambda n=n: tickets.call_next(clerk, cases[0].hall_id, n, now=NINE) for n in range(1, RACERS + 1)]
    )
    got = [t for t in called if isinstance(t, QueueTicket)]
    assert [t for t in called if t is not None and not isinstance(t, QueueTicket)] == []
    assert len(got) == RACERS // 2 and len({t.pk for t in got}) == RACERS // 2
    assert {t.counter for t in QueueTicket.objects.all()} == {t.counter for t in got}
    assert not QueueTicket.objects.filter(state=QueueTicket.State.WAITING).exists()


def test_two_officers_calling_at_one_counter_call_one_ticket() -> None:
    """Two officers (or a double click) call at counter 1 at once: one ticket is called there, the other
    call waits for it and is refused, naming the ticket at the counter; the rest still wait."""
    cases, clerk = walk_ins(4)
    for c in cases:
        tickets.issue_walk_in(clerk, c, now=NINE)
    hall = cases[0].hall_id
    got = []
    refused = []

    def second_call():
        try:
            got.append(tickets.call_next(clerk, hall, 1, now=NINE))
        except tickets.CounterBusy as exc:
            refused.append(exc)

    waited = waits_for(lambda: got.append(tickets.call_next(clerk, hall, 1, now=NINE)), second_call)
    assert waited and len(got) == 1 and len(refused) == 1
    assert f"{got[0].label} is still at counter 1" in refused[0].text.en
    assert QueueTicket.objects.filter(state=QueueTicket.State.CALLED).count() == 1
    assert QueueTicket.objects.filter(state=QueueTicket.State.WAITING).count() == 3


def test_many_calls_at_one_counter_at_once_call_one_ticket() -> None:
    cases, clerk = walk_ins(RACERS // 2)
    for c in cases:
        tickets.issue_walk_in(clerk, c, now=NINE)
    called = together([lambda: tickets.call_next(clerk, cases[0].hall_id, 1, now=NINE)] * RACERS)
    assert len([t for t in called if isinstance(t, QueueTicket)]) == 1
    assert all(isinstance(t, tickets.CounterBusy) for t in called if not isinstance(t, QueueTicket)), called
    assert QueueTicket.objects.filter(state=QueueTicket.State.CALLED, counter=1).count() == 1
