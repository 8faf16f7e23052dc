"""The day at the hall with the services: check-in (day, hall, window), walk-ins where the law allows,
calling in order, marking served, no-shows at the day's end."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from tests.appointments.helpers import WEEK, at, hall_with_slots, held_agrees

from case_helpers import one_stop_submitted, submitted
from exitentry.accounts.models import AuditEntry, Role
from exitentry.appointments import services, tickets
from exitentry.appointments.models import Booking, QueueTicket, Slot
from exitentry.bilingual import in_both
from exitentry.cases import services as case_services
from exitentry.cases.access import Denied
from exitentry.cases.services import Refused
from exitentry.law.catalog import catalog
from exitentry.law.text import Text
from factories import actor, applicant, eligible_facts, officer

pytestmark = pytest.mark.django_db

NINE = at("2026-11-23T09:00")  # the first slot of the test week starts then


def test_every_hall_category_of_the_catalog_has_a_ticket_letter() -> None:
    categories = {c for p in catalog().procedures.values() for c in p.hall_categories}
    categories |= {c for h in catalog().halls.values() for c in h.accepts if c != "*"}
    assert {c.split(":")[0] for c in categories} <= set(tickets.LETTERS)
    assert len(set(tickets.LETTERS.values())) == len(tickets.LETTERS)


@pytest.mark.parametrize(
    "scanned",
    ["{ref}", "{ref_lower}", "https://exitentry.example/booking/{ref}/", "exitentry:booking:{ref}\n"],
)
def test_check_in_reads_the_reference_typed_or_scanned(booked_case, scanned) -> None:
    text = scanned.format(ref=booked_case.reference, ref_lower=booked_case.reference.lower())
    ticket = tickets.check_in(actor(officer()), "reception-hall", text, now=NINE - timedelta(minutes=10))
    assert (ticket.label, ticket.booking, ticket.state) == ("R001", booked_case, QueueTicket.State.WAITING)
    booked_case.refresh_from_db()
    assert booked_case.state == Booking.State.CHECKED_IN
    assert AuditEntry.objects.filter(action="booking.check_in", object_id=booked_case.reference).exists()


def refused(booking, hall="reception-hall", now=NINE, user=None) -> Refused:
    with pytest.raises(Refused) as caught:
        tickets.check_in(actor(user or officer(hall)), hall, booking.reference, now=now)
    return caught.value


def test_check_in_on_another_day_is_refused_in_both_languages(booked_case) -> None:
    message = refused(booked_case, now=NINE - timedelta(days=1)).message
    assert "23 November 2026" in message.en and "check in on that day" in message.en
    assert message.zh == "该预约日期为2026年11月23日，请当天签到。"


@pytest.mark.parametrize("state", ["active", "checked_in", "cancelled"])
def test_check_in_at_another_hall_is_told_only_what_an_unknown_reference_is(booked_case, state) -> None:
    """Another hall's officer learns nothing of the booking (its hall, its state): the same words as for a
    reference no booking has."""
    Booking.objects.filter(pk=booked_case.pk).update(state=state)
    unknown = refused(booked_case, hall="zhongguancun").message
    with pytest.raises(Refused) as caught:
        tickets.check_in(actor(officer("zhongguancun")), "zhongguancun", "ZZZZZZZZZZ", now=NINE)
    assert unknown == caught.value.message
    assert "at this hall" in unknown.en and "本大厅没有该编号的预约" in unknown.zh
    for told in ("Reception", "not at", "checked in", "active", "已签到", "不是"):
        assert told not in unknown.en + unknown.zh


@pytest.mark.parametrize(
    ("state", "says"), [("cancelled", "no longer active"), ("checked_in", "already checked in")]
)
def test_an_officer_of_both_halls_is_told_an_ended_booking_is_ended_not_elsewhere(
    booked_case, state, says
) -> None:
    """An officer who works at the booking's hall too learns its state first: "at another hall" would send
    the person there for nothing."""
    Booking.objects.filter(pk=booked_case.pk).update(state=state)
    both = officer("reception-hall", "zhongguancun")
    with pytest.raises(services.Taken) as caught:
        tickets.check_in(actor(both), "zhongguancun", booked_case.reference, now=NINE)
    assert says in caught.value.text.en


def test_check_in_outside_the_window_is_refused(booked_case) -> None:
    early = refused(booked_case, now=NINE - tickets.CHECK_IN_EARLY - timedelta(minutes=1)).message
    assert "opens at 08:00" in early.en and "08:00" in early.zh
    late = refused(booked_case, now=booked_case.slot.ends_at).message
    assert "ended at 09:30" in late.en and "09:30" in late.zh
    ticket = tickets.check_in(
        actor(officer()), "reception-hall", booked_case.reference, now=NINE - tickets.CHECK_IN_EARLY
    )
    assert ticket.label == "R001"


def test_check_in_twice_is_refused(booked_case) -> None:
    tickets.check_in(actor(officer()), "reception-hall", booked_case.reference, now=NINE)
    with pytest.raises(services.Taken):
        tickets.check_in(actor(officer()), "reception-hall", booked_case.reference, now=NINE)
    assert QueueTicket.objects.count() == 1


def test_an_unknown_reference_is_refused(booked_case) -> None:
    with pytest.raises(Refused) as caught:
        tickets.check_in(actor(officer()), "reception-hall", "nothing here", now=NINE)
    assert caught.value.message.zh


@pytest.mark.parametrize("who", ["applicant", "other hall", "institution"])
def test_only_the_halls_officers_check_in(booked_case, who) -> None:
    user = {"applicant": applicant, "other hall": lambda: officer("shijingshan")}.get(
        who, lambda: officer(role=Role.INSTITUTION)
    )()
    with pytest.raises(Denied):
        tickets.check_in(actor(user), "reception-hall", booked_case.reference, now=NINE)


def one_stop_case():
    return one_stop_submitted()


def test_a_walk_in_gets_a_ticket_where_no_appointment_is_needed() -> None:
    case = one_stop_case()
    clerk = actor(officer(case.hall_id))
    ticket = tickets.issue_walk_in(clerk, case, now=NINE)
    assert (ticket.label, ticket.booking, ticket.hall_id) == ("W001", None, case.hall_id)
    with pytest.raises(services.Taken):  # one open ticket a case a day
        tickets.issue_walk_in(clerk, case, now=NINE)
    assert tickets.issue_walk_in(clerk, one_stop_case(), now=NINE).label == "W002"
    assert AuditEntry.objects.filter(action="ticket.walk_in").count() == 2


def test_a_case_that_books_gets_no_walk_in_ticket() -> None:
    case = submitted(applicant(), "rp-work")
    with pytest.raises(Refused) as caught:
        tickets.issue_walk_in(actor(officer(case.hall_id)), case, now=NINE)
    assert "appointment" in caught.value.message.en and "预约" in caught.value.message.zh


def test_a_one_stop_category_b_case_gets_a_ticket_once_its_appointment_letter_is_seen() -> None:
    """Seed 002, 4. How to apply b: B and C come to the counter with the appointment letter of the Service
    System for Foreigners Working in China; the officer records its arrival with the letter seen."""
    facts = {
        **eligible_facts("one-stop-work-permits"),
        "work_permit_category": "B",
        "limited_mobility": False,
        "high_level_talent": False,
    }
    case = one_stop_submitted(facts=facts)
    clerk = actor(officer(case.hall_id))
    with pytest.raises(Refused, match="appointment letter") as caught:
        tickets.issue_walk_in(clerk, case, now=NINE)
    assert "预约函" in caught.value.message.zh
    ticket = tickets.issue_walk_in(clerk, case, letter_seen=True, now=NINE)
    assert (ticket.label, ticket.booking, ticket.appointment_letter) == ("W001", None, True)
    entry = AuditEntry.objects.get(action="ticket.walk_in")
    assert entry.new["appointment_letter"] is True
    category_a = tickets.issue_walk_in(clerk, one_stop_case(), now=NINE)
    assert category_a.appointment_letter is False


def test_a_withdrawn_case_gets_no_walk_in_ticket() -> None:
    case = one_stop_case()
    case_services.withdraw(actor(case.submitted_by), case)
    with pytest.raises(Refused) as caught:
        tickets.issue_walk_in(actor(officer(case.hall_id)), case, now=NINE)
    assert caught.value.message.en == (
        "This application is closed (Withdrawn): nothing is left to do at the counter."
    )
    assert caught.value.message.zh == "该申请已结束（已撤回），无需到窗口办理。"
    assert not QueueTicket.objects.exists()


def test_another_halls_officer_issues_no_walk_in_ticket() -> None:
    with pytest.raises(Denied):
        tickets.issue_walk_in(actor(officer("reception-hall")), one_stop_case(), now=NINE)


def booked_at(slot: Slot):
    case = submitted(applicant(), "rp-work")
    return services.book(actor(case.submitted_by), case, slot.pk, now=at("2026-11-20T10:00"))


def test_calling_goes_by_booked_time_then_issue_and_only_to_served_categories() -> None:
    hall_with_slots("reception-hall", 30, ["rp:work"], ["pr"])
    first, second = Slot.objects.filter(counter__number=1).order_by("starts_at")[:2]
    late, early = booked_at(second), booked_at(first)
    clerk = actor(officer())
    t_late = tickets.check_in(clerk, "reception-hall", late.reference, now=NINE - timedelta(minutes=30))
    t_early = tickets.check_in(clerk, "reception-hall", early.reference, now=NINE - timedelta(minutes=20))
    assert tickets.call_next(clerk, "reception-hall", 2, now=NINE) is None  # counter 2 serves pr only
    called = tickets.call_next(clerk, "reception-hall", 1, now=NINE)
    assert (called.pk, called.counter, called.state) == (t_early.pk, 1, QueueTicket.State.CALLED)
    served = tickets.mark_served(clerk, called, now=NINE + timedelta(minutes=5))
    assert served.state == QueueTicket.State.SERVED
    assert tickets.call_next(clerk, "reception-hall", 1, now=NINE).pk == t_late.pk
    tickets.mark_served(clerk, QueueTicket.objects.get(pk=t_late.pk), now=NINE + timedelta(minutes=9))
    assert tickets.call_next(clerk, "reception-hall", 1, now=NINE) is None
    with pytest.raises(services.Taken):
        tickets.mark_served(clerk, served)
    with pytest.raises(Refused):
        tickets.call_next(clerk, "reception-hall", 9, now=NINE)


def test_the_day_board_counts_the_day(booked_case) -> None:
    clerk = actor(officer())
    tickets.check_in(clerk, "reception-hall", booked_case.reference, now=NINE - timedelta(minutes=6))
    tickets.call_next(clerk, "reception-hall", 1, now=NINE)
    board = tickets.day_board(clerk, "reception-hall", now=NINE)
    assert {k: board[k] for k in ("booked", "checked_in", "waiting", "called", "served", "no_show")} == {
        "booked": 1,
        "checked_in": 1,
        "waiting": 0,
        "called": 1,
        "served": 0,
        "no_show": 0,
    }
    assert board["average_wait_minutes"] == 6.0
    assert tickets.public_queue("reception-hall", now=NINE) == {
        "hall_id": "reception-hall",
        "called": [{"ticket": "R001", "counter": 1}],
        "calling": [{"ticket": "R001", "counter": 1}],
        "served": [],
        "withdrawn": [],
        "waiting": 0,
        "closed": None,
    }
    with pytest.raises(Denied):
        tickets.day_board(actor(officer("shijingshan")), "reception-hall", now=NINE)


def test_no_shows_are_marked_after_the_hall_closes_and_only_once(booked_case) -> None:
    hall = "reception-hall"
    other = booked_at(Slot.objects.filter(day=WEEK).order_by("starts_at")[1])
    tickets.check_in(actor(officer()), hall, other.reference, now=NINE)
    assert services.mark_no_shows(WEEK, now=at("2026-11-23T12:00")) == {
        "bookings": 0,
        "tickets": 0,
        "skipped": 0,
    }
    assert services.mark_no_shows(WEEK, now=at("2026-11-23T17:00")) == {
        "bookings": 1,
        "tickets": 1,
        "skipped": 0,
    }
    assert services.mark_no_shows(WEEK, now=at("2026-11-23T18:00")) == {
        "bookings": 0,
        "tickets": 0,
        "skipped": 0,
    }
    booked_case.refresh_from_db()
    other.refresh_from_db()
    assert (booked_case.state, other.state) == (Booking.State.NO_SHOW, Booking.State.CHECKED_IN)
    assert QueueTicket.objects.get().state == QueueTicket.State.NO_SHOW
    assert AuditEntry.objects.filter(action="booking.no_show").count() == 1
    assert held_agrees() == []


def test_a_day_that_passed_is_marked_the_next_day(booked_case) -> None:
    from exitentry.appointments.tasks import mark_no_shows

    with mock.patch("exitentry.clock.now", return_value=at("2026-11-24T08:00")):
        assert mark_no_shows.call() == {"bookings": 1, "tickets": 0, "skipped": 0}
    booked_case.refresh_from_db()
    assert booked_case.state == Booking.State.NO_SHOW


def test_a_ticket_not_answered_waits_again_as_if_booked_then_and_the_second_time_did_not_come() -> None:
    hall_with_slots("reception-hall", 30)  # slots at 9:00, 9:30, 10:00
    slots = Slot.objects.filter(counter__number=1).order_by("starts_at")[:3]
    bookings = [booked_at(s) for s in slots]
    clerk = actor(officer())
    first, second = (
        tickets.check_in(clerk, "reception-hall", b.reference, now=NINE - timedelta(minutes=10))
        for b in bookings[:2]
    )
    called = tickets.call_next(clerk, "reception-hall", 1, now=NINE)
    assert called.pk == first.pk
    again = tickets.not_answered(clerk, called, now=NINE + timedelta(minutes=35))
    assert (again.state, again.missed, again.counter) == (QueueTicket.State.WAITING, 1, None)
    # It queues as if booked for 9:35: after the one booked for 9:30, before the one booked for 10:00.
    assert tickets.call_next(clerk, "reception-hall", 1, now=NINE + timedelta(minutes=36)).pk == second.pk
    tickets.mark_served(clerk, QueueTicket.objects.get(pk=second.pk), now=NINE + timedelta(minutes=45))
    late = tickets.check_in(clerk, "reception-hall", bookings[2].reference, now=NINE + timedelta(minutes=50))
    recalled = tickets.call_next(clerk, "reception-hall", 1, now=NINE + timedelta(minutes=51))
    assert (recalled.pk, recalled.state) == (first.pk, QueueTicket.State.CALLED)
    gone = tickets.not_answered(clerk, recalled, now=NINE + timedelta(minutes=55))
    assert (gone.state, gone.missed) == (QueueTicket.State.NO_SHOW, 2)
    assert tickets.call_next(clerk, "reception-hall", 1, now=NINE + timedelta(minutes=56)).pk == late.pk
    with pytest.raises(services.Taken):
        tickets.not_answered(clerk, gone)  # no longer called: nothing to mark
    board = tickets.day_board(clerk, "reception-hall", now=NINE + timedelta(minutes=57))
    assert (board["no_show"], board["called"], board["served"], board["waiting"]) == (1, 1, 1, 0)
    entries = AuditEntry.objects.filter(action="ticket.not_answered", object_id=str(first.pk)).order_by("pk")
    assert [(e.new["state"], e.new["missed"]) for e in entries] == [("waiting", 1), ("no_show", 2)]
    with pytest.raises(Denied):
        tickets.not_answered(actor(officer("shijingshan")), called)


def test_a_ticket_of_a_withdrawn_case_is_not_called(booked_case) -> None:
    """A closed case (withdrawn) has nothing left to do at the counter: its waiting ticket is passed over."""
    ticket = tickets.check_in(actor(officer()), "reception-hall", booked_case.reference, now=NINE)
    case_services.withdraw(actor(booked_case.case.submitted_by), booked_case.case)
    assert tickets.call_next(actor(officer()), "reception-hall", 1, now=NINE) is None
    assert QueueTicket.objects.get(pk=ticket.pk).state == QueueTicket.State.WITHDRAWN


def test_a_called_ticket_of_a_case_withdrawn_since_does_not_wait_again_when_not_answered(booked_case) -> None:
    clerk = actor(officer())
    ticket = tickets.check_in(clerk, "reception-hall", booked_case.reference, now=NINE)
    called = tickets.call_next(clerk, "reception-hall", 1, now=NINE)
    case_services.withdraw(actor(booked_case.case.submitted_by), booked_case.case)
    missed = tickets.not_answered(clerk, called, now=NINE + timedelta(minutes=5))
    assert (missed.pk, missed.state, missed.missed) == (ticket.pk, QueueTicket.State.NO_SHOW, 1)


def test_a_checked_in_booking_keeps_its_slot_from_being_booked_again(booked_case) -> None:
    early = NINE - timedelta(minutes=10)
    tickets.check_in(actor(officer()), "reception-hall", booked_case.reference, now=early)
    user = applicant()
    other = submitted(user, "rp-work")
    assert not services.open_slots(other, "reception-hall", WEEK, WEEK, now=early).filter(
        pk=booked_case.slot_id
    )
    with pytest.raises(services.Taken):
        services.book(actor(user), other, booked_case.slot_id, now=early)
    assert Booking.objects.filter(slot=booked_case.slot).count() == 1
    assert held_agrees() == []


def ready_for_pick_up(procedure_id: str = "rp-personal-affairs"):
    """A permit issued and ready for pick-up at the case's hall; and the officer."""
    from case_helpers import accepted, approval_validity
    from factories import TODAY

    case, clerk = accepted(applicant(), procedure_id)
    case_services.decide(clerk, case, "approved", validity=approval_validity(case), on=TODAY)
    case_services.issue(clerk, case, on=TODAY)
    case_services.mark_ready(clerk, case, on=TODAY)
    return case, clerk


