"""Wrong second-factor codes are audited (who, when, from which address; never the code) and counted:
against the device (django-otp's throttle), and against the account and the caller's address in budgets of
their own (``throttling.SecondFactorFailures``, ``SecondFactorAddressFailures``), past which no code is
checked. Wrong passwords have theirs (``SignInFailures``): neither kind pauses the other."""

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


def wrong_password(address: str = "203.0.113.9"):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {address}")
    return client.post("/en/sign-in/", {"username": "nobody-here", "password": "wrong"})


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "Too many wrong codes were typed for this account"),
        ("zh-hans", "此账户输入错误验证码的次数过多"),
    ],
)
def test_wrong_codes_lock_the_second_step_of_that_account_from_anywhere_and_no_password_sign_in(
    behind_the_proxy, settings, lang, words
):
    """N wrong codes of one account (EXITENTRY_SECOND_FACTOR_FAILURE_RATE): its second step answers 429
    with Retry-After, saying why in the page's language, from any address and without checking the code;
    password sign-ins from the same address, of other officers, go on (the hall's shared address)."""
    settings.EXITENTRY_SECOND_FACTOR_FAILURE_RATE = "3/h"
    settings.EXITENTRY_SIGN_IN_FAILURE_RATE = "3/h"  # as low: the codes must not count against it
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
    elsewhere = password_only(user, "198.51.100.7")  # the password still works; the codes stay paused
    assert elsewhere.post(f"/{lang}/second-factor/", {"code": current_code(user)}).status_code == 429
    # a colleague at the same address signs in with password and code as usual
    colleague = officer("reception-hall")
    authenticator(colleague)
    assert (
        password_only(colleague).post("/en/second-factor/", {"code": current_code(colleague)}).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("Too many wrong codes were typed from this network", "with a password is not affected")),
        ("zh-hans", ("此网络输入错误验证码的次数过多", "使用密码登录不受影响")),
    ],
)
def test_wrong_codes_from_one_address_across_accounts_pause_codes_from_it_not_passwords(
    behind_the_proxy, settings, lang, words
):
    """Someone holding several officers' passwords cannot try codes on each account's budget in turn:
    the address has its own (EXITENTRY_SECOND_FACTOR_ADDRESS_FAILURE_RATE). Passwords from it still work,
    and the same accounts give their codes from elsewhere."""
    settings.EXITENTRY_SECOND_FACTOR_FAILURE_RATE = "5/h"
    settings.EXITENTRY_SECOND_FACTOR_ADDRESS_FAILURE_RATE = "4/h"
    users = [officer("reception-hall") for _ in range(3)]
    for user in users:
        authenticator(user)
    clients = [password_only(user) for user in users]
    for client, user in zip(clients[:2], users[:2], strict=True):
        for _ in range(2):
            assert client.post(f"/{lang}/second-factor/", {"code": wrong_code(user)}).status_code == 422
    refused = clients[2].post(f"/{lang}/second-factor/", {"code": current_code(users[2])})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert all(said in html(refused) for said in words)  # and that password sign-ins go on
    password_only(users[2])  # passwords from the address: unaffected
    TOTPDevice.objects.update(throttling_failure_count=0)
    elsewhere = password_only(users[0], "198.51.100.7")
    assert elsewhere.post("/en/second-factor/", {"code": current_code(users[0])}).status_code == 302


def test_wrong_passwords_from_an_address_do_not_pause_the_second_step_there(behind_the_proxy, settings):
    """The reverse: past EXITENTRY_SIGN_IN_FAILURE_RATE no password from the address is tried (429), but an
    officer who gave theirs before still gives the code there."""
    settings.EXITENTRY_SIGN_IN_FAILURE_RATE = "3/h"
    user = officer("reception-hall")
    authenticator(user)
    pending = password_only(user)
    for _ in range(3):
        assert wrong_password().status_code == 200  # the sign-in form again, with its error
    assert wrong_password().status_code == 429
    assert pending.post("/en/second-factor/", {"code": current_code(user)}).status_code == 302
    assert pending.get("/en/console/").status_code == 200
