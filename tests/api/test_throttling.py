"""Strangers are rate limited: anonymous API callers get 429 past the rate, per client address; a signed-in
account on the public operations past its own rate, per account."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from case_helpers import sign_in
from exitentry.accounts.models import AuditEntry
from exitentry.documents.tokens import make_token
from factories import applicant

pytestmark = pytest.mark.django_db
LIMIT = int(settings.EXITENTRY_ANON_RATE.split("/")[0])


def test_an_anonymous_caller_past_the_rate_gets_429_in_the_error_shape() -> None:
    client = Client()
    for _ in range(LIMIT):
        assert client.get("/api/v1/halls/reception-hall").status_code == 200
    r = client.get("/api/v1/halls/reception-hall")
    assert r.status_code == 429
    assert r.json() == {
        "detail": [
            {"field": None, "message": "Too many requests.", "message_zh": "请求过于频繁，请稍后再试。"}
        ]
    }


def test_another_address_is_counted_on_its_own_and_a_forged_forwarded_header_changes_nothing() -> None:
    client = Client()
    for i in range(LIMIT):
        client.get("/api/v1/halls/reception-hall", HTTP_X_FORWARDED_FOR=f"10.0.0.{i % 250}")
    assert client.get("/api/v1/halls/reception-hall", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
    assert client.get("/api/v1/halls/reception-hall", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_signed_in_user_is_not_held_to_the_anonymous_rate() -> None:
    client = Client()
    sign_in(client, applicant())
    for _ in range(LIMIT + 5):
        assert client.get("/api/v1/cases").status_code == 200


def test_a_signed_in_user_reading_the_public_law_endpoints_is_not_held_to_it_either() -> None:
    client = Client()
    sign_in(client, applicant())
    for _ in range(LIMIT + 5):
        assert client.get("/api/v1/halls/reception-hall").status_code == 200


def test_a_signed_in_account_is_held_to_its_own_rate_on_the_public_operations(settings) -> None:
    """A session is not a stranger, but each check of a document token is audited: an account may not call
    the public operations without limit (``EXITENTRY_USER_RATE``, counted per account whatever the address).
    Another account still calls, and the account's own signed-in operations are not held to it."""
    settings.EXITENTRY_USER_RATE = "4/h"
    token = make_token("receipt", "BJ202600000001-R")
    user = applicant()
    client = Client(REMOTE_ADDR="203.0.113.9")
    sign_in(client, user)
    answers = [client.get(f"/api/v1/verify/{token}").status_code for _ in range(2)]
    answers += [client.post("/api/v1/advice", {}, content_type="application/json").status_code]
    answers += [client.get("/api/v1/halls/reception-hall").status_code]
    assert answers == [200, 200, 422, 200]
    audited = AuditEntry.objects.filter(action="document.verify").count()
    elsewhere = Client(REMOTE_ADDR="198.51.100.4")
    sign_in(elsewhere, user)
    limited = elsewhere.get(f"/api/v1/verify/{token}")
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 3600
    assert limited.json()["detail"][0]["message"] == "Too many requests."
    assert AuditEntry.objects.filter(action="document.verify").count() == audited
    assert client.get("/api/v1/cases").status_code == 200
    other = Client(REMOTE_ADDR="203.0.113.9")
    sign_in(other, applicant())
    assert other.get(f"/api/v1/verify/{token}").status_code == 200
