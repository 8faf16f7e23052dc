"""The hall's alerts in a real headless Chromium: an officer signs in with the second factor, opens the
alerts list, opens a person and records that they were contacted (a plain form post, no JavaScript
needed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from signing_in import fill_sign_in

from case_helpers import authenticator
from exitentry.compliance.models import Alert, AlertAction
from exitentry.law.rules import duties
from factories import TODAY, PersonFactory, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_opens_an_alert_and_records_contacted(page, live_url, monkeypatch):
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: TODAY)
    person = PersonFactory(surname="Okafor", given_names="Uma")  # no case, no address: the reception hall's
    alert = Alert.objects.create(
        person=person,
        ground_id=duties.PERMIT_AFTER_ENTRY,
        cause_key="entry:2026-09-01",
        source_id="exit-entry-law",
        section="Art. 30",
        due_on=TODAY - timedelta(days=20),
        opened_on=TODAY - timedelta(days=19),
    )
    clerk = officer("reception-hall")
    authenticator(clerk)

    page.goto(f"{live_url}/en/console/alerts/")
    assert "/en/sign-in/" in page.url
    fill_sign_in(page, clerk)
    assert page.url.endswith("/en/console/alerts/")
    row = page.locator(f'tr[data-alert="{alert.pk}"]')
    assert "overdue" in row.inner_text()

    with page.expect_navigation():
        row.get_by_role("link", name=str(person)).click()
    assert f"/en/console/people/{person.pk}/" in page.url
    card = page.locator(f"#alert-{alert.pk}")
    card.get_by_label("Contacted the person").check()
    card.get_by_label("Note (needed to close)").fill("Phoned; will apply this week.")
    with page.expect_navigation():
        card.get_by_role("button", name="Record").click()
    assert page.locator(".messages").inner_text().strip() == "Recorded."
    assert "Contacted the person" in page.locator(f"#alert-{alert.pk} .history").inner_text()
    action = AlertAction.objects.get(alert=alert)
    assert (action.kind, action.by_id, action.note) == (
        "contacted",
        clerk.pk,
        "Phoned; will apply this week.",
    )
