"""The law's numbers are dated parameters: a change of the law on a date is a new dated value in a data
file, and the advice follows it from that day, with no code edited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from exitentry.law.advice import COMPLETE, advise
from exitentry.law.catalog import load_catalog
from exitentry.law.files import PARAMETERS_DIR, CatalogError
from exitentry.law.parameters import ParameterNotInForce, load_parameters, parameters
from exitentry.law.rules.enforcement import ExitDeadlineTooLong, exit_deadline
from exitentry.law.rules.permits import validity_range
from exitentry.law.sources import cite

D = date.fromisoformat
# A 36-year-old visiting family on a Q2 visa, asking for two years (the 1-to-3-year fee band).
FAMILY_VISIT = {
    "household_registration_in_china": False,
    "ground": "family",
    "family_relation": "spouse",
    "visa_category": "Q2",
    "documents_issued_abroad": False,
    "birth_date": "1990-05-01",
    "validity": "P2Y",
    "first_application_in_china": False,
    "limited_mobility": False,
    "high_level_talent": False,
    "documents_in_other_language": False,
    "visa_requires_residence_permit": False,
    "health_certificate_issue_date": "2027-05-01",
}
FEE_FROM_JULY_2027 = """
residence-permit-fee-1-to-3-years:
  values:
    2027-07-01: {value: 900, cite: "bj-personal-affairs: Timeline and Fees"}
"""


def catalog_with(tmp_path: Path, added: str):
    """The packaged catalog with the dated values of ``added`` (a parameter file) on top."""
    (tmp_path / "added.yaml").write_text(added, encoding="utf-8")
    return load_catalog(with_parameters=load_parameters((PARAMETERS_DIR, tmp_path)))


def fees(cat, on: date) -> tuple[str, list[int | None], int | None]:
    advice = advise("rp-personal-affairs", FAMILY_VISIT, on, in_catalog=cat)
    return advice.status, [a.amount_cny for a in advice.fees], advice.fee_total_cny


def test_a_fee_band_raised_from_1_july_2027_is_charged_from_that_day_and_not_the_day_before(tmp_path) -> None:
    cat = catalog_with(tmp_path, FEE_FROM_JULY_2027)
    assert fees(cat, D("2027-06-30")) == (COMPLETE, [800], 800)
    assert fees(cat, D("2027-07-01")) == (COMPLETE, [900], 900)
    assert cat.parameters["residence-permit-fee-1-to-3-years"].value_on(D("2027-07-01")).cite[0].section == (
        "Timeline and Fees"
    )


def test_the_packaged_catalog_keeps_the_fee_after_july_2027() -> None:
    assert advise("rp-personal-affairs", FAMILY_VISIT, D("2027-07-01")).fee_total_cny == 800


def test_a_fee_band_bound_moved_from_a_date_moves_a_validity_into_the_lower_band_from_that_day(
    tmp_path,
) -> None:
    cat = catalog_with(
        tmp_path,
        """
residence-permit-fee-middle-band-from:
  values:
    2027-07-01: {value: P2Y6M, cite: "bj-personal-affairs: Timeline and Fees"}
""",
    )
    assert fees(cat, D("2027-06-30")) == (COMPLETE, [800], 800)  # P2Y is in the 1-3 years band
    assert fees(cat, D("2027-07-01")) == (COMPLETE, [400], 400)  # and below the moved bound
    help_text = cat.facts_on(D("2027-07-01"))["validity"].help
    assert "180 days to 5 years" in help_text.en and "180日至5年" in help_text.zh


def test_fact_texts_take_their_numbers_from_the_parameters_of_the_day(tmp_path) -> None:
    cat = catalog_with(
        tmp_path,
        """
stay-permit-validity-maximum:
  values:
    2027-07-01: {value: 90, cite: "exit-entry-law: Art. 34"}
""",
    )
    before, after = (cat.facts_on(D(day))["stay_permit_days"].help for day in ("2027-06-30", "2027-07-01"))
    assert "at most 180 days" in before.en and "最长为180日" in before.zh
    assert "at most 90 days" in after.en and "最长为90日" in after.zh
    assert "{" not in before.en + after.zh


def test_a_shorter_receipt_validity_changes_the_text_and_the_due_date_together(tmp_path) -> None:
    cat = catalog_with(
        tmp_path,
        """
residence-permit-receipt-validity:
  values:
    2027-03-01: {value: 10, cite: "regulations: Art. 18"}
""",
    )
    before = advise("rp-personal-affairs", FAMILY_VISIT, D("2027-02-26"), in_catalog=cat)
    after = advise("rp-personal-affairs", FAMILY_VISIT, D("2027-03-01"), in_catalog=cat)
    (old,) = [a for a in before.time_limits if a.id == "receipt-validity"]
    (new,) = [a for a in after.time_limits if a.id == "receipt-validity"]
    assert (old.working_days, new.working_days) == (15, 10)
    assert "at most 15 working days" in old.text.en and "最长不超过15个工作日" in old.text.zh
    assert "at most 10 working days" in new.text.en and "最长不超过10个工作日" in new.text.zh
    assert new.due == D("2027-03-15")  # ten weekdays after Monday 1 March (2027 is not published)


def test_a_parameter_asked_for_before_its_first_value_is_an_error_naming_it_and_the_day() -> None:
    with pytest.raises(ParameterNotInForce) as raised:
        parameters().value("pr-application-fee", D("2023-12-31"))
    assert raised.value.parameter_id == "pr-application-fee"
    assert "2023-12-31" in str(raised.value) and "2024-01-01" in str(raised.value)


def test_an_advice_on_a_day_a_number_it_needs_is_repealed_refuses_naming_the_parameter(tmp_path) -> None:
    cat = catalog_with(
        tmp_path,
        """
