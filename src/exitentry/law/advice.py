"""``advise(procedure, facts, on=date)``: what an applicant needs, what it costs, how long, where, and who
must come, each line with why and where the law says so.

The rules of the procedure are evaluated against the facts in three values. A line whose condition is
unknown is left out and the facts it needs are listed in ``missing``, in the order the rules need them;
the answer is ``complete`` only when nothing is missing and every eligibility requirement is met.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, TypeVar

from exitentry.law.calendar import OfficialCalendar, OutOfCalendarRange
from exitentry.law.catalog import PILOT_FACT, Catalog, catalog
from exitentry.law.conditions import ALWAYS, Condition, Evaluator
from exitentry.law.facts import FactDef, FactError, parse_facts
from exitentry.law.halls import hall_as_dict, hall_facts, last_day_a_hall_opens
from exitentry.law.model import SECTIONS, Hall, Obligation, Procedure, Rule
from exitentry.law.periods import (
    add_months,
    last_day_within_calendar_days,
    latest_day_at_least_calendar_days_before,
    roll_past_rest_days,
    window_within_months_after,
    window_within_months_before,
)
from exitentry.law.rulefunctions import cites
from exitentry.law.rules.acting import what_follows
from exitentry.law.rules.duties import PERMIT_AFTER_ENTRY, after_entry_obligation
from exitentry.law.sources import Citation
from exitentry.law.text import Text

COMPLETE, NEEDS_FACTS, INELIGIBLE = "complete", "needs-facts", "ineligible"
# the health lines count the certificate's validity from it
HEALTH_ISSUE_DATE = "health_certificate_issue_date"
# an answer given to a fact the procedure does not ask (``facts_asked``), refused as input
NOT_ASKED = Text(
    "The rules of this application do not ask this; leave it out.", "本申请的规定不询问此项，请勿填写。"
)


class NotInForce(LookupError):
    """The procedure's rules are not in force on the date asked about; ``text`` says so in both languages."""

    def __init__(self, procedure: Procedure, on: date):
        until = procedure.in_force_to or "now"
        title = procedure.title
        if procedure.in_force_to is None:
            self.text = Text(
                f"The rules of “{title.en}” apply from {procedure.in_force_from}; {on} is before that.",
                f"“{title.zh}”的规则自{procedure.in_force_from}起适用，{on}早于该日期。",
            )
        else:
            self.text = Text(
                f"The rules of “{title.en}” apply from {procedure.in_force_from} to {until}; {on} is outside.",
                f"“{title.zh}”的规则适用于{procedure.in_force_from}至{until}，{on}不在此期间内。",
            )
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
    paid_at: str | None = None  # fees: when the line is paid (``model.PAID_AT``)
    paid_at_cite: tuple[Citation, ...] = ()  # fees: the sources that say so (not part of ``as_dict``)
    working_days: int | None = None
    counts: str | None = None
    mode: str | None = None
    by: tuple[str, ...] = ()  # proxy: who may submit instead; () where the source names no limit
    due: date | None = None  # the date the line leads to: expected, last day, valid until
    window_from: date | None = None
    provisional: bool = False  # the date relied on a year whose holiday schedule is not published
    last_open_day: date | None = (
        None  # obligations: the last day a hall opens before a ``due`` all are closed
    )
    see: str | None = None  # the procedure the line sends the applicant to (its guide)
    months: int | None = None  # health: the months its dates are counted in (not part of ``as_dict``)
    # time limits: the working days of the pre-examination ``due`` counts first (``_after_pre_examination``)
    after_working_days: int | None = None
    waits_for: tuple[str, ...] = ()  # pending: the missing facts its condition waits for, in asking order

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
        if self.waits_for:
            data["waits_for"] = list(self.waits_for)
        data["provisional"] = self.provisional
        return data


_PAYLOAD = (
    "met",
    "amount_cny",
    "paid_at",
    "working_days",
    "counts",
    "mode",
    "due",
    "window_from",
    "last_open_day",
    "see",
)


