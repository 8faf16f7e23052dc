"""``/cases``, ``/queue``, ``/people``: applications and their processing, with the same policy as the pages.

Signed-in users only (the session; the API client sends the CSRF token on writes). A case the user may
not see answers 404, as if it did not exist; one they may see but not act on answers 403. Every answer
that shows personal data is recorded in the audit trail as a read.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError as ModelInvalid
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record, record_list
from exitentry.api.errors import CONFLICT, INVALID, NOT_FOUND, SIGNED_IN, ApiError
from exitentry.api.schemas import Out
from exitentry.cases import access, lifecycle, services
from exitentry.cases import notices as notices_pdf
from exitentry.cases.deadlines import case_deadlines
from exitentry.cases.lifecycle import QUEUE_STATES
from exitentry.cases.models import Case, Material, VerificationTask
from exitentry.cases.reads import case_lists
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.clocks import Pause
from exitentry.law.rules.grounds import UnknownGround
from exitentry.registry import services as registry_services
from exitentry.registry.models import Permit, Person, TravelDocument

router = Router(tags=["cases"], auth=django_auth)
ERRORS = {**SIGNED_IN, **NOT_FOUND, **INVALID, **CONFLICT}
SIMPLE_ACTIONS = {action: getattr(services, action) for action in lifecycle.SIMPLE_STEPS}


# --- schemas ---------------------------------------------------------------------------------------------


class PersonIn(Schema):
    surname: str = Field(min_length=1, max_length=100)
    given_names: str = Field("", max_length=150)
    chinese_name: str = Field("", max_length=50)
    sex: str = Field(pattern="^[FMX]$")
    birth_date: date
    nationality: str = Field(pattern="^[A-Z]{3}$", description="ISO 3166 alpha-3, e.g. DEU")
    passport: TravelDocumentIn | None = None


class TravelDocumentIn(Schema):
    kind: str = Field("passport", pattern="^(passport|other)$")
    number: str = Field(description="5 to 20 capital letters and digits")
    issuing_country: str = Field(description="ISO 3166 alpha-3, e.g. DEU")
    issued_on: date
    expires_on: date


class CaseIn(Schema):
    procedure: str
    person_id: int | None = Field(None, description="an existing person; or give `person`")
    person: PersonIn | None = None
    facts: dict[str, object] = {}
    acting_as: str | None = Field(None, description="self, proxy, unit or agency (default: by role)")
    permit_id: int | None = Field(None, description="the permit an extension, renewal, ... acts on")


class FactsIn(Schema):
    facts: dict[str, object]


class SubmitIn(Schema):
    hall_id: str


class ReceiveIn(Schema):
    applicant_present: bool = Field(
        True, description="false: someone else hands it in (Art. 19 must allow it)"
    )


class DecisionIn(Schema):
    outcome: str = Field(pattern="^(approved|refused)$")
    validity: str = Field("", description="ISO 8601 duration for an approval, e.g. P2Y")
    ground_id: str = Field("", description="the Art. 21 ground for a refusal")


class TaskIn(Schema):
    kind: str


class TaskCloseIn(Schema):
    outcome: str


class PaymentIn(Schema):
    amount_cny: int
    method: str = Field(max_length=20)


class ExemptionIn(Schema):
    reason: str = Field(max_length=300, description="why the fee is waived")


class MaterialReviewIn(Schema):
    defect: str = ""
    original_seen: bool | None = None


class CaseRow(Out):
    id: int
    reference: str | None
    procedure: str
    state: str
    person: str
    hall_id: str
    submitted_on: date | None
    decision_due: date | None
    late: bool


class ListQuery(Schema):
    state: str | None = None
    hall_id: str | None = Field(None, description="the queue of one of your halls")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


# --- helpers ------------------------------------------------------------------------------------------


def _visible(request, case_id: int, action: str = "view") -> Case:
    """The case, if the user may see it (404 otherwise), after checking they may take ``action`` (403)."""
    case = get_object_or_404(access.cases_for(request.user).select_related("person", "permit"), pk=case_id)
    if action != "view":
        access.require(request.user, action, case)
    return case


ROW_FIELDS = (
    "pk",
    "reference",
    "procedure_id",
    "state",
    "person__surname",
    "person__given_names",
    "hall_id",
    "submitted_on",
    "decision_due",
    "decided_on",
)


def _row(case: Case, today: date) -> dict:
    return _row_of(
        {
            **{f: getattr(case, f) for f in ROW_FIELDS if "__" not in f},
            "person__surname": case.person.surname,
            "person__given_names": case.person.given_names,
        },
        today,
    )


def _row_of(v: dict, today: date) -> dict:
    """A list row from the few columns it shows (no model objects, no facts decoded)."""
    due = v["decision_due"]
    return {
        "id": v["pk"],
        "reference": v["reference"],
        "procedure": v["procedure_id"],
        "state": v["state"],
        "person": Person.display_name(v["person__surname"], v["person__given_names"]),
        "hall_id": v["hall_id"],
        "submitted_on": v["submitted_on"],
        "decision_due": due,
        "late": due is not None and v["decided_on"] is None and today > due,
    }


def _rows(request, listing: str, qs, query: ListQuery) -> list[dict]:
    """A page of rows; the people's names on it are a read of personal data, audited as one entry."""
    if query.state:
        qs = qs.filter(state=query.state)
    if query.hall_id:
        qs = qs.filter(hall_id=query.hall_id)
    today = beijing_today()
    rows = [_row_of(v, today) for v in qs.values(*ROW_FIELDS)[query.offset : query.offset + query.limit]]
    record_list(Actor.of(request), listing, f"{query.offset}+{query.limit}", [r["id"] for r in rows])
    return rows


