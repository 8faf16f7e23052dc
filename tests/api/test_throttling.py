"""Strangers are rate limited: anonymous API callers get 429 past the rate, per client address."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from case_helpers import sign_in
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
