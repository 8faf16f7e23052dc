"""The audit trail is append-only and tamper-evident: the first broken link is found and named."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from audit_helpers import write_as_database_owner
from exitentry.accounts.audit import Actor, record, verify
from exitentry.accounts.models import AuditEntry
from exitentry.cli import main
from factories import UserFactory

pytestmark = pytest.mark.django_db


def _entries(n: int = 5) -> list[AuditEntry]:
    who = Actor(UserFactory(), "10.1.2.3")
    return [record(who, "person.read", "person", i, new={"field": "passport", "n": i}) for i in range(n)]


def test_an_entry_is_stored_as_the_orm_would_store_it() -> None:
    """The append writes its own INSERT; what it stores reads back exactly as a saved model would."""
    who = Actor(UserFactory(), "2001:db8::1")
    entry = record(who, "case.accept", "case", 7, old={"state": "received"}, new=None)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert {f.attname: getattr(stored, f.attname) for f in AuditEntry._meta.concrete_fields} == {
        f.attname: getattr(entry, f.attname) for f in AuditEntry._meta.concrete_fields
    }
    assert AuditEntry.objects.filter(pk=entry.pk, new__isnull=True, old__state="received").exists()
    with pytest.raises(PermissionError):
        entry.save()  # it is a stored entry, not a new one


def test_an_entry_records_who_what_which_object_old_new_when_and_from_where() -> None:
    entry = _entries(1)[0]
    entry.refresh_from_db()
    assert (entry.action, entry.object_type, entry.object_id, entry.ip) == (
        "person.read",
        "person",
        "0",
        "10.1.2.3",
    )
    assert entry.new == {"field": "passport", "n": 0} and entry.actor_name.startswith("user")
    assert entry.at is not None and entry.seq == 1 and entry.prev_hash == "0" * 64


def test_an_untouched_chain_verifies(capsys) -> None:
    _entries()
    assert verify().ok and verify().checked == 5
    assert main(["audit", "verify"]) == 0
    assert "intact: 5 entries" in capsys.readouterr().out


def test_an_edited_entry_is_named_as_the_first_broken_link(capsys) -> None:
    entries = _entries()
    write_as_database_owner(
        "UPDATE accounts_auditentry SET object_id = %s WHERE seq = %s", ["999", entries[2].seq]
    )
    verdict = verify()
    assert (verdict.ok, verdict.broken_at, verdict.checked) == (False, 3, 2)
    assert "content does not match" in verdict.reason
    assert main(["audit", "verify"]) == 1
    assert "broken at entry 3" in capsys.readouterr().out


def test_a_removed_entry_breaks_the_chain() -> None:
    entries = _entries()
    write_as_database_owner("DELETE FROM accounts_auditentry WHERE seq = %s", [entries[1].seq])
    assert verify().broken_at == 2


def test_removing_the_newest_entries_is_noticed_by_the_chain_head() -> None:
    entries = _entries()
    write_as_database_owner("DELETE FROM accounts_auditentry WHERE seq >= %s", [entries[3].seq])
    assert not verify().ok and "removed" in verify().reason


def test_the_model_refuses_to_change_or_delete_an_entry() -> None:
    entry = _entries(1)[0]
    entry.object_id = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_two_worker_processes_append_to_their_own_chains_and_both_verify(monkeypatch) -> None:
    from exitentry.accounts import audit

    who = Actor(UserFactory(), "10.1.2.3")
    for pid in (100, 101, 100, 101, 101):
        monkeypatch.setattr(audit.os, "getpid", lambda pid=pid: pid)
        record(who, "person.read", "person", pid)
    chains = sorted(AuditEntry.objects.values_list("chain", "seq"))
    assert chains == [(5, 1), (5, 2), (6, 1), (6, 2), (6, 3)]
    assert verify().ok and verify().checked == 5


def test_an_edited_entry_in_the_second_chain_is_named_with_its_chain(monkeypatch, capsys) -> None:
    from exitentry.accounts import audit

    who = Actor(UserFactory(), "10.1.2.3")
    for pid in (100, 101, 101):
        monkeypatch.setattr(audit.os, "getpid", lambda pid=pid: pid)
        record(who, "person.read", "person", pid)
    write_as_database_owner(
        "UPDATE accounts_auditentry SET action = %s WHERE chain = %s AND seq = %s", ["person.edit", 6, 2]
    )
    verdict = verify()
    assert (verdict.ok, verdict.chain, verdict.broken_at) == (False, 6, 2)
    assert main(["audit", "verify"]) == 1
    assert "entry 2 of chain 6" in capsys.readouterr().out


def test_a_chain_whose_head_is_gone_gets_a_new_one_on_the_first_entry() -> None:
    from exitentry.accounts.models import AuditHead

    AuditHead.objects.all().delete()  # as after a flush of every table, when no entry exists either
    _entries(2)
    assert AuditHead.objects.count() == 1 and verify().ok


def test_a_process_that_missed_another_ones_entries_on_its_chain_reads_the_head_again(monkeypatch) -> None:
    from exitentry.accounts import audit

    who = Actor(UserFactory(), "10.1.2.3")
    monkeypatch.setattr(audit.os, "getpid", lambda: 100)
    record(who, "person.read", "person", 1)
    seen_after_first = dict(audit._known_heads)
    record(who, "person.read", "person", 2)
    # A second process on chain 5 (another machine's pid 100) last saw the chain after entry 1.
    monkeypatch.setattr(audit, "_known_heads", seen_after_first)
    third = record(who, "person.read", "person", 3)
    assert (third.chain, third.seq) == (5, 3)
    assert verify().ok and verify().checked == 3


def test_an_entry_rolled_back_with_its_transaction_leaves_no_gap(monkeypatch) -> None:
    from exitentry.accounts import audit

    who = Actor(UserFactory(), "10.1.2.3")
    monkeypatch.setattr(audit.os, "getpid", lambda: 100)
    record(who, "person.read", "person", 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(who, "case.accept", "case", 7)
        raise RuntimeError("the state change failed after its entry was appended")
    after = record(who, "person.read", "person", 2)
    assert after.seq == 2 and not AuditEntry.objects.filter(action="case.accept").exists()
    assert verify().ok and verify().checked == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_threads_appending_to_one_chain_at_once_keep_it_whole(monkeypatch) -> None:
    import threading

    from exitentry.accounts import audit

    who = Actor(UserFactory(), "10.1.2.3")
    monkeypatch.setattr(audit.os, "getpid", lambda: 100)  # every thread on chain 5, as processes sharing it
    barrier = threading.Barrier(4)

    def append(n: int) -> None:
        try:
            barrier.wait()
            for i in range(25):
                record(who, "person.read", "person", n * 100 + i)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 101))
    assert verify().ok and verify().checked == 100