def detail(case: Case, today: date) -> dict:
    """Everything about one case a permitted user may read."""
    procedure = catalog().procedure(case.procedure_id)
    person = case.person
    lists = case_lists(case.pk)
    pauses = [Pause(p.start, p.end) for p in lists.pauses]
    data = {
        **_row(case, today),
        "procedure_title": procedure.title.as_dict(),
        "acting_as": case.acting_as,
        "facts": case.facts,
        "applicant": {
            "id": person.pk,
            "surname": person.surname,
            "given_names": person.given_names,
            "chinese_name": person.chinese_name,
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat(),
            "nationality": person.nationality,
        },
        "permit": None
        if case.permit is None
        else {"id": case.permit.pk, "number": case.permit.number, "kind": case.permit.kind},
        "halls": list(services.hall_choices(procedure)),
        "deadlines": [d.as_dict() for d in case_deadlines(case, today, pauses)],
        "materials": [
            {
                "id": m.pk,
                "material_id": m.material_id,
                "name": m.original_name,
                "content_type": m.content_type,
                "size": m.size,
                "sha256": m.sha256,
                "original_seen": m.original_seen,
                "translated": m.translated,
                "defect": m.defect,
            }
            for m in lists.materials
        ],
        "notices": [
            {
                "number": n.number,
                "issued_on": n.issued_on,
                "items": n.items,
                "paused": None if (p := lists.pause_of(n)) is None else {"from": p.start, "until": p.end},
            }
            for n in lists.notices
        ],
        "receipt": None,
        "tasks": [
            {"id": t.pk, "kind": t.kind, "opened_at": t.opened_at, "done_at": t.done_at, "outcome": t.outcome}
            for t in lists.tasks
        ],
        "decision": None,
        "payments": [
            {"amount_cny": p.amount_cny, "method": p.method, "paid_at": p.paid_at} for p in lists.payments
        ],
        "fee": _fee(services.fee_of(case, today, lists.payments)),
        "events": [
            {"action": e.action, "from": e.from_state, "to": e.to_state, "at": e.at, "actor": e.actor_id}
            for e in lists.events
        ],
    }
    if hasattr(case, "receipt"):
        r = case.receipt
        data["receipt"] = {
            "number": r.number,
            "issued_on": r.issued_on,
            "valid_until": r.valid_until,
            "provisional": r.provisional,
        }
    if hasattr(case, "decision"):
        d = case.decision
        data["decision"] = {
            "number": d.number,
            "outcome": d.outcome,
            "validity": d.validity,
            "ground_id": d.ground_id,
            "decided_on": d.decided_on,
        }
    if case.state in ("received", "deficient"):
        data["outstanding"] = [
            {
                "kind": x.kind,
                "id": x.item.id,
                "text": x.item.text.as_dict(),
                "reason": x.reason.as_dict() if x.reason else None,
            }
            for x in services.outstanding(case, today, lists.materials)
        ]
    return data


def _fee(fee: services.Fee) -> dict:
    e = fee.exemption
    return {
        "due_cny": fee.due,
        "paid_cny": fee.paid,
        "outstanding_cny": fee.outstanding,
        "exemption": None if e is None else {"reason": e.reason, "recorded_at": e.recorded_at},
    }


def _whole(queryset):
    """The case row with what it holds one of; its lists are read by ``detail`` (``cases.reads``)."""
    return queryset.select_related("person", "permit", "receipt", "decision", "fee_exemption")


