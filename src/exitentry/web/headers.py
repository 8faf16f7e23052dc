"""Two headers on every answer: ``Cache-Control: no-store`` where it may carry personal data, and a
``Permissions-Policy`` that turns off what no page uses. (The Content-Security-Policy is django-csp's,
configured in settings.)

**No-store, unless public.** Every answer is ``no-store`` (Django's ``add_never_cache_headers``:
``max-age=0, no-cache, no-store, must-revalidate, private``) except a GET or HEAD, by a caller who is not
signed in, of a page or endpoint of the published law: the home page, a guide, the advisor's first
question, the halls, the sources, the API's procedures, halls, calendar, sources and facts, and the
API's schema and docs. A page with a query string is not the published law alone: the advisor's
answers travel in it (its result's apply form, a link, the browser's history), so it is ``no-store`` too. The rule is written that way round, so a page added later is private until it is
named here: every signed-in answer (a case, the queue, a material, a document PDF, but also a public page,
whose header names the user), every POST (the advisor's and the API's advice carry a person's facts), the
public QR check (it names a document's holder), the sign-in page and every error are ``no-store``.
Static files are not answered through this middleware (the static file handler or a web server serves
them) and keep their own caching.

**Permissions-Policy.** No page uses the camera, the microphone, geolocation, payment or the device
APIs, so all are off for the site and anything it might embed. When the halls' check-in scanning comes,
its page will ask for ``camera=(self)`` on that page only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

PUBLIC_PAGES = frozenset({"web:home", "web:guide", "web:advisor", "web:halls", "web:sources", "api-docs"})
PUBLIC_API = tuple(
    f"/api/v1/{name}"
    for name in ("procedures", "halls", "calendar", "sources", "facts", "openapi.json", "docs")
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


def may_be_stored(request: HttpRequest) -> bool:
    """Whether a cache may keep this answer: a GET of the published law by someone not signed in."""
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in PUBLIC_PAGES:
        return not request.GET
    return request.path.startswith(PUBLIC_API)


class ResponseHeaders:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not may_be_stored(request):
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
