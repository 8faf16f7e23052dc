"""The second step of a hall-side sign-in (``accounts.second_factor``): a code, or the first enrolment.

- ``/second-factor/``: the code from the authenticator app, or a backup code. Without an authenticator
  yet, it sends to enrolment.
- ``/second-factor/enrol/``: the secret as a QR code and in text, and the first code from the app to show
  it works; then the backup codes, shown on that one answer and never again.
- ``/second-factor/backup-codes/``: a verified session makes a new set (the old ones stop working).

A wrong code is audited and counted against the account and the caller's address, apart from wrong
passwords (``second_factor.failed``); past either's limit the page answers 429 without checking the code
(``second_factor.codes_wait``).

Each goes on to ``next`` (a path on this site) or the user's own home.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from exitentry.accounts import policy, second_factor
from exitentry.accounts.audit import Actor, record
from exitentry.web import fresh_proof
from exitentry.web.account_views import home_of

SIGN_IN_URL = reverse_lazy("web:sign_in")


def _next(request: HttpRequest) -> str:
    """Where to go after this step: ``next`` when it is a path on this site, else the user's home."""
    asked = request.POST.get("next") or request.GET.get("next") or ""
    if asked and url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    return home_of(request.user)


def codes_spent(request: HttpRequest) -> HttpResponse | None:
    """The 429 page when the account, or the caller's address, has given too many wrong codes (a budget of
    their own: wrong passwords do not count, and these do not pause password sign-ins)."""
    wait, whose = second_factor.codes_wait(request)
    if not wait:
        return None
    # a fresh proof (``fresh_proof``) from an account with no authenticator is its password: said so
    user = request.user
    password_only = user.is_authenticated and not second_factor.has_device(user)
    context = {"codes_spent": whose, "retry_minutes": -(-wait // 60), "password_only": password_only}
    response = render(request, "web/locked_out.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _refusal(result: second_factor.Check) -> str:
    wait = second_factor.wait_seconds(result)
    if result.unchecked:  # django-otp's pause: the code may well be right, it was not looked at
        return ngettext(
            "After several wrong codes in a row, the next code is checked only after a pause, so this one was not checked. Wait %(n)d second, then type the code the app shows.",
            "After several wrong codes in a row, the next code is checked only after a pause, so this one was not checked. Wait %(n)d seconds, then type the code the app shows.",
            max(wait, 1),
        ) % {"n": max(wait, 1)}
    if result.reused:
        text = gettext(
            "That code was already used to sign in. Wait for the app to show the next code and type that one, or use one of your backup codes."
        )
    else:
        text = gettext(
            "That code is not right, or it has expired. Type the six digits the app shows now, or one of your backup codes."
        )
    if wait > 1:
        text += " " + ngettext(
            "After several wrong codes, the next one is checked in %(n)d second.",
            "After several wrong codes, the next one is checked in %(n)d seconds.",
            wait,
        ) % {"n": wait}
    return text


@login_required(login_url=SIGN_IN_URL)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policy.second_factor_pending(user):
        return HttpResponseRedirect(_next(request))
    if not second_factor.has_device(user):
        return redirect(f"{reverse('web:second_factor_enrol')}?{request.GET.urlencode()}")
    error = None
    if request.method == "POST":
        if spent := codes_spent(request):
            return spent
        code = request.POST.get("code", "")
        result = second_factor.check(user, code)
        if result.device is not None:
            second_factor.verified(request, result)
            if result.backup:
                left = second_factor.remaining_backup_codes(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a backup code; %(n)d is left. Make new ones under “Backup codes” when few are left.",
                        "You signed in with a backup code; %(n)d are left. Make new ones under “Backup codes” when few are left.",
                        left,
                    )
                    % {"n": left},
                )
            return HttpResponseRedirect(_next(request))
        second_factor.failed(request, code, result)
        error = _refusal(result)
    return render(
        request,
        "web/second_factor.html",
        {"error": error, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=422 if error else 200,
    )


@login_required(login_url=SIGN_IN_URL)
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policy.needs_second_factor(user):
        raise PermissionDenied("this page is for officers, supervisors and administrators")
    if second_factor.has_device(user):
        return redirect(f"{reverse('web:second_factor')}?{request.GET.urlencode()}")
    device = second_factor.enrolment(user)
    error = None
    if request.method == "POST":
        if spent := codes_spent(request):
            return spent
        code = request.POST.get("code", "")
        result = second_factor.check(user, code, enrolling=device)
        if result.device is not None:
            codes = second_factor.confirm(request, result)
            return render(
                request, "web/backup_codes.html", {"codes": codes, "next": _next(request), "first": True}
            )
        second_factor.failed(request, code, result, enrolling=True)
        error = _refusal(result)
    uri = device.config_url
    return render(
        request,
        "web/second_factor_enrol.html",
        {
            "error": error,
            "secret": second_factor.secret_text(device),
            "qr": second_factor.qr_svg(uri, title=gettext("QR code for your authenticator app")),
            "uri": uri,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=422 if error else 200,
    )


@login_required(login_url=SIGN_IN_URL)
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policy.needs_second_factor(user):
        raise PermissionDenied("this page is for officers, supervisors and administrators")
    # a pending session never gets here: HallSessions sends it to the second step
    error = None
    if request.method == "POST":  # a current authenticator code first (``fresh_proof``)
        if spent := codes_spent(request):
            return spent
        if (error := fresh_proof.refusal(request, request.POST.get("code", ""))) is None:
            codes = second_factor.new_backup_codes(user)
            record(Actor.of(request), "account.backup_codes.new", "user", user.pk)
            return render(request, "web/backup_codes.html", {"codes": codes, "next": home_of(user)})
    context = {"left": second_factor.remaining_backup_codes(user), "error": error}
    return render(request, "web/backup_codes_new.html", context, status=422 if error else 200)
