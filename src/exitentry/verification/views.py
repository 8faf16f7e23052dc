"""The page a QR code opens: ``/verify/<token>``, in both languages at once (a scanner has no language), in
the site's layout, with a way back: to the verification desk for an institution's account, else home."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor
from exitentry.law.calendar import beijing_today
from exitentry.verification.documents import verify


@never_cache
@require_GET
def verify_page(request: HttpRequest, token: str) -> HttpResponse:
    verdict = verify(Actor.of(request), token, beijing_today())
    desk = policy.is_institution(request.user)
    context = {
        "verdict": verdict,
        "back_to_desk": desk,
        "back": reverse("web:institution" if desk else "web:home"),
    }
    return render(request, "verification/verify.html", context, status=200 if verdict.genuine else 404)
