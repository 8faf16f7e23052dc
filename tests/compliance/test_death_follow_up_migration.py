"""The migration that gives a death a unit reported before the death's own follow-up existed that follow-up
(Exit and Entry Administration Law Art. 40 para. 2) in place of the Art. 34(3) one it opened: only one still
open, opened by the report and named by no other report; audited as a system entry."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from exitentry.accounts import audit
from exitentry.accounts.models import AuditEntry
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND, FOLLOW_UP_GROUND
from factories import AffiliationFactory, PermitFactory, UnitFactory, unit_handler

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("compliance", "0015_order_to_leave_documents_not_kept")
AFTER = ("compliance", "0016_death_follow_ups")


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards: the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_an_open_follow_up_a_death_report_opened_alone_becomes_the_deaths() -> None:
    unit = UnitFactory()
    handler = unit_handler(unit)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    Alert, ChangeReport, UnitReport = (
        old.get_model("compliance", name) for name in ("Alert", "ChangeReport", "UnitReport")
    )
    numbers = iter(range(1, 100))

    def reported(event: str, *, closed: bool = False, cause: str = ""):
        place = AffiliationFactory(unit=unit)
        permit = PermitFactory(
            person=place.person, issued_on=date(2025, 12, 1), valid_until=date(2027, 12, 1)
        )
        report = UnitReport.objects.create(
            unit_id=unit.pk, person_id=place.person_id, affiliation_id=place.pk, event=event,
            ground_id="report-death-or-missing", happened_on=date(2026, 11, 1), filed_by_id=handler.pk,
            filed_at=timezone.now(), number=f"BG2026{next(numbers):07d}", source="web", permit_id=permit.pk,
        )  # fmt: skip
        report.follow_up = Alert.objects.create(
            person_id=place.person_id, ground_id=FOLLOW_UP_GROUND,
            cause_key=cause or f"report:{report.pk}:permit:{permit.pk}", source_id="regulations",
            section="Art. 34(3)", opened_on=date(2026, 11, 2),
            closed_on=date(2026, 11, 20) if closed else None, resolution="resolved" if closed else "",
        )  # fmt: skip
        report.save(update_fields=["follow_up"])
        return report

    died = reported("died")
    resigned = reported("employee-resigned")  # a real change of the reason for residence
    closed = reported("died", closed=True)  # the officer's record under its ground
    joined = reported("died")  # a holder's report of a change joined it
    ChangeReport.objects.create(
        permit_id=joined.permit_id, particular="reason", changed_on=date(2026, 11, 1),
        reported_on=date(2026, 11, 2), filed_by_id=handler.pk, filed_at=timezone.now(),
        number="BD20260000001", source="web", follow_up_id=joined.follow_up_id,
    )  # fmt: skip
    opened_by_holder = reported("died", cause="change:1:permit:1")  # a holder's follow-up it joined
    MigrationExecutor(connection).migrate([AFTER])
    new = MigrationExecutor(connection).loader.project_state([AFTER]).apps
    grounds = dict(new.get_model("compliance", "Alert").objects.values_list("pk", "ground_id"))
    assert grounds == {
        died.follow_up_id: DEATH_FOLLOW_UP_GROUND,
        resigned.follow_up_id: FOLLOW_UP_GROUND,
        closed.follow_up_id: FOLLOW_UP_GROUND,
        joined.follow_up_id: FOLLOW_UP_GROUND,
        opened_by_holder.follow_up_id: FOLLOW_UP_GROUND,
    }
    moved = new.get_model("compliance", "Alert").objects.get(pk=died.follow_up_id)
    assert (moved.source_id, moved.section, moved.closed_on) == ("exit-entry-law", "Art. 40", None)
    [entry] = AuditEntry.objects.filter(action="alert.reground")
    assert entry.object_id == str(died.follow_up_id) and entry.actor_id is None
    assert died.number in entry.new["note"] and "第四十条" in entry.new["note"]
    assert (
        "(Regulations on the Administration of the Entry and Exit of Foreigners, Art. 34(3))"
        in entry.new["note"]
    )
    assert entry.old["ground_id"] == FOLLOW_UP_GROUND
    assert audit.verify().ok  # sealed into its chain as the app seals
