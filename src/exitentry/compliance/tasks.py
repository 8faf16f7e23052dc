"""The compliance app's background task (django-tasks, ``settings.TASKS``): the daily scan.

``daily_scan`` is meant to be enqueued once a day by the worker's scheduler; scanning a day again
changes nothing, so a retried or doubled run is harmless.
"""

from __future__ import annotations

from datetime import date

from django_tasks import task

from exitentry.compliance.scan import scan
from exitentry.law.calendar import beijing_today


@task()
def daily_scan(on: str | None = None) -> dict:
    """Scan the registry (``scan.scan``) on ``on``, an ISO date, default today in Beijing; returns the
    counts opened, still open and closed, by ground."""
    summary = scan(date.fromisoformat(on) if on else beijing_today())
    return {
        "on": summary.on.isoformat(),
        "opened": dict(summary.opened),
        "still_open": dict(summary.still_open),
        "closed": dict(summary.closed),
    }
