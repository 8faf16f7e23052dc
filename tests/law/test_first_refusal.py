"""Which refusal grounds an officer may cite, by what the application asks for.

Regulations Art. 21 lists grounds for not approving "the extension, renewal or reissuance of visas and
residence permits, or [the issue of] stay permits", not a first residence permit. For a first residence
permit the seeds say only that the Administration decides "whether to issue the permit" (Art. 18), that a
decision "not issuing foreigners' stay or residence permits" is final (seed 000 Legal Reminders 6, seed 002
Notes (5)). Art. 34(4) voids a permit already held where "visas or residence permits shall not be
issued as prescribed in Articles 21 and 31 of the Exit and Entry Administration Law": it is no ground for
refusing a first permit, but it names the Law's article that is (Art. 31, the residence permit's). Every
other procedure (permanent residence, the exit document, a change, an endorsement) is refused as not
meeting the conditions of its own source section, never on an article that does not say it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from exitentry.law.catalog import catalog
from exitentry.law.rules.grounds import (
    CONDITIONS_NOT_MET,
    UnknownGround,
    decision_ground,
    ground_for,
    refusal_ground,
    refusal_grounds,
    refusal_kind,
)

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
        pytest.param("visa-renewal", "refusal", id="Art. 21: 'renewal ... of visas'"),
        pytest.param("pr-application", "conditions-refusal", id="seed 001: not Art. 21"),
        pytest.param(
            "pr-card-renewal", "conditions-refusal", id="a PR card's renewal is not a residence permit's"
        ),
        pytest.param("pr-card-replacement", "conditions-refusal", id="a PR card's replacement"),
        pytest.param("exit-without-passport", "conditions-refusal", id="Art. 23: an exit document"),
        pytest.param("one-stop-work-permits-transfer", "conditions-refusal", id="seed 002: a change"),
        pytest.param("study-part-time-endorsement", "conditions-refusal", id="Art. 22: an endorsement"),
    ],
)
def test_the_grounds_offered_follow_what_is_applied_for(procedure_id: str, kind: str) -> None:
    assert refusal_kind(catalog().procedure(procedure_id).casework) == kind


CHANGED = date(2026, 12, 7)  # the day the first-refusal ground moved from Art. 34(4) to the Law's Art. 31


def test_a_first_residence_permit_is_refused_on_the_law_s_article_31_not_on_a_voiding_article() -> None:
    (found,) = refusal_grounds(catalog().procedure("rp-work"), CHANGED)
    assert found == ground_for("first-refusal", "first-refusal-law-art-31", CHANGED)
    assert [(c.source, c.section) for c in found.cite] == [("exit-entry-law", "Art. 31")]
    assert "Art. 31 of the Exit and Entry Administration Law" in found.text.en
    assert "出境入境管理法》第三十一条" in found.text.zh
    assert "34" not in found.item + found.text.en
    note = ground_kind_note("first-refusal")
    assert "Art. 34(4)" in note.en and "第三十四条第（四）项" in note.zh  # only where the seeds mention it


def ground_kind_note(kind: str):
    from exitentry.law.rules.grounds import ground_kind

    return ground_kind(kind).note


@pytest.mark.parametrize(
    ("procedure_id", "section"),
    [
        ("pr-application", ("bj-permanent-residence", "Introduction")),
        ("exit-without-passport", ("regulations", "Art. 23")),
        ("study-part-time-endorsement", ("regulations", "Art. 22")),
        ("one-stop-work-permits-transfer", ("bj-one-stop", "3. The service scope (2)")),
    ],
)
def test_a_procedure_art_21_does_not_reach_is_refused_on_its_own_conditions(procedure_id, section) -> None:
    procedure = catalog().procedure(procedure_id)
    (offered,) = refusal_grounds(procedure, ON)
    assert offered.id == CONDITIONS_NOT_MET
    assert section in [(c.source, c.section) for c in offered.cite]
    assert all(c.source != "regulations" or c.section != "Art. 21" for c in offered.cite)
    assert offered.text.en.startswith("Refused: the application does not meet the conditions of")
    assert offered.text.zh.startswith("不予批准：申请不符合")
    assert decision_ground(procedure, CONDITIONS_NOT_MET) == offered  # the decision reads it back
    with pytest.raises(UnknownGround):
        ground_for(refusal_kind(procedure.casework), "refusal-fraud", ON)


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


def test_a_ground_not_offered_for_a_procedure_refused_on_its_conditions_is_named_in_words() -> None:
    """The officer is told which ground to choose by its words, never by the internal ids."""
    with pytest.raises(UnknownGround) as refused:
        refusal_ground(catalog().procedure("study-part-time-endorsement"), "refusal-fraud", ON)
    said = refused.value.text
    assert "does not meet the conditions" in said.en and "不符合本事项依据规定的条件" in said.zh
    assert "refusal-" not in said.en + said.zh


def test_a_refusal_decided_before_the_change_keeps_its_article_34_4_ground() -> None:
    """The ground's id keeps its meaning: a refusal decided on 6 December cited Regulations Art. 34(4), and
    reads back so; from 7 December only the Law's Art. 31 ground is offered."""
    procedure = catalog().procedure("rp-work")
    (before,) = refusal_grounds(procedure, CHANGED - timedelta(days=1))
    assert before.id == "first-refusal-law-grounds" and before.item == "Art. 34(4)"
    assert decision_ground(procedure, "first-refusal-law-grounds") == before
    assert ("regulations", "Art. 34(4)") in [(c.source, c.section) for c in before.cite]
    with pytest.raises(UnknownGround) as refused:
        ground_for("first-refusal", "first-refusal-law-grounds", CHANGED)
    assert "first-refusal-law-art-31 (Art. 31)" in refused.value.text.en
    assert decision_ground(procedure, "first-refusal-law-art-31").item == "Art. 31"
