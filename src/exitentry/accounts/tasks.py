"""The accounts app's background tasks (django-tasks, ``settings.TASKS``).

``write_audit_checkpoint`` is enqueued every ``settings.AUDIT_CHECKPOINT_EVERY`` seconds by the scheduler of
``exitentry worker`` (``settings.EXITENTRY_PERIODIC_TASKS``); ``exitentry audit checkpoint`` does the same by hand.
"""

from __future__ import annotations

from django_tasks import task

from exitentry.accounts import checkpoints


@task()
def write_audit_checkpoint() -> dict:
    """Append a signed checkpoint of every audit chain's head to the checkpoint file."""
    written = checkpoints.write()
    return {"at": written.at.isoformat(), "chains": len(written.heads), "entries": written.entries}
