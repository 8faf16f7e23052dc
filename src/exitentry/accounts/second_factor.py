"""The hall side's second factor, with django-otp: a TOTP authenticator app, and one-time backup codes.

Officers, supervisors and administrators (``policy.needs_second_factor``) sign in with their password and
then a six-digit code from their authenticator app, or one of their backup codes. Until then their session
is *pending*: ``accounts.middleware.HallSessions`` sends every page to the second step, the API's signed-in
endpoints answer 403, and the admin (django-otp's ``OTPAdminSite``) lets nobody in.

Without a confirmed authenticator, the second step is enrolment: the secret as a QR code and as text, one
code from the app to show it was set up, then ten backup codes shown once. An administrator who deletes a
user's TOTP device in the admin makes them enrol again at their next sign-in.

django-otp throttles each device: after n wrong codes in a row the next is not even checked for 2^(n-1)
seconds; each wrong code is also an audit entry (``failed``: the account, the caller's address, the kind
of code, never the code) and counts against the account and against the caller's address, in budgets of
their own (``throttling.SecondFactorFailures``, ``SecondFactorAddressFailures``): wrong passwords do not
count there, nor wrong codes against the address's password sign-ins (``SignInFailures``). A TOTP code
is accepted once (``last_t``): typed again, it is refused with "wait for the next code" and is no wrong
guess (neither paused nor counted); a backup code is deleted when it is used. Both kinds of secret are stored
in the database as django-otp keeps them (the TOTP key in hex, backup codes as written); see
docs/security.md.
"""

from __future__ import annotations

import re
import time
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import User
from exitentry.throttling import SecondFactorAddressFailures, SecondFactorFailures

AUTHENTICATOR = "authenticator"
BACKUP = "backup codes"
BACKUP_CODES = 10
_TOTP_CODE = re.compile(r"^[0-9]{6}$")
_BACKUP_CODE = re.compile(r"^[a-z2-7]{8,16}$")  # django-otp's StaticToken.random_token: 8 base32 letters


