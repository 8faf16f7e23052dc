"""The duties coming due: the bounds ``law.rules.duties`` gives the queries agree with its one-person
functions, and the set-based ``coming_due`` agrees with those functions on generated registries (the
scan's registries, ``test_scan_agrees``)."""

from __future__ import annotations

from datetime import date, timedelta

import tests.compliance.test_scan_agrees as registries
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from exitentry.compliance.coming_due import LEAD_CALENDAR_DAYS, coming_due, pr_card_lead_days
from exitentry.law.rules import duties
from exitentry.registry.models import Person
from exitentry.registry.stay import visa_of_last_entry

PAIRS = (
    (duties.extension_coming_due, duties.expiries_with_extension_coming_due),
    (duties.residence_permit_coming_due, duties.entries_with_residence_permit_coming_due),
    (duties.particulars_change_coming_due, duties.changes_with_particulars_coming_due),
    (duties.pr_card_renewal_coming_due, duties.card_expiries_with_renewal_coming_due),
)
# Days around the holidays of 2026 (Spring Festival, National Day), where due days move past rest days.
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 11, 30))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PAIRS), days, st.integers(0, 60))
def test_the_bounds_hold_exactly_the_start_days_the_one_person_function_finds_coming_due(
    pair, on, lead
) -> None:
    one, bounds = pair
    first, last = bounds(on, lead)
    for offset in range(-120, 121):
        start = on + timedelta(days=offset)
        assert (one(start, on, lead) is not None) == (first <= start <= last), (start, first, last)


def expected(p: Person, on: date) -> set[tuple[str, str, date]]:
    """What the one-person functions say is coming due for ``p`` on ``on``, as (duty, cause, last day)."""
    found = first_change_coming_due(p, on)
    held = registries.records(p, on)
    if held is None:
        return found
    entry, visas, permits, valid, receipts = held
    entered = entry.on

    for kind, duty, coming, lead in (
        (
            "residence-permit",
            duties.EXTENSION,
            duties.extension_coming_due,
            LEAD_CALENDAR_DAYS[duties.EXTENSION],
        ),
        ("pr-card", duties.PR_CARD_RENEWAL, duties.pr_card_renewal_coming_due, pr_card_lead_days(on)),
    ):
        latest = registries.latest_not_applied_for(valid, kind, receipts)
        due = latest and coming(latest.valid_until, on, lead)
        if due:
            found.add((duty, f"permit:{latest.pk}", due))

    _, of_entry = visa_of_last_entry(p, on) or (None, None)  # the visa the stay is on: its days count
    within = of_entry and of_entry.residence_permit_within_days
    lead = LEAD_CALENDAR_DAYS[duties.PERMIT_AFTER_ENTRY]
    due = within is not None and duties.residence_permit_coming_due(entered, on, lead, within)
    if (
        due
        and not any(x.kind == "residence-permit" and x.issued_on >= entered for x in permits)
        and not any(r.issued_on >= entered for r in receipts)
    ):
        found.add((duties.PERMIT_AFTER_ENTRY, f"entry:{entered.isoformat()}", due))
    return found


def first_change_coming_due(p: Person, on: date) -> set[tuple[str, str, date]]:
    """The one change-of-particulars duty (``test_scan_agrees.first_change``: the earliest change a report
    says happened or a new travel document made) when it comes due on ``on``."""
    first = registries.first_change(p, on)
    lead = LEAD_CALENDAR_DAYS[duties.PARTICULARS_CHANGE]
    if first is None or not (due := duties.particulars_change_coming_due(first[1], on, lead)):
        return set()
    return {(duties.PARTICULARS_CHANGE, first[0], due)}


def near(on: date, lo: int, hi: int, edges: list[int] | None = None):
    """A day from ``on + lo`` to ``on + hi``, half the time on one of the ``edges`` (offsets from ``on``)."""
    offsets = st.one_of(st.integers(lo, hi), st.sampled_from(edges)) if edges else st.integers(lo, hi)
    return offsets.map(lambda n: on + timedelta(days=n))


def either_side(*days: int, reach: int = 1) -> list[int]:
    return sorted({d + k for d in days for k in range(-reach, reach + 1)})


def issued_to(kind: str, status: str, issued: date, last_day: date) -> tuple[str, str, date, int]:
    """A permit as ``test_scan_agrees.build`` takes it: its days of validity after the day of issue."""
    return kind, status, issued, (last_day - issued).days


def person_near(on: date):
    """A person (as ``test_scan_agrees.build`` makes one) whose duties fall near ``on``, often on the first
    or last day of a lead window: permits ending from a few days before ``on`` to 60 after, entries and a
    new passport in the weeks before (a due day moved past rest days comes a few days later)."""
    lead = LEAD_CALENDAR_DAYS
    ends = near(on, -5, 60, either_side(30 + lead[duties.EXTENSION], 30, pr_card_lead_days(on), 0))
    permit = st.tuples(
        st.sampled_from(["residence-permit", "residence-permit", "pr-card", "stay-permit"]),
        st.sampled_from(["valid", "valid", "valid", "void"]),
        st.integers(1, 200),
        ends,
    ).map(lambda t: issued_to(t[0], t[1], min(on - timedelta(days=t[2]), t[3]), t[3]))
    entered = near(on, -45, 0, [-k for k in either_side(30 - lead[duties.PERMIT_AFTER_ENTRY], 30, reach=4)])
    movement = st.tuples(
        st.sampled_from(["entry", "entry", "entry", "exit"]),
        entered,
        st.booleans(),
        st.just(None),  # on a visa (``test_scan_agrees`` covers the visa-free entries)
        st.just(""),
        st.just("document"),
    )
    visa = st.tuples(
        near(on, -60, -46), st.just(90), st.integers(0, 60), st.sampled_from([None, 30, 30]), st.booleans()
    )
    receipt = st.tuples(
        near(on, -60, 0),
        st.one_of(st.none(), st.integers(0, 25)),
        st.booleans(),
        st.sampled_from(["accepted", "issued"]),
        st.just(None),  # not decided
    )
    changed = near(on, -20, 0, [-k for k in either_side(10 - lead[duties.PARTICULARS_CHANGE], 10, reach=4)])
    return st.fixed_dictionaries(
        {
            "movements": st.lists(movement, min_size=1, max_size=2),
            "visas": st.lists(visa, min_size=1, max_size=2),
            "permits": st.lists(permit, max_size=2),
            "receipts": st.lists(receipt, max_size=1),
            "new_passport": st.one_of(st.none(), changed),
            "reason_changed": st.one_of(st.none(), changed),
            "change_reported": st.one_of(st.none(), st.tuples(changed, st.integers(0, 12))),
            "passport_reported": st.one_of(st.none(), st.integers(0, 12)),
            "registrations": st.just([]),
            "restrictions": st.just([]),
            "orders": st.just([]),
            "repatriations": st.just([]),
        }
    )


class ComingDueAgreesWithTheLawCore(TestCase):
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(days, st.data())
    def test_coming_due_finds_what_the_one_person_functions_find(self, on, data) -> None:
        registries.build(data.draw(st.lists(person_near(on), min_size=1, max_size=4), label="people"))
        held: dict[int, set[tuple[str, str, date]]] = {p.pk: set() for p in Person.objects.all()}
        for f in coming_due(on):
            held[f.person_id].add((f.ground_id, f.cause_key, f.due_on))
        assert held == {p.pk: expected(p, on) for p in Person.objects.all()}, on
