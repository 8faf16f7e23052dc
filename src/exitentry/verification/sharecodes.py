"""Share codes: made by the holder, shown once, typed back by an institution, revoked.

A code is 12 characters of Crockford's base32 (60 random bits) in three groups, ``K7QM-3XZP-9RTD``: short
enough to read out and type, with no I, L, O or U to misread; typing is forgiving (any case, spaces or
dashes, O for 0, I or L for 1). What is stored is an HMAC-SHA256 of the normalised code under the site's
secret key, so the database alone does not give the codes back, and one indexed lookup finds a typed
code. Rotating the secret key ends every running code (they last 30 days at most).

The purposes and their durations are the project's choices: Art. 27 names the institutions (finance,
education, medical care, telecommunications), not how long a holder's consent may run.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.crypto import salted_hmac

from exitentry import clock
from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import Role
from exitentry.law.rules.verification import VERIFYING_KINDS
from exitentry.verification.models import Purpose, ShareCode

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
LENGTH = 12
GROUP = 4
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SALT = "exitentry.verification.share-code"

# How long a holder may let a code run: the choices the form offers, from an hour to 30 days.
DURATIONS = {
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}

# Which kind of institution (``accounts.Unit.Kind``) checks for which purpose: each kind Art. 27 lets ask
# for verification (``law.rules.verification.VERIFYING_KINDS``) for the purpose of its name, an employer
# for work; a kind with no purpose fails here, on import.
PURPOSE_OF_KIND = {kind: Purpose("work" if kind == "employer" else kind) for kind in VERIFYING_KINDS}


def new_code() -> str:
    """A fresh code, grouped for reading: ``K7QM-3XZP-9RTD``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(typed: str) -> str | None:
    """The code as typed, without spaces or dashes, in capitals; None if it cannot be a code."""
    code = "".join(typed.split()).replace("-", "").upper().translate(_TYPED)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def digest(code: str) -> str:
    """The stored form of a normalised code."""
    return salted_hmac(_SALT, code, algorithm="sha256").hexdigest()


class NotTheHolder(PermissionDenied):
    """Only the holder gives consent (see ``may_share``)."""


def may_share(user) -> bool:
    """Whether ``user`` may make and revoke share codes: an applicant account linked to its registry record.

    Recorded choice, from the project's proxy rules: a proxy, agency or unit acts for a person in the
    procedures whose proxy line allows it (``law.intake``: submitting an application), and a share code is
    not a procedure but the holder's own consent to show their status to an institution; so only the
    holder makes, sees and revokes their codes and the checks made with them (the administrator may only
    take a code back, ``withdraw``).
    """
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.APPLICANT
        and user.person_id is not None
    )


def make(actor: Actor, purpose: str, duration: str) -> tuple[ShareCode, str]:
    """A new code of the actor's own for ``purpose`` running for ``duration`` (a key of ``DURATIONS``);
    the code itself is returned once and never stored."""
    user = actor.user
    if user is None or not may_share(user):
        raise NotTheHolder("only the holder makes share codes")
    if purpose not in Purpose.values or duration not in DURATIONS:
        raise ValueError(f"unknown purpose {purpose!r} or duration {duration!r}")
    code = new_code()
    plain = normalise(code)
    now = clock.now()
    with transaction.atomic():
        share = ShareCode.objects.create(
            person_id=user.person_id,
            created_by=user,
            purpose=purpose,
            digest=digest(plain),
            hint=plain[-GROUP:],
            created_at=now,
            expires_at=now + DURATIONS[duration],
        )
        record(
            actor,
            "share-code.create",
            "share-code",
            share.pk,
            new={"purpose": purpose, "expires_at": share.expires_at.isoformat()},
        )
    return share, code


def revoke(actor: Actor, code_id: int) -> ShareCode:
    """Revoke one of the actor's own codes (``ShareCode.DoesNotExist`` for any other)."""
    user = actor.user
    if user is None or not may_share(user):
        raise NotTheHolder("only the holder revokes share codes")
    return _revoke(actor, ShareCode.objects.filter(pk=code_id, person_id=user.person_id))


def withdraw(actor: Actor, code_id: int) -> ShareCode:
    """The administrator revokes a code in the admin (a holder who reports a code given to the wrong
    hands): the holder's consent can always be taken back, never given by anyone else."""
    if actor.user is None or not policy.is_administrator(actor.user):
        raise PermissionDenied("only the administrator withdraws another's share code")
    return _revoke(actor, ShareCode.objects.filter(pk=code_id))


def _revoke(actor: Actor, codes) -> ShareCode:
    with transaction.atomic():
        share = codes.select_for_update().get()
        if share.revoked_at is None:
            share.revoked_at = clock.now()
            share.save(update_fields=["revoked_at"])
            record(
                actor,
                "share-code.revoke",
                "share-code",
                share.pk,
                new={"revoked_at": share.revoked_at.isoformat()},
            )
    return share
