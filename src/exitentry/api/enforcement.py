"""``/people/{id}/enforcement`` and the records under it: detention for examination (Art. 29), restriction
of activities (Art. 30), repatriation (Arts. 31, 32) and orders to leave (Art. 33), each deadline met,
due or late (``compliance.services``).

Officers and supervisors of the halls that see the person only: a person (or record) they do not see is
404, as if it did not exist; an applicant or another signed-in user who sees the person is 403. A value
the law refuses (16 days to leave, 6 years of no entry) is 422 in English and Chinese.
"""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema, Status

from exitentry import clock
from exitentry.accounts.audit import Actor
from exitentry.api.auth import SignedIn
from exitentry.api.errors import ApiError
from exitentry.api.language import filled
from exitentry.api.routing import Router, described
from exitentry.api.schemas import CitationOut, Out, TextOut, article
from exitentry.cases.access import people_rule
from exitentry.compliance import services
from exitentry.law.text import Text
from exitentry.registry.models import Person

router = Router(tags=["enforcement"], auth=SignedIn())
_DETENTION, _RESTRICTION, _ORDER = (article("regulations", f"Art. {n}") for n in (29, 30, 33))

_HALL_ONLY = Text(
    "Only officers and supervisors of the person's halls record and read enforcement decisions.",
    "只有此人所属受理大厅的民警和审批主管可以登记和查看执法决定。",
)


class StatusOut(Out):
    status: str = Field(description=_("met, due or late"))
    text: TextOut
    cite: list[CitationOut]


class DetentionOut(Out):
    id: int
    detained_at: datetime
    place: str
    transfer_due_at: datetime
    transferred_at: datetime | None
    transferred_to: str
    transfer: StatusOut


class ReportOut(Out):
    id: int
    due_at: datetime
    reported_at: datetime | None
    report: StatusOut


class RestrictionOut(Out):
    id: int
    decided_on: date
    area: str = Field(description=_("administrative division code (2, 4 or 6 digits)"))
    residence: str
    lifted_on: date | None
    reports: list[ReportOut]


class CostsOut(Out):
    who: str = Field(
        description=filled(
            _("self, illegal-employer or guarantor (%(article)s)"), article=article("regulations", "Art. 32")
        )
    )
    text: TextOut
    cite: list[CitationOut]


class RepatriationOut(Out):
    id: int
    decided_on: date
    no_entry_years: int
    repatriated_on: date | None
    no_entry_until: date | None
    payer: str
    costs: CostsOut


class OrderDocumentOut(Out):
    number: str = Field(description=_("as the order named it on its day"))
    kind: str | None = Field(description=_("the permit's kind; null where no permit holds the number now"))
    kind_text: TextOut | None
    cancelled: bool | None = Field(
        description=filled(
            _("cancelled or confiscated since (%(article)s); null as kind"),
            article=article("regulations", "Art. 35"),
        )
    )


class OrderOut(Out):
    id: int
    ordered_on: date
    days: int
    last_day: date = Field(description=_("the exit deadline, to 24:00 Beijing time that day"))
    left_on: date | None
    exit: StatusOut
    documents: list[OrderDocumentOut] = Field(
        description=filled(
            _("the documents the order is to cancel or confiscate (%(order)s), as named on its day"),
            order=_ORDER,
        )
    )
    documents_note: TextOut | None = Field(
        description=_("for an order recorded before orders kept them: none were recorded (documents empty)")
    )


class RecordsOut(Out):
    person: int
    at: datetime
    detentions: list[DetentionOut]
    restrictions: list[RestrictionOut]
    repatriations: list[RepatriationOut]
    orders_to_leave: list[OrderOut]


class DetainIn(Schema):
    detained_at: datetime = Field(description=_("with its time zone"))
    place: str = Field(min_length=1, max_length=200)


class TransferIn(Schema):
    at: datetime
    to: str = Field(
        min_length=1, max_length=200, description=_("the detention centre or repatriation facility")
    )


class RestrictIn(Schema):
    decided_on: date
    area: str = Field(max_length=6, description=_("administrative division code, e.g. 11 or 110105"))
    residence: str = Field(min_length=1, max_length=300)
    report_times: list[datetime] = Field(default=[], max_length=366)


class AtIn(Schema):
    at: datetime


class OnIn(Schema):
    on: date


class RepatriateIn(Schema):
    decided_on: date
    no_entry_years: int = Field(
        ge=0,
        le=100,
        description=filled(
            _("within the law's bounds (%(article)s; %(article2)s)"),
            article=article("exit-entry-law", "Art. 62"),
            article2=article("regulations", "Art. 31"),
        ),
    )
    can_pay: bool
    illegally_employed: bool
    payer: str = Field(default="", max_length=200)


class LeaveIn(Schema):
    on: date
    port: str = Field(min_length=1, max_length=100)


class OrderIn(Schema):
    ordered_on: date
    days: int = Field(ge=1, description=filled(_("at most the maximum (%(order)s)"), order=_ORDER))


