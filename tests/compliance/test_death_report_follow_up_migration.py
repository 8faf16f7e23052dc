"""The migration that gives a death a unit reported (Regulations Art. 26(4)) with no follow-up the one filing
it opens today (Exit and Entry Administration Law Art. 40 para. 2): on the person's residence permit issued by
the day of the death and running today, whatever its type; audited as a system entry; none twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from exitentry.accounts import audit
from exitentry.accounts.models import AuditEntry
from exitentry.law.calendar import beijing_today
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND
from factories import AffiliationFactory, PermitFactory, UnitFactory, unit_handler

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("compliance", "0016_death_follow_ups")
AFTER = ("compliance", "0017_death_report_follow_ups")
DIED_ON = date(2026, 11, 1)


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards: the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_a_death_report_with_no_follow_up_gets_the_one_filing_opens_once_audited_as_the_system() -> None:
    unit = UnitFactory()
    handler = unit_handler(unit)
    today = beijing_today()
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    Alert, UnitReport = (old.get_model("compliance", name) for name in ("Alert", "UnitReport"))
    numbers = iter(range(1, 100))

    def reported(event: str = "died", *, relation: str = "employee", follow_up: bool = False, **permit):
        place = AffiliationFactory(unit=unit, relation=relation)
        held = PermitFactory(
            person=place.person,
            **{"issued_on": date(2025, 12, 1), "valid_until": today + timedelta(days=300), **permit},
        )
        report = UnitReport.objects.create(
            unit_id=unit.pk, person_id=place.person_id, affiliation_id=place.pk, event=event,
            ground_id="report-death-or-missing", happened_on=DIED_ON, filed_by_id=handler.pk,
            filed_at=timezone.now(), number=f"BG2026{next(numbers):07d}", source="web",
        )  # fmt: skip
        if follow_up:
            report.permit_id = held.pk
            report.follow_up = Alert.objects.create(
                person_id=place.person_id, ground_id=DEATH_FOLLOW_UP_GROUND,
                cause_key=f"report:{report.pk}:permit:{held.pk}", source_id="exit-entry-law",
                section="Art. 40", opened_on=DIED_ON, closed_on=date(2026, 11, 20), resolution="resolved",
            )  # fmt: skip
            report.save(update_fields=["permit", "follow_up"])
        return report, held

    family, family_permit = reported(permit_type="family-reunion")  # no work permit: the old rule missed it
    student, student_permit = reported(relation="student", permit_type="private-affairs")
    reported(follow_up=True)  # its own follow-up, closed: the officer's record stands
    reported("employee-resigned", permit_type="family-reunion")  # not a death
    reported(valid_until=today - timedelta(days=1))  # ran out: nothing left to cancel
    reported(status="cancelled")  # cancelled already
    reported(issued_on=DIED_ON + timedelta(days=1))  # issued after the death: not the permit it concerns
    reported(kind="stay-permit", permit_type="")  # not a residence permit: the follow-up concerns none
    before = Alert.objects.count()

    MigrationExecutor(connection).migrate([AFTER])
    new = MigrationExecutor(connection).loader.project_state([AFTER]).apps
    NewAlert, NewReport = (new.get_model("compliance", name) for name in ("Alert", "UnitReport"))
    assert NewAlert.objects.count() == before + 2
    for report, permit in ((family, family_permit), (student, student_permit)):
        now = NewReport.objects.get(pk=report.pk)
        alert = NewAlert.objects.get(pk=now.follow_up_id)
        assert now.permit_id == permit.pk
        assert (alert.person_id, alert.ground_id, alert.cause_key) == (
            report.person_id,
            DEATH_FOLLOW_UP_GROUND,
            f"report:{report.pk}:permit:{permit.pk}",
        )
        assert (alert.source_id, alert.section, alert.opened_on, alert.closed_on) == (
            "exit-entry-law",
            "Art. 40 para. 2",
            today,
            None,
        )
    entries = AuditEntry.objects.filter(action="alert.open").order_by("pk")
    assert [(e.object_id, e.actor_id) for e in entries] == [
        (str(NewReport.objects.get(pk=r.pk).follow_up_id), None) for r in (family, student)
    ]
    first = entries[0].new
    assert (first["ground_id"], first["permit"], first["report"]) == (
        DEATH_FOLLOW_UP_GROUND,
        family_permit.pk,
        family.number,
    )
    assert (
        "Exit and Entry Administration Law Art. 40 para. 2" in first["note"] and "第四十条" in first["note"]
    )

    MigrationExecutor(connection).migrate([BEFORE])  # run again: none twice
    MigrationExecutor(connection).migrate([AFTER])
    assert NewAlert.objects.count() == before + 2 and entries.count() == 2
    assert audit.verify().ok  # sealed into its chain as the app seals
