"""A message goes out in the account's preferred language, whichever language its user last read the site
in; an account with none stored gets Chinese."""

from __future__ import annotations

import pytest
from tests.appointments.helpers import BEFORE, hall_with_slots

from case_helpers import submitted
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import User
from exitentry.appointments import services
from exitentry.appointments.models import Slot
from exitentry.messaging.models import Message
from factories import applicant

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-2026"


def _book(user):
    user = User.objects.get(pk=user.pk)  # the account as stored now, as a request would load it
    hall_with_slots("reception-hall", 30)
    case = submitted(user, "rp-work")
    return services.book(Actor(user), case, Slot.objects.order_by("starts_at").first().pk, now=BEFORE)


def test_a_booking_after_english_pages_is_confirmed_in_the_stored_chinese(client) -> None:
    user = applicant(language="zh-hans", email="a@example.org")
    user.set_password(PASSWORD)
    user.save()
    signed_in = client.post("/en/sign-in/", {"username": user.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/en/my/").status_code == 200
    assert client.get("/en/my/bookings/").status_code == 200
    booking = _book(user)
    message = Message.objects.get(event_key=f"booking:{booking.reference}:booked")
    assert message.language == "zh-hans"
    assert message.subject.startswith("预约成功：")


def test_a_booking_after_chinese_pages_is_confirmed_in_the_stored_english(client) -> None:
    user = applicant(language="en", email="a@example.org")
    user.set_password(PASSWORD)
    user.save()
    client.post("/zh-hans/sign-in/", {"username": user.username, "password": PASSWORD})
    assert client.get("/zh-hans/my/").status_code == 200
    booking = _book(user)
    message = Message.objects.get(event_key=f"booking:{booking.reference}:booked")
    assert (message.language, message.subject[:19]) == ("en", "Appointment booked:")


def test_an_account_with_no_language_stored_gets_chinese() -> None:
    user = applicant(language="", email="a@example.org")
    booking = _book(user)
    assert Message.objects.get(event_key=f"booking:{booking.reference}:booked").language == "zh-hans"
