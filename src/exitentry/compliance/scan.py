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
  residence permit still runs but its latest day to apply has passed, and no case on it holds a receipt
  (but the case that issued it or gave it its last day).
- Permanent resident ID card renewal (``pr-card-renewal-within-one-month-before-expiry``): in China, the
  person's latest valid card is inside its renewal window, and no case on it holds a receipt.
- Change of particulars (``change-of-particulars-within-10-days``): in China, the person's latest valid
  residence permit still runs, and their newest travel document was issued after it (its passport number
  changed), or a unit or the holder reported a change of the permit (in China or not), more than the
  days allowed ago, with no application on the permit (a receipt) and no residence permit issued since;
  one alert per person, from the earliest such change (a new passport the holder also reported is one duty)
  that no officer closed (a later change still counts), keeping an open alert's cause while it holds.
  The registry keeps no history of names or other particulars, so a new travel document and the reports
  are the changes the scan sees.
- Residence permit after entry (``residence-permit-within-30-days-of-entry``): in China, the visa of the
  last entry (``registry.stay.visa_of_last_entry``) requires a residence permit, the deadline (within
  the days the visa states, Regulations Art. 9) has passed, and no residence permit was issued
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
- Art. 31 application (``application-inside-no-entry-period``): a case submitted inside the no-entry
  period of a repatriation carried out, not yet decided. Art. 31 bars entry, not applying; but a person
  applying at a hall is in China, so this catches a presence the entry ground misses when no entry was
  recorded, until the case is decided.

Writing is idempotent: a cause found again keeps its open alert, a new cause opens one, an open alert
whose cause is no longer found closes on the day scanned. A cause an officer closed (resolved or
unfounded, ``compliance.actions``) is never reopened: the officer's word stands for that cause, and a new
cause opens a new alert.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from itertools import chain

from django.db import connection, transaction
from django.db.models import Case, CharField, DateField, Exists, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Concat

from exitentry.cases import models as cases
from exitentry.cases.lifecycle import PASSPORT_HELD, State
from exitentry.cases.models import Receipt
from exitentry.compliance.models import (
    ActivityRestriction,
    Alert,
    ChangeReport,
    OrderToLeave,
    Repatriation,
    UnitReport,
)
from exitentry.law.model import PR_CARD
from exitentry.law.periods import last_day_of_stay
from exitentry.law.rules import duties
from exitentry.law.rules.grounds import ground
from exitentry.law.rules.holding import Held
from exitentry.law.rules.unit_reports import FOLLOW_UP_GROUNDS, reason_change_events
from exitentry.law.sources import Citation
from exitentry.law.text import Text
from exitentry.registry.models import (
    AccommodationRegistration,
    EntryExit,
    LatestMovement,
    Permit,
    TravelDocument,
    Visa,
)
from exitentry.registry.standing import held_on

OVERSTAY = "illegal-overstay"
VISA_FREE_OVERSTAY = "illegal-visa-free-overstay"
OUTSIDE_AREA = "illegal-outside-restricted-area"
EXIT_DEADLINE_PASSED = "exit-deadline-passed"
NO_ENTRY_BREACHED = "entry-inside-no-entry-period"
NO_ENTRY_APPLICATION = "application-inside-no-entry-period"
_GROUND_IDS = (
    OVERSTAY,
    VISA_FREE_OVERSTAY,
    OUTSIDE_AREA,
    EXIT_DEADLINE_PASSED,
    NO_ENTRY_BREACHED,
    NO_ENTRY_APPLICATION,
)
STAY_PERMITS = ("residence-permit", "stay-permit")
ISSUED = (State.ISSUED, State.READY, State.COLLECTED)  # a case whose permit is in the registry


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
    listed = ground_id in _GROUND_IDS or ground_id in FOLLOW_UP_GROUNDS
    said = ground(ground_id) if listed else duties.obligation(ground_id, on)
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


_MOVED_AFTER: ContextVar[tuple[date, bool] | None] = ContextVar("moved_after", default=None)


def _anyone_moved_after(on: date) -> bool:
    """Whether any person's latest movement is after ``on`` (a scan of a past day); asked once per scan."""
    known = _MOVED_AFTER.get()
    if known is not None and known[0] == on:
        return known[1]
    return LatestMovement.objects.filter(on__gt=on).exists()


