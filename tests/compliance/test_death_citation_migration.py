"""The migration that cites a death's follow-up as its ground now does (Exit and Entry Administration Law
Art. 40 para. 2, not the whole article): the section of each alert on the ground stored as "Art. 40" changes,
nothing else; audited as a system entry."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from exitentry.accounts import audit
from exitentry.accounts.models import AuditEntry
from exitentry.law.rules.grounds import ground
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND, FOLLOW_UP_GROUND
from factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("compliance", "0018_labels_name_their_documents")
AFTER = ("compliance", "0019_death_follow_ups_cite_the_paragraph")


@pytest.fixture(autouse=True)
def back_to_latest():
    """Every app at its last migration afterwards: the tests that follow need the schema."""
    yield
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_a_death_follow_up_cited_by_the_whole_article_cites_its_paragraph() -> None:
    person = PersonFactory()
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    Alert = executor.loader.project_state([BEFORE]).apps.get_model("compliance", "Alert")

    def alert(ground_id: str, source_id: str, section: str, n: int):
        return Alert.objects.create(
            person_id=person.pk, ground_id=ground_id, cause_key=f"report:{n}:permit:{n}", source_id=source_id,
            section=section, opened_on=date(2026, 11, 2),
        )  # fmt: skip

    whole = alert(DEATH_FOLLOW_UP_GROUND, "exit-entry-law", "Art. 40", 1)
    other = alert(FOLLOW_UP_GROUND, "regulations", "Art. 34(3)", 2)
    MigrationExecutor(connection).migrate([AFTER])
    cite = ground(DEATH_FOLLOW_UP_GROUND).cite[0]
    assert (cite.source, cite.section) == ("exit-entry-law", "Art. 40 para. 2")  # what the ground cites now
    sections = dict(Alert.objects.values_list("pk", "section"))
    assert sections == {whole.pk: "Art. 40 para. 2", other.pk: "Art. 34(3)"}
    [entry] = AuditEntry.objects.filter(action="alert.recite")
    assert (entry.object_id, entry.actor_id, entry.old, entry.new["section"]) == (
        str(whole.pk),
        None,
        {"section": "Art. 40"},
        "Art. 40 para. 2",
    )
    assert audit.verify().ok
