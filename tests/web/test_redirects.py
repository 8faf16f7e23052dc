"""No open redirect: every ``next`` the site follows (signing in, the second factor, signing out, the
language switch, the admin's sign-in) goes to a path on this site, whatever spelling of another site it is
given; anything else goes to the user's home or the page's default."""

from __future__ import annotations

import re

import pytest
from django.utils.http import urlencode

from case_helpers import authenticator, client_for, current_code
from factories import applicant, officer

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"  # tests/factories.py

HOSTILE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "http://testserver@evil.example/",
    "/\t/evil.example/",
    "/\n/evil.example/",
    "\t//evil.example/",
    " //evil.example/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]


def safe(location: str) -> bool:
    """A redirect that stays on this site: a path, not a scheme or a network location, once read as a
    browser reads it (tabs and line breaks dropped, spaces at the ends too, a backslash as a slash)."""
    seen = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    return seen.startswith("/") and not seen.startswith("//")


@pytest.mark.parametrize("target", HOSTILE)
def test_signing_in_goes_nowhere_else(client, target):
    user = applicant()
    response = client.post(
        f"/en/sign-in/?{urlencode({'next': target})}", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and safe(response["Location"]), (target, response["Location"])


@pytest.mark.parametrize("target", HOSTILE)
def test_the_second_factor_goes_nowhere_else(client, target):
    user = officer()
    client.post("/en/sign-in/", {"username": user.username, "password": PASSWORD})
    authenticator(user)
    response = client.post(f"/en/second-factor/?{urlencode({'next': target})}", {"code": current_code(user)})
    assert response.status_code == 302 and safe(response["Location"]), (target, response["Location"])


@pytest.mark.parametrize("target", HOSTILE)
def test_signing_out_and_the_language_switch_go_nowhere_else(target):
    browser = client_for(applicant())
    out = browser.post("/en/sign-out/", {"next": target})
    assert out.status_code == 302 and safe(out["Location"]), (target, out["Location"])
    switched = client_for(applicant()).post(
        "/i18n/setlang/", {"language": "en", "next": target}, HTTP_REFERER=target
    )
    assert switched.status_code == 302 and safe(switched["Location"]), (target, switched["Location"])


@pytest.mark.parametrize("target", HOSTILE)
def test_the_admin_sign_in_hands_next_on_to_the_checked_sign_in(client, target):
    response = client.get(f"/admin/login/?{urlencode({'next': target})}")
    assert response.status_code == 302 and response["Location"].startswith("/")
    user = applicant()
    signed = client.post(response["Location"], {"username": user.username, "password": PASSWORD})
    assert signed.status_code == 302 and safe(signed["Location"]), (target, signed["Location"])


def test_a_path_on_this_site_is_followed():
    browser = client_for(applicant())
    switched = browser.post("/i18n/setlang/", {"language": "en", "next": "/en/my/permits/"})
    assert switched["Location"] == "/en/my/permits/"
