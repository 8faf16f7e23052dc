"""Inputs that once gave a server error (issue 10): each now answers a 4xx in the API's error shape."""

from __future__ import annotations

import pytest

from case_helpers import client_for, pdf, started
from factories import applicant, officer

pytestmark = pytest.mark.django_db


def refused(response, status: int, field: str | None) -> dict:
    """The one error of ``response``, after checking its status, its field and both languages."""
    assert response.status_code == status, response.content
    [item] = response.json()["detail"]
    assert item["field"] == field
    assert item["message"] and item["message_zh"], item
    return item


@pytest.mark.parametrize("at", ["1899-12-31T09:00:00+08:00", "9999-12-31T23:00:00+08:00"])
def test_an_instant_the_calendar_cannot_reckon_with_is_refused(api, at) -> None:
    item = refused(api.get("/halls", at=at), 422, "at")
    assert "calendar" in item["message"]


def test_advice_on_a_day_too_far_ahead_is_refused(api) -> None:
    body = {"procedure": "rp-personal-affairs", "facts": {}, "on": "9999-12-31"}
    refused(api.post("/advice", body), 422, "on")


def test_a_validity_of_a_hundred_thousand_years_is_refused(api) -> None:
    body = {"procedure": "rp-personal-affairs", "facts": {"ground": "family", "validity": "P99999Y"}}
    item = refused(api.post("/advice", body), 422, "facts.validity")
    assert "100 years" in item["message"]


def test_a_body_over_the_size_limit_is_a_413(api) -> None:
    body = {"procedure": "rp-personal-affairs", "facts": {"note": "x" * 3_000_000}}
    item = refused(api.post("/advice", body), 413, "body")
    assert "2 MiB" in item["message"]


@pytest.mark.parametrize(
    ("path", "offset"), [("/cases", 9223372036854775808), ("/queue", 100000000000000000000)]
)
def test_an_offset_past_any_list_is_refused(path, offset) -> None:
    clerk = client_for(officer("reception-hall"))
    response = clerk.get(f"/api/v1{path}", {"offset": offset})
    assert response.status_code == 422, response.content
    assert [d["field"] for d in response.json()["detail"]] == ["offset"]


PATH_VALUES = {"case_id": 1, "task_id": 1, "material_id": 1, "person_id": 1, "permit_id": 1}
PATH_VALUES |= {"action": "withdraw", "ending": "void", "reference": "ABCDEFGHJK"}
PATH_VALUES |= {"hall_id": "reception-hall", "counter": 1, "ticket_id": 1}
PATH_VALUES |= {"detention_id": 1, "report_id": 1, "restriction_id": 1, "repatriation_id": 1, "order_id": 1}
PATH_VALUES |= {"alert_id": 1, "override_id": 1}


@pytest.mark.postgres_only
def test_a_nul_character_the_database_cannot_look_up_is_a_422() -> None:
    clerk = client_for(officer("reception-hall"))
    refused(clerk.get("/api/v1/queue", {"state": "\x00"}), 422, None)


def _writes() -> list[tuple[str, str]]:
    from exitentry.api import api

    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    ]


@pytest.mark.parametrize(("method", "path"), _writes())
def test_a_signed_in_write_with_a_multipart_body_without_boundary_is_a_400(method, path) -> None:
    client = client_for(officer("reception-hall"), csrf=True)
    response = client.generic(
        method,
        path.format(**PATH_VALUES),
        b"--x\r\n",
        content_type="multipart/form-data",
        headers={"X-CSRFToken": client.csrf_token},
    )
    refused(response, 400, "body")


def test_an_upload_named_with_a_hundred_thousand_characters_is_a_400() -> None:
    person = applicant()
    case = started(person, "rp-personal-affairs")
    body = (
        b"--B\r\n"
        b'Content-Disposition: form-data; name="material_id"\r\n\r\npassport\r\n'
        b"--B\r\n"
        b'Content-Disposition: form-data; name="file"; filename="' + b"a" * 100_000 + b'.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.4 long name\r\n"
        b"--B--\r\n"
    )
    client = client_for(person, csrf=True)
    response = client.post(
        f"/api/v1/cases/{case.pk}/materials",
        body,
        content_type="multipart/form-data; boundary=B",
        headers={"X-CSRFToken": client.csrf_token},
    )
    item = refused(response, 400, "body")
    assert "header size" in item["message"]


def test_a_long_file_name_is_stored_shortened_keeping_its_extension() -> None:
    person = applicant()
    case = started(person, "rp-personal-affairs")
    upload = pdf("long name")
    upload.name = "护照" * 120 + ".pdf"
    client = client_for(person)
    response = client.post(f"/api/v1/cases/{case.pk}/materials", {"material_id": "passport", "file": upload})
    assert response.status_code == 201, response.content
    [material] = client.get(f"/api/v1/cases/{case.pk}").json()["materials"]
    assert material["name"] == "护照" * 98 + ".pdf"
