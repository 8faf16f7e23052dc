"""On a 390px phone, in both languages, My appointments and an application's page fit the screen: no
page-wide sideways scroll (a wide table scrolls inside its own box, or stacks its rows)."""

from __future__ import annotations

import pytest
from tests.appointments.helpers import BEFORE, hall_with_slots

from case_helpers import submitted
from exitentry.appointments import services as appointments
from exitentry.appointments.models import Slot
from factories import actor, applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests/factories.py
WIDE = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_my_appointments_and_an_application_fit_a_phone(page, live_url, lang, monkeypatch):
    monkeypatch.setattr("exitentry.clock.now", lambda: BEFORE)  # before the appointment's cut-off
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    appointments.book(actor(user), case, Slot.objects.order_by("starts_at").first().pk, now=BEFORE)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_url}/{lang}/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form.sign-in button[type=submit]").click()
    page.goto(f"{live_url}/{lang}/my/bookings/")
    assert page.locator("table.bookings tbody tr").count() == 1
    assert page.evaluate(WIDE) == [390, 390]
    assert page.locator("table.bookings form button").is_visible()  # cancel, within reach
    page.goto(f"{live_url}/{lang}/my/{case.pk}/")
    assert page.locator("section.deadlines table").count() == 1
    assert page.evaluate(WIDE) == [390, 390]
