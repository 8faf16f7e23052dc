"""An applicant in a real headless Chromium opens My permits from the header, sees the residence permit
inside its last 30 days marked as expiring (a mark and a word) with its extension's last day marked as
passed, starts the extension from the permit and lands on a draft that acts on that permit."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from advisor_steps import answer_every_question

from exitentry.cases.models import Case
from exitentry.law.calendar import beijing_today
from factories import PermitFactory, applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PASSWORD = "correct horse battery staple"  # tests/factories.py
ANSWERS = {  # what the extension's advisor still asks once the registry's answers are carried
    "validity": {"years": "2", "months": "0", "days": "0"},
    "limited_mobility": "false",
    "first_entry": "false",
    "good_stay_record": "false",
    "inviter_guarantees_expenses": "false",
}


def test_an_applicant_sees_an_expiring_permit_marked_and_starts_its_extension(page, live_url):
    holder = applicant()
    today = beijing_today()
    permit = PermitFactory(
        person=holder.person,
        number="E20260001",
        permit_type="work",
        issued_on=today - timedelta(days=345),
        valid_until=today + timedelta(days=20),
    )
    PermitFactory(
        person=holder.person,
        number="E20200001",
        permit_type="study",
        issued_on=today - timedelta(days=900),
        valid_until=today - timedelta(days=400),
    )
    page.goto(f"{live_url}/en/sign-in/")
    page.fill("#id_username", holder.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    with page.expect_navigation():
        page.get_by_role("link", name="My permits").click()
    assert page.url.endswith(f"/en/my/people/{holder.person_id}/permits/")

    expiring = page.locator(f"article[aria-labelledby=permit-{permit.pk}-h]")
    assert expiring.locator(".permit-state").inner_text() == "⚠ Expiring"
    assert "Fewer than 30 days are left before it expires" in expiring.inner_text()
    assert "passed 10 days ago" in expiring.locator(".due-note").first.inner_text()
    assert "✕ Expired" in page.locator(".permit-state").all_inner_texts()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "my-permits-en.png"), full_page=True)

    with page.expect_navigation():
        expiring.get_by_role(
            "button", name="Apply for an extension: Residence permit extension (any type)"
        ).click()
    assert "/en/advisor/rp-extension/" in page.url
    page.wait_for_function("() => typeof window.htmx === 'object'")
    answer_every_question(page, ANSWERS, "Continue")
    with page.expect_navigation():
        page.get_by_role("button", name="Start this application").click()
    assert "/en/apply/rp-extension/" in page.url
    assert page.input_value("#permit") == str(permit.pk)
    with page.expect_navigation():
        page.get_by_role("button", name="Start the application").click()
    case = Case.objects.get()
    assert page.url.endswith(f"/en/my/{case.pk}/")
    assert (case.procedure_id, case.permit_id, case.person_id) == (
        "rp-extension",
        permit.pk,
        holder.person_id,
    )
