"""The accounts app's background tasks (django-tasks, ``settings.TASKS``).

``write_audit_checkpoint`` is meant to be enqueued every ``settings.AUDIT_CHECKPOINT_EVERY`` seconds by a
scheduler; until the project runs one, ``exitentry audit checkpoint`` from cron does the same.
"""

from __future__ import annotations

from django_tasks import task

from exitentry.accounts import checkpoints


@task()
def write_audit_checkpoint() -> dict:
    """Append a signed checkpoint of every audit chain's head to the checkpoint file."""
    written = checkpoints.write()
    return {"at": written.at.isoformat(), "chains": len(written.heads), "entries": written.entries}
