"""How a message leaves: e-mail through Django's e-mail backend (``EMAIL_*`` settings), SMS through the
class ``settings.EXITENTRY_SMS_BACKEND`` names (any class with ``send(number, text)``; the default only logs,
until a gateway is chosen)."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from exitentry.messaging.models import Message

logger = logging.getLogger("exitentry.messaging")


class Sms(Protocol):
    def send(self, number: str, text: str) -> None: ...


class LoggingSms:
    """An SMS gateway that only writes the message to the log."""

    def send(self, number: str, text: str) -> None:
        logger.info("SMS to %s: %s", number, text)


def deliver(message: Message) -> None:
    """Send ``message`` on its channel; any exception says it was not sent."""
    if message.channel == Message.Channel.EMAIL:
        EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.address]).send()
    elif message.channel == Message.Channel.SMS:
        import_string(settings.EXITENTRY_SMS_BACKEND)().send(
            message.address, f"{message.subject}: {message.body}"
        )
    else:
        raise ValueError(f"unknown channel {message.channel!r}")
