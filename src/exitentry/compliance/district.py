"""Which hall's district a person belongs to, for the compliance work: the alerts an officer or supervisor
sees are those of the people of their halls' districts.

The registry keeps no district per person, so this is a recorded choice, made here and nowhere else:

1. the hall of the person's latest submitted case (the hall that last dealt with them);
2. a person with no submitted case: the hall whose district (the district its address names, e.g.
   "Haidian District" / 海淀区) the latest accommodation registration's address names;
3. otherwise the central reception hall (``CENTRAL_HALL``).

A dedicated hall (the one-stop counters) has no district. The rule is one SQL expression
(``district_hall``), so the alert list filters the whole registry in one query.
"""

from __future__ import annotations

import re
from functools import cache

from django.db.models import Case as Choose
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from exitentry.accounts.policy import hall_ids
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.compliance.models import Alert
from exitentry.law.catalog import catalog
from exitentry.registry.models import AccommodationRegistration, Person

CENTRAL_HALL = "reception-hall"
_EN = re.compile(r"([A-Z][a-z]+) District")
_ZH = re.compile(r"^([\u4e00-\u9fff]{1,3}?区)")


@cache
def hall_districts() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(hall id, the names its district goes by in an address) for each hall with a district."""
    found = []
    for hall in catalog().halls.values():
        if hall.dedicated:
            continue
        names = tuple(
            m.group(0) if pattern is _EN else m.group(1)
            for pattern, text in ((_EN, hall.address.en), (_ZH, hall.address.zh))
            if (m := pattern.search(text))
        )
        if names:
            found.append((hall.id, names))
    return tuple(found)


def with_district(people: QuerySet | None = None) -> QuerySet:
    """``people`` (default every person) with ``district`` annotated: the hall of each one's district, as
    the module's docstring says."""
    latest_case = (
        Case.objects.filter(person=OuterRef("pk"), submitted_on__isnull=False)
        .exclude(state=State.DRAFT)
        .exclude(hall_id="")
        .order_by("-submitted_on", "-pk")
        .values("hall_id")[:1]
    )
    address = (
        AccommodationRegistration.objects.filter(person=OuterRef("pk"))
        .order_by("-registered_on", "-pk")
        .values("address")[:1]
    )
    by_address = Choose(
        *(When(_mentions(names), then=Value(hall_id)) for hall_id, names in hall_districts()),
        default=Value(CENTRAL_HALL),
        output_field=CharField(),
    )
    people = Person.objects.all() if people is None else people
    return people.annotate(district_address=Subquery(address)).annotate(
        district=Coalesce(Subquery(latest_case), by_address, output_field=CharField())
    )


def _mentions(names: tuple[str, ...]) -> Q:
    q = Q()
    for name in names:
        q |= Q(district_address__icontains=name)
    return q


def hall_of_person(person: Person) -> str:
    """The hall of one person's district."""
    return with_district(Person.objects.filter(pk=person.pk)).values_list("district", flat=True).get()


def people_of(user) -> QuerySet:
    """The people of the districts of ``user``'s halls (none for a user who serves no hall)."""
    return with_district().filter(district__in=sorted(hall_ids(user))).values("pk")


def alerts_for_officer(user) -> QuerySet:
    """The alerts an officer or supervisor works on: those of the people of their halls' districts."""
    return Alert.objects.filter(person__in=people_of(user))