def _in_china(on: date):
    """The people in China on ``on``: those whose last movement on or before it is an entry, one row per
    person (``pk`` is the person's id), with that entry's day ``entered_on``, travel document
    ``entered_with`` and record ``entry_movement`` (its other columns are one primary-key lookup away;
    as ``cases.registry_facts`` reads the current entry).

    Read from ``LatestMovement``, the copy of each person's latest movement the database keeps: plain
    columns, so PostgreSQL can scan it in parallel and hash it. Only when someone moved after ``on`` (a
    scan of a past day) is the last movement by then looked up among the movements for those people."""
    entry = EntryExit.Direction.ENTRY
    if not _anyone_moved_after(on):
        return LatestMovement.objects.filter(direction=entry).annotate(
            entered_on=F("on"), entered_with=F("travel_document"), entry_movement=F("movement")
        )
    earlier = EntryExit.objects.filter(person=OuterRef("pk"), on__lte=on).order_by("-on", "-pk")
    field_of_id = LatestMovement._meta.get_field("movement")

    def then(column: str):
        field = EntryExit._meta.get_field(column)
        return Case(
            When(on__lte=on, then=F(column)), default=Subquery(earlier.values(column)[:1]), output_field=field
        )

    return LatestMovement.objects.annotate(
        entered_on=then("on"),
        entered_with=then("travel_document"),
        entry_movement=Case(
            When(on__lte=on, then=F("movement")),
            default=Subquery(earlier.values("pk")[:1]),
            output_field=field_of_id,
        ),
        direction_then=then("direction"),
    ).filter(Q(on__lte=on, direction=entry) | Q(on__gt=on, direction_then=entry))


def _visas_of_entry():
    """The visas in the last entry's travel document, in validity on its day (the outer query's
    ``entered_with`` and ``entered_on``)."""
    return Visa.objects.filter(
        travel_document=OuterRef("entered_with"),
        valid_from__lte=OuterRef("entered_on"),
        valid_until__gte=OuterRef("entered_on"),
    )


def _visa_of_entry():
    """The visa the last entry was made on: of ``_visas_of_entry``, the newest (by first valid day, then
    record), as ``registry.stay.visa_of_last_entry`` says for one person (``tests/compliance`` checks the
    two agree)."""
    return _visas_of_entry().order_by("-valid_from", "-pk")[:1]


def _last_movement(on: date, person: str = "pk"):
    return EntryExit.objects.filter(person=OuterRef(person), on__lte=on).order_by("-on", "-pk")


def _with_visa_free_until(people, on: date):
    """``people`` (from ``_in_china``) with ``visa_free_until``, the last day of the last entry's visa-free
    period (``residence.visa_free_last_day``), None when that entry was not visa-free."""
    days = Subquery(EntryExit.objects.filter(pk=OuterRef("entry_movement")).values("visa_free_days"))
    return people.annotate(visa_free_days=days).annotate(
        visa_free_until=PlusDays(F("entered_on"), F("visa_free_days"))
    )


def _entry_visa_free_running(on: date):
    """The last entry (the outer query's ``entry_movement``) when it was visa-free and its period still
    runs on ``on``: the same last day as ``_with_visa_free_until``, asked as a join."""
    return (
        EntryExit.objects.filter(pk=OuterRef("entry_movement"), visa_free_days__isnull=False)
        .annotate(visa_free_until=PlusDays(OuterRef("entered_on"), F("visa_free_days")))
        .filter(visa_free_until__gt=duties.run_out_by(on))
    )


def _valid_permits(on: date, *kinds: str):
    return _valid(on, *kinds).filter(person=OuterRef("pk"))


def _receipts(on: date):
    return Receipt.objects.filter(case__person=OuterRef("pk"), issued_on__lte=on)


def _receipts_covering(on: date):
    """The receipts that still stand in for the passport (``lifecycle.PASSPORT_HELD``, Regulations Arts. 13
    and 18 para. 3): none of an application withdrawn, refused or collected, whatever its last day."""
    return _receipts(on).filter(case__state__in=PASSPORT_HELD)


def _valid(on: date, *kinds: str):
    """The valid permits of ``kinds`` issued by ``on``."""
    return Permit.objects.filter(kind__in=kinds, status=Permit.Status.VALID, issued_on__lte=on)


