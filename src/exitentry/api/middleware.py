"""Under ``/api/``, the answers Django gives before a view runs are in the API's error shape too
(``ApiErrorShape``), every request made with an API key is in the audit trail (``KeyUseAudit``), and a
machine client's call skips the middleware only a browser's session needs (``MachineCalls``).

An unknown path (Django's 404 page) or a method the endpoint does not take (405) would otherwise answer
HTML; a client of the API always gets ``{"detail": [{"field", "message", "message_zh"}]}``.

**Machine calls.** A request under ``/api/`` with ``Authorization: Bearer`` is answered by its API key
alone (``api.auth.ApiKey`` decides, whatever else the request carries), so a cookie sent with it is never
read: it needs no session, CSRF token, messages, second factor's device, hall session or django-axes, and
its answer is in both languages whatever the request's (``api.errors``), so it needs no language either.
``settings.MIDDLEWARE`` puts those between ``MachineCalls`` and ``MachineCallsEnd``; a machine call goes
from the first straight to the view, as anonymous until its key says who it is, under the site's
language. What comes before ``MachineCalls`` runs for every request: the security headers (Django's,
the CSP, ``X-Frame-Options``, ``web.headers``' no-store and Permissions-Policy), the allowed hosts and
``Content-Length`` (``CommonMiddleware``), the API's error shape and the audit of key uses. The handler's
view hooks of the skipped middleware still run (CSRF's passes the API's views, which are CSRF-exempt and
check the token where a session signs in; hall sessions' passes the API). A session's call, without a
key, goes through all of it. Skipping them saves about a fifth of a millisecond a call
(docs/performance.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from exitentry.accounts.audit import Actor, record
from exitentry.api.auth import bearer_token
from exitentry.law.text import Text

API_PREFIX = "/api/"
DOCS = "/api/docs"

_NO_ENDPOINT = Text(
    "There is no endpoint {method} {path}; the endpoints are listed at {docs}.",
    "没有接口 {method} {path}；全部接口见 {docs}。",
)
_NOT_ALLOWED = Text(
    "{path} does not take {method}; it takes {allowed}.",
    "{path} 不支持 {method}，仅支持 {allowed}。",
)


class ApiErrorShape:
    """Rewrite a non-JSON 404 or 405 under ``/api/`` into the API's error shape (keeping ``Allow``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code not in (404, 405)
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        words = {"method": request.method, "path": request.path, "docs": DOCS}
        if response.status_code == 404:
            message = _NO_ENDPOINT.format(**words)
        else:
            message = _NOT_ALLOWED.format(**words, allowed=response.get("Allow", ""))
        answer = JsonResponse(
            {"detail": [{"field": None, "message": message.en, "message_zh": message.zh}]},
            status=response.status_code,
        )
        if "Allow" in response:
            answer["Allow"] = response["Allow"]
        return answer


class KeyUseAudit:
    """One audit entry (``api_key.use``: method, path, status) for a request made with an API key whose
    answer recorded none of its own; an endpoint that audits (a status check, a read of personal data) has
    its entries name the key instead (``accounts.audit.Actor.of``), and no second one is made. Refused
    uses (a missing scope, past the rate) are recorded too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "api_key", None)
        if key is not None and not key.audited:
            use = {"method": request.method, "path": request.path, "status": response.status_code}
            record(Actor.of(request), "api_key.use", "api_key", key.pk, new=use)
        return response


def is_machine_call(request: HttpRequest) -> bool:
    """A request to the API with a bearer token, as ``api.auth.ApiKey`` reads it (``bearer_token``)."""
    return (
        request.path.startswith(API_PREFIX)
        and bearer_token(request.META.get("HTTP_AUTHORIZATION", "")) is not None
    )


# The view handler below ``MachineCallsEnd``, from it to the ``MachineCalls`` of the same handler: Django
# builds a handler's middleware from the last to the first, in one thread.
_below = threading.local()


class MachineCalls:
    """A machine call goes straight to the view handler, past the middleware up to ``MachineCallsEnd``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.view = getattr(_below, "handler", None)
        _below.handler = None
        if self.view is None:
            raise ImproperlyConfigured("MIDDLEWARE: MachineCallsEnd must come after MachineCalls")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_machine_call(request):
            return self.get_response(request)
        request.user = AnonymousUser()  # until its key says who it is (``api.auth.ApiKey``)
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.view(request)


class MachineCallsEnd:
    """Last in ``MIDDLEWARE``: where a machine call rejoins the way to the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        _below.handler = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
