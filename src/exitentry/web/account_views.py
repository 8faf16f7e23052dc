"""Signing in and out with Django's own views, in the page's language.

After signing in, each side lands on its own page (the applicant's applications, an employer's or a
school's roster, the officers' work queue, an institution's verification desk, the administrator's
Django admin) unless the sign-in page was asked for with ``next``. Officers, supervisors and
administrators go through the second step first (``second_factor_views``), which then sends them on.
Failed sign-ins are counted by django-axes: after too many for one username from one address the pair is
locked out, and axes answers with ``locked_out`` (``AXES_LOCKOUT_CALLABLE``: ``web/locked_out.html``, 429
and ``Retry-After``). An address that failed too often whatever the username (``throttling.SignInFailures``)
is refused before its password is tried, with the same page and 429; so is a username that failed too
often from all addresses together (``throttling.SignInUsernameFailures``).
"""

from __future__ import annotations

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from exitentry.accounts import language, policy
from exitentry.throttling import SignInFailures, SignInUsernameFailures
from exitentry.web.case_pages import to_sign_in


def home_of(user) -> str:
    """The page each side starts from."""
    if policy.is_hall_side(user):
        return reverse("web:queue")
    if policy.files_unit_reports(user):  # an employer's or school's roster: whose permits end soon
        return reverse("web:unit_people")
    if policy.needs_own_record(user):  # signed up themself: their registry record first
        return reverse("web:my_details")
    if policy.may_start_case(user):
        return reverse("web:my_cases")
    if policy.is_institution(user):
        return reverse("web:institution")
    if policy.is_administrator(user):
        return reverse("admin:index")
    return reverse("web:home")


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked username and address (``AXES_LOCKOUT_CALLABLE``): the readable page
    in the page's language, 429 with ``Retry-After``, axes' cool-off, as the other limits answer."""
    cool_off = get_cool_off(request)
    context = {"failure_limit": get_failure_limit(request, credentials), "cooloff_timedelta": cool_off}
    response = render(request, "web/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response


class SignInView(LoginView):
    template_name = "web/sign_in.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        for failures, spent in (
            (SignInFailures(), "address_spent"),
            (SignInUsernameFailures(), "username_spent"),
        ):
            ident = failures.ident(request)
            if ident is not None and failures.spent(ident):
                wait = max(1, round(failures.wait()))
                context = {spent: True, "retry_minutes": -(-wait // 60)}
                response = render(request, "web/locked_out.html", context, status=429)
                response["Retry-After"] = str(wait)
                return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        for failures in (SignInFailures(), SignInUsernameFailures()):
            if (ident := failures.ident(self.request)) is not None:
                failures.count(ident)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs) -> dict:
        limit = getattr(settings, "AXES_FAILURE_LIMIT", None)
        return super().get_context_data(**kwargs) | {
            "failure_limit": limit if isinstance(limit, int) else None
        }

    def get_default_redirect_url(self) -> str:
        return home_of(self.request.user)

    def get_success_url(self) -> str:
        """Where the password sends: the page asked for or the user's home, through the second step for
        those who need one."""
        url = super().get_success_url()
        if policy.second_factor_pending(self.request.user):
            return f"{reverse('web:second_factor')}?{urlencode({'next': url})}"
        return url


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """``/admin/login/``: the site's own sign-in (password, then the second factor) in the request's
    language, back to the admin. Someone signed in whom the admin turned away may not use it: the 403
    page, not the sign-in page again (which would send them back to the admin, round and round)."""
    user = request.user
    if user.is_authenticated and not (policy.is_administrator(user) or policy.second_factor_pending(user)):
        raise PermissionDenied("not an administrator")
    asked = request.GET.get("next") or reverse("admin:index")
    with translation.override(language.of_request(request)):
        return redirect(f"{reverse('web:sign_in')}?{urlencode({'next': asked})}")


class SignOutView(LogoutView):
    """Signs out on POST (Django's ``LogoutView``), back to the home page in the same language. A GET (the
    address typed or followed) signs no one out: it shows the sign-out button, or the home page to someone
    not signed in."""

    next_page = reverse_lazy("web:home")
    http_method_names = [*LogoutView.http_method_names, "get"]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("web:home")
        return render(request, "web/sign_out.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal, as a page in the visitor's language (``CSRF_FAILURE_VIEW``)."""
    return render(request, "web/csrf_failure.html", status=403)


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """``/account/``: the signed-in user's account, with the language their e-mails and text messages are
    written in (``accounts.language``), which they may change here; a POST answers 303 to the page."""
    if not request.user.is_authenticated:
        return to_sign_in(request)
    user, error = request.user, None
    if request.method == "POST":
        chosen = request.POST.get("language", "")
        if chosen in dict(settings.LANGUAGES):
            language.remember(user, chosen)
            messages.success(request, gettext("Your preferred language is saved."))
            response = redirect("web:account")
            response.status_code = 303
            return response
        error = gettext("Choose one of the languages.")
    choices = [
        {"code": code, "name": name, "chosen": code == user.language} for code, name in settings.LANGUAGES
    ]
    context = {"choices": choices, "stored": bool(user.language), "error": error}
    return render(request, "web/account.html", context, status=422 if error else 200)
