"""The appointments app's background tasks (django-tasks, ``settings.TASKS``).

``mark_no_shows`` is enqueued by the worker's scheduler every half hour (``settings.EXITENTRY_PERIODIC_TASKS``),
so soon after each hall closes and again on the days after, for a day or a case it missed; it is idempotent.
"""

from __future__ import annotations

from datetime import date

from django_tasks import task

from exitentry.appointments import noshow


@task()
def mark_no_shows(on: str | None = None) -> dict:
    """Mark the day's no-shows (``noshow.mark_no_shows``); ``on`` an ISO date, default today in Beijing."""
    return noshow.mark_no_shows(date.fromisoformat(on) if on else None)
