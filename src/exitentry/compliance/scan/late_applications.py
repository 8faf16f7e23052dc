"""The duties to apply by a day, late: a residence permit's extension (``extensions_late``), a permanent
resident ID card's renewal (``pr_cards_to_renew``) and a residence permit after entry
(``residence_permits_late``). Their query pieces serve the reminders ahead too (``compliance.coming_due``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import cache

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from exitentry.cases.models import Receipt
from exitentry.compliance.scan.finding import Finding
from exitentry.compliance.scan.queries import (
    ISSUED,
    _in_china,
    _latest_valid,
    _receipts,
    _visa_of_entry,
    _visas_of_entry,
)
from exitentry.law.model import PR_CARD
from exitentry.law.rules import duties
from exitentry.registry.models import Permit, Visa


def latest_expiring(kind: str, on: date, first: date, last: date):
    """(person, permit, last day) of each latest valid permit of ``kind`` with its last day from ``first``
    to ``last``, applied for by no case holding a receipt (the case that issued it or gave it its last
    day, ``ISSUED``, does not count: its receipt was for the days before)."""
    applied = Receipt.objects.filter(case__permit=OuterRef("pk"), issued_on__lte=on)
    return (
        _latest_valid(kind, on)
        .filter(valid_until__gte=first, valid_until__lte=last)
        .exclude(Exists(applied.exclude(case__state__in=ISSUED)))
        .values_list("person_id", "pk", "valid_until")
    )


def extensions_late(on: date) -> Iterator[Finding]:
    """The residence permits whose extension is late on ``on``."""
    first, last = duties.expiries_with_extension_late(on)
    due_on = cache(duties.extension_late)  # many findings share a last day
    for person_id, permit_id, valid_until in latest_expiring("residence-permit", on, first, last):
        due = due_on(valid_until, on)
        yield Finding(person_id, duties.EXTENSION, f"permit:{permit_id}", due_on=due)


def pr_cards_to_renew(on: date) -> Iterator[Finding]:
    """The permanent resident ID cards in their renewal window on ``on``."""
    first, last = duties.card_expiries_in_renewal_window(on)
    due_on = cache(duties.pr_card_renewal_open)  # many findings share a last day
    for person_id, card_id, valid_until in latest_expiring(PR_CARD, on, first, last):
        due = due_on(valid_until, on)
        yield Finding(person_id, duties.PR_CARD_RENEWAL, f"permit:{card_id}", due_on=due)


def entered_without_residence_permit(on: date):
    """The people in China on ``on`` with no residence permit issued and no receipt given since their last
    entry (``entered_on``: its day); ``entered_within`` keeps those whose visa of entry requires one, by
    the days it states (Regulations Art. 9)."""
    return (
        _in_china(on)
        .exclude(
            Exists(
                Permit.objects.filter(
                    person=OuterRef("pk"),
                    kind="residence-permit",
                    issued_on__gte=OuterRef("entered_on"),
                    issued_on__lte=on,
                )
            )
        )
        .exclude(Exists(_receipts(on).filter(issued_on__gte=OuterRef("entered_on"))))
    )


def entered_within(
    people, bounds: Callable[[int], tuple[date | None, date]]
) -> Iterator[tuple[int, date, int]]:
    """(person, day of entry, days) of ``people`` (``entered_without_residence_permit``) whose day of entry
    is in the ``bounds`` (first, last; None: no first) the law core gives for the days their visa of entry
    states (``_visa_of_entry``): one pair of bounds for each number of days a visa in the registry states
    (few).

    The database keeps the people with a visa of the entry's day whose days' bounds hold the day of entry,
    a semi-join it hashes; the visa of entry (the newest of them) is then read for those few alone, and its
    own days' bounds must hold. Asked of everyone in China, the visa of entry is a subquery run once a
    person: 5 s at national scale (docs/performance.md), against a tenth of that for the semi-join."""
    stated = (
        Visa.objects.filter(residence_permit_within_days__isnull=False)
        .values_list("residence_permit_within_days", flat=True)
        .order_by()
        .distinct()
    )
    limits = {days: bounds(days) for days in stated}
    entry_day = OuterRef("entered_on")
    on_days = Q(pk__in=[])
    for days, (first, last) in limits.items():
        since = Q() if first is None else Q(GreaterThanOrEqual(entry_day, first))
        on_days |= Q(residence_permit_within_days=days) & Q(LessThanOrEqual(entry_day, last)) & since
    a_visa = _visas_of_entry().filter(on_days)
    rows = (
        people.filter(Exists(a_visa))
        .annotate(within_days=Subquery(_visa_of_entry().values("residence_permit_within_days")))
        .values_list("pk", "entered_on", "within_days")
    )
    for pk, entered_on, within in rows:
        if within in limits and _between(entered_on, *limits[within]):
            yield pk, entered_on, within


def _between(day: date, first: date | None, last: date) -> bool:
    return (first is None or first <= day) and day <= last


def residence_permits_late(on: date) -> Iterator[Finding]:
    """The people in China whose last entry's visa requires a residence permit, past its deadline on
    ``on`` (the days the visa states), with none issued and no receipt given since that entry."""
    people = entered_within(
        entered_without_residence_permit(on),
        lambda days: (None, duties.latest_entry_with_residence_permit_late(on, days)),
    )
    due_on = cache(duties.residence_permit_due)  # many findings share a day of entry
    for pk, entered_on, within in people:
        due = due_on(entered_on, within)
        yield Finding(pk, duties.PERMIT_AFTER_ENTRY, f"entry:{entered_on.isoformat()}", due_on=due)
