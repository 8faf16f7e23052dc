"""``/units/me/people``: the signed-in unit handler's own foreign staff or students (its roster today), as
the portal shows them (``compliance.staff``): each with their permits, visas, standing, duties due and
the unit's open applications; filtered, sorted and paginated as the portal's list is.

Unit handlers only (403 for any other signed-in user, 401 signed out); a person not on the unit's
roster is 404, as if there were no such person. Every answer records which people it showed. A unit's HR
system reads the same with an API key that has the scope ``unit:people:read``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query

from exitentry.accounts import policy
from exitentry.accounts.api_keys import UNIT_PEOPLE_READ
from exitentry.accounts.audit import Actor, record
from exitentry.api.advice import AnswerOut
from exitentry.api.auth import key_or_session
from exitentry.api.errors import ApiError
from exitentry.api.paging import PAGE_SIZE, PageQuery
from exitentry.api.routing import Router, described
from exitentry.api.schemas import NamedPersonOut, Out, TextOut, named
from exitentry.compliance import staff
from exitentry.law.calendar import beijing_today
from exitentry.law.text import Text

router = Router(tags=["units"], auth=key_or_session(UNIT_PEOPLE_READ))

_UNITS_ONLY = Text(
    "Only a unit's handlers read its staff or students.", "只有单位经办人可以查看本单位的外籍员工或学生。"
)


class PeopleQuery(PageQuery):
    filter: Literal[tuple(staff.FILTERS)] = Field(  # the portal's words (``?filter=``)
        "", description=_("expiring within 30, 60 or 90 days; expired; void or cancelled; empty: everyone")
    )
    sort: Literal[tuple(staff.SORTS)] = Field(
        "expiry",
        description=_("nearest (or furthest) last day of a permit in force first; name; newest first"),
    )


class PermitLineOut(Out):
    id: int
    kind: str
    kind_label: TextOut
    permit_type: str
    number: str
    issued_on: date
    valid_until: date | None
    state: str = Field(description=_("valid, expiring, expired, void or cancelled"))
    state_label: TextOut
    why: TextOut | None = Field(description=_("why it is expiring: the duty whose period the day is in"))


class RosterVisaOut(Out):
    category: str
    number: str
    valid_from: date
    valid_until: date


class RosterDocumentOut(Out):
    kind: str = Field(description=_("passport or other"))
    number: str
    issuing_country: str = Field(description=_("ISO 3166-1 alpha-3"))
    expires_on: date


class OpenCaseOut(Out):
    id: int
    reference: str | None
    procedure: str
    title: TextOut
    state: str


class UnitPersonOut(NamedPersonOut):
    relation: str = Field(description=_("employee or student"))
    since: date = Field(description=_("on the unit's roster since"))
    standing: str = Field(description=_("valid, expiring, expired, void (or cancelled) or none"))
    standing_label: TextOut
    next_expiry: date | None = Field(description=_("the nearest last day of a permit in force"))
    days_left: int | None
    permits: list[PermitLineOut]
    visas: list[RosterVisaOut]
    travel_document: RosterDocumentOut | None = Field(
        description=_(
            "the travel document on record that runs longest (never one given online and awaiting "
            "the hall's check): its number names the person in a CSV of reports"
        )
    )
    open_cases: list[OpenCaseOut]
    duties: list[AnswerOut] = Field(
        description=_("the dated duties of the permits in force, the nearest first")
    )


class UnitPeopleOut(Out):
    count: int
    page: int
    pages: int
    results: list[UnitPersonOut]


def _handler(request):
    if not policy.is_unit_handler(request.user):
        raise ApiError(403, None, _UNITS_ONLY)
    return request.user


def _document(document) -> dict | None:
    if document is None:
        return None
    return {
        "kind": document.kind,
        "number": document.number,
        "issuing_country": document.issuing_country,
        "expires_on": document.expires_on,
    }


def _person(row: staff.Row) -> dict:
    p = row.person
    return {
        **named(p),
        "relation": row.relation,
        "since": row.since,
        "standing": row.standing,
        "standing_label": row.label.as_dict(),
        "next_expiry": row.next_expiry,
        "days_left": row.days_left,
        "permits": [
            {
                "id": line.permit.pk,
                "kind": line.permit.kind,
                "kind_label": line.kind.as_dict(),
                "permit_type": line.permit.permit_type,
                "number": line.permit.number,
                "issued_on": line.permit.issued_on,
                "valid_until": line.permit.valid_until,
                "state": line.state,
                "state_label": line.label.as_dict(),
                "why": line.why.as_dict() if line.why else None,
            }
            for line in row.permits
        ],
        "visas": [
            {
                "category": v.category,
                "number": v.number,
                "valid_from": v.valid_from,
                "valid_until": v.valid_until,
            }
            for v in row.visas
        ],
        "travel_document": _document(row.document),
        "open_cases": [
            {
                "id": case.pk,
                "reference": case.reference,
                "procedure": case.procedure_id,
                "title": title.as_dict(),
                "state": case.state,
            }
            for case, title in row.open_cases
        ],
        "duties": [d.as_dict() for d in row.duties],
    }


@router.get(
    "/units/me/people",
    response=UnitPeopleOut,
    description=described(
        _(
            "a unit handler (an employer's or a school's; 403 for any other signed-in user), or the unit's HR system with an API key with the scope `unit:people:read`."
        ),
        _(
            "The unit's roster today: each person with their permits, visas, standing, the duties due and the unit's open"
            " applications for them; filtered (`filter`), sorted (`sort`) and paginated (`page`) as the portal's list."
            " Recorded as a read of the people shown."
        ),
    ),
    summary=_(
        "The unit's foreign staff or students: permits, visas, standing, duties due, open applications"
    ),
)
def list_people(request, query: Query[PeopleQuery]):
    user, on = _handler(request), beijing_today()
    listing = staff.Listing(query.filter, query.sort)
    found = staff.people(user.unit_id, on, listing)
    count = found.count()
    chosen = list(found[query.start : query.start + PAGE_SIZE]) if query.start < count else []
    rows = staff.rows(user.unit_id, chosen, on)
    record(
        Actor.of(request),
        "unit.people.list",
        "unit",
        user.unit_id,
        new={"page": query.page, "filter": listing.filter, "people": [r.person.pk for r in rows]},
    )
    return {
        "count": count,
        "page": query.page,
        "pages": max(1, -(-count // PAGE_SIZE)),
        "results": [_person(r) for r in rows],
    }


@router.get(
    "/units/me/people/{person_id}",
    response=UnitPersonOut,
    description=described(
        _(
            "a unit handler (an employer's or a school's; 403 for any other signed-in user), or the unit's HR system with an API key with the scope `unit:people:read`."
        ),
        _(
            "One person on the unit's roster, as in the list; a person not on the roster is 404. Recorded as a read."
        ),
    ),
    summary=_("One person on the unit's roster"),
)
def get_person(request, person_id: int):
    user, on = _handler(request), beijing_today()
    found = get_object_or_404(staff.people(user.unit_id, on), pk=person_id)
    (row,) = staff.rows(user.unit_id, [found], on)
    record(Actor.of(request), "unit.person.read", "person", found.pk, new={"unit": user.unit_id})
    return _person(row)
