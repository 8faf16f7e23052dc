"""A booking's services and the no-show job lock its case's row before the booking's, as a step on the case
that ends the booking does (``cases.services.steps``): moving, checking in, cancelling or marking a booking
a no-show while its case is withdrawn waits for the withdrawal or the withdrawal for it, never aborted as a
deadlock (PostgreSQL).

Each race (``raced``): this thread holds a row (the case's: an officer's step under way; or the booking's
slot: an officer withdrawing the slot); a first service queues for it, then a second one behind it or for
what the first holds; this thread commits, and the first goes first."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from tests.appointments.helpers import BEFORE, WEEK, hall_with_slots

from case_helpers import submitted
from exitentry.accounts.audit import Actor, verify
from exitentry.appointments import noshow, services, tickets
from exitentry.appointments.models import Booking, QueueTicket, Slot
from exitentry.cases import services as case_services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, CaseEvent
from exitentry.law.calendar import BEIJING
from factories import TravelDocumentFactory, applicant, officer
from race_helpers import PATIENCE, backend_pid, until_blocked, waits_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
AFTER = datetime.combine(WEEK + timedelta(days=1), datetime.min.time(), BEIJING)  # the booked day is over
NINE = datetime.combine(WEEK, time(9), BEIJING)  # the first slot starts
CLOSED = datetime.combine(WEEK, time(17), BEIJING)  # the hall has closed for the day


def raced(
    hold: Callable[[], object], first: Callable[[], object], second: Callable[[], object]
) -> dict[str, BaseException]:
    """Run ``first`` and ``second`` in two threads, each on its own connection, while this thread holds what
    ``hold`` locks, as described above; what each raised, by "first" and "second"."""
    pids: dict[str, int] = {}
    raised: dict[str, BaseException] = {}

    def thread(name: str, work: Callable[[], object]) -> tuple[threading.Thread, threading.Event]:
        ready = threading.Event()

        def body() -> None:
            try:
                pids[name] = backend_pid()
                ready.set()
                work()
            except BaseException as exc:  # reported to the test's thread
                raised[name] = exc
            finally:
                ready.set()
                connection.close()

        return threading.Thread(target=body), ready

    (going_first, first_ready), (going_second, second_ready) = (
        thread("first", first),
        thread("second", second),
    )
    try:
        with transaction.atomic():
            hold()
            holder = backend_pid()
            going_first.start()
            assert first_ready.wait(timeout=PATIENCE)
            until_blocked(pids["first"], holder, going_first)
            going_second.start()
            assert second_ready.wait(timeout=PATIENCE)
            until_blocked(pids["second"], None, going_second)
    finally:
        going_first.join()
        going_second.join()
    return raised


def withdrawn_while(user, case: Case, service: Callable[[], object]) -> list[BaseException]:
    """Withdraw ``case`` while an officer's step holds its row, ``service`` queued behind; what ``service``
    raised."""
    raised = raced(
        lambda: Case.objects.select_for_update().get(pk=case.pk),
        lambda: case_services.withdraw(Actor(user), case),
        service,
    )
    assert "first" not in raised, raised
    assert Case.objects.get(pk=case.pk).state == State.WITHDRAWN
    return [raised["second"]] if "second" in raised else []


def behind_the_slot(booking: Booking, first: Callable[[], object], second: Callable[[], object]) -> None:
    """Run ``first`` and ``second`` while the booking's slot is held: ``first`` ends the booking and waits to
    free the slot, ``second`` (a withdrawal) comes meanwhile; both succeed, the audit chain whole."""
    raised = raced(lambda: Slot.objects.select_for_update().get(pk=booking.slot_id), first, second)
    assert raised == {}
    assert verify().ok


def booked(hall: bool = True):
    """A case booked on the first open slot (of a new hall, unless ``hall`` is False); the next open slot."""
    if hall:
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


def test_cancelling_a_booking_while_its_case_is_withdrawn_is_refused_not_deadlocked() -> None:
    user, case, booking, _ = booked()
    raised = withdrawn_while(user, case, lambda: services.cancel(Actor(user), booking, now=BEFORE))
    assert [type(exc) for exc in raised] == [services.Taken], raised  # "no longer active"
    assert Booking.objects.get(pk=booking.pk).ended_because == Booking.EndReason.CASE_CLOSED


def test_a_booking_cancelled_while_its_case_is_withdrawn_both_succeed_not_deadlocked() -> None:
    user, case, booking, _ = booked()
    behind_the_slot(
        booking,
        lambda: services.cancel(Actor(user), booking, now=BEFORE),
        lambda: case_services.withdraw(Actor(user), case),
    )
    assert Booking.objects.get(pk=booking.pk).ended_because == ""  # its booker's cancellation
    assert Case.objects.get(pk=case.pk).state == State.WITHDRAWN


def test_marking_no_shows_while_a_case_is_withdrawn_both_succeed_not_deadlocked() -> None:
    user, case, booking, _ = booked()
    behind_the_slot(
        booking,
        lambda: noshow.mark_no_shows(now=AFTER),
        lambda: case_services.withdraw(Actor(user), case),
    )
    assert Booking.objects.get(pk=booking.pk).state == Booking.State.NO_SHOW
    assert Case.objects.get(pk=case.pk).state == State.WITHDRAWN


def test_marking_no_shows_while_a_case_is_withdrawn_leaves_the_case_to_the_withdrawal() -> None:
    """The job skips the case's row an officer's step holds (the withdrawal queued behind it ends the
    booking): no no-show."""
    user, case, booking, _ = booked()
    raised = withdrawn_while(user, case, lambda: noshow.mark_no_shows(now=AFTER))
    assert raised == []
    assert Booking.objects.get(pk=booking.pk).ended_because == Booking.EndReason.CASE_CLOSED


def test_a_check_in_queued_behind_a_step_is_not_overtaken_by_the_no_show_job() -> None:
    """The check-in queues for the case's row behind an officer's step, the job skips that row: the booking
    is checked in, not a no-show (the job, run later, meets its ticket instead)."""
    user, case, booking, _ = booked()
    clerk, early = Actor(officer()), booking.slot.starts_at - timedelta(minutes=10)
    raised = raced(
        lambda: Case.objects.select_for_update().get(pk=case.pk),
        lambda: tickets.check_in(clerk, "reception-hall", booking.reference, now=early),
        lambda: noshow.mark_no_shows(now=AFTER),
    )
    assert raised == {}
    assert Booking.objects.get(pk=booking.pk).state == Booking.State.CHECKED_IN


def checked_in():
    """A booked case checked in at its slot's start: its applicant, the case, an officer and the ticket."""
    user, case, booking, _ = booked()
    clerk = Actor(officer())
    return user, case, clerk, tickets.check_in(clerk, "reception-hall", booking.reference, now=NINE)


