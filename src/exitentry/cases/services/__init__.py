"""Everything that changes a case, one function per action, by resource: drafts, intake, decisions,
issuing, payments (``services.start_case(...)``, ``services.collect(...)``, ...).

Each runs in one transaction (``steps``): lock the case row, ask the lifecycle table whether the user's
side may take the action in the case's state (``cases.access``, ``cases.lifecycle``), ask the law core
(advice, intake, clocks, permits, grounds), change the case, and write its event and audit entry. Two
officers acting at once are serialised by the row lock, and the second is refused by the table; the
one-decision-per-case constraint stands behind that.

A refusal a person can act on is a ``Refused`` (the field, the message in both languages and, where the
law decides, its citations); the API answers it with 422 and the pages show it beside the field, in the
page's language.
"""

from exitentry.cases.services.decisions import (
    close_task,
    decide,
    decision_blocked,
    forward_to_ministry,
    open_task,
    refuse_short_of_materials,
)
from exitentry.cases.services.drafts import (
    DraftExists,
    answers_not_asked,
    answers_not_met,
    carry_answers,
    open_draft,
    start_case,
    submit,
    unfit_answers,
    update_facts,
    upload_material,
    withdraw,
)
from exitentry.cases.services.intake import (
    accept,
    comes_in_person,
    counter_closed,
    held_passport,
    mark_material,
    missing_facts,
    notify_deficiency,
    originals_unseen,
    outstanding,
    pre_examine,
    receive,
    receive_on_paper,
    record_missing_facts,
    required,
    resubmit,
)
from exitentry.cases.services.issuing import collect, issue, mark_ready
from exitentry.cases.services.one_per_permit import PermitBusy
from exitentry.cases.services.passports import RefusalsSpent, document_refused, new_person_refused
from exitentry.cases.services.payments import Fee, FeePart, exempt_fee, fee_of, record_payment
from exitentry.cases.services.reading import (
    ONE_STOP_COUNTER,
    Refused,
    advice_for,
    hall_choices,
    hall_label,
    procedure_of,
)

__all__ = [
    "ONE_STOP_COUNTER",
    "DraftExists",
    "carry_answers",
    "open_draft",
    "Fee",
    "FeePart",
    "PermitBusy",
    "Refused",
    "RefusalsSpent",
    "accept",
    "advice_for",
    "close_task",
    "comes_in_person",
    "record_missing_facts",
    "collect",
    "counter_closed",
    "decide",
    "decision_blocked",
    "document_refused",
    "exempt_fee",
    "fee_of",
    "forward_to_ministry",
    "hall_choices",
    "hall_label",
    "held_passport",
    "issue",
    "mark_material",
    "missing_facts",
    "mark_ready",
    "notify_deficiency",
    "open_task",
    "originals_unseen",
    "outstanding",
    "required",
    "new_person_refused",
    "pre_examine",
    "procedure_of",
    "receive",
    "receive_on_paper",
    "refuse_short_of_materials",
    "record_payment",
    "resubmit",
    "start_case",
    "submit",
    "update_facts",
    "answers_not_met",
    "unfit_answers",
    "answers_not_asked",
    "upload_material",
    "withdraw",
]
