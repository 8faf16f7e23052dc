"""A unit's Art. 26 report in a real headless Chromium: a handler signs in, picks an employee from the
roster, files a resignation and opens its receipt and the receipt's PDF (a plain form post, no JavaScript
needed)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from exitentry.compliance.models import UnitReport
from exitentry.law.calendar import beijing_today
from factories import AffiliationFactory, PermitFactory, UnitFactory, unit_handler

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests/factories.py


def test_a_handler_files_a_resignation_and_opens_its_receipt(page, live_url):
    today = beijing_today()
    handler = unit_handler(UnitFactory(name="Acme Robotics"))
    place = AffiliationFactory(unit=handler.unit, person__surname="Okafor", person__given_names="Uma")
    permit = PermitFactory(
        person=place.person, issued_on=today - timedelta(days=60), valid_until=today + timedelta(days=300)
    )

    page.goto(f"{live_url}/en/unit/reports/new/")
    assert "/en/sign-in/" in page.url
    page.fill("#id_username", handler.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/en/unit/reports/new/")
    assert "promptly on discovering it" in page.locator("section.events-to-report p").first.inner_text()

    page.get_by_label("Person on the unit's roster").select_option(str(place.person_id))
    page.get_by_label("Event", exact=True).select_option("employee-resigned")
    page.get_by_label("Day it happened").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Note (optional)").fill("Last working day yesterday.")
    with page.expect_navigation():
        page.get_by_role("button", name="File the report").click()

    report = UnitReport.objects.get()
    assert page.url.endswith(f"/en/unit/reports/{report.pk}/")
    assert report.number in page.locator(".messages").inner_text()
    assert "The employee resigned" in page.locator("dl.facts").inner_text()
    effects = page.locator("main ul").last.inner_text()
    assert f"permit {permit.number}" in effects and "roster ends on" in effects

    href = page.get_by_role("link", name="Receipt (PDF, Chinese and English)").get_attribute("href")
    pdf = page.request.get(f"{live_url}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
