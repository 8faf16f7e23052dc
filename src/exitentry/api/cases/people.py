"""``/people``, ``/permits``: a person the user may see, with documents, visas, movements and permits; a
permit with its history; recording a travel document; voiding or cancelling a permit (the hall)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Status

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.api.cases import reading
from exitentry.api.cases.cases import travel_document
from exitentry.api.cases.guard import router
from exitentry.api.cases.schemas import (
    ChangeReportIn,
    ChangeReportOut,
    ChangeReportsOut,
    EndPermitIn,
    PermitHistoryOut,
    PermitOut,
    PersonOut,
    TravelDocumentIn,
    TravelDocumentRecordedOut,
)
from exitentry.api.errors import ApiError, ErrorOut
from exitentry.api.language import filled
from exitentry.api.routing import described, rate
from exitentry.api.schemas import article, named
from exitentry.cases import access, services
from exitentry.compliance import change_reports, endings, notices, scan
from exitentry.compliance.models import ChangeReport
from exitentry.compliance.notices import NoticeRefused
from exitentry.law.calendar import beijing_today
from exitentry.law.rules import holding
from exitentry.law.rules.change_reports import PARTICULARS
from exitentry.law.rules.duties import particulars_change_due
from exitentry.law.rules.grounds import UnknownGround
from exitentry.law.rules.public_notice import holder_duty
from exitentry.law.text import Text
from exitentry.registry import ports
from exitentry.registry import services as registry_services
from exitentry.registry.models import Permit, Person
from exitentry.registry.standing import standing

_CHANGE_ARTICLE = article("exit-entry-law", "Art. 33")  # a change of a residence permit's particulars


@router.get(
    "/people/{person_id}",
    response=PersonOut,
    description=described(
        _(
            "whoever may see the person: the person themself, a proxy, agency or unit handler acting for them, officers"
            " and supervisors of the halls their cases are at; anyone else gets 404."
        ),
        _(
            "The person with their travel documents, visas, entries and exits, accommodation registrations and permits"
            " (each with its standing today). Recorded as a read of personal data."
        ),
    ),
    summary=_("A person, with documents, visas, movements and permits"),
)
def get_person(request, person_id: int):
    person = get_object_or_404(
        Person.objects.filter(access.people_rule(request.user)).prefetch_related(
            "travel_documents", "visas", "movements", "accommodation_registrations", "permits"
        ),
        pk=person_id,
    )
    record(Actor.of(request), "person.read", "person", person.pk)
    today = beijing_today()
    return {
        **named(person),
        "sex": person.sex,
        "birth_date": person.birth_date,
        "travel_documents": [reading.travel_document(d) for d in person.travel_documents.all()],
        "visas": [
            {
                "category": v.category,
                "number": v.number,
                "entries": v.entries,
                "duration_of_stay_days": v.duration_of_stay_days,
                "valid_from": v.valid_from,
                "valid_until": v.valid_until,
                "residence_permit_within_days": v.residence_permit_within_days,
            }
            for v in person.visas.all()
        ],
        "movements": [
            {
                "direction": m.direction,
                "on": m.on,
                "port": ports.name(m.port, "en"),
                "port_code": m.port if ports.known(m.port) else None,
                "port_name": ports.text(m.port).as_dict(),
                "basis": m.basis,
                "visa_free_days": m.visa_free_days,
                "restricted_area": m.restricted_area,
            }
            for m in person.movements.all()
        ],
        "accommodation": [
            {
                "address": a.address,
                "registered_on": a.registered_on,
                "registered_with": a.registered_with,
                "division": a.division,
            }
            for a in person.accommodation_registrations.all()
        ],
        "permits": [_permit(p, today) for p in person.permits.all()],
    }


@router.get(
    "/permits/{permit_id}",
    response=PermitHistoryOut,
    description=described(
        _("whoever may see the permit's holder (as for the person); anyone else gets 404."),
        _(
            "One permit: its history (issued, extended, changed, voided, cancelled), whether it is expiring, the holder's"
            " duties under it with their last days, and the procedures it may start (an extension, a change)."
        ),
    ),
    summary=_(
        "A permit, its history, whether it is expiring, its duties with their dates, what it may start"
    ),
)
def get_permit(request, permit_id: int):
    permit = get_object_or_404(
        Permit.objects.filter(
            person__in=Person.objects.filter(access.people_rule(request.user))
        ).prefetch_related("events"),
        pk=permit_id,
    )
    record(Actor.of(request), "permit.read", "permit", permit.pk)
    today = beijing_today()
    alongside = scan.held(permit.person.permits.all(), today)  # the holder's: they may order what it starts
    held = alongside[permit.pk]
    soon = holding.expiring(held, today, alongside.values())
    return {
        **_permit(permit, today),
        "expiring": {
            "duty": soon.duty.id,
            "why": soon.why.as_dict(),
            "cite": [c.as_dict() for c in soon.duty.cite],
        }
        if soon
        else None,
        "obligations": [a.as_dict() for a in holding.duties(held, today)],
        "procedures": [
            {"procedure": p.id, "action": p.casework.action, "title": p.title.as_dict()}
            for p in holding.procedures_for(held, today, tuple(alongside.values()))
        ],
        "events": [
            {
                "kind": e.kind,
                "at": e.at,
                "case": e.case_id,
                "ground_id": e.ground_id,
                "before": e.before,
                "after": e.after,
            }
            for e in permit.events.all()
        ],
    }


@router.post(
    "/people/{person_id}/travel-documents",
    response={201: TravelDocumentRecordedOut, 429: ErrorOut},  # 429: as POST /cases (services.passports)
    description=described(
        _(
            "whoever may record the person's documents: the applicant's side for its own people (recorded as a claim the"
            " hall checks at intake), officers and supervisors of the person's halls."
        ),
        _("Records a travel document. A number already recorded for another person is 422 on `number`."),
        limit=filled(
            _(
                "an account is refused a passport the records already hold (for another person) at most %(rate)s; past it 429 with `Retry-After`."
            ),
            rate=rate(settings.EXITENTRY_PASSPORT_REFUSAL_RATE, _("times")),
        ),
    ),
    summary=_("Record a passport"),
)
def add_travel_document(request, person_id: int, payload: TravelDocumentIn):
    person = get_object_or_404(Person.objects.filter(access.people_rule(request.user)), pk=person_id)
    if not access.may_record_documents(request.user, person):
        raise ApiError(
            403, None, Text("Not allowed to record this person's documents.", "无权登记此人的证件。")
        )
    try:  # a passport another person holds: the probe a new person's passport is (``services.passports``)
        taken = services.document_refused(
            Actor.of(request), person.pk, payload.issuing_country, payload.number
        )
    except services.RefusalsSpent as spent:
        raise ApiError(429, None, spent.text, {"Retry-After": str(spent.wait)}) from None
    if taken is not None:
        raise ApiError(422, "number", taken)
    with transaction.atomic():
        doc = travel_document(person, payload, "", claim=not policy.is_hall_side(request.user))
        record(
            Actor.of(request),
            "person.document",
            "person",
            person.pk,
            new={"number": doc.number, "country": doc.issuing_country, "claim": doc.claim},
        )
    return Status(201, {"id": doc.pk, "kind": doc.kind, "number": doc.number, "expires_on": doc.expires_on})


def _reportable(request, permit_id: int) -> Permit:
    """The permit, if the user reads its holder (404 otherwise) and may report for them (403 otherwise)."""
    permit = get_object_or_404(
        Permit.objects.filter(person__in=Person.objects.filter(access.people_rule(request.user))),
        pk=permit_id,
    )
    if not access.may_report_change(request.user, permit.person_id):
        raise ApiError(403, None, Text("Not allowed to report for this holder.", "无权为该持证人报告。"))
    return permit


def _change_report(report: ChangeReport, user) -> dict:
    """A report as the API answers it; who filed it (an account name) only to the hall's side."""
    return {
        "id": report.pk,
        "number": report.number,
        "particular": report.particular,
        "particular_text": PARTICULARS[report.particular].as_dict(),
        "changed_on": report.changed_on,
        "reported_on": report.reported_on,
        "note": report.note,
        "filed_by": report.filed_by.get_username() if policy.is_hall_side(user) else None,
        "filed_at": report.filed_at,
        "source": report.source,
    }


