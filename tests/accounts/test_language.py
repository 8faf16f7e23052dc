"""An account's messages go out in the language its user last read the site in."""

from __future__ import annotations

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


def test_the_language_switch_is_kept_on_the_account() -> None:
    user = applicant()
    client = client_for(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/en/my/"})
    assert User.objects.get(pk=user.pk).language == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/zh-hans/my/"})
    assert User.objects.get(pk=user.pk).language == "zh-hans"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert User.objects.get(pk=user.pk).language == "zh-hans"


def test_an_anonymous_switch_writes_nothing(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"})
    assert response.status_code == 302
