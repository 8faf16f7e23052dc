"""Appointments migration 0013 (one called ticket per counter and day) on a database that already holds
two tickets called to one counter: the last called stays at the counter, each earlier one is marked served
when the next was called there, recorded in the audit trail; then the database refuses a second."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from case_helpers import submitted
from exitentry.accounts import audit
from exitentry.accounts.models import AuditEntry
from exitentry.law.calendar import BEIJING
from factories import applicant

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("appointments", "0012_ticket_withdrawn_state_and_purpose")
AFTER = ("appointments", "0013_one_called_ticket_per_counter")
DAY = date(2026, 11, 23)
NINE = datetime(2026, 11, 23, 9, tzinfo=BEIJING)


@pytest.fixture
def at_0012():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    QueueTicket = executor.loader.project_state([BEFORE]).apps.get_model("appointments", "QueueTicket")
    yield QueueTicket
    QueueTicket.objects.all().delete()
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_tickets_called_over_are_marked_served_when_the_next_was_called(at_0012):
    QueueTicket = at_0012
    case = submitted(applicant(), "rp-work")

    def ticket(number: int, counter: int | None, minutes: int, state: str = "called") -> int:
        return QueueTicket.objects.create(
            hall_id="reception-hall",
            day=DAY,
            letter="R",
            number=number,
            case_id=case.pk,
            state=state,
            counter=counter,
            called_at=NINE + timedelta(minutes=minutes),
        ).pk

    first, second, last = ticket(1, 1, 0), ticket(2, 1, 10), ticket(3, 1, 20)
    other_counter = ticket(4, 2, 5)
    MigrationExecutor(connection).migrate([AFTER])

    states = dict(QueueTicket.objects.values_list("pk", "state"))
    assert states == {first: "served", second: "served", last: "called", other_counter: "called"}
    assert QueueTicket.objects.get(pk=first).served_at == NINE + timedelta(minutes=10)
    entries = {e.object_id: e for e in AuditEntry.objects.filter(action="ticket.serve.migrated")}
    assert set(entries) == {str(first), str(second)}
    assert entries[str(second)].old["ticket"] == "R002"
    assert (
        entries[str(second)].new["note"].startswith("Still called at counter 1 when ticket R003 was called")
    )
    assert "#" not in entries[str(first)].new["note"]
    assert audit.verify().ok
    with pytest.raises(IntegrityError), transaction.atomic():
        QueueTicket.objects.filter(pk=other_counter).update(counter=1)
