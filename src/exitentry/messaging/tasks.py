"""The delivery of one message, in the background: retried by the worker while it fails."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import F
from django_tasks import task

from exitentry import clock
from exitentry.messaging import channels
from exitentry.messaging.models import Message


@task()
def deliver(message_id: int) -> str:
    """Send the message unless it was sent; its state, attempts and last error recorded either way. A
    failure is raised again, so the worker tries later. No lock is held while the channel sends (an SMTP
    server may take its time): one task delivers a message, and the worker runs a task once at a time."""
    return send_now(message_id)


def send_now(message_id: int, complete: Callable[[Message], str] | None = None) -> str:
    """``deliver``, the body sent being ``complete(message)`` where one is given: a secret the outbox must
    not keep (an invitation's token, ``accounts.invitations``) is put in at each try, and never stored."""
    message = Message.objects.get(pk=message_id)
    if message.state == Message.State.SENT:
        return "already sent"
    if complete is not None:
        message.body = complete(message)  # this copy is sent, never saved: the states are updates
    try:
        channels.deliver(message)
    except Exception as exc:
        Message.objects.filter(pk=message_id).update(
            attempts=F("attempts") + 1, state=Message.State.FAILED, last_error=f"{type(exc).__name__}: {exc}"
        )
        raise
    Message.objects.filter(pk=message_id).update(
        attempts=F("attempts") + 1, state=Message.State.SENT, sent_at=clock.now(), last_error=""
    )
    return "sent"
