"""A fee part the application ends without being charged says why, citing only the rules that say when that
part is charged (``law.fees``): the step or fee heading of its own guide, not every source of its fee line
(the Exit and Entry Administration Law's Art. 30 sets the validity ranges a residence permit's fee bands
follow, not when the fee is paid)."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.advice import advise
from exitentry.law.examples import eligible_facts
from exitentry.law.fees import Part, part_state, summary
from exitentry.law.sources import Citation

ON = date(2026, 3, 9)
# "Pay the application fee and pick up your documents"
ON_COLLECTION = Citation("bj-personal-affairs", "Steps")
AT_ACCEPTANCE = Citation("bj-permanent-residence", "Fees (Application)")  # "the fee for accepting ..."
AT_ISSUE = Citation("bj-permanent-residence", "Fees (Issuance)")  # "charged ... during the issuance"


def fee_lines(procedure_id: str):
    return {a.id: a for a in advise(procedure_id, eligible_facts(procedure_id, ON), ON).fees}


def test_a_refused_residence_permits_fee_cites_the_step_that_has_it_paid_on_collection_not_art_30() -> None:
    (line,) = fee_lines("rp-personal-affairs").values()
    assert Citation("exit-entry-law", "Art. 30") in line.cite  # the fee line's bands: the validity ranges
    state = part_state(line, 0, waived=False, due="not_charged", stage="refused")
    assert state.id == "not_charged"
    assert state.why.en.startswith("The application was refused: no permit is issued")
    assert state.cite == (ON_COLLECTION,)


@pytest.mark.parametrize(
    ("procedure_id", "line_id", "cited"),
    [
        ("pr-application", "application-fee", (AT_ACCEPTANCE,)),
        ("pr-application", "card-production-fee", (AT_ISSUE,)),
        ("pr-zhongguancun", "application-fee", (AT_ACCEPTANCE,)),
        ("pr-zhongguancun", "card-production-fee", (AT_ISSUE,)),
        ("rp-personal-affairs-extension", "residence-permit-fee", (ON_COLLECTION,)),
        ("pr-card-renewal", "card-fee", (Citation("bj-permanent-residence", "Fees (Expiry)"),)),
        ("pr-card-reissue", "card-fee", (Citation("bj-permanent-residence", "Fees (Loss or damage)"),)),
    ],
)
def test_a_part_not_charged_cites_only_the_source_that_says_when_it_is_charged(
    procedure_id, line_id, cited
) -> None:
    line = fee_lines(procedure_id)[line_id]
    for stage in ("withdrawn", "expired"):
        assert part_state(line, 0, waived=False, due="not_charged", stage=stage).cite == cited


def test_a_part_charged_says_no_why_and_cites_nothing() -> None:
    lines = fee_lines("pr-application")
    for line in lines.values():
        for due in ("now", "later"):
            state = part_state(line, 0, waived=False, due=due, stage="held")
            assert (state.why, state.cite) == (None, ())
    paid = part_state(lines["application-fee"], 1500, waived=False, due="now", stage="refused")
    assert (paid.id, paid.why, paid.cite) == ("paid", None, ())


def test_the_summary_of_a_refused_application_cites_only_the_part_not_charged() -> None:
    """Permanent residence refused: the application fee was charged (and paid) on acceptance, the card fee
    is not charged; the summary's why cites the card fee's rule, not the application fee's."""
    lines = fee_lines("pr-application")
    application = part_state(lines["application-fee"], 1500, waived=False, due="now", stage="refused")
    card = part_state(lines["card-production-fee"], 0, waived=False, due="not_charged", stage="refused")
    said = summary([Part(1500, 1500, application), Part(300, 0, card)])
    assert said.text.en == "Due CNY 1,500, paid CNY 1,500. CNY 300 is not charged."
    assert said.cite == (AT_ISSUE,)


def test_the_summary_of_a_withdrawn_application_cites_the_rule_of_each_part_not_charged() -> None:
    lines = fee_lines("pr-application")
    ended = [
        Part(line.amount_cny, 0, part_state(line, 0, waived=False, due="not_charged", stage="withdrawn"))
        for line in lines.values()
    ]
    said = summary(ended)
    assert said.text.en == "Nothing is due." and said.why.en.startswith("The application was withdrawn")
    assert said.cite == (AT_ACCEPTANCE, AT_ISSUE)