@dataclass(frozen=True, slots=True)
class Unfit:
    """A stored answer that no longer fits its fact (kept from before a check existed: a validity written
    "six months", a number out of range): why (``FactError.text``, and ``api`` in the API's terms where
    they differ from it: ``FactError.api_terms``), and the rule that reads the fact, with its sources (an eligibility requirement
    first, else a line waiting for it; None where none does)."""

    fact: str
    value: object
    text: Text
    rule: Text | None = None
    cite: tuple[Citation, ...] = ()
    api: Text | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.fact,
            "value": self.value,
            "text": self.text.as_dict(),
            "rule": self.rule.as_dict() if self.rule else None,
            "cite": [c.as_dict() for c in self.cite],
        }


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
    # materials (the health certificate among them) whose condition waits for a fact in ``missing``: neither
    # required nor dropped until it is answered; each line's ``why`` says when it is needed, its
    # ``waits_for`` which facts decide it
    pending: tuple[Answer, ...] = ()
    # answers stored before a check existed that no longer fit their fact (``advise_stored``): left out of
    # ``facts``, so the rules ask them again (in ``missing`` where they still need them)
    unfit: tuple[Unfit, ...] = ()
    # answers stored for facts the procedure does not ask (``facts_asked``: gone from its rules, or derived
    # from other answers, as an age from the birth date): not read, never asked again (``advise_stored``)
    not_asked: tuple[str, ...] = ()

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
    def fee_due_at_acceptance_cny(self) -> int | None:
        """The part of ``fee_total_cny`` paid before the hall accepts the application (None with it)."""
        if self.fee_total_cny is None:
            return None
        return sum(a.amount_cny or 0 for a in self.fees if a.paid_at == "acceptance")

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
            "fee_due_at_acceptance_cny": self.fee_due_at_acceptance_cny,
            "proxy_allowed": self.proxy_allowed,
            "provisional": self.provisional,
            **{name: [a.as_dict() for a in getattr(self, name)] for name in ANSWER_SECTIONS},
            "pending": [a.as_dict() for a in self.pending],
            "halls": [hall_as_dict(h) for h in self.halls],
            "where": self.procedure.where.as_dict() if self.procedure.where else None,
        }


# The catalog's sections, with the duties that follow (``dated_obligation``) before the notes.
ANSWER_SECTIONS = (*(s for s in SECTIONS if s != "notes"), "obligations", "notes")


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


def advise(
    procedure_id: str,
    facts: Mapping[str, object],
    on: date,
    *,
    in_catalog: Catalog | None = None,
    within_days: int | None = None,
    permit_since_entry: bool = False,
) -> Advice:
    """Advice for ``procedure_id`` given raw ``facts`` (JSON-like values), applied on ``on``.

    ``within_days``: the days the visa of the applicant's entry states for applying for a residence permit
    (the registry's; None: not known, the Law's days apply); ``permit_since_entry``: a residence permit was
    issued since that entry, so the after-entry duty is met (``_after_entry``).

    Raises ``UnknownProcedure``, ``NotInForce`` or ``FactError`` (naming the fact and why) for bad input,
    and ``ParameterNotInForce`` when a number the rules need has no value on ``on``.
    """
    cat = in_catalog or catalog()
    procedure = cat.procedure(procedure_id)
    if not procedure.in_force_on(on):
        raise NotInForce(procedure, on)
    values = parse_facts(facts, cat.facts, on)
    plan = _plan(procedure, cat, on)
    missing: set[str] = set()
    waiting: list[tuple[Answer, set[str]]] = []
    sections = {
        **plan.fixed,
        **{
            name: _answers(lines, values, on, missing, waiting if name in PENDING_SECTIONS else None)
            for name, lines in plan.varying
        },
    }
    eligibility = sections["eligibility"]
    health = sections["health"]
    obligations = _after_entry(
        _answers(plan.obligations, values, on, missing), values, on, within_days, permit_since_entry, cat
    )
    if any(a.met is False for a in eligibility):
        status = INELIGIBLE
    elif missing:
        status = NEEDS_FACTS
    else:
        status = COMPLETE
    return Advice(
        procedure=procedure,
        on=on,
        facts=values,
        status=status,
        missing=tuple(cat.facts_on(on)[name] for name in sorted(missing, key=procedure.ask_order))
        if missing
        else (),
        eligibility=eligibility,
        materials=sections["materials"] + health,
        fees=sections["fees"],
        time_limits=_after_pre_examination(sections["time_limits"], cat.calendar),
        submission=in_person_unless_proxy(sections["submission"]),
        interview=sections["interview"],
        health=health,
        translation=sections["translation"],
        notes=sections["notes"],
        obligations=obligations,
        pending=tuple(
            replace(a, waits_for=tuple(sorted(needs, key=procedure.ask_order))) for a, needs in waiting
        )
        if missing
        else (),
        halls=cat.halls_for(procedure, values) if values.get(PILOT_FACT) else plan.halls(cat),
    )


