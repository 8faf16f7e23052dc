"""The decision: approval with a validity the law allows, or refusal citing a ground the law core offers for what is applied for (final)."""

from __future__ import annotations

from ninja import Status

from exitentry.accounts.audit import Actor
from exitentry.api.cases.guard import router, takes
from exitentry.api.cases.schemas import DecisionIn, DecisionOut
from exitentry.cases import services
from exitentry.cases.models import Case


@router.post("/cases/{case_id}/decision", response={201: DecisionOut}, summary="Approve or refuse (final)")
@takes("decide")
def decide(request, case: Case, payload: DecisionIn):
    d = services.decide(
        Actor.of(request), case, payload.outcome, validity=payload.validity, ground_id=payload.ground_id
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