def overstays(on: date) -> Iterator[Finding]:
    """Art. 25(1): the people in China on ``on`` whose visa stay and stay or residence permits have all run
    out, with no acceptance receipt still running.

    The conditions that leave most people out are anti-joins (a period still running, a card, a receipt);
    the last days themselves are read only for the few left, and whoever has none is no overstayer."""
    ran_out = duties.run_out_by(on)
    permits = _valid(on, *STAY_PERMITS).filter(person=OuterRef("pk")).exclude(valid_until=None)
    stays = _visas_of_entry().filter(duration_of_stay_days__gte=1)
    # A stay still runs when the entry's day plus its days is later than ``ran_out``; as the entry fell
    # within the visa's validity, so is the visa's last day plus those days: said too, it keeps the visas
    # long past out of the join before it is made.
    running_stays = stays.annotate(
        until=PlusDays(OuterRef("entered_on"), F("duration_of_stay_days")),
        at_most=PlusDays(F("valid_until"), F("duration_of_stay_days")),
    ).filter(until__gt=ran_out, at_most__gt=ran_out)
    people = (
        _in_china(on)
        .exclude(Exists(_entry_visa_free_running(on)))
        .exclude(Exists(permits.filter(valid_until__gt=ran_out)))
        .exclude(Exists(running_stays))
        .exclude(Exists(_receipts_covering(on).filter(valid_until__gt=ran_out)))
        .exclude(Exists(_valid(on, PR_CARD).filter(person=OuterRef("pk"))))
        .annotate(
            stay_days=Subquery(stays.order_by("-duration_of_stay_days").values("duration_of_stay_days")[:1]),
            permit_until=Subquery(permits.order_by("-valid_until").values("valid_until")[:1]),
        )
    )
    for pk, entered_on, stay_days, permit_until in people.values_list(
        "pk", "entered_on", "stay_days", "permit_until"
    ):
        stay_until = last_day_of_stay(entered_on, stay_days) if stay_days else None
        ends = [d for d in (stay_until, permit_until) if d is not None]
        if ends:
            until = max(ends)
            yield Finding(pk, OVERSTAY, f"until:{until.isoformat()}", since=until + timedelta(days=1))


def _latest_valid(kind: str, on: date):
    """Each person in China's latest valid permit of ``kind`` (by last day, then by record) issued by
    ``on``: one with no later one beside it."""
    permits = _valid(on, kind).filter(valid_until__isnull=False)
    later = permits.filter(person=OuterRef("person")).filter(
        Q(valid_until__gt=OuterRef("valid_until"))
        | Q(valid_until=OuterRef("valid_until"), pk__gt=OuterRef("pk"))
    )
    return permits.filter(Exists(_in_china(on).filter(pk=OuterRef("person")))).exclude(Exists(later))


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


def _alerts_on(person: str, permit: str, kind: str, record: str):
    """The change-of-particulars alerts of the outer row's change (``permit:<permit>:<kind>:<record>``, the
    outer columns ``person``, ``permit`` and ``record``): the scan's own cause key, built in SQL."""
    cause = Concat(
        Value("permit:"),
        Cast(OuterRef(permit), CharField()),
        Value(f":{kind}:"),
        Cast(OuterRef(record), CharField()),
        output_field=CharField(),
    )
    return Alert.objects.filter(person=OuterRef(person), ground_id=duties.PARTICULARS_CHANGE, cause_key=cause)


def _settled_change(person: str, permit: str, kind: str, record: str):
    """The outer row's change, when an officer closed its alert (``compliance.actions``): the officer's word
    stands for that change, so it is left out before the earliest is picked and a later change still counts."""
    return Exists(_alerts_on(person, permit, kind, record).exclude(resolution=""))


def _open_change(person: str, permit: str, kind: str, record: str):
    """The outer row's change, when its alert is open: it keeps that cause while it holds, though a change
    dated earlier is reported since (the officer's actions stay on the one alert)."""
    return Exists(_alerts_on(person, permit, kind, record).filter(closed_on__isnull=True))


def particulars_changed(
    on: date, person_ids: Iterable[int] | None = None, *, claims: bool = False
) -> Iterator[tuple[int, int, int, date]]:
    """(person, permit, document, change day) of each running residence permit whose holder's newest
    travel document was issued after it (its number is a registered particular, and it changed the day
    the document was issued; a claim, ``TravelDocument.claim``, is not the registry's until the hall
    confirms it at intake, so it changes nothing yet), with no application since (a receipt on a case on
    the permit) and no residence permit issued since, and no alert of it an officer closed; and the
    document of an open alert on the permit while its change holds so (the holder got an even newer one
    since: the officer's actions stay on the one alert). The callers bound the change day.
    ``person_ids``: only theirs; ``claims``: a claim counts too (a page that says it awaits the hall's
    check)."""
    return (row[:4] for row in _particulars_changed(on, person_ids, claims))


