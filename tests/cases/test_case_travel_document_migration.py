"""The migration that gives each case received before it the travel document its documents name."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from factories import PersonFactory, TravelDocumentFactory, applicant

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("cases", "0012_draft_expiry"), ("cases", "0013_case_travel_document")


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards: the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_a_received_case_gets_the_passport_held_that_day_or_else_the_longest_running_one() -> None:
    user = applicant()
    renewed, late = PersonFactory(), PersonFactory()
    old = TravelDocumentFactory(
        person=renewed, number="E00000001", issued_on=date(2020, 1, 1), expires_on=date(2030, 1, 1)
    )
    TravelDocumentFactory(
        person=renewed, number="E00000002", issued_on=date(2026, 6, 1), expires_on=date(2036, 6, 1)
    )
    recorded_later = TravelDocumentFactory(
        person=late, number="E00000003", issued_on=date(2026, 6, 1), expires_on=date(2036, 6, 1)
    )
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    Case = executor.loader.project_state([BEFORE]).apps.get_model("cases", "Case")

    def case(n: int, person, received_on):
        return Case.objects.create(
            reference=f"BJ20268{n:07d}", procedure_id="rp-work", person_id=person.pk, submitted_by_id=user.pk,
            acting_as="self", hall_id="reception-hall", state="received" if received_on else "submitted",
            received_on=received_on, touched_at="2026-03-01T00:00:00Z",
        )  # fmt: skip

    before_renewal = case(1, renewed, date(2026, 3, 2))
    before_recording = case(2, late, date(2026, 3, 2))
    not_received = case(3, renewed, None)
    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps.get_model("cases", "Case")
    assert new.objects.get(pk=before_renewal.pk).travel_document_id == old.pk
    assert new.objects.get(pk=before_recording.pk).travel_document_id == recorded_later.pk
    assert new.objects.get(pk=not_received.pk).travel_document_id is None