def _answer(request, case: Case) -> dict:
    """The case as it now stands, read once with everything it shows; the read is audited."""
    return _shown(request, _whole(Case.objects).get(pk=case.pk))


def _shown(request, case: Case) -> dict:
    record(Actor.of(request), "case.read", "case", case.pk)
    return detail(case, beijing_today())


# --- endpoints ----------------------------------------------------------------------------------------


@router.get("/cases", response={200: list[CaseRow], **SIGNED_IN}, summary="The cases you may see")
def list_cases(request, query: Query[ListQuery]):
    return _rows(request, "case-list", access.cases_for(request.user).order_by("-created_at", "-pk"), query)


@router.get(
    "/queue", response={200: list[CaseRow], **SIGNED_IN}, summary="The officers' work queue, due first"
)
def queue(request, query: Query[ListQuery]):
    if not policy.is_hall_side(request.user):
        raise ApiError(403, None, "the work queue is for officers and supervisors")
    qs = (
        access.cases_for(request.user)
        .filter(state__in=QUEUE_STATES)
        .order_by(F("decision_due").asc(nulls_last=True), "submitted_on", "pk")
    )
    return _rows(request, "queue", qs, query)


@router.post("/cases", response={201: dict, **ERRORS}, summary="Start an application (a draft)")
def create_case(request, payload: CaseIn):
    user = request.user
    if (payload.person_id is None) == (payload.person is None):
        raise ApiError(422, "person_id", "give either person_id or person")
    if payload.person_id is not None:
        person = Person.objects.filter(access.people_rule(user)).filter(pk=payload.person_id).first()
        if person is None:
            raise ApiError(404, "person_id", "no such person among those you may use")
    else:
        if user.role == "applicant":
            raise ApiError(422, "person", "an applicant applies for themself: give your own person_id")
        person = Person(**payload.person.dict(exclude={"passport"}))
    permit = None
    if payload.permit_id is not None:
        permit = person.permits.filter(pk=payload.permit_id).first() if person.pk else None
        if permit is None:
            raise ApiError(404, "permit_id", "no such permit of this person")
    with transaction.atomic():
        if person.pk is None:
            _valid(person, "person")
            person.save()
            if payload.person.passport is not None:
                _travel_document(person, payload.person.passport, "person.passport")
        case = services.start_case(
            Actor.of(request),
            procedure_id=payload.procedure,
            person=person,
            facts=payload.facts,
            acting_as=payload.acting_as,
            permit=permit,
        )
    return Status(201, _answer(request, case))


@router.get(
    "/cases/{case_id}",
    response={200: dict, **ERRORS},
    summary="One case: state, deadlines, materials, notices",
)
def get_case(request, case_id: int):
    return _shown(request, get_object_or_404(_whole(access.cases_for(request.user)), pk=case_id))


@router.patch("/cases/{case_id}/facts", response={200: dict, **ERRORS}, summary="Change a draft's facts")
def update_facts(request, case_id: int, payload: FactsIn):
    return _answer(
        request, services.update_facts(Actor.of(request), _visible(request, case_id), payload.facts)
    )


@router.post("/cases/{case_id}/submit", response={200: dict, **ERRORS}, summary="Submit to a hall")
def submit(request, case_id: int, payload: SubmitIn):
    return _answer(request, services.submit(Actor.of(request), _visible(request, case_id), payload.hall_id))


@router.post(
    "/cases/{case_id}/materials", response={201: dict, **ERRORS}, summary="Upload a material (PDF, JPEG, PNG)"
)
def upload(
    request, case_id: int, material_id: Form[str], file: File[UploadedFile], translated: Form[bool] = False
):
    material = services.upload_material(
        Actor.of(request), _visible(request, case_id), material_id, file, translated=translated
    )
    return Status(
        201,
        {
            "id": material.pk,
            "material_id": material.material_id,
            "sha256": material.sha256,
            "size": material.size,
        },
    )


@router.patch(
    "/materials/{material_id}",
    response={200: dict, **ERRORS},
    summary="Mark a material defective or its original seen",
)
def review_material(request, material_id: int, payload: MaterialReviewIn):
    material = get_object_or_404(
        Material.objects.filter(case__in=access.cases_for(request.user)), pk=material_id
    )
    services.mark_material(
        Actor.of(request), material, defect=payload.defect, original_seen=payload.original_seen
    )
    return _answer(request, material.case)


@router.post(
    "/cases/{case_id}/receive", response={200: dict, **ERRORS}, summary="The hall receives the materials"
)
def receive(request, case_id: int, payload: ReceiveIn | None = None):
    present = True if payload is None else payload.applicant_present
    return _answer(
        request, services.receive(Actor.of(request), _visible(request, case_id), applicant_present=present)
    )


