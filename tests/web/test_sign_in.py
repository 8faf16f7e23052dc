"""Signing in and out: both languages, each side lands on its own page, and the lockout is a readable page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.http import urlencode
from page_world import html

from case_helpers import authenticator, current_code
from exitentry.accounts import policy
from exitentry.accounts.models import Role
from factories import UnitFactory, UserFactory, applicant, officer

TAGS = {"en": "en", "zh-hans": "zh-Hans"}  # the path's prefix: the BCP 47 tag on <html lang>

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests/factories.py


@pytest.mark.parametrize(
    ("lang", "words"), [("en", ["Sign in", "Username", "Password"]), ("zh-hans", ["登录", "用户名", "密码"])]
)
def test_the_sign_in_page_speaks_the_language_of_its_prefix(client, lang, words):
    response = client.get(f"/{lang}/sign-in/")
    assert response.status_code == 200
    page = html(response)
    assert f'<html lang="{TAGS[lang]}">' in page
    for word in words:
        assert word in page
    assert 'name="csrfmiddlewaretoken"' in page


@pytest.mark.parametrize(
    ("make_user", "landing"),
    [
        (applicant, "/en/my/"),
        (lambda: UserFactory(role=Role.PROXY), "/en/my/"),
        (lambda: UserFactory(role=Role.UNIT, unit=UnitFactory(kind="employer")), "/en/unit/"),  # the roster
        (lambda: UserFactory(role=Role.UNIT, unit=UnitFactory(kind="school")), "/en/unit/"),
        (lambda: UserFactory(role=Role.UNIT, unit=UnitFactory(kind="agency")), "/en/my/"),  # no roster: cases
        (officer, "/en/console/"),
        (lambda: officer(role=Role.SUPERVISOR), "/en/console/"),
        (lambda: UserFactory(role=Role.INSTITUTION), "/en/institution/"),
        (lambda: UserFactory(role=Role.ADMINISTRATOR, is_staff=True), "/admin/"),
    ],
)
def test_after_signing_in_each_side_lands_on_its_own_page(client, make_user, landing):
    user = make_user()
    response = client.post("/en/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    if policy.needs_second_factor(user):  # officers, supervisors, administrators: the code first
        assert response["Location"] == "/en/second-factor/?" + urlencode({"next": landing})
        authenticator(user)
        response = client.post(response["Location"], {"code": current_code(user)})
        assert response.status_code == 302
    assert response["Location"] == landing


def test_signing_in_from_a_page_that_asked_for_it_goes_back_there(client):
    user = applicant()
    asked = client.get("/zh-hans/my/")
    assert asked.status_code == 302 and asked["Location"] == "/zh-hans/sign-in/?next=/zh-hans/my/"
    response = client.post(asked["Location"], {"username": user.username, "password": PASSWORD})
    assert response["Location"] == "/zh-hans/my/"


def test_a_wrong_password_shows_the_reason_and_signs_nobody_in(client):
    user = applicant()
    response = client.post("/en/sign-in/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "The username and password do not match" in html(response)
    assert "_auth_user_id" not in client.session


def test_the_header_shows_who_is_signed_in_and_signing_out_is_a_post(client):
    user = applicant()
    client.force_login(user)
    page = html(client.get("/en/"))
    assert f"Signed in as {user.username}" in page and "My applications" in page
    assert 'action="/en/sign-out/"' in page
    asked = client.get("/en/sign-out/")  # typed or followed: a page with the button, no one signed out
    assert asked.status_code == 200 and "_auth_user_id" in client.session
    assert 'action="/en/sign-out/"' in html(asked) and f"signed in as {user.username}" in html(asked)
    response = client.post("/en/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert "_auth_user_id" not in client.session
    assert "Sign in" in html(client.get("/en/"))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Signing in is locked for now", "5 failed attempts", "15 minutes"]),
        ("zh-hans", ["登录已暂时锁定", "5次", "15分钟"]),
    ],
)
def test_five_failed_sign_ins_lock_the_username_on_this_address_with_a_readable_page(lang, words):
    user = applicant()
    client = Client()
    for _ in range(4):
        response = client.post(f"/{lang}/sign-in/", {"username": user.username, "password": "wrong"})
        assert response.status_code == 200
    locked = client.post(f"/{lang}/sign-in/", {"username": user.username, "password": "wrong"})
    assert locked.status_code == 429 and locked["Retry-After"] == "900"  # axes' cool-off, 15 minutes
    page = html(locked)
    assert f'<html lang="{TAGS[lang]}">' in page
    for word in words:
        assert word in page
    # the right password does not get through while locked
    again = client.post(f"/{lang}/sign-in/", {"username": user.username, "password": PASSWORD})
    assert again.status_code == 429 and again["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_for_that_username_only(client):
    locked, other = applicant(), applicant()
    for _ in range(5):
        client.post("/en/sign-in/", {"username": locked.username, "password": "wrong"})
    response = client.post("/en/sign-in/", {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(("prefix", "words"), [("zh-hans", "表单已失效"), ("en", "The form has expired")])
def test_a_form_without_its_csrf_token_gets_a_readable_page_in_the_prefix_language(
    prefix: str, words: str
) -> None:
    from django.test import Client

    r = Client(enforce_csrf_checks=True).post(f"/{prefix}/sign-in/", {"username": "x", "password": "y"})
    assert r.status_code == 403
    assert words in r.content.decode()


def test_a_complete_advisor_answer_offers_to_start_the_application(client) -> None:
    from factories import eligible_facts

    facts = eligible_facts("rp-work")
    r = client.post(
        "/en/advisor/rp-work/",
        {**{k: str(v).lower() if isinstance(v, bool) else v for k, v in facts.items()}},
    )
    assert r.status_code == 200
    assert "Start this application" in r.content.decode() and "/en/apply/rp-work/" in r.content.decode()


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "too many failed attempts"), ("zh-hans", "登录失败的次数过多")]
)
def test_one_address_failing_on_many_usernames_is_paused_before_its_next_password_is_tried(
    client, settings, lang, words
):
    """Password spraying: axes locks one username and address pair; the address's failures across all
    usernames have their own limit (throttling.SignInFailures), and past it no password is checked."""
    settings.EXITENTRY_SIGN_IN_FAILURE_RATE = "3/h"
    users = [applicant() for _ in range(4)]
    for user in users[:3]:
        assert (
            client.post(f"/{lang}/sign-in/", {"username": user.username, "password": "wrong"}).status_code
            == 200
        )
    refused = client.post(f"/{lang}/sign-in/", {"username": users[3].username, "password": PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert words in html(refused)
    assert "_auth_user_id" not in client.session
    other_address = Client(REMOTE_ADDR="198.51.100.7")
    signed_in = other_address.post(f"/{lang}/sign-in/", {"username": users[3].username, "password": PASSWORD})
    assert signed_in.status_code == 302


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "too many failed attempts to sign in with this username"),
        ("zh-hans", "此用户名登录失败的次数过多"),
    ],
)
def test_one_username_failing_from_many_addresses_is_paused_before_its_next_password_is_tried(
    settings, lang, words
):
    """axes locks one username and address pair, so each new address had five tries more: the username's
    failures from every address have their own cap (throttling.SignInUsernameFailures, 20 an hour by
    default), and past it no password is checked for it, from anywhere; other usernames are not paused."""
    assert settings.EXITENTRY_SIGN_IN_USERNAME_FAILURE_RATE == "20/h"
    settings.EXITENTRY_SIGN_IN_USERNAME_FAILURE_RATE = "3/h"
    user, other = applicant(), applicant()
    for n in range(3):
        wrong = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        assert (
            wrong.post(f"/{lang}/sign-in/", {"username": user.username, "password": "x"}).status_code == 200
        )
    fresh = Client(REMOTE_ADDR="198.51.100.7")
    refused = fresh.post(f"/{lang}/sign-in/", {"username": user.username, "password": PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert words in html(refused)
    assert "_auth_user_id" not in fresh.session
    assert (
        fresh.post(f"/{lang}/sign-in/", {"username": other.username, "password": PASSWORD}).status_code == 302
    )


def test_an_ipv6_network_counts_as_one_address_for_the_address_limits(settings):
    """One host or household is given a whole /64 of IPv6 addresses: the per-address limits count the /64,
    so changing the last 64 bits starts no new count; another /64 is another address."""
    settings.EXITENTRY_SIGN_IN_FAILURE_RATE = "3/h"
    users = [applicant() for _ in range(4)]
    for n, user in enumerate(users[:3]):
        wrong = Client(REMOTE_ADDR=f"2001:db8:0:1::{n + 1:x}")
        assert wrong.post("/en/sign-in/", {"username": user.username, "password": "x"}).status_code == 200
    same_network = Client(REMOTE_ADDR="2001:db8:0:1:ffff:1:2:3")
    refused = same_network.post("/en/sign-in/", {"username": users[3].username, "password": PASSWORD})
    assert refused.status_code == 429
    next_network = Client(REMOTE_ADDR="2001:db8:0:2::1")
    assert (
        next_network.post("/en/sign-in/", {"username": users[3].username, "password": PASSWORD}).status_code
        == 302
    )


def test_signing_in_right_counts_no_failure_for_the_address(client, settings):
    settings.EXITENTRY_SIGN_IN_FAILURE_RATE = "2/h"
    for _ in range(3):
        user = applicant()
        assert (
            client.post("/en/sign-in/", {"username": user.username, "password": PASSWORD}).status_code == 302
        )
        client.post("/en/sign-out/")
    assert client.post("/en/sign-in/", {"username": user.username, "password": "wrong"}).status_code == 200


@pytest.fixture
def behind_the_proxy(monkeypatch):
    """Production as the README runs it: gunicorn behind a reverse proxy (``EXITENTRY_PROXY_SSL_HEADER=1``),
    so every caller's REMOTE_ADDR is the proxy's and the proxy appends the caller's to X-Forwarded-For."""
    from ninja.conf import settings as ninja_settings

    monkeypatch.setattr(ninja_settings, "NUM_PROXIES", 1)

    def caller(address: str) -> Client:
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {address}")

    return caller


