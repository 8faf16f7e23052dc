"""A booking whose case no longer needs a visit (decided, issued, withdrawn, ...) ends by itself: cancelled
with its reason, the slot free for others, its people told once; other steps leave it alone."""

from __future__ import annotations

import pytest
from tests.appointments.helpers import BEFORE, WEEK, held_agrees

from case_helpers import (
    TODAY,
    approval_validity,
    client_for,
    hall_accepts,
    hall_receives,
    submitted,
    upload_everything,
)
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry
from exitentry.appointments import services
from exitentry.appointments.models import Booking
from exitentry.cases import services as case_services
from exitentry.messaging.models import Message
from factories import applicant, officer

pytestmark = pytest.mark.django_db


def accept(booking: Booking) -> Actor:
    """The hall receives and accepts the booked case while the booking is still active."""
    clerk = Actor(officer(booking.case.hall_id))
    hall_receives(clerk, booking.case, on=TODAY)
    upload_everything(booking.booked_by, booking.case)
    hall_accepts(clerk, booking.case, on=TODAY)
    booking.refresh_from_db()
    assert booking.state == Booking.State.ACTIVE  # still before the decision: the visit may be of use
    return clerk


@pytest.mark.parametrize("outcome", ["approved", "refused"])
def test_a_decided_case_ends_its_booking_and_frees_the_slot(booked_case, outcome) -> None:
    clerk = accept(booked_case)
    case = booked_case.case
    if outcome == "approved":
        case_services.decide(clerk, case, outcome, validity=approval_validity(case), on=TODAY)
    else:
        case_services.decide(clerk, case, outcome, ground_id="first-refusal-law-grounds", on=TODAY)
    booked_case.refresh_from_db()
    assert booked_case.state == Booking.State.CANCELLED
    assert booked_case.ended_because == Booking.EndReason.CASE_CLOSED and booked_case.ended_at
    assert held_agrees() == []
    other = submitted(applicant(), "rp-work")
    assert (
        services.open_slots(other, case.hall_id, WEEK, WEEK, now=BEFORE)
        .filter(pk=booked_case.slot_id)
        .exists()
    )
    entry = AuditEntry.objects.get(action="booking.cancel", object_id=booked_case.reference)
    assert entry.new["because"] == "case.decide"
    [told] = Message.objects.filter(event_key=f"booking:{booked_case.reference}:cancelled")
    if outcome == "approved":  # the site's language: the booker chose none
        assert "无需再前往大厅" not in told.body and "请前往大厅领取" in told.body
    else:
        assert "无需再前往大厅" in told.body


def test_ending_is_idempotent_and_set_based(booked_case) -> None:
    from exitentry.appointments import moot
    from exitentry.cases.models import Case

    accept(booked_case)
    Case.objects.filter(pk=booked_case.case_id).update(state="issued")  # as if moved behind the signal
    assert moot.end_moot(Actor(None), Case.objects.all()) == [booked_case.reference]
    assert moot.end_moot(Actor(None), Case.objects.all()) == []
    assert Message.objects.filter(event_key__startswith=f"booking:{booked_case.reference}:").count() == 2


@pytest.mark.usefixtures("friday_before")
@pytest.mark.parametrize("language, said", [("en", "handing in the materials"), ("zh-hans", "已无需此预约")])
def test_the_booking_page_says_why_and_no_longer_lists_what_to_bring(booked_case, language, said) -> None:
    me = client_for(booked_case.booked_by)
    page = me.get(f"/{language}/my/bookings/{booked_case.reference}/").content.decode()
    assert said not in page and 'class="qr"' in page and "bring-originals" in page
    case_services.withdraw(Actor(booked_case.booked_by), booked_case.case)
    page = me.get(f"/{language}/my/bookings/{booked_case.reference}/").content.decode()
    assert said in page and 'class="qr"' not in page and "bring-originals" not in page
    assert said in me.get(f"/{language}/my/bookings/").content.decode()
