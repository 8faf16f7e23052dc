"""Rate limits counted per window: ``WindowThrottle``, a ninja throttle that the API's operations and the
pages both use (the key's rate in ``api.auth``, the institution's in ``verification.checks``, strangers'
on a public page in ``StrangerThrottle``)."""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle, SimpleRateThrottle


class WindowThrottle(BaseThrottle):
    """At most ``rate()`` requests ("1200/m") per ``ident(request)`` in each window of the rate's period: a
    counter in the cache per ident and window, two cache operations a request whatever the rate (ninja's
    own throttles keep and rewrite a list of every request's time, which grows with the rate)."""

    scope = ""

    def rate(self) -> str:
        raise NotImplementedError

    def ident(self, request) -> object | None:
        """Whom the request counts against; None: not limited here."""
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        ident = self.ident(request)
        if ident is None:
            return True
        limit, period = _rate(self.rate())
        window = int(time.time() // period)
        name = f"throttle_{self.scope}_{ident}_{window}"
        cache.add(name, 0, period)
        try:
            count = cache.incr(name)
        except ValueError:  # the window's counter expired between the two calls
            cache.add(name, 1, period)
            count = 1
        return count <= limit

    def wait(self) -> float:
        """Until the window ends (worked out anew: the throttle is shared by the threads of a worker)."""
        period = _rate(self.rate())[1]
        return period - time.time() % period


@functools.cache
def _rate(rate: str) -> tuple[int, int]:
    """``"1200/m"`` -> (1200, 60)."""
    count, period = rate.split("/")
    return int(count), SimpleRateThrottle._PERIODS[period]


class StrangerThrottle(WindowThrottle):
    """A public page's callers with no session, per address (the one the proxy saw, as the API counts it),
    at the rate the API holds strangers to (``EXITENTRY_ANON_RATE``, ``api.StrangerRateThrottle``)."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def rate(self) -> str:
        return settings.EXITENTRY_ANON_RATE

    def ident(self, request) -> object | None:
        user = getattr(request, "user", None)
        return None if user is not None and user.is_authenticated else self.get_ident(request)
