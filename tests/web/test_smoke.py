"""Smoke tests of the project plumbing: pages in both languages, health check, API docs."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

TAGS = {"en": "en", "zh-hans": "zh-Hans"}  # the path's prefix: the BCP 47 tag on <html lang>

pytestmark = pytest.mark.django_db

SITE_NAME = "北京出入境外国人服务 · Beijing Exit-Entry Foreigner Services"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_home_page_in_each_language(client, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{TAGS[lang]}">' in html
    assert SITE_NAME in html
    assert 'action="/i18n/setlang/"' in html
    assert "/static/web/htmx.min.js" in html
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_root_follows_accept_language(client):
    response = client.get("/", headers={"accept-language": "en"})
    assert response["Location"] == "/en/"


def test_set_language_switches_the_prefix(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/zh-hans/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_healthz_queries_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert any("SELECT 1" in q["sql"] for q in queries.captured_queries)


def test_healthz_reports_a_broken_database(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_api_docs_page(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/openapi.json" in html
    assert "swagger" in html.lower()
    assert client.get("/api/v1/docs").status_code == 200


def test_openapi_schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Beijing Exit-Entry Foreigner Services API"
    assert schema["info"]["version"] == "1"
    assert schema["openapi"].startswith("3.")