def test_calling_while_the_tickets_case_is_withdrawn_waits_for_the_withdrawal_and_calls_nothing() -> None:
    user, case, clerk, ticket = checked_in()
    called = []
    raised = withdrawn_while(
        user, case, lambda: called.append(tickets.call_next(clerk, "reception-hall", 1, now=NINE))
    )
    assert (raised, called) == ([], [None])
    assert QueueTicket.objects.get(pk=ticket.pk).state == QueueTicket.State.WITHDRAWN


def test_a_ticket_not_answered_while_its_case_is_withdrawn_does_not_wait_again() -> None:
    user, case, clerk, ticket = checked_in()
    called = tickets.call_next(clerk, "reception-hall", 1, now=NINE)
    later = NINE + timedelta(minutes=5)
    raised = withdrawn_while(user, case, lambda: tickets.not_answered(clerk, called, now=later))
    assert raised == []
    assert QueueTicket.objects.get(pk=ticket.pk).state == QueueTicket.State.NO_SHOW


def test_a_call_queued_behind_a_step_calls_the_ticket_the_no_show_job_skipped_meanwhile() -> None:
    """The job skips the ticket's case an officer's step holds (it never waits holding others); the call,
    queued behind the step, then calls the ticket, which the job left waiting."""
    _, case, clerk, ticket = checked_in()
    called, done = [], {}
    raised = raced(
        lambda: Case.objects.select_for_update().get(pk=case.pk),
        lambda: done.update(noshow.mark_no_shows(now=CLOSED)),
        lambda: called.append(tickets.call_next(clerk, "reception-hall", 1, now=CLOSED)),
    )
    assert (raised, done["skipped"], called) == ({}, 1, [ticket])
    assert QueueTicket.objects.get(pk=ticket.pk).state == QueueTicket.State.CALLED
    assert verify().ok


