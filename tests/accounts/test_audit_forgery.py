"""Tried as a database administrator would: triggers dropped, entries forged and sealed again with the
project's own function, the tail cut and the head moved back. Without the audit key, ``verify`` finds it;
with the key, the checkpoints kept outside the database still do, for what they cover."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction

from audit_helpers import write_as_database_owner
from exitentry.accounts import audit, checkpoints
from exitentry.accounts.audit import Actor, record, verify
from exitentry.accounts.keyring import Keyring
from exitentry.accounts.models import AuditEntry, AuditHead
from exitentry.cli import main
from factories import UserFactory

pytestmark = pytest.mark.django_db


def _entries(n: int) -> list[AuditEntry]:
    who = Actor(UserFactory(), "10.1.2.3")
    return [record(who, "person.read", "person", i, new={"field": "passport"}) for i in range(n)]


def _forge_and_rechain(seal: Callable[[AuditEntry], str], seq: int) -> None:
    """Change entry ``seq`` of the chain, seal it and every later one again with ``seal``, move the head."""
    entries = list(AuditEntry.objects.order_by("seq"))
    entries[seq - 1].object_id = "someone else"
    prev = entries[seq - 2].hash if seq > 1 else audit.GENESIS
    for e in entries[seq - 1 :]:
        e.prev_hash = prev
        e.hash = prev = seal(e)
        write_as_database_owner(
            "UPDATE accounts_auditentry SET object_id = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [e.object_id, e.prev_hash, e.hash, e.pk],
        )
    AuditHead.objects.filter(pk=entries[0].chain).update(last_hash=prev)


def _unkeyed(entry: AuditEntry) -> str:
    return hashlib.sha256(audit.body(entry)).hexdigest()  # the trail's hash before it was keyed


def _guessed_key(entry: AuditEntry) -> str:
    return Keyring(entry.key_id, {entry.key_id: b"a key the attacker made up " * 2}).seal(
        entry.key_id, audit.body(entry)
    )


@pytest.mark.parametrize("seal", [_unkeyed, _guessed_key], ids=["unkeyed-sha256", "guessed-key"])
def test_an_entry_forged_and_sealed_again_without_the_key_fails_verify(seal, capsys) -> None:
    _entries(5)
    _forge_and_rechain(seal, 2)
    verdict = verify()
    assert (verdict.ok, verdict.broken_at, verdict.reason) == (
        False,
        2,
        "its content does not match its hash",
    )
    assert main(["audit", "verify"]) == 1
    assert "broken at entry 2 of chain" in capsys.readouterr().out


def test_an_entry_added_without_the_key_fails_verify() -> None:
    """A read that never happened, appended where the next one would go, head moved to it."""
    entries = _entries(5)
    fake = AuditEntry(**{f.attname: getattr(entries[2], f.attname) for f in AuditEntry._meta.concrete_fields})
    fake.pk, fake.seq, fake.prev_hash, fake.object_id = None, 6, entries[4].hash, "someone else"
    fake.hash = _guessed_key(fake)
    fake.save()
    AuditHead.objects.filter(pk=fake.chain).update(count=6, last_hash=fake.hash)
    verdict = verify()
    assert (verdict.ok, verdict.broken_at, verdict.reason) == (
        False,
        6,
        "its content does not match its hash",
    )


def test_whoever_holds_the_key_is_still_caught_by_a_checkpoint_for_what_it_covers(settings) -> None:
    def with_the_key(entry: AuditEntry) -> str:
        return settings.AUDIT_KEYRING.seal(entry.key_id, audit.body(entry))

    _entries(3)
    checkpoints.write()
    _entries(2)
    _forge_and_rechain(with_the_key, 2)
    verdict = verify()
    assert (verdict.ok, verdict.broken_at) == (False, 3)  # the entry the checkpoint signed
    assert "differs from the one signed in the checkpoint" in verdict.reason
    checkpoints.write()  # nor does a checkpoint taken after the forgery make it good
    assert verify().broken_at == 3


def test_a_tail_cut_off_and_the_head_moved_back_is_found_by_the_checkpoint(capsys) -> None:
    entries = _entries(5)
    checkpoints.write()
    write_as_database_owner("DELETE FROM accounts_auditentry WHERE seq >= 4")
    AuditHead.objects.filter(pk=entries[0].chain).update(count=3, last_hash=entries[2].hash)
    verdict = verify()
    assert (verdict.ok, verdict.broken_at, verdict.checked) == (False, 4, 3)
    assert (
        "entries 4 to 5, signed in the checkpoint of" in verdict.reason and "were removed" in verdict.reason
    )
    assert main(["audit", "verify"]) == 1
    assert "broken at entry 4" in capsys.readouterr().out


def test_a_whole_chain_removed_is_found_by_the_checkpoint() -> None:
    _entries(2)
    checkpoints.write()
    write_as_database_owner("DELETE FROM accounts_auditentry")
    AuditHead.objects.all().delete()
    assert not verify().ok and "entries 1 to 2" in verify().reason


def test_entries_after_the_latest_checkpoint_can_still_be_cut_unnoticed() -> None:
    """The limit docs/security.md states: a checkpoint covers the trail up to when it was written."""
    entries = _entries(4)
    checkpoints.write()
    more = _entries(2)
    write_as_database_owner("DELETE FROM accounts_auditentry WHERE seq > 4")
    AuditHead.objects.filter(pk=more[0].chain).update(count=4, last_hash=entries[3].hash)
    assert verify().ok


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda line: line.replace('[3, "', '[2, "'), "its signature does not match"),
        (
            lambda line: line.replace('"key": "test"', '"key": "k9"'),
            "the key 'k9', which the keyring does not hold",
        ),
        (lambda line: line[: len(line) // 2], "is not a checkpoint"),
    ],
    ids=["head-changed", "unknown-key", "cut-line"],
)
def test_a_checkpoint_not_signed_right_fails_verify(edit, reason, capsys) -> None:
    _entries(3)
    checkpoints.write()
    path = checkpoints.path()
    path.write_text(edit(path.read_text().rstrip("\n")) + "\n")
    verdict = verify()
    assert not verdict.ok and verdict.chain is None and reason in verdict.reason
    assert main(["audit", "verify"]) == 1
    assert capsys.readouterr().out.startswith(f"audit trail broken: checkpoint line 1 of {path}")


def test_after_a_rotation_entries_and_checkpoints_of_the_retired_key_still_verify(settings) -> None:
    old = settings.AUDIT_KEYRING
    _entries(2)
    checkpoints.write()
    settings.AUDIT_KEYRING = Keyring("k2", {"k2": b"the new key, kept elsewhere " * 2, **old.keys})
    _entries(2)
    checkpoints.write()
    assert list(AuditEntry.objects.order_by("seq").values_list("key_id", flat=True)) == [
        "test",
        "test",
        "k2",
        "k2",
    ]
    assert verify().ok and verify().checkpoints == 2
    settings.AUDIT_KEYRING = Keyring("k2", {"k2": settings.AUDIT_KEYRING.keys["k2"]})  # the old key lost
    assert "the key 'test', which the keyring does not hold" in verify().reason


def test_a_retired_key_cannot_add_entries_after_a_checkpoint_signed_with_the_current_key(settings) -> None:
    old = settings.AUDIT_KEYRING
    rotated = Keyring("k2", {"k2": b"the new key, kept elsewhere " * 2, **old.keys})
    _entries(1)
    settings.AUDIT_KEYRING = rotated
    checkpoints.write()
    settings.AUDIT_KEYRING = Keyring(old.current, rotated.keys)  # someone who kept the old key
    _entries(1)
    settings.AUDIT_KEYRING = rotated
    verdict = verify()
    assert (verdict.ok, verdict.broken_at) == (False, 2)
    assert "retired key 'test' after a checkpoint signed with the current key" in verdict.reason


def test_an_entry_from_before_keyed_entries_is_named_not_trusted() -> None:
    entry = _entries(1)[0]
    entry.key_id = ""
    write_as_database_owner(
        "UPDATE accounts_auditentry SET key_id = '', hash = %s WHERE id = %s", [_unkeyed(entry), entry.pk]
    )
    AuditHead.objects.filter(pk=entry.chain).update(last_hash=_unkeyed(entry))
    assert "made without a key" in verify().reason


@pytest.mark.parametrize(
    "sql",
    ["UPDATE accounts_auditentry SET object_id = 'changed'", "DELETE FROM accounts_auditentry"],
    ids=["update", "delete"],
)
def test_the_database_itself_refuses_to_change_or_remove_an_entry(sql) -> None:
    """On PostgreSQL and SQLite alike: a trigger, not only the model."""
    _entries(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.filter(object_id__in=["0", "1"]).count() == 2 and verify().ok
