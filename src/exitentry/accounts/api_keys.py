"""API keys for machine clients: which scopes a role may grant, making a key (shown once), revoking it,
and finding the key a request sends (``api.auth``).

A key is ``ek_`` and 8 hexadecimal characters (the prefix, stored and shown, that finds the row by its
unique index) then ``_`` and 43 characters of a 256-bit secret. Only the SHA-256 digest of the whole key is
stored, compared in constant time; a secret that strong needs no slow hash, so checking a key is one
indexed read and one hash. Nothing about a key is cached: a revoked or expired key is refused from the
next request on.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from exitentry import clock
from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import ApiKey, User
from exitentry.bilingual import cited
from exitentry.compiled import STR_MARKER, KeyedQuery

STATUS_CHECK = "status:check"
UNIT_PEOPLE_READ = "unit:people:read"
UNIT_REPORTS_WRITE = "unit:reports:write"


@dataclass(frozen=True)
class Scope:
    """What people call a scope (``name``, in a key's list) and what it lets a key do (``does``); its code
    (``status:check``) is for the developers who call the API."""

    name: Promise
    does: Promise


SCOPES = {
    STATUS_CHECK: Scope(
        _("Status checks"),
        cited(_("Check a foreigner's status with their share code or document"), "regulations", "Art. 27"),
    ),
    UNIT_PEOPLE_READ: Scope(
        _("Read the unit's people"),
        _("Read the unit's foreign staff or students, their permits and what falls due"),
    ),
    UNIT_REPORTS_WRITE: Scope(
        _("File the unit's reports"), cited(_("File the unit's reports"), "regulations", "Art. 26")
    ),
}
LONGEST = timedelta(days=365)  # a key lives one year at most
USE_EVERY = timedelta(minutes=1)  # ``last_used_at`` is written at most this often

_TAG = "ek_"
_PREFIX_LENGTH = len(_TAG) + 8
_HEX = frozenset("0123456789abcdef")


def grantable(user: User) -> tuple[str, ...]:
    """The scopes ``user`` may give a key: an institution's account checks status (Art. 27); a unit
    administrator reads the unit's people and files its reports (Art. 26); nobody else makes keys."""
    if not policy.keeps_api_keys(user):
        return ()
    if policy.is_institution(user):
        return (STATUS_CHECK,)
    return (UNIT_PEOPLE_READ, UNIT_REPORTS_WRITE)  # a unit administrator


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    """A key just made: the row, and the key itself, which nobody sees again."""

    row: ApiKey
    key: str


class NotGrantable(ValueError):
    """A scope the maker's role may not give, or an expiry out of range."""


def issue(actor: Actor, name: str, scopes: list[str], expires_at: datetime) -> Issued:
    """Make a key for ``actor``'s account (and its unit), audited; the key is in the answer only."""
    user, now = actor.user, clock.now()
    if not scopes or not set(scopes) <= set(grantable(user)):
        raise NotGrantable(_("Choose at least one of the scopes offered."))
    if not now < expires_at <= now + LONGEST:
        raise NotGrantable(_("A key expires within one year."))
    for _attempt in range(3):  # a prefix already taken: draw again
        prefix = _TAG + secrets.token_hex(4)
        key = f"{prefix}_{secrets.token_urlsafe(32)}"
        row = ApiKey(
            name=name,
            prefix=prefix,
            digest=digest(key),
            scopes=sorted(scopes),
            unit=user.unit,
            created_by=user,
            created_at=now,
            expires_at=expires_at,
        )
        try:
            with transaction.atomic():
                row.save()
                record(
                    actor,
                    "api_key.create",
                    "api_key",
                    row.pk,
                    new={"name": name, "prefix": prefix, "scopes": row.scopes, "expires_at": expires_at},
                )
        except IntegrityError:
            continue
        return Issued(row, key)
    raise IntegrityError("no free API key prefix after three draws")


def kept_by(user: User):
    """The keys ``user`` sees and revokes: a unit administrator, the unit's; an institution's account, those
    it made (an institution is a unit too, whose desk accounts each keep their own)."""
    if not policy.keeps_api_keys(user):
        return ApiKey.objects.none()
    if policy.is_institution(user):
        return ApiKey.objects.filter(created_by_id=user.pk)
    return ApiKey.objects.filter(unit_id=user.unit_id)


def revoke(actor: Actor, key: ApiKey) -> bool:
    """Revoke ``key`` from now on, audited; False if it was revoked already (revoking again changes
    nothing)."""
    with transaction.atomic():
        if not ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=clock.now()):
            return False
        record(actor, "api_key.revoke", "api_key", key.pk, old={"name": key.name, "prefix": key.prefix})
    return True


_BY_PREFIX = KeyedQuery(
    lambda prefix: ApiKey.objects.select_related("created_by__unit").filter(prefix=prefix), marker=STR_MARKER
)


def find(key: str) -> ApiKey | None:
    """The stored key that ``key`` is (one indexed read), whatever its state; None for any other, read
    nowhere when its prefix is not one ``issue`` makes (a NUL in it, which PostgreSQL cannot look up)."""
    prefix = key[:_PREFIX_LENGTH]
    if len(key) <= _PREFIX_LENGTH or key[_PREFIX_LENGTH] != "_" or not prefix.startswith(_TAG):
        return None
    if not set(prefix[len(_TAG) :]) <= _HEX:
        return None
    rows = _BY_PREFIX(prefix)
    if rows and hmac.compare_digest(rows[0].digest, digest(key)):
        return rows[0]
    return None


def refusal(row: ApiKey, now: datetime) -> str | None:
    """Why a stored key may not be used now (``revoked``, ``expired``, ``owner``), or None."""
    owner = row.created_by
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at <= now:
        return "expired"
    if not owner.is_active or owner.unit_id != row.unit_id or not set(row.scopes) <= set(grantable(owner)):
        return "owner"  # the account left the unit, lost the role that made keys, or was switched off
    return None


def used(row: ApiKey, now: datetime) -> None:
    """Note that ``row`` was used now, writing at most once a minute per key."""
    last = row.last_used_at
    if last is None or now - last >= USE_EVERY:
        ApiKey.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
