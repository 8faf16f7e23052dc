"""The duties coming due: every person whose last day to act falls from the day run to a few days ahead,
in one query per duty over the whole registry (no loop over people), as the scan finds those already late.

Each query is the scan's own for the duty (the same people, permits and exclusions: a receipt on the
permit, a permit issued since), bounded by ``law.rules.duties``' "coming due" bounds instead of its
"late" ones, so a duty is reminded ahead and then, once late, found by the scan; the cause keys are the
scan's, so a reminder ahead and the alert after it name the same cause.

Recorded choice, the lead times (``LEAD_CALENDAR_DAYS``): how many calendar days ahead of a last day to
remind is the product's choice, not the law's (no seed sets one). Two weeks before the last day to apply
for an extension leaves time to gather the materials and book a hall; ten days of the thirty after entry;
five of the ten after a change of particulars (a new travel document, or a change a unit or
the holder reported); and for a permanent resident ID card, two weeks (``REMIND_BEFORE_WINDOW_DAYS``)
before its renewal window opens, the window the law's (``pr-card-renewal-before-expiry``, one month:
42 to 45 days before the card expires; the scan's alert then marks the window open).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date

from exitentry.compliance.scan import (
    Finding,
    entered_within,
    entered_without_residence_permit,
    first_changes_by,
    latest_expiring,
)
from exitentry.law.model import PR_CARD
from exitentry.law.rules import duties

LEAD_CALENDAR_DAYS = {
    duties.EXTENSION: 14,
    duties.PERMIT_AFTER_ENTRY: 10,
    duties.PARTICULARS_CHANGE: 5,
}
REMIND_BEFORE_WINDOW_DAYS = 14


def pr_card_lead_days(on: date) -> int:
    """How many calendar days ahead of its last day a permanent resident ID card is reminded on ``on``: the
    law's renewal window as it stands on ``on`` (a number of months, so its days depend on the day) and
    ``REMIND_BEFORE_WINDOW_DAYS``. The other duties' leads are fixed (``LEAD_CALENDAR_DAYS``)."""
    _, last_in_window = duties.card_expiries_in_renewal_window(on)
    return (last_in_window - on).days + REMIND_BEFORE_WINDOW_DAYS


def extensions_coming_due(on: date) -> Iterator[Finding]:
    """The residence permits whose latest day to apply for an extension is from ``on`` to the lead ahead."""
    lead = LEAD_CALENDAR_DAYS[duties.EXTENSION]
    first, last = duties.expiries_with_extension_coming_due(on, lead)
    for person_id, permit_id, valid_until in latest_expiring("residence-permit", on, first, last):
        due = duties.extension_due(valid_until, on)
        yield Finding(person_id, duties.EXTENSION, f"permit:{permit_id}", due_on=due)


def pr_cards_coming_due(on: date) -> Iterator[Finding]:
    """The permanent resident ID cards whose last day is from ``on`` to the lead ahead."""
    first, last = duties.card_expiries_with_renewal_coming_due(on, pr_card_lead_days(on))
    for person_id, card_id, valid_until in latest_expiring(PR_CARD, on, first, last):
        yield Finding(person_id, duties.PR_CARD_RENEWAL, f"permit:{card_id}", due_on=valid_until)


def particulars_changes_coming_due(on: date) -> Iterator[Finding]:
    """The people whose earliest change of particulars (``scan.first_changes_by``: a new travel document,
    or a change a unit or the holder reported) has its last day to apply for the permit's change from
    ``on`` to the lead ahead: one reminder per person for the one duty, as the scan opens one alert."""
    first, last = duties.changes_with_particulars_coming_due(
        on, LEAD_CALENDAR_DAYS[duties.PARTICULARS_CHANGE]
    )
    for person_id, permit_id, change, changed_on in first_changes_by(on, last):
        if changed_on >= first:
            due = duties.particulars_change_due(changed_on)
            yield Finding(person_id, duties.PARTICULARS_CHANGE, f"permit:{permit_id}:{change}", due_on=due)


def residence_permits_coming_due(on: date) -> Iterator[Finding]:
    """The people whose residence permit after entry is due from ``on`` to the lead ahead."""
    lead = LEAD_CALENDAR_DAYS[duties.PERMIT_AFTER_ENTRY]
    people = entered_within(
        entered_without_residence_permit(on),
        lambda days: duties.entries_with_residence_permit_coming_due(on, lead, days),
    )
    for pk, entered_on, within in people:
        due = duties.residence_permit_due(entered_on, within)
        yield Finding(pk, duties.PERMIT_AFTER_ENTRY, f"entry:{entered_on.isoformat()}", due_on=due)


DUTIES: tuple[tuple[str, Callable[[date], Iterable[Finding]]], ...] = (
    (duties.EXTENSION, extensions_coming_due),
    (duties.PERMIT_AFTER_ENTRY, residence_permits_coming_due),
    (duties.PR_CARD_RENEWAL, pr_cards_coming_due),
    (duties.PARTICULARS_CHANGE, particulars_changes_coming_due),
)


def coming_due(on: date) -> list[Finding]:
    """Every duty coming due on ``on``, one query each."""
    return [finding for _, query in DUTIES for finding in query(on)]
