"""The units' rosters: who is on an employer's or a school's roster on a day, and how a person joins one.

A person joins the roster of the employer or school whose case ends in a work-type or study residence
permit, or the one-stop service's work permit, being issued to them (``cases.services.issuing``): that
unit employs or enrolls them. Recorded choice: the relation follows the permit (a work-type permit or a
work permit: employee; a study permit: student), so a school's teacher is its employee; a specialised
service agency or an inviting entity files for people it neither employs nor enrolls, so its cases put
nobody on a roster. A person already on the unit's roster on the day keeps the place they have.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q

from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import Unit
from exitentry.law.rules.holding import WORK_PERMIT
from exitentry.law.rules.unit_reports import RELATION_OF_UNIT_KIND
from exitentry.registry.models import Affiliation, Permit

RELATION_BY_PERMIT_TYPE = {"work": Affiliation.Relation.EMPLOYEE, "study": Affiliation.Relation.STUDENT}


def open_on(on: date, prefix: str = "") -> Q:
    """The places on a roster on ``on`` (started, and not ended before it), as a filter; ``prefix`` names
    the path to the affiliation (``"affiliations__"`` from a person)."""
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


def employs(unit_id: int | None, person_id: int, on: date) -> bool:
    """Whether the unit has ``person_id`` on its roster as an employee on ``on``."""
    places = Affiliation.objects.filter(open_on(on), unit_id=unit_id, person_id=person_id)
    return unit_id is not None and places.filter(relation=Affiliation.Relation.EMPLOYEE).exists()


def relation_for(permit: Permit) -> str | None:
    """The relation a permit issued on a unit's case makes: employee or student; None for any other permit."""
    if permit.kind == WORK_PERMIT:
        return Affiliation.Relation.EMPLOYEE
    if permit.kind == "residence-permit":
        return RELATION_BY_PERMIT_TYPE.get(permit.permit_type)
    return None


def join_on_issue(actor: Actor, unit: Unit | None, permit: Permit, on: date) -> Affiliation | None:
    """Put the holder of ``permit``, issued on ``on`` on a case ``unit`` filed, on that unit's roster
    from ``on``, unless they are on it already or the unit or the permit puts nobody on a roster; in the
    caller's transaction, audited. Returns the new place (None when none was made)."""
    if unit is None or unit.kind not in RELATION_OF_UNIT_KIND:  # an employer or a school (Art. 26)
        return None
    relation = relation_for(permit)
    if relation is None:
        return None
    placed = Affiliation.objects.filter(person_id=permit.person_id, unit=unit)
    if placed.filter(open_on(on) | Q(ended_on__isnull=True)).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: another issue placing them at once keeps its place
            return join(actor, permit.person_id, unit, relation, on)
    except IntegrityError:
        return None


def join(actor: Actor, person_id: int, unit: Unit, relation: str, since: date) -> Affiliation:
    """Put a person on ``unit``'s roster from ``since``, audited (``roster.join``)."""
    place = Affiliation.objects.create(person_id=person_id, unit=unit, relation=relation, started_on=since)
    record(
        actor,
        "roster.join",
        "affiliation",
        place.pk,
        new={"person": person_id, "unit": unit.pk, "relation": relation, "since": since.isoformat()},
    )
    return place
