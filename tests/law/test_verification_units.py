"""Which units may ask for a foreigner's identity to be verified (Regulations Art. 27), from the law core."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.provisions import what_cites
from exitentry.law.rules import verification

ON = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("kind", "may"),
    [
        pytest.param("bank", True, id="finance"),
        pytest.param("school", True, id="education"),
        pytest.param("hospital", True, id="medical care"),
        pytest.param("telecom", True, id="telecommunications"),
        pytest.param("employer", True, id="an employer, read under the open list (such as)"),
        pytest.param("agency", False, id="a service agency acts for a person, it does not verify"),
        pytest.param("inviting", False, id="an inviting entity"),
        pytest.param("embassy", False, id="an unknown kind"),
    ],
)
def test_the_units_art_27_names_may_ask_for_verification(kind: str, may: bool) -> None:
    assert verification.may_request_verification(kind) is may


def test_the_verifying_kinds_are_said_once_for_every_page_and_refusal() -> None:
    assert set(verification.VERIFYING_KINDS) == {"bank", "school", "hospital", "telecom", "employer"}
    assert verification.VERIFIERS.en == "a bank, hospital, school, telecom operator or employer"
    assert verification.VERIFIERS.zh == "银行、医院、学校、电信运营商或用人单位"
    assert verification.VERIFIERS.zh in verification.NOT_A_VERIFIER.zh


def test_a_unit_that_may_not_verify_is_told_who_may_citing_art_27_in_both_languages() -> None:
    text = verification.NOT_A_VERIFIER
    assert "bank" in text.en and "telecom" in text.en and "Art. 27" in text.en
    assert "银行" in text.zh and "电信" in text.zh and "第二十七条" in text.zh


def test_art_27_is_cited_by_the_rule_that_decides_who_may_verify() -> None:
    refs = {(c.kind, c.ref) for c in what_cites("regulations", "Art. 27", ON)}
    assert ("rule-function", "exitentry.law.rules.verification.may_request_verification") in refs
