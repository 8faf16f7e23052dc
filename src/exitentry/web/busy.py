"""A page whose transaction the database aborted for another's sake (``exitentry.busy``) answers 409 with
a page that says nothing was saved and to send it again, not the 500 page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from exitentry.busy import BUSY, aborted_for_another


class Busy:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not aborted_for_another(exception):
            return None
        return render(request, "409.html", {"message": BUSY}, status=409)
