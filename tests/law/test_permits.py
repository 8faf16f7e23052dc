"""Permit validity ranges (Exit-Entry Law Arts. 30, 34; PR card by age) and the last valid day."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.catalog import catalog
from exitentry.law.facts import Duration
from exitentry.law.rules.permits import ValidityOutOfRange, last_valid_day, longest_validity, validity_range

D = date.fromisoformat
P = Duration.parse


@pytest.mark.parametrize(
    ("permit", "permit_type", "validity", "allowed"),
    [
        pytest.param("residence-permit", "work", "P90D", True, id="a work permit of 90 days is allowed"),
        pytest.param("residence-permit", "work", "P89D", False, id="a work permit of 89 days is not"),
        pytest.param("residence-permit", "study", "P90D", False, id="a study permit of 90 days is not"),
        pytest.param(
            "residence-permit", "private-affairs", "P180D", True, id="private affairs 180 days is allowed"
        ),
        pytest.param(
            "residence-permit", "family-reunion", "P5Y", True, id="family reunion 5 years is allowed"
        ),
        pytest.param("residence-permit", "journalist", "P5Y1D", False, id="5 years and a day is not"),
        pytest.param("stay-permit", None, "P180D", True, id="a stay permit of 180 days is allowed"),
        pytest.param("stay-permit", None, "P181D", False, id="a stay permit of 181 days is not"),
    ],
)
def test_a_validity_is_checked_against_the_law(
    permit: str, permit_type: str | None, validity: str, allowed: bool
) -> None:
    rng = validity_range(permit, permit_type, D("2026-11-24"))
    assert rng is not None
    if allowed:
        rng.check(P(validity), D("2026-11-24"), None)
    else:
        with pytest.raises(ValidityOutOfRange, match="Art. 3"):
            rng.check(P(validity), D("2026-11-24"), None)


def test_a_pr_card_is_issued_for_five_years_under_18_and_ten_years_from_18() -> None:
    rng = validity_range("pr-card", None, D("2026-11-24"))
    rng.check(P("P5Y"), D("2026-11-24"), D("2010-01-01"))
    rng.check(P("P10Y"), D("2026-11-24"), D("2008-11-24"))
    with pytest.raises(ValidityOutOfRange, match="P10Y, not P5Y"):
        rng.check(P("P5Y"), D("2026-11-24"), D("1980-01-01"))
    with pytest.raises(ValidityOutOfRange, match="birth date"):
        rng.check(P("P10Y"), D("2026-11-24"), None)


def test_visas_and_exit_documents_have_no_validity_range_in_these_sources() -> None:
    assert validity_range("visa", None, D("2026-11-24")) is None
    assert validity_range("exit-document", None, D("2026-11-24")) is None


def test_a_one_year_permit_issued_on_10_january_2026_is_valid_until_9_january_2027() -> None:
    assert last_valid_day(D("2026-01-10"), P("P1Y")) == D("2027-01-09")


def test_a_permit_issued_on_31_january_for_one_month_is_valid_until_27_february() -> None:
    # One month after 31 January is 28 February (Civil Code Art. 202); the day of issue counts.
    assert last_valid_day(D("2026-01-31"), P("P1M")) == D("2026-02-27")


@pytest.mark.parametrize("procedure_id", sorted(catalog().procedures))
def test_every_procedure_that_issues_a_residence_or_stay_permit_has_a_validity_range(
    procedure_id: str,
) -> None:
    work = catalog().procedure(procedure_id).casework
    if work.action == "issue" and work.permit in ("residence-permit", "stay-permit", "pr-card"):
        assert validity_range(work.permit, work.permit_type, D("2026-11-24")) is not None


def test_a_visa_extension_approval_states_the_days_added_within_what_article_14_leaves() -> None:
    from exitentry.law.rules.permits import check_approval

    work = catalog().procedure("visa-extension").casework
    facts = {"original_stay_days": 30, "extended_stay_days_so_far": 20}
    check_approval(work, None, "P10D", D("2026-11-24"), None, facts)
    with pytest.raises(ValidityOutOfRange, match="P1D to P10D") as refused:
        check_approval(work, None, "P11D", D("2026-11-24"), None, facts)
    assert any(c.section == "Art. 14" for c in refused.value.cite)
    with pytest.raises(ValidityOutOfRange):
        check_approval(work, None, "P1M", D("2026-11-24"), None, facts)


def test_an_endorsement_is_approved_without_a_validity() -> None:
    from exitentry.law.rules.permits import check_approval

    work = catalog().procedure("study-part-time-endorsement").casework
    check_approval(work, "study", "", D("2026-11-24"), None, {})
    with pytest.raises(ValidityOutOfRange, match="without a validity"):
        check_approval(work, "study", "P1Y", D("2026-11-24"), None, {})


@pytest.mark.parametrize(
    ("procedure_id", "longest"),
    [
        ("rp-personal-affairs", "P5Y"),
        ("rp-work", "P5Y"),
        ("rp-extension", "P5Y"),  # of whatever type the permit held is
        ("pr-application", "P10Y"),
        ("stay-permit", "P180D"),
    ],
)
def test_the_longest_validity_of_a_procedures_permit_is_its_ranges_upper_bound(procedure_id, longest) -> None:
    casework = catalog().procedure(procedure_id).casework
    assert longest_validity(casework, date(2026, 11, 2)) == Duration.parse(longest)


def test_a_permit_the_sources_give_no_range_has_no_longest_validity() -> None:
    assert longest_validity(catalog().procedure("visa-renewal").casework, date(2026, 11, 2)) is None
