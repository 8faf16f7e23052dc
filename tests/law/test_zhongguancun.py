"""Scenarios from the Beijing guide on permanent residence for Zhongguancun foreign talents (seed 003)."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.advice import ANSWER_SECTIONS, COMPLETE, INELIGIBLE, NEEDS_FACTS, NotInForce, advise
from exitentry.law.facts import FactError

PR = "pr-zhongguancun"
ON = date(2026, 3, 31)
RECOMMENDED = {
    "zgc_talent": True,
    "zgc_score": 82,
    "zgc_recommendation_letter": True,
    "household_registration_in_china": False,
    "employer_211_or_first_batch": False,
    "formerly_chinese_citizen": False,
    "documents_in_foreign_language": False,
    "wants_chinese_name_on_card": False,
}
ALWAYS_REQUIRED = [
    "photos",
    "passport-and-residence-permits",
    "no-criminal-record",
    "employment-certificate",
    "tax-certificate",
    "public-institution-certificate",
    "work-permits-four-years",
    "resume",
    "medical-examination",
]


def facts(**changes: object) -> dict[str, object]:
    return {**RECOMMENDED, **changes}


def ids(answers) -> list[str]:
    return [a.id for a in answers]


@pytest.mark.parametrize(
    ("changes", "status", "failed"),
    [
        pytest.param({}, COMPLETE, [], id="a recommended talent scoring 82 may apply"),
        pytest.param({"zgc_score": 70}, COMPLETE, [], id="a score of exactly 70 is enough"),
        pytest.param({"zgc_score": 69}, INELIGIBLE, ["score"], id="a score of 69 is not enough"),
        pytest.param({"zgc_score": 100}, COMPLETE, [], id="the top score of 100 is enough"),
        pytest.param(
            {"zgc_talent": False},
            INELIGIBLE,
            ["zhongguancun-talent"],
            id="someone outside Zhongguancun cannot",
        ),
        pytest.param(
            {"zgc_recommendation_letter": False},
            INELIGIBLE,
            ["recommendation-letter"],
            id="without the committee's recommendation letter the route is closed",
        ),
        pytest.param(
            {"household_registration_in_china": True},
            INELIGIBLE,
            ["no-household-registration"],
            id="an uncancelled household registration bars the application",
        ),
    ],
)
def test_who_may_apply_through_the_zhongguancun_route(changes, status, failed):
    advice = advise(PR, facts(**changes), ON)
    assert advice.status == status
    assert [a.id for a in advice.eligibility if a.met is False] == failed
    assert all(a.failure is not None for a in advice.eligibility if a.met is False)


@pytest.mark.parametrize("score", [-1, 101], ids=["a negative score", "a score above 100"])
def test_a_score_outside_0_to_100_is_refused(score):
    with pytest.raises(FactError) as refused:
        advise(PR, facts(zgc_score=score), ON)
    assert refused.value.fact == "zgc_score"


def test_every_applicant_brings_the_listed_materials_and_a_recent_medical_certificate():
    assert ids(advise(PR, facts(), ON).materials) == ALWAYS_REQUIRED


@pytest.mark.parametrize(
    ("fact", "section", "line_id"),
    [
        pytest.param(
            "employer_211_or_first_batch", "materials", "project-211-approval", id="a Project 211 employer"
        ),
        pytest.param(
            "formerly_chinese_citizen", "materials", "former-chinese-citizen", id="a former Chinese citizen"
        ),
        pytest.param(
            "documents_in_foreign_language",
            "translation",
            "translate-foreign-language",
            id="foreign documents",
        ),
        pytest.param(
            "wants_chinese_name_on_card", "notes", "chinese-name-on-card", id="a Chinese name on the card"
        ),
    ],
)
def test_a_conditional_line_appears_only_when_its_fact_holds(fact, section, line_id):
    with_it = advise(PR, facts(**{fact: True}), ON)
    without = advise(PR, facts(**{fact: False}), ON)
    assert line_id in ids(getattr(with_it, section))
    assert line_id not in ids(getattr(without, section))
    (line,) = (a for a in getattr(with_it, section) if a.id == line_id)
    assert line.why is not None


def test_english_documents_are_translated_too():
    (line,) = advise(PR, facts(documents_in_foreign_language=True), ON).translation
    assert "English included" in line.text.en
    assert "含英文" in line.text.zh


@pytest.mark.parametrize(
    ("on", "earliest_issue"),
    [
        pytest.param(
            date(2026, 3, 31), date(2025, 9, 30), id="accepted 31 March: issued on or after 30 September"
        ),
        pytest.param(
            date(2026, 8, 31), date(2026, 2, 28), id="accepted 31 August: issued on or after 28 February"
        ),
    ],
)
def test_the_medical_certificate_is_issued_within_six_months_before_acceptance(on, earliest_issue):
    (health,) = advise(PR, facts(), on).health
    assert health.id == "medical-examination"
    assert health.window_from == earliest_issue


def test_the_first_application_costs_1500_and_the_card_300():
    advice = advise(PR, facts(), ON)
    assert [(a.id, a.amount_cny) for a in advice.fees] == [
        ("application-fee", 1500),
        ("card-production-fee", 300),
    ]
    assert advice.fee_total_cny == 1800


def test_only_the_reception_hall_and_zhongguancun_take_the_application():
    assert [h.id for h in advise(PR, facts(), ON).halls] == ["reception-hall", "zhongguancun"]


def test_the_notes_give_the_rules_on_copies_the_contact_numbers_and_no_invented_time_limit():
    advice = advise(PR, facts(), ON)
    assert ids(advice.notes) == [
        "consular-certification",
        "originals-and-a4-copies",
        "one-time-notice",  # Regulations Art. 18 para. 2 by analogy: a recorded choice
        "processing-time-not-stated",
        "approval-and-issue",
        "contact",
    ]
    assert advice.time_limits == ()
    (contact,) = (a for a in advice.notes if a.id == "contact")
    assert "84020101" in contact.text.en and "84015300" in contact.text.zh


def test_with_no_facts_the_route_asks_for_eligibility_first_and_guesses_nothing():
    advice = advise(PR, {}, ON)
    assert advice.status == NEEDS_FACTS
    assert [f.id for f in advice.missing] == [
        "zgc_talent",
        "zgc_score",
        "zgc_recommendation_letter",
        "household_registration_in_china",
        "employer_211_or_first_batch",
        "formerly_chinese_citizen",
        "documents_in_foreign_language",
        "wants_chinese_name_on_card",
    ]
    assert [a.met for a in advice.eligibility] == [None, None, None, None]
    assert ids(advice.materials) == ALWAYS_REQUIRED
    assert advice.translation == ()


def test_the_undated_guide_is_applied_from_2024():
    with pytest.raises(NotInForce):
        advise(PR, facts(), date(2023, 12, 31))
    assert advise(PR, facts(), date(2024, 1, 1)).status == COMPLETE


def test_every_line_of_advice_cites_its_source():
    every_condition = facts(
        employer_211_or_first_batch=True,
        formerly_chinese_citizen=True,
        documents_in_foreign_language=True,
        wants_chinese_name_on_card=True,
    )
    advice = advise(PR, every_condition, ON)
    answers = [a for name in ANSWER_SECTIONS for a in getattr(advice, name)]
    assert len(answers) > 20
    assert all(a.cite for a in answers)
