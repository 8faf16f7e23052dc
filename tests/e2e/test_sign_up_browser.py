"""A newcomer in a real headless Chromium, in Chinese: from the sign-in page to "Create an account", the
link from the e-mail in the outbox, the button that opens the account, signing in, and "Your details",
which makes their own registry record."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from exitentry.accounts.models import User
from exitentry.registry.models import TravelDocument
from worker_helpers import drain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long and unusual passphrase 42"


def test_a_newcomer_signs_up_follows_the_link_and_enters_their_details(page, live_url):
    cache.clear()
    page.goto(f"{live_url}/zh-hans/sign-in/")
    with page.expect_navigation():
        page.get_by_role("link", name="注册账户").click()
    page.fill("#id_username", "hiroshi.t")
    page.fill("#id_email", "hiroshi@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    assert page.input_value("#id_language") == "zh-hans"  # the page's language, chosen for the e-mails
    with page.expect_navigation():
        page.get_by_role("button", name="创建我的账户").click()
    assert page.get_by_role("heading", name="请查看您的邮箱").is_visible()

    drain()
    (sent,) = mail.outbox
    assert sent.to == ["hiroshi@example.org"] and sent.subject == "请确认电子邮件地址以开通账户"
    link = re.search(r"http://\S+(/zh-hans/sign-up/confirm/[^/\s]+/)", sent.body).group(1)
    page.goto(live_url + link)
    with page.expect_navigation():
        page.get_by_role("button", name="开通我的账户").click()
    assert "账户已开通" in page.locator("main").inner_text()

    page.fill("#id_username", "hiroshi.t")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert page.url.endswith("/zh-hans/my/details/")
    assert "核验您的身份和护照原件" in page.locator("main").inner_text()
    page.fill("#id_person-surname", "TANAKA")
    page.fill("#id_person-given_names", "HIROSHI")
    page.select_option("#id_person-sex", label="男")
    page.fill("#id_person-birth_date", "1987-02-03")
    page.select_option("#id_person-nationality", label="日本")
    page.fill("#id_person-passport_number", "TK1000008")
    page.select_option("#id_person-passport_country", label="日本")
    page.fill("#id_person-passport_issued_on", "2022-01-10")
    page.fill("#id_person-passport_expires_on", "2032-01-09")
    with page.expect_navigation():
        page.get_by_role("button", name="保存我的信息").click()
    assert page.url.endswith("/zh-hans/my/")
    assert "个人信息已保存" in page.locator("main").inner_text()
    person = User.objects.get(username="hiroshi.t").person
    assert (person.surname, person.nationality) == ("TANAKA", "JPN")
    assert TravelDocument.objects.get(person=person).claim