def advise_stored(
    procedure_id: str, facts: Mapping[str, object], on: date, *, in_catalog: Catalog | None = None
) -> Advice:
    """Advice on answers stored earlier (an application's): as ``advise``, but an answer to a fact the
    procedure does not ask (``facts_asked``: one its rules no longer read, one derived from other answers,
    a name the catalog no longer knows) is left out and named in ``not_asked``, never asked again; and an
    answer that does not fit its fact (``FactError``: kept from before the check existed) is treated as
    unanswered, so the rules ask it again, and listed in ``unfit`` with why and the rule that reads it. New
    input goes through ``advise``, which refuses such an answer.

    Raises ``UnknownProcedure``, ``NotInForce`` and ``ParameterNotInForce`` as ``advise`` does.
    """
    cat = in_catalog or catalog()
    asked = facts_asked(cat.procedure(procedure_id), cat)
    kept = {name: value for name, value in facts.items() if name in asked}
    not_asked = tuple(n for n, value in facts.items() if n not in asked and value not in (None, ""))
    dropped: dict[str, FactError] = {}
    while True:
        try:
            advice = advise(procedure_id, kept, on, in_catalog=cat)
        except FactError as exc:
            if exc.fact not in kept:  # not an answer given (cannot happen): the error is the catalog's
                raise
            del kept[exc.fact]
            dropped[exc.fact] = exc
            continue
        if not dropped and not not_asked:
            return advice
        return replace(
            advice,
            unfit=tuple(_unfit(advice, facts[n], e) for n, e in dropped.items()),
            not_asked=not_asked,
        )


def facts_asked(procedure: Procedure, cat: Catalog) -> frozenset[str]:
    """The facts ``procedure`` asks for, as asked (a birth date for an age): those its rules read
    (``fact_order``) and the duties that follow run from, the health certificate's issue date where it has
    health lines, and those whose answer may add a hall (``hall_facts``). No other answer is read."""
    names = set(procedure.fact_order)
    for obligation in procedure.obligations:
        names.add(obligation.period.fact)
        names.update(obligation.when.facts)
    if procedure.rules.get("health"):
        names.add(HEALTH_ISSUE_DATE)
    names.update(hall_facts(procedure))
    return frozenset(n for name in names for n in cat.facts[name].asked_as)


def _unfit(advice: Advice, value: object, error: FactError) -> Unfit:
    """Why ``value`` no longer fits, with the first rule reading its fact: an eligibility requirement (as
    asked: a birth date for an age), else a line whose condition waits for it."""
    rules = {r.id: r for r in advice.procedure.rules.get("eligibility", ())}
    reading = [a for a in advice.eligibility if a.id in rules and error.fact in rules[a.id].require.facts]
    reading += [a for a in advice.pending if error.fact in a.waits_for]
    if not reading:
        return Unfit(error.fact, value, error.text, api=error.api_terms)
    return Unfit(error.fact, value, error.text, reading[0].text, reading[0].cite, error.api_terms)


# -- The plan: a procedure's rules made ready to answer -------------------------------------------------
#
# Each rule becomes a *line*: a function of (values, on, missing) that returns the rule's Answer, or None;
# or simply its Answer when that is the same in every advice. Whatever does not depend on the facts or
# the date is built once, when the procedure is first advised on: the Answer of a plain line or a fixed
# fee, the three Answers of an eligibility line (met, not met, unknown), one Answer per fee band, the
# Answer of an obligation without its date, and a whole section when all its lines are unconditional and
# fixed. Answers are immutable, so sharing them between advices is safe; what depends on the facts or
# the date is still computed every time. The rules' numbers are parameters dated by when they take
# effect: a plan is made for one stretch of days in which no parameter changes (``Parameters.epoch``),
# from the procedure as it reads then (``Procedure.on``), on the catalog's calendar.

Line = Callable[[Mapping[str, object], date, set[str]], "Answer | None"]
Step = tuple["Evaluator | None", Line]  # the rule's condition (None: always) and its line


