"""The compliance scan: every person's late duties and illegal residence as of a day, in a few queries
over the whole registry (no loop over people), stored as alerts.

Each ground is one query that selects the people it holds for, with the day and the cause; the numbers it
compares with (which last days have run out, which expiries make an extension late) come from
``law.rules.duties``. Who is in China is the last movement on or before the day: an entry.

- Art. 25(1) overstay (``illegal-overstay``): in China, a visa (valid on the day of the last entry: its
  duration of stay from that entry, Art. 36(3); a visa with no duration of stay, "000", whose holder
  applies for a residence permit after entry, gives none) or a valid stay or residence permit gives a
  last day, and
  none of them, nor an acceptance receipt (Arts. 13, 18 para. 3), still runs. A permanent resident
  (valid card) has no such period to overstay and is left out.
- Extension late (``extension-at-least-30-days-before-expiry``): in China, the person's latest valid
  residence permit still runs but its latest day to apply has passed, and no case on it holds a receipt.
- Permanent resident ID card renewal (``pr-card-renewal-within-one-month-before-expiry``): in China, the
  person's latest valid card is inside its renewal window, and no case on it holds a receipt.
- Change of particulars (``change-of-particulars-within-10-days``): in China, the person's latest valid
  residence permit still runs, and their newest travel document was issued after it (its passport number
  changed) more than the days allowed ago, with no application on the permit (a receipt) and no
  residence permit issued since. The registry keeps no history of names or other particulars, so a new
  travel document is the one change the scan sees.
- Residence permit after entry (``residence-permit-within-30-days-of-entry``): in China, the visa of the
  last entry requires a residence permit, the deadline has passed, and no residence permit was issued
  and no acceptance receipt given since that entry.

- Art. 25(2) visa-free overstay (``illegal-visa-free-overstay``): in China, the last entry was visa-free
  and its days (recorded at the border) have run out, no visa of that entry nor valid stay or residence
  permit gives a period (that is Art. 25(1)), and no acceptance receipt still runs. A visa-free period
  that still runs also covers an Art. 25(1) overstay.
- Art. 25(3) outside a restricted area (``illegal-outside-restricted-area``): the area the last entry is
  restricted to (Art. 24), or an Art. 30 restriction not yet lifted, and the person's latest accommodation
  registration since then is in an administrative division outside it. The registry knows where a person
  is only from accommodation registrations, so that is the signal; one with no division says nothing.
- Art. 33 exit deadline passed (``exit-deadline-passed``): an order to leave whose last day has run out
  with no exit recorded since the order.
- Art. 31 no-entry period (``entry-inside-no-entry-period``): in China on an entry after a repatriation
  and on or before the last day of its no-entry period.

Writing is idempotent: a cause found again keeps its open alert, a new cause opens one, an open alert
whose cause is no longer found closes on the day scanned. A cause an officer closed (resolved or
unfounded, ``compliance.actions``) is never reopened: the officer's word stands for that cause, and a new
cause opens a new alert.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import DateField, Exists, F, Func, OuterRef, Q, Subquery

from exitentry.cases.models import Receipt
from exitentry.compliance.models import ActivityRestriction, Alert, OrderToLeave, Repatriation
from exitentry.law.rules import duties
from exitentry.law.rules.grounds import ground
from exitentry.law.sources import Citation
from exitentry.law.text import Text
from exitentry.registry.models import (
    AccommodationRegistration,
    EntryExit,
    Permit,
    Person,
    TravelDocument,
    Visa,
)

OVERSTAY = "illegal-overstay"
VISA_FREE_OVERSTAY = "illegal-visa-free-overstay"
OUTSIDE_AREA = "illegal-outside-restricted-area"
EXIT_DEADLINE_PASSED = "exit-deadline-passed"
NO_ENTRY_BREACHED = "entry-inside-no-entry-period"
_GROUND_IDS = (OVERSTAY, VISA_FREE_OVERSTAY, OUTSIDE_AREA, EXIT_DEADLINE_PASSED, NO_ENTRY_BREACHED)
STAY_PERMITS = ("residence-permit", "stay-permit")


@dataclass(frozen=True, slots=True)
class Finding:
    """One ground holding for one person on the day scanned, with the cause that tells it apart."""

    person_id: int
    ground_id: str
    cause_key: str
    due_on: date | None = None
    since: date | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """What a scan did: alerts opened, kept open, closed, each by ground."""

    on: date
    opened: Counter
    still_open: Counter
    closed: Counter


def described(ground_id: str, on: date) -> tuple[Text, Citation]:
    """What the ground or obligation ``ground_id`` says (numbers in force on ``on``) and its first
    citation, which an alert stores."""
    said = ground(ground_id) if ground_id in _GROUND_IDS else duties.obligation(ground_id, on)
    return said.text, said.cite[0]


class PlusDays(Func):
    """A date column plus a whole number of days, as a date (PostgreSQL ``date + integer``; SQLite's
    ``date(d, '+N days')``)."""

    output_field = DateField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra
        )


def _in_china(on: date):
    """People whose last movement on or before ``on`` is an entry, with its day as ``entered_on`` and its
    travel document as ``entered_with`` (as ``cases.registry_facts`` reads the current entry)."""
    last = EntryExit.objects.filter(person=OuterRef("pk"), on__lte=on).order_by("-on", "-pk")
    return Person.objects.annotate(
        last_direction=Subquery(last.values("direction")[:1]),
        entered_on=Subquery(last.values("on")[:1]),
        entered_with=Subquery(last.values("travel_document")[:1]),
    ).filter(last_direction=EntryExit.Direction.ENTRY)


def _visas_of_entry():
    """The visas in the last entry's travel document, in validity on its day (the outer query's
    ``entered_with`` and ``entered_on``)."""
    return Visa.objects.filter(
        travel_document=OuterRef("entered_with"),
        valid_from__lte=OuterRef("entered_on"),
        valid_until__gte=OuterRef("entered_on"),
    )


def _last_movement(on: date, person: str = "pk"):
    return EntryExit.objects.filter(person=OuterRef(person), on__lte=on).order_by("-on", "-pk")


def _with_visa_free_until(people, on: date):
    """``people`` (from ``_in_china``) with ``visa_free_until``, the last day of the last entry's visa-free
    period (``residence.visa_free_last_day``), None when that entry was not visa-free."""
    days = Subquery(_last_movement(on).values("visa_free_days")[:1])
    return people.annotate(visa_free_days=days).annotate(
        visa_free_until=PlusDays(F("entered_on"), F("visa_free_days"))
    )


def _valid_permits(on: date, *kinds: str):
    return Permit.objects.filter(
        person=OuterRef("pk"), kind__in=kinds, status=Permit.Status.VALID, issued_on__lte=on
    )


def _receipts(on: date):
    return Receipt.objects.filter(case__person=OuterRef("pk"), issued_on__lte=on)


def overstays(on: date) -> Iterator[Finding]:
    """Art. 25(1): the people in China on ``on`` whose visa stay and stay or residence permits have all run
    out, with no acceptance receipt still running."""
    permits = (
        Permit.objects.filter(
            person=OuterRef("pk"), kind__in=STAY_PERMITS, status=Permit.Status.VALID, issued_on__lte=on
        )
        .exclude(valid_until=None)
        .order_by("-valid_until")
    )
    ran_out = duties.run_out_by(on)
    longest_stay = (
        _visas_of_entry()
        .filter(duration_of_stay_days__gte=1)
        .order_by("-duration_of_stay_days")
        .values("duration_of_stay_days")[:1]
    )
    people = (
        _with_visa_free_until(_in_china(on), on)
        .filter(Q(visa_free_until__isnull=True) | Q(visa_free_until__lte=ran_out))
        .annotate(
            stay_days=Subquery(longest_stay),
            permit_until=Subquery(permits.values("valid_until")[:1]),
        )
        .annotate(stay_until=PlusDays(F("entered_on"), F("stay_days")))
        .filter(Q(stay_until__isnull=False) | Q(permit_until__isnull=False))
        .filter(Q(stay_until__isnull=True) | Q(stay_until__lte=ran_out))
        .filter(Q(permit_until__isnull=True) | Q(permit_until__lte=ran_out))
        .exclude(Exists(_receipts(on).filter(valid_until__gt=ran_out)))
        .exclude(
            Exists(
                Permit.objects.filter(
                    person=OuterRef("pk"), kind="pr-card", status=Permit.Status.VALID, issued_on__lte=on
                )
            )
        )
    )
    for pk, stay_until, permit_until in people.values_list("pk", "stay_until", "permit_until"):
        until = max(d for d in (stay_until, permit_until) if d is not None)
        yield Finding(pk, OVERSTAY, f"until:{until.isoformat()}", since=until + timedelta(days=1))


def _latest_valid(kind: str, on: date):
    """Each person in China's latest valid permit of ``kind`` (by last day) issued by ``on``."""
    permits = Permit.objects.filter(
        kind=kind, status=Permit.Status.VALID, issued_on__lte=on, valid_until__isnull=False
    )
    latest = permits.filter(person=OuterRef("person")).order_by("-valid_until", "-pk")
    return permits.filter(person__in=_in_china(on).values("pk"), pk=Subquery(latest.values("pk")[:1]))