def test_a_permit_ready_for_pick_up_gets_a_walk_in_ticket_to_collect_it() -> None:
    """Collecting books no time (the law core's ``collection_visit``: the guides book a time to hand in the
    materials and send the applicant to collect the permit at the hall, bj-personal-affairs Steps,
    bj-permanent-residence Collection): the ticket says it is for collecting."""
    from exitentry.law.rules.collection import collection_visit

    case, clerk = ready_for_pick_up()
    ticket = tickets.issue_walk_in(clerk, case, now=NINE)
    assert (ticket.label, ticket.booking, ticket.purpose) == ("R001", None, QueueTicket.Purpose.COLLECT)
    assert in_both(QueueTicket.Purpose(ticket.purpose).label) == Text("Collect the permit", "领取证件")
    visit = collection_visit()
    assert "no appointment" in visit.text.en and "无需预约" in visit.text.zh
    assert {c.section for c in visit.cite} == {"Steps", "Collection"}
    board = tickets.day_board(clerk, case.hall_id, now=NINE)
    assert [t.purpose for t in board["tickets"]] == ["collect"]
    with pytest.raises(services.Taken):  # one open ticket a case a day, whatever it is for
        tickets.issue_walk_in(clerk, case, now=NINE)


def test_a_permit_not_yet_ready_gets_no_ticket_and_the_refusal_says_why() -> None:
    from case_helpers import accepted, approval_validity
    from factories import TODAY

    case, clerk = accepted(applicant(), "rp-personal-affairs")
    case_services.decide(clerk, case, "approved", validity=approval_validity(case), on=TODAY)
    with pytest.raises(Refused) as caught:
        tickets.issue_walk_in(clerk, case, now=NINE)
    message = caught.value.message
    assert "not ready for pick-up yet" in message.en and "appointment only" not in message.en
    assert "尚未可领取" in message.zh
    assert not QueueTicket.objects.exists()


