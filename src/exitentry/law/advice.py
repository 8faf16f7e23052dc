"""``advise(procedure, facts, on=date)``: what an applicant needs, what it costs, how long, where, and who
must come, each line with why and where the law says so.

The rules of the procedure are evaluated against the facts in three values. A line whose condition is
unknown is left out and the facts it needs are listed in ``missing``, in the order the rules need them;
the answer is ``complete`` only when nothing is missing and every eligibility requirement is met.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from exitentry.law.calendar import official_calendar
from exitentry.law.catalog import Catalog, catalog
from exitentry.law.facts import FactDef, parse_facts
from exitentry.law.model import Hall, Obligation, Procedure, Rule
from exitentry.law.periods import (
    add_months,
    last_day_within_calendar_days,
    latest_day_at_least_calendar_days_before,
    roll_past_rest_days,
    window_within_one_month_after,
    window_within_one_month_before,
)
from exitentry.law.sources import Citation
from exitentry.law.text import Text

COMPLETE, NEEDS_FACTS, INELIGIBLE = "complete", "needs-facts", "ineligible"


class NotInForce(LookupError):
    """The procedure's rules are not in force on the date asked about."""

    def __init__(self, procedure: Procedure, on: date):
        until = procedure.in_force_to or "now"
        super().__init__(
            f"{procedure.id} is encoded for {procedure.in_force_from} to {until}; "
            f"no rules are in force for it on {on}"
        )


@dataclass(frozen=True, slots=True)
class Answer:
    """One line of advice: what applies, why, the condition that brought it in, and its citations."""

    section: str
    id: str
    text: Text
    why: Text | None
    condition: str
    cite: tuple[Citation, ...]
    met: bool | None = None  # eligibility: whether the requirement is met
    failure: Text | None = None
    amount_cny: int | None = None
    working_days: int | None = None
    counts: str | None = None
    mode: str | None = None
    due: date | None = None  # the date the line leads to: expected, last day, valid until
    window_from: date | None = None
    provisional: bool = False  # the date relied on a year whose holiday schedule is not published

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "text": self.text.as_dict(),
            "why": self.why.as_dict() if self.why else None,
            "condition": self.condition,
            "cite": [c.as_dict() for c in self.cite],
        }
        for name in _PAYLOAD:
            value = getattr(self, name)
            if value is not None and value is not False:
                data[name] = value.isoformat() if isinstance(value, date) else value
        if self.failure is not None:
            data["failure"] = self.failure.as_dict()
        data["provisional"] = self.provisional
        return data


_PAYLOAD = ("met", "amount_cny", "working_days", "counts", "mode", "due", "window_from")


@dataclass(frozen=True, slots=True)
class Advice:
    procedure: Procedure
    on: date
    facts: Mapping[str, object]
    status: str
    missing: tuple[FactDef, ...]
    eligibility: tuple[Answer, ...] = ()
    materials: tuple[Answer, ...] = ()
    fees: tuple[Answer, ...] = ()
    time_limits: tuple[Answer, ...] = ()
    submission: tuple[Answer, ...] = ()
    interview: tuple[Answer, ...] = ()
    health: tuple[Answer, ...] = ()
    translation: tuple[Answer, ...] = ()
    notes: tuple[Answer, ...] = ()
    obligations: tuple[Answer, ...] = ()
    halls: tuple[Hall, ...] = field(default=())

    @property
    def eligible(self) -> bool | None:
        if any(a.met is False for a in self.eligibility):
            return False
        return None if self.missing and self.status != COMPLETE else True

    @property
    def fee_total_cny(self) -> int | None:
        """The sum of the fee lines; None until complete or when the sources state no fee (never a silent 0)."""
        if self.status != COMPLETE or not self.fees:
            return None
        return sum(a.amount_cny or 0 for a in self.fees)

    @property
    def proxy_allowed(self) -> bool | None:
        if any(a.mode == "proxy" for a in self.submission):
            return True
        return None if self.status == NEEDS_FACTS else False

    @property
    def provisional(self) -> bool:
        return any(a.provisional for a in self.time_limits + self.obligations + self.health)

    def as_dict(self) -> dict[str, object]:
        """The advice as JSON-ready data, both languages included (used by the API and the CLI)."""
        return {
            "procedure": {"id": self.procedure.id, "title": self.procedure.title.as_dict()},
            "on": self.on.isoformat(),
            "status": self.status,
            "eligible": self.eligible,
            "missing_facts": [fact_as_dict(f) for f in self.missing],
            "fee_total_cny": self.fee_total_cny,
            "proxy_allowed": self.proxy_allowed,
            "provisional": self.provisional,
            **{name: [a.as_dict() for a in getattr(self, name)] for name in ANSWER_SECTIONS},
            "halls": [hall_as_dict(h) for h in self.halls],
            "where": self.procedure.where.as_dict() if self.procedure.where else None,
        }


