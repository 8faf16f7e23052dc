"""The fee at the hall: a payment, from the acceptance receipt until collection, or its exemption."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Status

from exitentry.accounts.audit import Actor
from exitentry.api.cases.guard import router, takes
from exitentry.api.cases.schemas import ExemptionIn, ExemptionOut, PaymentIn, PaymentRecordedOut
from exitentry.api.routing import described
from exitentry.cases import services
from exitentry.cases.models import Case


@router.post(
    "/cases/{case_id}/payments",
    response={201: PaymentRecordedOut},
    description=described(
        _(
            "an officer or supervisor of the case's hall (paid at the hall's counter; never declared by the applicant's side)."
        ),
        _(
            "Records a payment (`amount_cny`, in CNY, and `method`) once the hall holds the materials and before"
            " collection. 409 in another state; 422 for an amount more than is outstanding."
        ),
        _(
            "the fee and when each part is paid come from the procedure's fee rules (see `/procedures/{procedure_id}`,"
            " each with its citation)."
        ),
    ),
    summary=_("Record a fee payment"),
)
@takes("pay")
def pay(request, case: Case, payload: PaymentIn):
    p = services.record_payment(Actor.of(request), case, payload.amount_cny, payload.method)
    return Status(201, {"amount_cny": p.amount_cny, "method": p.method})


@router.post(
    "/cases/{case_id}/fee-exemption",
    response={201: ExemptionOut},
    description=described(
        _("an officer or supervisor of the case's hall (the hall's side)."),
        _(
            "Records that the fee is not charged, with the reason, once the hall holds the materials and before"
            " collection (409 in another state)."
        ),
    ),
    summary=_("Waive the fee, saying why (the hall)"),
)
@takes("exempt_fee")
def exempt_fee(request, case: Case, payload: ExemptionIn):
    e = services.exempt_fee(Actor.of(request), case, payload.reason)
    return Status(201, {"reason": e.reason, "recorded_at": e.recorded_at})