def test_a_ticket_to_hand_in_materials_says_so() -> None:
    case = one_stop_case()
    ticket = tickets.issue_walk_in(actor(officer(case.hall_id)), case, now=NINE)
    assert ticket.purpose == QueueTicket.Purpose.HAND_IN


def test_a_withdrawn_cases_waiting_ticket_ends_at_once_as_withdrawn(booked_case) -> None:
    """Withdrawing the case (the case row locked first, then its tickets) ends its waiting ticket with its
    own state, audited; the board and the hall's screen show it, and no counter calls it."""
    clerk = actor(officer())
    ticket = tickets.check_in(clerk, "reception-hall", booked_case.reference, now=NINE)
    case_services.withdraw(actor(booked_case.case.submitted_by), booked_case.case)
    ticket.refresh_from_db()
    assert ticket.state == QueueTicket.State.WITHDRAWN == "withdrawn"
    assert AuditEntry.objects.filter(action="ticket.withdrawn", object_id=str(ticket.pk)).exists()
    assert tickets.call_next(clerk, "reception-hall", 1, now=NINE) is None
    board = tickets.day_board(clerk, "reception-hall", now=NINE)
    assert (board["waiting"], board["withdrawn"], board["no_show"]) == (0, 1, 0)
    assert tickets.public_queue("reception-hall", now=NINE)["withdrawn"] == [{"ticket": "R001"}]
    assert services.mark_no_shows(WEEK, now=at("2026-11-23T17:00"))["tickets"] == 0
    assert QueueTicket.objects.get(pk=ticket.pk).state == QueueTicket.State.WITHDRAWN


