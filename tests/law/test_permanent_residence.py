"""Scenarios from the Beijing permanent-residence guide (seed 001): the general route and the ID card."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.advice import ANSWER_SECTIONS, COMPLETE, INELIGIBLE, NEEDS_FACTS, NotInForce, advise

ON = date(2026, 3, 9)
ELIGIBLE = {"pr_conditions_met": True, "household_registration_in_china": False}
CARD_PROCEDURES = ["pr-card-renewal", "pr-card-change", "pr-card-replacement", "pr-card-reissue"]


def ids(answers) -> list[str]:
    return [a.id for a in answers]


@pytest.mark.parametrize(
    ("facts", "status", "failed"),
    [
        pytest.param(ELIGIBLE, COMPLETE, [], id="a foreigner meeting the conditions may apply"),
        pytest.param(
            {**ELIGIBLE, "pr_conditions_met": False},
            INELIGIBLE,
            ["pr-conditions"],
            id="without a contribution or another condition the application fails",
        ),
        pytest.param(
            {**ELIGIBLE, "household_registration_in_china": True},
            INELIGIBLE,
            ["no-household-registration"],
            id="an uncancelled household registration bars the application",
        ),
    ],
)
def test_who_may_apply_for_permanent_residence(facts, status, failed):
    advice = advise("pr-application", facts, ON)
    assert advice.status == status
    assert [a.id for a in advice.eligibility if a.met is False] == failed


def test_the_application_costs_1500_and_the_card_300():
    advice = advise("pr-application", ELIGIBLE, ON)
    assert [(a.id, a.amount_cny) for a in advice.fees] == [
        ("application-fee", 1500),
        ("card-production-fee", 300),
    ]
    assert advice.fee_total_cny == 1800


def test_the_application_fee_is_paid_at_acceptance_and_the_card_fee_at_issue():
    advice = advise("pr-application", ELIGIBLE, ON)
    assert [(a.id, a.paid_at) for a in advice.fees] == [
        ("application-fee", "acceptance"),
        ("card-production-fee", "issue"),
    ]
    assert advice.fee_due_at_acceptance_cny == 1500
    assert advice.as_dict()["fees"][0]["paid_at"] == "acceptance"


@pytest.mark.parametrize("procedure", CARD_PROCEDURES)
def test_a_card_fee_is_paid_at_issue_so_nothing_is_due_at_acceptance(procedure):
    advice = advise(procedure, {}, ON)
    assert {a.paid_at for a in advice.fees} == {"issue"}
    assert advice.fee_due_at_acceptance_cny == 0


def test_with_no_facts_the_application_asks_for_the_conditions_then_the_registration():
    advice = advise("pr-application", {}, ON)
    assert advice.status == NEEDS_FACTS
    assert [f.id for f in advice.missing] == ["pr_conditions_met", "household_registration_in_china"]
    assert [a.met for a in advice.eligibility] == [None, None]
    assert advice.fee_total_cny is None


def test_the_application_states_what_the_sources_leave_open_instead_of_guessing():
    advice = advise("pr-application", ELIGIBLE, ON)
    assert advice.time_limits == ()
    assert advice.materials == ()
    assert {"processing-time-not-stated", "materials-not-listed"} <= set(ids(advice.notes))
    assert {"approval-and-issue", "collect-at-service-centre", "holder-rights"} <= set(ids(advice.notes))


@pytest.mark.parametrize("procedure", ["pr-application", *CARD_PROCEDURES])
def test_only_the_halls_that_accept_every_procedure_take_permanent_residence(procedure):
    assert [h.id for h in advise(procedure, {}, ON).halls] == ["reception-hall", "zhongguancun"]


@pytest.mark.parametrize(
    ("procedure", "amount"),
    [
        pytest.param("pr-card-renewal", 300, id="renewing an expiring card costs 300"),
        pytest.param("pr-card-change", 300, id="a change of content costs 300"),
        pytest.param("pr-card-replacement", 600, id="replacing a damaged card costs 600"),
        pytest.param("pr-card-reissue", 600, id="reissuing a lost card costs 600"),
    ],
)
def test_the_card_fee_follows_the_reason(procedure, amount):
    advice = advise(procedure, {}, ON)
    assert advice.status == COMPLETE
    assert [a.amount_cny for a in advice.fees] == [amount]
    assert advice.fee_total_cny == amount


@pytest.mark.parametrize("procedure", CARD_PROCEDURES)
def test_each_card_procedure_records_the_fee_reading_and_cites_both_guides(procedure):
    (reading,) = (a for a in advise(procedure, {}, ON).notes if a.id == "fee-reading")
    assert {c.source for c in reading.cite} == {"bj-permanent-residence", "bj-zgc-pr"}
    assert "300" in reading.text.en and "600" in reading.text.en
    assert "300" in reading.text.zh and "600" in reading.text.zh


@pytest.mark.parametrize(
    ("expiry", "window_from", "last_day"),
    [
        pytest.param(date(2026, 3, 31), date(2026, 2, 28), date(2026, 3, 31), id="a card expiring 31 March"),
        pytest.param(
            date(2026, 12, 31), date(2026, 11, 30), date(2026, 12, 31), id="a card expiring 31 December"
        ),
        pytest.param(date(2026, 7, 15), date(2026, 6, 15), date(2026, 7, 15), id="a card expiring mid-July"),
    ],
)
def test_a_card_is_renewed_within_one_month_before_it_expires(expiry, window_from, last_day):
    duty, follows = advise("pr-card-renewal", {"card_expiry_date": expiry.isoformat()}, ON).obligations
    assert duty.id == "pr-card-renewal-within-one-month-before-expiry"
    assert (duty.window_from, duty.due) == (window_from, last_day)
    # the new card's change of particulars follows, undated: the change is not known
    assert follows.id == "pr-card-change-within-one-month-after" and (follows.window_from, follows.due) == (
        None,
        None,
    )


@pytest.mark.parametrize(
    ("changed", "last_day"),
    [
        pytest.param(date(2026, 1, 31), date(2026, 2, 28), id="a change on 31 January: by 28 February"),
        pytest.param(date(2026, 5, 15), date(2026, 6, 15), id="a change on 15 May: by 15 June"),
    ],
)
def test_a_new_card_is_applied_for_within_one_month_after_a_change(changed, last_day):
    duty, follows = advise("pr-card-change", {"change_date": changed.isoformat()}, ON).obligations
    assert duty.id == "pr-card-change-within-one-month-after"
    assert (duty.window_from, duty.due) == (changed, last_day)
    assert follows.id == "pr-card-renewal-within-one-month-before-expiry" and follows.due is None


def test_without_the_expiry_date_the_renewal_duty_is_shown_without_dates():
    duty = advise("pr-card-renewal", {}, ON).obligations[0]
    assert duty.id == "pr-card-renewal-within-one-month-before-expiry"
    assert (duty.window_from, duty.due) == (None, None)


@pytest.mark.parametrize("procedure", ["pr-card-replacement", "pr-card-reissue"])
def test_a_damaged_or_lost_card_is_replaced_in_time_without_a_fixed_period(procedure):
    advice = advise(procedure, {"change_date": "2026-01-31", "card_expiry_date": "2026-03-31"}, ON)
    # only the duties of the card it replaces follow, undated, as its guide lists them
    assert ids(advice.obligations) == [
        "pr-card-renewal-within-one-month-before-expiry",
        "pr-card-change-within-one-month-after",
    ]
    assert all(a.due is None and a.window_from is None for a in advice.obligations)
    assert ids(advice.notes)[0] == "apply-in-time"


@pytest.mark.parametrize("procedure", ["pr-application", *CARD_PROCEDURES])
def test_the_undated_guide_is_applied_from_2024(procedure):
    with pytest.raises(NotInForce):
        advise(procedure, {}, date(2023, 12, 31))
    assert advise(procedure, {}, date(2024, 1, 1)).procedure.id == procedure


@pytest.mark.parametrize(
    ("procedure", "facts"),
    [
        pytest.param("pr-application", ELIGIBLE, id="an application"),
        pytest.param("pr-card-renewal", {"card_expiry_date": "2026-03-31"}, id="a renewal"),
        pytest.param("pr-card-change", {"change_date": "2026-01-31"}, id="a change"),
        pytest.param("pr-card-replacement", {}, id="a damaged card"),
        pytest.param("pr-card-reissue", {}, id="a lost card"),
    ],
)
def test_every_line_of_advice_cites_its_source(procedure, facts):
    advice = advise(procedure, facts, ON)
    answers = [a for name in ANSWER_SECTIONS for a in getattr(advice, name)]
    assert answers
    assert all(a.cite for a in answers)
