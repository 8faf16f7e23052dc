"""An address that only takes a form sent from its page (a step's POST), reached by a reload or Back: a 405
page in both languages saying so, with a link back to the page the form is on, where Django's
``require_POST`` answers an empty body. The API answers its own (``api.middleware.ApiErrorShape``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve


def page_of(path: str) -> str:
    """The page a step's address belongs to: the address one level up where it names a page
    (``/en/my/5/submit/`` -> ``/en/my/5/``), else the site's start."""
    parent = path.rstrip("/").rsplit("/", 1)[0] + "/"
    try:
        resolve(parent)
    except Resolver404:
        return "/"
    return parent


class NotAllowedPage:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith("/api/"):
            return response
        page = render(request, "405.html", {"back": page_of(request.path)}, status=405)
        if allowed := response.get("Allow"):
            page["Allow"] = allowed
        return page
