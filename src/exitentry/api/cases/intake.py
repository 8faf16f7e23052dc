"""At the hall: receiving the materials, the answers the rules came to need, the one-time notice, and
acceptance with its receipt."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Status

from exitentry.accounts.audit import Actor
from exitentry.api.cases import reading
from exitentry.api.cases.guard import router, takes
from exitentry.api.cases.schemas import CaseOut, FactsIn, NoticeIssuedOut, ReceiptOut, ReceiveIn
from exitentry.api.routing import described
from exitentry.appointments.opening import hall_changes
from exitentry.cases import services
from exitentry.cases.models import Case
from exitentry.law.calendar import beijing_today


@router.post(
    "/cases/{case_id}/receive",
    response=CaseOut,
    by_alias=True,
    description=described(
        _("an officer or supervisor of the case's hall (the hall's side)."),
        _(
            "Records that the hall holds the materials (after pre-examination where the procedure has one); the hall then"
            " checks them and accepts or issues a one-time notice. `applicant_present` says whether the applicant came in"
            " person."
        ),
    ),
    summary=_("The hall receives the materials"),
)
@takes("receive")
def receive(request, case: Case, payload: ReceiveIn | None = None):
    present = None if payload is None else payload.applicant_present
    changes = hall_changes(case.hall_id, beijing_today())
    return reading.answer(
        request, services.receive(Actor.of(request), case, changes=changes, applicant_present=present)
    )


@router.post(
    "/cases/{case_id}/missing-facts",
    response=CaseOut,
    by_alias=True,
    description=described(
        _("an officer or supervisor of the case's hall (the hall's side)."),
        _(
            "For a case filed before a rule came to need a fact: records the applicant's answers at the counter. Only the"
            " facts the rules still ask for on the day are taken, each checked by the law core as in the advice; an answer"
            " the filer gave is not changed, and a value the rules refuse, or no answer, is 422 naming the fact."
        ),
    ),
    summary=_("Record at the counter the answers the rules still need"),
)
@takes("record_facts")
def record_facts(request, case: Case, payload: FactsIn):
    return reading.answer(request, services.record_missing_facts(Actor.of(request), case, payload.facts))


@router.post(
    "/cases/{case_id}/deficiency-notices",
    response={201: NoticeIssuedOut},
    description=described(
        _("an officer or supervisor of the case's hall (the hall's side)."),
        _(
            "Issues the one-time notice listing every material missing or defective, at once, so the applicant completes"
            " them in one go; the case waits for the missing materials. Answers the notice's number, date and items."
        ),
    ),
    summary=_("Issue the one-time notice"),
)
@takes("notify_deficiency")
def notify(request, case: Case):
    notice = services.notify_deficiency(Actor.of(request), case)
    return Status(201, {"number": notice.number, "issued_on": notice.issued_on, "items": notice.items})


@router.post(
    "/cases/{case_id}/receipt",
    response={201: ReceiptOut},
    description=described(
        _("an officer or supervisor of the case's hall (the hall's side)."),
        _(
            "Accepts the case and issues the acceptance receipt, from which the time limits run. Refused (422) while a"
            " material is missing or defective, and while a material whose original the hall must see at intake is not"
            " marked as seen (`original_seen`)."
        ),
    ),
    summary=_("Accept and issue the receipt"),
)
@takes("accept")
def accept(request, case: Case):
    r = services.accept(Actor.of(request), case, changes=hall_changes(case.hall_id, beijing_today()))
    return Status(201, reading.receipt(r))
