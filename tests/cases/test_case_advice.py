"""A case keeps the law core's advice for a day and its facts: asked twice, advised once; changed, advised anew."""

from __future__ import annotations

from datetime import timedelta

import pytest

from case_helpers import started
from exitentry.cases.models import Case
from factories import TODAY, applicant

pytestmark = pytest.mark.django_db


def test_the_same_day_and_facts_give_the_same_advice_and_other_facts_or_days_new_advice() -> None:
    case = Case.objects.get(pk=started(applicant(), "rp-work").pk)
    first = case.advice_on(TODAY)
    assert case.advice_on(TODAY) is first
    assert case.advice_on(TODAY + timedelta(days=1)) is not first
    case.facts = {**case.facts, "validity": "P3Y"}
    changed = case.advice_on(TODAY)
    assert changed is not first and changed.facts["validity"] != first.facts["validity"]


def test_a_fact_that_cannot_be_a_key_is_advised_each_time_and_kept_nowhere() -> None:
    case = Case.objects.get(pk=started(applicant(), "rp-work").pk)
    case.facts = {**case.facts, "validity": ["P1Y"]}
    for _ in range(2):  # a value that fits no fact counts as unanswered (``advise_stored``)
        assert [u.fact for u in case.advice_on(TODAY).unfit] == ["validity"]
    assert not case.__dict__.get("_advice")
