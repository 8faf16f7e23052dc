"""The scan's SQL agrees with the law core's one-person functions on generated registries.

``expected`` reads one person's records and asks the law core (``residence.illegal_residence``,
``residence.authorised_stay``, ``duties.extension_late``, ``duties.pr_card_renewal_open``,
``duties.particulars_change_late`` (a new travel document, or a change a unit or the holder reported),
``duties.residence_permit_late`` (on the days of ``registry.stay.visa_of_last_entry``), ``residence.visa_free_last_day``,
``enforcement.restricted_area_duty``, ``enforcement.order_to_leave_status``,
``enforcement.no_entry_period``) what holds on a day; the scan must open exactly those alerts, keep them
on a second scan the same day, and on a later day hold exactly what the law core says then (closing the
rest).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from django.db.models import Subquery
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

import unit_world
from exitentry.accounts.models import User
from exitentry.cases.lifecycle import OPEN_STATES, receipt_serves
from exitentry.cases.models import Case, Receipt
from exitentry.compliance.models import (
    ActivityRestriction,
    Alert,
    ChangeReport,
    OrderToLeave,
    Repatriation,
    UnitReport,
)
from exitentry.compliance.scan import (
    EXIT_DEADLINE_PASSED,
    ISSUED,
    NO_ENTRY_APPLICATION,
    NO_ENTRY_BREACHED,
    OUTSIDE_AREA,
    OVERSTAY,
    STAY_PERMITS,
    _in_china,
    _visa_of_entry,
    scan,
)
from exitentry.law.rules import duties
from exitentry.law.rules.enforcement import (
    LATE,
    exit_deadline,
    in_restricted_area,
    no_entry_period,
    order_to_leave_status,
    restricted_area_duty,
)
from exitentry.law.rules.residence import Situation, authorised_stay, illegal_residence, visa_free_last_day
from exitentry.registry.models import (
    AccommodationRegistration,
    EntryExit,
    Permit,
    Person,
)
from exitentry.registry.stay import visa_of_last_entry
from factories import TravelDocumentFactory, VisaFactory

BASE = date(2026, 6, 1)
numbers = count(1)
day = st.integers(min_value=-40, max_value=40).map(lambda n: BASE + timedelta(days=n))

scan_day = st.integers(min_value=0, max_value=70).map(lambda n: BASE + timedelta(days=n))
movement = st.tuples(
    st.sampled_from(["entry", "entry", "exit"]),
    day,
    st.booleans(),
    st.one_of(st.none(), st.integers(1, 60)),  # visa-free days, on an entry
    st.sampled_from(["", "", "11", "1101", "110105"]),  # the restricted area, on an entry (Art. 24)
    st.sampled_from(["document", "temporary-entry"]),
)
division = st.sampled_from(["110105", "110108", "110229", "120101", ""])
registration = st.tuples(day, division)
restriction = st.tuples(
    day, st.sampled_from(["11", "1101", "110105"]), st.one_of(st.none(), st.integers(0, 40))
)
order = st.tuples(day, st.integers(1, 15))
repatriation = st.tuples(day, st.one_of(st.none(), st.integers(0, 10)), st.integers(1, 5))
visa = st.tuples(day, st.integers(0, 90), st.integers(0, 60), st.sampled_from([None, 10, 30]), st.booleans())
permit = st.tuples(
    st.sampled_from(["residence-permit", "residence-permit", "stay-permit", "pr-card"]),
    st.sampled_from(["valid", "valid", "void"]),
    day,
    st.one_of(st.none(), st.integers(0, 90)),
)
receipt = st.tuples(
    day,
    st.one_of(st.none(), st.integers(0, 25)),
    st.booleans(),
    # held for processing, or closed: its receipt covers the stay only while the passport is held
    st.sampled_from(["accepted", "issued", "withdrawn", "refused"]),
    st.one_of(st.none(), st.integers(0, 30)),  # the case decided these days after it was submitted
)
person = st.fixed_dictionaries(
    {
        "movements": st.lists(movement, min_size=1, max_size=3),
        "visas": st.lists(visa, max_size=2),
        "permits": st.lists(permit, max_size=2),
        "receipts": st.lists(receipt, max_size=2),
        "new_passport": st.one_of(st.none(), day),
        "newer_passport": st.one_of(st.none(), st.integers(1, 60)),  # days after the new passport
        "reason_changed": st.one_of(st.none(), day),
        "change_reported": st.one_of(st.none(), st.tuples(day, st.integers(0, 12))),
        "passport_reported": st.one_of(st.none(), st.integers(0, 12)),  # days after the new passport
        "registrations": st.lists(registration, max_size=2),
        "restrictions": st.lists(restriction, max_size=1),
        "orders": st.lists(order, max_size=1),
        "repatriations": st.lists(repatriation, max_size=1),
    }
)


def build(people: list[dict]) -> None:
    user = User.objects.create(username=f"u{next(numbers)}")
    for spec in people:
        p = Person.objects.create(surname="Test", sex="F", birth_date=date(1990, 1, 1), nationality="DEU")
        doc = TravelDocumentFactory(person=p, number=f"P{next(numbers):07d}", expires_on=date(2035, 1, 1))
        new = doc
        if spec["new_passport"]:
            new = TravelDocumentFactory(
                person=p,
                number=f"P{next(numbers):07d}",
                issued_on=spec["new_passport"],
                expires_on=date(2036, 1, 1),
            )
            if spec.get("newer_passport"):  # issued later still, perhaps while the first one's alert is open
                TravelDocumentFactory(
                    person=p,
                    number=f"P{next(numbers):07d}",
                    issued_on=spec["new_passport"] + timedelta(days=spec["newer_passport"]),
                    expires_on=date(2037, 1, 1),
                )
        for direction, on, with_new, free_days, area, restricted_by in spec["movements"]:
            entry = direction == "entry"
            EntryExit.objects.create(
                person=p,
                direction=direction,
                on=on,
                port="PEK",
                travel_document=new if with_new else doc,
                basis="visa-free" if entry and free_days else "visa",
                visa_free_days=free_days if entry else None,
                restricted_area=area if entry else "",
                restricted_by=restricted_by if entry and area else "",
            )
        for on, where in spec["registrations"]:
            AccommodationRegistration.objects.create(
                person=p, address="1 Test Road", registered_on=on, registered_with="Hotel", division=where
            )
        for decided, area, lifted_after in spec["restrictions"]:
            ActivityRestriction.objects.create(
                person=p,
                recorded_by=user,
                decided_on=decided,
                area=area,
                residence="1 Test Road",
                lifted_on=None if lifted_after is None else decided + timedelta(days=lifted_after),
            )
        for ordered, days in spec["orders"]:
            OrderToLeave.objects.create(
                person=p,
                recorded_by=user,
                ordered_on=ordered,
                days=days,
                last_day=exit_deadline(ordered, days).last_day,
            )
        for carried_out, decided_before, years in spec["repatriations"]:
            Repatriation.objects.create(
                person=p,
                recorded_by=user,
                decided_on=carried_out - timedelta(days=decided_before or 0),
                no_entry_years=years,
                can_pay=True,
                illegally_employed=False,
                repatriated_on=None if decided_before is None else carried_out,
                no_entry_until=None
                if decided_before is None
                else no_entry_period(carried_out, years).last_day,
            )
        for valid_from, length, stay, within, in_new in spec["visas"]:
            VisaFactory(
                travel_document=new if in_new else doc,
                category="Z" if within else "L",
                entries=0,
                duration_of_stay_days=stay,
                valid_from=valid_from,
                valid_until=valid_from + timedelta(days=length),
                residence_permit_within_days=within,
            )
        permits = [
            Permit.objects.create(
                person=p,
                kind=kind,
                number=f"R{next(numbers)}",
                issued_on=issued,
                valid_until=None if length is None else issued + timedelta(days=length),
                status=status,
            )
            for kind, status, issued, length in spec["permits"]
        ]
        if spec.get("reason_changed") and permits:  # a unit reported the reason for the first one changed
            unit_world.reason_changed(permits[0], spec["reason_changed"])
        reports = []  # the holder reported a change of the last permit: of the reason, of the passport
        if spec.get("change_reported") and permits:
            reports.append(("reason", *spec["change_reported"]))
        if spec.get("passport_reported") is not None and spec["new_passport"] and permits:
            reports.append(("passport_number", spec["new_passport"], spec["passport_reported"]))
        for particular, changed, late in reports:
            ChangeReport.objects.create(
                permit=permits[-1],
                particular=particular,
                changed_on=changed,
                reported_on=changed + timedelta(days=late),
                filed_by=user,
                filed_at=timezone.now(),
                number=f"BD{next(numbers)}",
                source="web",
            )
        open_on_permit = False  # one open application per permit (``services.one_per_permit``)
        for issued, validity, on_permit, state, decided_after in spec["receipts"]:
            on_permit = on_permit and bool(permits) and not (open_on_permit and state in OPEN_STATES)
            open_on_permit = open_on_permit or (on_permit and state in OPEN_STATES)
            case = Case.objects.create(
                procedure_id="rp-work",
                person=p,
                submitted_by=user,
                acting_as="self",
                permit=permits[0] if on_permit else None,
                state=state,
                submitted_on=issued,
                decided_on=None if decided_after is None else issued + timedelta(days=decided_after),
            )
            Receipt.objects.create(
                case=case,
                number=f"S{next(numbers)}",
                issued_on=issued,
                valid_until=None if validity is None else issued + timedelta(days=validity),
                issued_by=user,
            )


def records(p: Person, on: date) -> tuple[EntryExit, list, list, list, list] | None:
    """``p``'s records as of ``on`` (None when not in China): the last entry, the visas valid on its day
    in its travel document, the permits issued, the valid ones, the receipts given."""
    moves = [m for m in p.movements.all() if m.on <= on]
    entry = max(moves, key=lambda m: (m.on, m.pk), default=None)
    if entry is None or entry.direction != "entry":
        return None
    visas = [
        v
        for v in p.visas.all()
        if v.travel_document_id == entry.travel_document_id and v.valid_from <= entry.on <= v.valid_until
    ]
    permits = [x for x in p.permits.all() if x.issued_on <= on]
    valid = [x for x in permits if x.status == "valid"]
    receipts = list(Receipt.objects.filter(case__person=p, issued_on__lte=on))
    return entry, visas, permits, valid, receipts


def latest_not_applied_for(valid: list, kind: str, receipts: list):
    """The latest valid permit of ``kind`` (by last day) unless a case on it holds a receipt (the case that
    issued it or gave it its last day aside); None otherwise."""
    held = [x for x in valid if x.kind == kind and x.valid_until]
    if not held:
        return None
    latest = max(held, key=lambda x: (x.valid_until, x.pk))
    applied = any(r.case.permit_id == latest.pk and r.case.state not in ISSUED for r in receipts)
    return None if applied else latest


def expected(p: Person, on: date, kept: frozenset[str] = frozenset()) -> set[tuple[str, str]]:
    """What the law core's one-person functions say holds for ``p`` on ``on``, as (ground, cause);
    ``kept``: the causes of ``p``'s change-of-particulars alerts open before the scan."""
    moves = [m for m in p.movements.all() if m.on <= on]
    found: set[tuple[str, str]] = set()
    for o in OrderToLeave.objects.filter(person=p, ordered_on__lte=on):
        left = min((m.on for m in moves if m.direction == "exit" and m.on >= o.ordered_on), default=None)
        if left is None and order_to_leave_status(o.last_day, left, on) == LATE:
            found.add((EXIT_DEADLINE_PASSED, f"order:{o.pk}"))
    repatriations = Repatriation.objects.filter(person=p, repatriated_on__isnull=False)
    for c in Case.objects.filter(person=p, submitted_on__lte=on):
        if c.decided_on is None or c.decided_on > on:
            barring = [
                r
                for r in repatriations
                if no_entry_period(r.repatriated_on, r.no_entry_years).bars(c.submitted_on)
            ]
            latest = max(barring, key=lambda r: (r.repatriated_on, r.pk), default=None)
            if latest is not None:
                found.add((NO_ENTRY_APPLICATION, f"repatriation:{latest.pk}:case:{c.pk}"))
    found |= first_change_late(p, on, kept)
    held = records(p, on)
    if held is None:
        return found
    entry, visas, permits, valid, receipts = held
    entered = entry.on

    _, of_entry = visa_of_last_entry(p, on) or (None, None)  # the stay is on the visa entered on
    ends = [
        authorised_stay(entered, v.duration_of_stay_days).last_day
        for v in visas
        if v == of_entry and v.duration_of_stay_days
    ]
    ends += [x.valid_until for x in valid if x.kind in STAY_PERMITS and x.valid_until]
    free = visa_free_last_day(entered, entry.visa_free_days) if entry.basis == "visa-free" else None
    if (ends or free) and not any(x.kind == "pr-card" for x in valid):
        receipt_until = max(
            (
                r.valid_until
                for r in receipts
                if r.valid_until and receipt_serves(r.case.state, r.case.closed_on, on)
            ),
            default=None,
        )
        authorised = max(ends, default=None)
        verdict = illegal_residence(
            Situation(authorised_until=authorised, visa_free_until=free, receipt_valid_until=receipt_until),
            on,
        )
        until = authorised if authorised is not None else free
        found |= {(g.id, f"until:{until.isoformat()}") for g in verdict.grounds}

    registrations = list(p.accommodation_registrations.all())
    areas = (
        [(f"entry:{entry.pk}", entry.restricted_by, entry.restricted_area, entered)]
        if entry.restricted_area
        else []
    )
    areas += [
        (f"restriction:{r.pk}", "activities-restriction", r.area, r.decided_on)
        for r in ActivityRestriction.objects.filter(person=p, decided_on__lte=on)
        if r.lifted_on is None or r.lifted_on > on
    ]
    for cause, restricted_by, area, since in areas:
        there = [r for r in registrations if since <= r.registered_on <= on]
        latest = max(there, key=lambda r: (r.registered_on, r.pk), default=None)
        if latest and latest.division:
            outside = not in_restricted_area(area, latest.division)
            if not restricted_area_duty(restricted_by=restricted_by, outside_area=outside).ok:
                found.add((OUTSIDE_AREA, f"{cause}:registration:{latest.pk}"))

    for r in Repatriation.objects.filter(person=p, repatriated_on__lte=on):
        if no_entry_period(r.repatriated_on, r.no_entry_years).bars(entered):
            found.add((NO_ENTRY_BREACHED, f"repatriation:{r.pk}:entry:{entered.isoformat()}"))

    for kind, ground_id, holds in (
        ("residence-permit", duties.EXTENSION, duties.extension_late),
        ("pr-card", duties.PR_CARD_RENEWAL, duties.pr_card_renewal_open),
    ):
        latest = latest_not_applied_for(valid, kind, receipts)
        if latest and holds(latest.valid_until, on):
            found.add((ground_id, f"permit:{latest.pk}"))

    _, of_entry = visa_of_last_entry(p, on) or (None, None)  # the visa the stay is on: its days count
    within = of_entry and of_entry.residence_permit_within_days
    if (
        within is not None
        and duties.residence_permit_late(entered, on, within)
        and not any(x.kind == "residence-permit" and x.issued_on >= entered for x in permits)
        and not any(r.issued_on >= entered for r in receipts)
    ):
        found.add((duties.PERMIT_AFTER_ENTRY, f"entry:{entered.isoformat()}"))
    return found


