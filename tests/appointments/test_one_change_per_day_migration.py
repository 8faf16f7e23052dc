"""Appointments migration 0010 (one change of a kind per hall and day) on a database that already holds
the same change twice: it keeps the row that decides the day (the first closure, the fewest counters, the
first of the same extra hours), so what the public is told stays, and drops the repeats."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from factories import officer

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("appointments", "0009_ticket_appointment_letter")
AFTER = ("appointments", "0010_one_change_of_a_kind_per_hall_day")
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
    change("closed", "Power maintenance, again")
    other_hall = change("closed", "Inspection", hall_id="tongzhou")
    change("reduced_counters", "Training", counters=3)
    fewest = change("reduced_counters", "Training", counters=1)
    evening = change("extra_hours", "Backlog", opens=time(17), closes=time(19))
    change("extra_hours", "Backlog", opens=time(17), closes=time(19))
    morning = change("extra_hours", "Backlog", opens=time(7), closes=time(8, 30))

    MigrationExecutor(connection).migrate([AFTER])

    kept = set(DayOverride.objects.values_list("pk", flat=True))
    assert kept == {first_closure, other_hall, fewest, evening, morning}
