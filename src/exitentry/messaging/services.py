"""``send``: record a message for an event and have it delivered in the background, once (``send_each``:
many messages, recorded together).

The message is written in the recipient's preferred language (the account's ``language``, whatever page its
user last read; else the site's, Chinese) from a
``Text`` of both; the outbox row is part of the caller's transaction, and its delivery is enqueued when that
commits. The same ``event_key`` again (a retried request, a periodic task run twice) sends nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django_tasks.base import Task

from exitentry.compiled import insert_new, insert_new_each
from exitentry.law.text import Text
from exitentry.messaging.models import Message
from exitentry.messaging.tasks import deliver


def language_of(user, acting=None) -> str:
    """The language the account prefers (``accounts.language``), else that of ``acting``, the account of
    the proxy or unit acting for the recipient where the message is about their errand, else the site's
    (Chinese); never the language of the page being answered."""
    return getattr(user, "language", "") or getattr(acting, "language", "") or settings.LANGUAGE_CODE


def message(
    event_key: str,
    recipient,
    subject: Text,
    body: Text,
    *,
    channel: str = Message.Channel.EMAIL,
    address: str | None = None,
    person_id: int | None = None,
    language: str | None = None,
    acting=None,
) -> Message:
    """The message for ``event_key`` to ``recipient`` (a user, or None for someone with no account yet,
    written in ``language``; else as ``language_of`` reads it, with ``acting``), not yet stored. ``address`` defaults to the user's e-mail address (an SMS
    needs it given); without one the message is recorded as failed, and not sent."""
    language = language or language_of(recipient, acting)
    if address is None:
        address = recipient.email if channel == Message.Channel.EMAIL else ""
    unsendable = "" if address else f"no {channel} address for this recipient"
    return Message(
        event_key=event_key,
        user=recipient,
        person_id=person_id,
        channel=channel,
        address=address,
        language=language,
        subject=subject.get(language)[:200],
        body=body.get(language),
        state=Message.State.FAILED if unsendable else Message.State.QUEUED,
        last_error=unsendable,
    )


def send(
    event_key: str, recipient, subject: Text, body: Text, *, delivery: Task = deliver, **options
) -> Message:
    """``message``, recorded and queued for delivery after the commit; the one already recorded when the
    event was seen before (``options``: as ``message`` takes them). ``delivery``: the task that sends it,
    given its id (``deliver``, or another that sends through ``tasks.send_now``)."""
    new = message(event_key, recipient, subject, body, **options)
    if not insert_new(new, ("event_key",)):  # recorded before (a retry, a task run twice): nothing more
        return Message.objects.get(event_key=event_key)
    _queue(new, delivery)
    return new


def send_each(messages: Sequence[Message]) -> list[Message]:
    """``send`` of many ``message``s, recorded together (``compiled.insert_new_each``: one statement, or one
    per as many as SQLite takes): those new, each queued; those whose event was seen before are left (a
    task run twice sends nothing more)."""
    new = insert_new_each(messages, ("event_key",))
    for m in new:
        _queue(m)
    return new


def _queue(message: Message, delivery: Task = deliver) -> None:
    if message.state == Message.State.QUEUED:
        transaction.on_commit(lambda: delivery.enqueue(message.pk))
