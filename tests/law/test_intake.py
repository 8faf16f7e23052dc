"""Intake: who may submit, and the one-time list of missing materials (Regulations Arts. 13, 18, 19)."""

from __future__ import annotations

import copy
from datetime import date

import pytest

import exitentry.law.catalog as catalog_module
from exitentry.law.advice import advise
from exitentry.law.catalog import load_catalog
from exitentry.law.files import CatalogError
from exitentry.law.intake import (
    TRUSTEE_ID,
    FactsIncomplete,
    SubmissionRefused,
    answers_to_change,
    check_submitter,
    deficiencies,
    failed_by,
    required_items,
)

D = date.fromisoformat
ON = D("2026-11-24")
FAMILY = {
    "ground": "family",
    "family_relation": "spouse",
    "visa_category": "S1",
    "birth_date": "1990-01-01",
    "validity": "P2Y",
    "household_registration_in_china": False,
    "first_application_in_china": True,
    "health_certificate_issue_date": "2026-10-01",
    "limited_mobility": False,
    "high_level_talent": False,
    "documents_in_other_language": False,
    "visa_requires_residence_permit": False,
}


def family(**changes: object):
    return advise("rp-personal-affairs", {**FAMILY, **changes}, on=ON)


def test_an_s1_family_member_must_hand_in_passport_form_registration_relative_documents_and_health_certificate() -> (
    None
):
    ids = [item.id for item in required_items(family())]
    assert ids == [
        "passport",
        "application-form",
        "accommodation-registration",
        "family-member-travel-document",
        "visited-person-residence-permit",
        "family-certificate-letter",
        "health-certificate",
    ]


def test_the_one_time_list_names_every_item_not_received_in_one_go() -> None:
    found = deficiencies(family(), {"passport": None, "application-form": None})
    assert [(d.kind, d.item.id) for d in found] == [
        ("missing", "accommodation-registration"),
        ("missing", "family-member-travel-document"),
        ("missing", "visited-person-residence-permit"),
        ("missing", "family-certificate-letter"),
        ("missing", "health-certificate"),
    ]
    assert all(d.item.cite for d in found)


def test_nothing_is_deficient_when_every_item_is_received_in_order() -> None:
    advice = family()
    assert deficiencies(advice, {item.id: None for item in required_items(advice)}) == ()


def test_an_item_the_officer_marks_defective_is_listed_with_the_defect() -> None:
    from exitentry.law.text import Text

    advice = family()
    received = {item.id: None for item in required_items(advice)}
    received["application-form"] = Text("The photo is missing.", "缺少照片。")
    [found] = deficiencies(advice, received)
    assert (found.kind, found.item.id, found.reason.en) == (
        "defective",
        "application-form",
        "The photo is missing.",
    )


def test_a_health_certificate_older_than_six_months_is_defective_even_when_received() -> None:
    advice = family(health_certificate_issue_date="2026-04-01")
    received = {item.id: None for item in required_items(advice)}
    [found] = deficiencies(advice, received)
    assert found.item.id == "health-certificate"
    assert "valid until 1 October 2026;" in found.reason.en
    assert "有效期至2026年10月1日" in found.reason.zh


def test_the_list_is_refused_while_a_fact_the_rules_need_is_unknown() -> None:
    facts = dict(FAMILY)
    del facts["visa_category"]
    with pytest.raises(FactsIncomplete, match="visa_category"):
        required_items(advise("rp-personal-affairs", facts, on=ON))


def test_a_36_year_old_with_no_limited_mobility_may_not_apply_by_proxy() -> None:
    with pytest.raises(SubmissionRefused, match="in person") as refused:
        check_submitter(family(), "proxy")
    assert any(c.section == "Art. 16" for c in refused.value.cite)


def test_a_proxy_for_a_65_year_old_must_bring_a_copy_of_the_trustees_id() -> None:
    advice = family(birth_date="1961-01-01")
    check_submitter(advice, "agency")
    items = required_items(advice, "agency")
    assert items[-1].id == TRUSTEE_ID
    assert "trustee" in items[-1].text.en
    assert TRUSTEE_ID not in [i.id for i in required_items(advice, "self")]


