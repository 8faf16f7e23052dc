"""The scan's SQL agrees with the law core's one-person functions on generated registries.

``expected`` reads one person's records and asks the law core (``residence.illegal_residence``,
``residence.authorised_stay``, ``duties.extension_late``, ``duties.pr_card_renewal_open``,
``duties.particulars_change_late``, ``duties.residence_permit_late``) what holds on a day; the scan must open exactly those alerts, keep them
on a second scan the same day, and on a later day hold exactly what the law core says then (closing the
rest).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from exitentry.accounts.models import User
from exitentry.cases.models import Case, Receipt
from exitentry.compliance.models import Alert
from exitentry.compliance.scan import ISSUED, OVERSTAY, STAY_PERMITS, scan
from exitentry.law.rules import duties
from exitentry.law.rules.residence import Situation, authorised_stay, illegal_residence
from exitentry.registry.models import EntryExit, Permit, Person, TravelDocument, Visa

BASE = date(2026, 6, 1)
numbers = count(1)
day = st.integers(min_value=-40, max_value=40).map(lambda n: BASE + timedelta(days=n))

scan_day = st.integers(min_value=0, max_value=70).map(lambda n: BASE + timedelta(days=n))
movement = st.tuples(st.sampled_from(["entry", "entry", "exit"]), day, st.booleans())
visa = st.tuples(day, st.integers(0, 90), st.integers(0, 60), st.sampled_from([None, 30]), st.booleans())
permit = st.tuples(
    st.sampled_from(["residence-permit", "residence-permit", "stay-permit", "pr-card"]),
    st.sampled_from(["valid", "valid", "void"]),
    day,
    st.one_of(st.none(), st.integers(0, 90)),
)
receipt = st.tuples(
    day, st.one_of(st.none(), st.integers(0, 25)), st.booleans(), st.sampled_from(["accepted", "issued"])
)
person = st.fixed_dictionaries(
    {
        "movements": st.lists(movement, min_size=1, max_size=3),
        "visas": st.lists(visa, max_size=2),
        "permits": st.lists(permit, max_size=2),
        "receipts": st.lists(receipt, max_size=2),
        "new_passport": st.one_of(st.none(), day),
    }
)


def build(people: list[dict]) -> None:
    user = User.objects.create(username=f"u{next(numbers)}")
    for spec in people:
        p = Person.objects.create(surname="Test", sex="F", birth_date=date(1990, 1, 1), nationality="DEU")
        doc = TravelDocument.objects.create(
            person=p,
            number=f"P{next(numbers):07d}",
            issuing_country="DEU",
            issued_on=date(2020, 1, 1),
            expires_on=date(2035, 1, 1),
        )
        new = doc
        if spec["new_passport"]:
            new = TravelDocument.objects.create(
                person=p,
                number=f"P{next(numbers):07d}",
                issuing_country="DEU",
                issued_on=spec["new_passport"],
                expires_on=date(2036, 1, 1),
            )
        for direction, on, with_new in spec["movements"]:
            EntryExit.objects.create(
                person=p, direction=direction, on=on, port="PEK", travel_document=new if with_new else doc
            )
        for valid_from, length, stay, within, in_new in spec["visas"]:
            Visa.objects.create(
                person=p,
                travel_document=new if in_new else doc,
                number=f"V{next(numbers)}",
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
        for issued, validity, on_permit, state in spec["receipts"]:
            case = Case.objects.create(
                procedure_id="rp-work",
                person=p,
                submitted_by=user,
                acting_as="self",
                permit=permits[0] if on_permit and permits else None,
                state=state,
            )
            Receipt.objects.create(
                case=case,
                number=f"S{next(numbers)}",
                issued_on=issued,
                valid_until=None if validity is None else issued + timedelta(days=validity),
                issued_by=user,
            )


def records(p: Person, on: date) -> tuple[date, list, list, list, list] | None:
    """``p``'s records as of ``on`` (None when not in China): the day of the last entry, the visas valid
    on it in its travel document, the permits issued, the valid ones, the receipts given."""
    moves = [m for m in p.movements.all() if m.on <= on]
    entry = max(moves, key=lambda m: (m.on, m.pk), default=None)
    if entry is None or entry.direction != "entry":
        return None
    entered = entry.on
    visas = [
        v
        for v in p.visas.all()
        if v.travel_document_id == entry.travel_document_id and v.valid_from <= entered <= v.valid_until
    ]
    permits = [x for x in p.permits.all() if x.issued_on <= on]
    valid = [x for x in permits if x.status == "valid"]
    receipts = list(Receipt.objects.filter(case__person=p, issued_on__lte=on))
    return entered, visas, permits, valid, receipts


def expected(p: Person, on: date) -> set[tuple[str, str]]:
    """What the law core's one-person functions say holds for ``p`` on ``on``, as (ground, cause)."""
    held = records(p, on)
    if held is None:
        return set()
    entered, visas, permits, valid, receipts = held
    found: set[tuple[str, str]] = set()

    ends = [
        authorised_stay(entered, v.duration_of_stay_days).last_day for v in visas if v.duration_of_stay_days
    ]
    ends += [x.valid_until for x in valid if x.kind in STAY_PERMITS and x.valid_until]
    if ends and not any(x.kind == "pr-card" for x in valid):
        receipt_until = max((r.valid_until for r in receipts if r.valid_until), default=None)
        verdict = illegal_residence(
            Situation(authorised_until=max(ends), receipt_valid_until=receipt_until), on
        )
        found |= {(g.id, f"until:{max(ends).isoformat()}") for g in verdict.grounds}

    for kind, ground_id, holds in (
        ("residence-permit", duties.EXTENSION, duties.extension_late),
        ("pr-card", duties.PR_CARD_RENEWAL, duties.pr_card_renewal_open),
    ):
        held = [x for x in valid if x.kind == kind and x.valid_until]
        if held:
            latest = max(held, key=lambda x: (x.valid_until, x.pk))
            applied = any(r.case.permit_id == latest.pk and r.case.state not in ISSUED for r in receipts)
            if holds(latest.valid_until, on) and not applied:
                found.add((ground_id, f"permit:{latest.pk}"))

    residence = [x for x in valid if x.kind == "residence-permit" and x.valid_until]
    documents = [d for d in p.travel_documents.all() if d.issued_on <= on]
    if residence and documents:
        rp = max(residence, key=lambda x: (x.valid_until, x.pk))
        newest = max(documents, key=lambda d: (d.issued_on, d.pk))
        changed = newest.issued_on
        if (
            duties.still_runs(rp.valid_until, on)
            and changed > rp.issued_on
            and duties.particulars_change_late(changed, on)
            and not any(r.case.permit_id == rp.pk and r.issued_on >= changed for r in receipts)
            and not any(x.kind == "residence-permit" and x.issued_on >= changed for x in permits)
        ):
            found.add((duties.PARTICULARS_CHANGE, f"permit:{rp.pk}:document:{newest.pk}"))

    if (
        any(v.residence_permit_within_days is not None for v in visas)
        and duties.residence_permit_late(entered, on)
        and not any(x.kind == "residence-permit" and x.issued_on >= entered for x in permits)
        and not any(r.issued_on >= entered for r in receipts)
    ):
        found.add((duties.PERMIT_AFTER_ENTRY, f"entry:{entered.isoformat()}"))
    return found


