"""Booking, cancelling and moving an appointment: who, where, when, and never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from tests.appointments.helpers import BEFORE, WEEK, hall_with_slots, held_agrees

from case_helpers import hall_receives, started, submitted
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry, Role
from exitentry.appointments import services
from exitentry.appointments.models import Booking, BookingRules, Slot
from exitentry.cases import services as case_services
from exitentry.cases.lifecycle import IllegalTransition
from exitentry.cases.services import Refused
from factories import UnitFactory, UserFactory, applicant, hall_day, officer

pytestmark = pytest.mark.django_db


def first_open(case, hall_id="reception-hall", now=BEFORE) -> Slot:
    return services.open_slots(case, hall_id, WEEK, WEEK + timedelta(days=6), now=now).first()


def test_an_applicant_books_a_slot_and_it_is_no_longer_offered() -> None:
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    slot = first_open(case)
    booking = services.book(Actor(user), case, slot.pk, now=BEFORE)
    assert booking.state == Booking.State.ACTIVE and len(booking.reference) == 10
    assert first_open(case) != slot
    other = submitted(applicant(), "rp-work")
    assert slot not in services.open_slots(other, "reception-hall", WEEK, WEEK, now=BEFORE)


def test_a_unit_handler_and_a_proxy_book_for_the_cases_they_act_on() -> None:
    hall_with_slots()
    unit = UnitFactory()
    handler = UserFactory(role=Role.UNIT, unit=unit)
    case = submitted(handler, "rp-work", person=applicant().person, acting_as="unit")
    assert services.book(Actor(handler), case, first_open(case).pk, now=BEFORE)
    stranger = UserFactory(role=Role.PROXY)
    with pytest.raises(PermissionDenied):
        services.book(Actor(stranger), case, first_open(case).pk, now=BEFORE)


def test_one_active_booking_per_case_and_a_slot_once() -> None:
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    slot = first_open(case)
    services.book(Actor(user), case, slot.pk, now=BEFORE)
    with pytest.raises(services.Taken):
        services.book(Actor(user), case, first_open(case).pk, now=BEFORE)
    rival = applicant()
    with pytest.raises(services.Taken):
        services.book(Actor(rival), submitted(rival, "rp-work"), slot.pk, now=BEFORE)


def test_a_draft_cannot_be_booked_and_the_hall_does_not_book() -> None:
    hall_with_slots()
    user = applicant()
    draft = started(user, "rp-work")
    with pytest.raises(IllegalTransition):
        services.book(Actor(user), draft, Slot.objects.first().pk, now=BEFORE)
    case = submitted(applicant(), "rp-work")  # another's: one open draft a person and procedure
    with pytest.raises(PermissionDenied):
        services.book(Actor(officer(case.hall_id)), case, Slot.objects.first().pk, now=BEFORE)


def test_a_permanent_residence_case_is_not_booked_at_a_hall_that_does_not_take_it() -> None:
    hall_with_slots("shijingshan")
    hall_with_slots("reception-hall")
    user = applicant()
    case = submitted(user, "pr-application")
    assert not services.open_slots(case, "shijingshan", WEEK, WEEK, now=BEFORE).exists()
    elsewhere = Slot.objects.filter(hall_id="shijingshan").first()
    with pytest.raises(Refused, match="cannot be booked at"):
        services.book(Actor(user), case, elsewhere.pk, now=BEFORE)
    assert services.book(Actor(user), case, first_open(case).pk, now=BEFORE)


def test_a_counter_serves_only_its_categories() -> None:
    hall_with_slots("reception-hall", 30, ["pr"])
    user = applicant()
    case = submitted(user, "rp-work")
    assert first_open(case) is None
    with pytest.raises(Refused, match="counter"):
        services.book(Actor(user), case, Slot.objects.first().pk, now=BEFORE)


def test_cancel_and_move_up_to_the_cut_off() -> None:
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    booking = services.book(Actor(user), case, first_open(case).pk, now=BEFORE)
    later = first_open(case)
    moved = services.reschedule(Actor(user), booking, later.pk, now=BEFORE)
    booking.refresh_from_db()
    assert (booking.state, booking.moved_to) == (Booking.State.MOVED, moved)
    assert moved.slot == later and moved.state == Booking.State.ACTIVE
    too_late = moved.slot.starts_at - timedelta(hours=BookingRules.current().cutoff_hours - 1)
    with pytest.raises(Refused, match="hours before"):
        services.cancel(Actor(user), moved, now=too_late)
    cancelled = services.cancel(Actor(user), moved, now=BEFORE)
    assert cancelled.state == Booking.State.CANCELLED
    assert services.book(Actor(user), case, later.pk, now=BEFORE)  # free again, and the case may book again
    assert held_agrees() == []


def test_a_person_books_at_most_the_weekly_limit() -> None:
    hall_with_slots()
    user = applicant()
    limit = BookingRules.current().per_person_per_week
    for _ in range(limit):
        case = submitted(user, "rp-work")
        services.book(Actor(user), case, first_open(case).pk, now=BEFORE)
    case = submitted(user, "rp-work")
    with pytest.raises(Refused, match="appointments in the week"):
        services.book(Actor(user), case, first_open(case).pk, now=BEFORE)


def test_a_slot_that_has_begun_is_not_offered() -> None:
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    slot = Slot.objects.order_by("starts_at").first()
    assert first_open(case, now=slot.starts_at) != slot
    with pytest.raises(services.Taken):
        services.book(Actor(user), case, slot.pk, now=slot.starts_at)


def one_stop(category: str):
    """A one-stop case filed by a unit's handler and submitted to the one-stop counter."""
    from factories import eligible_facts

    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    facts = {
        **eligible_facts("one-stop-work-permits"),
        "work_permit_category": category,
        "limited_mobility": False,
        "high_level_talent": False,
    }
    case = submitted(
        handler, "one-stop-work-permits", person=applicant().person, acting_as="unit", facts=facts
    )
    return case, handler


