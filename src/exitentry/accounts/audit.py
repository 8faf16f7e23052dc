"""The audit trail: append an entry (sealed with a key, chained to the one before) and verify every chain.

Entries are appended inside the caller's transaction (with no savepoint of their own), so a state change
and its audit entry are stored together or not at all. There are ``CHAINS`` chains; a process appends to
one of them (by its process id). Appending moves that chain's head row from the last entry the process knows of to the new one, in
one ``UPDATE ... WHERE`` naming both the count and the hash it expects; the update locks the row until
the transaction ends, so the entries of a chain get consecutive numbers and each names its predecessor's
hash. When the head has moved on (another process on the chain, or a rolled-back transaction), nothing
is updated and the head is read again, locked. Web workers append to different chains and do not wait
for each other; editing, removing or reordering any entry still breaks its chain.

An entry's hash is an HMAC-SHA256 under the current key of ``settings.AUDIT_KEYRING`` (kept outside the
database; the entry names it), so whoever can write the database but lacks the key cannot seal a changed
chain again. Signed checkpoints of the chains' heads, kept outside the database (``checkpoints``), pin
what the trail held then: ``verify`` finds a tail cut off since, and refuses an entry made with a retired
key after a checkpoint signed with the current one (a leaked old key cannot add entries).

Every read of personal data appends an entry, so the statements of an append are written once per
database from the models' own table and column names, and their values prepared by the models' own
fields, instead of being compiled by the ORM on every call (that compiling cost more than the database's
work: 0.81 -> 0.46 ms CPU an append on the benchmark machine, old and new code taking turns). On
PostgreSQL moving the head and storing the entry are one statement (a data-modifying ``WITH``), atomic
by itself: a read outside any transaction (a status check) appends and commits in one round trip, with
no ``BEGIN`` and ``COMMIT`` of its own, and the commit is as durable as any other.
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from exitentry import clock
from exitentry.accounts import checkpoints
from exitentry.accounts.keyring import Keyring
from exitentry.accounts.models import ApiKey, AuditEntry, AuditHead, User
from exitentry.throttling import client_address

GENESIS = "0" * 64
CHAINS = 16


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, and from where (the request's address; None for the command line), and with which API
    key (``api.auth``: the key's account is then the user)."""

    user: User | None
    ip: str | None = None
    key: ApiKey | None = None

    @classmethod
    def of(cls, request) -> Actor:
        """The signed-in user of a request, and its address (``throttling.client_address``: behind the
        reverse proxy, the caller's, not the proxy's)."""
        return cls(
            request.user if request.user.is_authenticated else None,
            client_address(request),
            getattr(request, "api_key", None),
        )

    @property
    def name(self) -> str:
        return self.user.get_username() if self.user else "system"

    @property
    def role(self) -> str:
        return self.user.role if self.user else "system"


def body(entry: AuditEntry) -> bytes:
    """What an entry's hash seals: its place, its predecessor's hash, its key id and every field."""
    return json.dumps(
        {
            "prev": entry.prev_hash,
            "chain": entry.chain,
            "seq": entry.seq,
            "at": entry.at.isoformat(),
            "key": entry.key_id,
            **_fields(entry),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    ).encode()


def _fields(entry: AuditEntry) -> dict:
    used = (
        {"api_key": entry.api_key_id} if entry.api_key_id else {}
    )  # entries made before keys seal as they did
    return used | {
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "role": entry.role,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "old": entry.old,
        "new": entry.new,
        "ip": entry.ip,
    }


def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    *,
    old: dict | None = None,
    new: dict | None = None,
) -> AuditEntry:
    """Append one entry: ``action`` (e.g. ``case.accept``, ``person.read``) on one object."""
    entry = _entry(actor, action, object_type, object_id, old, new)
    alias = router.db_for_write(AuditEntry)
    head = _known_heads.get(entry.chain)
    # One statement is atomic alone (committed now, or with the caller's transaction); two, or a head to
    # read locked, need a transaction: the caller's, if any, is the entry's.
    if not (head and _one_statement(alias) and _append(entry, alias, *head)):
        with transaction.atomic(using=alias, savepoint=False):
            if head is None or _one_statement(alias) or not _append(entry, alias, *head):
                _append(entry, alias, *_locked_head(entry.chain))  # locked: it cannot have moved
    _key_audited(actor)
    return entry


