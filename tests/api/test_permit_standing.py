"""``GET /permits/{id}`` answers as "My permits" reads a permit: expiring and why, its duties dated from its
last day, and the procedures that act on it today; the same access rules; the OpenAPI document says so."""

from __future__ import annotations

from datetime import timedelta

import pytest

from case_helpers import client_for, submitted
from exitentry.accounts.models import Role
from exitentry.registry import services as registry
from exitentry.registry.models import Permit
from factories import TODAY, PermitFactory, PersonFactory, UserFactory, applicant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def api_today(monkeypatch):
    monkeypatch.setattr("exitentry.api.cases.people.beijing_today", lambda: TODAY)


def test_an_expiring_permit_says_why_its_duties_and_what_it_may_start() -> None:
    user = applicant()
    permit = PermitFactory(person=user.person, permit_type="work", valid_until=TODAY + timedelta(days=20))
    body = client_for(user).get(f"/api/v1/permits/{permit.pk}").json()
    assert body["state"] == "valid"
    assert body["expiring"]["duty"] == "extension-at-least-30-days-before-expiry"
    assert "applied for by 23 October 2026." in body["expiring"]["why"]["en"]
    assert (
        body["expiring"]["cite"][0]["label_en"]
        == "Exit and Entry Administration Law of the People's Republic of China, Art. 32"
    )
    extension = body["obligations"][0]
    assert (extension["id"], extension["due"]) == ("extension-at-least-30-days-before-expiry", "2026-10-23")
    assert [p["procedure"] for p in body["procedures"]][:2] == [
        "rp-extension",
        "one-stop-work-permits-renewal",
    ]
    assert body["procedures"][0]["action"] == "extension"
    PermitFactory(person=user.person, kind="work-permit", permit_type="", valid_until=permit.valid_until)
    together = client_for(user).get(f"/api/v1/permits/{permit.pk}").json()  # as "My permits" orders them
    assert together["procedures"][0]["procedure"] == "one-stop-work-permits-renewal"


def test_a_void_permit_is_not_expiring_has_no_duties_and_starts_nothing() -> None:
    user = applicant()
    permit = PermitFactory(person=user.person, valid_until=TODAY + timedelta(days=20))
    registry.end_permit(permit, Permit.Status.VOID, "void-damaged-lost-stolen-robbed", on=TODAY)
    body = client_for(user).get(f"/api/v1/permits/{permit.pk}").json()
    assert body["state"] == "void" and body["ground"]["id"] == "void-damaged-lost-stolen-robbed"
    assert (body["expiring"], body["obligations"], body["procedures"]) == (None, [], [])


def test_a_proxy_reads_the_permit_of_a_person_it_acts_for_and_nobody_else_does() -> None:
    agent = UserFactory(role=Role.PROXY)
    person = PersonFactory()
    submitted(agent, "rp-work", person=person)
    permit = PermitFactory(person=person)
    assert client_for(agent).get(f"/api/v1/permits/{permit.pk}").status_code == 200
    assert client_for(UserFactory(role=Role.PROXY)).get(f"/api/v1/permits/{permit.pk}").status_code == 404
    assert client_for(applicant()).get(f"/api/v1/permits/{permit.pk}").status_code == 404


def test_the_openapi_document_describes_the_expiring_duties_and_procedures(api) -> None:
    schemas = api.get("/openapi.json").json()["components"]["schemas"]
    history = schemas["PermitHistoryOut"]["properties"]
    assert {"expiring", "obligations", "procedures"} <= set(history)
    assert set(schemas["ExpiringOut"]["properties"]) == {"duty", "why", "cite"}
    assert set(schemas["PermitStartOut"]["properties"]) == {"procedure", "action", "title"}