personal-affairs-processing:
  values:
    2028-01-01: {value: null, cite: "bj-personal-affairs: Timeline and Fees"}
""",
    )
    assert advise("rp-personal-affairs", FAMILY_VISIT, D("2027-12-31"), in_catalog=cat).time_limits
    with pytest.raises(
        ParameterNotInForce, match="'personal-affairs-processing' has no value in force on 2028-01-03"
    ):
        advise("rp-personal-affairs", FAMILY_VISIT, D("2028-01-03"), in_catalog=cat)


@pytest.mark.parametrize(
    ("raw", "unit", "message"),
    [
        pytest.param(15, "working_days", "name the number's parameter", id="a bare number"),
        pytest.param(
            {"param": "no-such-number"}, "working_days", "unknown parameter", id="an unknown parameter"
        ),
        pytest.param({"param": "pr-application-fee"}, "working_days", "is in cny", id="a fee used as days"),
    ],
)
def test_a_data_file_must_name_a_known_parameter_of_the_right_unit(raw, unit: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        parameters().ref(raw, unit, "test line")


def test_the_exit_deadline_maximum_is_read_on_the_day_of_the_order(tmp_path) -> None:
    (tmp_path / "added.yaml").write_text(
        """
exit-deadline-maximum:
  values:
    2027-01-01: {value: 20, cite: "regulations: Art. 33"}
""",
        encoding="utf-8",
    )
    params = load_parameters((PARAMETERS_DIR, tmp_path))
    with pytest.raises(ExitDeadlineTooLong, match="at most 15 days"):
        exit_deadline(D("2026-12-31"), 20, params=params)
    assert exit_deadline(D("2027-01-01"), 20, params=params).last_day == D("2027-01-21")


def test_the_pr_card_validity_by_age_follows_its_parameters() -> None:
    rng = validity_range("pr-card", None, D("2026-11-24"))
    assert rng is not None
    assert str(rng.fixed_for(D("2008-11-25"), D("2026-11-24"))) == "P5Y"  # 17 the day before turning 18
    assert str(rng.fixed_for(D("2008-11-24"), D("2026-11-24"))) == "P10Y"  # 18 that day


def test_both_permanent_residence_routes_name_the_same_fee_parameters() -> None:
    cat = load_catalog()
    named = {
        pid: [rule.amount_cny.id for rule in cat.procedure(pid).rules["fees"]]  # type: ignore[union-attr]
        for pid in ("pr-application", "pr-zhongguancun")
    }
    assert named == {
        "pr-application": ["pr-application-fee", "pr-card-issue-fee"],
        "pr-zhongguancun": ["pr-application-fee", "pr-card-issue-fee"],
    }


def test_art_18s_fifteen_working_days_are_one_parameter_named_by_every_residence_permit_receipt() -> None:
    cat = load_catalog()
    receipts = {
        rule.working_days.id  # type: ignore[union-attr]
        for procedure in cat.procedures.values()
        for rule in procedure.rules["time_limits"]
        if rule.counts == "receipt-validity" and any(c.section == "Art. 18" for c in rule.cite)
    }
    assert receipts == {"residence-permit-receipt-validity"}
    assert cat.parameters.value("residence-permit-receipt-validity", D("2026-11-23")) == 15


def test_an_age_raised_from_a_date_changes_who_may_use_a_proxy_from_that_day(tmp_path) -> None:
    cat = catalog_with(
        tmp_path,
        """
proxy-age-from:
  values:
    2027-01-01: {value: 65, cite: "regulations: Art. 19(1)"}
""",
    )
    aged_62 = {**FAMILY_VISIT, "birth_date": "1964-06-01", "limited_mobility": False}

    def proxy(on: date) -> tuple[bool | None, str, str]:
        advice = advise("rp-personal-affairs", aged_62, on, in_catalog=cat)
        line = next(a for a in advice.submission if a.id == "proxy") if advice.proxy_allowed else None
        return advice.proxy_allowed, line.condition if line else "", line.why.en if line else ""

    allowed, condition, why = proxy(D("2026-12-31"))
    assert (allowed, "age ≥ 60" in condition, "aged 60 or over" in why) == (True, True, True)
    assert proxy(D("2027-01-01")) == (False, "", "")


def test_a_facts_help_cites_the_parameters_its_numbers_come_from(tmp_path) -> None:
    """The validity question's help gives the permits' validities (Exit-Entry Law Art. 30): the fact cites
    what its parameters cite on the day, a value's new citation from the day it takes effect."""
    cat = catalog_with(
        tmp_path,
        """
residence-permit-validity-maximum:
  values:
    2027-07-01: {value: P5Y, cite: "regulations: Art. 36"}
""",
    )
    before, after = (cat.facts_on(D(day))["validity"].cite for day in ("2027-06-30", "2027-07-01"))
    assert [str(c) for c in before] == [
        str(cite("exit-entry-law", "Art. 30")),
        str(cite("bj-personal-affairs", "Timeline and Fees")),
    ]
    assert cite("regulations", "Art. 36") in after and cite("exit-entry-law", "Art. 30") in after
    assert cat.facts_on(D("2027-07-01"))["birth_date"].cite == ()