def _change_alerts(person_ids: Iterable[int] | None) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    """(open, settled): the (person, cause) of the change-of-particulars alerts open and of those an officer
    closed (``compliance.actions``), read once (of ``person_ids`` only, when given), so that the scan
    looks no cause key up row by row."""
    alerts = Alert.objects.filter(ground_id=duties.PARTICULARS_CHANGE).filter(
        Q(closed_on__isnull=True) | ~Q(resolution="")
    )
    if person_ids is not None:
        alerts = alerts.filter(person_id__in=list(person_ids))
    opened: set[tuple[int, str]] = set()
    settled: set[tuple[int, str]] = set()
    for person_id, cause, resolution in alerts.values_list("person_id", "cause_key", "resolution"):
        (settled if resolution else opened).add((person_id, cause))
    return opened, settled


def _particulars_changed(on: date, person_ids: Iterable[int] | None = None, claims: bool = False):
    """``particulars_changed``, each with whether its alert is open.

    The query keeps the latest running permits whose holder has any travel document issued after them (a
    few in a hundred); for those it reads the newest document and whether anything was applied for or
    issued since. The alerts of the ground are read once (``_change_alerts``), and which change an officer
    settled or an open alert keeps is judged here, as is whether a change still holds (the document
    post-dates the permit, nothing applied for nor issued since its day); the documents the open alerts
    name are read only where one is not the newest."""
    people = None if person_ids is None else list(person_ids)
    documents = TravelDocument.objects.filter(issued_on__lte=on)
    if not claims:
        documents = documents.filter(claim=False)
    newest = documents.filter(person=OuterRef("person")).order_by("-issued_on", "-pk")
    receipts = Receipt.objects.filter(case__permit=OuterRef("pk"), issued_on__lte=on)
    permits = Permit.objects.filter(person=OuterRef("person"), kind="residence-permit", issued_on__lte=on)
    rows = list(
        _latest_valid("residence-permit", on)
        .filter(valid_until__gt=duties.run_out_by(on))
        .filter(Exists(newest.filter(issued_on__gt=OuterRef("issued_on"))))
        .filter(**({} if people is None else {"person_id__in": people}))
        .annotate(
            document_id=Subquery(newest.values("pk")[:1]),
            changed_on=Subquery(newest.values("issued_on")[:1]),
            # the last receipt on the permit and the last residence permit issued, by ``on``: something was
            # applied for or issued since the change when it is on or after the change's day
            applied_on=Subquery(receipts.order_by("-issued_on").values("issued_on")[:1]),
            reissued_on=Subquery(permits.order_by("-issued_on").values("issued_on")[:1]),
        )
        .values_list("person_id", "pk", "issued_on", "document_id", "changed_on", "applied_on", "reissued_on")
    )
    if not rows:
        return
    opened, settled = _change_alerts(people)
    kept: dict[tuple[int, int], list[int]] = {}  # (person, permit): the documents of its open alerts
    for person_id, cause in opened:
        _, permit_id, kind, record = cause.split(":")
        if kind == "document":
            kept.setdefault((person_id, int(permit_id)), []).append(int(record))
    named = [
        d
        for person_id, permit_id, _, newest_id, *_ in rows
        for d in kept.get((person_id, permit_id), ())
        if d != newest_id
    ]
    issued = {
        (person_id, pk): day
        for pk, person_id, day in (
            documents.filter(pk__in=named).values_list("pk", "person_id", "issued_on") if named else ()
        )
    }
    for person_id, permit_id, permit_issued, document_id, changed_on, applied_on, reissued_on in rows:
        since = (permit_issued, applied_on, reissued_on)
        cause = f"permit:{permit_id}:document:{document_id}"
        if (person_id, cause) not in settled and _still_holds(changed_on, *since):
            yield person_id, permit_id, document_id, changed_on, (person_id, cause) in opened
        for other in kept.get((person_id, permit_id), ()):
            day = issued.get((person_id, other))
            if other != document_id and day is not None and _still_holds(day, *since):
                yield person_id, permit_id, other, day, True


def _still_holds(
    changed_on: date, permit_issued: date, applied_on: date | None, reissued_on: date | None
) -> bool:
    """Whether a new travel document of ``changed_on`` still changes the permit issued on ``permit_issued``:
    it post-dates the permit, and nothing was applied for on it (the last receipt ``applied_on``) nor a
    residence permit issued (the last, ``reissued_on``) on or after its day."""
    return changed_on > permit_issued and all(d is None or d < changed_on for d in (applied_on, reissued_on))


