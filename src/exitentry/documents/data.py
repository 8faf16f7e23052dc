"""What a printed document says, as plain values: the renderer needs no database and no case model.

Bilingual text is a ``Text``; citations arrive already said (``Citation.label``, the document's title and
the article in both languages) because the document prints them, it does not resolve them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from exitentry.law.rules.residence import ReceiptValidity
from exitentry.law.text import Text

DEFICIENCY_KINDS = ("missing", "defective")
OUTCOMES = ("approved", "refused")


@dataclass(frozen=True, slots=True)
class Party:
    """The applicant as the passport shows them."""

    name: str
    chinese_name: str | None
    nationality: Text  # the country's name in both languages (the registry keeps the ISO code)
    passport_number: str
    date_of_birth: date
    passport_claim: bool = False  # given by the applicant's side, not yet checked by the hall (a claim)
    given_online: str = ""  # a claim beside the registry's passport, which it does not replace


@dataclass(frozen=True, slots=True)
class Line:
    """One printed statement, optionally with the reason for it, and where the law says so."""

    text: Text
    why: Text | None
    cite: tuple[Text, ...]
    why_as_written: str = ""  # a reason in its writer's own words: printed once, labelled as written
    status: Text | None = None  # where the statement stands, not a reason: a fee line's when and what is paid


@dataclass(frozen=True, slots=True)
class Receipt:
    """The acceptance receipt (Regulations Art. 13 para. 3 or Art. 18 para. 3, as `validity` says): it stands in for
    the passport kept for processing."""

    case_reference: str
    receipt_number: str
    procedure_title: Text
    hall_name: Text
    hall_address: Text
    applicant: Party
    accepted_on: date
    valid_until: date | None  # None where the sources set the receipt no validity (permanent residence)
    decision_due: date | None
    provisional: bool
    materials_received: tuple[Line, ...]
    fee_cny: int | None
    cite: tuple[Text, ...]
    # how long it serves and what the holder may do with it meanwhile (``receipt_validity``: stay, Art. 13
    # para. 3; reside, Art. 18 para. 3; or by analogy), as the case page and the public check say it
    validity: ReceiptValidity
    # where the fee is paid in parts (permanent residence): each part's amount and when it is paid
    fee_parts: tuple[tuple[int, Text], ...] = ()
    # where the case has since ended without charging a part of the fee: what is due, why, and its sources
    fee_ended: Line | None = None
    # reprinted after an approval granting a validity of another fee: the fee due follows it (decision notice)
    fee_granted: Line | None = None


@dataclass(frozen=True, slots=True)
class DeficiencyItem:
    """A material that is missing, or present but defective (then ``reason`` says what is wrong)."""

    kind: str
    text: Text
    reason: Text | None
    cite: tuple[Text, ...]

    def __post_init__(self) -> None:
        if self.kind not in DEFICIENCY_KINDS:
            raise ValueError(f"deficiency kind must be one of {DEFICIENCY_KINDS}, got {self.kind!r}")


@dataclass(frozen=True, slots=True)
class DeficiencyNotice:
    """The one-time notice: everything to supply or correct, told at one time (Art. 18 para. 2)."""

    case_reference: str
    notice_number: str
    procedure_title: Text
    hall_name: Text
    applicant: Party
    issued_on: date
    items: tuple[DeficiencyItem, ...]
    cite: tuple[Text, ...]

    def __post_init__(self) -> None:
        if not self.items:
            raise ValueError("a one-time notice must list at least one material to supply or correct")


@dataclass(frozen=True, slots=True)
class DecisionNotice:
    """The decision on an application; a refusal names its Art. 21 ground."""

    case_reference: str
    decision_number: str
    procedure_title: Text
    applicant: Party
    decided_on: date
    outcome: str
    permit_valid_from: date | None  # None for an extension: the permit held runs on, from its old last day
    permit_valid_until: date | None
    refusal_ground: Line | None
    effect: Line  # what the decision does: a refusal's finality, or that the permit is issued
    cite: tuple[Text, ...]
    # An approval's next steps: the permit granted (kind and type in words), its number once issued, the
    # fee as the hall charges it (the law core's lines, or what is charged of it where the hall waived the
    # fee or its rest, with the reason, citing the law's fee), and where to collect it (the hall's name
    # and address). A refusal's fee is one statement: what is due and paid, what is not charged and why.
    permit: Text | None = None
    permit_number: str | None = None
    fee: tuple[Line, ...] = ()
    collect_at: tuple[Text, Text] | None = None
    next_steps: tuple[Line, ...] = ()
    extended_by: Text | None = None  # an extension's length in words: the permit is extended, not issued anew

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, got {self.outcome!r}")
        if (self.outcome == "refused") != (self.refusal_ground is not None):
            raise ValueError("a refusal needs its ground, and an approval has none")
        if self.extended_by and self.permit_valid_from:
            raise ValueError("an extension runs on from the permit's last day: it has no new first day")
        if self.outcome == "refused" and (
            self.permit_valid_from or self.permit_valid_until or self.extended_by
        ):
            raise ValueError("a refusal issues no permit, so it has no permit validity")
        if (
            self.permit_valid_from
            and self.permit_valid_until
            and self.permit_valid_from > self.permit_valid_until
        ):
            raise ValueError("the permit cannot be valid until a day before it is valid from")


@dataclass(frozen=True, slots=True)
class BookingConfirmation:
    """An appointment at a hall: when and where, what to bring, and the code the hall scans at check-in."""

    reference: str
    case_reference: str
    procedure_title: Text
    applicant: Party
    hall_name: Text
    hall_address: Text
    starts_at: datetime  # in Beijing time
    ends_at: datetime
    counter: int
    bring: tuple[Line, ...]  # the materials of the application, in the law's words
    in_person: tuple[Line, ...]  # who must come, from the procedure's submission rules
    cutoff_hours: int
    must_come: Line | None = None  # someone files for the applicant, who must come all the same (Art. 19)
    who_hands_in: Line | None = None  # the filer may not hand it in; who may instead (seed 002 Notes (1))
    # the materials whose condition waits for an unanswered fact (``Advice.pending``), each with its ``why``
    pending: tuple[Line, ...] = ()
    check_in: Text | None = None  # when it is checked in (``appointments.tickets.check_in_window``)

    def __post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValueError("an appointment ends after it starts")


@dataclass(frozen=True, slots=True)
class UnitReportReceipt:
    """The receipt of a unit's report (Regulations Art. 26): who reported what, of whom, when, and what
    the report did (the roster place ended, the hall's follow-up opened)."""

    number: str
    unit_name: Text
    unit_credit_code: str
    person: Party
    relation: Text
    event: Text
    happened_on: date
    filed_at: datetime  # in Beijing time
    filed_by: Text  # in words: who filed it, never an account's name
    note: str
    effects: tuple[Line, ...]
    cite: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class ChangeReportReceipt:
    """The receipt of a holder's report that a residence permit's particulars changed (Exit and Entry
    Administration Law Art. 33): whose permit, what changed and when, who reported it, what follows."""

    number: str
    person: Party
    permit: Text  # the permit's kind and number
    particular: Text
    changed_on: date
    filed_at: datetime  # in Beijing time
    filed_by: Text  # in words: who filed it, never an account's name
    note: str
    effects: tuple[Line, ...]
    cite: tuple[Text, ...]
