"""The scan's writes: opening an alert for each new cause (one statement on PostgreSQL), reading which
causes an officer settled (the scan never reopens them), and closing the alerts whose cause is gone.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from exitentry.compliance.models import Alert
from exitentry.compliance.scan.finding import Finding, described

_OPEN_MANY = """
INSERT INTO {table} (person_id, ground_id, cause_key, source_id, section, due_on, since, opened_on, resolution)
SELECT *, %s, '' FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::date[], %s::date[])
ON CONFLICT DO NOTHING
"""


def _open(new: list[Finding], on: date) -> None:
    """Open an alert for each of ``new``; one it meets already open (a scan running beside this one opened
    it first) is left as it is. On PostgreSQL one statement whatever their number, the columns passed as
    arrays."""
    cites = {g: described(g, on)[1] for g in {f.ground_id for f in new}}
    rows = [
        (
            f.person_id,
            f.ground_id,
            f.cause_key,
            cites[f.ground_id].source,
            cites[f.ground_id].section,
            f.due_on,
            f.since,
        )
        for f in new
    ]
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _OPEN_MANY.format(table=Alert._meta.db_table), [on, *map(list, zip(*rows, strict=True))]
            )
        return
    fields = ("person_id", "ground_id", "cause_key", "source_id", "section", "due_on", "since")
    Alert.objects.bulk_create(
        (Alert(opened_on=on, **dict(zip(fields, row, strict=True))) for row in rows),
        batch_size=500,
        ignore_conflicts=True,
    )


SETTLED_BATCH = 500  # people per read of the settled alerts


def _settled(keys: list[tuple[int, str, str]]) -> set[tuple[int, str, str]]:
    """Those of ``keys`` (person, ground, cause) an officer closed as resolved or unfounded, which the scan
    never reopens: read for the people of ``keys`` only (the partial index ``settled_alerts_by_cause``),
    so a run does not read every alert settled over the years."""
    people = sorted({person_id for person_id, _, _ in keys})
    settled: set[tuple[int, str, str]] = set()
    for start in range(0, len(people), SETTLED_BATCH):
        settled.update(
            Alert.objects.exclude(resolution="")
            .filter(person_id__in=people[start : start + SETTLED_BATCH])
            .values_list("person_id", "ground_id", "cause_key")
        )
    return settled.intersection(keys)


def _close(gone: list[int], on: date) -> None:
    """Close the open alerts ``gone`` (their cause no longer found) on ``on``, 500 a statement; one opened
    after ``on`` (found by a scan of a later day) is left open."""
    for start in range(0, len(gone), 500):
        Alert.objects.filter(pk__in=gone[start : start + 500], opened_on__lte=on).update(closed_on=on)
