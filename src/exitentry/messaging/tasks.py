"""The delivery of one message, in the background: retried by the worker while it fails."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db.models import F
from django_tasks import TaskContext, task

from exitentry import clock, redaction
from exitentry.messaging import channels
from exitentry.messaging.models import Message


class NotToBeSent(Exception):
    """The message is no longer to be sent (an invitation withdrawn while it waited): recorded failed, with
    this reason, and not tried again."""


COMPLETIONS: dict[str, Callable[[Message], str]] = {}
"""The start of an event key -> how the messages of such events are completed as they are sent
(``send_now``), whichever task sends them: registered by the app that writes them (``accounts.apps``)."""


@task(takes_context=True)
def deliver(context: TaskContext, message_id: int) -> str:
    """Send the message unless it was sent; its state, attempts and last error recorded either way. A
    failure is raised again, so the worker tries later. No lock is held while the channel sends (an SMTP
    server may take its time): one task delivers a message, and the worker runs a task once at a time."""
    return send_now(message_id, last_try=last_try(context))


def last_try(context: TaskContext) -> bool:
    """Whether the worker runs this task for the last time (``background.worker.retry_or_fail``)."""
    return context.attempt >= settings.EXITENTRY_TASK_ATTEMPTS


def send_now(message_id: int, *, last_try: bool = False) -> str:
    """``deliver``, the body sent being ``complete(message)`` where ``COMPLETIONS`` has one for its event: a
    secret the outbox must not keep (an invitation's token, ``accounts.invitations``) is put in at each try,
    and never stored. ``complete`` raises ``NotToBeSent`` for a message no longer to be sent (checked as the
    task runs, however long it waited). Once the message is sent, or
    failed for good (``last_try``, or not to be sent), the outbox keeps its body with the secrets of its
    paths hidden (``redaction.hidden``): an invitation queued with its link before the outbox hid them."""
    message = Message.objects.get(pk=message_id)
    if message.state == Message.State.SENT:
        return "already sent"
    hidden = redaction.hidden(message.body)
    stored = {"body": hidden} if hidden != message.body else {}
    complete = next((c for start, c in COMPLETIONS.items() if message.event_key.startswith(start)), None)
    try:
        if complete is not None:
            message.body = complete(message)  # this copy is sent, never saved: the states are updates
        channels.deliver(message)
    except NotToBeSent as exc:
        Message.objects.filter(pk=message_id).update(
            state=Message.State.FAILED, last_error=str(exc), **stored
        )
        return "not to be sent"
    except Exception as exc:
        Message.objects.filter(pk=message_id).update(
            attempts=F("attempts") + 1,
            state=Message.State.FAILED,
            last_error=f"{type(exc).__name__}: {exc}",
            **(stored if last_try else {}),
        )
        raise
    Message.objects.filter(pk=message_id).update(
        attempts=F("attempts") + 1, state=Message.State.SENT, sent_at=clock.now(), last_error="", **stored
    )
    return "sent"
