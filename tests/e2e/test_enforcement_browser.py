"""A person's enforcement records in a real headless Chromium, as the officer reads them in Chinese and in
English: each deadline with its status and article."""

from __future__ import annotations

from pathlib import Path

import pytest
from signing_in import fill_sign_in

from case_helpers import authenticator, submitted, with_enforcement_records
from factories import applicant, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def test_an_officer_reads_a_persons_enforcement_records_in_both_languages(page, live_url):
    case = submitted(applicant(), "rp-extension")
    clerk = officer(case.hall_id)
    authenticator(clerk)
    with_enforcement_records(case.person, clerk)
    path = f"/console/people/{case.person_id}/enforcement/"
    page.goto(f"{live_url}/zh-hans{path}")
    fill_sign_in(page, clerk, "zh-hans")
    if not page.url.endswith(f"/zh-hans{path}"):
        page.goto(f"{live_url}/zh-hans{path}")
    assert page.get_by_role("heading", name="执法决定记录").is_visible()
    assert page.locator(".enforcement-orders .status").inner_text() == "已按期履行"
    assert page.locator(".enforcement-detentions .status").inner_text() == "已逾期"
    page.fill("#order-ordered_on", "2026-01-12")
    page.fill("#order-days", "16")
    with page.expect_navigation():
        page.get_by_role("button", name="登记决定").click()
    assert page.locator("#order-days-error").inner_text().startswith("限期出境的期限最长不得超过15日")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "enforcement-zh-hans.png"), full_page=True)
    page.goto(f"{live_url}/en{path}")
    assert page.get_by_role("heading", name="Enforcement records").is_visible()
    costs = page.locator(".enforcement-repatriations td").last
    assert costs.locator(".payer").inner_text() == "Demo Restaurant"
    assert costs.inner_text().startswith("The unit or individual that employed them illegally")
    page.fill("#repatriate-decided_on", "2026-03-01")
    page.fill("#repatriate-no_entry_years", "2")
    page.get_by_label("The foreigner can bear the costs").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the repatriation decision").click()
    assert page.locator(".enforcement-repatriations tbody tr").count() == 2
    assert page.locator(".enforcement-repatriations tbody tr").first.inner_text().count("The foreigner") == 1
    page.screenshot(path=str(RESULTS / "enforcement-en.png"), full_page=True)
