"""The migration that names each holder's report's follow-up, and merges the second follow-up a unit's
report of the same change opened beside it (before, each source opened its own)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from exitentry.accounts.models import AuditEntry
from exitentry.law.calendar import beijing_today
from factories import AffiliationFactory, PermitFactory, UnitFactory, unit_handler

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("compliance", "0013_order_to_leave_documents")
AFTER = ("compliance", "0014_change_report_follow_up")


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards: the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_a_units_follow_up_beside_the_holders_of_the_same_change_joins_it_and_closes() -> None:
    unit = UnitFactory()
    handler = unit_handler(unit)
    place = AffiliationFactory(unit=unit)
    permit = PermitFactory(person=place.person, issued_on=date(2025, 12, 1), valid_until=date(2027, 12, 1))
    other = PermitFactory(person=place.person, issued_on=date(2025, 12, 1), valid_until=date(2027, 6, 1))
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    Alert, ChangeReport, UnitReport = (
        old.get_model("compliance", name) for name in ("Alert", "ChangeReport", "UnitReport")
    )

    def alert(cause: str):
        return Alert.objects.create(
            person_id=place.person_id, ground_id="unit-report-follow-up", cause_key=cause,
            source_id="regulations", section="Art. 34(3)", opened_on=date(2026, 3, 5),
        )  # fmt: skip

    told = ChangeReport.objects.create(
        permit_id=permit.pk, particular="reason", changed_on=date(2026, 3, 1), reported_on=date(2026, 3, 2),
        filed_by_id=handler.pk, filed_at=timezone.now(), number="BD20260000001", source="web",
    )  # fmt: skip
    holders = alert(f"change:{told.pk}:permit:{permit.pk}")

    def unit_report(n: int, on: date, permit_id: int):
        report = UnitReport.objects.create(
            unit_id=unit.pk, person_id=place.person_id, affiliation_id=place.pk, event="employee-resigned",
            ground_id="unit-report-employee-resigned", happened_on=on, filed_by_id=handler.pk,
            filed_at=timezone.now(), number=f"BG2026000000{n}", source="web", permit_id=permit_id,
        )  # fmt: skip
        report.follow_up = alert(f"report:{report.pk}:permit:{permit_id}")
        report.save(update_fields=["follow_up"])
        return report

    same = unit_report(1, date(2026, 3, 3), permit.pk)  # the same change, dated two days later
    later = unit_report(2, date(2026, 9, 1), permit.pk)  # a later change: its own follow-up
    elsewhere = unit_report(3, date(2026, 3, 4), other.pk)  # another permit
    duplicate = same.follow_up_id
    MigrationExecutor(connection).migrate([AFTER])
    new = MigrationExecutor(connection).loader.project_state([AFTER]).apps
    Alert, ChangeReport, UnitReport = (
        new.get_model("compliance", name) for name in ("Alert", "ChangeReport", "UnitReport")
    )
    assert ChangeReport.objects.get(pk=told.pk).follow_up_id == holders.pk
    assert UnitReport.objects.get(pk=same.pk).follow_up_id == holders.pk
    assert UnitReport.objects.get(pk=later.pk).follow_up_id == later.follow_up_id
    assert UnitReport.objects.get(pk=elsewhere.pk).follow_up_id == elsewhere.follow_up_id
    closed = {a.pk: (a.closed_on, a.resolution) for a in Alert.objects.filter(closed_on__isnull=False)}
    assert closed == {duplicate: (beijing_today(), "")}
    merged = AuditEntry.objects.get(action="alert.merge")
    assert merged.object_id == str(duplicate) and merged.actor_id is None and merged.new["into"] == holders.pk
    assert "BG20260000001" in merged.new["note"] and "第三十四条" in merged.new["note"]
