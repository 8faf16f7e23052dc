"""The units a person is with: ``units_on`` is the one place that says which employer or school that is.

The registry has no staff or student roster yet, so it is read from the cases: the unit that filed the latest case on the
person's work or study residence permit that runs on the day (its issue, extension, renewal or change).
Recorded choice: a person with no such permit, or whose permit's cases were filed by no employer or
school, is with no unit; a specialised service agency, or a unit that filed another kind of application
for someone, is not taken to employ or enroll them.
A staff roster (issue 13) replaces this function, and its callers stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import OuterRef, Subquery

from exitentry.accounts.models import Unit
from exitentry.registry.models import Permit, PermitEvent

UNIT_PERMIT_TYPES = ("work", "study")
UNIT_KINDS = (Unit.Kind.EMPLOYER, Unit.Kind.SCHOOL)
BATCH = 500


def units_on(person_ids: Iterable[int], on: date) -> dict[int, set[int]]:
    """The units each of ``person_ids`` is with on ``on``, by person (people with none left out); one
    query per batch of people."""
    latest = Permit.objects.filter(
        person=OuterRef("person"),
        kind="residence-permit",
        permit_type__in=UNIT_PERMIT_TYPES,
        status=Permit.Status.VALID,
        issued_on__lte=on,
        valid_until__gte=on,
    ).order_by("-issued_on", "-pk")
    filed_by = (
        PermitEvent.objects.filter(permit=OuterRef("pk"), case__unit__kind__in=UNIT_KINDS)
        .order_by("-at", "-pk")
        .values("case__unit")[:1]
    )
    ids = sorted(set(person_ids))
    units: dict[int, set[int]] = {}
    for start in range(0, len(ids), BATCH):
        rows = (
            Permit.objects.filter(
                person_id__in=ids[start : start + BATCH], pk=Subquery(latest.values("pk")[:1])
            )
            .annotate(unit_id=Subquery(filed_by))
            .exclude(unit_id=None)
            .values_list("person_id", "unit_id")
        )
        for person_id, unit_id in rows:
            units.setdefault(person_id, set()).add(unit_id)
    return units
