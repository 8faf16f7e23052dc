"""The catalog's types: procedures and their rule lines, halls, and obligations.

Every rule line carries the condition that brings it in (``when``), the text an applicant reads, why it
applies, and its citations. A procedure is in force between two dates; asking for it outside them is an
error, never a silent empty answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import TypeVar

from exitentry.law.conditions import ALWAYS, Condition
from exitentry.law.facts import Duration
from exitentry.law.in_force import InForce
from exitentry.law.parameters import ParameterNotInForce, Parameters, Ref
from exitentry.law.sources import Citation
from exitentry.law.text import Text

SECTIONS = (
    "eligibility",
    "materials",
    "fees",
    "time_limits",
    "submission",
    "interview",
    "health",
    "translation",
    "notes",
)


@dataclass(frozen=True, slots=True)
class Band:
    """A fee band over a duration: from ``lower`` (inclusive) to ``upper`` (exclusive unless ``upto``),
    its bounds and amount named by parameters (``on`` gives the band with their values on a day)."""

    lower: Ref | Duration | None
    upper: Ref | Duration | None
    upper_inclusive: bool
    amount_cny: Ref | int

    def on(self, parameters: Parameters, day: date) -> Band:
        def value(number):
            return parameters.resolve(number, day) if isinstance(number, Ref) else number

        return replace(
            self, lower=value(self.lower), upper=value(self.upper), amount_cny=value(self.amount_cny)
        )

    def contains(self, value: Duration, on: date) -> bool:
        if self.lower is not None:
            end, bottom = value.comparable_ends(self.lower, on)
            if end < bottom:
                return False
        if self.upper is None:
            return True
        end, top = value.comparable_ends(self.upper, on)
        return end <= top if self.upper_inclusive else end < top


@dataclass(frozen=True, slots=True)
class Rule:
    """One line of a procedure's rules: what applies, when, why, and where the law says so.

    Its numbers are named parameters (``Ref``) as loaded; ``on(parameters, day)`` is the line as it
    reads on one day, its numbers the values then in force and written into its text by name
    ("{working_days} working days").
    """

    section: str
    id: str
    text: Text
    cite: tuple[Citation, ...]
    when: Condition = ALWAYS
    why: Text | None = None
    # eligibility: the requirement itself and what the applicant is told when it is not met
    require: Condition = ALWAYS
    failure: Text | None = None
    # fees: a fixed amount in CNY, or bands over a duration fact, and when it is paid (``PAID_AT``) with the
    # sources that say so (a part the application ends without being charged cites them: ``law.fees``)
    amount_cny: Ref | int | None = None
    paid_at: str = "issue"
    paid_at_cite: tuple[Citation, ...] = ()
    band_fact: str | None = None
    bands: tuple[Band, ...] = ()
    # time limits: a count of working days and what it counts
    working_days: Ref | int | None = None
    counts: str | None = None
    # submission: "in-person", "proxy", "walk-in" (no appointment is booked) or "booked-elsewhere" (in another
    # system: ``intake.not_booked_here``); interview: "required", "waived" or "on-request"
    mode: str | None = None
    # proxy: who may submit instead (some of ``SUBMITTERS``); () where the line names no limit
    by: tuple[str, ...] = ()
    # health: months a certificate stays valid after issue, or must be issued within before acceptance
    valid_months: Ref | int | None = None
    issued_within_months: Ref | int | None = None
    # notes: the materials (and health certificates) whose originals the hall sees at intake, by id, or
    # ``EVERY_MATERIAL``; the note's ``cite`` is the source that says so
    originals: tuple[str, ...] = ()
    # another procedure (its id) the line sends the applicant to, e.g. the one-stop service for a work permit
    see: str | None = None

    def on(self, parameters: Parameters, day: date) -> Rule:
        """This line with the numbers in force on ``day`` (``ParameterNotInForce`` if one has none)."""
        numbers = {
            name: parameters.resolve(ref, day)
            for name in RULE_NUMBERS
            if isinstance(ref := getattr(self, name), Ref)
        }
        bands = tuple(b.on(parameters, day) for b in self.bands)
        words = parameters.words(day)
        return replace(
            self,
            text=filled(self.text, words, day, numbers),
            why=filled(self.why, words, day),
            failure=filled(self.failure, words, day),
            when=self.when.on(parameters, day),
            require=self.require.on(parameters, day),
            bands=bands,
            **numbers,
        )


EVERY_MATERIAL = "all"
# When a fee line is paid at the hall: when the application is accepted (its receipt issued), or when the
# permit is issued and collected (the guides' "pay and collect" step), where the source says no earlier.
PAID_AT = ("acceptance", "issue")
# ``PAID_AT`` in words: the one wording of the guides, the checklist, the API and the decision. "On
# collection": bj-personal-affairs, Steps ("pay the application fee and pick up your documents"); for the
# procedures whose guide names only the issuance (bj-permanent-residence, Fees: "charged ... during the
# issuance of the card") or no step (bj-one-stop), a recorded choice: the hall takes the fee when it hands
# the permit over, the one moment the system enforces it (``cases.services.issuing.collect``).
PAID_WHEN = {
    "acceptance": Text("Paid when the application is accepted", "受理申请时缴纳"),
    "issue": Text("Paid when the permit is issued, on collection", "发证时（领取证件时）缴纳"),
}
# Where an application stands, as the fee reads it (the apps map their states to these): being handed in
# (or awaiting missing materials), held by the hall undecided, approved until collection, collected, refused
# after acceptance, or closed without a decision: withdrawn, or a draft expired.
FEE_STAGES = ("handing-in", "held", "approved", "collected", "refused", "withdrawn", "expired")
# When each fee line is charged, by stage: "now" once the hall takes it (and after), "later" before; a stage
# not named is one the application ends at without the line being charged. Source: bj-permanent-residence,
# Fees (Application): "the fee for accepting ... application", so charged once the hall takes the
# application in, and Fees (Issuance): "charged ... during the issuance of the ... card", so not for an
# application refused, never issued. Recorded choice (the sources are silent on a withdrawal and on
# refunds): an application withdrawn is charged nothing more, what was paid stays paid.
FEE_CHARGED = {
    "acceptance": {
        "handing-in": "later",
        "held": "now",
        "approved": "now",
        "collected": "now",
        "refused": "now",
    },
    "issue": {"handing-in": "later", "held": "later", "approved": "now", "collected": "now"},
}
FEE_DUES = ("now", "later", "not_charged")  # a line's due: FEE_CHARGED's, or not_charged at a stage not named
FEE_DUE_NOW, FEE_DUE_LATER, FEE_NOT_CHARGED = FEE_DUES
RULE_NUMBERS = ("amount_cny", "working_days", "valid_months", "issued_within_months")
T = TypeVar("T", Text, Text | None)


def filled(
    text: T,
    words: tuple[Mapping[str, str], Mapping[str, str]],
    day: date,
    numbers: Mapping[str, object] | None = None,
) -> T:
    """``text`` with its placeholders written in: the line's own numbers (``{working_days}``) and any
    parameter by id (``{proxy-age-from}``), as in force on ``day``."""
    if text is None or ("{" not in text.en and "{" not in text.zh):
        return text
    en, zh = words
    extra = numbers or {}
    try:
        return Text(text.en.format(**en, **extra), text.zh.format(**zh, **extra))  # type: ignore[return-value]
    except KeyError as exc:
        raise ParameterNotInForce(str(exc.args[0]), day) from None


@dataclass(frozen=True, slots=True)
class Period:
    """How an obligation's dates follow from a fact: a period in calendar days or in months."""

    kind: str  # within_calendar_days_of | at_least_calendar_days_before | within_months_before | ..._after
    fact: str
    calendar_days: Ref | int | None = None
    months: Ref | int | None = None