def test_one_stop_category_a_walks_in_and_books_nothing() -> None:
    hall_with_slots("one-stop-counter")
    case, handler = one_stop("A")
    case_services.pre_examine(Actor(officer("one-stop-counter")), case)
    assert "No appointment is needed." in services.not_booked_here(case).text.en
    slot = first_open(case, "one-stop-counter")
    with pytest.raises(Refused, match="No appointment is needed"):
        services.book(Actor(handler), case, slot.pk, now=BEFORE)
    assert services.not_booked_here(submitted(applicant(), "rp-work")) is None


@pytest.mark.parametrize("category", ["B", "C"])
def test_one_stop_categories_b_and_c_book_in_the_service_system_not_here(category) -> None:
    """Seed 002, 4. How to apply b: no appointment with the Exit-Entry Administration; this site books none,
    pre-examined or not, at the one-stop counter or an exit-entry hall."""
    hall_with_slots("one-stop-counter")
    hall_with_slots()
    case, handler = one_stop(category)
    assert [h.id for h in services.halls_for(case)] == ["one-stop-counter"]
    assert first_open(case, "reception-hall") is None  # the exit-entry halls do not take it
    case_services.pre_examine(Actor(officer("one-stop-counter")), case)
    elsewhere = services.not_booked_here(case)
    assert "Service System for Foreigners Working in China" in elsewhere.text.en and elsewhere.bring
    for hall in ("one-stop-counter", "reception-hall"):
        slot = Slot.objects.filter(hall_id=hall).order_by("starts_at").first()
        with pytest.raises(Refused, match="Service System for Foreigners Working in China"):
            services.book(Actor(handler), case, slot.pk, now=BEFORE)
    assert not Booking.objects.filter(case=case).exists()


def test_withdrawing_a_case_gives_its_appointment_back(booked_case) -> None:
    slot = booked_case.slot
    case_services.withdraw(Actor(booked_case.booked_by), booked_case.case)
    booked_case.refresh_from_db()
    assert booked_case.state == Booking.State.CANCELLED
    other = submitted(applicant(), "rp-work")
    assert services.open_slots(other, "reception-hall", WEEK, WEEK, now=BEFORE).filter(pk=slot.pk).exists()
    entry = AuditEntry.objects.get(action="booking.cancel", object_id=booked_case.reference)
    assert entry.new["because"] == "case.withdraw"
    assert held_agrees() == []


def test_other_steps_leave_the_appointment_alone(booked_case) -> None:
    case = booked_case.case
    hall = officer("reception-hall")
    hall_receives(Actor(hall), case, on=hall_day())
    booked_case.refresh_from_db()
    assert booked_case.state == Booking.State.ACTIVE


def test_a_case_books_at_the_hall_it_was_submitted_to() -> None:
    hall_with_slots("shijingshan")
    hall_with_slots("reception-hall")
    user = applicant()
    case = submitted(user, "rp-work")
    assert [h.id for h in services.halls_for(case)] == [case.hall_id]
    other = "shijingshan" if case.hall_id != "shijingshan" else "reception-hall"
    assert not services.open_slots(case, other, WEEK, WEEK, now=BEFORE).exists()
    with pytest.raises(Refused, match="was submitted to") as refused:
        services.book(Actor(user), case, Slot.objects.filter(hall_id=other).first().pk, now=BEFORE)
    assert "请预约该大厅的时段" in refused.value.message.zh
