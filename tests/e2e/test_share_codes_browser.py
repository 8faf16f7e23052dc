"""In a real headless Chromium, a holder makes a share code for a bank from the header's "Share codes",
and a bank's desk, in its own browser context, checks it with the holder's date of birth and sees the
minimal status; the holder then sees the bank's check in their list."""

from __future__ import annotations

from pathlib import Path

import pytest

from exitentry.verification.models import ShareCode, StatusCheck
from verification.helpers import BIRTH, desk, holder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PASSWORD = "correct horse battery staple"  # tests/factories.py


def sign_in(page, live_url, user, lang="en", button="Sign in") -> None:
    page.goto(f"{live_url}/{lang}/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_a_holder_makes_a_code_and_a_bank_checks_it(page, browser, live_url):
    owner = holder()
    bank = desk()
    bank.unit.name, bank.unit.name_zh = "Demo Bank", "示范银行"
    bank.unit.save()
    RESULTS.mkdir(exist_ok=True)

    sign_in(page, live_url, owner)
    with page.expect_navigation():
        page.get_by_role("link", name="Share codes").click()
    page.select_option("#id_purpose", "bank")
    page.select_option("#id_duration", "1h")
    with page.expect_navigation():
        page.get_by_role("button", name="Make a share code").click()
    code = page.locator("#new-code").inner_text().strip()
    assert len(code) == 14 and code.count("-") == 2
    page.screenshot(path=str(RESULTS / "share-code-made-en.png"), full_page=True)

    context = browser.new_context(locale="zh-CN")
    try:
        teller = context.new_page()
        sign_in(teller, live_url, bank, "zh-hans", "登录")
        teller.goto(f"{live_url}/zh-hans/institution/")
        form = teller.locator("#code-check")
        form.locator("input[name=code]").fill(code.lower())
        form.locator("input[name=birth_date]").fill(BIRTH.isoformat())
        with teller.expect_navigation():
            form.get_by_role("button").click()
        answer = teller.locator(".status-answer").inner_text()
        assert "有效" in answer and "居留证件" in answer and "德国" in answer
        assert owner.person.travel_documents.get().number not in teller.content()
        teller.screenshot(path=str(RESULTS / "share-code-checked-zh.png"), full_page=True)
    finally:
        context.close()

    check = StatusCheck.objects.get()
    assert (check.institution, check.result, check.purpose) == (bank.unit, "match", "bank")
    page.reload()
    row = page.locator("tr.status-check").inner_text()
    assert "Demo Bank" in row and "Status given" in row


def test_reloading_after_making_a_code_makes_no_other_and_does_not_show_it_again(page, live_url):
    owner = holder()
    sign_in(page, live_url, owner)
    page.goto(f"{live_url}/en/my/share-codes/")
    page.select_option("#id_purpose", "school")
    with page.expect_navigation():
        page.get_by_role("button", name="Make a share code").click()
    assert page.url == f"{live_url}/en/my/share-codes/"  # redirected after the POST
    code = page.locator("#new-code").inner_text().strip()
    page.reload()
    assert page.locator("#new-code").count() == 0 and code not in page.content()
    gone = page.locator("#code-gone").inner_text()
    assert f"…{code[-4:]} is no longer shown" in gone and "make a new one" in gone
    page.screenshot(path=str(RESULTS / "share-code-reloaded-en.png"), full_page=True)
    page.reload()
    assert page.locator("#code-gone").count() == 0
    assert page.locator("table.share-codes tbody tr").count() == 1
    assert ShareCode.objects.filter(person=owner.person).count() == 1