def document_change(p: Person, on: date, kept: frozenset[str] = frozenset()) -> list[tuple[str, date]]:
    """(cause, change day) of the new travel document issued after ``p``'s latest valid residence permit,
    and of a document an open alert names (``kept``) on it, while the permit runs, in China, with nothing
    applied for on it nor another residence permit issued since the document's day."""
    held = records(p, on)
    if held is None:
        return []
    _, _, permits, valid, receipts = held
    residence = [x for x in valid if x.kind == "residence-permit" and x.valid_until]
    documents = [d for d in p.travel_documents.all() if d.issued_on <= on]
    if not residence or not documents:
        return []
    rp = max(residence, key=lambda x: (x.valid_until, x.pk))
    newest = max(documents, key=lambda d: (d.issued_on, d.pk))
    named = [d for d in documents if d != newest and f"permit:{rp.pk}:document:{d.pk}" in kept]
    if named:
        event("a newer travel document than an open alert's")
    return [
        (f"permit:{rp.pk}:document:{d.pk}", d.issued_on)
        for d in [newest, *named]
        if duties.still_runs(rp.valid_until, on)
        and d.issued_on > rp.issued_on
        and not any(r.case.permit_id == rp.pk and r.issued_on >= d.issued_on for r in receipts)
        and not any(x.kind == "residence-permit" and x.issued_on >= d.issued_on for x in permits)
    ]


