"""The page a QR code opens: ``/verify/<token>``, in both languages at once (a scanner has no language), in
the site's layout in the visitor's language (``accounts.language.of_request``: the desk sends its own as
``?lang=``), with a way back: to the verification desk for an institution's account, else home.
Every check is audited, so strangers are held to the API's rate per address (``throttling.StrangerThrottle``)
and a signed-in account to its own, per account (``throttling.SessionThrottle``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exitentry.accounts import language, policy
from exitentry.accounts.audit import Actor
from exitentry.law.calendar import beijing_today
from exitentry.law.halls import AUTHORITY
from exitentry.law.text import Text
from exitentry.throttling import SessionThrottle, StrangerThrottle
from exitentry.verification.documents import DOCUMENT_CHECK, NOT_FOUND, verify

TOO_MANY = Text(
    "Too many checks from your address. Wait a while and open the code again.",
    "您所在地址的核验次数过多，请稍候再扫描或打开该编码。",
)
TOO_MANY_OF_ACCOUNT = Text(
    "Too many checks from your account. Wait a while and open the code again.",
    "您的账户核验次数过多，请稍候再扫描或打开该编码。",
)


@never_cache
@require_GET
def verify_page(request: HttpRequest, token: str) -> HttpResponse:
    """The verdict; a stranger or an account past its rate is refused (429) before the check, so makes no
    audit entry."""
    request.LANGUAGE_CODE = language.of_request(request)
    translation.activate(request.LANGUAGE_CODE)
    desk = policy.is_institution(request.user)
    context = {
        "back_to_desk": desk,
        "back": reverse("web:institution" if desk else "web:home"),
        "authority": AUTHORITY,
        "check": DOCUMENT_CHECK,
        "not_found": NOT_FOUND,
    }
    for limit, too_many in (
        (StrangerThrottle("verify-page"), TOO_MANY),
        (SessionThrottle("verify-page"), TOO_MANY_OF_ACCOUNT),
    ):
        if not limit.allow_request(request):
            response = render(
                request, "verification/verify.html", context | {"too_many": too_many}, status=429
            )
            response["Retry-After"] = str(max(1, round(limit.wait())))
            return response
    verdict = verify(Actor.of(request), token, beijing_today())
    status = 200 if verdict.genuine else 404
    return render(request, "verification/verify.html", context | {"verdict": verdict}, status=status)