def _person(request, person_id: int) -> Person:
    person = get_object_or_404(Person.objects.filter(people_rule(request.user)), pk=person_id)
    if not services.may_enforce(request.user, person):
        raise ApiError(403, None, _HALL_ONLY)
    return person


def _record(request, kind: str, pk: int):
    found = services.records_for(request.user)[kind]
    return get_object_or_404(found, pk=pk)


def _status(s: services.Status) -> dict:
    return {"status": s.key, "text": s.text.as_dict(), "cite": [c.as_dict() for c in s.cite]}


def _document(d: services.OrderDocument) -> dict:
    return {
        "number": d.number,
        "kind": d.kind,
        "kind_text": d.kind_text.as_dict() if d.kind_text else None,
        "cancelled": d.cancelled,
    }


def _records(request, person: Person) -> dict:
    got = services.records_of(Actor.of(request), person, clock.now())
    return {
        "person": person.pk,
        "at": got.at,
        "detentions": [
            {
                "id": d.pk,
                "detained_at": d.detained_at,
                "place": d.place,
                "transfer_due_at": d.transfer_due_at,
                "transferred_at": d.transferred_at,
                "transferred_to": d.transferred_to,
                "transfer": _status(s),
            }
            for d, s in got.detentions
        ],
        "restrictions": [
            {
                "id": r.pk,
                "decided_on": r.decided_on,
                "area": r.area,
                "residence": r.residence,
                "lifted_on": r.lifted_on,
                "reports": [
                    {"id": x.pk, "due_at": x.due_at, "reported_at": x.reported_at, "report": _status(s)}
                    for x, s in reports
                ],
            }
            for r, reports in got.restrictions
        ],
        "repatriations": [
            {
                "id": r.pk,
                "decided_on": r.decided_on,
                "no_entry_years": r.no_entry_years,
                "repatriated_on": r.repatriated_on,
                "no_entry_until": r.no_entry_until,
                "payer": r.payer,
                "costs": {"who": c.who, "text": c.text.as_dict(), "cite": [x.as_dict() for x in c.cite]},
            }
            for r, c, _, _ in got.repatriations
        ],
        "orders_to_leave": [
            {
                "id": o.pk,
                "ordered_on": o.ordered_on,
                "days": o.days,
                "last_day": o.last_day,
                "left_on": left,
                "exit": _status(s),
                "documents": [_document(d) for d in got.documents[o.pk] or ()],
                "documents_note": None if got.documents[o.pk] is not None else services.NOT_KEPT.as_dict(),
            }
            for o, left, s in got.orders
        ],
    }


@router.get(
    "/people/{person_id}/enforcement",
    response=RecordsOut,
    description=described(
        _(
            "officers and supervisors of the halls that see the person (a person or record they do not see is 404; another signed-in user who sees the person is 403)."
        ),
        _(
            "The person's detentions for examination, restrictions of activities with their reporting times,"
            " repatriations and orders to leave, each deadline met, due or late today, with the article it follows."
        ),
    ),
    summary=_("A person's enforcement records"),
)
def list_records(request, person_id: int):
    return _records(request, _person(request, person_id))


@router.post(
    "/people/{person_id}/detentions",
    response={201: RecordsOut},
    description=described(
        _(
            "officers and supervisors of the halls that see the person (a person or record they do not see is 404; another signed-in user who sees the person is 403)."
        ),
        _(
            "Records a detention for examination (when, `detained_at`, and where); the answer gives the time the person"
            " must be transferred by."
        ),
        filled(_("the %(article)s."), article=article("regulations", "Art. 29")),
    ),
    summary=filled(_("Record a detention (%(detention)s)"), detention=_DETENTION),
)
def detain(request, person_id: int, payload: DetainIn):
    person = _person(request, person_id)
    services.detain(Actor.of(request), person, detained_at=payload.detained_at, place=payload.place)
    return Status(201, _records(request, person))


@router.post(
    "/detentions/{detention_id}/transfer",
    response=RecordsOut,
    description=described(
        _(
            "officers and supervisors of the halls that see the person (a person or record they do not see is 404; another signed-in user who sees the person is 403)."
        ),
        _("Records when and to whom a detained person was transferred; a transfer already recorded is 422."),
        filled(_("the %(article)s."), article=article("regulations", "Art. 29")),
    ),
    summary=filled(_("Record the transfer (%(detention)s)"), detention=_DETENTION),
)
def transfer(request, detention_id: int, payload: TransferIn):
    detention = _record(request, "detention", detention_id)
    services.transfer(Actor.of(request), detention, at=payload.at, to=payload.to)
    return _records(request, detention.person)


@router.post(
    "/people/{person_id}/restrictions",
    response={201: RecordsOut},
    description=described(
        _(
            "officers and supervisors of the halls that see the person (a person or record they do not see is 404; another signed-in user who sees the person is 403)."
        ),
        _(
            "Records a restriction of activities: the day decided, the area and residence, and the times the person must"
            " report."
        ),
        filled(_("the %(article)s."), article=article("regulations", "Art. 30")),
    ),
    summary=filled(
        _("Record a restriction of activities with its reporting times (%(restriction)s)"),
        restriction=_RESTRICTION,
    ),
)
def restrict(request, person_id: int, payload: RestrictIn):
    person = _person(request, person_id)
    services.restrict(
        Actor.of(request),
        person,
        decided_on=payload.decided_on,
        area=payload.area,
        residence=payload.residence,
        report_times=payload.report_times,
    )
    return Status(201, _records(request, person))