@router.post(
    "/cases/{case_id}/deficiency-notices", response={201: dict, **ERRORS}, summary="Issue the one-time notice"
)
def notify(request, case_id: int):
    notice = services.notify_deficiency(Actor.of(request), _visible(request, case_id))
    return Status(201, {"number": notice.number, "issued_on": notice.issued_on, "items": notice.items})


@router.post(
    "/cases/{case_id}/receipt", response={201: dict, **ERRORS}, summary="Accept and issue the receipt"
)
def accept(request, case_id: int):
    r = services.accept(Actor.of(request), _visible(request, case_id))
    return Status(
        201,
        {
            "number": r.number,
            "issued_on": r.issued_on,
            "valid_until": r.valid_until,
            "provisional": r.provisional,
        },
    )


@router.post(
    "/cases/{case_id}/tasks", response={201: dict, **ERRORS}, summary="Open a verification task (Art. 20)"
)
def open_task(request, case_id: int, payload: TaskIn):
    task = services.open_task(Actor.of(request), _visible(request, case_id), payload.kind)
    return Status(201, {"id": task.pk, "kind": task.kind})


@router.post("/tasks/{task_id}/close", response={200: dict, **ERRORS}, summary="Close a verification task")
def close_task(request, task_id: int, payload: TaskCloseIn):
    task = get_object_or_404(
        VerificationTask.objects.filter(case__in=access.cases_for(request.user)), pk=task_id
    )
    task = services.close_task(Actor.of(request), task, payload.outcome)
    return {"id": task.pk, "done_at": task.done_at, "outcome": task.outcome}


@router.post("/cases/{case_id}/decision", response={201: dict, **ERRORS}, summary="Approve or refuse (final)")
def decide(request, case_id: int, payload: DecisionIn):
    d = services.decide(
        Actor.of(request),
        _visible(request, case_id),
        payload.outcome,
        validity=payload.validity,
        ground_id=payload.ground_id,
    )
    return Status(
        201,
        {
            "number": d.number,
            "outcome": d.outcome,
            "validity": d.validity,
            "ground_id": d.ground_id,
            "decided_on": d.decided_on,
        },
    )


@router.post("/cases/{case_id}/payments", response={201: dict, **ERRORS}, summary="Record a fee payment")
def pay(request, case_id: int, payload: PaymentIn):
    p = services.record_payment(
        Actor.of(request), _visible(request, case_id), payload.amount_cny, payload.method
    )
    return Status(201, {"amount_cny": p.amount_cny, "method": p.method})


@router.post(
    "/cases/{case_id}/fee-exemption",
    response={201: dict, **ERRORS},
    summary="Waive the fee, saying why (the hall)",
)
def exempt_fee(request, case_id: int, payload: ExemptionIn):
    e = services.exempt_fee(Actor.of(request), _visible(request, case_id), payload.reason)
    return Status(201, {"reason": e.reason, "recorded_at": e.recorded_at})


@router.post(
    "/cases/{case_id}/{action}",
    response={200: dict, **ERRORS},
    summary="A step without input: receive, issue, ...",
)
def step(request, case_id: int, action: str):
    if action not in SIMPLE_ACTIONS:
        raise ApiError(404, "action", f"no action {action!r}; the steps are {', '.join(SIMPLE_ACTIONS)}")
    return _answer(request, SIMPLE_ACTIONS[action](Actor.of(request), _visible(request, case_id)))


@router.get("/cases/{case_id}/documents/{kind}", response={200: None, **ERRORS}, summary="A document as PDF")
def document(request, case_id: int, kind: str, number: str | None = None):
    """``receipt``, ``decision``, or ``deficiency`` with ``?number=`` (the latest notice without it)."""
    case = get_object_or_404(access.cases_for(request.user).select_related("person", "permit"), pk=case_id)
    notice = None
    if kind == "receipt" and not hasattr(case, "receipt"):
        raise ApiError(404, "kind", "no receipt has been issued for this case")
    if kind == "decision" and not hasattr(case, "decision"):
        raise ApiError(404, "kind", "this case has no decision")
    if kind == "deficiency":
        notices = case.deficiency_notices.order_by("-issued_on", "-pk")
        notice = (notices.filter(number=number) if number else notices).first()
        if notice is None:
            raise ApiError(404, "number", "no such one-time notice for this case")
    elif kind not in ("receipt", "decision"):
        raise ApiError(404, "kind", "the documents are receipt, deficiency and decision")
    record(Actor.of(request), "document.read", kind, case.pk)
    body = notices_pdf.render(kind, case, request.build_absolute_uri("/").rstrip("/"), notice)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}-{kind}.pdf"'
    return response