def record_each(
    actor: Actor, action: str, object_type: str, changes: Sequence[tuple[object, dict | None, dict | None]]
) -> list[AuditEntry]:
    """``record`` of ``action`` on many objects, ``(object_id, old, new)`` each, as consecutive entries of
    the chain: its head read locked and moved once, the entries stored together, in as many statements
    for a thousand objects as for one (a daily run over all drafts)."""
    entries = [_entry(actor, action, object_type, *change) for change in changes]
    if not entries:
        return []
    chain = entries[0].chain
    alias = router.db_for_write(AuditEntry)
    with transaction.atomic(using=alias, savepoint=False):
        count, last_hash = _sealed(entries, *_locked_head(chain))
        AuditHead.objects.using(alias).filter(pk=chain).update(count=count, last_hash=last_hash)
        AuditEntry.objects.using(alias).bulk_create(entries)
    _known_heads[chain] = (count, last_hash)
    _key_audited(actor)
    return entries


def record_each_migrating(
    apps, action: str, object_type: str, changes: Sequence[tuple[object, dict | None, dict | None]]
) -> None:
    """``record_each`` by the system, for a data migration: the rows stored through the migration state's
    models (``apps``), so the table is the one that migration sees, whatever columns a later accounts
    migration adds. Each entry is sealed as every other of its chain is, and as ``verify`` reads it back:
    ``body`` of the entry as the current models hold it, under the keyring's current key (kept outside the
    database); a chain has one way of sealing, which a migration cannot keep a copy of. The limit of this:
    a later change that renames or drops an entry's field, or seals another, must keep the migrations that
    call this running on a fresh database (their tests migrate and then ``verify``)."""
    entries = [_entry(Actor(None), action, object_type, *change) for change in changes]
    if not entries:
        return
    Entry, Head = apps.get_model("accounts", "AuditEntry"), apps.get_model("accounts", "AuditHead")
    chain = entries[0].chain
    with transaction.atomic(savepoint=False):
        head = Head.objects.select_for_update().filter(pk=chain).values_list("count", "last_hash").first()
        if head is None:
            Head.objects.create(pk=chain, count=0, last_hash=GENESIS)
        count, last_hash = _sealed(entries, *(head or (0, GENESIS)))
        Head.objects.filter(pk=chain).update(count=count, last_hash=last_hash)
        stored = [f.attname for f in Entry._meta.concrete_fields if not f.primary_key]
        Entry.objects.bulk_create([Entry(**{name: getattr(e, name) for name in stored}) for e in entries])
    _known_heads[chain] = (count, last_hash)


def _sealed(entries: list[AuditEntry], count: int, last_hash: str) -> tuple[int, str]:
    """Number and seal ``entries`` in order after the head (count, last hash); the head after them."""
    for entry in entries:
        entry.seq, entry.prev_hash = count + 1, last_hash
        entry.hash = settings.AUDIT_KEYRING.seal(entry.key_id, body(entry))
        count, last_hash = entry.seq, entry.hash
    return count, last_hash


def _entry(
    actor: Actor, action: str, object_type: str, object_id: object, old: dict | None, new: dict | None
) -> AuditEntry:
    """An entry not yet numbered, on this process's chain."""
    return AuditEntry(
        chain=os.getpid() % CHAINS + 1,
        at=clock.now(),
        actor=actor.user,
        actor_name=actor.name,
        role=actor.role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        old=_roundtrip(old),  # hash what the database will give back, so verify() reproduces it
        new=_roundtrip(new),
        ip=actor.ip,
        api_key=actor.key,
        key_id=settings.AUDIT_KEYRING.current,
    )


def _key_audited(actor: Actor) -> None:
    if actor.key is not None:
        actor.key.audited = True  # this request's use of the key is in the trail (``api.middleware``)


_known_heads: dict[int, tuple[int, str]] = {}  # chain -> (count, last hash) as this process last left it
_ENTRY_FIELDS = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]