def _latest_expiring(kind: str, on: date, first: date, last: date):
    """(person, permit, last day) of each latest valid permit of ``kind`` with its last day from ``first``
    to ``last``, applied for by no case holding a receipt."""
    return (
        _latest_valid(kind, on)
        .filter(valid_until__gte=first, valid_until__lte=last)
        .exclude(Exists(Receipt.objects.filter(case__permit=OuterRef("pk"), issued_on__lte=on)))
        .values_list("person_id", "pk", "valid_until")
    )


def extensions_late(on: date) -> Iterator[Finding]:
    """The residence permits whose extension is late on ``on``."""
    first, last = duties.expiries_with_extension_late(on)
    for person_id, permit_id, valid_until in _latest_expiring("residence-permit", on, first, last):
        due = duties.extension_late(valid_until, on)
        yield Finding(person_id, duties.EXTENSION, f"permit:{permit_id}", due_on=due)


def pr_cards_to_renew(on: date) -> Iterator[Finding]:
    """The permanent resident ID cards in their renewal window on ``on``."""
    first, last = duties.card_expiries_in_renewal_window(on)
    for person_id, card_id, valid_until in _latest_expiring("pr-card", on, first, last):
        due = duties.pr_card_renewal_open(valid_until, on)
        yield Finding(person_id, duties.PR_CARD_RENEWAL, f"permit:{card_id}", due_on=due)