SAME_DAY = {"report": 0, "change": 1, "document": 2}  # a unit's report, the holder's, a new passport


def first_change(p: Person, on: date, kept: frozenset[str] = frozenset()) -> tuple[str, date] | None:
    """(cause, day) of ``p``'s one change-of-particulars duty: the change of an alert open before (``kept``)
    while it holds, else the earliest change a report says happened or a new travel document made (on one
    day: a unit's report, the holder's, the document; then the lower permit and record); None without one."""
    changes = reported_changes(p, on, kept) + document_change(p, on, kept)
    if changes:
        event("change of particulars from " + " and ".join(sorted({c.split(":")[2] for c, _ in changes})))

    def order(change: tuple[str, date]) -> tuple:
        _, permit_id, kind, number = change[0].split(":")
        return change[0] not in kept, change[1], SAME_DAY[kind], int(permit_id), int(number)

    return min(changes, key=order, default=None)


def first_change_late(p: Person, on: date, kept: frozenset[str] = frozenset()) -> set[tuple[str, str]]:
    """One change-of-particulars alert for ``p`` at most: its first change's, once its last day passed."""
    first = first_change(p, on, kept)
    if first is None or not duties.particulars_change_late(first[1], on):
        return set()
    return {(duties.PARTICULARS_CHANGE, first[0])}


