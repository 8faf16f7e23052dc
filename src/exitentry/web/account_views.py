"""Signing in and out with Django's own views, in the page's language.

After signing in, each side lands on its own page (the applicant's applications, the officers' work
queue, an institution's verification desk, the administrator's Django admin) unless the sign-in page was asked for with ``next``. Failed sign-ins are counted by django-axes:
after too many for one username from one address the pair is locked out, and axes answers with the
``AXES_LOCKOUT_TEMPLATE`` (``web/locked_out.html``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy

from exitentry.accounts import policy


class SignInView(LoginView):
    template_name = "web/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        limit = getattr(settings, "AXES_FAILURE_LIMIT", None)
        return super().get_context_data(**kwargs) | {
            "failure_limit": limit if isinstance(limit, int) else None
        }

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if policy.is_hall_side(user):
            return reverse("web:queue")
        if policy.may_start_case(user):
            return reverse("web:my_cases")
        if policy.is_institution(user):
            return reverse("web:institution")
        if policy.is_administrator(user):
            return reverse("admin:index")
        return reverse("web:home")


class SignOutView(LogoutView):
    """POST only (Django's ``LogoutView``); back to the home page in the same language."""

    next_page = reverse_lazy("web:home")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal, as a page in the visitor's language (``CSRF_FAILURE_VIEW``)."""
    return render(request, "web/csrf_failure.html", status=403)