class _Plan:
    """A procedure's sections (fixed or varying) and its obligations, for one stretch of days in which its parameters keep their values."""

    __slots__ = (
        "procedure",
        "parameters",
        "calendar",
        "fixed",
        "varying",
        "obligations",
        "days",
        "_halls",
    )

    def __init__(self, procedure: Procedure, cat: Catalog, on: date):
        self.procedure, self.parameters, self.calendar = procedure, cat.parameters, cat.calendar
        today = procedure.on(cat.parameters, on)
        self.fixed: dict[str, tuple[Answer, ...]] = {}  # sections that are the same in every advice
        varying: list[tuple[str, tuple[Step, ...]]] = []
        for name, rules in today.rules.items():
            made = [(rule.when, _LINE[rule.section](rule, cat.calendar)) for rule in rules]
            if all(when is ALWAYS and isinstance(line, Answer) for when, line in made):
                self.fixed[name] = tuple(line for _, line in made)  # type: ignore[misc]
            else:
                varying.append((name, tuple(_step(when, line) for when, line in made)))
        self.varying = tuple(varying)
        # What follows it, as its guide lists it: its own duties, dated from the facts, and those of the
        # permit it leads to, undated (that permit's last day is not known before it is issued).
        own = {o.id for o in today.obligations}
        self.obligations = tuple(
            _step(o.when, line if o.id in own else line({}, on, set()))
            for o in what_follows(procedure, on, in_catalog=cat)
            for line in [dated_obligation(o, cat.calendar)]
        )
        self.days = _unchanged_procedures(cat, on)  # what follows depends on which procedures are in force
        self._halls: tuple[Catalog | None, tuple[Hall, ...]] = (None, ())

    def halls(self, cat: Catalog) -> tuple[Hall, ...]:
        """The halls of ``cat`` that take this procedure (remembered for the last catalog asked about)."""
        seen, halls = self._halls
        if seen is not cat:
            halls = cat.halls_for(self.procedure)
            self._halls = (cat, halls)
        return halls


_plans: dict[tuple[int, int], _Plan] = {}
_MAX_PLANS = 1024


def _plan(procedure: Procedure, cat: Catalog, on: date) -> _Plan:
    """The plan of ``procedure`` for the stretch of days ``on`` falls in, made on first use (a loaded
    procedure never changes, nor do its parameters within a stretch).

    Keyed by identity: a plan holds its procedure, so the id cannot be reused while the plan is kept.
    """
    key = (id(procedure), cat.parameters.epoch(on))
    plan = _plans.get(key)
    if (
        plan is None
        or plan.procedure is not procedure
        or plan.parameters is not cat.parameters
        or plan.calendar is not cat.calendar
        or not plan.days[0] <= on < plan.days[1]
    ):
        if len(_plans) >= _MAX_PLANS:  # catalogs built over and over (tests) must not pile up
            _plans.clear()
        plan = _plans[key] = _Plan(procedure, cat, on)
    return plan


def _unchanged_procedures(cat: Catalog, on: date) -> tuple[date, date]:
    """The days around ``on``, from the first up to (not including) the last, in which no procedure of
    ``cat`` comes into force or goes out of it."""
    changes = {p.in_force_from for p in cat.procedures.values()}
    changes |= {p.in_force_to + timedelta(days=1) for p in cat.procedures.values() if p.in_force_to}
    return (
        max((d for d in changes if d <= on), default=date.min),
        min((d for d in changes if d > on), default=date.max),
    )


def _step(when: Condition, line: Answer | Line) -> Step:
    """The condition to evaluate (None for ALWAYS itself: a condition without facts may still be false,
    as ``{not: true}`` is) and the line."""
    return (None if when is ALWAYS else when.evaluate), _constant(line) if isinstance(line, Answer) else line


def _constant(answer: Answer) -> Line:
    return lambda values, on, missing: answer


# The sections whose lines are listed as pending while their condition waits for a fact (``Advice.pending``).
PENDING_SECTIONS = ("materials", "health")


