"""The migration that makes claims of the passports recorded before claims existed that no hall has had
in hand (no received case is bound to them) nor recorded (the audit trail); the others stay the
registry's."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from exitentry.accounts.audit import record
from factories import PersonFactory, actor, applicant, officer

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("registry", "0015_passport_claims"), ("cases", "0013_case_travel_document")]
AFTER = [("registry", "0016_unchecked_passports_are_claims")]


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards: the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_only_the_passports_a_received_case_names_or_the_hall_recorded_stay_the_registrys() -> None:
    user = applicant()
    people = [PersonFactory() for _ in range(5)]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Document, Case = old.get_model("registry", "TravelDocument"), old.get_model("cases", "Case")

    def document(n: int, person):
        return Document.objects.create(
            person_id=person.pk, number=f"E0000010{n}", issuing_country="DEU", issued_on=date(2024, 1, 1),
            expires_on=date(2034, 1, 1),
        )  # fmt: skip

    def case(n: int, person, doc, received_on):
        return Case.objects.create(
            reference=f"BJ20268{n:07d}", procedure_id="rp-work", person_id=person.pk, submitted_by_id=user.pk,
            acting_as="self", hall_id="reception-hall", state="received" if received_on else "submitted",
            received_on=received_on, touched_at="2026-03-01T00:00:00Z", travel_document_id=doc.pk,
        )  # fmt: skip

    checked, submitted_only, alone, by_the_hall, by_a_proxy = (document(n, p) for n, p in enumerate(people))
    for who, doc in ((officer(), by_the_hall), (user, by_a_proxy)):
        said = {"number": doc.number, "country": "DEU", "claim": False}
        record(actor(who), "person.document", "person", doc.person_id, new=said)
    case(1, people[0], checked, date(2026, 3, 2))
    case(2, people[1], submitted_only, None)
    ours = [checked.pk, submitted_only.pk, alone.pk, by_the_hall.pk, by_a_proxy.pk]
    assert not Document.objects.filter(pk__in=ours, claim=True).exists()  # 0015 trusted every one
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("registry", "TravelDocument")
    claims = set(new.objects.filter(pk__in=ours, claim=True).values_list("pk", flat=True))
    assert claims == {submitted_only.pk, alone.pk, by_a_proxy.pk}