def particulars_changes_late(on: date) -> Iterator[Finding]:
    """The running residence permits whose holder's newest travel document was issued after the permit
    (the passport number changed), more than the days allowed before ``on``, with no application since
    (a receipt on a case on the permit) and no residence permit issued since."""
    newest = TravelDocument.objects.filter(person=OuterRef("person"), issued_on__lte=on).order_by(
        "-issued_on", "-pk"
    )
    since_change = {"issued_on__gte": OuterRef("changed_on"), "issued_on__lte": on}
    rows = (
        _latest_valid("residence-permit", on)
        .filter(valid_until__gt=duties.run_out_by(on))
        .annotate(
            document_id=Subquery(newest.values("pk")[:1]), changed_on=Subquery(newest.values("issued_on")[:1])
        )
        .filter(changed_on__gt=F("issued_on"), changed_on__lte=duties.latest_change_with_particulars_late(on))
        .exclude(Exists(Receipt.objects.filter(case__permit=OuterRef("pk"), **since_change)))
        .exclude(
            Exists(Permit.objects.filter(person=OuterRef("person"), kind="residence-permit", **since_change))
        )
        .values_list("person_id", "pk", "document_id", "changed_on")
    )
    for person_id, permit_id, document_id, changed_on in rows:
        due = duties.particulars_change_late(changed_on, on)
        yield Finding(
            person_id, duties.PARTICULARS_CHANGE, f"permit:{permit_id}:document:{document_id}", due_on=due
        )