def _answers(
    steps: tuple[Step, ...],
    values: Mapping[str, object],
    on: date,
    missing: set[str],
    waiting: list[tuple[Answer, set[str]]] | None = None,
) -> tuple[Answer, ...]:
    """The lines whose condition holds; those whose condition is unknown go to ``waiting`` where given,
    each with the facts its condition waits for."""
    answers = []
    for when, line in steps:
        met = True if when is None else when(values, on, missing)
        if met is None and waiting is not None:
            answer = line(values, on, set())
            if answer is not None:
                needs: set[str] = set()
                when(values, on, needs)  # type: ignore[misc]  # None only where a condition is
                waiting.append((answer, needs))
        elif met:
            answer = line(values, on, missing)
            if answer is not None:
                answers.append(answer)
    return tuple(answers)


def _answer_of(rule: Rule, condition: str | None = None, **details: Any) -> Answer:
    """``rule``'s line with ``details``, brought in by ``condition`` (the rule's own, unless given)."""
    said = rule.when.text if condition is None else condition
    return Answer(rule.section, rule.id, rule.text, rule.why, said, rule.cite, see=rule.see, **details)


def _plain(rule: Rule, calendar: OfficialCalendar) -> Answer:
    return _answer_of(rule, mode=rule.mode, by=rule.by)


def _eligibility(rule: Rule, calendar: OfficialCalendar) -> Line:
    """The requirement is met, not met, or unknown: one Answer for each, built once."""
    by_result = {
        met: _answer_of(rule, rule.require.text, met=met, failure=rule.failure if met is False else None)
        for met in (True, False, None)
    }
    require = rule.require.evaluate
    return lambda values, on, missing: by_result[require(values, on, missing)]


def _fee(rule: Rule, calendar: OfficialCalendar) -> Answer | Line:
    """A fixed fee, or the fee of the band the fact falls in (none outside every band: eligibility says why)."""

    def fee(amount: int | None) -> Answer:
        return _answer_of(rule, amount_cny=amount, paid_at=rule.paid_at, paid_at_cite=rule.paid_at_cite)

    if not rule.band_fact:
        return fee(rule.amount_cny)  # type: ignore[arg-type]
    band_fact = rule.band_fact
    bands = tuple((band, fee(band.amount_cny)) for band in rule.bands)  # type: ignore[arg-type]

    def banded(values: Mapping[str, object], on: date, missing: set[str]) -> Answer | None:
        value = values.get(band_fact)
        if value is None:
            missing.add(band_fact)
            return None
        return next((answer for band, answer in bands if band.contains(value, on)), None)  # type: ignore[arg-type]

    return banded


def _time_limit(rule: Rule, calendar: OfficialCalendar) -> Line:
    """The due date ``working_days`` after ``on`` on the catalog's official calendar.

    The last answer is kept with the date it was reckoned on: most advices are asked about today.
    """
    working_days: int = rule.working_days or 0  # type: ignore[assignment]
    last: tuple[date | None, Answer | None] = (None, None)

    def time_limit(values: Mapping[str, object], on: date, missing: set[str]) -> Answer:
        nonlocal last
        last_on, last_answer = last
        if last_on == on and last_answer is not None:
            return last_answer
        due = calendar.add_working_days(on, working_days)
        answer = _answer_of(
            rule, working_days=working_days, counts=rule.counts, due=due.date, provisional=due.provisional
        )
        last = (on, answer)
        return answer

    return time_limit


AFTER_PRE_EXAMINATION = ("processing", "receipt-validity")  # the clocks that start at the counter


def _after_pre_examination(lines: tuple[Answer, ...], calendar: OfficialCalendar) -> tuple[Answer, ...]:
    """The time limits with the decision's clock (``processing``) and the receipt's (``receipt-validity``)
    counted after the pre-examination, where one applies: the paper documents are handed in, and the receipt
    issued, at the counter only once the pre-examination has passed, and the permits follow in their working
    days after that (seed 002, "4. How to apply" b and c; Regulations Art. 18). Each due day is then the
    pre-examination's due day (the earliest counter day) plus its own working days, on the official
    calendar."""
    pre = next((a for a in lines if a.counts == "pre-examination" and a.due is not None), None)
    if pre is None or pre.due is None:
        return lines

    def counted(line: Answer) -> Answer:
        if line.counts not in AFTER_PRE_EXAMINATION or line.working_days is None:
            return line
        due = calendar.add_working_days(pre.due, line.working_days)  # type: ignore[arg-type]
        return replace(
            line,
            due=due.date,
            provisional=pre.provisional or due.provisional,
            after_working_days=pre.working_days,
        )

    return tuple(counted(a) for a in lines)


