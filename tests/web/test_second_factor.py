"""The hall side's second factor: nothing before it (pages, admin, API), a TOTP code or a backup code
each accepted once, enrolment on the first sign-in, and the idle end of a hall-side session."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import urlencode
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from page_world import html

from case_helpers import authenticator, current_code, sign_in, submitted
from exitentry.accounts.middleware import SEEN_KEY
from exitentry.accounts.models import AuditEntry, Role
from exitentry.accounts.second_factor import BACKUP_CODES, new_backup_codes
from factories import UserFactory, applicant, officer

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests/factories.py


def password_only(user) -> Client:
    """A client that gave the right password and nothing else, as the sign-in page leaves it."""
    client = Client()
    response = client.post("/en/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/en/second-factor/")
    return client


def hall_users():
    return [
        officer("reception-hall"),
        officer("reception-hall", role=Role.SUPERVISOR),
        UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
    ]


# --- nothing before the second factor --------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/en/console/", "/zh-hans/console/health/", "/en/", "/admin/", "/admin/accounts/user/"]
)
def test_a_password_only_session_reaches_no_page_but_the_second_step(path):
    for user in hall_users():
        authenticator(user)
        client = password_only(user)
        response = client.get(path)
        lang = "en" if path.startswith("/en/") else "zh-hans"  # the admin's: the default language
        assert response.status_code == 302, (user.role, path)
        assert response["Location"] == f"/{lang}/second-factor/?" + urlencode({"next": path}), user.role


def test_the_second_step_sends_back_to_the_page_asked_for():
    user = officer("reception-hall")
    authenticator(user)
    client = password_only(user)
    asked = client.get("/zh-hans/console/")
    assert asked["Location"] == "/zh-hans/second-factor/?" + urlencode({"next": "/zh-hans/console/"})
    page = html(client.get(asked["Location"]))
    assert "第二步" in page and 'autocomplete="one-time-code"' in page
    assert "待办队列" not in page  # the header links nothing before the second step
    done = client.post(asked["Location"], {"code": current_code(user)})
    assert done.status_code == 302 and done["Location"] == "/zh-hans/console/"
    assert client.get("/zh-hans/console/").status_code == 200


def test_an_officer_session_without_the_second_factor_is_refused_by_the_api_in_both_languages():
    user = officer("reception-hall")
    authenticator(user)
    case = submitted(applicant(), "rp-work")
    client = password_only(user)
    for response in (
        client.get("/api/v1/queue"),
        client.get("/api/v1/cases"),
        client.get(f"/api/v1/cases/{case.pk}"),
        client.post(f"/api/v1/cases/{case.pk}/receive", "{}", content_type="application/json"),
    ):
        assert response.status_code == 403
        [problem] = response.json()["detail"]
        assert "authenticator app" in problem["message"] and "/en/second-factor/" in problem["message"]
        assert "身份验证器" in problem["message_zh"]
    assert client.get("/api/v1/procedures").status_code == 200  # the public law answers anyone
    # once the code is given, the same session may
    client.post("/en/second-factor/", {"code": current_code(user)})
    assert client.get("/api/v1/queue").status_code == 200


def test_an_applicant_needs_no_second_factor():
    user = applicant()
    client = Client()
    response = client.post("/en/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response["Location"] == "/en/my/"
    assert client.get("/api/v1/cases").status_code == 200


def test_the_admin_sign_in_is_the_sites_own():
    response = Client().get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/sign-in/?" + urlencode({"next": "/admin/accounts/user/"})
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    assert sign_in(Client(), admin).get("/admin/accounts/user/").status_code == 200


# --- codes: each accepted once, throttled when wrong -------------------------------------------------


def test_a_code_is_accepted_once():
    user = officer("reception-hall")
    authenticator(user)
    code = current_code(user)
    first, second = password_only(user), password_only(user)
    assert first.post("/en/second-factor/", {"code": code}).status_code == 302
    again = second.post("/en/second-factor/", {"code": code})
    assert again.status_code == 422
    assert "That code was already used to sign in. Wait for the app to show the next code" in html(again)
    assert second.get("/en/console/").status_code == 302
    assert AuditEntry.objects.filter(action="account.second_factor.fail", object_id=str(user.pk)).exists()
    zh = password_only(user).post("/zh-hans/second-factor/", {"code": code})
    assert zh.status_code == 422 and "该验证码已用于登录" in html(zh)


def test_a_code_already_used_is_refused_but_counts_as_no_wrong_guess():
    """Signing in twice within one code's moment: each try of the used code is refused, told to wait for
    the next code, and neither pauses the authenticator nor spends the wrong-code budget."""
    user = officer("reception-hall")
    device = authenticator(user)
    code = current_code(user)
    assert password_only(user).post("/en/second-factor/", {"code": code}).status_code == 302
    second = password_only(user)
    for _ in range(12):
        again = second.post("/en/second-factor/", {"code": code})
        assert again.status_code == 422 and "Wait for the app to show the next code" in html(again)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert second.post("/en/second-factor/", {"code": wrong}).status_code == 422
    assert (
        AuditEntry.objects.filter(action="account.second_factor.fail", object_id=str(user.pk)).count() == 13
    )


def test_a_wrong_code_is_refused_beside_the_field_and_repeated_wrong_codes_must_wait():
    user = officer("reception-hall")
    device = authenticator(user)
    client = password_only(user)
    wrong = f"{(int(current_code(user)) + 500_000) % 1_000_000:06d}"
    response = client.post("/en/second-factor/", {"code": wrong})
    assert response.status_code == 422
    page = html(response)
    assert "That code is not right, or it has expired" in page  # a wrong code is not called a used one
    assert 'role="alert" id="code-error"' in page and 'aria-invalid="true"' in page
    # after five wrong codes in a row the next is not looked at for 16 seconds, even a right one
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    response = client.post("/en/second-factor/", {"code": current_code(user)})
    assert response.status_code == 422
    assert re.search(r"this one was not checked\. Wait 1[0-6] seconds", html(response))
    assert client.get("/en/console/").status_code == 302


@pytest.mark.parametrize(
    "lang, words",
    [
        ("en", r"so this one was not checked\. Wait 2 seconds, then type the code the app shows"),
        ("zh-hans", r"这次的验证码未予核对。请等待 2 秒"),
    ],
)
def test_the_right_code_in_the_device_s_pause_is_not_called_wrong_but_told_to_wait(lang, words):
    user = officer("reception-hall")
    device = authenticator(user)
    client = password_only(user)
    wrong = f"{(int(current_code(user)) + 500_000) % 1_000_000:06d}"
    for _ in range(2):  # two wrong codes in a row, each looked at: django-otp looks at none for 2 seconds
        TOTPDevice.objects.filter(pk=device.pk).update(  # as after the pause of the one before
            throttling_failure_timestamp=timezone.now() - timedelta(seconds=60)
        )
        assert client.post(f"/{lang}/second-factor/", {"code": wrong}).status_code == 422
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 2
    response = client.post(f"/{lang}/second-factor/", {"code": current_code(user)})
    assert response.status_code == 422
    page = html(response)
    assert re.search(words, page)
    assert "That code is not right" not in page and "验证码不正确" not in page


def test_a_backup_code_signs_in_once_and_says_how_many_are_left():
    user = officer("reception-hall")
    authenticator(user)
    codes = new_backup_codes(user)
    assert len(codes) == BACKUP_CODES == len(set(codes))
    client = password_only(user)
    response = client.post("/en/second-factor/", {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200 and response.request["PATH_INFO"] == "/en/console/"
    assert "9 are left" in html(response)
    assert AuditEntry.objects.filter(actor=user, action="account.backup_code.use").exists()
    again = password_only(user).post("/en/second-factor/", {"code": codes[0]})
    assert again.status_code == 422


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "not the code your authenticator app shows now"),
        ("zh-hans", "不是您的验证器应用当前显示的验证码"),
    ],
)
def test_new_backup_codes_ask_for_a_current_authenticator_code(lang, said):
    """A verified session alone (a desk left unlocked) does not void the owner's backup codes: a current
    authenticator code is asked (a backup code will not do); a wrong one is refused and counted."""
    user = officer("reception-hall")
    old = new_backup_codes(user)
    client = sign_in(Client(), user)
    for code in ("", old[0], "000000" if current_code(user) != "000000" else "111111"):
        answer = client.post(f"/{lang}/second-factor/backup-codes/", {"code": code})
        assert answer.status_code == 422 and said in html(answer)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(old)
    assert AuditEntry.objects.filter(actor=user, action="account.second_factor.fail").count() == 3


def test_a_verified_officer_can_replace_the_backup_codes():
    user = officer("reception-hall")
    old = new_backup_codes(user)
    client = sign_in(Client(), user)
    assert "You have 10 backup codes left" in html(client.get("/en/second-factor/backup-codes/"))
    page = html(client.post("/en/second-factor/backup-codes/", {"code": current_code(user)}))
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == BACKUP_CODES and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new)


# --- enrolment on the first sign-in ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Set up your second factor"), ("zh-hans", "设置第二重验证")]
)
def test_the_first_sign_in_enrols_an_authenticator_and_shows_the_backup_codes_once(lang, words):
    user = officer("reception-hall")
    client = Client()
    signed = client.post(f"/{lang}/sign-in/", {"username": user.username, "password": PASSWORD})
    step = client.get(signed["Location"])
    assert step.status_code == 302 and step["Location"].startswith(f"/{lang}/second-factor/enrol/")
    page = html(client.get(step["Location"]))
    assert words in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code class="secret" id="secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert len(secret.replace(" ", "")) == 32  # 20 bytes in base32
    assert (
        "<svg" in page
        and '<path d="M' in page
        and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
    )
    assert f"otpauth://totp/Beijing%20Exit-Entry%3A{user.username}?secret=" in page.replace("&amp;", "&")
    # a page reload shows the same secret: the device is made once
    assert secret in html(client.get(step["Location"]))
    wrong = client.post(step["Location"], {"code": "000000"})
    assert wrong.status_code == 422
    TOTPDevice.objects.filter(pk=device.pk).update(  # as if the user took a few seconds to look again
        throttling_failure_timestamp=timezone.now() - timezone.timedelta(seconds=5)
    )
    code = f"{totp(device.bin_key):06d}"
    done = client.post(step["Location"], {"code": code})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html(done))
    assert len(codes) == BACKUP_CODES
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(f"/{lang}/console/").status_code == 200  # the session is verified
    assert AuditEntry.objects.filter(actor=user, action="account.second_factor.enrol").exists()
    # the codes are not shown again, and enrolling again is not offered
    assert client.get(f"/{lang}/second-factor/enrol/").status_code == 302
    assert not any(c in html(client.get(f"/{lang}/second-factor/backup-codes/")) for c in codes)


def test_an_applicant_has_nothing_to_enrol():
    assert sign_in(Client(), applicant()).get("/en/second-factor/enrol/").status_code == 403


# --- hall-side sessions end when idle ----------------------------------------------------------------


def _idle_for(client: Client, minutes: float) -> None:
    session = client.session
    session[SEEN_KEY] = int(time.time() - minutes * 60)
    session.save()


def test_a_hall_side_session_ends_after_fifteen_idle_minutes_and_says_why():
    user = officer("reception-hall")
    client = sign_in(Client(), user)
    assert client.session.get_expiry_age() == 15 * 60
    _idle_for(client, 14)
    assert client.get("/en/console/").status_code == 200  # and that request counts as activity
    assert time.time() - client.session[SEEN_KEY] < 5
    _idle_for(client, 15)
    response = client.get("/en/console/")
    assert response.status_code == 302
    assert response["Location"] == "/en/sign-in/?" + urlencode({"next": "/en/console/"})
    assert "_auth_user_id" not in client.session
    page = html(client.get(response["Location"]))
    assert "You were signed out after 15 minutes without activity" in page
    # htmx is told to load the sign-in page whole, not to swap it into the panel
    client = sign_in(Client(), user)
    _idle_for(client, 16)
    response = client.get("/en/console/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == "/en/sign-in/"


def test_the_idle_period_is_a_setting(settings):
    settings.EXITENTRY_HALL_IDLE_MINUTES = 5
    client = sign_in(Client(), officer("reception-hall"))
    _idle_for(client, 6)
    assert client.get("/api/v1/queue").status_code == 401  # the API goes on signed out


def test_an_applicant_keeps_the_normal_session_length(settings):
    client = sign_in(Client(), applicant())
    client.get("/en/my/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert SEEN_KEY not in client.session


def test_an_old_verification_does_not_outlive_its_device():
    """An administrator deletes a lost phone's device: the sessions it verified are pending again."""
    user = officer("reception-hall")
    client = sign_in(Client(), user)
    assert client.get("/en/console/").status_code == 200
    TOTPDevice.objects.filter(user=user).delete()
    response = client.get("/en/console/")
    assert response.status_code == 302 and response["Location"].startswith("/en/second-factor/")
    assert client.get(response["Location"])["Location"].startswith("/en/second-factor/enrol/")