def residence_permits_late(on: date) -> Iterator[Finding]:
    """The people in China whose last entry's visa requires a residence permit, past its deadline on
    ``on``, with none issued and no receipt given since that entry."""
    people = (
        _in_china(on)
        .filter(entered_on__lte=duties.latest_entry_with_residence_permit_late(on))
        .filter(Exists(_visas_of_entry().filter(residence_permit_within_days__isnull=False)))
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
    for pk, entered_on in people.values_list("pk", "entered_on"):
        due = duties.residence_permit_due(entered_on)
        yield Finding(pk, duties.PERMIT_AFTER_ENTRY, f"entry:{entered_on.isoformat()}", due_on=due)


def visa_free_overstays(on: date) -> Iterator[Finding]:
    """Art. 25(2): the people in China on ``on`` whose visa-free period has run out, with no visa or permit
    period (Art. 25(1) instead), no running acceptance receipt and no permanent residence."""
    ran_out = duties.run_out_by(on)
    people = (
        _with_visa_free_until(_in_china(on), on)
        .filter(visa_free_until__lte=ran_out)
        .exclude(Exists(_visas_of_entry().filter(duration_of_stay_days__gte=1)))
        .exclude(Exists(_valid_permits(on, *STAY_PERMITS).exclude(valid_until=None)))
        .exclude(Exists(_receipts(on).filter(valid_until__gt=ran_out)))
        .exclude(Exists(_valid_permits(on, "pr-card")))
    )
    for pk, until in people.values_list("pk", "visa_free_until"):
        yield Finding(pk, VISA_FREE_OVERSTAY, f"until:{until.isoformat()}", since=until + timedelta(days=1))


def _latest_registration(on: date, person: str, since: str):
    """Each row's latest accommodation registration from the day ``since`` (an outer column) to ``on``."""
    return AccommodationRegistration.objects.filter(
        person=OuterRef(person), registered_on__gte=OuterRef(since), registered_on__lte=on
    ).order_by("-registered_on", "-pk")


def _outside(rows, on: date, person: str, since: str):
    """``rows`` whose latest registration since ``since`` names a division outside their ``area``."""
    latest = _latest_registration(on, person, since)
    return (
        rows.annotate(
            registration_id=Subquery(latest.values("pk")[:1]),
            division=Subquery(latest.values("division")[:1]),
            registered_on=Subquery(latest.values("registered_on")[:1]),
        )
        .filter(division__gt="", area__gt="")
        .exclude(division__startswith=F("area"))
    )


def outside_restricted_areas(on: date) -> Iterator[Finding]:
    """Art. 25(3): the people in China on ``on`` registered outside the area their last entry restricts them
    to (Art. 24), or outside the area of an Art. 30 restriction still in force."""
    last = _last_movement(on)
    by_entry = _in_china(on).annotate(
        entry_id=Subquery(last.values("pk")[:1]), area=Subquery(last.values("restricted_area")[:1])
    )
    for pk, entry_id, registration_id, since in _outside(by_entry, on, "pk", "entered_on").values_list(
        "pk", "entry_id", "registration_id", "registered_on"
    ):
        yield Finding(pk, OUTSIDE_AREA, f"entry:{entry_id}:registration:{registration_id}", since=since)
    restrictions = ActivityRestriction.objects.filter(
        decided_on__lte=on, person__in=_in_china(on).values("pk")
    )
    restrictions = restrictions.filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=on))
    for person_id, pk, registration_id, since in _outside(
        restrictions, on, "person", "decided_on"
    ).values_list("person_id", "pk", "registration_id", "registered_on"):
        yield Finding(
            person_id, OUTSIDE_AREA, f"restriction:{pk}:registration:{registration_id}", since=since
        )


