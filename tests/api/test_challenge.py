"""Signing in to the API: a request without credentials to an operation that needs them gets a 401 that
says how to come in (``WWW-Authenticate`` with each scheme the operation takes, RFC 7235 §4.1 and RFC 6750
§3, and a message in both languages); the ``Authorization`` header is read as RFC 7235 §2.1 writes it (the
scheme in any case, one or more spaces before the key), by one parser, and anything else is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from exitentry import clock
from exitentry.accounts import api_keys
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import Role
from exitentry.api.auth import bearer_token
from factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.key_urls")]
SESSION = 'Session realm="exitentry", cookie="sessionid"'


def anonymous(path: str, **headers: str):
    return Client().get(path, headers=headers)


@pytest.mark.parametrize(
    ("path", "challenge", "scope"),
    [
        ("/api/key-test/whoami", 'Bearer realm="exitentry", scope="status:check"', "status:check"),
        (
            "/api/key-test/people",
            f'Bearer realm="exitentry", scope="unit:people:read", {SESSION}',
            "unit:people:read",
        ),
        ("/api/key-test/mine", SESSION, None),
        ("/api/v1/cases", SESSION, None),
        (
            "/api/v1/units/me/people",
            f'Bearer realm="exitentry", scope="unit:people:read", {SESSION}',
            "unit:people:read",
        ),
    ],
)
def test_a_request_without_credentials_is_told_how_to_come_in(path, challenge, scope) -> None:
    response = anonymous(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == challenge
    (item,) = response.json()["detail"]
    assert item["message"] != "Unauthorized"
    if scope:
        assert "Authorization: Bearer" in item["message"] and scope in item["message"]
        assert "Authorization: Bearer" in item["message_zh"] and scope in item["message_zh"]
    if "Session" in challenge:
        assert "/en/sign-in/" in item["message"] and "/zh-hans/sign-in/" in item["message_zh"]
        assert "登录" in item["message_zh"]


def test_a_header_of_another_scheme_is_answered_as_no_credentials() -> None:
    response = anonymous("/api/key-test/people", Authorization="Basic Zm9vOmJhcg==")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer ")


def test_the_openapi_document_still_declares_security_and_the_401() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    people = paths["/api/v1/units/me/people"]["get"]
    assert people["security"] == [{"ApiKey": ["unit:people:read"]}, {"SignedIn": []}]
    assert "401" in people["responses"]
    assert paths["/api/v1/cases"]["get"]["security"] == [{"SignedIn": []}]


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer ek_1", "ek_1"),
        ("Bearer  ek_1", "ek_1"),
        ("Bearer    ek_1", "ek_1"),
        ("bearer ek_1", "ek_1"),
        ("BEARER ek_1", "ek_1"),
        ("Bearer", ""),
        ("Bearer ", ""),
        ("Bearer ek_1 ek_2", "ek_1 ek_2"),  # not a key: refused as unknown
        ("Basic ek_1", None),
        ("Bearer\tek_1", None),
        ("Bearerek_1", None),
        (" Bearer ek_1", None),
        ("", None),
    ],
)
def test_one_parser_reads_the_header_as_rfc_7235_writes_it(header, token) -> None:
    assert bearer_token(header) == token


@pytest.mark.parametrize("header", ["Bearer  {key}", "bearer {key}", "BeArEr   {key}"])
def test_a_key_with_more_spaces_or_another_case_of_the_scheme_is_accepted(header) -> None:
    bank = UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank"), username="bank")
    issued = api_keys.issue(Actor(bank), "core", [api_keys.STATUS_CHECK], clock.now() + timedelta(days=1))
    response = Client().get("/api/key-test/whoami", headers={"Authorization": header.format(key=issued.key)})
    assert response.status_code == 200, response.content
    assert response.json() == {"user": "bank", "key": issued.row.prefix}


@pytest.mark.parametrize("header", ["Bearer {key} extra", "Bearer\t{key}", "Token {key}"])
def test_anything_else_is_still_refused(header) -> None:
    bank = UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank"), username="bank")
    issued = api_keys.issue(Actor(bank), "core", [api_keys.STATUS_CHECK], clock.now() + timedelta(days=1))
    response = Client().get("/api/key-test/whoami", headers={"Authorization": header.format(key=issued.key)})
    assert response.status_code == 401
