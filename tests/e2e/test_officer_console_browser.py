"""The officers' console in a real headless Chromium, in Chinese: an officer signs in, opens a received
case from the work queue and accepts it; htmx swaps the case panel in place, a refusal (422) too."""

from __future__ import annotations

from pathlib import Path

import pytest

from case_helpers import authenticator, current_code, hall_receives, submitted, upload_everything
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, Receipt
from factories import TODAY, actor, applicant, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PASSWORD = "correct horse battery staple"  # tests/factories.py


@pytest.fixture
def received_case(settings, tmp_path, monkeypatch):
    """A case the hall has received with every material uploaded, on the day the pages apply the rules."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: TODAY)
    user = applicant()
    case = submitted(user, "rp-work")
    clerk = officer(case.hall_id)
    authenticator(clerk)
    hall_receives(actor(clerk), case, on=TODAY)
    upload_everything(user, case)
    return case, clerk


def test_an_officer_signs_in_and_accepts_a_received_case_in_place(page, live_url, received_case):
    case, clerk = received_case
    page.goto(f"{live_url}/zh-hans/console/")
    assert "/zh-hans/sign-in/" in page.url  # the console asks for signing in first
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert "/zh-hans/second-factor/" in page.url  # then the code of the officer's authenticator app
    page.fill("#id_code", current_code(clerk))
    with page.expect_navigation():
        page.get_by_role("button", name="继续").click()
    assert page.url.endswith("/zh-hans/console/")
    assert page.get_by_role("heading", name="待办队列").is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name=case.reference).click()
    case_url = page.url
    assert case_url.endswith(f"/zh-hans/console/cases/{case.pk}/")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    panel = page.locator("#case-panel")
    assert "大厅已收件" in panel.locator(".case-facts").inner_text()

    page.evaluate("() => { window.stillTheSamePage = true; }")
    page.get_by_role("button", name="受理并出具回执").click()
    panel.locator(".state", has_text="已受理（已出具回执）").wait_for()

    assert page.evaluate("() => window.stillTheSamePage") is True  # swapped in place, no navigation
    assert page.url == case_url
    receipt = Receipt.objects.get(case=case)
    text = panel.inner_text()
    assert f"已受理：已出具受理回执{receipt.number}。" in text
    assert "受理回执" in text and "合法居留" in text
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED
    assert page.get_by_role("button", name="受理并出具回执").count() == 0

    # a refused step comes back as 422 and is swapped in too, the reason beside the field
    page.select_option("select[name=validity__years]", "0")  # the picker offers no more than 5 years
    page.select_option("select[name=validity__months]", "1")
    page.locator("form.step-approve input[name=confirm]").check()
    page.locator("form.step-approve button[type=submit]").click()
    error = page.locator("#validity-error")
    error.wait_for()
    assert error.inner_text().startswith("有效期不得少于") and error.inner_text().endswith("填写的是1个月。")
    assert page.url == case_url and page.evaluate("() => window.stillTheSamePage") is True
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "officer-console-zh-hans.png"), full_page=True)