def open_alerts() -> dict[int, set[tuple[str, str]]]:
    held: dict[int, set[tuple[str, str]]] = {p.pk: set() for p in Person.objects.all()}
    for a in Alert.objects.filter(closed_on__isnull=True):
        held[a.person_id].add((a.ground_id, a.cause_key))
    return held


class ScanAgreesWithTheLawCore(TestCase):
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(person, min_size=1, max_size=4), scan_day, st.integers(0, 60))
    def test_scan_opens_keeps_and_closes_what_the_law_core_says(self, people, first, later) -> None:
        build(people)
        scan(first)
        self.assert_agrees(first)
        again = scan(first)
        assert not again.opened and not again.closed  # the same day twice changes nothing
        self.assert_agrees(first)
        then = first + timedelta(days=later)
        summary = scan(then)
        self.assert_agrees(then)
        assert Alert.objects.filter(closed_on=then).count() == sum(summary.closed.values())
        for a in Alert.objects.filter(ground_id=OVERSTAY):
            assert (a.source_id, a.section) == ("regulations", "Art. 25(1)")

    def assert_agrees(self, on: date) -> None:
        import sys

        print(sorted({g for v in open_alerts().values() for g, _ in v}), file=sys.stderr)
        import sys

        print(sorted({g for v in open_alerts().values() for g, _ in v}), file=sys.stderr)
        import sys

        print(sorted({g for v in open_alerts().values() for g, _ in v}), file=sys.stderr)
        assert open_alerts() == {p.pk: expected(p, on) for p in Person.objects.all()}, on
