"""What the API's field names mean where the name alone does not say it, for the OpenAPI document: one
meaning per name across the answers (``NAMES``), or per schema where a name means another thing there
(``IN_SCHEMA``), and what a schema of the models' own is (``SCHEMAS``). A field's own ``Field(description=...)`` comes first; ``routing.Schema`` fills in the rest,
and what a date, an instant or an amount in yuan is (``routing._meaning``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NAMES = {
    "en": _("In English."),
    "zh": _("In Simplified Chinese."),
    "field": _("The input at fault (`facts.birth_date`, `on`, `body`), or null for the request as a whole."),
    "message": _("What is wrong and what to do, in English."),
    "message_zh": _("The same in Simplified Chinese."),
    "detail": _("The problems, one item per field at fault."),
    "cite": _(
        "Where it comes from: each citation names its document and article or section, as the law core holds "
        "it."
    ),
    "offers_cite": _("The citations of the actions this alert offers."),
    "provisional": _(
        "Whether it relies on a year whose official holiday schedule is not yet published (reckoned on "
        "the statutory holidays; it may change when the State Council publishes the year)."
    ),
    "hall_id": _("A hall's id, as `/halls` lists them."),
    "procedure": _("A procedure's id, as `/procedures` lists them."),
    "procedure_id": _("A procedure's id, as `/procedures` lists them."),
    "case_id": _("A case's number (its `id`)."),
    "person_id": _("A person's number (their `id` in `/people/{person_id}`)."),
    "slot_id": _("A slot's number, from `/slots`."),
    "ground_id": _("The ground's id, from the law core's list of grounds (each cites its article)."),
    "reference": _("The reference people read and quote (on the documents and at the counter)."),
    "why": _("Why the rule says so, in English and Chinese."),
    "condition": _("When the rule applies, in words; null when it always applies."),
    "requirement": _("What the applicant must meet, in words."),
    "failure": _("What follows when the requirement is not met."),
    "met": _("Whether the requirement is met: true, false, or null while a fact it needs is not known."),
    "working_days": _("A time limit in working days on the official calendar (see `/calendar/days/{day}`)."),
    "counts": _("What the time limit counts (e.g. pre-examination, the decision)."),
    "mode": _(
        "How it is done: for the submission in-person, proxy, walk-in (no appointment is booked) or "
        "booked-elsewhere; for the interview required, waived or on-request."
    ),
    "valid_months": _("Months a health certificate stays valid after it is issued."),
    "issued_within_months": _("Months before acceptance within which a health certificate must be issued."),
    "facts": _("The facts, by their id (see `/facts`), each with its value."),
    "missing_facts": _("The facts the rules still need (their ids, see `/facts`)."),
    "acting_as": _("On what footing the filer acts: self, proxy, unit or agency."),
    "late": _("Whether the decision is past its due day."),
    "state_label": _("The state in words, in English and Chinese."),
    "weekdays": _("The days of the week the hall is open: 0 = Monday ... 6 = Sunday."),
    "opens": _("Beijing time of day (UTC+08:00), HH:MM:SS."),
    "closes": _("Beijing time of day (UTC+08:00), HH:MM:SS."),
    "counter": _("The counter's number at the hall."),
    "sha256": _("The SHA-256 of the file as stored, in hex."),
    "size": _("The file's size in bytes."),
    "content_type": _("The file's media type (application/pdf, image/jpeg, image/png)."),
    "original_seen": _("Whether the hall saw the original at intake."),
    "translated": _("Whether the file is a translation."),
    "defect": _("Why the hall finds the material defective, in English; empty when it does not."),
    "defect_zh": _("The same in Chinese."),
    "validity": _("How long an approval is valid, an ISO 8601 duration (e.g. P2Y)."),
    "overdue": _("Whether the alert is past its day."),
    "days_left": _("Days until the person's next permit or visa expires; null when none does."),
    "count": _("How many there are in all (not only on this page)."),
    "page": _("The page, from 1."),
    "pages": _("How many pages there are."),
    "nationality": _("The nationality, as an ISO 3166-1 alpha-3 code."),
    "issuing_country": _("The country that issued the document, as an ISO 3166-1 alpha-3 code."),
    "sex": _("As in the passport: F (female), M (male) or X (unspecified)."),
    "entries": _("How many entries the visa allows (0: any number)."),
    "seed_file": _(
        "The file the rules were transcribed from, in the project's seeds; null when there is none."
    ),
    "label_en": _("The citation as people read it, in English: the document's title and the article."),
    "label_zh": _("The same in Chinese."),
    "title_en": _("The document's title in English."),
    "title_zh": _("The document's title in Chinese."),
    "section": _("The article or section cited, as the source numbers it."),
}

IN_SCHEMA = {
    ("CaseRow", "state"): _("The case's state (`state_label` in the case's own answer says it in words)."),
    ("CaseOut", "state"): _("The case's state; `state_label` says it in words."),
    ("OpenCaseOut", "state"): _("The case's state."),
    (
        "BookingOut",
        "state",
    ): _("The booking's state: booked, cancelled, moved to another time, checked in, or did not come."),
    ("TicketOut", "state"): _("The ticket's state: waiting, called, served, or did not come."),
    (
        "PermitOut",
        "state",
    ): _(
        "The permit's standing today: in force, expired, void or cancelled; `state_label` says it in words."
    ),
    ("PermitHistoryOut", "state"): _("The permit's standing today; `state_label` says it in words."),
    ("CountedOut", "days"): _("The working days counted."),
    ("SlotsQuery", "days"): _("How many days from `start` to list."),
    ("AvailabilityQuery", "days"): _("How many days from `start` to look at."),
    ("OverridesQuery", "days"): _("How many days from `start` to list."),
    ("OrderOut", "days"): _("The days the person was given to leave."),
    ("CheckOut", "check_id"): _("The check's number in the audit trail."),
    ("LookupOut", "lookup_id"): _("The lookup's number in the audit trail."),
    ("CheckOut", "match"): _("Whether the code or document matched a holder."),
    ("LookupOut", "match"): _("Whether a person holds the document."),
    ("VerdictOut", "genuine"): _("Whether the token belongs to a document the authority issued."),
    ("VerdictOut", "in_force"): _("Whether that document is in force today."),
    ("VerdictOut", "passport_ends"): _("The last characters of the holder's passport number."),
    ("BoardOut", "no_show"): _("Tickets that did not come when called twice."),
    ("PublicQueueOut", "waiting"): _("How many tickets wait."),
    ("RepatriationOut", "no_entry_years"): _("The years the person may not enter after the repatriation."),
    ("RepatriateIn", "can_pay"): _("Whether the person can pay the costs of the repatriation."),
    (
        "RepatriateIn",
        "illegally_employed",
    ): _("Whether the person was employed illegally (the employer then pays)."),
    (
        "RepatriateIn",
        "payer",
    ): _("Who pays where another than the person pays (the employer's or guarantor's name)."),
}

# What a schema of the models' own is (a model's choices, which pydantic describes by its docstring, read once
# in whatever language was active: the document says it in its own)
SCHEMAS = {"Method": _("How the fee was paid at the hall's counter.")}


def enums() -> dict[tuple[str, str], list[str]]:
    """The values a state field takes, by schema and field (the models' choices)."""
    from exitentry.appointments.models import Booking, QueueTicket
    from exitentry.cases.lifecycle import State

    cases = list(State.values)
    return {
        ("CaseRow", "state"): cases,
        ("CaseOut", "state"): cases,
        ("OpenCaseOut", "state"): cases,
        ("BookingOut", "state"): list(Booking.State.values),
        ("TicketOut", "state"): list(QueueTicket.State.values),
    }


def meaning(schema: str, name: str) -> str:
    """What the field ``name`` of ``schema`` means, or "" where its name and type say it."""
    return IN_SCHEMA.get((schema, name)) or NAMES.get(name, "")