@dataclass(frozen=True, slots=True)
class Obligation:
    """A duty that follows from the law, with the period it must be met in."""

    id: str
    text: Text
    period: Period
    cite: tuple[Citation, ...]
    when: Condition = ALWAYS
    why: Text | None = None
    permits: tuple[str, ...] = ()  # the permit kinds the duty falls on; none named: every permit acted on

    def falls_on(self, kind: str) -> bool:
        """Whether the duty falls on a permit of ``kind`` that a procedure listing it acts on."""
        return not self.permits or kind in self.permits

    def on(self, parameters: Parameters, day: date) -> Obligation:
        """This duty with the number of days in force on ``day``, written into its text."""
        numbers = {
            name: parameters.resolve(ref, day) if isinstance(ref, Ref) else ref
            for name in ("calendar_days", "months")
            if (ref := getattr(self.period, name)) is not None
        }
        words = parameters.words(day)
        return replace(
            self,
            text=filled(self.text, words, day, numbers),
            why=filled(self.why, words, day),
            when=self.when.on(parameters, day),
            period=replace(self.period, **numbers),
        )


@dataclass(frozen=True, slots=True)
class Session:
    opens: time
    closes: time


@dataclass(frozen=True, slots=True)
class Choice:
    """Where the seeds disagree: the value chosen, the alternative, and why (kept as data). ``silent``: the
    alternative source states no value at all, so the chosen one fills a gap rather than settling a conflict."""

    field: str
    chosen: Text
    chosen_source: Citation
    alternative: Text
    alternative_source: Citation
    reason: Text
    silent: bool = False


