"""Ordinary visa categories (Regulations Art. 6), their materials (Art. 7) and interviews (Art. 8)."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.catalog import catalog
from exitentry.law.rules.visas import (
    UnknownVisaCategory,
    VisaCategoryNotInForce,
    interview_required,
    visa_categories,
    visa_category,
    visa_materials,
)

ON = date(2026, 11, 22)
BEFORE_K = date(2025, 9, 30)
K_FROM = date(2025, 10, 1)
CODES_2013 = ("C", "D", "F", "G", "J1", "J2", "L", "M", "Q1", "Q2", "R", "S1", "S2", "X1", "X2", "Z")
CODES_2025 = ("C", "D", "F", "G", "J1", "J2", "K", "L", "M", "Q1", "Q2", "R", "S1", "S2", "X1", "X2", "Z")


@pytest.mark.parametrize(
    ("on", "codes"),
    [
        pytest.param(
            date(2013, 9, 1), CODES_2013, id="on 1 September 2013 there are sixteen categories without K"
        ),
        pytest.param(BEFORE_K, CODES_2013, id="on 30 September 2025 the K visa does not exist yet"),
        pytest.param(K_FROM, CODES_2025, id="from 1 October 2025 the K visa exists"),
        pytest.param(date(2013, 8, 31), (), id="before the Regulations no category is encoded"),
    ],
)
def test_the_categories_in_force_on_a_day(on: date, codes: tuple[str, ...]) -> None:
    assert tuple(c.code for c in visa_categories(on)) == codes


def test_the_k_visa_is_refused_before_1_october_2025_naming_the_dates() -> None:
    with pytest.raises(
        VisaCategoryNotInForce, match="the K visa exists from 2025-10-01 to now, not on 2025-09-30"
    ):
        visa_category("K", BEFORE_K)


def test_the_k_visa_is_for_young_science_and_technology_talents() -> None:
    k = visa_category("K", K_FROM)
    assert "Young" in k.description.en and "青年科技人才" in k.description.zh
    assert [(c.source, c.section) for c in k.cite] == [("regulations", "Art. 6(6)")]


def test_an_unknown_category_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(UnknownVisaCategory, match="no ordinary visa category 'Y'"):
        visa_category("Y", ON)


def test_every_visa_category_the_facts_offer_is_a_category_of_art_6_and_back() -> None:
    offered = {o.value for o in catalog().facts["visa_category"].options} - {"residence-permit", "visa-free"}
    assert offered == {c.code for c in visa_categories(ON)}


@pytest.mark.parametrize(
    ("code", "own"),
    [
        pytest.param(
            "C",
            ("guarantee-or-invitation",),
            id="a C visa needs a transport company's guarantee or an invitation",
        ),
        pytest.param(
            "D", ("pr-confirmation-form",), id="a D visa needs the permanent residence confirmation form"
        ),
        pytest.param("F", ("invitation",), id="an F visa needs the inviting party's letter"),
        pytest.param("G", ("onward-ticket",), id="a G visa needs a confirmed onward ticket"),
        pytest.param(
            "J2", ("journalist-approval",), id="a J2 visa follows the journalist approval procedures"
        ),
        pytest.param(
            "K", ("young-talent-documents",), id="a K visa needs the young-talent supporting documents"
        ),
        pytest.param(
            "L",
            ("itinerary", "travel-agency-invitation"),
            id="an L visa needs an itinerary and, for a group, a travel agency invitation",
        ),
        pytest.param(
            "Q1",
            ("reunion-invitation-and-kinship", "power-of-attorney"),
            id="a Q1 visa needs kinship proof for reunion or a power of attorney for foster care",
        ),
        pytest.param("S1", ("family-visit-documents",), id="an S1 visa needs the family-visit documents"),
        pytest.param(
            "X1",
            ("admission-and-authority-documents",),
            id="an X1 visa needs the admission notice and the authority's documents",
        ),
        pytest.param("Z", ("work-permit",), id="a Z visa needs the work permit"),
    ],
)
def test_the_materials_of_a_visa_application(code: str, own: tuple[str, ...]) -> None:
    materials = visa_materials(code, ON)
    assert tuple(m.id for m in materials) == (
        "application-form",
        "passport",
        "photos",
        "purpose-materials",
        *own,
        "other-materials",
    )
    number = next(c.section for c in visa_category(code, ON).cite if c.section.startswith("Art. 6"))[
        len("Art. 6") :
    ]
    for material in materials[4:-1]:
        assert [(c.source, c.section) for c in material.cite] == [("regulations", f"Art. 7{number}")]
    assert materials[-1].cite[0].section == "Art. 7 para. 2"


def test_the_group_tourism_invitation_says_which_case_it_is_for() -> None:
    invitation = visa_materials("L", ON)[-2]
    assert invitation.case is not None and invitation.case.en == "for tourism in a group"


@pytest.mark.parametrize(
    ("facts", "required", "triggers", "missing"),
    [
        pytest.param(
            {"applying_for_residence": True},
            True,
            ("applying_for_residence",),
            (),
            id="an applicant entering to reside is interviewed",
        ),
        pytest.param(
            {"refused_entry_or_ordered_to_leave_before": True},
            True,
            ("refused_entry_or_ordered_to_leave_before",),
            (),
            id="an applicant once refused entry or ordered to leave is interviewed",
        ),
        pytest.param(
            {
                "applying_for_residence": False,
                "identity_or_purpose_needs_verification": False,
                "refused_entry_or_ordered_to_leave_before": False,
                "interview_otherwise_necessary": False,
            },
            False,
            (),
            (),
            id="an applicant with no trigger is not interviewed",
        ),
        pytest.param(
            {"applying_for_residence": False, "identity_or_purpose_needs_verification": False},
            None,
            (),
            ("refused_entry_or_ordered_to_leave_before", "interview_otherwise_necessary"),
            id="with two triggers unknown the answer waits for them",
        ),
        pytest.param(
            {
                "visa_category": "Z",
                "identity_or_purpose_needs_verification": False,
                "refused_entry_or_ordered_to_leave_before": False,
                "interview_otherwise_necessary": False,
            },
            True,
            ("applying_for_residence",),
            (),
            id="a Z visa applicant enters to reside and is interviewed",
        ),
        pytest.param(
            {
                "visa_category": "L",
                "identity_or_purpose_needs_verification": True,
            },
            True,
            ("identity_or_purpose_needs_verification",),
            (),
            id="a tourist whose identity needs checking is interviewed",
        ),
        pytest.param(
            {
                "visa_category": "R",
                "identity_or_purpose_needs_verification": False,
                "refused_entry_or_ordered_to_leave_before": False,
                "interview_otherwise_necessary": False,
            },
            None,
            (),
            ("applying_for_residence",),
            id="for an R visa the seed does not say whether it is for residence so that stays open",
        ),
    ],
)
def test_interview_triggers_for_a_visa_application_abroad(
    facts: dict, required: bool | None, triggers: tuple[str, ...], missing: tuple[str, ...]
) -> None:
    interview = interview_required(facts, ON)
    assert interview.required is required
    assert tuple(t.fact for t in interview.triggers) == triggers
    assert interview.missing == missing
    for trigger in interview.triggers:
        assert trigger.cite[0].section.startswith("Art. 8(")


def test_an_interview_fact_the_rules_do_not_know_is_refused() -> None:
    with pytest.raises(ValueError, match="not \\['criminal_record'\\]"):
        interview_required({"criminal_record": True}, ON)


def test_a_k_visa_interview_before_october_2025_is_refused() -> None:
    with pytest.raises(VisaCategoryNotInForce):
        interview_required({"visa_category": "K"}, BEFORE_K)
