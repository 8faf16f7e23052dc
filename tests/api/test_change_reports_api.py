"""``/api/v1/permits/{id}/change-reports``: who may report a change of a residence permit's registered
particulars for whom (Exit and Entry Administration Law Art. 33), and reading the reports. The holder, a
proxy or unit under a mandate for them, an officer of a hall that reads them; anyone else gets 404 (the
permit is not theirs to see) or 403 (they read it but do not report)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from case_helpers import client_for
from exitentry.accounts.models import AuditEntry
from exitentry.compliance import unit_reports
from exitentry.compliance.models import ChangeReport
from exitentry.law.calendar import beijing_today
from exitentry.law.rules.duties import particulars_change_due
from exitentry.registry.models import Affiliation
from factories import AffiliationFactory, PermitFactory, PersonFactory, actor, applicant, unit_handler
from holder_roles import who

pytestmark = pytest.mark.django_db


MATRIX = [
    ("holder", 201),
    ("another applicant", 404),
    ("proxy with a case", 201),
    ("proxy without", 404),
    ("unit with the person on its roster", 201),
    ("unit without", 404),
    ("officer of the district", 201),
    ("supervisor of the district", 201),
    ("officer elsewhere", 404),
    ("institution", 404),
    ("administrator", 404),
]


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_who_may_report_for_whom(role, status):
    person = PersonFactory()
    permit = PermitFactory(person=person, valid_until=beijing_today() + timedelta(days=300))
    client = client_for(who(role, person))
    url = f"/api/v1/permits/{permit.pk}/change-reports"
    body = {"particular": "reason", "changed_on": (beijing_today() - timedelta(days=1)).isoformat()}
    answer = client.post(url, json.dumps(body), content_type="application/json")
    assert answer.status_code == status, answer.content
    assert ChangeReport.objects.filter(permit=permit).exists() == (status == 201)
    assert client.get(url).status_code == (200 if status == 201 else status)
    if status == 201:
        made = answer.json()
        assert made["number"].startswith("BD") and made["source"] == "api"
        assert made["particular_text"] == {"en": "Reason for residence", "zh": "居留事由"}
        assert client.get(url).json()["items"][0]["number"] == made["number"]
        hall_side = role.endswith("of the district")  # only the hall sees which account filed it
        assert (made["filed_by"] is not None) == hall_side
        assert AuditEntry.objects.filter(action="permit.change_report", object_id=str(permit.pk)).exists()


def test_a_refusal_is_422_with_the_field_in_both_languages():
    user = applicant()
    permit = PermitFactory(person=user.person, valid_until=beijing_today() + timedelta(days=300))
    client = client_for(user)
    url = f"/api/v1/permits/{permit.pk}/change-reports"
    late = {"particular": "reason", "changed_on": (beijing_today() + timedelta(days=1)).isoformat()}
    answer = client.post(url, json.dumps(late), content_type="application/json")
    assert answer.status_code == 422
    detail = answer.json()["detail"][0]
    assert detail["field"] == "changed_on" and "今天" in detail["message_zh"] and detail["message"]
    assert not ChangeReport.objects.exists()


def test_the_holder_reads_what_a_units_report_asks_of_them_then_that_it_is_done():
    user = applicant()
    today = beijing_today()
    permit = PermitFactory(
        person=user.person, issued_on=today - timedelta(days=200), valid_until=today + timedelta(days=300)
    )
    handler = unit_handler()
    place = AffiliationFactory(person=user.person, unit=handler.unit, started_on=today - timedelta(days=150))
    changed = today - timedelta(days=2)
    unit_reports.file_report(
        actor(handler),
        handler.unit,
        unit_reports.Draft(user.person_id, "employee-resigned", changed),
        source="api",
    )
    assert Affiliation.objects.get(pk=place.pk).ended_on == changed
    client = client_for(user)
    url = f"/api/v1/permits/{permit.pk}/change-reports"
    asks = client.get(url).json()["reason_change"]
    assert asks["changed_on"] == changed.isoformat() and asks["reported_on"] is None
    assert (
        asks["report_by"] == particulars_change_due(changed).isoformat()
        and "第三十三条" in asks["text"]["zh"]
    )
    body = {"particular": "reason", "changed_on": changed.isoformat()}
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 201
    done = client.get(url).json()["reason_change"]
    assert done["reported_on"] == today.isoformat() and "was reported on" in done["text"]["en"]
