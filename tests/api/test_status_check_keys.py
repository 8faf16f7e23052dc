"""An institution's system checks status with an API key (scope ``status:check``) beside the desk's
session: the check is the key's account's, its one audit entry names the key, and a key without the scope,
or another account's kind of key, is refused before any check is made."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from exitentry import clock
from exitentry.accounts import api_keys
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry, Role
from exitentry.verification.models import StatusCheck
from factories import UnitFactory, UserFactory
from verification.helpers import BIRTH, code_for, desk, holder

pytestmark = pytest.mark.django_db
CODE = "/api/v1/status-checks/code"
DOCUMENT = "/api/v1/status-checks/document"


def key_for(user, *scopes: str) -> api_keys.Issued:
    return api_keys.issue(Actor(user), "core banking", list(scopes), clock.now() + timedelta(days=30))


def post(path: str, body: dict, key: str):
    # no session and no CSRF token: a key in a header is no cookie a browser would send by itself
    client = Client(enforce_csrf_checks=True)
    return client.post(
        path, json.dumps(body), content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )


def test_a_banks_system_checks_a_code_with_its_key_and_the_one_audit_entry_names_the_key() -> None:
    bank = desk()
    issued = key_for(bank, api_keys.STATUS_CHECK)
    _, code = code_for(holder())
    response = post(CODE, {"code": code, "birth_date": BIRTH.isoformat()}, issued.key)
    assert response.status_code == 200, response.content
    assert response.json()["match"] is True
    check = StatusCheck.objects.get(pk=response.json()["check_id"])
    assert (check.user, check.institution) == (bank, bank.unit)
    (entry,) = AuditEntry.objects.filter(api_key=issued.row)
    assert (entry.action, entry.object_id, entry.actor) == ("status.check", str(check.pk), bank)


def test_a_failed_check_is_audited_once_too() -> None:
    issued = key_for(desk(), api_keys.STATUS_CHECK)
    _, code = code_for(holder())
    assert post(CODE, {"code": code, "birth_date": "1999-01-01"}, issued.key).status_code == 404
    assert [e.action for e in AuditEntry.objects.filter(api_key=issued.row)] == ["status.check"]


def test_a_verification_request_by_key() -> None:
    person = holder().person
    issued = key_for(desk(), api_keys.STATUS_CHECK)
    number = person.travel_documents.get().number
    hit = post(DOCUMENT, {"document_number": number, "name": f"{person.surname} Alex"}, issued.key)
    assert hit.status_code == 200 and hit.json()["match"] is True


def test_a_unit_key_cannot_check_status_and_no_check_is_made() -> None:
    admin = UserFactory(role=Role.UNIT, unit=UnitFactory(), is_unit_admin=True)
    issued = key_for(admin, api_keys.UNIT_PEOPLE_READ, api_keys.UNIT_REPORTS_WRITE)
    response = post(DOCUMENT, {"document_number": "X00000001", "name": "A B"}, issued.key)
    assert response.status_code == 403
    assert "status:check" in response.json()["detail"][0]["message"]
    assert not StatusCheck.objects.exists()
    (entry,) = AuditEntry.objects.filter(api_key=issued.row)
    assert (entry.action, entry.new["status"]) == ("api_key.use", 403)


def test_a_revoked_key_checks_nothing() -> None:
    bank = desk()
    issued = key_for(bank, api_keys.STATUS_CHECK)
    api_keys.revoke(Actor(bank), issued.row)
    response = post(DOCUMENT, {"document_number": "X00000001", "name": "A B"}, issued.key)
    assert response.status_code == 401 and "revoked" in response.json()["detail"][0]["message"]
    assert not StatusCheck.objects.exists()


def test_a_key_has_its_own_rate_besides_the_institutions(settings) -> None:
    settings.EXITENTRY_KEY_RATE = "2/h"
    issued = key_for(desk(), api_keys.STATUS_CHECK)
    body = {"document_number": "X00000001", "name": "A B"}
    assert [post(DOCUMENT, body, issued.key).status_code for _ in range(3)] == [200, 200, 429]
    assert StatusCheck.objects.count() == 2


def test_the_openapi_document_offers_the_key_with_its_scope_and_the_session() -> None:
    paths = Client().get("/api/v1/openapi.json").json()
    for path in (CODE, DOCUMENT):
        assert paths["paths"][path]["post"]["security"] == [{"ApiKey": ["status:check"]}, {"SignedIn": []}]
    assert paths["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
