"""One-time links sent by e-mail (a unit's invitation, ``accounts.invitations``; an applicant's sign-up,
``accounts.registration``): the token (256 bits) is made as the message is sent, from the row's random seed
and the site's secret key, so a send run again makes the same link and never a second; only its SHA-256 is
stored, and the outbox keeps the message with the link hidden (``redaction.hidden``)."""

from __future__ import annotations

import base64
import hashlib

from django.db.models import QuerySet
from django.utils.crypto import salted_hmac

from exitentry import redaction
from exitentry.messaging.models import Message


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token(salt: str, event_key: str, seed: str) -> str:
    """The link's token: the row's event key and seed signed with the site's secret key (which the database
    does not hold) under ``salt``, so every run of the send makes the same."""
    signed = salted_hmac(salt, f"{event_key}:{seed}", algorithm="sha256")
    return base64.urlsafe_b64encode(signed.digest()).rstrip(b"=").decode()


def filled(message: Message, waiting: QuerySet, salt: str) -> str | None:
    """The message's body with its hidden link's token put in (``token``), its hash stored on the row
    ``waiting`` still holds (a one-row query: unused, unexpired); None when the row no longer waits or the
    body holds no hidden link."""
    if redaction.TOKEN_HIDDEN not in message.body or (row := waiting.first()) is None:
        return None
    secret = token(salt, message.event_key, row.token_seed)
    if not waiting.update(token_hash=digest(secret)):  # closed meanwhile
        return None
    return message.body.replace(redaction.TOKEN_HIDDEN, secret)
