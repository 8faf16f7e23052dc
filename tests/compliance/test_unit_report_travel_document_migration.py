"""The migration that gives each unit report filed before it the travel document its receipt names."""

from __future__ import annotations

from datetime import date
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from factories import AffiliationFactory, TravelDocumentFactory, UnitFactory, unit_handler

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("compliance", "0011_change_reports")
AFTER = ("compliance", "0012_unit_report_travel_document")


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards: the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_a_filed_report_gets_the_passport_held_on_its_beijing_day_or_else_the_longest_running_one() -> None:
    unit = UnitFactory()
    handler = unit_handler(unit)
    renewed, late, none = (AffiliationFactory(unit=unit) for _ in range(3))
    TravelDocumentFactory(
        person=renewed.person, number="E00000001", issued_on=date(2020, 1, 1), expires_on=date(2030, 1, 1)
    )
    held = TravelDocumentFactory(  # issued on the Beijing day the report was filed (3 March, 01:30)
        person=renewed.person, number="E00000002", issued_on=date(2026, 3, 3), expires_on=date(2036, 3, 3)
    )
    TravelDocumentFactory(  # issued the day after
        person=renewed.person, number="E00000004", issued_on=date(2026, 3, 4), expires_on=date(2040, 1, 1)
    )
    recorded_later = TravelDocumentFactory(
        person=late.person, number="E00000003", issued_on=date(2026, 6, 1), expires_on=date(2036, 6, 1)
    )
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    UnitReport = executor.loader.project_state([BEFORE]).apps.get_model("compliance", "UnitReport")

    def report(n: int, place):
        return UnitReport.objects.create(
            unit_id=unit.pk, person_id=place.person_id, affiliation_id=place.pk, event="violation",
            ground_id="unit-report-violation", happened_on=date(2026, 3, 2), filed_by_id=handler.pk,
            filed_at="2026-03-02T17:30:00Z", number=f"BG2026000000{n}", source="web",
        )  # fmt: skip

    made = {name: report(n, place) for n, (name, place) in enumerate(
        (("renewed", renewed), ("late", late), ("none", none)), start=1
    )}  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps.get_model("compliance", "UnitReport")
    bound = {name: new.objects.get(pk=r.pk).travel_document_id for name, r in made.items()}
    assert bound == {"renewed": held.pk, "late": recorded_later.pk, "none": None}
    # set-based: the same binding again in two queries (the reports' keys, one update), not some per report
    new.objects.update(travel_document=None)
    migration = import_module("exitentry.compliance.migrations.0012_unit_report_travel_document")
    with CaptureQueriesContext(connection) as captured:
        migration.bind(executor.loader.project_state([AFTER]).apps, None)
    assert {name: new.objects.get(pk=r.pk).travel_document_id for name, r in made.items()} == bound
    assert len(captured) == 2
