"""A unit administrator in a real headless Chromium signs in, opens the unit's portal from the header,
filters "expiring within 60 days" (htmx swaps the list and the address keeps the filter), and opens a
person: their permit marked expiring, the timeline, and a button to apply for its extension."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from exitentry.accounts.models import Role
from exitentry.law.calendar import beijing_today
from exitentry.registry.models import Affiliation
from factories import PermitFactory, PersonFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"  # tests/factories.py


def test_a_unit_administrator_filters_expiring_within_60_days_and_opens_a_person(page, live_url):
    today = beijing_today()
    unit = UnitFactory(name="Demo Tech", name_zh="示范科技")
    admin = UserFactory(role=Role.UNIT, unit=unit, is_unit_admin=True)
    people = {}
    for surname, days in (("Soon", 20), ("Later", 50), ("Far", 200)):
        person = PersonFactory(surname=surname)
        Affiliation.objects.create(
            person=person, unit=unit, relation="employee", started_on=today - timedelta(days=300)
        )
        people[surname] = PermitFactory(
            person=person, issued_on=today - timedelta(days=300), valid_until=today + timedelta(days=days)
        )

    page.goto(f"{live_url}/en/sign-in/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Our staff and students").click()
    rows = page.locator("table.roster tbody tr")
    assert rows.count() == 3

    with page.expect_response(lambda r: "/unit/" in r.url and "filter=60" in r.url):
        page.select_option("#filter", "60")
    page.wait_for_function("document.querySelectorAll('table.roster tbody tr').length === 2")
    # said by screen readers too: the count reaches the live region when htmx settles, a moment after the swap
    expect(page.get_by_role("status")).to_have_text("2 people")
    assert "filter=60" in page.url
    names = rows.locator("td:first-child a").all_inner_texts()
    assert names == ["SOON Alex", "LATER Alex"]
    assert "Far" not in page.locator("#roster").inner_text()

    with page.expect_navigation():
        rows.first.locator("td:first-child a").click()
    assert page.url.endswith(f"/en/unit/people/{people['Soon'].person_id}/")
    card = page.locator(f"article[aria-labelledby=permit-{people['Soon'].pk}-h]")
    assert card.locator(".permit-state").inner_text() == "⚠ Expiring"
    assert "last day of the Residence permit" in page.locator("ol.timeline-list").inner_text()
    extend = card.get_by_role("button", name="Apply for an extension: Residence permit extension (any type)")
    assert extend.is_visible()  # each button names its procedure: the one-stop extension is offered too