def reported_changes(p: Person, on: date, kept: frozenset[str] = frozenset()) -> list[tuple[str, date]]:
    """(cause, change day) of the earliest change a report says happened to each of ``p``'s permits by
    ``on`` (a unit's of the reason for residence first on the same day, then the holder's), while the
    permit runs and nothing was applied for on it, nor another residence permit issued, since the change:
    in China or not."""
    reports = [(r.happened_on, 0, r.pk, r.permit, "report") for r in UnitReport.objects.filter(person=p)]
    reports += [
        (r.changed_on, 1, r.pk, r.permit, "change")
        for r in ChangeReport.objects.filter(permit__person=p)
        if r.reported_on <= on
    ]
    found = []
    for rp in {r[3] for r in reports if r[3] is not None}:
        of_permit = [r for r in reports if r[3] == rp and r[0] <= on]
        if not of_permit:
            continue
        earliest = min(of_permit, key=lambda r: r[:3])
        for changed, _, pk, _, prefix in [earliest] + [
            r for r in of_permit if r != earliest and f"permit:{rp.pk}:{r[4]}:{r[2]}" in kept
        ]:
            receipts = Receipt.objects.filter(case__permit=rp, issued_on__lte=on, issued_on__gte=changed)
            issued = p.permits.filter(kind="residence-permit", issued_on__lte=on, issued_on__gte=changed)
            if (
                rp.kind == "residence-permit"
                and rp.status == "valid"
                and rp.issued_on <= on
                and rp.valid_until is not None
                and duties.still_runs(rp.valid_until, on)
                and not receipts.exists()
                and not issued.exclude(pk=rp.pk).exists()
            ):
                found.append((f"permit:{rp.pk}:{prefix}:{pk}", changed))
    return found


