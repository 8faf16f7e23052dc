"""Which refusal grounds an officer may cite, by what the application asks for.

Regulations Art. 21 lists grounds for not approving "the extension, renewal or reissuance of visas and
residence permits, or [the issue of] stay permits", not a first residence permit. For a first residence
permit the seeds say only that the Administration decides "whether to issue the permit" (Art. 18), that a
decision "not issuing foreigners' stay or residence permits" is final (seed 000 Legal Reminders 6, seed 002
Notes (5)), and that a residence permit "shall not be issued" in the circumstances of Arts. 21 and 31 of
the Exit and Entry Administration Law (Art. 34(4)), whose items the seeds do not give.
"""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.catalog import catalog
from exitentry.law.rules.grounds import UnknownGround, ground_for, refusal_kind

ON = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("procedure_id", "kind"),
    [
        pytest.param("rp-personal-affairs", "first-refusal", id="seed 000: a first personal-affairs permit"),
        pytest.param("rp-work", "first-refusal", id="Art. 16(1): a first work-type permit"),
        pytest.param("rp-study", "first-refusal", id="Art. 16(2): a first study permit"),
        pytest.param(
            "one-stop-work-permits", "first-refusal", id="seed 002: a first permit at the one-stop counter"
        ),
        pytest.param("rp-extension", "refusal", id="Art. 21: 'the extension ... of residence permits'"),
        pytest.param("rp-personal-affairs-extension", "refusal", id="seed 000: an extension"),
        pytest.param("one-stop-work-permits-renewal", "refusal", id="seed 002: the renewal is an extension"),
        pytest.param("rp-renewal", "refusal", id="Art. 21: 'renewal'"),
        pytest.param("rp-reissue", "refusal", id="Art. 21: 'reissuance'"),
        pytest.param("visa-extension", "refusal", id="Art. 21: 'the extension ... of visas'"),
        pytest.param("stay-permit", "refusal", id="Art. 21: 'or issue stay permits'"),
    ],
)
def test_the_grounds_offered_follow_what_is_applied_for(procedure_id: str, kind: str) -> None:
    assert refusal_kind(catalog().procedure(procedure_id).casework) == kind


def test_a_first_residence_permit_is_refused_only_on_the_law_s_grounds_the_seeds_name() -> None:
    found = ground_for("first-refusal", "first-refusal-law-grounds", ON)
    assert [(c.source, c.section) for c in found.cite] == [
        ("regulations", "Art. 34(4)"),
        ("exit-entry-law", "Art. 21"),
        ("exit-entry-law", "Art. 31"),
    ]
    assert found.text.zh == "有出境入境管理法第二十一条、第三十一条规定的不予签发居留证件情形的"


@pytest.mark.parametrize(
    "ground_id",
    [
        "refusal-materials-not-provided",
        "refusal-fraud",
        "refusal-unsuitable-after-violation",
        "refusal-other",
    ],
)
def test_an_article_21_ground_is_not_one_for_a_first_residence_permit(ground_id: str) -> None:
    with pytest.raises(UnknownGround) as refused:
        ground_for("first-refusal", ground_id, ON)
    assert "first-refusal-law-grounds" in refused.value.text.en
