"""A secret shown once across a POST/redirect/GET (a new share code, a new API key).

The POST that makes the secret holds it for this session (``keep``: an ``accounts.HeldSecret`` row, the
session named by a hash of its key) and redirects; the next GET of the page takes it out (``take``) and
shows it, so reloading that page neither makes another secret nor shows this one again. The session then
remembers only which row was shown, so that the following GET can say the secret is no longer shown; that
note too is taken once. The secret is never in a URL, a log or the session row, and is held never longer
than ``TTL_SECONDS``: a GET later than that says the secret is no longer shown, and the periodic task
``shown-once-purge`` (``exitentry.web.tasks.purge_shown_once``, every minute) deletes every held secret past
its time whether or not its page is ever loaded; keeping or taking one purges them too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url

from exitentry import clock
from exitentry.accounts.models import HeldSecret

TTL_SECONDS = 120  # from the POST to the GET its redirect asks for: a browser's moment, not a visit
_KEY = "shown-once."


@dataclass(frozen=True)
class Once:
    """What the page shows: ``secret`` (the new one, now) for row ``shown``; or ``gone``, the row whose
    secret was shown on the previous answer and is not shown any more; or neither."""

    secret: str | None = None
    shown: int | None = None
    gone: int | None = None


def _session(request: HttpRequest) -> str:
    """This session, as a held secret names it (its key is created if the session has none yet)."""
    if request.session.session_key is None:
        request.session.save()
    return hashlib.sha256(request.session.session_key.encode()).hexdigest()


def keep(request: HttpRequest, kind: str, secret: str, row_id: int) -> None:
    """Hold ``secret`` (of row ``row_id``) for the next GET of the ``kind`` page, for ``TTL_SECONDS``."""
    purge()
    until = clock.now() + timedelta(seconds=TTL_SECONDS)
    HeldSecret.objects.update_or_create(
        session=_session(request), kind=kind, defaults={"secret": secret, "row": row_id, "until": until}
    )
    request.session.pop(f"{_KEY}{kind}.gone", None)


def take(request: HttpRequest, kind: str) -> Once:
    """The secret held for the ``kind`` page, taken out (if still in time; else its row is said to be
    gone); without one, the row shown last time."""
    with transaction.atomic():
        held = HeldSecret.objects.select_for_update().filter(session=_session(request), kind=kind).first()
        if held is not None:
            held.delete()
    purge()
    if held is None:
        return Once(gone=request.session.pop(f"{_KEY}{kind}.gone", None))
    if held.until <= clock.now():
        return Once(gone=held.row)
    request.session[f"{_KEY}{kind}.gone"] = held.row
    return Once(secret=held.secret, shown=held.row)


def purge() -> int:
    """Delete every secret held past its time, of any session and page; how many."""
    return HeldSecret.objects.filter(until__lte=clock.now()).delete()[0]


def see_other(to: str) -> HttpResponseRedirect:
    """The POST's answer: 303 See Other to the page ``to`` (a URL name), which the browser GETs."""
    response = HttpResponseRedirect(resolve_url(to))
    response.status_code = 303
    return response