def changes_reported(
    on: date, person_ids: Iterable[int] | None = None, between: tuple[date, date] | None = None
) -> Iterator[tuple[int, int, str, date]]:
    """(person, permit, report, change day) of each running residence permit a report says changed: a
    unit's that its reason for residence changed (Regulations Art. 26: the report named the permit) or the
    holder's own of a particular (Exit and Entry Administration Law Art. 33), the earliest change by ``on``
    (a unit's first on the same day; a report whose alert an officer closed is no change), with no
    application on the permit since (a receipt) and no other residence permit issued since. ``report``:
    ``report:<id>`` or ``change:<id>``. ``person_ids``: only theirs; ``between``: only changes from its
    first to its last day."""
    return (row[:4] for row in _changes_reported(on, person_ids, between))


def _changes_reported(on: date, person_ids, between) -> Iterator[tuple[int, int, str, date, bool]]:
    """``changes_reported``, each with whether its alert is open; a report whose alert is open is kept
    though an earlier one is on record since.

    The queries start from the reports (few), not from the permits."""
    by_unit = UnitReport.objects.filter(happened_on__lte=on, event__in=reason_change_events()).annotate(
        day=F("happened_on")
    )
    by_holder = ChangeReport.objects.filter(reported_on__lte=on).annotate(day=F("changed_on"))
    units_earlier = by_unit.filter(permit=OuterRef("permit")).exclude(
        _settled_change("permit__person", "permit", "report", "pk")
    )
    holders_earlier = by_holder.filter(permit=OuterRef("permit")).exclude(
        _settled_change("permit__person", "permit", "change", "pk")
    )
    same_kind_earlier = Q(day__lt=OuterRef("day")) | Q(day=OuterRef("day"), pk__lt=OuterRef("pk"))
    for reports, prefix, earlier in (
        (
            by_unit,
            "report",
            (units_earlier.filter(same_kind_earlier), holders_earlier.filter(day__lt=OuterRef("day"))),
        ),
        (
            by_holder,
            "change",
            (holders_earlier.filter(same_kind_earlier), units_earlier.filter(day__lte=OuterRef("day"))),
        ),
    ):
        yield from (
            (person_id, permit_id, f"{prefix}:{pk}", day, is_open)
            for person_id, permit_id, pk, day, is_open in _running_since(
                reports, prefix, on, person_ids, between, earlier
            )
        )


def _running_since(reports, prefix: str, on: date, person_ids, between, earlier):
    """(person, permit, report, day, open) of ``reports`` (with their ``day``) of a running residence
    permit, none ``earlier`` on it unless its alert is open, none an officer settled, with nothing applied
    for on it nor another residence permit issued since."""
    applied = Receipt.objects.filter(
        case__permit=OuterRef("permit"), issued_on__lte=on, issued_on__gte=OuterRef("day")
    )
    reissued = Permit.objects.filter(
        person=OuterRef("permit__person"),
        kind="residence-permit",
        issued_on__lte=on,
        issued_on__gte=OuterRef("day"),
    ).exclude(pk=OuterRef("permit"))
    reports = reports.filter(
        permit__kind="residence-permit",
        permit__status=Permit.Status.VALID,
        permit__issued_on__lte=on,
        permit__valid_until__gt=duties.run_out_by(on),
    )
    reports = reports.exclude(_settled_change("permit__person", "permit", prefix, "pk")).annotate(
        open=_open_change("permit__person", "permit", prefix, "pk")
    )
    none_earlier = Q()
    for query in earlier:
        none_earlier &= ~Exists(query)
    reports = reports.filter(none_earlier | Q(open=True))
    if person_ids is not None:
        reports = reports.filter(permit__person_id__in=list(person_ids))
    if between is not None:
        reports = reports.filter(day__gte=between[0], day__lte=between[1])
    rows = reports.exclude(Exists(applied)).exclude(Exists(reissued))
    return rows.values_list("permit__person_id", "permit_id", "pk", "day", "open")


def held(permits: Iterable[Permit], on: date) -> dict[int, Held]:
    """Each permit as the law core reads it on ``on`` (``registry.standing.held_on``), with the day its
    particulars changed as the alerts choose it (``first_changes``, of each permit: an open alert's change
    while it holds, else the earliest of a new travel document, ``particulars_changed``, and a unit's or
    the holder's report, ``changes_reported``), so that a page dates the change-of-particulars duty on the
    day the reminders and the alerts do; a passport given online counts here too, the page saying it awaits
    the hall's check (the reminders and the alerts wait for the hall to confirm it)."""
    permits = list(permits)
    people = {p.person_id for p in permits}
    changes = first_changes(_changes(on, people, claims=True), per_permit=True)
    changed = {permit_id: day for _, permit_id, _, day in changes}
    return {p.pk: replace(held_on(p, on), changed_on=changed.get(p.pk)) for p in permits}


