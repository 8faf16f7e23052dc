"""An account's messages go out in its preferred language: the first one its user read the site in, until
changed on the account page; the pages read afterwards do not change it."""

from __future__ import annotations

import re

import pytest

from case_helpers import client_for
from exitentry.accounts.models import User
from factories import applicant

pytestmark = pytest.mark.django_db


def test_signing_in_on_a_chinese_page_keeps_chinese_for_the_account(client) -> None:
    user = applicant()
    user.set_password("a-long-password-2026")
    user.save()
    response = client.post(
        "/zh-hans/sign-in/", {"username": user.username, "password": "a-long-password-2026"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).language == "zh-hans"


def test_the_language_switch_is_kept_on_an_account_with_none_stored_and_changes_no_stored_one() -> None:
    user = applicant()
    client = client_for(user)
    User.objects.filter(pk=user.pk).update(language="")  # none stored (signing in stored the page's)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert User.objects.get(pk=user.pk).language == ""
    client.post("/i18n/setlang/", {"language": "en", "next": "/en/my/"})
    assert User.objects.get(pk=user.pk).language == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/zh-hans/my/"})
    assert User.objects.get(pk=user.pk).language == "en"  # the account page changes it, as it says


def test_an_anonymous_switch_writes_nothing(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"})
    assert response.status_code == 302


def test_signing_in_on_an_english_page_keeps_the_chinese_already_preferred(client) -> None:
    user = applicant(language="zh-hans")
    user.set_password("a-long-password-2026")
    user.save()
    client.post("/en/sign-in/", {"username": user.username, "password": "a-long-password-2026"})
    assert User.objects.get(pk=user.pk).language == "zh-hans"


def test_signing_in_with_none_stored_keeps_the_page_language(client) -> None:
    user = applicant(language="")
    user.set_password("a-long-password-2026")
    user.save()
    client.post("/en/sign-in/", {"username": user.username, "password": "a-long-password-2026"})
    assert User.objects.get(pk=user.pk).language == "en"


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("/en/account/", "Language of your e-mails and text messages"),
        ("/zh-hans/account/", "邮件和短信的语言"),
    ],
)
def test_the_account_page_shows_the_preferred_language_in_both_languages(page, shown) -> None:
    user = applicant(language="en")
    response = client_for(user).get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert shown in html
    assert re.search(r'<input type="radio" name="language" value="en"[^>]* checked', html)
    assert not re.search(r'<input type="radio" name="language" value="zh-hans"[^>]* checked', html)


def test_the_account_page_changes_the_preferred_language() -> None:
    user = applicant(language="en")
    client = client_for(user)
    response = client.post("/en/account/", {"language": "zh-hans"})
    assert response.status_code == 303
    assert User.objects.get(pk=user.pk).language == "zh-hans"
    assert client.post("/en/account/", {"language": "xx"}).status_code == 422
    assert User.objects.get(pk=user.pk).language == "zh-hans"


def test_the_account_page_is_for_those_signed_in(client) -> None:
    response = client.get("/en/account/")
    assert response.status_code == 302
    assert "/en/sign-in/" in response["Location"]
