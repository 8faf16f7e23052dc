"""A held permit as the law core reads it: expiring inside the period its duty names, the duties dated from
its last day, and the procedures of the catalog that act on it while it is in force."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitentry.law.catalog import catalog
from exitentry.law.rules import acting, duties, holding
from exitentry.law.rules.grounds import ground
from exitentry.law.rules.holding import Held

ON = date(2026, 11, 2)
DAYS = st.dates(date(2025, 1, 1), date(2026, 12, 31))
OFFSETS = st.integers(-60, 120)


def residence(valid_until: date, permit_type: str = "work", in_force: bool = True) -> Held:
    return Held("residence-permit", permit_type, valid_until, in_force)


def test_a_residence_permit_forty_days_from_its_last_day_is_not_expiring_and_its_extension_is_due_in_ten():
    held = residence(ON + timedelta(days=40))
    assert holding.expiring(held, ON) is None
    extension = next(d for d in holding.duties(held, ON) if d.id == duties.EXTENSION)
    assert extension.due == ON + timedelta(days=10) and extension.window_from is None
    assert [str(c) for c in extension.cite] == [
        "Exit and Entry Administration Law of the People's Republic of China, Art. 32"
    ]


def test_inside_its_last_thirty_days_a_residence_permit_is_expiring_and_says_when_the_extension_was_due():
    held = residence(ON + timedelta(days=20))
    why = holding.expiring(held, ON)
    assert why is not None and why.duty.id == duties.EXTENSION
    assert why.why.en == (
        "Fewer than 30 days are left before it expires: its extension was to be applied for by 23 October 2026."
        " It can still be applied for while the permit is in force, until 22 November 2026; staying on after"
        " that day without a new permit is illegal residence (Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 25(1))."
    )
    assert (
        "2026年10月23日" in why.why.zh
        and "2026年11月22日" in why.why.zh
        and "第二十五条第（一）项" in why.why.zh
    )


def test_a_permit_is_expiring_on_its_last_day_and_brings_nothing_once_it_is_no_longer_in_force():
    assert holding.expiring(residence(ON), ON) is not None
    ended = residence(ON + timedelta(days=20), in_force=False)
    assert holding.expiring(ended, ON) is None
    assert holding.duties(ended, ON) == ()
    assert holding.procedures_for(ended, ON) == ()


def test_a_work_permit_renewed_with_the_residence_permit_ending_that_day_is_expiring_when_that_one_is():
    """The one-stop service renews the two permits together (bj-one-stop 3. The service scope (3)): a work
    permit ending the day a work-type residence permit in force does is expiring on the days that one is,
    for its reason; alone, or beside another, it has no duty of its own (Art. 32 binds the residence
    permit) and is not."""
    last = ON + timedelta(days=5)
    work_permit = Held(holding.WORK_PERMIT, "", last, True)
    soon = holding.expiring(work_permit, ON, (residence(last), work_permit))
    assert soon is not None and soon.duty == holding.expiring(residence(last), ON).duty
    assert soon.why.en.startswith(
        "It is renewed together with the work-type residence permit ending the same"
    )
    assert "两证联办" in soon.why.zh and "第二十五条第（一）项" in soon.why.zh
    assert holding.expiring(work_permit, ON) is None
    for other in (
        residence(last + timedelta(days=1)),
        residence(last, "study"),
        residence(last, in_force=False),
    ):
        assert holding.expiring(work_permit, ON, (other,)) is None, other
    later = Held(holding.WORK_PERMIT, "", ON + timedelta(days=40), True)
    assert holding.expiring(later, ON, (residence(ON + timedelta(days=40)),)) is None
    assert holding.expiring(Held(holding.WORK_PERMIT, "", last, False), ON, (residence(last),)) is None


def test_a_change_of_particulars_is_a_duty_of_the_residence_permit_without_a_date():
    change = next(
        d
        for d in holding.duties(residence(ON + timedelta(days=400)), ON)
        if d.id == duties.PARTICULARS_CHANGE
    )
    assert change.due is None


def test_a_pr_card_is_expiring_inside_its_renewal_month_and_not_the_day_before():
    card = Held("pr-card", "", date(2026, 12, 2), True)
    renewal = next(d for d in holding.duties(card, ON) if d.id == duties.PR_CARD_RENEWAL)
    assert (renewal.window_from, renewal.due) == (ON, date(2026, 12, 2))
    assert holding.expiring(card, ON) is not None
    assert holding.expiring(card, ON - timedelta(days=1)) is None


def test_the_procedures_for_a_permit_are_those_the_catalog_says_act_on_its_kind_and_type():
    study = [p.id for p in holding.procedures_for(residence(ON + timedelta(days=200), "study"), ON)]
    assert study == ["rp-extension", "rp-renewal", "rp-reissue", "study-part-time-endorsement"]
    work_permit = Held(holding.WORK_PERMIT, "", ON + timedelta(days=200), True)
    assert [p.id for p in holding.procedures_for(work_permit, ON)] == [
        "one-stop-work-permits-renewal",
        "one-stop-work-permits-transfer",
    ]
    assert holding.procedures_for(Held("stay-permit", "", ON, True), ON) == ()


@pytest.mark.parametrize("kind", ["residence-permit", "pr-card", "visa", "stay-permit", "exit-document"])
@pytest.mark.parametrize("permit_type", ["", "work", "study", "private-affairs"])
def test_every_procedure_offered_acts_on_the_permit_held_and_none_is_a_first_application(kind, permit_type):
    offered = holding.procedures_for(Held(kind, permit_type, ON + timedelta(days=90), True), ON)
    for procedure in offered:
        work = procedure.casework
        assert work.action != "issue" and work.permit == kind
        assert work.permit_type in (None, permit_type or None)
    matching = [
        p
        for p in catalog().procedures.values()
        if p.casework.action != "issue"
        and p.casework.permit == kind
        and p.casework.permit_type in (None, permit_type or None)
    ]
    own_type = {(p.casework.action, p.casework.with_work_permit) for p in matching if p.casework.permit_type}
    expected = {
        p.id
        for p in matching
        if p.casework.permit_type or (p.casework.action, p.casework.with_work_permit) not in own_type
    }
    assert {p.id for p in offered} == expected
    assert len({(p.casework.action, p.casework.with_work_permit) for p in offered}) == len(offered)


def test_a_personal_affairs_permit_is_extended_by_the_personal_affairs_extension_not_the_any_type_one():
    private = [
        p.id for p in holding.procedures_for(residence(ON + timedelta(days=200), "private-affairs"), ON)
    ]
    assert "rp-personal-affairs-extension" in private and "rp-extension" not in private
    assert "rp-renewal" in private  # no type of its own: the any-type renewal


@given(DAYS, OFFSETS)
def test_a_residence_permit_is_expiring_exactly_when_its_extension_is_late(on: date, offset: int):
    last_day = on + timedelta(days=offset)
    late = duties.extension_late(last_day, on)
    assert (holding.expiring(residence(last_day), on) is not None) == (late is not None)


@given(DAYS, OFFSETS)
def test_a_pr_card_is_expiring_exactly_when_its_renewal_window_is_open(on: date, offset: int):
    last_day = on + timedelta(days=offset)
    card = Held("pr-card", "", last_day, True)
    assert (holding.expiring(card, on) is not None) == (duties.pr_card_renewal_open(last_day, on) is not None)


@given(st.dates(date(2024, 1, 1), date(2026, 11, 30)))
def test_the_duty_after_entry_falls_on_the_day_the_compliance_scan_counts(entry: date):
    answer = holding.after_entry(entry, entry + timedelta(days=5))
    assert answer.due == duties.residence_permit_due(entry)
    assert answer.id == duties.PERMIT_AFTER_ENTRY
    assert [str(c) for c in answer.cite][
        0
    ] == "Exit and Entry Administration Law of the People's Republic of China, Art. 30"


def test_the_duty_after_entry_counts_the_days_the_visa_states():
    """Regulations Art. 9: the visa authority specifies on the visa the time limit for the residence permit."""
    entry = date(2026, 3, 2)
    answer = holding.after_entry(entry, entry, within_days=10)
    assert answer.due == date(2026, 3, 12) == duties.residence_permit_due(entry, 10)
    assert answer.text.en == "Apply for a residence permit within 10 days of entry"
    assert "10日内" in answer.text.zh
    assert "regulations: Art. 9" in {f"{c.source}: {c.section}" for c in answer.cite}
    assert holding.after_entry(entry, entry).text.en == "Apply for a residence permit within 30 days of entry"


@pytest.mark.parametrize("permit_type", ["work", "study", "journalist", "family-reunion", "private-affairs"])
def test_the_duties_of_every_residence_permit_cite_the_law_that_sets_them_for_every_type(permit_type):
    """Exit and Entry Administration Law Arts. 32 and 33 set the 30 and 10 days for every residence permit;
    the personal-affairs guide (Legal Reminders 2, 4) only repeats them, and governs no work or study permit."""
    held = residence(ON + timedelta(days=90), permit_type)
    cites = {d.id: [str(c) for c in d.cite] for d in holding.duties(held, ON)}
    assert cites[duties.EXTENSION] == [
        "Exit and Entry Administration Law of the People's Republic of China, Art. 32"
    ]
    assert cites[duties.PARTICULARS_CHANGE] == [
        "Exit and Entry Administration Law of the People's Republic of China, Art. 33"
    ]


@pytest.mark.parametrize(
    "procedure_id", ["rp-work", "rp-study", "rp-personal-affairs", "one-stop-work-permits", "rp-extension"]
)
def test_what_follows_a_procedure_holds_every_duty_my_permits_dates_for_the_permit_it_leads_to(procedure_id):
    procedure = catalog().procedure(procedure_id)
    work = procedure.casework
    held = Held(work.permit, work.permit_type or "work", ON + timedelta(days=400), True)
    follows = [o.id for o in acting.what_follows(procedure, ON)]
    assert len(follows) == len(set(follows))
    assert {d.id for d in holding.duties(held, ON)} <= set(follows)
    assert duties.EXTENSION in follows
    assert {o.id for o in procedure.obligations} <= set(follows)


def test_a_change_of_particulars_on_a_day_the_registry_records_is_dated_from_that_day():
    held = Held("residence-permit", "work", ON + timedelta(days=400), True, changed_on=date(2026, 11, 27))
    change = next(d for d in holding.duties(held, ON) if d.id == duties.PARTICULARS_CHANGE)
    assert change.due == date(2026, 12, 7) == duties.particulars_change_due(date(2026, 11, 27))


@given(st.dates(date(2024, 1, 1), date(2026, 11, 30)))
def test_the_change_of_particulars_falls_on_the_day_the_reminders_and_the_scan_count(change: date):
    held = Held("residence-permit", "study", change + timedelta(days=400), True, changed_on=change)
    answer = next(
        d for d in holding.duties(held, change + timedelta(days=3)) if d.id == duties.PARTICULARS_CHANGE
    )
    assert answer.due == duties.particulars_change_due(change)


def test_a_work_permit_bears_none_of_the_residence_permit_duties():
    """Exit and Entry Administration Law Arts. 30, 32 and 33 bind residence permits: the one-stop extension
    acts on the work permit too, but its residence-permit duties do not fall on the work permit, so it has
    no duty and is never "expiring" by one; the residence permit beside it still is."""
    work_permit = Held(holding.WORK_PERMIT, "", ON + timedelta(days=5), True)
    assert holding.duties(work_permit, ON) == ()
    assert holding.expiring(work_permit, ON) is None
    assert holding.procedures_for(work_permit, ON)  # the one-stop procedures still act on it
    work_rp = Held("residence-permit", "work", ON + timedelta(days=5), True)
    assert holding.expiring(work_rp, ON).duty.id == duties.EXTENSION


def test_a_work_permit_ending_the_same_day_puts_the_one_stop_extension_of_both_first():
    """Seed 002, 3. (3): the one-stop service renews the two permits together, so where the work permit
    ends the day the work-type residence permit does, its extension of both is what is offered first."""
    last = ON + timedelta(days=20)
    rp = residence(last, "work")
    alone = [p.id for p in holding.procedures_for(rp, ON)]
    assert alone.index("rp-extension") < alone.index("one-stop-work-permits-renewal")
    together = [p.id for p in holding.procedures_for(rp, ON, (Held(holding.WORK_PERMIT, "", last, True),))]
    assert together[0] == "one-stop-work-permits-renewal" and sorted(together) == sorted(alone)
    for other in (
        Held(holding.WORK_PERMIT, "", last + timedelta(days=1), True),  # another day
        Held(holding.WORK_PERMIT, "", last, False),  # no longer in force
        Held("residence-permit", "work", last, True),  # not a work permit
    ):
        assert [p.id for p in holding.procedures_for(rp, ON, (other,))] == alone
    study = residence(last, "study")
    assert holding.procedures_for(study, ON, (Held(holding.WORK_PERMIT, "", last, True),)) == (
        holding.procedures_for(study, ON)
    )


def test_a_permit_lost_or_stolen_is_reissued_in_its_place_and_no_other_ending_offers_a_procedure() -> None:
    lost = ground("void-damaged-lost-stolen-robbed")
    assert [p.id for p in holding.in_place_of("residence-permit", lost.cite)] == ["rp-reissue"]
    assert holding.in_place_of("residence-permit", ground("void-ordered-out-not-confiscated").cite) == ()
    assert holding.in_place_of("residence-permit", ()) == ()