def test_a_called_ticket_is_not_withdrawn_with_its_case(booked_case) -> None:
    """At the counter already: the officer marks it (served, or not answered: then it did not come)."""
    clerk = actor(officer())
    tickets.check_in(clerk, "reception-hall", booked_case.reference, now=NINE)
    called = tickets.call_next(clerk, "reception-hall", 1, now=NINE)
    case_services.withdraw(actor(booked_case.case.submitted_by), booked_case.case)
    assert QueueTicket.objects.get(pk=called.pk).state == QueueTicket.State.CALLED


def two_waiting(clerk):
    hall_with_slots("reception-hall", 30, ["*"], ["*"])
    slots = Slot.objects.filter(counter__number=1).order_by("starts_at")[:2]
    return [
        tickets.check_in(clerk, "reception-hall", booked_at(s).reference, now=NINE - timedelta(minutes=10))
        for s in slots
    ]


def test_calling_next_while_a_ticket_is_still_at_the_counter_is_refused_naming_it() -> None:
    """The officer finishes the ticket at the counter first (served, or not answered): two tickets are
    never called to one counter, and a double click on "Call next" calls one."""
    clerk = actor(officer())
    first, second = two_waiting(clerk)
    called = tickets.call_next(clerk, "reception-hall", 1, now=NINE)
    with pytest.raises(tickets.CounterBusy) as caught:
        tickets.call_next(clerk, "reception-hall", 1, now=NINE + timedelta(minutes=1))
    said = caught.value.text
    assert "R001 is still at counter 1" in said.en and "served or not answered" in said.en
    assert "R001仍在1号窗口" in said.zh and "办结" in said.zh and "未应答" in said.zh
    assert QueueTicket.objects.get(pk=second.pk).state == QueueTicket.State.WAITING
    assert tickets.call_next(clerk, "reception-hall", 2, now=NINE).pk == second.pk  # another counter may
    tickets.not_answered(clerk, called, now=NINE + timedelta(minutes=5))  # counter 1 is free again
    assert tickets.call_next(clerk, "reception-hall", 1, now=NINE + timedelta(minutes=6)).pk == first.pk


