"""A booking's services lock its case's row before the booking's, as a step on the case that ends the
booking does (``cases.services.steps``): moving or checking in a booking while its case is withdrawn waits
for the withdrawal and is refused, never aborted as a deadlock (PostgreSQL).

Each race: an officer's step holds the case's row; the withdrawal queues for it first, then the booking's
service; the officer's step ends, so the withdrawal goes first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection, transaction
from tests.appointments.helpers import BEFORE, WEEK, hall_with_slots

from case_helpers import submitted
from exitentry.accounts.audit import Actor
from exitentry.appointments import services, tickets
from exitentry.appointments.models import Booking, QueueTicket
from exitentry.cases import services as case_services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from factories import applicant, officer
from race_helpers import PATIENCE, backend_pid, until_blocked

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def withdrawn_while(user, case: Case, service: Callable[[], object]) -> list[BaseException]:
    """Withdraw ``case`` and run ``service`` as described above; what ``service`` raised."""
    pids: dict[str, int] = {}
    raised: list[BaseException] = []

    def thread(name: str, work: Callable[[], object]) -> tuple[threading.Thread, threading.Event]:
        ready = threading.Event()

        def body() -> None:
            try:
                pids[name] = backend_pid()
                ready.set()
                work()
            except BaseException as exc:  # reported to the test's thread
                raised.append(exc if name == "service" else AssertionError(f"the withdrawal: {exc!r}"))
            finally:
                ready.set()
                connection.close()

        return threading.Thread(target=body), ready

    withdrawing, withdrawing_ready = thread("withdraw", lambda: case_services.withdraw(Actor(user), case))
    serving, serving_ready = thread("service", service)
    try:
        with transaction.atomic():
            Case.objects.select_for_update().get(pk=case.pk)  # an officer's step on the case, under way
            officer = backend_pid()
            withdrawing.start()
            assert withdrawing_ready.wait(timeout=PATIENCE)
            until_blocked(pids["withdraw"], officer, withdrawing)
            serving.start()
            assert serving_ready.wait(timeout=PATIENCE)
            until_blocked(pids["service"], None, serving)
    finally:
        withdrawing.join()
        serving.join()
    assert Case.objects.get(pk=case.pk).state == State.WITHDRAWN
    return raised


def booked():
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    slots = services.open_slots(case, "reception-hall", WEEK, WEEK + timedelta(days=6), now=BEFORE)
    booking = services.book(Actor(user), case, slots[0].pk, now=BEFORE)
    return user, case, booking, slots[1]


def test_moving_a_booking_while_its_case_is_withdrawn_is_refused_not_deadlocked() -> None:
    user, case, booking, later = booked()
    raised = withdrawn_while(
        user, case, lambda: services.reschedule(Actor(user), booking, later.pk, now=BEFORE)
    )
    assert [type(exc) for exc in raised] == [services.Taken], raised  # "no longer active"
    assert Booking.objects.get(pk=booking.pk).state == Booking.State.CANCELLED
    assert not Booking.objects.filter(case=case, state=Booking.State.ACTIVE).exists()


def test_checking_in_a_booking_while_its_case_is_withdrawn_is_refused_not_deadlocked() -> None:
    user, case, booking, _ = booked()
    clerk, early = Actor(officer()), booking.slot.starts_at - timedelta(minutes=10)
    raised = withdrawn_while(
        user, case, lambda: tickets.check_in(clerk, "reception-hall", booking.reference, now=early)
    )
    assert [type(exc) for exc in raised] == [services.Taken], raised  # "no longer active"
    assert not QueueTicket.objects.filter(case=case).exists()