@dataclass(frozen=True, slots=True)
class Hall:
    """An exit-entry hall: where it is, when it is open, which applications it accepts."""

    id: str
    name: Text
    address: Text
    weekdays: frozenset[int]  # 0 = Monday
    sessions: tuple[Session, ...]
    accepts: frozenset[str]  # hall categories; "*" accepts every procedure but a dedicated hall's
    restriction: Text | None
    cite: tuple[Citation, ...]
    choices: tuple[Choice, ...] = ()
    dedicated: bool = False  # its categories are received here alone (the one-stop counters)

    def accepts_any(self, categories: frozenset[str], reserved: frozenset[str] = frozenset()) -> bool:
        """Whether the hall takes a procedure of ``categories``; "*" does not reach the ``reserved`` ones
        (the dedicated halls' categories)."""
        return bool(self.accepts & categories) or ("*" in self.accepts and bool(categories - reserved))


SUBMITTERS = ("proxy", "unit", "agency")  # someone acting for the applicant: a person, a unit, an agency
ACTIONS = ("issue", "extension", "renewal", "reissue", "replacement", "change", "endorsement")
PR_CARD = "pr-card"  # the permanent resident ID card
PERMITS = ("residence-permit", "stay-permit", "visa", PR_CARD, "exit-document")
RESIDENCE_PERMIT_TYPES = ("work", "study", "journalist", "family-reunion", "private-affairs")


@dataclass(frozen=True, slots=True)
class Casework:
    """What approving an application does to the register, and who approves it.

    ``action`` issues a new permit or changes the one the applicant holds (extension, renewal, ...);
    ``permit_type`` is the residence-permit type (Art. 15), or None when it is the held permit's.
    ``approval`` is "local" (the exit-entry administration decides) or "ministry" (the Ministry of Public
    Security approves and the Beijing administration then issues the card). ``by_new_employer``: only the
    employer the holder moves to applies (a change of employer).
    """

    action: str
    permit: str
    permit_type: str | None
    approval: str
    with_work_permit: bool
    cite: tuple[Citation, ...]
    by_new_employer: bool = (
        False  # the holder's new employer applies (a change of employer), never the present one
    )


@dataclass(frozen=True, slots=True)
class Procedure(InForce):
    """A procedure an applicant can follow, with its rules by section."""

    id: str
    title: Text
    summary: Text
    group: str
    in_force_from: date
    in_force_to: date | None
    hall_categories: frozenset[str]
    where: Text | None  # where to apply when no listed hall takes it (e.g. one-stop counters)
    cite: tuple[Citation, ...]
    rules: dict[str, tuple[Rule, ...]]
    obligations: tuple[Obligation, ...]
    casework: Casework
    fact_order: tuple[str, ...] = field(default=())  # the facts as asked, as the rules first need them

    def ask_order(self, name: str) -> tuple[int, str]:
        """Where the fact ``name`` (as asked) comes when facts are asked for: as the rules first need
        them (``fact_order``), then by name."""
        order = self.fact_order
        return (order.index(name) if name in order else len(order)), name

    def summary_on(self, parameters: Parameters, day: date) -> Text:
        """The summary alone as it reads on ``day`` (what ``on`` fills, without the rules)."""
        return filled(self.summary, parameters.words(day), day)

    def on(self, parameters: Parameters, day: date) -> Procedure:
        """The procedure as it reads on ``day``: every line and duty with the numbers then in force."""
        words = parameters.words(day)
        return replace(
            self,
            title=filled(self.title, words, day),
            summary=filled(self.summary, words, day),
            where=filled(self.where, words, day),
            rules={
                section: tuple(r.on(parameters, day) for r in rules) for section, rules in self.rules.items()
            },
            obligations=tuple(o.on(parameters, day) for o in self.obligations),
        )