def test_an_unknown_way_of_acting_is_refused() -> None:
    with pytest.raises(ValueError, match="acting_as"):
        check_submitter(family(), "cousin")


@pytest.mark.parametrize("acting_as", ["proxy", "unit", "agency"])
def test_a_family_member_unit_or_agency_may_apply_for_a_personal_affairs_applicant_over_60(acting_as) -> None:
    """Seed 000 Points for Attention 1: "the host organization, a family member of the applicant, or a
    specialized service agency may submit the application" for an applicant above 60."""
    check_submitter(family(birth_date="1960-01-01"), acting_as)


@pytest.mark.parametrize(
    ("line", "by"),
    [
        pytest.param(0, ["unit"], id="an in-person line names no submitter"),
        pytest.param(1, ["relative"], id="an unknown submitter"),
        pytest.param(1, [], id="an empty list"),
    ],
)
def test_the_catalog_refuses_a_submitter_list_it_cannot_hold(monkeypatch, line, by) -> None:
    """Loaded from the data as written, with one submission line of the personal-affairs guide changed."""
    read = catalog_module.read_yaml

    def changed(path):
        data = read(path)
        if path.name == "personal_affairs.yaml":
            data = copy.deepcopy(data)
            data[0]["submission"][line]["by"] = by
        return data

    monkeypatch.setattr(catalog_module, "read_yaml", changed)
    with pytest.raises(CatalogError, match="'by' is for a proxy line"):
        load_catalog()


# --- answers that fail a requirement on a derived fact -----------------------------------------------

# Within the cap of Regulations Art. 14, a derived fact asked as three numbers: 30 days of stay on the
# visa, 20 extended already, 20 more asked (40 > 30).
OVER_THE_CAP = {
    "original_stay_days": 30,
    "extended_stay_days_so_far": 20,
    "requested_extension_days": 20,
    "birth_date": "1985-06-01",
    "limited_mobility": False,
    "first_entry": False,
    "good_stay_record": False,
    "inviter_guarantees_expenses": False,
}
STAY_NUMBERS = ("original_stay_days", "extended_stay_days_so_far", "requested_extension_days")


def test_answers_failing_a_requirement_on_a_derived_fact_are_named_by_the_first_one_asked() -> None:
    """The cap reads ``extension_within_cap``, asked as the three numbers: given them, the refusal names the
    number asked first (the visa's days of stay), not the first by alphabet."""
    advice = advise("visa-extension", OVER_THE_CAP, on=ON)
    assert [f for f in advice.procedure.fact_order if f in STAY_NUMBERS] == list(STAY_NUMBERS)
    fact, requirement = failed_by(advice, STAY_NUMBERS)
    assert (fact, requirement.id) == ("original_stay_days", "within-extension-cap")
    assert answers_to_change(advice) == frozenset(STAY_NUMBERS)


def test_a_derived_fact_is_failed_only_by_the_answers_it_is_asked_as() -> None:
    advice = advise("visa-extension", OVER_THE_CAP, on=ON)
    assert failed_by(advice, ("requested_extension_days",)) is None  # the other two were not just given
    assert failed_by(advice, ("extension_within_cap",)) is None  # a derived fact is never an answer


def test_a_requirement_on_age_is_failed_by_the_birth_date_it_is_asked_as(monkeypatch) -> None:
    """A requirement on a fact derived from another (age, from the birth date): no catalog line reads age
    alone, so one is added to the stay permit's eligibility for the test."""
    read = catalog_module.read_yaml

    def changed(path):
        data = read(path)
        if path.parent.name == "procedures" and path.name == "regulations.yaml":
            data = copy.deepcopy(data)
            stay = next(p for p in data if p.get("id") == "stay-permit")
            stay["eligibility"].append(
                {
                    "id": "adult",
                    "text": {"en": "The applicant is 18 or over", "zh": "申请人年满18周岁"},
                    "require": {"age": {"gte": 18}},
                    "cite": ["regulations: Art. 13"],
                }
            )
        return data

    monkeypatch.setattr(catalog_module, "read_yaml", changed)
    cat = load_catalog()
    facts = {**OVER_THE_CAP, "stay_permit_days": 30, "birth_date": "2015-06-01"}
    del facts["original_stay_days"], facts["extended_stay_days_so_far"], facts["requested_extension_days"]
    advice = advise("stay-permit", facts, on=ON, in_catalog=cat)
    fact, requirement = failed_by(advice, ("birth_date",))
    assert (fact, requirement.id) == ("birth_date", "adult")
    assert answers_to_change(advice) == frozenset({"birth_date"})