def test_behind_the_proxy_a_stranger_s_wrong_passwords_do_not_lock_the_officer_out(behind_the_proxy):
    """axes locked the (username, address) pair by REMOTE_ADDR, the proxy's for everyone: five wrong
    passwords from any stranger locked the officer out of every address for 15 minutes. It now counts
    the address the proxy saw (``throttling.client_address``), as the other limits do; the forged part
    of X-Forwarded-For (before the proxy's entry) counts for nothing."""
    user = officer("reception-hall")
    stranger = behind_the_proxy("203.0.113.9")
    for _ in range(6):
        stranger.post("/en/sign-in/", {"username": user.username, "password": "wrong"})
    locked = stranger.post("/en/sign-in/", {"username": user.username, "password": PASSWORD})
    assert locked.status_code in (403, 429) and "_auth_user_id" not in stranger.session
    signed_in = behind_the_proxy("198.51.100.7").post(
        "/en/sign-in/", {"username": user.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302


def test_behind_the_proxy_the_audit_trail_names_the_caller_s_address_not_the_proxy_s(behind_the_proxy):
    from exitentry.accounts.models import AuditEntry

    user = applicant()
    browser = behind_the_proxy("203.0.113.9")
    assert browser.post("/en/sign-in/", {"username": user.username, "password": PASSWORD}).status_code == 302
    assert browser.get("/en/my/share-codes/").status_code == 200
    entry = AuditEntry.objects.filter(action="share-code.list").get()
    assert entry.ip == "203.0.113.9"


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Sign out on this device?"), ("zh-hans", "在此设备上退出登录")]
)
def test_sign_out_opened_directly_shows_the_button_and_sends_the_signed_out_home(client, lang, words):
    client.force_login(applicant())
    page = client.get(f"/{lang}/sign-out/")
    assert page.status_code == 200 and words in html(page) and 'name="csrfmiddlewaretoken"' in html(page)
    client.logout()
    gone = client.get(f"/{lang}/sign-out/")
    assert gone.status_code == 302 and gone["Location"] == f"/{lang}/"
