"""A booking form's idempotency key: the confirm step carries one, so its POST sent twice (a double click,
a resend after a lost answer) gets the first answer, the booking made, not a second booking nor a refusal.
Kept as the API's ``Idempotency-Key`` answers are (``IdempotentAnswer``, purged after a day)."""

from __future__ import annotations

import secrets

from exitentry.appointments.models import IdempotentAnswer
from exitentry.compiled import insert_new

_FORM = "web-form"  # the fingerprint of a form's key: the API's keys fingerprint their request instead


def new_key() -> str:
    return secrets.token_urlsafe(16)


def earlier(user, key: str) -> str | None:
    """The reference ``user`` booked under ``key`` before, or None once the key is claimed for this request
    (inside the caller's transaction: a refusal rolls the claim back, so the form may be sent again)."""
    if not key:
        return None
    claim = IdempotentAnswer(user=user, key=f"form:{key[:90]}", fingerprint=_FORM, status=0, body={})
    if insert_new(claim, ("user", "key")):
        return None
    return IdempotentAnswer.objects.get(user=user, key=claim.key).body.get("reference")


def answered(user, key: str, reference: str) -> None:
    """Keep the booking made under ``key``: the answer a resent form gets."""
    if key:
        IdempotentAnswer.objects.filter(user=user, key=f"form:{key[:90]}").update(
            status=302, body={"reference": reference}
        )