def test_a_row_naming_the_person_is_inserted_without_waiting_for_a_booking() -> None:
    """A booking locks its person's row to count the person's week (``services._within_weekly_limit``) FOR NO
    KEY UPDATE: no key of the row changes, so a row of another transaction naming the person (its foreign key
    takes FOR KEY SHARE: here a passport recorded) goes in while the booking's transaction is still open."""
    user, case, booking, later = booked()
    assert not waits_for(
        lambda: services.reschedule(Actor(user), booking, later.pk, now=BEFORE),
        lambda: TravelDocumentFactory(person=user.person, number="C0LOCK004"),
    )
    assert Booking.objects.get(case=case, state=Booking.State.ACTIVE).slot_id == later.pk


def test_the_no_show_job_skips_a_case_a_step_holds_and_marks_it_on_its_next_run() -> None:
    """The job does not wait for a case's row an officer's step holds (holding the other cases' rows
    meanwhile): it marks the other cases' bookings, says how many cases it skipped, and its next run, once
    the step is done, marks the skipped one."""
    _, held, held_booking, _ = booked()
    _, _, other_booking, _ = booked(hall=False)
    done = {}
    assert not waits_for(
        lambda: Case.objects.select_for_update(no_key=True).get(pk=held.pk),  # a step's lock (``lock_case``)
        lambda: done.update(noshow.mark_no_shows(now=AFTER)),
    )
    assert done == {"bookings": 1, "tickets": 0, "skipped": 1}
    states = dict(Booking.objects.values_list("pk", "state"))
    assert (states[held_booking.pk], states[other_booking.pk]) == (
        Booking.State.ACTIVE,
        Booking.State.NO_SHOW,
    )
    assert noshow.mark_no_shows(now=AFTER) == {"bookings": 1, "tickets": 0, "skipped": 0}
    assert Booking.objects.get(pk=held_booking.pk).state == Booking.State.NO_SHOW
    assert verify().ok


def inserted_without_waiting(case: Case, service: Callable[[], object]) -> bool:
    """Whether a row naming ``case`` (an event: its foreign key takes FOR KEY SHARE on the case's row) goes
    in from another connection while ``service``'s transaction is still open."""
    return not waits_for(
        service, lambda: CaseEvent.objects.create(case_id=case.pk, action="note", from_state="", to_state="")
    )


def test_a_row_naming_the_case_goes_in_while_its_booking_is_checked_in() -> None:
    _, case, booking, _ = booked()
    clerk, early = Actor(officer()), booking.slot.starts_at - timedelta(minutes=10)
    assert inserted_without_waiting(
        case, lambda: tickets.check_in(clerk, "reception-hall", booking.reference, now=early)
    )


def test_a_row_naming_the_case_goes_in_while_its_booking_is_cancelled_or_moved() -> None:
    user, case, booking, later = booked()
    assert inserted_without_waiting(
        case, lambda: services.reschedule(Actor(user), booking, later.pk, now=BEFORE)
    )
    moved = Booking.objects.get(case=case, state=Booking.State.ACTIVE)
    assert inserted_without_waiting(case, lambda: services.cancel(Actor(user), moved, now=BEFORE))


def test_a_row_naming_the_case_goes_in_while_the_no_show_job_marks_its_booking() -> None:
    _, case, _, _ = booked()
    assert inserted_without_waiting(case, lambda: noshow.mark_no_shows(now=AFTER))