SAME_DAY_FIRST = ("report", "change", "document")  # which change of one day a person's duty runs from


def first_changes(
    changes: Iterable[tuple[int, int, str, date, bool]], *, per_permit: bool = False
) -> Iterator[tuple[int, int, str, date]]:
    """Each person's earliest of ``changes`` (person, permit, ``<kind>:<id>``, day, whether its alert is
    open): the Art. 33 duty runs from the first change of particulars, and one application for the
    permit's change answers every change, so a person has one such duty, not one per source of it (a new
    passport the holder also reported). A change whose alert is open stands before any other while it
    holds: a report dated earlier, filed since, does not replace the cause the officer works on (the same
    duty). A change an officer closed is not among ``changes`` (``_settled_change``), so a later one
    counts. Recorded choice, on the same day: a unit's report, the holder's, then a new travel document
    (``SAME_DAY_FIRST``: a report holds whether the person is in China or not), then the lower permit and
    record ids. ``per_permit``: each permit's, for a page that shows each (the one the alert is on is the
    alert's)."""
    first: dict[int, tuple[tuple, tuple[int, int, str, date]]] = {}
    for person_id, permit_id, cause, day, is_open in changes:
        kind, _, number = cause.partition(":")
        order = (not is_open, day, SAME_DAY_FIRST.index(kind), permit_id, int(number))
        of = permit_id if per_permit else person_id
        if of not in first or order < first[of][0]:
            first[of] = (order, (person_id, permit_id, cause, day))
    return (change for _, change in first.values())


def first_changes_by(on: date, last: date) -> Iterator[tuple[int, int, str, date]]:
    """(person, permit, ``<kind>:<id>``, day) of each person's earliest change of particulars
    (``first_changes``) as ``particulars_changed`` and ``changes_reported`` find them on ``on``, when it
    is on or before ``last``: the three queries of the change-of-particulars duty."""
    return first_changes(_changes(on, last=last))


def _changes(
    on: date, person_ids: Iterable[int] | None = None, *, last: date | None = None, claims: bool = False
) -> Iterator[tuple[int, int, str, date, bool]]:
    """(person, permit, ``<kind>:<id>``, day, whether its alert is open) of every change of particulars
    ``particulars_changed`` and ``changes_reported`` find on ``on`` (of ``person_ids``, on or before
    ``last``, when given; ``claims``: a passport given online counts too)."""
    documents = (
        (person_id, permit_id, f"document:{document_id}", changed_on, is_open)
        for person_id, permit_id, document_id, changed_on, is_open in _particulars_changed(
            on, person_ids, claims
        )
        if last is None or changed_on <= last
    )
    return chain(documents, _changes_reported(on, person_ids, None if last is None else (date.min, last)))


def particulars_changes_late(on: date) -> Iterator[Finding]:
    """The people whose residence permit's particulars changed more than the days allowed before ``on``,
    with no application since (a receipt on a case on the permit) and no residence permit issued since:
    the holder's newest travel document was issued after the permit (``particulars_changed``, the passport
    number changed), or a unit or the holder reported a change (``changes_reported``); one alert per
    person, from their earliest change (``first_changes``: a later change is late only once an earlier
    one is). The cause keys are the reminders' (``compliance.coming_due``)."""
    due_on = cache(duties.particulars_change_late)  # many findings share a day of change
    changes = first_changes_by(on, duties.latest_change_with_particulars_late(on))
    for person_id, permit_id, change, changed_on in changes:
        due = due_on(changed_on, on)
        yield Finding(person_id, duties.PARTICULARS_CHANGE, f"permit:{permit_id}:{change}", due_on=due)