def authenticator(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have enrolled one."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def enrolment(user: User) -> TOTPDevice:
    """The unconfirmed authenticator the enrolment page shows (the same one until it is confirmed)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(data: str, *, title: str) -> SafeString:
    """``data`` as an inline SVG QR code: one path of dark modules, no style attribute (the CSP forbids
    inline styles), drawn from reportlab's QR encoder (the one the documents use)."""
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(data)
    qr.make()
    count, border = qr.getModuleCount(), 4
    size = count + 2 * border
    path = "".join(
        f"M{col + border} {row + border}h1v1h-1z"
        for row in range(count)
        for col in range(count)
        if qr.isDark(row, col)
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {0}" width="{1}" height="{1}" '
        'role="img" aria-labelledby="qr-title" shape-rendering="crispEdges" class="qr">'
        '<title id="qr-title">{2}</title><rect width="{0}" height="{0}" fill="#fff"/>'
        '<path d="{3}" fill="#000"/></svg>',
        size,
        size * 5,
        title,
        mark_safe(path),  # digits and the letters M, h, v and z only
    )


@dataclass(frozen=True, slots=True)
class Check:
    """What a code was worth: the device that accepted it, or when the next try will be looked at."""

    device: Device | None
    wait_until: datetime | None = None
    reused: bool = False  # the authenticator's code of a moment already signed in with (``used_before``)
    unchecked: bool = False  # every device was in django-otp's pause: the code was not looked at at all

    @property
    def backup(self) -> bool:
        return isinstance(self.device, StaticDevice)


def normalise(code: str) -> str:
    """A code as typed: spaces and hyphens dropped, letters lower-case."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def check(user: User, code: str, *, enrolling: TOTPDevice | None = None) -> Check:
    """Try ``code``: six digits against the authenticator (or, while enrolling, the one being set up),
    eight letters and digits against the backup codes. Each device throttles its own wrong tries."""
    code = normalise(code)
    if enrolling is not None:
        candidates = [enrolling] if _TOTP_CODE.match(code) else []
    elif _TOTP_CODE.match(code):
        candidates = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    elif _BACKUP_CODE.match(code):
        candidates = list(StaticDevice.objects.devices_for_user(user, confirmed=True))
    else:
        candidates = []
    wait_until = None
    unchecked = bool(candidates)
    for device in candidates:
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            looked_at, _ = locked.verify_is_allowed()  # verify_token checks nothing while throttled
            unchecked = unchecked and not looked_at
            if looked_at and isinstance(locked, TOTPDevice) and used_before(locked, code):
                return Check(None, reused=True)  # not tried: no wrong guess for the device's pause
            if locked.verify_token(code):
                return Check(locked)
            allowed, why = locked.verify_is_allowed()
        if not allowed and why and why.get("locked_until"):
            wait_until = max(filter(None, (wait_until, why["locked_until"])))
    return Check(None, wait_until, unchecked=unchecked)


def used_before(device: TOTPDevice, code: str) -> bool:
    """Whether ``code`` is the authenticator's code of a moment this device was already signed in with: a
    TOTP code is accepted once (``last_t``), so a second browser typing the same code is told to wait for the
    next one, not that the code is wrong. Refused and audited, but no wrong guess: neither the device's
    pause nor the wrong-code budgets count it (it was right, only late)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return device.last_t >= 0 and totp.verify(int(code), device.tolerance) and totp.t() <= device.last_t


def kind_of(code: str) -> str:
    """What a typed code looks like (its kind, which the audit trail keeps instead of the code)."""
    code = normalise(code)
    if _TOTP_CODE.match(code):
        return "authenticator"
    return "backup code" if _BACKUP_CODE.match(code) else "unreadable"


# Whose wrong codes are counted: the account's, and the caller's address's (each throttle is stateless).
_BUDGETS = (("account", SecondFactorFailures()), ("address", SecondFactorAddressFailures()))


def failed(
    request: HttpRequest, code: str, result: Check, *, enrolling: bool = False, kind: str | None = None
) -> None:
    """A wrong code (or a wrong password given again as proof, ``kind="password"``): an audit entry (the
    account, the caller's address, the code's kind and how long the device now waits; never the code) and,
    unless it was a code already used (``Check.reused``), one failure against the account and one against
    the caller's address."""
    record(
        Actor.of(request),
        "account.second_factor.fail",
        "user",
        request.user.pk,
        new={"kind": kind or kind_of(code), "enrolling": enrolling, "wait_seconds": wait_seconds(result)}
        | ({"reused": True} if result.reused else {}),
    )
    if result.reused:
        return
    for _, budget in _BUDGETS:
        budget.count(budget.ident(request))


def codes_wait(request: HttpRequest) -> tuple[int, str]:
    """Seconds until a code may be tried again (0: now), and whose wrong codes are past their limit
    (``"account"``, ``"address"``, or ``""``): past either, no code is checked."""
    for name, budget in _BUDGETS:
        if budget.spent(budget.ident(request)):
            return max(1, round(budget.wait())), name
    return 0, ""


def wait_seconds(result: Check) -> int:
    """Whole seconds until the next try is looked at (0: now)."""
    if result.wait_until is None:
        return 0
    return max(0, int((result.wait_until - timezone.now()).total_seconds() + 0.999))


def verified(request: HttpRequest, result: Check) -> None:
    """The session has given its second factor: remember the device (django-otp) under a new session key."""
    otp_login(request, result.device)
    request.session.cycle_key()
    if result.backup:
        record(
            Actor.of(request),
            "account.backup_code.use",
            "user",
            request.user.pk,
            new={"left": remaining_backup_codes(request.user)},
        )


def confirm(request: HttpRequest, result: Check) -> list[str]:
    """The enrolling authenticator gave a right code: confirm it, make the backup codes, and verify the
    session with it. Returns the backup codes, to be shown this once."""
    device = result.device
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_backup_codes(request.user)
    record(Actor.of(request), "account.second_factor.enrol", "user", request.user.pk)
    verified(request, result)
    return codes


def new_backup_codes(user: User) -> list[str]:
    """A new set of backup codes; the old ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def remaining_backup_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_device(user: User) -> bool:
    """Whether the user has enrolled an authenticator (backup codes come with one; with backup codes
    alone, left after an administrator removed the authenticator, the user enrols again)."""
    return authenticator(user) is not None
