"""``/cases``, ``/queue``: the cases a user may see, the officers' queue, starting a draft, one case, its
facts and its submission."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as ModelInvalid
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from ninja import Query, Status

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor
from exitentry.api.cases import reading
from exitentry.api.cases.guard import router, takes
from exitentry.api.cases.schemas import (
    CaseIn,
    CaseOut,
    CaseRow,
    FactsIn,
    ListQuery,
    SubmitIn,
    TravelDocumentIn,
)
from exitentry.api.errors import ApiError, ErrorOut
from exitentry.api.language import filled, joined
from exitentry.api.routing import described, rate
from exitentry.api.schemas import article
from exitentry.cases import access, services
from exitentry.cases.lifecycle import QUEUE_STATES
from exitentry.cases.models import Case
from exitentry.law.text import Text
from exitentry.registry import names
from exitentry.registry.models import Person, TravelDocument


@router.get(
    "/cases",
    response=list[CaseRow],
    description=described(
        _(
            "any signed-in user: the applicant's side sees the cases it filed or is named on; officers and supervisors the"
            " cases submitted to their halls."
        ),
        _(
            "The cases the caller may see, newest first, paginated (`offset`, `limit`). Every answer that shows personal"
            " data is recorded as a read."
        ),
    ),
    summary=_("The cases you may see"),
)
def list_cases(request, query: Query[ListQuery]):
    qs = access.cases_for(request.user).order_by("-created_at", "-pk")
    return reading.rows(request, "case-list", qs, query)


@router.get(
    "/queue",
    response=list[CaseRow],
    description=described(
        _("officers and supervisors (403 for anyone else)."),
        _(
            "The open cases submitted to the caller's halls, the one whose decision is due first at the top (then the"
            " earliest submitted), paginated."
        ),
    ),
    summary=_("The officers' work queue, due first"),
)
def queue(request, query: Query[ListQuery]):
    if not policy.is_hall_side(request.user):
        raise ApiError(
            403,
            None,
            Text("The work queue is for officers and supervisors.", "待办队列仅供民警和审批主管使用。"),
        )
    qs = (
        access.cases_for(request.user)
        .filter(state__in=QUEUE_STATES)
        .order_by(F("decision_due").asc(nulls_last=True), "submitted_on", "pk")
    )
    return reading.rows(request, "queue", qs, query)


@router.post(
    "/cases",
    response={201: CaseOut, 429: ErrorOut},  # 429: past the account's refused passports (services.passports)
    by_alias=True,
    description=described(
        _(
            "the applicant's side: an applicant for themself (their own `person_id`), a proxy, agency or unit handler for"
            " a person they may act for (`person_id`) or a person entered here (`person`, with a passport)."
        ),
        joined(
            (
                _(
                    "Starts a draft of a procedure with the facts known so far, optionally on a permit the person"
                    " holds (`permit_id`, for an extension or a change). Give `person_id` or `person`, not both. A"
                    " passport already recorded for another person is 422 on `person.passport.number`."
                ),
                _(
                    "Where the person already has a draft of the same procedure that the caller may open, no"
                    " second one is started: 409 on `procedure`, the message naming the draft's id and `Location`"
                    " giving its address (continue it, or withdraw it first), as the start page shows that draft."
                ),
            ),
            " ",
        ),
        filled(
            _("who may file for whom: the %(article)s and %(article2)s (the `acting_as` field)."),
            article=article("regulations", "Art. 19"),
            article2=article("regulations", "Art. 16"),
        ),
        limit=filled(
            _(
                "an account is refused a passport the records already hold (for another person) at most %(rate)s; past it 429 with `Retry-After`."
            ),
            rate=rate(settings.EXITENTRY_PASSPORT_REFUSAL_RATE, _("times")),
        ),
    ),
    summary=_("Start an application (a draft)"),
)
def create_case(request, payload: CaseIn):
    user = request.user
    if (payload.person_id is None) == (payload.person is None):
        raise ApiError(
            422,
            "person_id",
            Text(
                "Give either person_id or person, not both or neither.",
                "请提供 person_id 或 person 其中之一。",
            ),
        )
    if payload.person_id is not None:
        person = Person.objects.filter(access.people_rule(user)).filter(pk=payload.person_id).first()
        if person is None:
            raise ApiError(
                404,
                "person_id",
                Text("No such person among those you may use.", "在您可代办的人员中没有此人。"),
            )
    else:
        if user.role == "applicant":
            raise ApiError(
                422,
                "person",
                Text(
                    "An applicant applies for themself: give your own person_id.",
                    "申请人只能为本人申请：请提供本人的 person_id。",
                ),
            )
        for field in ("surname", "given_names"):  # as on the page (``web.person_form``)
            if (why := names.not_as_in_passport(getattr(payload.person, field))) is not None:
                raise ApiError(422, f"person.{field}", why)
        person = Person(**payload.person.dict(exclude={"passport"}))
        passport = payload.person.passport
        try:
            taken = services.new_person_refused(
                Actor.of(request),
                passport.issuing_country if passport else "",
                passport.number if passport else "",
            )
        except services.RefusalsSpent as spent:
            raise ApiError(429, "person", spent.text, {"Retry-After": str(spent.wait)}) from None
        if taken is not None:
            raise ApiError(422, "person.passport.number", taken)
    permit = None
    if payload.permit_id is not None:
        permit = person.permits.filter(pk=payload.permit_id).first() if person.pk else None
        if permit is None:
            raise ApiError(404, "permit_id", Text("This person holds no such permit.", "此人没有该证件。"))
    entered = person.pk is None
    with transaction.atomic():
        if entered:
            valid(person, "person")
            person.save()
            if payload.person.passport is not None:
                travel_document(person, payload.person.passport, "person.passport", claim=True)
        try:
            case = services.start_case(
                Actor.of(request),
                procedure_id=payload.procedure,
                person=person,
                facts=payload.facts,
                acting_as=payload.acting_as,
                permit=permit,
                entered=entered,
            )
        except services.DraftExists as exc:  # as the start page: the draft there is, not a second one
            raise ApiError(
                409, exc.field, exc.message, {"Location": f"/api/v1/cases/{exc.draft.pk}"}
            ) from None
    return Status(201, reading.answer(request, case))


@router.get(
    "/cases/{case_id}",
    response=CaseOut,
    by_alias=True,
    description=described(
        _(
            "whoever may see the case (the applicant's side on its own cases, officers and supervisors of its hall); a"
            " case the caller may not see is 404."
        ),
        _(
            "The case with its state, the deadlines counted in working days, the materials and their review, the"
            " one-time notices, the fee (in CNY) and its payments, and its history. Recorded as a read of personal data."
        ),
    ),
    summary=_("One case: state, deadlines, materials, notices, fee"),
)
@takes("view")
def get_case(request, case: Case):
    return reading.shown(request, case)


@router.patch(
    "/cases/{case_id}/facts",
    response=CaseOut,
    by_alias=True,
    description=described(
        _("the applicant's side: the applicant, or the proxy, agency or unit handler who filed the case."),
        _(
            "Replaces the facts of a draft (only while it is a draft; 409 otherwise). Each fact is checked by the law core"
            " as in the advice: a wrong type or value is 422 on `facts.<name>`."
        ),
    ),
    summary=_("Change a draft's facts"),
)
@takes("edit")
def update_facts(request, case: Case, payload: FactsIn):
    return reading.answer(request, services.update_facts(Actor.of(request), case, payload.facts))


@router.post(
    "/cases/{case_id}/submit",
    response=CaseOut,
    by_alias=True,
    description=described(
        _("the applicant's side: the applicant, or the proxy, agency or unit handler who filed the case."),
        _(
            "Submits a draft to a hall that accepts its procedure (`hall_id`); the case then waits for the hall. 409 for a"
            " case that is no longer a draft; 422 for a hall that does not take the procedure, or facts the rules still"
            " need."
        ),
    ),
    summary=_("Submit to a hall"),
)
@takes("submit")
def submit(request, case: Case, payload: SubmitIn):
    return reading.answer(request, services.submit(Actor.of(request), case, payload.hall_id))


def valid(obj, prefix: str) -> None:
    """The model's own checks, their fields named from the request body (``person.birth_date``)."""
    try:
        obj.full_clean()
    except ModelInvalid as exc:
        named = {  # the errors themselves, not their messages: they are shown in both languages
            (prefix or "__all__")
            if field == "__all__"
            else (f"{prefix}.{field}" if prefix else field): errors
            for field, errors in exc.error_dict.items()
        }
        raise ModelInvalid(named) from None


def travel_document(person: Person, doc: TravelDocumentIn, prefix: str, *, claim: bool) -> TravelDocument:
    """The document recorded (``claim``: by the applicant's side, for the hall to check at intake)."""
    document = TravelDocument(person=person, claim=claim, **doc.dict())
    valid(document, prefix)
    document.save()
    return document
