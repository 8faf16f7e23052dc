"""What the case endpoints take and what each answers, so the OpenAPI document shows both."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import Field as OutField

from exitentry.api.advice import AnswerOut
from exitentry.api.language import filled
from exitentry.api.paging import WindowQuery
from exitentry.api.schemas import CitationOut, FactOut, NamedPersonOut, Out, TextOut, article
from exitentry.cases.models import Payment
from exitentry.law.fees import FEE_PART_STATES
from exitentry.law.model import FEE_DUES
from exitentry.registry import names

# --- inputs -------------------------------------------------------------------------------------------

NAME = filled(
    _(
        "at most %(limit)s letters of any script, spaces, hyphens, apostrophes, periods and middle dots "
        "(the registry's checks, answered in both languages)"
    ),
    limit=names.LIMIT,
)


class TravelDocumentIn(Schema):
    kind: str = Field("passport", pattern="^(passport|other)$")
    number: str = Field(description=_("5 to 20 capital letters and digits"))
    issuing_country: str = Field(description=_("ISO 3166 alpha-3, e.g. DEU"))
    issued_on: date
    expires_on: date


class PersonIn(Schema):
    surname: str = Field(min_length=1, description=NAME)
    given_names: str = Field("", description=NAME)
    chinese_name: str = Field("", description=NAME)
    sex: str = Field(pattern="^[FMX]$")
    birth_date: date
    nationality: str = Field(pattern="^[A-Z]{3}$", description=_("ISO 3166 alpha-3, e.g. DEU"))
    passport: TravelDocumentIn | None = None


class CaseIn(Schema):
    procedure: str
    person_id: int | None = Field(None, description=_("an existing person; or give `person`"))
    person: PersonIn | None = None
    facts: dict[str, object] = {}
    acting_as: str | None = Field(None, description=_("self, proxy, unit or agency (default: by role)"))
    permit_id: int | None = Field(None, description=_("the permit an extension, renewal, ... acts on"))


class FactsIn(Schema):
    facts: dict[str, object]


class SubmitIn(Schema):
    hall_id: str


class ReceiveIn(Schema):
    applicant_present: bool | None = Field(
        None,
        description=filled(
            _(
                "true: the applicant in person; false: someone else hands it in, where the rules allow it (%(article)s), never for a case the applicant filed themself (%(article2)s); required, nothing is presumed"
            ),
            article=article("regulations", "Art. 19"),
            article2=article("regulations", "Art. 16"),
        ),
    )


class DecisionIn(Schema):
    outcome: str = Field(pattern="^(approved|refused)$")
    validity: str = Field("", description=_("ISO 8601 duration for an approval, e.g. P2Y"))
    ground_id: str = Field(
        "",
        description=(
            filled(
                _(
                    "the ground of a refusal, one of those the case's refusal grounds offer: a ground of the %(article)s (visa and residence-permit extension, renewal, reissue; stay permits), the ground of the %(article2)s (a first residence permit), or refusal-conditions-not-met (any other procedure: it does not meet the conditions of its sources)"
                ),
                article=article("regulations", "Art. 21"),
                article2=article("exit-entry-law", "Art. 31"),
            )
        ),
    )


class TaskIn(Schema):
    kind: str


class TaskCloseIn(Schema):
    outcome: str


class PaymentIn(Schema):
    amount_cny: int
    method: Payment.Method = Field(description=_("how it was paid at the hall's counter"))


class ExemptionIn(Schema):
    reason: str = Field(max_length=300, description=_("why the fee is waived"))


class MaterialReviewIn(Schema):
    defect: str = Field("", description=_("what is wrong, in English (both empty: the file is in order)"))
    defect_zh: str = Field("", description=_("what is wrong, in Chinese (optional)"))
    original_seen: bool | None = None


class EndPermitIn(Schema):
    ground_id: str = Field(
        description=filled(
            _("the ground of voiding (%(article)s) or of cancellation (%(article2)s)"),
            article=article("regulations", "Art. 34"),
            article2=article("regulations", "Art. 35"),
        )
    )
    issuing_authority_notified: bool = Field(
        False,
        description=filled(
            _("cancel: the caller notified the issuing authority (%(article)s), recorded on the event"),
            article=article("regulations", "Art. 35"),
        ),
    )


class ListQuery(WindowQuery):
    state: str | None = None
    hall_id: str | None = Field(None, description=_("the queue of one of your halls"))


# --- a case -------------------------------------------------------------------------------------------


class CaseRow(Out):
    id: int
    reference: str | None
    procedure: str
    state: str
    person: str
    hall_id: str
    submitted_on: date | None
    decision_due: date | None
    late: bool


class ApplicantOut(NamedPersonOut):
    sex: str
    birth_date: date


class PermitRefOut(Out):
    id: int
    number: str
    kind: str


class DeadlineOut(Out):
    __doc__ = _(
        "One statutory clock: its last day on the official calendar, and whether it is met, due, late"
        " or paused."
    )

    clock: str
    text: TextOut
    working_days: int | None
    started_on: date | None
    due: date | None
    provisional: bool
    paused_working_days: int
    done_on: date | None
    status: str
    cite: list[CitationOut]
    why: TextOut | None = (
        None  # why this clock applies (the fact it follows, e.g. the work permit's category)
    )


class MaterialOut(Out):
    id: int
    material_id: str
    name: str
    content_type: str
    size: int
    sha256: str
    on_paper: bool = OutField(
        description=_("Handed in on paper at the counter: no file (empty name, type, hash)")
    )
    original_seen: bool
    translated: bool
    defect: str
    defect_zh: str


class NoticeItemOut(Out):
    __doc__ = _("An item of a one-time notice as issued (fixed on the day of issue).")

    kind: str
    id: str
    text: TextOut
    reason: TextOut | None
    cite: list[dict[str, str | None]] = []


class PausedOut(Out):
    start: date = OutField(alias="from")
    until: date | None


class NoticeOut(Out):
    number: str
    issued_on: date
    items: list[NoticeItemOut]
    paused: PausedOut | None


class ReceiptOut(Out):
    number: str
    issued_on: date
    valid_until: date | None
    provisional: bool


class TaskOut(Out):
    id: int
    kind: str
    opened_at: datetime
    done_at: datetime | None
    outcome: str


class DecisionOut(Out):
    number: str
    outcome: str
    validity: str
    ground_id: str
    decided_on: date


class PaymentOut(Out):
    amount_cny: int
    method: Payment.Method
    paid_at: datetime


class ExemptionOut(Out):
    reason: str
    recorded_at: datetime


class FeePartOut(Out):
    __doc__ = _(
        "One fee line of the law core: its amount, when it is paid, what of it is paid, whether it is"
        " due now, later or not charged, and whether the hall waived what of it was unpaid; the "
        "parts' outstanding_cny add up to the fee's."
    )

    id: str
    text: TextOut
    amount_cny: int | None
    paid_at: str = OutField(description=_("when it is paid: acceptance (before the receipt) or issue"))
    paid_when: TextOut = OutField(description=_("paid_at in words"))
    paid_cny: int = OutField(description=_("payments count towards the parts paid at acceptance first"))
    outstanding_cny: int = OutField(
        description=_("what of it is still to pay: 0 where waived or not charged")
    )
    due: Literal[FEE_DUES] = OutField(  # type: ignore[valid-type]
        description=_(
            "now: the hall takes it (or took it); later: not yet due; not_charged: the case ended "
            "without it (a card fee of a refused application; anything unpaid of a withdrawn one)"
        )
    )
    waived: bool = OutField(description=_("what of it was unpaid is waived (only of a part charged)"))
    cite: list[CitationOut]
    state: Literal[FEE_PART_STATES] = OutField(  # type: ignore[valid-type]
        description=_(
            "where the part stands, as the case pages say it: paid (in full); partly_paid (something "
            "paid, the rest outstanding, due now or not yet); waived (what of it was unpaid; something may be "
            "paid); due_now; not_yet_due; not_charged (the case ended without it being charged; something may "
            "have been paid before)"
        )
    )
    state_label: TextOut = OutField(
        description=_(
            "state in the case pages' words, with the amounts: \"CNY 1,000 paid, CNY 500 "
            'outstanding; due now" / "已缴1,000元，尚欠500元；现应缴纳"'
        )
    )
    state_why: TextOut | None = OutField(
        description=_(
            "why the part stands so, where the pages say: why a part is not charged (the case was "
            "refused, withdrawn, or its draft expired); null otherwise"
        )
    )
    state_cite: list[CitationOut] = OutField(
        description=_(
            "the sources of state_why: those that say when the line is paid, so when it is charged "
            "(not every source of the line, cite); empty without one"
        )
    )


class FeeOut(Out):
    __doc__ = _(
        "The fee as it stands: due (null where the sources state none), paid, outstanding, any "
        "exemption, and its parts in the order they are paid; summary is the case pages' sentence "
        "summing up the parts."
    )

    summary: TextOut | None = OutField(
        description=_(
            "the parts summed up, as the case pages say it: what is charged and paid, what is waived or "
            'not charged, and why ("Nothing is due. The application was withdrawn: ..."); null without a fee'
        )
    )
    summary_cite: list[CitationOut] = OutField(
        description=_("the sources of the summary's why; empty without one")
    )
    due_cny: int | None
    due_at_acceptance_cny: int | None = OutField(description=_("the part of due_cny paid at acceptance"))
    paid_cny: int
    outstanding_cny: int
    exemption: ExemptionOut | None
    parts: list[FeePartOut] = OutField(
        description=_("every fee line, with when it is paid and what of it is")
    )


class EventOut(Out):
    action: str
    from_state: str = OutField(alias="from")
    to: str
    at: datetime
    actor: int | None = OutField(description=_("null: the system (a draft expired untouched)"))


class OutstandingOut(Out):
    kind: str
    id: str
    text: TextOut
    reason: TextOut | None


class OriginalOut(Out):
    __doc__ = _("A required item whose original the hall sees at intake, not yet marked seen.")

    id: str
    text: TextOut
    cite: list[CitationOut] = OutField(description=_("the source that says the hall sees the original"))


class UnfitFactOut(Out):
    __doc__ = _(
        "A stored answer that no longer fits its fact: why, and the rule that reads the fact with its"
        " sources."
    )

    id: str = OutField(description=_("the fact"))
    value: Any = OutField(description=_("the answer as stored"))
    text: TextOut = OutField(description=_("why it does not fit"))
    rule: TextOut | None = OutField(description=_("the rule that reads the fact; null where none does"))
    cite: list[CitationOut]


class CaseOut(CaseRow):
    __doc__ = _(
        "Everything about one case a permitted user may read; ``outstanding`` and "
        "``originals_unseen`` only while the hall holds the materials (received, deficient) and the "
        "rules need no further answer."
    )

    state_label: TextOut
    draft_expires_on: date | None = OutField(
        description=_(
            "the day a draft left untouched is closed as expired (state expired); null once no draft"
        )
    )
    procedure_title: TextOut
    acting_as: str
    facts: dict[str, Any]
    facts_from_registry: list[str] = OutField(description=_("the facts taken from the registry record"))
    applicant: ApplicantOut
    passport: TravelDocumentOut | None = OutField(
        description=_(
            "the travel document the case is received on: its own once the hall received it; while "
            "the case is open, the one its intake would take today (running longest), which may be one given "
            "online and awaiting the hall's check (claim: true); null without one, or for a viewer who no longer "
            "reads the person"
        )
    )
    permit: PermitRefOut | None
    halls: list[str]
    deadlines: list[DeadlineOut]
    materials: list[MaterialOut]
    notices: list[NoticeOut]
    receipt: ReceiptOut | None
    tasks: list[TaskOut]
    decision: DecisionOut | None
    payments: list[PaymentOut]
    fee: FeeOut
    events: list[EventOut]
    missing_facts: list[FactOut] = OutField(
        description=_(
            "the facts the rules still need on the day, with their questions: the filer answers a "
            "draft's (PATCH facts); once it is submitted the hall records them at the counter (POST "
            "missing-facts), and the one-time list (outstanding) waits for them"
        )
    )
    unfit_facts: list[UnfitFactOut] = OutField(
        description=_(
            "the stored answers that no longer fit their fact (kept from before the check existed) "
            "which the filer gives again (PATCH facts), as the page asks them: counted as unanswered, so the "
            "rules ask them again in missing_facts; not the registry's (read again from the record at the next "
            "change; only the hall corrects them) nor one in facts_not_asked; a new answer that does not fit "
            "is refused (422)"
        )
    )
    facts_not_asked: list[str] = OutField(
        description=_(
            "the stored answers to facts the procedure does not ask (gone from its rules, or derived "
            "from other answers, as age from birth_date), by fact id: not read, never asked again, and no longer "
            "needed; a new answer to one is refused (422)"
        )
    )
    outstanding: list[OutstandingOut] | None = None
    originals_unseen: list[OriginalOut] | None = OutField(
        None,
        description=_(
            "the required items whose original the sources say the hall sees at intake and "
            "no material of which is marked original_seen; the receipt is refused (422) until it is empty"
        ),
    )


# --- what a step made ---------------------------------------------------------------------------------


class MaterialReceivedOut(Out):
    id: int
    material_id: str
    sha256: str
    size: int


class NoticeIssuedOut(Out):
    number: str
    issued_on: date
    items: list[NoticeItemOut]


class TaskOpenedOut(Out):
    id: int
    kind: str


class TaskClosedOut(Out):
    id: int
    done_at: datetime | None
    outcome: str


class PaymentRecordedOut(Out):
    amount_cny: int
    method: Payment.Method


# --- people and permits -------------------------------------------------------------------------------


class TravelDocumentOut(Out):
    kind: str
    number: str
    issuing_country: str = OutField(description=_("ISO 3166-1 alpha-3"))
    issuing_country_name: TextOut = OutField(description=_("the issuing country's name"))
    expires_on: date = OutField(description=_("its last valid day"))
    claim: bool = Field(
        description=_(
            "given by the applicant's side and awaiting the hall's check at intake: not yet the registry's record"
        )
    )


class TravelDocumentRecordedOut(Out):
    id: int
    kind: str
    number: str
    expires_on: date


class VisaOut(Out):
    category: str
    number: str
    entries: int
    duration_of_stay_days: int
    valid_from: date
    valid_until: date
    residence_permit_within_days: int | None


class MovementOut(Out):
    direction: str
    on: date
    port: str = OutField(
        description=_("the port's English name, or its name as entered for one not catalogued")
    )
    port_code: str | None = OutField(
        description=_("the port's code in the catalogue (PEK), null for one not in it")
    )
    port_name: TextOut = OutField(
        description=_("the port's name in both languages (as entered for one not catalogued)")
    )
    basis: str = OutField(description=_("an entry's basis of stay: visa (or permit) or visa-free"))
    visa_free_days: int | None = OutField(description=_("the days a visa-free entry was granted"))
    restricted_area: str = OutField(
        description=filled(
            _("the division code an entry restricts the stay to (%(article)s)"),
            article=article("regulations", "Art. 24"),
        )
    )


class AccommodationOut(Out):
    address: str
    registered_on: date
    registered_with: str
    division: str = OutField(description=_("the address's administrative division code"))


class GroundOut(Out):
    __doc__ = _("The ground a permit was declared void or cancelled on, with the articles it cites.")

    id: str
    text: TextOut
    cite: list[CitationOut]


class PermitOut(Out):
    __doc__ = _(
        "A permit as it stands today: in force, expired, void or cancelled (with the day and the ground)."
    )

    id: int
    kind: str
    permit_type: str
    number: str
    issued_on: date
    valid_until: date | None
    state: str
    state_label: TextOut
    ended_on: date | None
    ground: GroundOut | None
    endorsement: dict[str, Any] | None


class PermitEventOut(Out):
    kind: str
    at: datetime
    case: int | None
    ground_id: str
    before: dict[str, Any]
    after: dict[str, Any]


class ExpiringOut(Out):
    __doc__ = _(
        "Why a permit in force counts as expiring: the day is inside the period before its last day "
        "that one of its duties names (``law.rules.holding``)."
    )

    duty: str
    why: TextOut
    cite: list[CitationOut]


class PermitStartOut(Out):
    __doc__ = _(
        "A procedure the holder may start from the permit today (``POST /cases`` with its ``permit_id``)."
    )

    procedure: str
    action: str
    title: TextOut


class PermitHistoryOut(PermitOut):
    __doc__ = _(
        "A permit with its history, whether it is expiring, the duties that follow from it with their"
        " dates and the procedures that act on it today."
    )

    events: list[PermitEventOut]
    expiring: ExpiringOut | None
    obligations: list[AnswerOut]
    procedures: list[PermitStartOut]


class PersonOut(ApplicantOut):
    travel_documents: list[TravelDocumentOut]
    visas: list[VisaOut]
    movements: list[MovementOut]
    accommodation: list[AccommodationOut]
    permits: list[PermitOut]


class ChangeReportIn(Schema):
    particular: str = Field(
        max_length=20,
        description=_("what changed: reason, name, sex, birth_date, duration, passport_number or other"),
    )
    changed_on: date = Field(
        description=_("the day it changed: not after today, not before the permit's issue")
    )
    note: str = Field(default="", max_length=2000)


class ChangeReportOut(Out):
    id: int
    number: str = Field(description=_("the receipt number"))
    particular: str
    particular_text: TextOut
    changed_on: date
    reported_on: date
    note: str
    filed_by: str | None = Field(
        description=_("the account that filed it: shown to the hall's officers only")
    )
    filed_at: datetime
    source: str = Field(description=_("web, api or counter"))


class ReasonChangeOut(Out):
    changed_on: date = Field(
        description=filled(
            _("the day a unit reported the reason for residence changed (%(article)s)"),
            article=article("regulations", "Art. 26"),
        )
    )
    report_by: date = Field(
        description=filled(
            _("the last day to report it (%(article)s)"), article=article("exit-entry-law", "Art. 33")
        )
    )
    reported_on: date | None = Field(
        description=_("the day it was reported (or a renewal applied for); null: not yet")
    )
    text: TextOut = Field(
        description=_("what to do and by when, or that it was reported (naming the articles)")
    )


class ChangeReportsOut(Out):
    reason_change: ReasonChangeOut | None = Field(
        description=_("what a reported change of the reason for residence asks of the holder, and by when")
    )
    items: list[ChangeReportOut]
