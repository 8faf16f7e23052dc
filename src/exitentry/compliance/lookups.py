"""The hall's lookup of a person by travel document (a project policy): an officer or supervisor who
meets a foreigner with no case or alert at their halls (a street check, a report from the public, a
detention for examination under Exit and Entry Administration Law Art. 60, Regulations Art. 29) enters
the document's number and issuing country, both exact, and a reason. A match lets the halls of the
officer who made it read the person for ``LOOKUP_GRANT`` (``cases.access.hall_people``); every lookup,
match or not, is stored and audited, and ``LookupThrottle`` limits how many an officer makes."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import HallAssignment
from exitentry.compliance.models import PersonLookup
from exitentry.registry.travel_documents import numbered
from exitentry.throttling import WindowThrottle

LOOKUP_GRANT = timedelta(days=7)
"""How long the halls of an officer who found a person by lookup read them (the day of the lookup and the
seven days after). A project policy, not a rule of the seeds: long enough to finish a street check's
follow-up or start an enforcement record (which then gives reach of its own), shorter than the 30 days of
``cases.access.MANDATE_GRACE``, as no case or alert stands behind it (least privilege)."""


class LookupThrottle(WindowThrottle):
    """``EXITENTRY_PERSON_LOOKUP_RATE`` lookups per officer or supervisor, pages and API together. A lookup
    counts once it is made, match or not (a miss tells whether the registry holds a document, so misses
    probe it as much as matches); a request refused before a lookup (not the hall's side, no reason, a body
    that is no lookup) counts nothing. So the page and the API ask ``allow_request`` only after checking
    the input, just before ``look_up``."""

    scope = "person-lookup"

    def rate(self) -> str:
        return settings.EXITENTRY_PERSON_LOOKUP_RATE

    def ident(self, request) -> object | None:
        return request.user.pk


def look_up(
    actor: Actor, number: str, issuing_country: str, reason: str, note: str, on: date
) -> PersonLookup:
    """Find the person holding the document ``number`` issued by ``issuing_country`` (``person`` None: no
    match), stored and audited with the reason in one transaction. The caller has checked the user is on the
    hall's side (``policy.is_hall_side``) and the reason (``PersonLookup.Reason``; ``other`` with a note)."""
    country = issuing_country.strip().upper()
    with transaction.atomic():
        person = next((d.person for d in numbered(number) if d.issuing_country == country), None)
        lookup = PersonLookup.objects.create(
            made_by=actor.user,
            made_on=on,
            number="".join(number.split()).upper(),
            issuing_country=country,
            reason=reason,
            note=note.strip(),
            person=person,
        )
        record(
            actor,
            "person.lookup",
            "person-lookup",
            lookup.pk,
            new={
                "reason": reason,
                "note": lookup.note,
                "match": person is not None,
                "person": lookup.person_id,
            },
        )
    return lookup


def readable_until(lookup: PersonLookup) -> date:
    """The last day a matched lookup lets its halls read the person (``LOOKUP_GRANT``)."""
    return lookup.made_on + LOOKUP_GRANT


def granting(user, person_id: int, on: date) -> PersonLookup | None:
    """The latest lookup of the person by an officer of ``user``'s halls still granting reach on ``on``,
    shown on the person's page so the hall sees why and until when it reads them."""
    officers = HallAssignment.objects.filter(hall_id__in=policy.hall_ids(user)).values("user_id")
    found = granted(officers, on).filter(person_id=person_id).select_related("made_by")
    return found.order_by("-made_on", "-pk").first()


def granted(officers: QuerySet, on: date) -> QuerySet:
    """The matched lookups that let the halls of ``officers`` (their ids) read their person on ``on``: made
    by one of them within ``LOOKUP_GRANT``."""
    return PersonLookup.objects.filter(
        made_by__in=officers, made_on__gte=on - LOOKUP_GRANT, person__isnull=False
    )


def made_at_halls(user) -> QuerySet:
    """The lookups made by the officers and supervisors of ``user``'s halls, newest first (a supervisor's list)."""
    officers = HallAssignment.objects.filter(hall_id__in=sorted(policy.hall_ids(user))).values("user_id")
    return (
        PersonLookup.objects.filter(made_by__in=officers)
        .select_related("made_by", "person")
        .order_by("-made_at", "-pk")
    )


def shown(actor: Actor, rows: list[PersonLookup], page: str) -> None:
    """One audit entry for a page of the lookups list (it names the people looked up): which were on it."""
    if rows:
        record(actor, "person-lookup.list", "person-lookup", page, new={"lookups": [row.pk for row in rows]})