def entered_without_residence_permit(on: date):
    """The people in China on ``on`` whose last entry's visa (``_visa_of_entry``) requires a residence
    permit, with none issued and no receipt given since that entry (``entered_on``: the day,
    ``within_days``: the days the visa states, Regulations Art. 9); the callers bound the day
    (``entered_within``)."""
    within = Subquery(_visa_of_entry().values("residence_permit_within_days"))
    return (
        _in_china(on)
        .annotate(within_days=within)
        .filter(within_days__isnull=False)
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


def entered_within(people, bounds: Callable[[int], tuple[date | None, date]]):
    """``people`` (``entered_without_residence_permit``) whose day of entry is in the ``bounds`` (first,
    last; None: no first) the law core gives for the days their visa states: one pair of bounds for each
    number of days a visa in the registry states (few)."""
    stated = (
        Visa.objects.filter(residence_permit_within_days__isnull=False)
        .values_list("residence_permit_within_days", flat=True)
        .order_by()
        .distinct()
    )
    on_days = Q(pk__in=[])
    for days in stated:
        first, last = bounds(days)
        on_days |= Q(
            within_days=days, entered_on__lte=last, **({} if first is None else {"entered_on__gte": first})
        )
    return people.filter(on_days)


def residence_permits_late(on: date) -> Iterator[Finding]:
    """The people in China whose last entry's visa requires a residence permit, past its deadline on
    ``on`` (the days the visa states), with none issued and no receipt given since that entry."""
    people = entered_within(
        entered_without_residence_permit(on),
        lambda days: (None, duties.latest_entry_with_residence_permit_late(on, days)),
    )
    due_on = cache(duties.residence_permit_due)  # many findings share a day of entry
    for pk, entered_on, within in people.values_list("pk", "entered_on", "within_days"):
        due = due_on(entered_on, within)
        yield Finding(pk, duties.PERMIT_AFTER_ENTRY, f"entry:{entered_on.isoformat()}", due_on=due)


def visa_free_overstays(on: date) -> Iterator[Finding]:
    """Art. 25(2): the people in China on ``on`` whose visa-free period has run out, with no visa or permit
    period (Art. 25(1) instead), no running acceptance receipt and no permanent residence."""
    ran_out = duties.run_out_by(on)
    ran_out_entries = (
        EntryExit.objects.filter(pk=OuterRef("entry_movement"), visa_free_days__isnull=False)
        .annotate(visa_free_until=PlusDays(OuterRef("entered_on"), F("visa_free_days")))
        .filter(visa_free_until__lte=ran_out)
    )
    people = (
        _with_visa_free_until(_in_china(on).filter(Exists(ran_out_entries)), on)
        .exclude(Exists(_visas_of_entry().filter(duration_of_stay_days__gte=1)))
        .exclude(Exists(_valid_permits(on, *STAY_PERMITS).exclude(valid_until=None)))
        .exclude(Exists(_receipts_covering(on).filter(valid_until__gt=ran_out)))
        .exclude(Exists(_valid_permits(on, PR_CARD)))
    )
    for pk, until in people.values_list("pk", "visa_free_until"):
        yield Finding(pk, VISA_FREE_OVERSTAY, f"until:{until.isoformat()}", since=until + timedelta(days=1))


def _latest_registration(on: date, person: str, since: str):
    """Each row's latest accommodation registration from the day ``since`` (an outer column) to ``on``."""
    return AccommodationRegistration.objects.filter(
        person=OuterRef(person), registered_on__gte=OuterRef(since), registered_on__lte=on
    ).order_by("-registered_on", "-pk")


def _outside(rows, on: date, person: str, since: str):
    """``rows`` whose latest registration since ``since`` names a division outside their ``area``: the
    law core's ``enforcement.in_restricted_area`` (Regulations Art. 25(3)) said in SQL, a division lying
    inside an area whose code it starts with (``tests/compliance/test_restricted_area_agrees`` checks they
    agree)."""
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
    restricted = EntryExit.objects.exclude(restricted_area="")  # few: the scan starts from them
    by_entry = (
        _in_china(on)
        .filter(entry_movement__in=restricted.values("pk"))
        .annotate(
            entry_id=F("entry_movement"),
            area=Subquery(restricted.filter(pk=OuterRef("entry_movement")).values("restricted_area")),
        )
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


def no_entry_applications(on: date) -> Iterator[Finding]:
    """Art. 31: the cases submitted by ``on`` inside the no-entry period of a repatriation carried out
    (after its day, to its last day, as ``NoEntryPeriod.bars``; the latest such period), not decided by
    ``on``."""
    periods = Repatriation.objects.filter(
        person=OuterRef("person"),
        repatriated_on__lt=OuterRef("submitted_on"),
        no_entry_until__gte=OuterRef("submitted_on"),
    ).order_by("-repatriated_on", "-pk")
    repatriated = Repatriation.objects.filter(repatriated_on__lt=on).values("person")
    rows = (
        cases.Case.objects.filter(submitted_on__lte=on, person__in=repatriated)
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gt=on))
        .annotate(repatriation=Subquery(periods.values("pk")[:1]))
        .filter(repatriation__isnull=False)
    )
    for person_id, pk, case_pk, submitted_on in rows.values_list(
        "person_id", "repatriation", "pk", "submitted_on"
    ):
        yield Finding(
            person_id, NO_ENTRY_APPLICATION, f"repatriation:{pk}:case:{case_pk}", since=submitted_on
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
    (NO_ENTRY_APPLICATION, no_entry_applications),
)
# The grounds the scan finds and closes. An alert on another ground (the hall's follow-up of a unit's
# report, ``compliance.unit_reports``) has no query here: the scan never closes it as "cause gone", and
# only an officer does.
SCANNED = tuple(ground_id for ground_id, _ in GROUNDS)


