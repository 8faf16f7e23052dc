"""Under ``/api/``, the answers Django gives before a view runs are in the API's error shape too
(``ApiErrorShape``), and every request made with an API key is in the audit trail (``KeyUseAudit``).

An unknown path (Django's 404 page) or a method the endpoint does not take (405) would otherwise answer
HTML; a client of the API always gets ``{"detail": [{"field", "message", "message_zh"}]}``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from exitentry.accounts.audit import Actor, record
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