def open_alerts() -> dict[int, set[tuple[str, str]]]:
    held: dict[int, set[tuple[str, str]]] = {p.pk: set() for p in Person.objects.all()}
    for a in Alert.objects.filter(closed_on__isnull=True):
        held[a.person_id].add((a.ground_id, a.cause_key))
    return held


# A newer passport issued while the alert of the first new one is open (rare among generated people): the
# alert keeps the first one's change while it holds.
NEWER_PASSPORT = {
    "movements": [("entry", BASE - timedelta(days=40), False, None, "", "document")],
    "visas": [],
    "permits": [("residence-permit", "valid", BASE - timedelta(days=39), 90)],
    "receipts": [],
    "new_passport": BASE - timedelta(days=38),
    "newer_passport": 40,
    "reason_changed": None,
    "change_reported": None,
    "passport_reported": None,
    "registrations": [],
    "restrictions": [],
    "orders": [],
    "repatriations": [],
}


# Two visas in the passport of the entry, valid on its day: the newer one's 10 days count (Regulations Art. 9),
# not the older one's 30.
TWO_VISAS = NEWER_PASSPORT | {
    "movements": [("entry", BASE - timedelta(days=15), False, None, "", "document")],
    "visas": [(BASE - timedelta(days=30), 90, 0, 30, False), (BASE - timedelta(days=20), 90, 0, 10, False)],
    "permits": [],
    "new_passport": None,
    "newer_passport": None,
}

