"""Wrong second-factor codes are audited (who, when, from which address; never the code) and counted:
against the device (django-otp's throttle) and against the caller's address (``throttling.SignInFailures``,
the limit failed passwords count against), past which no code is checked."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from page_world import html

from case_helpers import authenticator, current_code
from exitentry.accounts.models import AuditEntry
from exitentry.accounts.second_factor import new_backup_codes
from factories import officer

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests/factories.py
FAILED = "account.second_factor.fail"


@pytest.fixture
def behind_the_proxy(monkeypatch):
    """gunicorn behind the reverse proxy: the caller's address is the last of X-Forwarded-For."""
    from ninja.conf import settings as ninja_settings

    monkeypatch.setattr(ninja_settings, "NUM_PROXIES", 1)


def password_only(user, address: str = "203.0.113.9") -> Client:
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {address}")
    response = client.post("/en/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response["Location"].startswith("/en/second-factor/")
    return client


def wrong_code(user) -> str:
    return f"{(int(current_code(user)) + 500_000) % 1_000_000:06d}"


def test_each_wrong_code_is_an_audit_entry_naming_the_account_and_the_caller_s_address(behind_the_proxy):
    user = officer("reception-hall")
    device = authenticator(user)
    backup = new_backup_codes(user)[0]
    client = password_only(user)
    wrong_totp, wrong_backup = wrong_code(user), "zzzzzzzz" if backup != "zzzzzzzz" else "yyyyyyyy"
    for code in (wrong_totp, wrong_backup, "12-ab!"):
        assert client.post("/en/second-factor/", {"code": code}).status_code == 422
    entries = list(AuditEntry.objects.filter(action=FAILED).order_by("seq"))
    assert [(e.actor_id, e.object_id, e.ip) for e in entries] == [(user.pk, str(user.pk), "203.0.113.9")] * 3
    assert [e.new["kind"] for e in entries] == ["authenticator", "backup code", "unreadable"]
    for entry in entries:  # the code itself is never kept
        text = json.dumps(entry.new)
        assert wrong_totp not in text and wrong_backup not in text and "12-ab!" not in text
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp's throttle counted the wrong TOTP code
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # past its wait
    # a right code afterwards is no failure
    assert client.post("/en/second-factor/", {"code": current_code(user)}).status_code == 302
    assert AuditEntry.objects.filter(action=FAILED).count() == 3


def test_a_wrong_code_while_enrolling_is_audited_too(behind_the_proxy):
    user = officer("reception-hall")
    client = password_only(user)
    assert client.get("/en/second-factor/enrol/").status_code == 200
    assert client.post("/en/second-factor/enrol/", {"code": "000000"}).status_code == 422
    entry = AuditEntry.objects.get(action=FAILED)
    assert entry.actor_id == user.pk and entry.ip == "203.0.113.9" and entry.new["enrolling"] is True


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "too many failed attempts"), ("zh-hans", "登录失败的次数过多")]
)
def test_wrong_codes_count_against_the_address_and_past_its_limit_no_code_is_checked(
    behind_the_proxy, settings, lang, words
):
    """Wrong codes count with wrong passwords against the address (throttling.SignInFailures): someone
    holding several officers' passwords cannot try codes on each device's throttle in turn."""
    settings.EXITENTRY_SIGN_IN_FAILURE_RATE = "3/h"
    user = officer("reception-hall")
    authenticator(user)
    client = password_only(user)
    for _ in range(3):
        assert client.post(f"/{lang}/second-factor/", {"code": wrong_code(user)}).status_code == 422
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)  # the device would check now
    refused = client.post(f"/{lang}/second-factor/", {"code": current_code(user)})
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert words in html(refused)
    assert client.get(f"/{lang}/console/").status_code == 302  # still not verified
    assert AuditEntry.objects.filter(action=FAILED).count() == 3  # a refused try is no code tried
    elsewhere = password_only(user, "198.51.100.7")
    assert elsewhere.post("/en/second-factor/", {"code": current_code(user)}).status_code == 302
