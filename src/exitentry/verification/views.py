"""The page a QR code opens: ``/verify/<token>``, in both languages at once (a scanner has no language)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exitentry.accounts.audit import Actor
from exitentry.law.calendar import beijing_today
from exitentry.verification.documents import verify


@never_cache
@require_GET
def verify_page(request: HttpRequest, token: str) -> HttpResponse:
    verdict = verify(Actor.of(request), token, beijing_today())
    return render(
        request, "verification/verify.html", {"verdict": verdict}, status=200 if verdict.genuine else 404
    )
