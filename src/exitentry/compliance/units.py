"""The units a person is with: ``units_on`` is the one place that says which employer or school that is.

It reads the units' rosters (``registry.Affiliation``): the units on whose roster the person has a place
on the day. A person joins a roster when the unit's case ends in a work-type or study permit being
issued (``registry.roster``); a specialised service agency, or a unit that filed another kind of
application for someone, does not employ or enroll them, so it has no place for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from exitentry.registry.models import Affiliation
from exitentry.registry.roster import open_on

BATCH = 500


def units_on(person_ids: Iterable[int], on: date) -> dict[int, set[int]]:
    """The units on whose roster each of ``person_ids`` is on ``on``, by person (people with none left
    out); one query per batch of people."""
    ids = sorted(set(person_ids))
    units: dict[int, set[int]] = {}
    for start in range(0, len(ids), BATCH):
        rows = (
            Affiliation.objects.filter(person_id__in=ids[start : start + BATCH])
            .filter(open_on(on))
            .values_list("person_id", "unit_id")
        )
        for person_id, unit_id in rows:
            units.setdefault(person_id, set()).add(unit_id)
    return units
