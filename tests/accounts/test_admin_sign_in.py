"""``/admin/login/``: someone signed in who may not use the admin is refused with the site's 403 page (not
sent round the sign-in again); someone signed out goes to the sign-in page in the request's language."""

from __future__ import annotations

import pytest

from case_helpers import client_for
from exitentry.accounts.models import Role
from factories import UserFactory, applicant, officer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make", [applicant, lambda: officer("reception-hall")])
def test_a_signed_in_account_without_the_admin_gets_the_bilingual_403_not_a_loop(make) -> None:
    client = client_for(make())
    followed = client.get("/admin/", follow=True)
    assert followed.status_code == 403
    assert len(followed.redirect_chain) <= 2
    html = followed.content.decode()
    assert "Not allowed" in html and "无权访问" in html


@pytest.mark.parametrize(
    ("headers", "prefix"),
    [
        ({"accept-language": "en"}, "/en/"),
        ({"accept-language": "zh-CN,zh;q=0.9"}, "/zh-hans/"),
        ({"cookie": "django_language=en", "accept-language": "zh-hans"}, "/en/"),
    ],
)
def test_the_admin_sign_in_follows_the_request_language(client, headers, prefix) -> None:
    response = client.get("/admin/login/?next=/admin/", headers=headers)
    assert response.status_code == 302 and response["Location"].startswith(f"{prefix}sign-in/")


def test_an_administrator_signed_in_is_sent_on_to_the_admin() -> None:
    client = client_for(UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    assert client.get("/admin/login/?next=/admin/", follow=True).request["PATH_INFO"] == "/admin/"
