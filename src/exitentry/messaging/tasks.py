"""The delivery of one message, in the background: retried by the worker while it fails."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from exitentry import clock
from exitentry.messaging import channels
from exitentry.messaging.models import Message


@task()
def deliver(message_id: int) -> str:
    """Send the message unless it was sent; its state, attempts and last error recorded either way. A
    failure is raised again, so the worker tries later."""
    failure: Exception | None = None
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        if message.state == Message.State.SENT:
            return "already sent"
        try:
            channels.deliver(message)
        except Exception as exc:
            failure = exc
        message.attempts += 1
        if failure is None:
            message.state, message.sent_at, message.last_error = Message.State.SENT, clock.now(), ""
        else:
            message.state, message.last_error = Message.State.FAILED, f"{type(failure).__name__}: {failure}"
        message.save(update_fields=["attempts", "state", "sent_at", "last_error"])
    if failure is not None:
        raise failure
    return "sent"
