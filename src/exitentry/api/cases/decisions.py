"""The decision: approval with a validity the law allows, or refusal citing a ground the law core offers for what is applied for (final)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Status

from exitentry.accounts.audit import Actor
from exitentry.api.cases.guard import router, takes
from exitentry.api.cases.schemas import DecisionIn, DecisionOut
from exitentry.api.language import filled
from exitentry.api.routing import described
from exitentry.api.schemas import article
from exitentry.cases import services
from exitentry.cases.models import Case


@router.post(
    "/cases/{case_id}/decision",
    response={201: DecisionOut},
    description=described(
        _(
            "an officer or supervisor of the case's hall; where the Ministry decides (permanent residence), a supervisor"
            " records the Ministry's decision after the case was forwarded."
        ),
        _(
            "Records the decision on an accepted case: approved with the permit's validity, or refused with its ground."
            " Final. 409 before acceptance or once decided; 422 for a validity or ground the rules do not allow."
        ),
        filled(
            _(
                "the grounds of refusal follow the %(article)s and the %(article2)s; each ground cites its own article (`ground_id`)."
            ),
            article=article("regulations", "Art. 21"),
            article2=article("exit-entry-law", "Art. 31"),
        ),
    ),
    summary=_("Approve or refuse (final)"),
)
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
