"""Passports the applicant's side gave that no case will bring to the counter any more (a project policy).

A passport the holder, a proxy or a unit records is a claim (``TravelDocument.claim``) until the hall
receives a case of its person with the passport in hand (``services.intake``). When a case is withdrawn,
or a draft is closed as expired (``cases.expiry``), a claim of its person that no live case refers to any
more is deleted: no intake will ever check it, and kept it would stand on the person's
record as given. A live case refers to a person's claims while it is open and names no passport yet (its
intake takes the person's passport then: ``Person.travel_document_on``). A claim any record names (a case,
a visa, an entry or exit, a unit's report) is kept, and so is the passport an applicant entered with their own
record (``TravelDocument.own_declaration``), which they could not give again. Each deletion is an audit entry
``person.document.drop`` (the document, its country and number, the case and how it closed); the holder
gives the passport again with their next application.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Exists, OuterRef

from exitentry.accounts.audit import Actor, record_each
from exitentry.cases.lifecycle import OPEN_STATES
from exitentry.cases.models import Case
from exitentry.registry.models import Person, TravelDocument

DROP = "person.document.drop"


def _named_elsewhere() -> list[Exists]:
    """A subquery per kind of record that may name a travel document: every relation to it (cases, visas,
    movements, reports), read from the models, so a new one is counted too."""
    return [
        Exists(relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")}))
        for relation in TravelDocument._meta.get_fields(include_hidden=True)
        if relation.is_relation and relation.auto_created and not relation.concrete
    ]


def lock_people(person_ids: Iterable[int]) -> None:
    """Lock the people's rows (in key order) until the transaction ends. A new draft for one of them
    (``services.start_case``) locks the person's row too: this waits for one being written, so the live-case
    check of ``drop_left`` sees it, and one started meanwhile waits until this is done. A withdrawal or
    expiry takes them before its audit entries (the lock order of ``services.steps``). FOR NO KEY UPDATE:
    nothing here changes a person's key, so a row naming the person (a passport, a visa) goes in meanwhile."""
    rows = Person.objects.select_for_update(no_key=True).filter(pk__in=sorted(person_ids)).order_by("pk")
    list(rows.values_list("pk"))


def drop_left(actor: Actor, closed: Sequence[Case], action: str) -> int:
    """Delete the claims of the people of ``closed`` (cases just withdrawn or expired, in the caller's
    transaction by ``action``, ``withdraw`` or ``expire``, which has locked their people: ``lock_people``)
    that no live case refers to, each audited; how many. A new draft for one of them at the same moment is
    either seen as live or waits. As many queries for a thousand cases as for one."""
    by_person: dict[int, Case] = {}
    for case in sorted(closed, key=lambda c: c.pk):
        by_person.setdefault(case.person_id, case)
    if not by_person:
        return 0
    lock_people(by_person)  # the caller has already, before its audit entries; this keeps it so
    live = Case.objects.filter(
        person=OuterRef("person"), state__in=sorted(OPEN_STATES), travel_document__isnull=True
    )
    left = TravelDocument.objects.filter(person_id__in=by_person, claim=True, own_declaration=False)
    left = left.exclude(Exists(live))
    for named in _named_elsewhere():
        left = left.exclude(named)
    rows = list(left.values("pk", "person_id", "issuing_country", "number"))
    if not rows:
        return 0
    TravelDocument.objects.filter(pk__in=[r["pk"] for r in rows], claim=True).delete()
    record_each(
        actor,
        DROP,
        "person",
        [
            (
                r["person_id"],
                {"document": r["pk"], "country": r["issuing_country"], "number": r["number"], "claim": True},
                {"case": by_person[r["person_id"]].pk, "action": f"case.{action}"},
            )
            for r in rows
        ],
    )
    return len(rows)