def _one_statement(alias: str) -> bool:
    """Whether moving the head and storing the entry is one statement there (PostgreSQL: a data-modifying
    ``WITH``); SQLite runs them as two, in a transaction."""
    return connections[alias].vendor == "postgresql"


def _append(entry: AuditEntry, alias: str, count: int, last_hash: str) -> bool:
    """Number and hash ``entry`` after the given head; if the head is still there, move it to the entry and
    store the entry, each value prepared by its model field (as ``save(force_insert=True)`` would)."""
    entry.seq, entry.prev_hash = count + 1, last_hash
    entry.hash = settings.AUDIT_KEYRING.seal(entry.key_id, body(entry))
    connection = connections[alias]
    move = (entry.seq, entry.hash, entry.chain, count, last_hash)
    values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in _ENTRY_FIELDS]
    update, insert, both = _statements(alias)
    with connection.cursor() as cursor:
        if _one_statement(alias):
            cursor.execute(both, (*move, *values))
        else:
            cursor.execute(update, move)
            if cursor.rowcount != 1:
                return False
            cursor.execute(insert, values)
        stored = cursor.fetchone()
    if stored is None:  # the head had moved on: nothing was written
        return False
    entry.pk, entry._state.adding, entry._state.db = stored[0], False, alias
    _known_heads[entry.chain] = (entry.seq, entry.hash)
    return True


@cache
def _statements(alias: str) -> tuple[str, str, str]:
    """Moving a chain's head only if it is where the caller saw it; storing one entry; both at once."""
    quote = connections[alias].ops.quote_name
    head, entries = quote(AuditHead._meta.db_table), quote(AuditEntry._meta.db_table)
    count, last_hash = (quote(AuditHead._meta.get_field(f).column) for f in ("count", "last_hash"))
    pk = quote(AuditHead._meta.pk.column)
    update = f"UPDATE {head} SET {count} = %s, {last_hash} = %s WHERE {pk} = %s AND {count} = %s AND {last_hash} = %s"
    columns = ", ".join(quote(f.column) for f in _ENTRY_FIELDS)
    placeholders = ", ".join(["%s"] * len(_ENTRY_FIELDS))
    entry_pk = quote(AuditEntry._meta.pk.column)
    insert = f"INSERT INTO {entries} ({columns}) VALUES ({placeholders}) RETURNING {entry_pk}"
    both = (
        f"WITH moved AS ({update} RETURNING {pk}) "
        f"INSERT INTO {entries} ({columns}) SELECT {placeholders} FROM moved RETURNING {entry_pk}"
    )
    return update, insert, both


def _locked_head(chain: int) -> tuple[int, str]:
    """The chain's head (count, last hash), locked; made on first use (a worker losing that race reads it)."""
    head = AuditHead.objects.select_for_update().filter(pk=chain).values_list("count", "last_hash").first()
    if head is None:
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=chain)
        except IntegrityError:
            pass
        head = AuditHead.objects.select_for_update().values_list("count", "last_hash").get(pk=chain)
    return head


def record_list(actor: Actor, listing: str, page: object, case_ids: list[int]) -> None:
    """One entry for a page of cases shown with their people's names: which cases were on it."""
    if case_ids:
        record(actor, "case.list", listing, f"page {page}", new={"cases": case_ids})


def record_alert_list(actor: Actor, page: object, shown: list[tuple[int, int]]) -> None:
    """One entry for a page of alerts shown with their people's names (``shown``: each row's alert id and
    person id): which alerts and which people were on it."""
    if shown:
        alerts = [alert for alert, _ in shown]
        people = list(dict.fromkeys(person for _, person in shown))
        record(actor, "person.list", "alerts", f"page {page}", new={"alerts": alerts, "people": people})


def _roundtrip(value: dict | None) -> dict | None:
    return None if value is None else json.loads(json.dumps(value, default=str))


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    checked: int
    broken_at: int | None = None  # the sequence number, in its chain, of the first entry that does not fit
    chain: int | None = None  # None when a checkpoint itself does not fit
    reason: str = ""
    checkpoints: int = 0  # how many checkpoints the trail was held to
    latest: datetime | None = None  # when the latest of them was taken


