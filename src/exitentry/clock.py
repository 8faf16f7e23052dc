"""The instant the system stamps what it records with: now, unless a replay sets it.

Every time stamp of a record (a case's history, an upload, a task, a payment, a permit's event, an audit
entry) comes from :func:`now`. Live requests get the real time. The demo data replays cases that
happened over past working days; inside :func:`replaying` it sets the instant of each step, so a history
carries the days its case claims rather than the moment it was loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils import timezone

_REPLAYED: ContextVar[datetime | None] = ContextVar("exitentry_replayed_instant", default=None)


def now() -> datetime:
    """The real time, or the replayed instant inside :func:`replaying` (never later than the real time)."""
    real = timezone.now()
    replayed = _REPLAYED.get()
    return real if replayed is None else min(replayed, real)


@contextmanager
def replaying() -> Iterator[Callable[[datetime], None]]:
    """Stamp records with the instant last given to the yielded setter, until the block ends."""
    token = _REPLAYED.set(None)

    def set_instant(instant: datetime) -> None:
        if timezone.is_naive(instant):
            raise ValueError("a replayed instant needs its time zone")
        _REPLAYED.set(instant.astimezone(UTC))  # as the database gives it back (and the audit hashes it)

    try:
        yield set_instant
    finally:
        _REPLAYED.reset(token)