def test_the_database_refuses_a_second_called_ticket_at_one_counter() -> None:
    from django.db import IntegrityError, transaction

    clerk = actor(officer())
    first, second = two_waiting(clerk)
    tickets.call_next(clerk, "reception-hall", 1, now=NINE)
    with pytest.raises(IntegrityError), transaction.atomic():
        QueueTicket.objects.filter(pk=second.pk).update(state=QueueTicket.State.CALLED, counter=1)
    QueueTicket.objects.filter(pk=second.pk).update(state=QueueTicket.State.CALLED, counter=2)


def test_a_collect_ticket_still_waiting_when_the_hall_records_the_collection_ends_served() -> None:
    """The permit was handed over at the hall (``collect`` is the hall's step, the holder there in person):
    the visit the ticket was for is done, so it ends served, audited, never "withdrawn: application
    closed". The board counts it served; the public screen does not list it as withdrawn, nor as called
    to a counter (it was never called), and no counter calls it."""
    from factories import TODAY

    case, clerk = ready_for_pick_up()
    ticket = tickets.issue_walk_in(clerk, case, now=NINE)
    if due := case_services.fee_of(case, TODAY).due:
        case_services.record_payment(clerk, case, due, "cash", on=TODAY)
    case_services.collect(clerk, case, on=TODAY)
    ticket.refresh_from_db()
    assert ticket.state == QueueTicket.State.SERVED and ticket.served_at is not None
    assert (ticket.called_at, ticket.counter) == (None, None)
    entry = AuditEntry.objects.get(action="ticket.served_on_collection", object_id=str(ticket.pk))
    assert entry.old == {"state": "waiting"} and entry.new["state"] == "served"
    assert not AuditEntry.objects.filter(action="ticket.withdrawn").exists()
    board = tickets.day_board(clerk, case.hall_id, now=NINE)
    assert (board["waiting"], board["served"], board["withdrawn"]) == (0, 1, 0)
    screen = tickets.public_queue(case.hall_id, now=NINE)
    assert (screen["withdrawn"], screen["called"], screen["served"], screen["waiting"]) == ([], [], [], 0)
    assert tickets.call_next(clerk, case.hall_id, 1, now=NINE) is None


