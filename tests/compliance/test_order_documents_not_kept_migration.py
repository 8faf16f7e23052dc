"""The migration that tells an order to leave recorded before orders kept their documents (null: none were
recorded) from one recorded since that named none (the empty list)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from factories import PersonFactory, officer

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("compliance", "0012_unit_report_travel_document")
KEPT = ("compliance", "0013_order_to_leave_documents")
AFTER = ("compliance", "0015_order_to_leave_documents_not_kept")


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards: the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps.get_model("compliance", "OrderToLeave")


def test_only_the_orders_recorded_before_documents_were_kept_become_not_recorded() -> None:
    person, clerk = PersonFactory(), officer()
    day = timezone.now() - timedelta(days=1)

    def order(model, **fields):
        return model.objects.create(
            person_id=person.pk, recorded_by_id=clerk.pk, ordered_on=date(2026, 1, 2), days=15,
            last_day=date(2026, 1, 17), **fields,
        )  # fmt: skip

    old = order(migrate(BEFORE), recorded_at=day)
    kept = migrate(KEPT)
    none_named = order(kept, documents=[])  # recorded now, after 0013: it named none
    replayed = order(kept, documents=["E12345678"], recorded_at=day)  # a past instant, documents kept
    new = migrate(AFTER)
    found = {name: new.objects.get(pk=o.pk).documents for name, o in
             (("old", old), ("none named", none_named), ("replayed", replayed))}  # fmt: skip
    assert found == {"old": None, "none named": [], "replayed": ["E12345678"]}


def test_on_a_database_where_both_apply_together_every_earlier_order_becomes_not_recorded() -> None:
    person, clerk = PersonFactory(), officer()
    old = migrate(BEFORE).objects.create(
        person_id=person.pk, recorded_by_id=clerk.pk, ordered_on=date(2026, 1, 2), days=15,
        last_day=date(2026, 1, 17),
    )  # fmt: skip
    assert migrate(AFTER).objects.get(pk=old.pk).documents is None
