"""The hall's reach into a person through the compliance records (a project policy, least privilege), which
``cases.access.hall_people`` adds to that of its cases (``HALL_REACH``, filled when the app is ready): the
alerts of its halls' district (``district``) open or closed within ``MANDATE_GRACE``, the enforcement
records made by an officer of its halls in force or closed within the grace (``Record.closed_since``), and
the documents an officer of its halls looked up within ``lookups.LOOKUP_GRANT``."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from exitentry.cases.access import MANDATE_GRACE
from exitentry.compliance import district, lookups
from exitentry.compliance.enforcement import ActivityRestriction, Detention, OrderToLeave, Repatriation
from exitentry.compliance.models import Alert
from exitentry.registry.models import Person


def hall_reach(officers: QuerySet, halls: list[str], on: date) -> Q:
    """The people the ``halls`` (with their ``officers``' ids) read on ``on`` through compliance records."""
    alerted = Alert.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=on - MANDATE_GRACE))
    # the district is worked out for the people with such an alert only, not the whole registry
    in_district = district.with_district(Person.objects.filter(pk__in=alerted.values("person_id")))
    rule = Q(pk__in=in_district.filter(district__in=halls).values("pk"))
    for kind in (Detention, ActivityRestriction, Repatriation, OrderToLeave):
        records = kind.objects.filter(kind.closed_since(on - MANDATE_GRACE), recorded_by__in=officers)
        rule |= Q(pk__in=records.values("person_id"))
    rule |= Q(pk__in=lookups.granted(officers, on).values("person_id"))
    return rule
