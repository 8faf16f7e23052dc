"""Appointments migration 0010 (one change of a kind per hall and day) on a database that already holds
the same change twice: it keeps the row that decides the day (the first closure, the fewest counters, the
first of the same extra hours), so what the public is told stays, and drops the repeats, each recorded in
the audit trail. Undoing 0011 (withdrawn changes kept) is refused while a withdrawn change is stored: its
unique constraints would fail on a change made again, and without ``withdrawn_at`` it would be in force."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from exitentry.accounts import audit
from exitentry.accounts.models import AuditEntry
from factories import officer

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("appointments", "0009_ticket_appointment_letter")
AFTER = ("appointments", "0010_one_change_of_a_kind_per_hall_day")
KEPT = ("appointments", "0011_override_withdrawn_kept")
DAY = date(2026, 11, 23)


@pytest.fixture
def at_0009():
    """The appointments app at 0009 (the other apps at their latest); back to the latest at the end."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    DayOverride = executor.loader.project_state([BEFORE]).apps.get_model("appointments", "DayOverride")
    yield DayOverride
    DayOverride.objects.all().delete()
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_repeated_changes_keep_the_one_that_decides_the_day(at_0009):
    DayOverride, boss = at_0009, officer("reception-hall", role="supervisor")

    def change(kind: str, reason: str, hall_id: str = "reception-hall", **fields):
        return DayOverride.objects.create(
            hall_id=hall_id, day=DAY, kind=kind, reason=reason, created_by_id=boss.pk, **fields
        ).pk

    first_closure = change("closed", "Power maintenance")
    again = change("closed", "Power maintenance, again")
    other_hall = change("closed", "Inspection", hall_id="tongzhou")
    change("reduced_counters", "Training", counters=3)
    fewest = change("reduced_counters", "Training", counters=1)
    evening = change("extra_hours", "Backlog", opens=time(17), closes=time(19))
    change("extra_hours", "Backlog", opens=time(17), closes=time(19))
    morning = change("extra_hours", "Backlog", opens=time(7), closes=time(8, 30))

    MigrationExecutor(connection).migrate([AFTER])

    kept = set(DayOverride.objects.values_list("pk", flat=True))
    assert kept == {first_closure, other_hall, fewest, evening, morning}

    dropped = {e.object_id: e for e in AuditEntry.objects.filter(action="hall_day.override.drop_repeat")}
    assert len(dropped) == 3 and all(e.actor_id is None for e in dropped.values())
    entry = dropped[str(again)]
    assert entry.old["reason"] == "Power maintenance, again" and entry.old["kind"] == "closed"
    assert entry.old["day"] == DAY.isoformat() and f"#{first_closure}" in entry.new["note"]
    assert audit.verify().ok  # sealed into its chain as the app seals


@pytest.fixture
def at_latest():
    """The latest state's DayOverride; the appointments app back at its latest at the end."""
    executor = MigrationExecutor(connection)
    DayOverride = executor.loader.project_state([KEPT]).apps.get_model("appointments", "DayOverride")
    yield DayOverride
    DayOverride._base_manager.all().delete()
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_undoing_kept_withdrawals_is_refused_while_one_is_stored(at_latest):
    DayOverride, boss = at_latest, officer("reception-hall", role="supervisor")
    fields = {"hall_id": "reception-hall", "day": DAY, "kind": "closed", "created_by_id": boss.pk}
    DayOverride._base_manager.create(
        **fields, reason="Power", withdrawn_at=timezone.now(), withdrawn_by_id=boss.pk
    )
    DayOverride._base_manager.create(**fields, reason="Power, corrected")

    with pytest.raises(IrreversibleError, match="1 withdrawn change"):
        MigrationExecutor(connection).migrate([AFTER])

    assert DayOverride._base_manager.count() == 2  # nothing lost, nothing undone


def test_undoing_kept_withdrawals_without_one_goes_back(at_latest):
    DayOverride, boss = at_latest, officer("reception-hall", role="supervisor")
    DayOverride._base_manager.create(
        hall_id="reception-hall", day=DAY, kind="closed", created_by_id=boss.pk, reason="Power"
    )

    MigrationExecutor(connection).migrate([AFTER])

    old = MigrationExecutor(connection).loader.project_state([AFTER]).apps
    assert old.get_model("appointments", "DayOverride").objects.count() == 1
