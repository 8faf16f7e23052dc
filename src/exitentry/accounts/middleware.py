"""Hall-side sessions: they end after a while without a request, and give nothing before the second factor.

``HallSessions`` comes after django-otp's ``OTPMiddleware`` (as ``accounts.otp_devices`` reads its device)
and Django's ``MessageMiddleware``. For a user who needs the second factor (``policy.needs_second_factor``:
officers, supervisors, administrators):

- **Idle end.** The session keeps the time of its last request, to the minute (it is written at most
  once a minute, so an idle period ends between ``EXITENTRY_HALL_IDLE_MINUTES`` minus one minute and
  that many minutes after the last request, never later). A request after that signs the session out: a
  page goes to the sign-in page with a message saying why (htmx is told to load it with
  ``HX-Redirect``), an API call goes on signed out (401 where signing in is needed). The session's own
  expiry is set to the idle period too, so the cookie and the stored row end with it. A page's own polling
  (``POLLS``: the day board refreshing itself) is no activity: it is answered, or signed out when idle, but
  keeps no session alive. Everyone else keeps ``SESSION_COOKIE_AGE``.
- **Second factor first.** A session signed in with the password only is *pending*: every page other
  than the second step itself, signing out, the language switch and the public QR check goes to the
  second step (``web:second_factor``), with the page asked for as ``next``. The API's signed-in endpoints
  refuse it themselves with a 403 in the API's error shape (``api.auth.SignedIn``); its public
  endpoints answer as to anyone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import ngettext

from exitentry.accounts import policy

SEEN_KEY = "hall_seen"  # the session's last request, in whole seconds since the epoch
TOUCH_EVERY = 60  # seconds: how stale that time may be (a session write at most once a minute)

# What a pending session may open (by URL name): the second step, signing out, the language switch,
# the public QR check, the health probe, the sign-in page (which sends it on) and the API (see above).
PENDING_MAY_OPEN = frozenset(
    {
        "web:second_factor",
        "web:second_factor_enrol",
        "web:sign_out",
        "web:sign_in",
        "set_language",
        "verify",
        "healthz",
        "api-docs",
        "admin-sign-in",
    }
)
# The pages' own polling (by URL name), which a session left open in front of nobody would keep alive.
POLLS = frozenset({"web:hall_day_live"})


def idle_seconds() -> int:
    return settings.EXITENTRY_HALL_IDLE_MINUTES * 60


class HallSessions:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY in request.session and policy.needs_second_factor(request.user):
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if isinstance(seen, int) and now - seen >= idle_seconds():
                return self._idle(request)
            if (not isinstance(seen, int) or now - seen >= TOUCH_EVERY) and not _polls(request):
                request.session[SEEN_KEY] = now
                request.session.set_expiry(idle_seconds())
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.view_name in PENDING_MAY_OPEN or match.namespace == "api":
            return None
        if not policy.second_factor_pending(request.user):
            return None
        target = reverse("web:second_factor")
        if request.method in ("GET", "HEAD"):
            target += "?" + urlencode({"next": request.get_full_path()})
        return page_redirect(request, target)

    def _idle(self, request: HttpRequest) -> HttpResponse:
        path = request.get_full_path()
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)  # on, signed out
        minutes = settings.EXITENTRY_HALL_IDLE_MINUTES
        messages.info(
            request,
            ngettext(
                "You were signed out after %(n)d minute without activity. Sign in again to go on.",
                "You were signed out after %(n)d minutes without activity. Sign in again to go on.",
                minutes,
            )
            % {"n": minutes},
        )
        target = reverse("web:sign_in")
        if request.method in ("GET", "HEAD") and request.headers.get("HX-Request") != "true":
            target += "?" + urlencode({"next": path})
        return page_redirect(request, target)


def _polls(request: HttpRequest) -> bool:
    try:
        return resolve(request.path_info).view_name in POLLS
    except Resolver404:
        return False


def page_redirect(request: HttpRequest, target: str) -> HttpResponse:
    """A redirect; for htmx, which would swap the page it is sent to into the panel, a whole-page load."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)
