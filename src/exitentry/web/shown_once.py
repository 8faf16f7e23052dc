"""A secret shown once across a POST/redirect/GET (a new share code, a new API key).

The POST that makes the secret keeps it in the session (``keep``) and redirects; the next GET of the page
takes it out (``take``) and shows it, so reloading that page neither makes another secret nor shows this
one again. The session then remembers only which row was shown, so that the following GET can say the
secret is no longer shown; that note too is taken once. The secret is never in a URL, a log or the
database outside the session row, which holds it from the POST to the GET that follows it, and never
longer than ``TTL_SECONDS``: a GET later than that says the secret is no longer shown, and any secret past
its time is purged whenever one is kept or taken.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url

from exitentry import clock

TTL_SECONDS = 120  # from the POST to the GET its redirect asks for: a browser's moment, not a visit
_KEY = "shown-once."


@dataclass(frozen=True)
class Once:
    """What the page shows: ``secret`` (the new one, now) for row ``shown``; or ``gone``, the row whose
    secret was shown on the previous answer and is not shown any more; or neither."""

    secret: str | None = None
    shown: int | None = None
    gone: int | None = None


def keep(request: HttpRequest, kind: str, secret: str, row_id: int) -> None:
    """Hold ``secret`` (of row ``row_id``) for the next GET of the ``kind`` page, for ``TTL_SECONDS``."""
    purge(request.session)
    request.session[f"{_KEY}{kind}"] = {"secret": secret, "row": row_id, "until": _now() + TTL_SECONDS}
    request.session.pop(f"{_KEY}{kind}.gone", None)


def take(request: HttpRequest, kind: str) -> Once:
    """The secret held for the ``kind`` page, taken out of the session (if still in time; else its row is
    said to be gone); without one, the row shown last time."""
    held = request.session.pop(f"{_KEY}{kind}", None)
    purge(request.session)
    if held is None:
        return Once(gone=request.session.pop(f"{_KEY}{kind}.gone", None))
    if held.get("until", 0) <= _now():
        return Once(gone=held["row"])
    request.session[f"{_KEY}{kind}.gone"] = held["row"]
    return Once(secret=held["secret"], shown=held["row"])


def purge(session: SessionBase) -> None:
    """Drop every secret held past its time, of any page."""
    now = _now()
    for key in [k for k, v in session.items() if k.startswith(_KEY) and isinstance(v, dict)]:
        if session[key].get("until", 0) <= now:
            del session[key]


def _now() -> int:
    return int(clock.now().timestamp())


def see_other(to: str) -> HttpResponseRedirect:
    """The POST's answer: 303 See Other to the page ``to`` (a URL name), which the browser GETs."""
    response = HttpResponseRedirect(resolve_url(to))
    response.status_code = 303
    return response
