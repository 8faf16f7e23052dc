"""A booking form's idempotency key: the confirm step carries one, so its POST sent twice (a double click,
a resend after a lost answer) gets the first answer, the booking made, not a second booking nor a refusal.
Kept as the API's ``Idempotency-Key`` answers are (``IdempotentAnswer``, per account, purged after a day),
under a prefix with a space, which no API key may hold (``api.idempotency.KEY``): the two never meet. The
key answers only what it was sent for, its fingerprint the case, the slot and the booking moved: sent
for another, it is refused (``Reused``), not answered with the first booking."""

from __future__ import annotations

import hashlib
import secrets

from django.utils.translation import gettext

from exitentry.appointments.models import IdempotentAnswer
from exitentry.compiled import insert_new

_PREFIX = "web form "  # a space: never an API key's


class Reused(ValueError):
    """The form's key was sent before for another booking or time."""

    def __init__(self) -> None:
        super().__init__(gettext("This form was already sent for another time; choose the time again."))


def new_key() -> str:
    return secrets.token_urlsafe(16)


def _fingerprint(case_id: int, slot_id: int, move: str) -> str:
    return hashlib.sha256(f"web-form\0{case_id}\0{slot_id}\0{move}".encode()).hexdigest()


def earlier(user, key: str, *, case_id: int, slot_id: int, move: str = "") -> str | None:
    """The reference ``user`` booked under ``key`` before for this case, slot and move (``move``: the
    reference of the booking moved, or empty), or None once the key is claimed for this request (inside
    the caller's transaction: a refusal rolls the claim back, so the form may be sent again); ``Reused``
    when the key was sent for another."""
    if not key:
        return None
    fingerprint = _fingerprint(case_id, slot_id, move)
    claim = IdempotentAnswer(user=user, key=_PREFIX + key[:90], fingerprint=fingerprint, status=0, body={})
    if insert_new(claim, ("user", "key")):
        return None
    first = IdempotentAnswer.objects.get(user=user, key=claim.key)
    if first.fingerprint != fingerprint:
        raise Reused
    return first.body.get("reference")


def answered(user, key: str, reference: str) -> None:
    """Keep the booking made under ``key``: the answer a resent form gets."""
    if key:
        IdempotentAnswer.objects.filter(user=user, key=_PREFIX + key[:90]).update(
            status=302, body={"reference": reference}
        )