@dataclass(slots=True)
class _Pins:
    """What the checkpoints say of one chain."""

    hashes: dict[int, tuple[str, str]] = field(default_factory=dict)  # seq -> (hash, the checkpoint's time)
    current_from: int | None = None  # the first head signed with the current key: later entries need it


def verify(batch: int = 5000) -> Verdict:
    """Walk every chain in order; report the first entry whose seal, predecessor, number or checkpoint
    does not fit, or the first checkpoint that is not signed right."""
    ring = settings.AUDIT_KEYRING
    try:
        signed = checkpoints.read()  # before the heads: whatever a checkpoint names is in the database
    except checkpoints.CheckpointError as exc:
        return Verdict(False, 0, reason=f"checkpoint {exc}")
    pins: dict[int, _Pins] = {}
    for checkpoint in signed:
        when = timezone.localtime(checkpoint.at).isoformat(timespec="seconds")
        for chain, (count, last_hash) in checkpoint.heads.items():
            pin = pins.setdefault(chain, _Pins())
            pin.hashes.setdefault(count, (last_hash, when))  # the oldest: a later one cannot launder it
            if checkpoint.key_id == ring.current and pin.current_from is None:  # the first, oldest first
                pin.current_from = count
    counts = {"checkpoints": len(signed), "latest": signed[-1].at if signed else None}
    checked = 0
    heads = {h.pk: h for h in AuditHead.objects.all()}
    chains = set(heads) | set(AuditEntry.objects.values_list("chain", flat=True).distinct()) | set(pins)
    for chain in sorted(chains):
        verdict = _verify_chain(chain, heads.get(chain), pins.get(chain, _Pins()), ring, batch)
        checked += verdict.checked
        if not verdict.ok:
            return Verdict(False, checked, verdict.broken_at, chain, verdict.reason, **counts)
    return Verdict(True, checked, **counts)


def _verify_chain(chain: int, head: AuditHead | None, pins: _Pins, ring: Keyring, batch: int) -> Verdict:
    prev, expected_seq, checked, last_seq = GENESIS, 1, 0, 0
    while True:
        entries = list(AuditEntry.objects.filter(chain=chain, seq__gt=last_seq).order_by("seq")[:batch])
        if not entries:
            break
        for e in entries:
            if e.seq != expected_seq:
                return Verdict(False, checked, expected_seq, chain, f"entry {expected_seq} is missing")
            if e.prev_hash != prev:
                return Verdict(False, checked, e.seq, chain, "it does not name the previous entry's hash")
            reason = _unsealed(e, pins, ring)
            if reason:
                return Verdict(False, checked, e.seq, chain, reason)
            prev, expected_seq, checked = e.hash, expected_seq + 1, checked + 1
        last_seq = entries[-1].seq
    top = max(pins.hashes, default=0)
    if top > checked:
        reason = (
            f"entries {checked + 1} to {top}, signed in the checkpoint of {pins.hashes[top][1]}, were removed"
        )
        return Verdict(False, checked, checked + 1, chain, reason)
    if head is None or head.count != checked or head.last_hash != prev:
        return Verdict(False, checked, checked + 1, chain, "entries after the last one found were removed")
    return Verdict(True, checked)


def _unsealed(entry: AuditEntry, pins: _Pins, ring: Keyring) -> str:
    """Why ``entry`` is not sealed as the keyring and the checkpoints say it must be ("" when it is)."""
    if not entry.key_id:
        return (
            "it was made without a key, before the trail was keyed (start a new database: docs/security.md)"
        )
    if entry.key_id not in ring.keys:
        return f"it was made with the key {entry.key_id!r}, which the keyring does not hold"
    if entry.key_id != ring.current and pins.current_from is not None and entry.seq > pins.current_from:
        return f"it was made with the retired key {entry.key_id!r} after a checkpoint signed with the current key"
    if not hmac.compare_digest(ring.seal(entry.key_id, body(entry)), entry.hash):
        return "its content does not match its hash"
    signed = pins.hashes.get(entry.seq)
    if signed and signed[0] != entry.hash:
        return f"its hash differs from the one signed in the checkpoint of {signed[1]}"
    return ""
