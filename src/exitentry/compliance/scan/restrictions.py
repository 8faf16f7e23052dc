"""A measure on the person breached: outside the area an entry or an Art. 30 restriction confines them to
(Art. 25(3), ``outside_restricted_areas``), an order to leave not obeyed (Art. 33,
``exit_deadlines_passed``), and a repatriation's no-entry period (Art. 31: ``no_entry_breaches``,
``no_entry_applications``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, Subquery

from exitentry.cases import models as cases
from exitentry.compliance.models import ActivityRestriction, OrderToLeave, Repatriation
from exitentry.compliance.scan.finding import (
    EXIT_DEADLINE_PASSED,
    NO_ENTRY_APPLICATION,
    NO_ENTRY_BREACHED,
    OUTSIDE_AREA,
    Finding,
)
from exitentry.compliance.scan.queries import _in_china, _last_movement
from exitentry.law.rules import duties
from exitentry.registry.models import AccommodationRegistration, EntryExit


def _latest_registration(on: date, person: str, since: str):
    """Each row's latest accommodation registration from the day ``since`` (an outer column) to ``on``."""
    return AccommodationRegistration.objects.filter(
        person=OuterRef(person), registered_on__gte=OuterRef(since), registered_on__lte=on
    ).order_by("-registered_on", "-pk")


def _outside(rows, on: date, person: str, since: str):
    """``rows`` whose latest registration since ``since`` names a division outside their ``area``: the
    law core's ``enforcement.in_restricted_area`` (Regulations Art. 25(3)) said in SQL, a division lying
    inside an area whose code it starts with (``tests/compliance/test_restricted_area_agrees`` checks they
    agree)."""
    latest = _latest_registration(on, person, since)
    return (
        rows.annotate(
            registration_id=Subquery(latest.values("pk")[:1]),
            division=Subquery(latest.values("division")[:1]),
            registered_on=Subquery(latest.values("registered_on")[:1]),
        )
        .filter(division__gt="", area__gt="")
        .exclude(division__startswith=F("area"))
    )


def outside_restricted_areas(on: date) -> Iterator[Finding]:
    """Art. 25(3): the people in China on ``on`` registered outside the area their last entry restricts them
    to (Art. 24), or outside the area of an Art. 30 restriction still in force."""
    restricted = EntryExit.objects.exclude(restricted_area="")  # few: the scan starts from them
    by_entry = (
        _in_china(on)
        .filter(entry_movement__in=restricted.values("pk"))
        .annotate(
            entry_id=F("entry_movement"),
            area=Subquery(restricted.filter(pk=OuterRef("entry_movement")).values("restricted_area")),
        )
    )
    for pk, entry_id, registration_id, since in _outside(by_entry, on, "pk", "entered_on").values_list(
        "pk", "entry_id", "registration_id", "registered_on"
    ):
        yield Finding(pk, OUTSIDE_AREA, f"entry:{entry_id}:registration:{registration_id}", since=since)
    restrictions = ActivityRestriction.objects.filter(
        decided_on__lte=on, person__in=_in_china(on).values("pk")
    )
    restrictions = restrictions.filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=on))
    for person_id, pk, registration_id, since in _outside(
        restrictions, on, "person", "decided_on"
    ).values_list("person_id", "pk", "registration_id", "registered_on"):
        yield Finding(
            person_id, OUTSIDE_AREA, f"restriction:{pk}:registration:{registration_id}", since=since
        )


def exit_deadlines_passed(on: date) -> Iterator[Finding]:
    """Art. 33: the orders to leave whose last day has run out by ``on`` with no exit recorded since."""
    exits = EntryExit.objects.filter(
        person=OuterRef("person"),
        direction=EntryExit.Direction.EXIT,
        on__gte=OuterRef("ordered_on"),
        on__lte=on,
    )
    orders = OrderToLeave.objects.filter(ordered_on__lte=on, last_day__lte=duties.run_out_by(on)).exclude(
        Exists(exits)
    )
    for person_id, pk, last_day in orders.values_list("person_id", "pk", "last_day"):
        yield Finding(
            person_id,
            EXIT_DEADLINE_PASSED,
            f"order:{pk}",
            due_on=last_day,
            since=last_day + timedelta(days=1),
        )


def no_entry_breaches(on: date) -> Iterator[Finding]:
    """Art. 31: the people in China on ``on`` on an entry inside the no-entry period of a repatriation."""
    last = _last_movement(on, "person")
    rows = (
        Repatriation.objects.filter(repatriated_on__lte=on)
        .annotate(
            direction=Subquery(last.values("direction")[:1]), entered_on=Subquery(last.values("on")[:1])
        )
        .filter(direction=EntryExit.Direction.ENTRY, entered_on__gt=F("repatriated_on"))
        .filter(entered_on__lte=F("no_entry_until"))
    )
    for person_id, pk, entered_on in rows.values_list("person_id", "pk", "entered_on"):
        yield Finding(
            person_id,
            NO_ENTRY_BREACHED,
            f"repatriation:{pk}:entry:{entered_on.isoformat()}",
            since=entered_on,
        )


def no_entry_applications(on: date) -> Iterator[Finding]:
    """Art. 31: the cases submitted by ``on`` inside the no-entry period of a repatriation carried out
    (after its day, to its last day, as ``NoEntryPeriod.bars``; the latest such period), not decided by
    ``on``."""
    periods = Repatriation.objects.filter(
        person=OuterRef("person"),
        repatriated_on__lt=OuterRef("submitted_on"),
        no_entry_until__gte=OuterRef("submitted_on"),
    ).order_by("-repatriated_on", "-pk")
    repatriated = Repatriation.objects.filter(repatriated_on__lt=on).values("person")
    rows = (
        cases.Case.objects.filter(submitted_on__lte=on, person__in=repatriated)
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gt=on))
        .annotate(repatriation=Subquery(periods.values("pk")[:1]))
        .filter(repatriation__isnull=False)
    )
    for person_id, pk, case_pk, submitted_on in rows.values_list(
        "person_id", "repatriation", "pk", "submitted_on"
    ):
        yield Finding(
            person_id, NO_ENTRY_APPLICATION, f"repatriation:{pk}:case:{case_pk}", since=submitted_on
        )