# Two visas in the passport of the entry, valid on its day, each with a stay: the stay is the newer one's
# 10 days, the visa entered on (Regulations Arts. 25(1), 36(3)), not the older one's longer 60.
TWO_STAYS = TWO_VISAS | {
    "visas": [
        (BASE - timedelta(days=30), 90, 60, None, False),
        (BASE - timedelta(days=20), 90, 10, None, False),
    ],
}


class ScanAgreesWithTheLawCore(TestCase):
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(person, min_size=1, max_size=4), scan_day, st.integers(0, 60))
    @example([NEWER_PASSPORT], BASE, 20)
    @example([TWO_VISAS], BASE, 0)
    @example([TWO_STAYS], BASE, 0)
    def test_scan_opens_keeps_and_closes_what_the_law_core_says(self, people, first, later) -> None:
        build(people)
        scan(first)
        self.assert_agrees(first)
        again = scan(first)
        assert not again.opened and not again.closed  # the same day twice changes nothing
        self.assert_agrees(first)
        then = first + timedelta(days=later)
        kept = {  # an open alert keeps its change while it holds, though an earlier one is reported since
            p: frozenset(c for g, c in held if g == duties.PARTICULARS_CHANGE)
            for p, held in open_alerts().items()
        }
        summary = scan(then)
        self.assert_agrees(then, kept)
        assert Alert.objects.filter(closed_on=then).count() == sum(summary.closed.values())
        for a in Alert.objects.filter(ground_id=OVERSTAY):
            assert (a.source_id, a.section) == ("regulations", "Art. 25(1)")

    def assert_agrees(self, on: date, kept: dict[int, frozenset[str]] | None = None) -> None:
        last = {}
        for m in EntryExit.objects.filter(on__lte=on):
            if m.person_id not in last or (m.on, m.pk) > (last[m.person_id].on, last[m.person_id].pk):
                last[m.person_id] = m
        in_china = _in_china(on).values_list("pk", "entered_on", "entered_with", "entry_movement")
        assert {row[0]: row[1:] for row in in_china} == {
            p: (m.on, m.travel_document_id, m.pk) for p, m in last.items() if m.direction == "entry"
        }
        of_entry = _in_china(on).annotate(visa=Subquery(_visa_of_entry().values("pk"))).exclude(visa=None)
        assert dict(of_entry.values_list("pk", "visa")) == {
            p.pk: found[1].pk for p in Person.objects.all() if (found := visa_of_last_entry(p, on))
        }
        for ground_id in sorted({g for held in open_alerts().values() for g, _ in held}):
            event(ground_id)  # --hypothesis-show-statistics: how often each ground was exercised
        kept = kept or {}
        assert open_alerts() == {
            p.pk: expected(p, on, kept.get(p.pk, frozenset())) for p in Person.objects.all()
        }, on
