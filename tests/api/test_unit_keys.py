"""A unit's HR system reads its roster and files Art. 26 reports with the unit administrator's API key:
each operation takes only its own scope, and a key acts for its own unit alone."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from exitentry import clock
from exitentry.accounts import api_keys
from exitentry.accounts.audit import Actor
from exitentry.compliance.models import UnitReport
from exitentry.law.calendar import beijing_today
from unit_world import Roster

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v1/units/me/people"
REPORTS = "/api/v1/units/me/reports"


def key_for(user, *scopes: str) -> str:
    return api_keys.issue(Actor(user), "HR system", list(scopes), clock.now() + timedelta(days=30)).key


def call(method: str, path: str, key: str, body: dict | None = None):
    client = Client(enforce_csrf_checks=True)  # no session, no CSRF token: the key alone
    extra = {"headers": {"Authorization": f"Bearer {key}"}}
    if body is None:
        return getattr(client, method)(path, **extra)
    return getattr(client, method)(path, json.dumps(body), content_type="application/json", **extra)


def test_a_key_with_the_people_scope_reads_its_own_roster_and_not_another_units_person() -> None:
    world = Roster()
    key = key_for(world.admin, api_keys.UNIT_PEOPLE_READ)
    response = call("get", PEOPLE, key)
    assert response.status_code == 200, response.content
    listed = {row["id"] for row in response.json()["results"]}
    assert listed == {p.pk for p in world.ours()}
    assert call("get", f"{PEOPLE}/{world.theirs.pk}", key).status_code == 404
    assert call("get", REPORTS, key).status_code == 403  # not the reports' scope


def test_a_key_with_the_reports_scope_files_a_report_for_its_unit() -> None:
    world = Roster()
    key = key_for(world.admin, api_keys.UNIT_REPORTS_WRITE)
    body = {"person": world.far.pk, "event": "employee-resigned", "happened_on": beijing_today().isoformat()}
    response = call("post", REPORTS, key, body)
    assert response.status_code == 201, response.content
    report = UnitReport.objects.get()
    assert (report.unit, report.person, report.filed_by) == (world.unit, world.far, world.admin)
    assert call("get", PEOPLE, key).status_code == 403  # not the people's scope


def test_past_its_rate_a_units_key_gets_the_429_the_document_declares(settings) -> None:
    world = Roster()
    settings.EXITENTRY_KEY_RATE = "2/h"
    key = key_for(world.admin, api_keys.UNIT_PEOPLE_READ, api_keys.UNIT_REPORTS_WRITE)
    statuses = [call("get", PEOPLE, key).status_code for _ in range(2)]
    limited = call("get", REPORTS, key)
    assert (statuses, limited.status_code) == ([200, 200], 429)
    assert "请求过于频繁" in limited.json()["detail"][0]["message_zh"]
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    keyed = {
        f"{method.upper()} {path}": "429" in operation["responses"]
        for path, operations in paths.items()
        for method, operation in operations.items()
        if any("ApiKey" in way for way in operation.get("security", []))
    }
    assert "GET /api/v1/units/me/reports" in keyed
    assert all(keyed.values()), keyed
