"""Answers stored before a check existed (a validity "six months", a number out of range, a birth date after
the day): ``advise_stored`` treats such an answer as unanswered, so the rules ask it again, and says why it
no longer fits with the rule that reads it and its source; ``advise`` still refuses it as input."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.advice import COMPLETE, NEEDS_FACTS, advise, advise_stored
from exitentry.law.examples import eligible_facts
from exitentry.law.facts import FactError

ON = date(2026, 11, 23)


def stored(procedure_id: str, **bad: object) -> dict[str, object]:
    return {**eligible_facts(procedure_id, ON), **bad}


@pytest.mark.parametrize(
    ("procedure_id", "fact", "value", "why", "rule", "article"),
    [
        pytest.param(
            "rp-personal-affairs-extension",
            "validity",
            "six months",
            "Give a length in years, months and days",
            "The validity applied for is between 180 days and 5 years",
            "Art. 30",
            id="a validity in words",
        ),
        pytest.param(
            "stay-permit",
            "stay_permit_days",
            5000,
            "Enter a number no larger than 3650.",
            "The stay permit asked for is for at most 180 days",
            "Art. 34",
            id="a number out of range",
        ),
    ],
)
def test_an_answer_that_no_longer_fits_is_asked_again_with_its_rule(
    procedure_id, fact, value, why, rule, article
):
    facts = stored(procedure_id, **{fact: value})
    with pytest.raises(FactError):
        advise(procedure_id, facts, ON)
    advice = advise_stored(procedure_id, facts, ON)
    assert advice.status == NEEDS_FACTS
    assert fact in {f.id for f in advice.missing} and fact not in advice.facts
    (unfit,) = advice.unfit
    assert unfit.fact == fact and unfit.value == value
    assert why in unfit.text.en and unfit.text.zh
    assert unfit.rule is not None and rule in unfit.rule.en
    assert any(article in c.label.en for c in unfit.cite)


def test_a_birth_date_after_the_day_is_asked_again():
    facts = stored("rp-personal-affairs-extension", birth_date="2099-01-01")
    advice = advise_stored("rp-personal-affairs-extension", facts, ON)
    assert [u.fact for u in advice.unfit] == ["birth_date"]
    assert "birth_date" in {f.id for f in advice.missing}


def test_answers_that_fit_give_the_same_advice_as_advise():
    facts = stored("rp-personal-affairs-extension")
    advice = advise_stored("rp-personal-affairs-extension", facts, ON)
    assert advice.status == COMPLETE and advice.unfit == ()
    assert advice == advise("rp-personal-affairs-extension", facts, ON)


def test_an_answer_the_procedure_does_not_ask_is_left_out_and_named_never_asked_again():
    """A fact the procedure does not ask (another procedure's, one derived from other answers, a name gone
    from the catalog) is not read, not asked again, and not called unfit, whether it fits or not."""
    facts = stored("rp-personal-affairs-extension", stay_permit_days=5000, age=40, no_such_fact="x")
    advice = advise_stored("rp-personal-affairs-extension", facts, ON)
    assert advice.status == COMPLETE
    assert advice.not_asked == ("stay_permit_days", "age", "no_such_fact")
    assert advice.unfit == ()
    assert not {"stay_permit_days", "age", "no_such_fact"} & {f.id for f in advice.missing}
    assert (
        advise_stored("rp-personal-affairs-extension", stored("rp-personal-affairs-extension"), ON).not_asked
        == ()
    )