@router.get(
    "/permits/{permit_id}/change-reports",
    response=ChangeReportsOut,
    description=described(
        _(
            "the holder, a proxy or unit that may report for them, officers and supervisors who read the holder."
        ),
        _(
            "The reports of a change of the permit's particulars (name, passport, employer or school, address) and, where"
            " the reason for the permit changed, the last day to report it and whether it was."
        ),
        filled(
            _(
                "a change of a residence permit's particulars is reported within the time limit of the %(article)s (`report_by` gives the last day)."
            ),
            article=article("exit-entry-law", "Art. 33"),
        ),
    ),
    summary=filled(
        _("The reports of a change of a residence permit's particulars (%(change_article)s)"),
        change_article=_CHANGE_ARTICLE,
    ),
)
def list_change_reports(request, permit_id: int):
    permit = _reportable(request, permit_id)
    record(Actor.of(request), "permit.read", "permit", permit.pk)
    return {
        "reason_change": _reason_change(permit),
        "items": [_change_report(r, request.user) for r in change_reports.reports_of(permit)],
    }


def _reason_change(permit: Permit) -> dict | None:
    changed = notices.reason_changed_on(permit)
    if changed is None:
        return None
    reported = change_reports.reported_on(permit, changed)
    return {
        "changed_on": changed,
        "report_by": particulars_change_due(changed),
        "reported_on": reported,
        "text": holder_duty(changed, reported).as_dict(),
    }


