"""A secret shown once across a POST/redirect/GET (a new share code, a new API key).

The POST that makes the secret keeps it in the session (``keep``) and redirects; the next GET of the page
takes it out (``take``) and shows it, so reloading that page neither makes another secret nor shows this
one again. The session then remembers only which row was shown, so that the following GET can say the
secret is no longer shown; that note too is taken once. The secret is never in a URL, a log or the
database outside the session row, which holds it from the POST to the GET that follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url


@dataclass(frozen=True)
class Once:
    """What the page shows: ``secret`` (the new one, now) for row ``shown``; or ``gone``, the row whose
    secret was shown on the previous answer and is not shown any more; or neither."""

    secret: str | None = None
    shown: int | None = None
    gone: int | None = None


def keep(request: HttpRequest, kind: str, secret: str, row_id: int) -> None:
    """Hold ``secret`` (of row ``row_id``) for the next GET of the ``kind`` page."""
    request.session[f"shown-once.{kind}"] = {"secret": secret, "row": row_id}
    request.session.pop(f"shown-once.{kind}.gone", None)


def take(request: HttpRequest, kind: str) -> Once:
    """The secret held for the ``kind`` page, taken out of the session; else the row shown last time."""
    held = request.session.pop(f"shown-once.{kind}", None)
    if held is not None:
        request.session[f"shown-once.{kind}.gone"] = held["row"]
        return Once(secret=held["secret"], shown=held["row"])
    return Once(gone=request.session.pop(f"shown-once.{kind}.gone", None))


def see_other(to: str) -> HttpResponseRedirect:
    """The POST's answer: 303 See Other to the page ``to`` (a URL name), which the browser GETs."""
    response = HttpResponseRedirect(resolve_url(to))
    response.status_code = 303
    return response
