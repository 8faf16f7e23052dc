"""The cases app's background task (django-tasks, ``settings.TASKS``): drafts left untouched expire.

Enqueued once a day by the worker's scheduler (``settings.EXITENTRY_PERIODIC_TASKS``); running a day
again closes and sends nothing more (``cases.expiry``).
"""

from __future__ import annotations

from datetime import date

from django_tasks import task

from exitentry.cases import expiry
from exitentry.law.calendar import beijing_today


@task()
def expire_drafts(on: str | None = None) -> dict:
    """Close the drafts expired by ``on`` (an ISO date, default today in Beijing) and remind of those
    expiring soon; the counts."""
    done = expiry.run(date.fromisoformat(on) if on else beijing_today())
    return {"on": done.on.isoformat(), "expired": done.expired, "reminded": done.reminded}