@router.post(
    "/permits/{permit_id}/change-reports",
    response={201: ChangeReportOut},
    description=described(
        _("the holder, a proxy or unit that may report for them (403 for anyone else who reads the holder)."),
        _(
            "Files a report of a change of a particular (`particular`) on the day it changed (`changed_on`); answers the"
            " report with its number (its receipt: `/permits/{permit_id}/change-reports/{report_id}/receipt`). A day"
            " after today, or the same change reported again, is 422."
        ),
        filled(_("the %(article)s."), article=article("exit-entry-law", "Art. 33")),
    ),
    summary=filled(
        _("Report a change of a residence permit's particulars (%(change_article)s)"),
        change_article=_CHANGE_ARTICLE,
    ),
)
def report_change(request, permit_id: int, payload: ChangeReportIn):
    permit = _reportable(request, permit_id)
    report = change_reports.file(
        Actor.of(request),
        permit,
        payload.particular,
        payload.changed_on,
        payload.note,
        source=ChangeReport.Source.API,
    )
    return Status(201, _change_report(report, request.user))


@router.post(
    "/permits/{permit_id}/{ending}",
    response=PermitOut,
    description=described(
        _("officers and supervisors of the holder's halls."),
        _(
            "Declares a visa, stay permit or residence permit void (`void`) or cancels it (`cancel`), on a ground the"
            " law gives (`ground_id`); any other kind of document is 422, a document already void or cancelled is 409."
        ),
        filled(
            _(
                "voiding under the %(article)s, cancellation under the %(article2)s; each ground cites its own paragraph."
            ),
            article=article("regulations", "Art. 34"),
            article2=article("regulations", "Art. 35"),
        ),
    ),
    summary=filled(
        _("Void or cancel a visa, stay or residence permit (%(article)s; any other kind: 422)"),
        article=article("regulations", "Arts. 34–35"),
    ),
)
def end_permit(request, permit_id: int, ending: str, payload: EndPermitIn):
    if ending not in endings.STATUSES:
        raise ApiError(
            404,
            "ending",
            Text("A permit is ended by void or cancel.", "证件只能宣布作废（void）或注销（cancel）。"),
        )
    permit = get_object_or_404(
        Permit.objects.filter(person__in=Person.objects.filter(access.people_rule(request.user))),
        pk=permit_id,
    )
    if not access.may_end_permit(request.user, permit):
        raise ApiError(
            403,
            None,
            Text(
                "Only officers and supervisors void or cancel permits.",
                "只有民警和审批主管可以宣布证件作废或注销证件。",
            ),
        )
    try:
        endings.end_permit(
            Actor.of(request),
            permit,
            ending,
            payload.ground_id,
            on=beijing_today(),
            authority_notified=payload.issuing_authority_notified,
        )
    except UnknownGround as exc:
        raise ApiError(422, "ground_id", exc.text) from None
    except registry_services.OutOfReach as exc:
        raise ApiError(422, "kind", exc.text) from None
    except registry_services.PermitAlreadyEnded as exc:
        raise ApiError(409, "state", exc.text) from None
    except NoticeRefused as exc:
        raise ApiError(409, "ground_id", exc.text) from None
    return _permit(permit, beijing_today())


def _permit(p: Permit, today: date) -> dict:
    now = standing(p, today)
    ended = now.state in ("void", "cancelled")
    return {
        "id": p.pk,
        "kind": p.kind,
        "permit_type": p.permit_type,
        "number": p.number,
        "issued_on": p.issued_on,
        "valid_until": p.valid_until,
        "state": now.state,
        "state_label": now.label.as_dict(),
        "ended_on": now.ended_on if ended else None,
        "ground": {
            "id": now.ground.id,
            "text": now.ground.text.as_dict(),
            "cite": [c.as_dict() for c in now.ground.cite],
        }
        if now.ground
        else None,
        "endorsement": p.endorsement,
    }
