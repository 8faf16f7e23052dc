"""``Idempotency-Key``: a write retried with the same key gets the first answer again and does nothing twice.

The key is claimed (a row, unique per user and key, inserted unless it is there) in the same transaction
as the write and its answer, so a retry arriving while the first request runs waits for it (PostgreSQL's
unique index; SQLite's one writer) and then reads its answer. A refusal (4xx) is an answer too and is
kept; a key reused for another request (method, path or body) is refused (422).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from ninja import Header, Status

from exitentry.api.errors import ApiError, describe, error_body
from exitentry.appointments.models import IdempotentAnswer
from exitentry.compiled import insert_new
from exitentry.law.text import Text

KEY = Header(
    alias="Idempotency-Key",
    min_length=1,
    max_length=100,
    pattern=r"^[\x21-\x7e]+$",  # no space: the web form's keys hold one (``web.form_once``), never these
    description=_("a key of your choosing, new for each request (e.g. a UUID); a retry sends the same key"),
)
_REUSED = Text(
    "This Idempotency-Key was used for another request; use a new key for each request.",
    "该 Idempotency-Key 已用于另一请求；每个请求请使用新的键。",
)


def once(request, key: str, write: Callable[[], tuple[int, dict]]) -> Status:
    """The answer of ``write`` (its status and JSON body), or of its first run under ``key``."""
    fingerprint = hashlib.sha256(
        b"\0".join([request.method.encode(), request.path.encode(), request.body])
    ).hexdigest()
    with transaction.atomic():
        claim = IdempotentAnswer(user=request.user, key=key, fingerprint=fingerprint, status=0, body={})
        if not insert_new(claim, ("user", "key")):  # taken before, or by a retry still in flight
            record = IdempotentAnswer.objects.get(user=request.user, key=key)
            if record.fingerprint != fingerprint:
                raise ApiError(422, "Idempotency-Key", _REUSED)
            return Status(record.status, record.body)
        try:
            with transaction.atomic():
                status, body = write()
        except Exception as exc:
            status, problems = describe(exc)
            if status >= 500:
                raise
            body = error_body(problems)
        IdempotentAnswer.objects.filter(pk=claim.pk).update(status=status, body=body)
    return Status(status, body)
