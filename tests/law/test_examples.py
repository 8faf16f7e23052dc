"""Example facts are found from the rules for every procedure, and they really are complete and eligible."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.advice import COMPLETE, advise
from exitentry.law.catalog import catalog
from exitentry.law.examples import eligible_facts


@pytest.mark.parametrize("procedure_id", sorted(catalog().procedures))
def test_every_procedure_has_example_facts_on_which_it_is_complete_and_eligible(procedure_id: str) -> None:
    on = date(2026, 11, 2)
    facts = eligible_facts(procedure_id, on)
    advice = advise(procedure_id, facts, on=on)
    assert advice.status == COMPLETE and advice.eligible is True


def test_each_call_returns_a_fresh_dict() -> None:
    on = date(2026, 11, 2)
    eligible_facts("rp-work", on)["validity"] = "P99Y"
    assert eligible_facts("rp-work", on)["validity"] != "P99Y"


@pytest.mark.parametrize("procedure_id", sorted(catalog().procedures))
def test_the_example_validity_of_every_procedure_is_one_an_approval_may_give(procedure_id: str) -> None:
    from exitentry.law.examples import approval_validity
    from exitentry.law.rules.permits import check_approval

    on = date(2026, 11, 2)
    work = catalog().procedure(procedure_id).casework
    facts = eligible_facts(procedure_id, on)
    held = (
        facts.get("residence_permit_type")
        if work.permit == "residence-permit" and work.action != "issue"
        else None
    )
    validity = approval_validity(work, held, facts, date(1985, 6, 1), on)
    check_approval(work, held, validity, on, date(1985, 6, 1), facts)