def _health(rule: Rule, calendar: OfficialCalendar) -> Line:
    valid_months: int | None = rule.valid_months  # type: ignore[assignment]
    issued_within_months: int | None = rule.issued_within_months  # type: ignore[assignment]

    def health(values: Mapping[str, object], on: date, missing: set[str]) -> Answer:
        issued = values.get(HEALTH_ISSUE_DATE)
        due = window_from = None
        if isinstance(issued, date) and valid_months:
            due = add_months(issued, valid_months)
        elif issued_within_months:
            window_from = add_months(on, -issued_within_months)
        return _answer_of(rule, due=due, window_from=window_from, months=valid_months or issued_within_months)

    return health


SubmissionLine = TypeVar("SubmissionLine", Answer, Rule)  # an advice's Answer or a catalog Rule


def in_person_unless_proxy(submission: tuple[SubmissionLine, ...]) -> tuple[SubmissionLine, ...]:
    """The submission lines, without the in-person one where a proxy line applies: the in-person duty
    (e.g. Regulations Art. 16) is the rule, the proxy lines (Art. 19) its exceptions, so a checklist that
    lets someone else apply does not also tell the applicant to come (the interview lines say when the
    applicant must still attend). An advice's lines apply to its facts; a catalog rule (the guide, before
    any fact) applies to everyone only where its condition always holds."""
    if any(line.mode == "proxy" and _applies_to_all(line) for line in submission):
        return tuple(line for line in submission if line.mode != "in-person")
    return submission


def _applies_to_all(line: Answer | Rule) -> bool:
    return isinstance(line, Answer) or line.when is ALWAYS


@cites("regulations: Art. 9", "exit-entry-law: Art. 30")
def _after_entry(
    answers: tuple[Answer, ...],
    values: Mapping[str, object],
    on: date,
    within_days: int | None,
    met: bool,
    cat: Catalog,
) -> tuple[Answer, ...]:
    """The duties with the after-entry one as the applicant's visa states it: within its own days
    (``duties.after_entry_obligation``, Regulations Art. 9), and left out when a residence permit has been
    issued since that entry (``met``: the duty is done, as the compliance scan and the permit cards count
    it; an entry years back on which the holder has lived on permits brings no duty to list)."""
    if not met and within_days is None:
        return answers
    shown = []
    for a in answers:
        if a.id == PERMIT_AFTER_ENTRY:
            if met:
                continue
            entry = values.get(cat.obligations[PERMIT_AFTER_ENTRY].period.fact)
            start = entry if isinstance(entry, date) else on  # undated: only its days are written
            duty = after_entry_obligation(start, within_days, in_catalog=cat)
            a = dated_obligation(duty, cat.calendar)(values, on, set())
        shown.append(a)
    return tuple(shown)


def dated_obligation(obligation: Obligation, calendar: OfficialCalendar) -> Line:
    """The duty (when its condition holds), dated from its fact when that is known, undated otherwise; a
    last day on which every hall is closed comes with the last day one is open before it."""
    period = obligation.period
    days: int = period.calendar_days or 0  # type: ignore[assignment]
    months: int = period.months or 0  # type: ignore[assignment]

    def answer(due: date | None = None, window_from: date | None = None, provisional: bool = False) -> Answer:
        open_day = last_day_a_hall_opens(due) if due is not None else None
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
            last_open_day=open_day if open_day != due else None,
        )

    undated = answer()

    def line(values: Mapping[str, object], on: date, missing: set[str]) -> Answer:
        anchor = values.get(period.fact)
        if not isinstance(anchor, date):
            return undated
        if period.kind == "within_calendar_days_of":
            try:
                rolled = roll_past_rest_days(last_day_within_calendar_days(anchor, days), calendar=calendar)
            except OutOfCalendarRange as exc:  # the fact's date is too far for the calendar
                raise FactError(period.fact, str(exc), exc.text) from None
            return answer(rolled.date, provisional=rolled.provisional)
        if period.kind == "at_least_calendar_days_before":
            return answer(latest_day_at_least_calendar_days_before(anchor, days))
        if period.kind == "within_months_before":
            window_from, due = window_within_months_before(anchor, months)
        else:
            window_from, due = window_within_months_after(anchor, months)
        return answer(due, window_from)

    return line


_LINE: dict[str, Callable[[Rule, OfficialCalendar], Answer | Line]] = {
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
