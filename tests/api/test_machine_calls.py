"""A machine client's call (``Authorization: Bearer`` under ``/api/``) skips the middleware of a browser's
session (``api.middleware.MachineCalls``) and keeps everything else: the security headers, no-store, the
API's error shape, the key's audit and rate; a cookie sent with it grants nothing. A session's call to the
same API still goes through all of it, CSRF included."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from exitentry import clock
from exitentry.accounts import api_keys
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry, Role
from exitentry.api.middleware import MachineCalls, MachineCallsEnd
from factories import UnitFactory, UserFactory
from verification.helpers import desk, holder

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.key_urls")]
DOCUMENT = "/api/v1/status-checks/document"
SECURITY = (
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
    "Cache-Control",
)


def key_for(user, scope: str = api_keys.STATUS_CHECK) -> str:
    return api_keys.issue(Actor(user), "core banking", [scope], clock.now() + timedelta(days=30)).key


def check_body() -> str:
    person = holder().person
    number, name = person.travel_documents.get().number, f"{person.surname} {person.given_names}"
    return json.dumps({"document_number": number, "name": name})


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_a_machine_call_has_the_security_headers_and_no_store_a_sessions_call_has() -> None:
    bank = desk()
    machine = Client(enforce_csrf_checks=True).post(
        DOCUMENT, check_body(), content_type="application/json", headers=bearer(key_for(bank))
    )
    browser = Client()
    browser.force_login(bank)
    session = browser.post(DOCUMENT, check_body(), content_type="application/json")
    assert machine.status_code == session.status_code == 200, (machine.content, session.content)
    for name in SECURITY:
        assert machine.get(name) and machine[name] == session[name], name
    assert "no-store" in machine["Cache-Control"] and machine["X-Frame-Options"] == "DENY"
    assert machine["Content-Length"] == str(len(machine.content))


def test_a_machine_call_reads_no_session_so_a_cookie_sent_with_it_grants_nothing() -> None:
    admin = UserFactory(role=Role.UNIT, unit=UnitFactory(), is_unit_admin=True, username="hr-admin")
    client = Client()
    client.force_login(admin)
    assert client.get("/api/key-test/mine").json() == {"user": "hr-admin"}
    with_key = client.get("/api/key-test/mine", headers=bearer(key_for(admin, api_keys.UNIT_PEOPLE_READ)))
    assert with_key.status_code == 401 and with_key.json()["detail"][0]["message_zh"]
    assert "Set-Cookie" not in with_key and "Cookie" not in with_key.get("Vary", "")
    assert client.get("/api/key-test/people", headers=bearer("ek_00000000_" + "x" * 43)).status_code == 401


def test_a_machine_calls_errors_keep_the_apis_shape_and_its_refusals_are_audited() -> None:
    client, key = Client(), key_for(desk())
    unknown = client.post("/api/v1/no-such-thing", "{}", content_type="application/json", headers=bearer(key))
    assert unknown.status_code == 404 and "/api/docs" in unknown.json()["detail"][0]["message"]
    wrong = client.get(DOCUMENT, headers=bearer(key))
    assert wrong.status_code == 405 and wrong["Allow"] == "POST" and wrong.json()["detail"][0]["message_zh"]
    unit_key = key_for(
        UserFactory(role=Role.UNIT, unit=UnitFactory(), is_unit_admin=True), api_keys.UNIT_PEOPLE_READ
    )
    refused = client.post(DOCUMENT, check_body(), content_type="application/json", headers=bearer(unit_key))
    assert refused.status_code == 403 and "status:check" in refused.json()["detail"][0]["message"]
    assert AuditEntry.objects.filter(action="api_key.use", new__status=403).count() == 1
    for name in SECURITY:
        assert refused.get(name), name


def test_a_sessions_call_to_the_same_api_still_needs_its_csrf_token() -> None:
    bank = desk()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bank)
    refused = browser.post(DOCUMENT, check_body(), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"][0]["message_zh"]
    browser.get("/en/")  # the page sets the CSRF cookie, as a browser's first page does
    token = browser.cookies["csrftoken"].value
    answered = browser.post(
        DOCUMENT, check_body(), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert answered.status_code == 200 and answered.json()["match"] is True
    assert "Cookie" in answered["Vary"]


def test_machine_calls_need_their_end_in_the_middleware() -> None:
    request = RequestFactory().get("/api/v1/halls", headers=bearer("ek_x"))
    MachineCallsEnd(lambda r: "view")
    gate = MachineCalls(lambda r: "the session's way")
    assert gate(request) == "view" and request.user.is_anonymous
    assert gate(RequestFactory().get("/api/v1/halls")) == "the session's way"
    assert gate(RequestFactory().get("/en/", headers=bearer("ek_x"))) == "the session's way"
    with pytest.raises(ImproperlyConfigured, match="MachineCallsEnd"):
        MachineCalls(lambda r: None)
