"""An institution's verification desk (a bank, hospital, school or telecom operator; Regulations Art. 27).

What it can do today: check that a document this office issued (an acceptance receipt, a one-time
notice, a decision) is genuine and what it says, from the code its QR code carries. Checking a
foreigner's identity and status with the holder's consent comes with the verification service.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from exitentry.accounts import policy
from exitentry.web.case_pages import signed_in


def _token(raw: str) -> str:
    """The token from what the desk typed or scanned: the code itself, or the whole ``/verify/`` address."""
    raw = raw.strip()
    return raw.rsplit("/verify/", 1)[-1].strip("/") if "/verify/" in raw else raw


@require_GET
@signed_in(policy.is_institution)
def desk(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code")
    if code is not None:
        token = _token(code)
        if token:
            return redirect(reverse("verify", args=[token]))
        return render(
            request,
            "web/institution.html",
            {"error": gettext("Enter or scan the document's code.")},
            status=422,
        )
    return render(request, "web/institution.html", {})