def test_a_ticket_not_answered_once_then_ended_by_the_collection_is_not_listed_as_served_at_a_counter() -> (
    None
):
    """Called once and not answered, it waits again (at no counter); the permit collected meanwhile ends it
    served at the collection: the public screen lists it among no counter's tickets, the board says so."""
    from factories import TODAY

    case, clerk = ready_for_pick_up()
    ticket = tickets.issue_walk_in(clerk, case, now=NINE)
    called = tickets.call_next(clerk, case.hall_id, 1, now=NINE + timedelta(minutes=1))
    tickets.not_answered(clerk, called, now=NINE + timedelta(minutes=2))
    if due := case_services.fee_of(case, TODAY).due:
        case_services.record_payment(clerk, case, due, "cash", on=TODAY)
    case_services.collect(clerk, case, on=TODAY)
    ticket.refresh_from_db()
    assert ticket.served_at_collection and ticket.called_at is not None
    screen = tickets.public_queue(case.hall_id, now=NINE + timedelta(minutes=3))
    assert (screen["called"], screen["served"], screen["waiting"]) == ([], [], 0)


def test_every_family_of_hall_categories_in_the_catalog_has_a_ticket_letter() -> None:
    """A family a hall or procedure adds to ``halls.yaml`` or the procedures needs its letter here first."""
    cat = catalog()
    families = {c.split(":")[0] for p in cat.procedures.values() for c in p.hall_categories}
    families |= {c.split(":")[0] for h in cat.halls.values() for c in h.accepts if c != "*"}  # "*": any
    assert families <= set(tickets.LETTERS), families - set(tickets.LETTERS)
    assert len(set(tickets.LETTERS.values())) == len(tickets.LETTERS)  # one letter, one family