ANSWER_SECTIONS = (
    "eligibility",
    "materials",
    "fees",
    "time_limits",
    "submission",
    "interview",
    "health",
    "translation",
    "obligations",
    "notes",
)


def fact_as_dict(fact: FactDef) -> dict[str, object]:
    return {
        "id": fact.id,
        "type": fact.type,
        "question": fact.question.as_dict(),
        "help": fact.help.as_dict() if fact.help else None,
        "options": [{"value": o.value, "label": o.label.as_dict()} for o in fact.options],
        "minimum": fact.minimum,
        "maximum": fact.maximum,
    }


def hall_as_dict(hall: Hall) -> dict[str, object]:
    return {
        "id": hall.id,
        "name": hall.name.as_dict(),
        "address": hall.address.as_dict(),
        "weekdays": sorted(hall.weekdays),
        "sessions": [
            {"opens": s.opens.strftime("%H:%M"), "closes": s.closes.strftime("%H:%M")} for s in hall.sessions
        ],
        "restriction": hall.restriction.as_dict() if hall.restriction else None,
        "cite": [c.as_dict() for c in hall.cite],
        "choices": [
            {
                "field": c.field,
                "chosen": c.chosen,
                "chosen_source": c.chosen_source.as_dict(),
                "alternative": c.alternative,
                "alternative_source": c.alternative_source.as_dict(),
                "reason": c.reason.as_dict(),
            }
            for c in hall.choices
        ],
    }


def advise(
    procedure_id: str, facts: Mapping[str, object], on: date, *, in_catalog: Catalog | None = None
) -> Advice:
    """Advice for ``procedure_id`` given raw ``facts`` (JSON-like values), applied on ``on``.

    Raises ``UnknownProcedure``, ``NotInForce`` or ``FactError`` (naming the fact and why) for bad input.
    """
    cat = in_catalog or catalog()
    procedure = cat.procedure(procedure_id)
    if not procedure.in_force_on(on):
        raise NotInForce(procedure, on)
    values = parse_facts(facts, cat.facts, on)
    missing: set[str] = set()
    sections = {name: _answers(rules, values, on, missing) for name, rules in procedure.rules.items()}
    eligibility = sections["eligibility"]
    health = sections["health"]
    obligations = tuple(
        answer
        for obligation in procedure.obligations
        if (answer := _obligation(obligation, values, on, missing)) is not None
    )
    if any(a.met is False for a in eligibility):
        status = INELIGIBLE
    elif missing:
        status = NEEDS_FACTS
    else:
        status = COMPLETE
    order = {name: i for i, name in enumerate(procedure.fact_order)}
    ordered = sorted(missing, key=lambda name: (order.get(name, len(order)), name))
    return Advice(
        procedure=procedure,
        on=on,
        facts=values,
        status=status,
        missing=tuple(cat.facts[name] for name in ordered),
        eligibility=eligibility,
        materials=sections["materials"] + health,
        fees=sections["fees"],
        time_limits=sections["time_limits"],
        submission=sections["submission"],
        interview=sections["interview"],
        health=health,
        translation=sections["translation"],
        notes=sections["notes"],
        obligations=obligations,
        halls=cat.halls_for(procedure),
    )