_LOCK = re.compile(r" FOR (NO KEY UPDATE|UPDATE)(?: OF (.+?))?(?: SKIP LOCKED| NOWAIT)?$")
_FROM = re.compile(r' FROM "(\w+)"')


def locks(service: Callable[[], object]) -> list[tuple[str, str]]:
    """The rows of the cases' and the appointments' tables that ``service`` locks, statement by statement:
    (the lock's mode, the tables it names; "all joined" when it names none, so that every table the
    statement joins is locked)."""
    with CaptureQueriesContext(connection) as queries:
        service()
    taken = []
    for query in queries.captured_queries:
        if (lock := _LOCK.search(query["sql"])) is None:
            continue
        tables = lock[2].replace('"', "") if lock[2] else "all joined"
        if (tables if lock[2] else _FROM.search(query["sql"])[1]).startswith(("cases_", "appointments_")):
            taken.append((lock[1], tables))
    return taken


CASE, BOOKING = ("NO KEY UPDATE", "cases_case"), ("NO KEY UPDATE", "appointments_booking")
BOOKING_AND_SLOT = ("NO KEY UPDATE", "appointments_booking, appointments_slot")


def test_a_booking_s_services_lock_the_case_then_the_booking_for_no_key_update_and_no_more() -> None:
    """Checking in, moving, cancelling and marking no-shows lock the case's row as a step does (FOR NO KEY
    UPDATE, ``lock_case``), then the booking's (and its slot's, when cancelling or moving it), never the case's
    again by a join, nor any row FOR UPDATE: none of them changes a key."""
    user, case, booking, later = booked()
    assert locks(lambda: services.reschedule(Actor(user), booking, later.pk, now=BEFORE)) == [
        CASE,
        BOOKING_AND_SLOT,
    ]
    moved = Booking.objects.get(case=case, state=Booking.State.ACTIVE)
    assert locks(lambda: services.cancel(Actor(user), moved, now=BEFORE)) == [CASE, BOOKING_AND_SLOT]
    _, _, booking, _ = booked(hall=False)
    clerk, early = Actor(officer()), booking.slot.starts_at - timedelta(minutes=10)
    assert locks(lambda: tickets.check_in(clerk, "reception-hall", booking.reference, now=early)) == [
        CASE,
        BOOKING,
    ]
    booked(hall=False)
    assert locks(lambda: noshow.mark_no_shows(now=AFTER)) == [
        CASE,
        BOOKING,
        ("NO KEY UPDATE", "appointments_queueticket"),
    ]


TICKET = ("NO KEY UPDATE", "appointments_queueticket")


def test_a_withdrawal_locks_the_case_then_ends_its_waiting_ticket_never_the_case_again() -> None:
    """The withdrawal's step locks the case (``lock_case``); ending its waiting ticket
    (``tickets.end_closed``) then locks the ticket's row, last, FOR NO KEY UPDATE."""
    user, case, _, ticket = checked_in()
    taken = locks(lambda: case_services.withdraw(Actor(user), case))
    assert taken[0] == CASE and taken[-1] == TICKET and CASE not in taken[1:], taken
    assert QueueTicket.objects.get(pk=ticket.pk).state == QueueTicket.State.WITHDRAWN


def test_a_call_that_holds_the_ticket_makes_the_withdrawal_wait_and_the_called_ticket_stays_called() -> None:
    """A counter calling the ticket holds its case's row first (``_open_case``): the withdrawal waits, then
    finds the ticket called, not waiting, and leaves it to the counter."""
    user, case, clerk, ticket = checked_in()
    called = []

    def call() -> None:
        called.append(tickets.call_next(clerk, "reception-hall", 1, now=NINE))

    assert waits_for(call, lambda: case_services.withdraw(Actor(user), case))
    assert called == [ticket]
    assert QueueTicket.objects.get(pk=ticket.pk).state == QueueTicket.State.CALLED
    assert Case.objects.get(pk=case.pk).state == State.WITHDRAWN
