"""The web app's background task (django-tasks, ``settings.TASKS``): secrets shown once do not outlive
their time (``shown_once``), even when their page is never loaded.

Enqueued every minute by the worker's scheduler (``settings.EXITENTRY_PERIODIC_TASKS``).
"""

from __future__ import annotations

from django_tasks import task

from exitentry.web import shown_once


@task()
def purge_shown_once() -> dict:
    """Delete every secret held for a page past ``shown_once.TTL_SECONDS``; how many."""
    return {"purged": shown_once.purge()}
