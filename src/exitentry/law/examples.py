"""Example facts: for any procedure, a fact set on which it is complete and eligible, found from the rules.

The rules say which fact they still need (``advise().missing``); each is given candidate values in turn,
keeping the first that does not make the application ineligible. Demo data, benchmarks and tests use
it, so a procedure added to the catalog is covered without writing its facts anywhere else; likewise
``approval_validity``, a validity an approval may give.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from exitentry.law.advice import COMPLETE, INELIGIBLE, advise
from exitentry.law.facts import FactDef
from exitentry.law.model import Casework
from exitentry.law.rules.permits import validity_range

BIRTH_DATE = date(1985, 6, 1)
DURATIONS = ("P2Y", "P1Y", "P180D", "P90D", "P10Y", "P5Y")


class NoExample(ValueError):
    """No candidate value keeps the procedure eligible (the catalog asks for something impossible)."""


def _candidates(fact: FactDef, on: date) -> list[object]:
    if fact.type == "bool":
        return [False, True]
    if fact.type == "enum":
        return [o.value for o in fact.options]
    if fact.type == "duration":
        return list(DURATIONS)
    if fact.type == "int":
        low, high = fact.minimum, fact.maximum
        values = [v for v in (low, 70, 85, 100, high) if v is not None]
        return [v for v in values if (low is None or v >= low) and (high is None or v <= high)]
    if fact.id.startswith("birth"):
        return [BIRTH_DATE.isoformat()]
    return [(on - timedelta(days=20)).isoformat(), (on + timedelta(days=200)).isoformat()]


@cache
def _example(procedure_id: str, on: date) -> tuple[tuple[str, object], ...]:
    facts: dict[str, object] = {}
    while True:
        advice = advise(procedure_id, facts, on=on)
        if advice.status == COMPLETE:
            return tuple(facts.items())
        if not advice.missing:
            raise NoExample(f"{procedure_id} is ineligible on {facts}")
        fact = advice.missing[0]
        for value in _candidates(fact, on):
            if advise(procedure_id, {**facts, fact.id: value}, on=on).status != INELIGIBLE:
                facts[fact.id] = value
                break
        else:
            raise NoExample(f"no value of {fact.id} keeps {procedure_id} eligible")


def eligible_facts(procedure_id: str, on: date) -> dict[str, object]:
    """Facts on which ``procedure_id`` is complete and eligible on ``on`` (a fresh dict each call)."""
    return dict(_example(procedure_id, on))


def approval_validity(
    casework: Casework, held_type: str | None, facts: dict[str, object], birth_date: date, on: date
) -> str:
    """A validity an approval of this procedure given on ``on`` may give (``rules.permits.check_approval``
    accepts it).

    A visa extension gives the days asked for; a range gives the validity applied for if the facts
    name one, else its longest; the PR card its fixed validity by age; the rest none.
    """
    if casework.permit == "visa" and casework.action == "extension":
        return f"P{facts['requested_extension_days']}D"
    permit_type = casework.permit_type or held_type
    rng = validity_range(casework.permit, permit_type, on) if casework.action != "endorsement" else None
    if rng is None:
        return ""
    return str(rng.fixed_for(birth_date, on) or facts.get("validity") or rng.maximum)
