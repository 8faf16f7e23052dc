"""The migration that records with each public notice the hall it names: a notice published before it names
the hall the notice page named then (the reception hall, its name, address and hours in both languages,
frozen in the migration), recorded as a notice published now records its hall, audited as a system entry."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from exitentry.accounts import audit
from exitentry.accounts.models import AuditEntry
from exitentry.compliance.models import PublicNotice
from exitentry.compliance.notices import recorded, report_hall
from exitentry.law.rules.public_notice import NOTICE_GROUND, notice_hall
from factories import PermitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("compliance", "0020_labels_give_full_official_titles")
AFTER = ("compliance", "0021_public_notice_hall")


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards: the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_a_notice_published_before_records_the_hall_its_page_named() -> None:
    permit, officer = PermitFactory(), UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    Notice = executor.loader.project_state([BEFORE]).apps.get_model("compliance", "PublicNotice")
    old = Notice.objects.create(
        permit_id=permit.pk, ground_id=NOTICE_GROUND, number="GG2026110200001", published_on=date(2026, 11, 2),
        period_ends_on=date(2026, 12, 2), initials="A.M.S.", nationality="DEU", masked_number="•••321",
        published_by_id=officer.pk,
    )  # fmt: skip
    MigrationExecutor(connection).migrate([AFTER])
    notice = PublicNotice.objects.get(pk=old.pk)
    frozen = importlib.import_module("exitentry.compliance.migrations.0021_public_notice_hall").HALL
    assert notice.hall == frozen and frozen["id"] == "reception-hall"
    assert notice.hall.keys() == recorded(notice_hall()).keys()  # as a notice published now records it
    hall = report_hall(notice)
    assert all(text.en and text.zh for text in (hall.name, hall.address, hall.hours))
    [entry] = AuditEntry.objects.filter(action="notice.hall_recorded")
    assert (entry.object_type, entry.object_id, entry.actor_id, entry.old) == (
        "public_notice",
        str(old.pk),
        None,
        None,
    )
    assert entry.new["hall"] == "reception-hall"
    assert audit.verify().ok
