"""``/facts`` and ``/advice``: the advisor. The answer is ``law.advice.advise`` as JSON, nothing restated."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import ConfigDict

from exitentry.api.routing import Router, described
from exitentry.api.schemas import CitationOut, FactOut, HallOut, Out, TextOut
from exitentry.law.advice import advise, fact_as_dict
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog

router = Router(tags=["advice"])


class AdviceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    procedure: str = Field(
        description=_("a procedure id from GET /procedures"), examples=["rp-personal-affairs"]
    )
    facts: dict[str, Any] = Field(
        default_factory=dict,
        description=_("known facts by id (GET /facts); leave a fact out when it is not known yet"),
        examples=[{"ground": "family", "birth_date": "1990-05-01", "validity": "P1Y"}],
    )
    on: date | None = Field(
        default=None, description=_("the date the rules are applied on; today in Beijing")
    )


class FactDefinitionOut(FactOut):
    derived_from: list[str] = Field(description=_("a derived fact is given as these facts, never directly"))


class ProcedureRefOut(Out):
    id: str
    title: TextOut


class AnswerOut(Out):
    __doc__ = _("One line of advice. Keys that do not apply to the line are left out.")

    id: str
    text: TextOut
    why: TextOut | None
    condition: str
    cite: list[CitationOut]
    met: bool | None = None
    failure: TextOut | None = None
    amount_cny: int | None = None
    paid_at: str | None = Field(None, description=_("fees: when the line is paid, acceptance or issue"))
    working_days: int | None = None
    counts: str | None = None
    mode: str | None = None
    due: date | None = None
    window_from: date | None = None
    last_open_day: date | None = Field(
        default=None, description=_("a last day every hall is closed on: the last day one is open before it")
    )
    waits_for: list[str] | None = Field(
        default=None,
        description=_(
            "pending: the facts in missing_facts its condition waits for, in the order they are asked"
        ),
    )
    provisional: bool


class AdviceOut(Out):
    __doc__ = _(
        "What applies to the applicant, section by section; ``missing_facts`` lists what is still needed."
    )

    procedure: ProcedureRefOut
    on: date
    status: str = Field(description=_("complete, needs-facts or ineligible"))
    eligible: bool | None
    missing_facts: list[FactOut]
    fee_total_cny: int | None
    fee_due_at_acceptance_cny: int | None = Field(description=_("the part of the total paid at acceptance"))
    proxy_allowed: bool | None
    provisional: bool
    eligibility: list[AnswerOut]
    materials: list[AnswerOut]
    fees: list[AnswerOut]
    time_limits: list[AnswerOut]
    submission: list[AnswerOut]
    interview: list[AnswerOut]
    health: list[AnswerOut]
    translation: list[AnswerOut]
    obligations: list[AnswerOut]
    notes: list[AnswerOut]
    pending: list[AnswerOut] = Field(
        description=_(
            "materials whose condition waits for an answer (needed or not, as the answer decides): "
            "each with why (when it is needed) and waits_for (the facts that decide it); empty once complete"
        )
    )
    halls: list[HallOut]
    where: TextOut | None


@router.get(
    "/facts",
    response=list[FactDefinitionOut],
    description=described(
        _("anyone."),
        _(
            "Every fact the rules may ask about (the fields of `facts` in the advice), with its question in English and"
            " Chinese, its type and, for a choice, its options, as in force today in Beijing."
        ),
    ),
    summary=_("The facts the rules may ask for"),
)
def list_facts(request):
    facts = catalog().facts_on(beijing_today())
    return [{**fact_as_dict(f), "derived_from": list(f.derived_from)} for f in facts.values()]


@router.post(
    "/advice",
    response=AdviceOut,
    exclude_unset=True,
    description=described(
        _("anyone."),
        _(
            "The law core's answer for a procedure given the facts known so far (on a day, today in Beijing without `on`):"
            " eligibility, the materials, the fee in CNY and the time limits, each rule met, failed or waiting for a fact,"
            " and which facts would decide what is pending. Nothing is stored. A fact of the wrong type or out of range is"
            " 422 on `facts.<name>`; a day no rule is in force on is 422 on `on`."
        ),
        _("each answer carries the citations of the rule that decides it (`cite`: document and article)."),
    ),
    summary=_("Advice for a procedure given the facts known so far"),
)
def post_advice(request, payload: AdviceIn):
    return advise(payload.procedure, payload.facts, payload.on or beijing_today()).as_dict()
