"""``/procedures``: the procedures the catalog encodes, and every rule of one, with why and where from."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from ninja import Field

from exitentry.api.routing import Router, described
from exitentry.api.schemas import CitationOut, HallOut, Out, TextOut
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.halls import hall_as_dict
from exitentry.law.model import SECTIONS, Obligation, Procedure, Rule

router = Router(tags=["procedures"])


class ProcedureSummaryOut(Out):
    id: str
    title: TextOut
    summary: TextOut
    group: str
    in_force_from: date
    in_force_to: date | None


class BandOut(Out):
    __doc__ = _("A fee band over a duration (ISO 8601, e.g. P1Y): from ``lower`` up to ``upper``.")

    lower: str | None
    upper: str | None
    upper_inclusive: bool
    amount_cny: int


class FeeBandsOut(Out):
    fact: str
    bands: list[BandOut]


class RuleOut(Out):
    __doc__ = _("One rule line: its text, the condition that brings it in, why, and its citations.")

    id: str
    text: TextOut
    condition: str
    why: TextOut | None
    requirement: str | None
    failure: TextOut | None
    cite: list[CitationOut]
    amount_cny: int | None
    fee_bands: FeeBandsOut | None
    paid_at: str | None = Field(
        description=_("fees: when the line is paid, acceptance or issue; null elsewhere")
    )
    working_days: int | None
    counts: str | None
    mode: str | None
    valid_months: int | None
    issued_within_months: int | None


class PeriodOut(Out):
    kind: str
    fact: str
    calendar_days: int | None
    months: int | None


class ObligationOut(Out):
    id: str
    text: TextOut
    condition: str
    why: TextOut | None
    period: PeriodOut
    cite: list[CitationOut]


class ProcedureOut(ProcedureSummaryOut):
    __doc__ = _(
        "A procedure with every rule by section (eligibility, materials, fees, ...), obligations and halls."
    )

    cite: list[CitationOut]
    facts: list[str]
    rules: dict[str, list[RuleOut]]
    obligations: list[ObligationOut]
    halls: list[HallOut]
    where: TextOut | None


@router.get(
    "/procedures",
    response=list[ProcedureSummaryOut],
    description=described(
        _("anyone."),
        _(
            "The procedures in force today in Beijing (China Standard Time): each one's id (for `/procedures/{procedure_id}`"
            " and the advice), titles in English and Chinese, group, and the days it is in force."
        ),
    ),
    summary=_("List the procedures"),
)
def list_procedures(request):
    return [_summary(p) for p in catalog().procedures_on(beijing_today())]


@router.get(
    "/procedures/{procedure_id}",
    response=ProcedureOut,
    description=described(
        _("anyone."),
        _(
            "The procedure as it reads today in Beijing: every rule by section (eligibility, materials, fees, time limits),"
            " each with its condition, reason, requirement and citations, with the numbers (fees in CNY, working days)"
            " in force today; its duties after approval, and the halls that accept it. 404 names the procedures there are."
        ),
        _(
            "every rule carries its own citations in `cite` (the document and its article or section), as the law core"
            " holds them."
        ),
    ),
    summary=_("One procedure with every rule, its conditions, reasons and citations"),
)
def get_procedure(request, procedure_id: str):
    """The procedure as it reads today in Beijing: its numbers are the parameters in force today."""
    cat = catalog()
    procedure = cat.procedure_on(procedure_id, beijing_today())
    return {
        **_summary(procedure),
        "cite": [c.as_dict() for c in procedure.cite],
        "facts": list(procedure.fact_order),
        "rules": {section: [_rule(r) for r in procedure.rules[section]] for section in SECTIONS},
        "obligations": [_obligation(o) for o in procedure.obligations],
        "halls": [hall_as_dict(h) for h in cat.halls_for(procedure)],
        "where": procedure.where.as_dict() if procedure.where else None,
    }


def _summary(procedure: Procedure) -> dict[str, object]:
    return {
        "id": procedure.id,
        "title": procedure.title.as_dict(),
        "summary": procedure.summary.as_dict(),
        "group": procedure.group,
        "in_force_from": procedure.in_force_from,
        "in_force_to": procedure.in_force_to,
    }


def _rule(rule: Rule) -> dict[str, object]:
    bands = None
    if rule.band_fact:
        bands = {
            "fact": rule.band_fact,
            "bands": [
                {
                    "lower": str(b.lower) if b.lower else None,
                    "upper": str(b.upper) if b.upper else None,
                    "upper_inclusive": b.upper_inclusive,
                    "amount_cny": b.amount_cny,
                }
                for b in rule.bands
            ],
        }
    return {
        "id": rule.id,
        "text": rule.text.as_dict(),
        "condition": rule.when.text,
        "why": rule.why.as_dict() if rule.why else None,
        "requirement": None if rule.require.always else rule.require.text,
        "failure": rule.failure.as_dict() if rule.failure else None,
        "cite": [c.as_dict() for c in rule.cite],
        "amount_cny": rule.amount_cny,
        "fee_bands": bands,
        "paid_at": rule.paid_at if rule.section == "fees" else None,
        "working_days": rule.working_days,
        "counts": rule.counts,
        "mode": rule.mode,
        "valid_months": rule.valid_months,
        "issued_within_months": rule.issued_within_months,
    }


def _obligation(obligation: Obligation) -> dict[str, object]:
    period = obligation.period
    return {
        "id": obligation.id,
        "text": obligation.text.as_dict(),
        "condition": obligation.when.text,
        "why": obligation.why.as_dict() if obligation.why else None,
        "period": {
            "kind": period.kind,
            "fact": period.fact,
            "calendar_days": period.calendar_days,
            "months": period.months,
        },
        "cite": [c.as_dict() for c in obligation.cite],
    }