@router.get(
    "/people/{person_id}",
    response={200: dict, **ERRORS},
    summary="A person, with documents, visas, movements and permits",
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
        "id": person.pk,
        "surname": person.surname,
        "given_names": person.given_names,
        "chinese_name": person.chinese_name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "nationality": person.nationality,
        "travel_documents": [
            {
                "kind": d.kind,
                "number": d.number,
                "issuing_country": d.issuing_country,
                "expires_on": d.expires_on,
            }
            for d in person.travel_documents.all()
        ],
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
        "movements": [{"direction": m.direction, "on": m.on, "port": m.port} for m in person.movements.all()],
        "accommodation": [
            {"address": a.address, "registered_on": a.registered_on, "registered_with": a.registered_with}
            for a in person.accommodation_registrations.all()
        ],
        "permits": [_permit(p, today) for p in person.permits.all()],
    }


@router.get(
    "/permits/{permit_id}", response={200: dict, **ERRORS}, summary="A permit and its history, event by event"
)
def get_permit(request, permit_id: int):
    permit = get_object_or_404(
        Permit.objects.filter(
            person__in=Person.objects.filter(access.people_rule(request.user))
        ).prefetch_related("events"),
        pk=permit_id,
    )
    record(Actor.of(request), "permit.read", "permit", permit.pk)
    return {
        **_permit(permit, beijing_today()),
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


def _valid(obj, prefix: str) -> None:
    """The model's own checks, their fields named from the request body (``person.birth_date``)."""
    try:
        obj.full_clean()
    except ModelInvalid as exc:
        named = {
            (prefix or "__all__") if field == "__all__" else (f"{prefix}.{field}" if prefix else field): msgs
            for field, msgs in exc.message_dict.items()
        }
        raise ModelInvalid(named) from None


def _travel_document(person: Person, doc: TravelDocumentIn, prefix: str) -> TravelDocument:
    document = TravelDocument(person=person, **doc.dict())
    _valid(document, prefix)
    document.save()
    return document


@router.post(
    "/people/{person_id}/travel-documents", response={201: dict, **ERRORS}, summary="Record a passport"
)
def add_travel_document(request, person_id: int, payload: TravelDocumentIn):
    person = get_object_or_404(Person.objects.filter(access.people_rule(request.user)), pk=person_id)
    if not access.may_record_documents(request.user, person):
        raise ApiError(403, None, "not allowed to record this person's documents")
    with transaction.atomic():
        doc = _travel_document(person, payload, "")
        record(
            Actor.of(request),
            "person.document",
            "person",
            person.pk,
            new={"number": doc.number, "country": doc.issuing_country},
        )
    return Status(201, {"id": doc.pk, "kind": doc.kind, "number": doc.number, "expires_on": doc.expires_on})


class EndPermitIn(Schema):
    ground_id: str = Field(description="the Art. 34 (void) or Art. 35 (cancellation) ground")


@router.post(
    "/permits/{permit_id}/{ending}",
    response={200: dict, **ERRORS},
    summary="Void (Art. 34) or cancel (Art. 35) a permit",
)
def end_permit(request, permit_id: int, ending: str, payload: EndPermitIn):
    statuses = {"void": Permit.Status.VOID, "cancel": Permit.Status.CANCELLED}
    if ending not in statuses:
        raise ApiError(404, "ending", "a permit is ended by void or cancel")
    permit = get_object_or_404(
        Permit.objects.filter(person__in=Person.objects.filter(access.people_rule(request.user))),
        pk=permit_id,
    )
    if not access.may_end_permit(request.user, permit):
        raise ApiError(403, None, "only officers and supervisors void or cancel permits")
    old = permit.particulars()
    try:
        with transaction.atomic():
            registry_services.end_permit(permit, statuses[ending], payload.ground_id, on=beijing_today())
            record(
                Actor.of(request),
                f"permit.{ending}",
                "permit",
                permit.pk,
                old=old,
                new={**permit.particulars(), "ground_id": payload.ground_id},
            )
    except UnknownGround as exc:
        raise ApiError(422, "ground_id", exc.text) from None
    except registry_services.PermitAlreadyEnded as exc:
        raise ApiError(409, "state", exc.text) from None
    return _permit(permit, beijing_today())


def _permit(p: Permit, today: date) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "permit_type": p.permit_type,
        "number": p.number,
        "issued_on": p.issued_on,
        "valid_until": p.valid_until,
        "state": p.state_on(today),
        "endorsement": p.endorsement,
    }
