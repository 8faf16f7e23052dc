"""What every case service reads: the procedure in force, the advice on the case's facts, the halls
that take it, and the refusal a person can act on (``Refused``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from exitentry.cases.models import Case, Decision
from exitentry.law.advice import Advice, NotInForce
from exitentry.law.catalog import UnknownProcedure, catalog
from exitentry.law.facts import FactError
from exitentry.law.halls import hall_label as hall_label  # a hall by name: the law core's, said here too
from exitentry.law.halls import halls_accepting
from exitentry.law.model import Procedure
from exitentry.law.rules.permits import as_granted
from exitentry.law.rules.travel_documents import refused_as_expired
from exitentry.law.text import Text
from exitentry.typed_text import normal, problem

ONE_STOP_COUNTER = "one-stop-counter"  # the catalog's dedicated hall of the one-stop service (halls.yaml)


class Refused(ValueError):
    """A request the rules or the data refuse; ``field`` names what to change, ``message`` says why in
    both languages (``str()`` gives the field and the English); ``api`` says it in the API's terms where
    they differ from a page's (``FactError.api_terms``: a length in ISO 8601)."""

    def __init__(self, field: str, message: Text, cite: tuple = (), *, api: Text | None = None):
        self.field, self.message, self.cite, self.api = field, message, cite, api
        super().__init__(f"{field}: {message.en}")


def typed(
    field: str,
    value: str,
    *,
    limit: int,
    required: bool = True,
    lines: bool = False,
    empty: Text | None = None,
) -> str:
    """``value`` as it is stored (NFC, trimmed), or ``Refused`` saying why not (never cut to fit);
    ``empty`` says what to fill in when a required value is empty."""
    value = normal(value)
    why = (
        empty
        if (empty and required and not value)
        else problem(value, limit=limit, required=required, lines=lines)
    )
    if why is not None:
        raise Refused(field, why)
    return value


def procedure_of(procedure_id: str, on: date) -> Procedure:
    try:
        procedure = catalog().procedure(procedure_id)
    except UnknownProcedure as exc:
        raise Refused("procedure", exc.text) from None
    if not procedure.in_force_on(on):
        raise Refused("procedure", NotInForce(procedure, on).text)
    return procedure


def advice_for(case: Case, on: date) -> Advice:
    try:
        return case.advice_on(on)
    except FactError as exc:
        raise Refused(f"facts.{exc.fact}", exc.text, api=exc.api_terms) from None
    except NotInForce as exc:
        raise Refused("procedure", exc.text) from None


def refuse_expired_passport(case: Case, on: date, advice: Advice | None = None) -> None:
    """Refuse a step that sends the application to the hall (the submission, the resubmission after the
    one-time notice) while the person's travel document on ``on`` has expired: it is not the valid one the
    materials require (``law.rules.travel_documents.refused_as_expired``, citing the procedure's own line).
    The one check both steps make; ``advice`` where the caller has it."""
    document = case.person.travel_document_on(on)
    if document is None:
        return
    materials = (advice or advice_for(case, on)).materials
    procedure = catalog().procedure(case.procedure_id)
    if (old := refused_as_expired(document.expires_on, on, materials, procedure)) is not None:
        raise Refused("travel_document", old.text, old.cite)


def hall_choices(procedure: Procedure, facts: Mapping[str, object]) -> tuple[str, ...]:
    """Where this procedure may be submitted by an applicant of ``facts``: the halls that take it from them."""
    return tuple(h.id for h in halls_accepting(procedure, facts))


def granted_validity(case: Case) -> str:
    """The validity the case's approval grants ("" before a decision, for a refusal, or without one)."""
    if case.decided_on is None:
        return ""
    try:
        decision = case.decision
    except Decision.DoesNotExist:
        return ""
    return decision.validity if decision.outcome == Decision.Outcome.APPROVED else ""


def advice_as_granted(case: Case, on: date) -> Advice:
    """``advice_for`` on the facts as the case's approval grants them (``law.rules.permits.as_granted``):
    once a validity is decided, what follows it (the fee band) follows the validity granted, not the one
    applied for."""
    validity = granted_validity(case)
    if not validity:
        return advice_for(case, on)
    try:
        return case.advice_on(on, as_granted(case.facts, validity))
    except FactError as exc:
        raise Refused(f"facts.{exc.fact}", exc.text, api=exc.api_terms) from None
    except NotInForce as exc:
        raise Refused("procedure", exc.text) from None
