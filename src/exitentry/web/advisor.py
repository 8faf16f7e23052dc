"""The advisor's state, carried in the form itself: no database, no session.

Every step posts the answers so far as hidden fields together with the answer to the question on screen;
the law core decides what to ask next (the first fact in ``Advice.missing``, docassemble-style), so the
advisor never holds a question list of its own. An answer that does not fit its fact is dropped and its
question asked again with the law core's reason (``FactError.text``), in the page's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.translation import get_language, gettext

from exitentry.appointments.opening import first_opening_day
from exitentry.law.advice import (
    COMPLETE,
    HEALTH_ISSUE_DATE,
    INELIGIBLE,
    NEEDS_FACTS,
    Advice,
    NotInForce,
    advise,
)
from exitentry.law.calendar import OutOfCalendarRange
from exitentry.law.catalog import catalog
from exitentry.law.facts import Duration, FactDef, FactError
from exitentry.law.halls import Changes, hall_facts, halls_accepting
from exitentry.law.model import Procedure
from exitentry.law.rules.permits import longest_validity
from exitentry.law.sources import Citation
from exitentry.law.text import day_text
from exitentry.web import durations
from exitentry.web.templatetags.lawtext import day, duration

ON = "on"  # the planned submission date: the date the rules are applied on
ASK = "ask"  # the answer the applicant wants to change
ASKED = "asked"  # the question that was on screen when the form was posted
PERMIT = "permit"  # the held permit an extension, renewal, ... was started from (its id)


@dataclass(frozen=True, slots=True)
class Question:
    """One question on screen: a fact of the catalog, or the planned submission date."""

    name: str
    type: str  # bool, enum, date, int or duration
    label: str
    help: str = ""
    cite: tuple[Citation, ...] = ()  # where the help's numbers come from
    options: tuple[tuple[str, str], ...] = ()
    value: str = ""
    error: str = ""
    minimum: int | None = None
    maximum: int | None = None
    longest: Duration | None = None  # a duration's upper bound, by the law core (the picker's years)

    @property
    def duration_picker(self) -> dict[str, object]:
        return durations.picker(self.name, self.value, self.longest)


@dataclass(frozen=True, slots=True)
class Answered:
    """An answer already given, as shown in the list of answers."""

    name: str
    question: str
    shown: str


@dataclass(slots=True)
class Step:
    """Where the applicant is: the answers carried, the advice on them, and the question to ask."""

    procedure: Procedure
    on: date
    answers: dict[str, str]
    advice: Advice | None
    question: Question | None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> str | None:
        return self.advice.status if self.advice else None

    @property
    def complete(self) -> bool:
        return self.question is None and self.status == COMPLETE

    @property
    def ineligible(self) -> bool:
        return self.question is None and self.status == INELIGIBLE

    @property
    def carried(self) -> list[tuple[str, str]]:
        """The hidden fields every form of the page posts back: the date and the answers so far."""
        asking = self.question.name if self.question else None
        fields = [] if asking == ON else [(ON, self.on.isoformat())]
        return fields + [(name, value) for name, value in self.answers.items() if name != asking]

    def answered(self) -> list[Answered]:
        """The answers given, in the order the procedure asks them, with the planned date first."""
        asking = self.question.name if self.question else None
        shown = [] if asking == ON else [Answered(ON, str(on_question_label()), day(self.on))]
        facts = catalog().facts_on(self.on)
        order = {name: i for i, name in enumerate(self.procedure.fact_order)}
        for name in sorted(self.answers, key=lambda n: (order.get(n, len(order)), n)):
            if name != asking:
                fact = facts[name]
                shown.append(
                    Answered(name, fact.question.get(_lang()), show_answer(fact, self.answers[name]))
                )
        return shown

    def failed(self) -> list:
        return [a for a in self.advice.eligibility if a.met is False] if self.advice else []

    def optional_dates(self) -> list[Question]:
        """Dates the applicant may add to the checklist to see the deadlines they lead to."""
        if self.advice is None:
            return []
        facts = catalog().facts_on(self.on)
        periods = {o.id: o.period.fact for o in self.procedure.obligations}
        names = [periods[a.id] for a in self.advice.obligations if a.due is None and a.id in periods]
        if any(a.due is None for a in self.advice.health) and HEALTH_ISSUE_DATE in facts:
            names.append(HEALTH_ISSUE_DATE)
        unique = [n for i, n in enumerate(names) if n not in names[:i] and n not in self.answers]
        return [question_for(facts[name], "", "") for name in unique]

    def hall_questions(self) -> list[Question]:
        """Unanswered questions whose answer may add a hall (the law core's ``hall_facts``): offered beside
        the halls, never required."""
        if self.advice is None:
            return []
        facts = catalog().facts_on(self.on)
        return [question_for(facts[n], "", "") for n in hall_facts(self.procedure) if n not in self.answers]


def carried_permit(data: Mapping[str, str]) -> list[tuple[str, str]]:
    """The held permit the advisor was opened from ("My permits"), carried on to the apply page, which
    offers it first; only its id travels, and the apply page checks it is the user's to use."""
    value = (data.get(PERMIT) or "").strip()
    return [(PERMIT, value)] if value.isdecimal() else []


def posted(value: object) -> str:
    """A registry answer as the advisor's form posts it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _lang() -> str:
    return get_language() or "en"


def planned_day(procedure: Procedure, today: date, by_hall: Mapping[str, Changes] | None = None) -> date:
    """The planned submission date offered first: the first day from ``today`` on which a hall taking the
    procedure opens (not a Sunday, a statutory holiday or a day its supervisor closed; ``by_hall``: the
    supervisors' changes if already read, ``appointments.opening.changes``)."""
    return first_opening_day(halls_accepting(procedure), today, by_hall)


def address_date(query: Mapping[str, str]) -> tuple[dict[str, str], str]:
    """The planned submission date the address gives (``?on=2026-11-23``) as the advisor's data, or none
    and what the page says of a date that is not real (the advisor then starts from today, as without one)."""
    raw = (query.get(ON) or "").strip()
    if not raw:
        return {}, ""
    try:
        return {ON: date.fromisoformat(raw).isoformat()}, ""
    except ValueError:
        said = gettext(
            "“%(date)s” in the address is not a real date; the planned submission date below is used instead."
        )
        return {}, said % {"date": raw}


def on_question_label() -> str:
    return gettext("Planned submission date")


def on_question(value: str, error: str) -> Question:
    return Question(
        name=ON,
        type="date",
        label=on_question_label(),
        help=gettext(
            "The day you plan to hand in the application: the rules, fees and working days of that day apply."
        ),
        value=value,
        error=error,
    )


def question_for(fact: FactDef, value: str, error: str) -> Question:
    lang = _lang()
    if fact.type == "bool":
        options: tuple[tuple[str, str], ...] = (("true", gettext("Yes")), ("false", gettext("No")))
    else:
        options = tuple((o.value, o.label.get(lang)) for o in fact.options)
    return Question(
        name=fact.id,
        type=fact.type,
        label=fact.question.get(lang),
        help=fact.help.get(lang) if fact.help else "",
        cite=fact.cite,
        options=options,
        value=value,
        error=error,
        minimum=fact.minimum,
        maximum=fact.maximum,
    )


BIRTHDAYS = frozenset({"birth_date"})  # shown without the weekday a day that falls due carries


def show_answer(fact: FactDef, raw: str) -> str:
    """An answer as the applicant reads it (the raw value parsed, so it always fits its fact)."""
    value = fact.parse(raw)
    if fact.type == "bool":
        return gettext("Yes") if value else gettext("No")
    if fact.type == "enum":
        return next(o.label.get(_lang()) for o in fact.options if o.value == value)
    if fact.type == "date":
        return day_text(value).get(_lang()) if fact.id in BIRTHDAYS else day(value)  # type: ignore[arg-type]
    if fact.type == "duration":
        return duration(value)  # type: ignore[arg-type]
    if fact.type == "int":
        return fact.amount(value).get(_lang())  # type: ignore[arg-type]
    return str(value)


def show_stored(fact: FactDef, raw: object) -> str:
    """A stored answer as the page writes answers, whether or not it still fits its fact (kept from before
    a check existed): as ``show_answer`` where it parses; a duration in ISO 8601 in words even where it
    does not fit (P0D: "0 days"); each item of a list so, joined as the language lists; else as stored.
    Never raises: the page shows the answer beside its question whatever it holds."""
    if isinstance(raw, (list, tuple)):
        return ("、" if _lang().startswith("zh") else ", ").join(show_stored(fact, item) for item in raw)
    if isinstance(raw, (str, int, bool)):
        try:
            return show_answer(fact, raw)  # type: ignore[arg-type]
        except (ValueError, TypeError, StopIteration):
            pass
        if fact.type == "duration" and isinstance(raw, str):
            try:
                return duration(Duration.parse(raw))
            except ValueError:
                pass
    return str(raw)


def read_answers(data: Mapping[str, str], facts: Mapping[str, FactDef]) -> dict[str, str]:
    """The raw answers in a posted form: every field named after a fact that is asked for."""
    answers = {}
    for fact in facts.values():
        if fact.derived_from:
            continue
        value = durations.from_parts(data, fact.id) if fact.type == "duration" else None
        if value is None:
            value = (data.get(fact.id) or "").strip()
        if value:
            answers[fact.id] = value
    return answers


def step(
    procedure: Procedure,
    data: Mapping[str, str],
    today: date,
    *,
    within_days: int | None = None,
    permit_since_entry: bool = False,
) -> Step:
    """The advisor's next step for the posted ``data`` (empty for a fresh start on ``today``); the
    after-entry duty as the registry records it for a signed-in applicant (``registry_facts.after_entry``)."""
    facts = catalog().facts
    answers = read_answers(data, facts)
    errors: dict[str, str] = {}
    refused: dict[str, str] = {}
    on_raw = (data.get(ON) or "").strip() or planned_day(procedure, today).isoformat()
    try:
        on = date.fromisoformat(on_raw)
    except ValueError:
        errors[ON], on = gettext("Enter a real date as YYYY-MM-DD, for example 1990-05-05."), today
    if not procedure.in_force_on(on):
        errors[ON], on = _not_in_force(procedure, on), today
    advice = None
    while advice is None:
        try:
            advice = advise(
                procedure.id, answers, on, within_days=within_days, permit_since_entry=permit_since_entry
            )
        except FactError as exc:
            if exc.fact not in answers:
                raise
            errors[exc.fact] = exc.text.get(_lang())
            refused[exc.fact] = answers.pop(exc.fact)
        except NotInForce:
            errors[ON], on = _not_in_force(procedure, on), today
        except OutOfCalendarRange:
            errors[ON], on = (
                gettext("Working days cannot be counted for that date; choose a nearer one."),
                today,
            )
    question = _next_question(data, answers, advice, errors, refused, on_raw, on)
    if question is not None and question.type == "duration":
        question = replace(question, longest=longest_validity(procedure.casework, on))
    return Step(procedure, on, answers, advice, question, errors)


def _not_in_force(procedure: Procedure, on: date) -> str:
    values = {"on": day(on), "from": day(procedure.in_force_from)}
    if procedure.in_force_to is None:
        return gettext("The rules of this procedure apply from %(from)s; %(on)s is before that.") % values
    values["to"] = day(procedure.in_force_to)
    return gettext("The rules of this procedure apply from %(from)s to %(to)s; %(on)s is outside.") % values


def _next_question(
    data: Mapping[str, str],
    answers: dict[str, str],
    advice: Advice,
    errors: dict[str, str],
    refused: dict[str, str],
    on_raw: str,
    on: date,
) -> Question | None:
    facts = catalog().facts_on(on)
    if ON in errors:
        return on_question(on_raw, errors[ON])
    for name, error in errors.items():
        return question_for(facts[name], refused[name], error)
    ask = data.get(ASK)
    if ask == ON:
        return on_question(on_raw, "")
    if ask in answers:
        return question_for(facts[ask], answers[ask], "")
    if advice.status != NEEDS_FACTS:
        return None
    fact = advice.missing[0]
    unanswered = data.get(ASKED) == fact.id and fact.id not in answers
    return question_for(fact, "", gettext("Please answer this question.") if unanswered else "")
