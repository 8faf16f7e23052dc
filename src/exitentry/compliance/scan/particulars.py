"""The change-of-particulars duty: a residence permit's holder with a newer travel document
(``particulars_changed``) or a change a unit or the holder reported (``changes_reported``), each person's
earliest change (``first_changes``), its finding when late (``particulars_changes_late``), and a permit
as a page reads it with that change's day (``held``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from functools import cache
from itertools import chain

from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat

from exitentry.cases.models import Receipt
from exitentry.compliance.models import Alert, ChangeReport, UnitReport
from exitentry.compliance.scan.finding import Finding
from exitentry.compliance.scan.queries import _latest_valid
from exitentry.law.rules import duties
from exitentry.law.rules.holding import Held
from exitentry.law.rules.unit_reports import reason_change_events
from exitentry.registry.models import Permit, TravelDocument
from exitentry.registry.standing import held_on


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
