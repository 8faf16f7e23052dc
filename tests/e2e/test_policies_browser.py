"""The Content-Security-Policy and the second factor in a real headless Chromium: the main pages of every
side load with no policy violation (the ``page`` fixture fails a test on any ``securitypolicyviolation``
or console refusal), what moved out of inline handlers into site.js still works, and an officer's first
sign-in enrols an authenticator from the QR page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from advisor_steps import FAMILY_VISITOR, answer_every_question
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from case_helpers import authenticator, current_code, submitted
from exitentry.accounts.models import Role
from factories import UserFactory, applicant, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PASSWORD = "correct horse battery staple"  # tests/factories.py


def sign_in(page, live_url: str, user, lang: str = "en") -> None:
    page.goto(f"{live_url}/{lang}/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form.sign-in button[type=submit]").click()


def test_the_public_pages_load_under_the_policy(page, live_url):
    for path in ("/zh-hans/", "/en/guide/rp-work/", "/en/halls/", "/zh-hans/sources/", "/en/sign-in/"):
        response = page.goto(f"{live_url}{path}")
        assert response.status == 200, path
        page.wait_for_function("() => typeof window.htmx === 'object'")
    # Swagger UI, from ninja's static files
    for lang, title in (
        ("en", "Beijing Exit-Entry Foreigner Services API"),
        ("zh-hans", "北京出入境外国人服务 API"),
    ):
        page.goto(f"{live_url}/api/docs?lang={lang}")  # without ?lang=, the site's language cookie chooses
        page.locator("#swagger-ui .info").wait_for()
        assert title in page.locator("#swagger-ui .info").inner_text()


def test_an_officer_enrols_at_the_first_sign_in_and_the_console_works_under_the_policy(
    page, live_url, policy_violations
):
    clerk = officer("reception-hall", "zhongguancun")
    for hall in ("reception-hall", "zhongguancun"):
        case = submitted(applicant(), "rp-work")
        case.hall_id = hall
        case.save(update_fields=["hall_id"])
    sign_in(page, live_url, clerk, "zh-hans")
    assert "/zh-hans/second-factor/enrol/" in page.url
    assert page.get_by_role("heading", name="设置第二重验证").is_visible()
    assert page.locator("svg.qr path").count() == 1
    secret = page.locator("#secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    assert device.bin_key.hex() == device.key and len(secret) == 32
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "second-factor-enrol-zh-hans.png"), full_page=True)
    page.fill("#id_code", f"{totp(device.bin_key):06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="确认并继续").click()
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    with page.expect_navigation():
        page.get_by_role("link", name="已妥善保存，继续").click()
    assert page.url.endswith("/zh-hans/console/")
    # the hall filter submits on change (site.js, no inline onchange)
    with page.expect_navigation():
        page.select_option("#hall", "zhongguancun")
    assert "hall=zhongguancun" in page.url
    assert policy_violations == []


def test_the_checklist_prints_from_site_js(page, live_url):
    page.goto(f"{live_url}/en/advisor/rp-personal-affairs/")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    answer_every_question(page, FAMILY_VISITOR, "Continue")
    page.get_by_role("button", name="Print this checklist").click()
    assert page.evaluate("() => window.printed") == 1


def test_the_admin_loads_under_the_policy_after_the_second_factor(page, live_url):
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    authenticator(admin)
    page.goto(f"{live_url}/admin/")
    assert "/sign-in/" in page.url
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form.sign-in button[type=submit]").click()
    assert "/second-factor/" in page.url
    page.fill("#id_code", current_code(admin))
    with page.expect_navigation():
        page.locator("form.sign-in button[type=submit]").click()
    assert page.url.endswith("/admin/")
    page.goto(f"{live_url}/admin/accounts/user/")
    page.locator("#result_list").wait_for()
    assert admin.username in page.locator("#result_list").inner_text()
