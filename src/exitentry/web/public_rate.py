"""What anyone may post to a public page (the advisor's answers) is held to the API's rates for its public
operations: a stranger per address (``throttling.StrangerThrottle``, ``EXITENTRY_ANON_RATE``), a signed-in
account per account (``throttling.SessionThrottle``, ``EXITENTRY_USER_RATE``); past either, 429 with
``Retry-After`` in both languages (``429.html``), before any work."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from exitentry.law.text import Text
from exitentry.throttling import SessionThrottle, StrangerThrottle

HEADING = Text("Too many requests", "请求过多")
FROM_ADDRESS = Text(
    "Too many requests from your address. Wait a while and send your answer again.",
    "您所在地址的请求过多，请稍候再提交。",
)
FROM_ACCOUNT = Text(
    "Too many requests from your account. Wait a while and send your answer again.",
    "您的账户请求过多，请稍候再提交。",
)


def held_back(request: HttpRequest, scope: str) -> HttpResponse | None:
    """The 429 page once the caller is past its rate for ``scope``, else None (the request counted)."""
    for limit, message in ((StrangerThrottle(scope), FROM_ADDRESS), (SessionThrottle(scope), FROM_ACCOUNT)):
        if not limit.allow_request(request):
            response = render(request, "429.html", {"heading": HEADING, "message": message}, status=429)
            response["Retry-After"] = str(max(1, round(limit.wait())))
            return response
    return None