@router.post(
    "/restriction-reports/{report_id}/report",
    response=RecordsOut,
    description=described(
        _(
            "officers and supervisors of the halls that see the person (a person or record they do not see is 404; another signed-in user who sees the person is 403)."
        ),
        _(
            "Records that the person reported at one of the times set by a restriction (`at`); a report already recorded"
            " is 422."
        ),
        filled(_("the %(article)s."), article=article("regulations", "Art. 30")),
    ),
    summary=filled(_("Record a report (%(restriction)s)"), restriction=_RESTRICTION),
)
def report(request, report_id: int, payload: AtIn):
    due = _record(request, "report", report_id)
    services.report(Actor.of(request), due, at=payload.at)
    return _records(request, due.restriction.person)


@router.post(
    "/restrictions/{restriction_id}/lift",
    response=RecordsOut,
    description=described(
        _(
            "officers and supervisors of the halls that see the person (a person or record they do not see is 404; another signed-in user who sees the person is 403)."
        ),
        _("Records the day a restriction of activities was lifted; one already lifted is 422."),
        filled(_("the %(article)s."), article=article("regulations", "Art. 30")),
    ),
    summary=_("Record a restriction lifted"),
)
def lift(request, restriction_id: int, payload: OnIn):
    restriction = _record(request, "restriction", restriction_id)
    services.lift(Actor.of(request), restriction, on=payload.on)
    return _records(request, restriction.person)


@router.post(
    "/people/{person_id}/repatriations",
    response={201: RecordsOut},
    description=described(
        _(
            "officers and supervisors of the halls that see the person (a person or record they do not see is 404; another signed-in user who sees the person is 403)."
        ),
        _(
            "Records a repatriation decision with its period of no entry and who bears the costs; a period the law does"
            " not allow is 422."
        ),
        filled(
            _("the %(article)s and the %(article2)s."),
            article=article("regulations", "Arts. 31–32"),
            article2=article("exit-entry-law", "Art. 62"),
        ),
    ),
    summary=filled(
        _("Record a repatriation decision (%(article)s)"), article=article("regulations", "Arts. 31–32")
    ),
)
def repatriate(request, person_id: int, payload: RepatriateIn):
    person = _person(request, person_id)
    services.repatriate(Actor.of(request), person, **payload.dict())
    return Status(201, _records(request, person))


@router.post(
    "/repatriations/{repatriation_id}/carried-out",
    response=RecordsOut,
    description=described(
        _(
            "officers and supervisors of the halls that see the person (a person or record they do not see is 404; another signed-in user who sees the person is 403)."
        ),
        _(
            "Records the day and port of the repatriation: an exit, from which the period of no entry runs. One already"
            " carried out is 422."
        ),
        filled(_("the %(article)s."), article=article("regulations", "Arts. 31–32")),
    ),
    summary=_("Record the repatriation carried out (an exit; the no-entry period starts)"),
)
def carried_out(request, repatriation_id: int, payload: LeaveIn):
    repatriation = _record(request, "repatriation", repatriation_id)
    services.carry_out(Actor.of(request), repatriation, on=payload.on, port=payload.port)
    return _records(request, repatriation.person)


@router.post(
    "/people/{person_id}/orders-to-leave",
    response={201: RecordsOut},
    description=described(
        _(
            "officers and supervisors of the halls that see the person (a person or record they do not see is 404; another signed-in user who sees the person is 403)."
        ),
        _(
            "Records an order to leave China within a number of days from the day ordered; the answer gives the last day."
            " More days than the law allows is 422."
        ),
        filled(_("the %(article)s."), article=article("regulations", "Art. 33")),
    ),
    summary=filled(_("Record an order to leave within a time limit (%(order)s)"), order=_ORDER),
)
def order_to_leave(request, person_id: int, payload: OrderIn):
    person = _person(request, person_id)
    services.order_to_leave(Actor.of(request), person, ordered_on=payload.ordered_on, days=payload.days)
    return Status(201, _records(request, person))


@router.post(
    "/orders-to-leave/{order_id}/exit",
    response=RecordsOut,
    description=described(
        _(
            "officers and supervisors of the halls that see the person (a person or record they do not see is 404; another signed-in user who sees the person is 403)."
        ),
        _(
            "Records the day and port of the person's exit under an order to leave; an exit already recorded is 422."
        ),
        filled(_("the %(article)s."), article=article("regulations", "Art. 33")),
    ),
    summary=_("Record the exit under an order"),
)
def record_exit(request, order_id: int, payload: LeaveIn):
    order = _record(request, "order", order_id)
    services.record_exit(Actor.of(request), order, on=payload.on, port=payload.port)
    return _records(request, order.person)