def test_the_reasons_someone_else_may_apply_continue_the_sentence_after_the_colon():
    """``comes_in_person``: "only where:" is followed by the proxy rule's reason in lower case, one full stop
    at the end; in Chinese the reason follows the full-width colon, with one full stop."""
    from exitentry.law.intake import InPerson, comes_in_person

    facts = {
        **FAMILY,
        "ground": "family",
        "birth_date": "1985-06-01",
        "visa_category": "C",
        "documents_issued_abroad": False,
    }
    facts.pop("first_application_in_china", None)
    facts.pop("health_certificate_issue_date", None)
    told = comes_in_person(advise("rp-personal-affairs", facts, ON), "agency")
    assert isinstance(told, InPerson), told
    en, zh = told.text.en, told.text.zh
    assert "only where: the applicant is a high-level" in en and ": The" not in en
    assert en.endswith(".") and ".." not in en and ". ;" not in en
    assert "仅在以下情形可由他人代为申请：申请人属于" in zh and zh.endswith("。") and "。。" not in zh


def test_every_procedure_s_proxy_conditions_read_as_conditions_after_only_where():
    """``proxy_only_where``: for every procedure, what follows "only where:" is a condition (the applicant
    is ..., the inviter guarantees ...), never a permission ("the inviting unit ... may apply instead", "a
    proxy may apply for ..."): a proxy line's ``why`` is the condition, its ``text`` the permission. A
    procedure where someone else may always apply (a proxy line with no condition) has no "only where"."""
    from exitentry.law.catalog import catalog
    from exitentry.law.intake import proxy_only_where

    lead_en, lead_zh = "Someone else may apply for them only where: ", "仅在以下情形可由他人代为申请："
    seen = 0
    for procedure in catalog().procedures_on(ON):
        proxies = [r for r in procedure.rules.get("submission", ()) if r.mode == "proxy"]
        said = proxy_only_where(procedure)
        if not proxies or any(r.when.always for r in proxies):
            assert said is None, procedure.id
            continue
        seen += 1
        assert said is not None, procedure.id
        assert said.en.startswith(lead_en) and said.zh.startswith(lead_zh), (procedure.id, said)
        en, zh = said.en[len(lead_en) :], said.zh[len(lead_zh) :]
        for word in ("may apply", "may submit", "proxy", "instead"):
            assert word not in en, (procedure.id, en)
        assert "代为申请" not in zh and "代办" not in zh, (procedure.id, zh)
        assert en[0].islower() and en.endswith(".") and ".." not in en, (procedure.id, en)
        assert zh.endswith("。") and "。。" not in zh, (procedure.id, zh)
        for r in proxies:  # each reason is the condition the catalog gives the line
            assert r.why is not None, (procedure.id, r.id)
    assert seen >= 3


def test_an_applicant_who_filed_for_themself_hands_it_in_in_person_citing_article_16() -> None:
    """Regulations Art. 16: the applicant "shall go in person" to the exit-entry administration."""
    with pytest.raises(SubmissionRefused) as refused:
        check_submitter(family(), "self", applicant_present=False)
    assert [(c.source, c.section) for c in refused.value.cite] == [("regulations", "Art. 16")]
    text = refused.value.text
    assert "in person" in text.en and "Art. 16" in text.en and "Regulations" in text.en
    assert "本人到场" in text.zh and "第十六条" in text.zh and "条例》" in text.zh
    check_submitter(family(), "self", applicant_present=True)
