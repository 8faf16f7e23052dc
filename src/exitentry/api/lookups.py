"""``/person-lookups``: the hall's lookup of a person by travel document and the lookups
made at the supervisor's halls, through the service the console's page calls (``compliance.lookups``).

As the console's person API: a session (no API key), officers and supervisors with their second factor
(``SignedIn``), 403 for any other account. A lookup names the document's number and issuing country, both
exact, and a reason (``other`` with a note, else 422); it answers match or no match, and a match lets the
officer's halls read the person for ``LOOKUP_GRANT``. Every lookup is audited; 429 past the officer's
``EXITENTRY_PERSON_LOOKUP_RATE``, which counts the lookups made, match or not, and no request refused before
one (``compliance.lookups.LookupThrottle``, as the page counts). The list is the supervisor's (an
officer's is 403).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Schema

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor
from exitentry.api.auth import SignedIn
from exitentry.api.errors import ApiError, ErrorOut
from exitentry.api.language import filled
from exitentry.api.paging import WindowQuery
from exitentry.api.routing import Router, described, rate
from exitentry.api.schemas import Out
from exitentry.cases import access
from exitentry.cases.lifecycle import Side
from exitentry.compliance import lookups
from exitentry.compliance.models import PersonLookup
from exitentry.law.calendar import beijing_today
from exitentry.law.text import Text

router = Router(tags=["people"], auth=SignedIn())

HALL_ONLY = Text(
    "Only officers and supervisors look a person up by travel document.",
    "只有民警和审批主管可以按旅行证件查找人员。",
)
SUPERVISORS_ONLY = Text(
    "Only supervisors see the lookups made at their halls.", "只有审批主管可以查看其所在大厅的查找记录。"
)
NOTE_NEEDED = Text("Say what the other reason is in the note.", "请在备注中说明其他原因。")
TOO_MANY = Text("You have made too many lookups for now. Try again later.", "您的查找次数过多，请稍后再试。")


class LookupIn(Schema):
    document_number: str = Field(
        min_length=1, max_length=40, description=_("the travel document's number, exact")
    )
    issuing_country: str = Field(
        min_length=3, max_length=3, description=_("the issuing country's ISO 3166 alpha-3 code, exact")
    )
    reason: Literal[tuple(PersonLookup.Reason.values)] = Field(
        description=_("why the officer looks the person up")
    )
    note: str = Field(
        "", max_length=500, description=_("what else to record; required with the reason other")
    )


class LookupOut(Out):
    match: bool
    lookup_id: int
    person_id: int | None = Field(description=_("on a match: the person, readable by the officer's halls"))
    readable_until: date | None = Field(description=_("on a match: the last day of the grant"))


class LookupRowOut(Out):
    id: int
    made_at: datetime
    made_by: str = Field(description=_("the officer's or supervisor's username"))
    number: str
    issuing_country: str
    reason: str
    note: str
    person_id: int | None


class LookupsOut(Out):
    items: list[LookupRowOut]


@router.post(
    "/person-lookups",
    response={200: LookupOut, 429: ErrorOut},
    description=described(
        _("officers and supervisors, with their second factor (403 for anyone else)."),
        _(
            "Looks a person up by a travel document's number and issuing country (both exact) with a reason (`other`"
            " needs a `note`). Answers match or no match; a match lets the officer's halls read the person for a while"
            " (`readable_until`). Every lookup is audited."
        ),
        limit=filled(
            _("%(rate)s per officer, match or not; past it 429 with `Retry-After`."),
            rate=rate(settings.EXITENTRY_PERSON_LOOKUP_RATE, _("lookups")),
        ),
    ),
    summary=_("Look a person up by travel document (officers and supervisors; audited, a grant on a match)"),
)
def look_up(request, payload: LookupIn):
    if not policy.is_hall_side(request.user):
        raise ApiError(403, None, HALL_ONLY)
    if payload.reason == PersonLookup.Reason.OTHER and not payload.note.strip():
        raise ApiError(422, "note", NOTE_NEEDED)
    limit = lookups.LookupThrottle()
    if not limit.allow_request(request):
        raise ApiError(429, None, TOO_MANY, headers={"Retry-After": str(math.ceil(limit.wait()))})
    on = beijing_today()
    found = lookups.look_up(
        Actor.of(request), payload.document_number, payload.issuing_country, payload.reason, payload.note, on
    )
    match = found.person_id is not None
    return {
        "match": match,
        "lookup_id": found.pk,
        "person_id": found.person_id,
        "readable_until": lookups.readable_until(found) if match else None,
    }


@router.get(
    "/person-lookups",
    response=LookupsOut,
    description=described(
        _("supervisors (an officer or anyone else is 403)."),
        _(
            "The lookups made at the supervisor's halls, newest first, paginated: who looked up which document, why,"
            " and whether it matched. Recorded as a read."
        ),
    ),
    summary=_("The lookups made at the supervisor's halls"),
)
def made_at_halls(request, window: Query[WindowQuery]):
    if Side.SUPERVISOR not in access.sides(request.user):
        raise ApiError(403, None, SUPERVISORS_ONLY)
    rows = list(lookups.made_at_halls(request.user)[window.offset : window.offset + window.limit])
    lookups.shown(Actor.of(request), rows, f"offset {window.offset}")
    return {
        "items": [
            {
                "id": row.pk,
                "made_at": row.made_at,
                "made_by": row.made_by.username,
                "number": row.number,
                "issuing_country": row.issuing_country,
                "reason": row.reason,
                "note": row.note,
                "person_id": row.person_id,
            }
            for row in rows
        ]
    }
