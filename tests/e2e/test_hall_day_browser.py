"""The day at the hall in a real headless Chromium: an applicant books a slot, an officer checks the
booking in on the day by its reference (the form swapped in place), sees the board refresh itself while
typing, calls the ticket at counter 1 and goes on to the case's intake page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from signing_in import fill_sign_in
from tests.appointments.helpers import BEFORE, WEEK, at, hall_with_slots

from case_helpers import authenticator, one_stop_submitted, submitted
from exitentry.appointments.models import Booking, QueueTicket
from factories import applicant, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_url: str, user, code: bool = False) -> None:
    page.goto(f"{live_url}/en/sign-in/")
    fill_sign_in(page, user, code=code)


def test_book_check_in_call_and_land_on_the_intake_page(page, live_url, monkeypatch):
    now = [BEFORE]  # the Friday before the test week, then its Monday morning
    monkeypatch.setattr("exitentry.clock.now", lambda: now[0])
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: now[0].date())
    hall_with_slots("reception-hall", 30)
    person = applicant()
    case = submitted(person, "rp-work")
    clerk = officer(case.hall_id)
    authenticator(clerk)

    sign_in(page, live_url, person)
    page.goto(f"{live_url}/en/my/{case.pk}/booking/?hall=reception-hall")
    page.locator("button.slot").first.click()  # htmx: the confirmation step swapped in, nothing booked yet
    expect(page.locator("#booking-step")).to_contain_text("Book this time?")
    expect(page).to_have_url(re.compile(r"[?&]at=2026-11-23T09%3A00"))  # the step's address, pushed
    page.reload()  # a reload shows the step again
    expect(page.locator("#booking-step")).to_contain_text("Book this time?")
    assert not Booking.objects.filter(case=case).exists()
    with page.expect_navigation():
        page.locator("#booking-step").get_by_role("button", name="Book", exact=True).click()
    booking = Booking.objects.get(case=case)
    assert booking.slot.day == WEEK and booking.reference in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()

    now[0] = at("2026-11-23T08:50")
    sign_in(page, live_url, clerk, code=True)
    page.goto(f"{live_url}/en/console/")
    with page.expect_navigation():
        page.locator(".hall-day-links a[href$='/console/hall/reception-hall/day/']").click()
    page.fill("#reference", f"https://hall.example/check-in/{booking.reference}")
    page.get_by_role("button", name="Check in").click()  # htmx: the form swapped in place, no new page
    expect(page.locator("#check-in")).to_contain_text("Checked in: ticket R001.")
    expect(page.locator("#count-waiting")).to_have_text("1")
    expect(page.locator("#reference")).to_have_value("")

    page.wait_for_load_state("networkidle")  # the check-in's answer and anything it set going are in
    page.fill("#case", "typed, not sent")
    walk_in = one_stop_submitted()
    QueueTicket.objects.create(
        hall_id="reception-hall", day=WEEK, letter="W", number=1, case=walk_in, issued_at=now[0]
    )  # another officer's ticket: the board shows it at its next poll (every 10 s)
    expect(page.locator("#count-waiting")).to_have_text("2", timeout=15000)
    expect(page.locator("#case")).to_have_value("typed, not sent")  # the poll left the forms alone
    QueueTicket.objects.filter(letter="W").delete()

    now[0] += timedelta(minutes=4)
    page.fill("#counter", "1")
    page.get_by_role("button", name="Call next").click()
    expect(page.locator("#call-next")).to_contain_text("Ticket R001 called to counter 1.")
    with page.expect_navigation():
        page.get_by_role("link", name="Intake checklist of R001").click()
    assert page.url.endswith(f"/en/console/cases/{case.pk}/")
    ticket = QueueTicket.objects.get()
    assert (ticket.state, ticket.counter) == (QueueTicket.State.CALLED, 1)

    page.goto(f"{live_url}/en/halls/reception-hall/queue/")
    assert "R001" in page.locator("#queue-screen").inner_text()
