"""The accounts app's background tasks (django-tasks, ``settings.TASKS``).

``write_audit_checkpoint`` is enqueued every ``settings.AUDIT_CHECKPOINT_EVERY`` seconds by the scheduler of
``exitentry worker`` (``settings.EXITENTRY_PERIODIC_TASKS``); ``exitentry audit checkpoint`` does the same by hand.
``release_sign_ups`` is enqueued every hour: the accounts whose sign-up expired unconfirmed give up their
usernames and e-mail addresses (``registration.release_unconfirmed``).
"""

from __future__ import annotations

from django_tasks import task

from exitentry.accounts import checkpoints, registration


@task()
def write_audit_checkpoint() -> dict:
    """Append a signed checkpoint of every audit chain's head to the checkpoint file."""
    written = checkpoints.write()
    return {"at": written.at.isoformat(), "chains": len(written.heads), "entries": written.entries}


@task()
def release_sign_ups() -> dict:
    """Release the accounts whose sign-up's link expired unconfirmed."""
    return {"released": registration.release_unconfirmed()}
