"""The compliance app's background tasks (django-tasks, ``settings.TASKS``): the daily scan, and the daily
reminders after it.

Both are meant to be enqueued once a day by the worker's scheduler (the reminders half an hour after the
scan, so they see its alerts); running a day again changes nothing, so a retried or doubled run is
harmless.
"""

from __future__ import annotations

from datetime import date

from django_tasks import task

from exitentry.compliance.reminders import remind
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


@task()
def daily_reminders(on: str | None = None) -> dict:
    """Send the reminders (``reminders.remind``) of ``on``, an ISO date, default today in Beijing; returns
    the reminders made by kind and the messages queued by channel."""
    summary = remind(date.fromisoformat(on) if on else beijing_today())
    return {
        "on": summary.on.isoformat(),
        "made": dict(summary.made),
        "messages": dict(summary.messages),
        "already": summary.already,
    }
