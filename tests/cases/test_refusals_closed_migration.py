"""The migration that closes the refusals made before the decision service closed them."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from factories import PersonFactory, applicant

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("cases", "0010_one_open_case_per_permit"), ("cases", "0011_refusals_closed")


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards (not at AFTER): the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_a_refusal_decided_before_is_closed_on_its_decision_day_and_nothing_else_moves() -> None:
    person, user = PersonFactory(), applicant()  # the other apps stay at their latest state
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    Case = executor.loader.project_state([BEFORE]).apps.get_model("cases", "Case")

    def case(n: int, state: str, **dates):
        return Case.objects.create(
            reference=f"BJ20269{n:07d}", procedure_id="rp-work", person_id=person.pk, submitted_by_id=user.pk,
            acting_as="self", hall_id="reception-hall", state=state, **dates,
        )  # fmt: skip

    refused = case(1, "refused", decided_on=date(2026, 3, 2))
    approved = case(2, "approved", decided_on=date(2026, 3, 3))
    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps.get_model("cases", "Case")
    assert new.objects.get(pk=refused.pk).closed_on == date(2026, 3, 2)
    assert new.objects.get(pk=approved.pk).closed_on is None
