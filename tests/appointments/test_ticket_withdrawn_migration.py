"""Appointments migration 0012 (a ticket's withdrawn state and its purpose), both ways, on a database that
holds tickets. Forward, a ticket left waiting on a case already closed ends as the app ends it now
(``tickets.end_closed``): served once the permit was collected, withdrawn otherwise, each with the same audit
entry, as a system entry sealed into its chain. Back, a withdrawn ticket becomes one that did not come (the
state the no-show job gave such a ticket before 0012), audited, so the state column fits its old length
(PostgreSQL refuses 'withdrawn' in a varchar(8))."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from case_helpers import submitted
from exitentry.accounts import audit
from exitentry.accounts.models import AuditEntry
from exitentry.cases.models import Case
from factories import applicant

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("appointments", "0011_override_withdrawn_kept")
AFTER = ("appointments", "0012_ticket_withdrawn_state_and_purpose")
NINE = datetime.fromisoformat("2026-11-23T09:00+08:00")


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards: the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def case_in(state: str) -> Case:
    case = submitted(applicant(), "rp-work")
    Case.objects.filter(pk=case.pk).update(state=state)
    return case


def ticket(QueueTicket, case: Case, number: int, state: str = "waiting"):
    return QueueTicket.objects.create(
        hall_id=case.hall_id, day=NINE.date(), letter="R", number=number, case_id=case.pk, state=state,
        issued_at=NINE,
    )  # fmt: skip


def test_forward_ends_waiting_tickets_of_closed_cases_as_the_app_does_and_audits_each() -> None:
    withdrawn, refused, collected, open_ = (
        case_in(s) for s in ("withdrawn", "refused", "collected", "accepted")
    )
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    QueueTicket = executor.loader.project_state([BEFORE]).apps.get_model("appointments", "QueueTicket")
    ids = {
        "withdrawn": ticket(QueueTicket, withdrawn, 1).pk,
        "refused": ticket(QueueTicket, refused, 2).pk,
        "collected": ticket(QueueTicket, collected, 3).pk,
        "open": ticket(QueueTicket, open_, 4).pk,
        "served": ticket(QueueTicket, withdrawn, 5, state="served").pk,  # done before: stays
    }

    MigrationExecutor(connection).migrate([AFTER])

    new = (
        MigrationExecutor(connection)
        .loader.project_state([AFTER])
        .apps.get_model("appointments", "QueueTicket")
    )
    states = {key: new.objects.get(pk=pk).state for key, pk in ids.items()}
    assert states == {
        "withdrawn": "withdrawn",
        "refused": "withdrawn",
        "collected": "served",
        "open": "waiting",
        "served": "served",
    }
    assert new.objects.get(pk=ids["collected"]).served_at is not None
    entries = {e.object_id: e for e in AuditEntry.objects.filter(object_type="ticket")}
    assert set(entries) == {str(ids[k]) for k in ("withdrawn", "refused", "collected")}
    withdrawn_entry = entries[str(ids["withdrawn"])]
    assert (withdrawn_entry.action, withdrawn_entry.actor_id) == ("ticket.withdrawn", None)
    assert withdrawn_entry.old == {"state": "waiting"}
    assert withdrawn_entry.new == {"state": "withdrawn", "case_state": "withdrawn"}
    assert entries[str(ids["refused"])].new == {"state": "withdrawn", "case_state": "refused"}
    served_entry = entries[str(ids["collected"])]
    assert served_entry.action == "ticket.served_on_collection"
    assert served_entry.new == {"state": "served", "case_state": "collected"}
    assert audit.verify().ok  # sealed into its chain as the app seals


def test_back_a_withdrawn_ticket_did_not_come_and_the_state_fits_its_old_column() -> None:
    case = case_in("withdrawn")
    QueueTicket = (
        MigrationExecutor(connection)
        .loader.project_state([AFTER])
        .apps.get_model("appointments", "QueueTicket")
    )
    gone = ticket(QueueTicket, case, 1, state="withdrawn").pk
    served = ticket(QueueTicket, case, 2, state="served").pk

    MigrationExecutor(connection).migrate([BEFORE])  # PostgreSQL: varchar(10) back to varchar(8)

    old = (
        MigrationExecutor(connection)
        .loader.project_state([BEFORE])
        .apps.get_model("appointments", "QueueTicket")
    )
    assert dict(old.objects.values_list("pk", "state")) == {gone: "no_show", served: "served"}
    [entry] = AuditEntry.objects.filter(object_type="ticket")
    assert (entry.action, entry.object_id, entry.actor_id) == ("ticket.withdrawn.undone", str(gone), None)
    assert entry.old == {"state": "withdrawn"} and entry.new["state"] == "no_show"
    assert "0012" in entry.new["note"]
    assert audit.verify().ok

    MigrationExecutor(connection).migrate([AFTER])  # and forward again: a ticket that did not come stays so
    new = (
        MigrationExecutor(connection)
        .loader.project_state([AFTER])
        .apps.get_model("appointments", "QueueTicket")
    )
    assert new.objects.get(pk=gone).state == "no_show"
