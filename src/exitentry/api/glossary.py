"""What the API's field names mean where the name alone does not say it, for the OpenAPI document: one
meaning per name across the answers (``NAMES``), or per schema where a name means another thing there
(``IN_SCHEMA``). A field's own ``Field(description=...)`` comes first; ``routing.Schema`` fills in the rest,
and what a date, an instant or an amount in yuan is (``routing._meaning``)."""

from __future__ import annotations

NAMES = {
    "en": "In English.",
    "zh": "In Simplified Chinese.",
    "field": "The input at fault (`facts.birth_date`, `on`, `body`), or null for the request as a whole.",
    "message": "What is wrong and what to do, in English.",
    "message_zh": "The same in Simplified Chinese.",
    "detail": "The problems, one item per field at fault.",
    "cite": "Where it comes from: each citation names its document and article or section, as the law core holds "
    "it.",
    "offers_cite": "The citations of the actions this alert offers.",
    "provisional": "Whether it relies on a year whose official holiday schedule is not yet published (reckoned on "
    "the statutory holidays; it may change when the State Council publishes the year).",
    "hall_id": "A hall's id, as `/halls` lists them.",
    "procedure": "A procedure's id, as `/procedures` lists them.",
    "procedure_id": "A procedure's id, as `/procedures` lists them.",
    "case_id": "A case's number (its `id`).",
    "person_id": "A person's number (their `id` in `/people/{person_id}`).",
    "slot_id": "A slot's number, from `/slots`.",
    "ground_id": "The ground's id, from the law core's list of grounds (each cites its article).",
    "reference": "The reference people read and quote (on the documents and at the counter).",
    "why": "Why the rule says so, in English and Chinese.",
    "condition": "When the rule applies, in words; null when it always applies.",
    "requirement": "What the applicant must meet, in words.",
    "failure": "What follows when the requirement is not met.",
    "met": "Whether the requirement is met: true, false, or null while a fact it needs is not known.",
    "working_days": "A time limit in working days on the official calendar (see `/calendar/days/{day}`).",
    "counts": "What the time limit counts (e.g. pre-examination, the decision).",
    "mode": "How it is done: for the submission in-person, proxy, walk-in (no appointment is booked) or "
    "booked-elsewhere; for the interview required, waived or on-request.",
    "valid_months": "Months a health certificate stays valid after it is issued.",
    "issued_within_months": "Months before acceptance within which a health certificate must be issued.",
    "facts": "The facts, by their id (see `/facts`), each with its value.",
    "missing_facts": "The facts the rules still need (their ids, see `/facts`).",
    "acting_as": "On what footing the filer acts: self, proxy, unit or agency.",
    "late": "Whether the decision is past its due day.",
    "state_label": "The state in words, in English and Chinese.",
    "weekdays": "The days of the week the hall is open: 0 = Monday ... 6 = Sunday.",
    "opens": "Beijing time of day (UTC+08:00), HH:MM:SS.",
    "closes": "Beijing time of day (UTC+08:00), HH:MM:SS.",
    "counter": "The counter's number at the hall.",
    "sha256": "The SHA-256 of the file as stored, in hex.",
    "size": "The file's size in bytes.",
    "content_type": "The file's media type (application/pdf, image/jpeg, image/png).",
    "original_seen": "Whether the hall saw the original at intake.",
    "translated": "Whether the file is a translation.",
    "defect": "Why the hall finds the material defective, in English; empty when it does not.",
    "defect_zh": "The same in Chinese.",
    "validity": "How long an approval is valid, an ISO 8601 duration (e.g. P2Y).",
    "overdue": "Whether the alert is past its day.",
    "days_left": "Days until the person's next permit or visa expires; null when none does.",
    "count": "How many there are in all (not only on this page).",
    "page": "The page, from 1.",
    "pages": "How many pages there are.",
    "nationality": "The nationality, as an ISO 3166-1 alpha-3 code.",
    "issuing_country": "The country that issued the document, as an ISO 3166-1 alpha-3 code.",
    "sex": "As in the passport: F (female), M (male) or X (unspecified).",
    "entries": "How many entries the visa allows (0: any number).",
    "seed_file": "The file the rules were transcribed from, in the project's seeds; null when there is none.",
    "label_en": "The citation as people read it, in English: the document's title and the article.",
    "label_zh": "The same in Chinese.",
    "title_en": "The document's title in English.",
    "title_zh": "The document's title in Chinese.",
    "section": "The article or section cited, as the source numbers it.",
}

IN_SCHEMA = {
    ("CaseRow", "state"): "The case's state (`state_label` in the case's own answer says it in words).",
    ("CaseOut", "state"): "The case's state; `state_label` says it in words.",
    ("OpenCaseOut", "state"): "The case's state.",
    (
        "BookingOut",
        "state",
    ): "The booking's state: booked, cancelled, moved to another time, checked in, or did not come.",
    ("TicketOut", "state"): "The ticket's state: waiting, called, served, or did not come.",
    (
        "PermitOut",
        "state",
    ): "The permit's standing today: in force, expired, void or cancelled; `state_label` says it in words.",
    ("PermitHistoryOut", "state"): "The permit's standing today; `state_label` says it in words.",
    ("CountedOut", "days"): "The working days counted.",
    ("SlotsQuery", "days"): "How many days from `start` to list.",
    ("AvailabilityQuery", "days"): "How many days from `start` to look at.",
    ("OverridesQuery", "days"): "How many days from `start` to list.",
    ("OrderOut", "days"): "The days the person was given to leave.",
    ("CheckOut", "check_id"): "The check's number in the audit trail.",
    ("LookupOut", "lookup_id"): "The lookup's number in the audit trail.",
    ("CheckOut", "match"): "Whether the code or document matched a holder.",
    ("LookupOut", "match"): "Whether a person holds the document.",
    ("VerdictOut", "genuine"): "Whether the token belongs to a document the authority issued.",
    ("VerdictOut", "in_force"): "Whether that document is in force today.",
    ("VerdictOut", "passport_ends"): "The last characters of the holder's passport number.",
    ("BoardOut", "no_show"): "Tickets that did not come when called twice.",
    ("PublicQueueOut", "waiting"): "How many tickets wait.",
    ("RepatriationOut", "no_entry_years"): "The years the person may not enter after the repatriation.",
    ("RepatriateIn", "can_pay"): "Whether the person can pay the costs of the repatriation.",
    (
        "RepatriateIn",
        "illegally_employed",
    ): "Whether the person was employed illegally (the employer then pays).",
    (
        "RepatriateIn",
        "payer",
    ): "Who pays where another than the person pays (the employer's or guarantor's name).",
}


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
