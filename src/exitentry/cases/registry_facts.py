"""The facts about an applicant that the registry already holds, so a case takes them from the record.

A case's facts are what the rules are applied to; where the registry records the answer (the date of
birth on the person, the entry of the current stay and the visa it was made on as
``registry.stay.visa_of_last_entry`` reads them, the permit the case acts on, whether a residence permit
was ever issued), the record is the answer. A fact the caller leaves out is filled from
the registry; one given with another value is refused, naming the field and what the registry holds, since
only the hall corrects a record. Only the facts the procedure's rules or obligations read are taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from exitentry.cases.models import Receipt
from exitentry.law.advice import NOT_ASKED, NotInForce, advise_stored, facts_asked
from exitentry.law.catalog import catalog
from exitentry.law.facts import FactDef, FactError
from exitentry.law.model import PR_CARD, Procedure
from exitentry.law.text import Text, day_text
from exitentry.registry.models import Permit, Person
from exitentry.registry.stay import last_entry, visa_of_last_entry

_DIFFERS = Text(
    "This differs from the registry record: for “{question}” the record holds {held}; {given} was given. "
    "Answers the registry holds are taken from it: if the record is wrong, have it corrected at an "
    "exit-entry hall first.",
    "与出入境登记记录不一致：“{question}”一项，记录为{held}，填写的是{given}。登记记录中已有的信息以记录为准；"
    "如记录有误，请先到出入境接待大厅更正。",
)
# A person entered with this application has no record yet: what differs is the advisor's answer and the
# details typed for the person now, and either may be the one to correct.
_DIFFERS_ENTERED = Text(
    "The details entered for the new person give {held} for “{question}”, but the advisor was answered "
    "{given}. Correct the details entered, or change the answer in the advisor.",
    "为新人员填写的信息中，“{question}”为{held}，而办事指引中回答的是{given}。请更正所填信息，或在办事指引中修改该回答。",
)
_YES, _NO = Text("yes", "是"), Text("no", "否")


class RegistryDisagrees(FactError):
    """A fact given with a value other than the one the registry records."""


def held(person: Person, procedure: Procedure, permit: Permit | None, on: date) -> dict[str, object]:
    """The facts ``procedure`` reads that the registry records for ``person`` on ``on``, as raw values."""
    wanted = facts_asked(procedure, catalog())
    found: dict[str, object] = {"birth_date": person.birth_date.isoformat()}
    if wanted & _STAY_FACTS:
        # the stay and its visa as the pages and the compliance scan read them (Regulations Art. 36)
        stay = visa_of_last_entry(person, on)
        entry, visa = stay if stay is not None else (last_entry(person, on), None)  # visa-free: no visa
        if entry is not None:
            found["entry_date"] = entry.on.isoformat()
        if visa is not None:
            found["visa_category"] = visa.category
            found["visa_requires_residence_permit"] = visa.residence_permit_within_days is not None
            found["original_stay_days"] = visa.duration_of_stay_days
    if permit is not None and permit.kind == "residence-permit":
        if permit.permit_type:
            found["residence_permit_type"] = permit.permit_type
        if permit.valid_until is not None:
            found["permit_expiry_date"] = permit.valid_until.isoformat()
    if permit is not None and permit.kind == PR_CARD and permit.valid_until is not None:
        found["card_expiry_date"] = permit.valid_until.isoformat()
    if (
        "first_application_in_china" in wanted
        and person.pk
        and person.permits.filter(kind="residence-permit", issued_on__lte=on).exists()
    ):
        found["first_application_in_china"] = False
    definitions = catalog().facts
    return {
        name: value
        for name, value in found.items()
        if name in wanted
        and _fits(definitions[name], value)  # a record the fact cannot take is not an answer
    }


def after_entry(person: Person, on: date) -> tuple[int | None, bool]:
    """What the registry says of the after-entry duty of ``person``'s stay on ``on``: the days the visa of
    the last entry states for applying for a residence permit (None: not recorded, visa-free, or not in
    China), and whether a residence permit was issued or an application accepted since that entry (the duty
    met). The law core's
    ``advise(within_days=..., permit_since_entry=...)`` takes both."""
    if person.pk is None:
        return None, False
    found = visa_of_last_entry(person, on)
    if found is None:
        return None, False
    entry, visa = found
    # the duty is to apply: a residence permit issued or an application accepted (its receipt) since the
    # entry meets it, as the compliance scan reads it (``scan.late_applications``)
    since = person.permits.filter(kind="residence-permit", issued_on__gte=entry.on, issued_on__lte=on)
    applied = Receipt.objects.filter(case__person=person, issued_on__gte=entry.on, issued_on__lte=on)
    return visa.residence_permit_within_days, since.exists() or applied.exists()


def apply(
    case, procedure: Procedure, given: Mapping[str, object], on: date, *, entered: bool = False
) -> None:
    """Set ``case.facts`` to its stored facts with ``given`` over them and the registry's over both, and
    ``case.facts_from_registry`` to the names taken from the record; a disagreement is ``Refused``
    (``entered``: the person was entered with this application, so it is no record held before)."""
    from exitentry.cases.services import Refused  # services starts and edits cases through this module

    registry = held(case.person, procedure, case.permit, on)
    stored = case.facts
    try:
        case.facts = reconcile(given, stored, registry, entered=entered)
    except FactError as exc:
        raise Refused(f"facts.{exc.fact}", exc.text, api=exc.api_terms) from None
    case.facts_from_registry = sorted(registry)
    _refuse_unfit(case, stored, given, on)


def _refuse_unfit(case, stored: Mapping[str, object], given: Mapping[str, object], on: date) -> None:
    """Refuse an answer given now to a fact the procedure does not ask (``facts_asked``), one that does not
    fit its fact, or one that makes another stop fitting (the days of stay together); an answer stored
    before its check that still does not fit is left to be asked again (``Case.advice_on`` counts it as
    unanswered). An answer sent back as stored is not given now: a client that reads a draft's facts
    (those not asked and those that no longer fit included) may send them back with another answer
    changed. Nothing to refuse where the procedure is not in force (the step says so)."""
    from exitentry.cases.services import Refused

    try:
        advice = case.advice_on(on)
    except NotInForce:
        return
    changed = {name for name, value in given.items() if value != stored.get(name)}
    for name in advice.not_asked:
        if name in changed:
            raise Refused(f"facts.{name}", NOT_ASKED)
    unfit = advice.unfit
    if not unfit:
        return
    before = {u.fact for u in advise_stored(case.procedure_id, stored, on).unfit} if stored else set()
    for u in unfit:
        if u.fact in changed or u.fact not in before:
            raise Refused(f"facts.{u.fact}", u.text, api=u.api)


def reconcile(
    given: Mapping[str, object],
    stored: Mapping[str, object],
    registry: Mapping[str, object],
    *,
    entered: bool = False,
) -> dict[str, object]:
    """The case's facts: the stored ones, the given ones over them, and the registry's over both.

    A given value that differs from the registry's raises ``RegistryDisagrees`` (its text in both
    languages says what the record holds and that the hall corrects it; for a person ``entered`` now,
    that the details entered and the advisor's answer differ and either may be corrected).
    """
    differing = disagreements(given, registry, entered=entered)
    if differing:
        raise differing[0]
    return {**stored, **given, **registry}


def disagreements(
    given: Mapping[str, object], registry: Mapping[str, object], *, entered: bool = False
) -> list[RegistryDisagrees]:
    """Every given value that differs from the registry's, each as the ``RegistryDisagrees`` that
    ``reconcile`` raises for the first: all of them said at once, not one per attempt. A value that does
    not fit its fact raises ``FactError``."""
    definitions = catalog().facts
    found = []
    for name, value in registry.items():
        raw = given.get(name)
        if raw is None or raw == "":
            continue
        definition = definitions[name]
        typed = definition.parse(raw)  # a value that does not fit is refused as such
        if typed != definition.parse(value):
            found.append(
                RegistryDisagrees(
                    name,
                    f"the registry holds {value!r}, not {raw!r}; the record is corrected at a hall",
                    _message(
                        _DIFFERS_ENTERED if entered else _DIFFERS,
                        definition,
                        _shown(definition, value),
                        _shown(definition, typed),
                    ),
                )
            )
    return found


def _message(text: Text, definition: FactDef, held_value: Text, given_value: Text) -> Text:
    return text.format(question=definition.question, held=held_value, given=given_value)


def _shown(definition: FactDef, raw: object) -> Text:
    value = definition.parse(raw)
    if isinstance(value, bool):
        return _YES if value else _NO
    if isinstance(value, date):
        return day_text(value)
    option = next((o for o in definition.options if o.value == value), None)
    return option.label if option is not None else Text(str(value), str(value))


# --- what the registry answers -------------------------------------------------------------------

# The facts that come from the current stay: its entry and the visa it was made on.
_STAY_FACTS = frozenset(
    {"entry_date", "visa_category", "visa_requires_residence_permit", "original_stay_days"}
)


def _fits(definition: FactDef, value: object) -> bool:
    try:
        definition.parse(value)
    except FactError:
        return False
    return True