def _answers(
    rules: tuple[Rule, ...], values: Mapping[str, object], on: date, missing: set[str]
) -> tuple[Answer, ...]:
    answers = []
    for rule in rules:
        applies = rule.when.evaluate(values, on, missing)
        if applies:
            answer = _ANSWER[rule.section](rule, values, on, missing)
            if answer is not None:
                answers.append(answer)
    return tuple(answers)


def _plain(rule: Rule, values: Mapping[str, object], on: date, missing: set[str]) -> Answer:
    return Answer(rule.section, rule.id, rule.text, rule.why, rule.when.text, rule.cite, mode=rule.mode)


def _eligibility(rule: Rule, values: Mapping[str, object], on: date, missing: set[str]) -> Answer:
    met = rule.require.evaluate(values, on, missing)
    return Answer(
        rule.section,
        rule.id,
        rule.text,
        rule.why,
        rule.require.text,
        rule.cite,
        met=met,
        failure=rule.failure if met is False else None,
    )


def _fee(rule: Rule, values: Mapping[str, object], on: date, missing: set[str]) -> Answer | None:
    amount = rule.amount_cny
    if rule.band_fact:
        value = values.get(rule.band_fact)
        if value is None:
            missing.add(rule.band_fact)
            return None
        band = next((b for b in rule.bands if b.contains(value, on)), None)  # type: ignore[arg-type]
        if band is None:
            return None  # outside every band: the eligibility rules say why
        amount = band.amount_cny
    return Answer(rule.section, rule.id, rule.text, rule.why, rule.when.text, rule.cite, amount_cny=amount)


def _time_limit(rule: Rule, values: Mapping[str, object], on: date, missing: set[str]) -> Answer:
    due = official_calendar().add_working_days(on, rule.working_days or 0)
    return Answer(
        rule.section,
        rule.id,
        rule.text,
        rule.why,
        rule.when.text,
        rule.cite,
        working_days=rule.working_days,
        counts=rule.counts,
        due=due.date,
        provisional=due.provisional,
    )


def _health(rule: Rule, values: Mapping[str, object], on: date, missing: set[str]) -> Answer:
    issued = values.get("health_certificate_issue_date")
    due = window_from = None
    if isinstance(issued, date) and rule.valid_months:
        due = add_months(issued, rule.valid_months)
    elif rule.issued_within_months:
        window_from = add_months(on, -rule.issued_within_months)
    return Answer(
        rule.section,
        rule.id,
        rule.text,
        rule.why,
        rule.when.text,
        rule.cite,
        due=due,
        window_from=window_from,
    )


def _obligation(
    obligation: Obligation, values: Mapping[str, object], on: date, missing: set[str]
) -> Answer | None:
    applies = obligation.when.evaluate(values, on, missing)
    if applies is False:
        return None
    if applies is None:
        return None
    period = obligation.period
    anchor = values.get(period.fact)
    due = window_from = None
    provisional = False
    if isinstance(anchor, date):
        days = period.calendar_days or 0
        if period.kind == "within_calendar_days_of":
            due, provisional = roll_past_rest_days(last_day_within_calendar_days(anchor, days))
        elif period.kind == "at_least_calendar_days_before":
            due = latest_day_at_least_calendar_days_before(anchor, days)
        elif period.kind == "within_one_month_before":
            window_from, due = window_within_one_month_before(anchor)
        else:
            window_from, due = window_within_one_month_after(anchor)
    return Answer(
        "obligations",
        obligation.id,
        obligation.text,
        obligation.why,
        obligation.when.text,
        obligation.cite,
        due=due,
        window_from=window_from,
        provisional=provisional,
    )


_ANSWER = {
    "eligibility": _eligibility,
    "materials": _plain,
    "fees": _fee,
    "time_limits": _time_limit,
    "submission": _plain,
    "interview": _plain,
    "health": _health,
    "translation": _plain,
    "notes": _plain,
}