# PostgreSQL settings for the scan's own transaction: its grounds are a few joins over whole tables, so hash
# tables that fit in memory instead of spilling in batches, and no JIT compilation (on queries of well under
# a second it costs more than it saves: 1.6 s for the overstay query alone at 1,000,000 people).
TUNING = "SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true)"


def findings(on: date, progress: Callable[[str], None] | None = None) -> list[Finding]:
    """Every ground's findings on ``on``, one query each; ``progress`` hears each ground as it is done."""
    found: list[Finding] = []
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(TUNING)
        moved_after = _MOVED_AFTER.set((on, _anyone_moved_after(on)))
        try:
            for ground_id, query in GROUNDS:
                found.extend(query(on))
                if progress:
                    progress(ground_id)
        finally:
            _MOVED_AFTER.reset(moved_after)
    return found


_OPEN_MANY = """
INSERT INTO {table} (person_id, ground_id, cause_key, source_id, section, due_on, since, opened_on, resolution)
SELECT *, %s, '' FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::date[], %s::date[])
ON CONFLICT DO NOTHING
"""


def _open(new: list[Finding], on: date) -> None:
    """Open an alert for each of ``new``; one it meets already open (a scan running beside this one opened
    it first) is left as it is. On PostgreSQL one statement whatever their number, the columns passed as
    arrays."""
    cites = {g: described(g, on)[1] for g in {f.ground_id for f in new}}
    rows = [
        (
            f.person_id,
            f.ground_id,
            f.cause_key,
            cites[f.ground_id].source,
            cites[f.ground_id].section,
            f.due_on,
            f.since,
        )
        for f in new
    ]
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _OPEN_MANY.format(table=Alert._meta.db_table), [on, *map(list, zip(*rows, strict=True))]
            )
        return
    fields = ("person_id", "ground_id", "cause_key", "source_id", "section", "due_on", "since")
    Alert.objects.bulk_create(
        (Alert(opened_on=on, **dict(zip(fields, row, strict=True))) for row in rows),
        batch_size=500,
        ignore_conflicts=True,
    )


SETTLED_BATCH = 500  # people per read of the settled alerts


def _settled(keys: list[tuple[int, str, str]]) -> set[tuple[int, str, str]]:
    """Those of ``keys`` (person, ground, cause) an officer closed as resolved or unfounded, which the scan
    never reopens: read for the people of ``keys`` only (the partial index ``settled_alerts_by_cause``),
    so a run does not read every alert settled over the years."""
    people = sorted({person_id for person_id, _, _ in keys})
    settled: set[tuple[int, str, str]] = set()
    for start in range(0, len(people), SETTLED_BATCH):
        settled.update(
            Alert.objects.exclude(resolution="")
            .filter(person_id__in=people[start : start + SETTLED_BATCH])
            .values_list("person_id", "ground_id", "cause_key")
        )
    return settled.intersection(keys)


def scan(on: date, progress: Callable[[str], None] | None = None) -> Summary:
    """Scan the registry on ``on`` and bring the alerts up to date: open the new causes, keep the ones
    found again, close the ones gone."""
    with transaction.atomic():
        found = {(f.person_id, f.ground_id, f.cause_key): f for f in findings(on, progress)}
        open_alerts = {
            (person_id, ground_id, cause_key): pk
            for pk, person_id, ground_id, cause_key in Alert.objects.filter(
                closed_on__isnull=True, ground_id__in=SCANNED
            )
            .select_for_update()
            .values_list("pk", "person_id", "ground_id", "cause_key")
        }
        gone = [pk for key, pk in open_alerts.items() if key not in found]
        candidates = [key for key in found if key not in open_alerts]
        settled = _settled(candidates)
        new = [found[key] for key in candidates if key not in settled]
        _open(new, on)
        for start in range(0, len(gone), 500):
            Alert.objects.filter(pk__in=gone[start : start + 500], opened_on__lte=on).update(closed_on=on)
    closed = Counter(key[1] for key, pk in open_alerts.items() if key not in found)
    return Summary(
        on=on,
        opened=Counter(f.ground_id for f in new),
        still_open=Counter(key[1] for key in found if key in open_alerts),
        closed=closed,
    )