def exit_deadlines_passed(on: date) -> Iterator[Finding]:
    """Art. 33: the orders to leave whose last day has run out by ``on`` with no exit recorded since."""
    exits = EntryExit.objects.filter(
        person=OuterRef("person"),
        direction=EntryExit.Direction.EXIT,
        on__gte=OuterRef("ordered_on"),
        on__lte=on,
    )
    orders = OrderToLeave.objects.filter(ordered_on__lte=on, last_day__lte=duties.run_out_by(on)).exclude(
        Exists(exits)
    )
    for person_id, pk, last_day in orders.values_list("person_id", "pk", "last_day"):
        yield Finding(
            person_id,
            EXIT_DEADLINE_PASSED,
            f"order:{pk}",
            due_on=last_day,
            since=last_day + timedelta(days=1),
        )


def no_entry_breaches(on: date) -> Iterator[Finding]:
    """Art. 31: the people in China on ``on`` on an entry inside the no-entry period of a repatriation."""
    last = _last_movement(on, "person")
    rows = (
        Repatriation.objects.filter(repatriated_on__lte=on)
        .annotate(
            direction=Subquery(last.values("direction")[:1]), entered_on=Subquery(last.values("on")[:1])
        )
        .filter(direction=EntryExit.Direction.ENTRY, entered_on__gt=F("repatriated_on"))
        .filter(entered_on__lte=F("no_entry_until"))
    )
    for person_id, pk, entered_on in rows.values_list("person_id", "pk", "entered_on"):
        yield Finding(
            person_id,
            NO_ENTRY_BREACHED,
            f"repatriation:{pk}:entry:{entered_on.isoformat()}",
            since=entered_on,
        )


GROUNDS: tuple[tuple[str, Callable[[date], Iterable[Finding]]], ...] = (
    (OVERSTAY, overstays),
    (duties.EXTENSION, extensions_late),
    (duties.PERMIT_AFTER_ENTRY, residence_permits_late),
    (duties.PR_CARD_RENEWAL, pr_cards_to_renew),
    (duties.PARTICULARS_CHANGE, particulars_changes_late),
    (VISA_FREE_OVERSTAY, visa_free_overstays),
    (OUTSIDE_AREA, outside_restricted_areas),
    (EXIT_DEADLINE_PASSED, exit_deadlines_passed),
    (NO_ENTRY_BREACHED, no_entry_breaches),
)


def findings(on: date, progress: Callable[[str], None] | None = None) -> list[Finding]:
    """Every ground's findings on ``on``, one query each; ``progress`` hears each ground as it is done."""
    found: list[Finding] = []
    for ground_id, query in GROUNDS:
        found.extend(query(on))
        if progress:
            progress(ground_id)
    return found


def scan(on: date, progress: Callable[[str], None] | None = None) -> Summary:
    """Scan the registry on ``on`` and bring the alerts up to date: open the new causes, keep the ones
    found again, close the ones gone."""
    found = {(f.person_id, f.ground_id, f.cause_key): f for f in findings(on, progress)}
    with transaction.atomic():
        open_alerts = {
            (a.person_id, a.ground_id, a.cause_key): a.pk
            for a in Alert.objects.filter(closed_on__isnull=True).select_for_update()
        }
        gone = [pk for key, pk in open_alerts.items() if key not in found]
        settled = set(Alert.objects.exclude(resolution="").values_list("person_id", "ground_id", "cause_key"))
        new = [f for key, f in found.items() if key not in open_alerts and key not in settled]
        cites = {g: described(g, on)[1] for g, _ in GROUNDS}
        Alert.objects.bulk_create(
            (
                Alert(
                    person_id=f.person_id,
                    ground_id=f.ground_id,
                    cause_key=f.cause_key,
                    source_id=cites[f.ground_id].source,
                    section=cites[f.ground_id].section,
                    due_on=f.due_on,
                    since=f.since,
                    opened_on=on,
                )
                for f in new
            ),
            batch_size=500,
            ignore_conflicts=True,  # a scan running beside this one opened it first
        )
        for start in range(0, len(gone), 500):
            Alert.objects.filter(pk__in=gone[start : start + 500], opened_on__lte=on).update(closed_on=on)
    closed = Counter(key[1] for key, pk in open_alerts.items() if key not in found)
    return Summary(
        on=on,
        opened=Counter(f.ground_id for f in new),
        still_open=Counter(key[1] for key in found if key in open_alerts),
        closed=closed,
    )
