"""The middleware that answers a page's upload past the cap (``upload_limit``) with its form again: in the
web app, as it asks the accounts app whether the session is past its second factor."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from exitentry.accounts import policy
from exitentry.upload_limit import UploadTooLarge


class TooLargeAnswers:
    """Before Django's CSRF check reads a page's POST body: a body past the upload cap sent to a page marked
    ``answered_by`` is answered by its too-large view; any other body Django cannot read (fields past
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or ``DATA_UPLOAD_MAX_NUMBER_FIELDS``, no file past the cap) is passed on
    to Django's 400 page, the site's in both languages (``400.html``). The API answers its own (413). It runs before the CSRF check and the second-factor gate, so it answers only a session
    past the second factor (or one that needs none), and its views only render a form again, changing
    nothing; what they (or anything after) read of the form and its files is empty."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        answer = getattr(view, "too_large", None)
        if answer is None or request.method != "POST" or policy.second_factor_pending(request.user):
            return None  # a session short of its second factor is shown no page (``HallSessions``)
        try:
            request.POST  # noqa: B018 - read now, as the CSRF check would next
        except UploadTooLarge:
            # The body left unread, its reading begun (``read``: the request's file interface): Django
            # then gives any later read of the form, ``request.POST`` and ``request.FILES``, empty rather
            # than parsing, and refusing, the body again.
            request.read(0)
            return answer(request, *args, **kwargs)
        return None
