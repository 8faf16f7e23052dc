"""``/api/v1/units/me/reports`` over real HTTP: a unit handler files and reads its own unit's reports
under Art. 26; refusals are 422 in English and Chinese; other roles 403, another unit's report 404."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from case_helpers import client_for
from exitentry.accounts.models import AuditEntry, Role, Unit
from exitentry.compliance import report_uploads
from exitentry.compliance.models import UnitReport
from exitentry.law.calendar import beijing_today
from exitentry.law.rules.unit_reports import FOLLOW_UP_GROUND
from factories import (
    AffiliationFactory,
    PermitFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    actor,
    applicant,
    officer,
    unit_handler,
)

pytestmark = pytest.mark.django_db
REPORTS = "/api/v1/units/me/reports"


def post(client: Client, body: dict):
    return client.post(REPORTS, json.dumps(body), content_type="application/json")


@pytest.fixture
def handler():
    return unit_handler()


@pytest.fixture
def place(handler):
    return AffiliationFactory(unit=handler.unit)


def test_a_handler_files_a_resignation_and_reads_it_back(handler, place):
    today = beijing_today()
    permit = PermitFactory(
        person=place.person, issued_on=today - timedelta(days=30), valid_until=today + timedelta(days=300)
    )
    client = client_for(handler)
    made = post(client, {"person": place.person_id, "event": "employee-resigned", "happened_on": str(today)})
    assert made.status_code == 201
    body = made.json()
    assert body["source"] == "api" and body["relation"] == "employee"
    assert body["effect"]["ends_place"] is True and body["effect"]["follow_up_permit"] == permit.number
    assert [c["section"] for c in body["effect"]["cite"]] == ["Art. 26(1)", "Art. 34(3)"]
    assert UnitReport.objects.get().follow_up.ground_id == FOLLOW_UP_GROUND
    one = client.get(f"{REPORTS}/{body['id']}")
    assert one.status_code == 200 and one.json()["number"] == body["number"]
    listing = client.get(REPORTS).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]
    assert AuditEntry.objects.filter(action="unit_report.read", object_id=str(body["id"])).exists()


@pytest.mark.parametrize(
    ("body", "field", "zh"),
    [
        ({"happened_on": "2999-01-01"}, "happened_on", "不能晚于今天"),
        ({"event": "student-graduated"}, "event", "本单位没有"),
        ({"event": "fired"}, "event", "没有"),
        ({"person": 0}, "person", "名册"),
        ({"person": 10**20}, "person", "名册"),
        ({"note": "a\x00b"}, "note", "备注"),
    ],
    ids=[
        "a day after today",
        "a student's event for an employee",
        "an unknown event",
        "not on the roster",
        "a number larger than any id",
        "a NUL character in the note",
    ],
)
def test_a_refused_report_is_422_naming_the_field_in_both_languages(handler, place, body, field, zh):
    sent = {"person": place.person_id, "event": "violation", "happened_on": str(beijing_today()), **body}
    refused = post(client_for(handler), sent)
    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem["field"] == field and zh in problem["message_zh"] and problem["message"]
    assert not UnitReport.objects.exists()


def test_a_page_past_the_last_is_empty_not_an_error(handler, place):  # below 1: 422 (test_paging)
    client = client_for(handler)
    post(client, {"person": place.person_id, "event": "violation", "happened_on": str(beijing_today())})
    listing = client.get(f"{REPORTS}?page=2")
    assert listing.status_code == 200
    assert listing.json()["count"] == 1 and listing.json()["items"] == []


def test_the_same_report_twice_is_422(handler, place):
    body = {"person": place.person_id, "event": "violation", "happened_on": str(beijing_today())}
    client = client_for(handler)
    assert post(client, body).status_code == 201
    again = post(client, body)
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "event"


@pytest.mark.parametrize(
    ("who", "listing", "one", "filing"),
    [
        ("anonymous", 401, 401, 401),
        ("applicant", 403, 403, 403),
        ("officer", 403, 403, 403),
        ("institution", 403, 403, 403),
        ("agency", 403, 403, 403),
        ("other unit", 200, 404, 422),
        ("other unit's admin", 200, 404, 422),
        ("removed", 401, 401, 401),
        ("our institution", 403, 403, 403),
        ("own unit's admin", 200, 200, 201),
        ("own unit", 200, 200, 201),
    ],
)
def test_who_may_read_and_file_reports(handler, place, who, listing, one, filing):
    today = str(beijing_today())
    report = post(
        client_for(handler), {"person": place.person_id, "event": "violation", "happened_on": today}
    )
    report_id = report.json()["id"]
    user = {
        "anonymous": None,
        "applicant": applicant(),
        "officer": officer("reception-hall"),
        "institution": UserFactory(role=Role.INSTITUTION),
        "agency": unit_handler(UnitFactory(kind=Unit.Kind.AGENCY)),
        "other unit": unit_handler(),
        "other unit's admin": unit_handler(is_unit_admin=True),
        "removed": unit_handler(handler.unit, is_active=False),
        "our institution": UserFactory(role=Role.INSTITUTION, unit=handler.unit),
        "own unit's admin": unit_handler(handler.unit, is_unit_admin=True),
        "own unit": handler,
    }[who]
    client = client_for(user)
    got = client.get(REPORTS)
    assert got.status_code == listing
    if who.startswith("other unit"):
        assert got.json() == {"count": 0, "items": []}
    assert client.get(f"{REPORTS}/{report_id}").status_code == one
    assert (
        post(client, {"person": place.person_id, "event": "died", "happened_on": today}).status_code == filing
    )


def test_a_csv_row_and_an_api_call_name_a_report_by_the_same_fields(handler, place):
    """The upload's columns are the API's fields: a report filed from a CSV row reads back through the API
    as that row, and the same values sent to the API are the same report (refused as filed already)."""
    number = TravelDocumentFactory(person=place.person).number
    row = {
        "travel_document_number": number,
        "event": "employee-resigned",
        "happened_on": str(beijing_today()),
        "note": "left on Friday",
    }
    assert set(report_uploads.COLUMNS) <= set(
        json.loads(Client().get("/api/v1/openapi.json").content)["components"]["schemas"]["UnitReportIn"][
            "properties"
        ]
    )
    content = ",".join(report_uploads.COLUMNS) + "\r\n" + ",".join(row[c] for c in report_uploads.COLUMNS)
    (filed,) = report_uploads.upload(actor(handler), handler.unit, content.encode()).reports
    client = client_for(handler)
    read = client.get(f"{REPORTS}/{filed.pk}").json()
    assert {c: read[c] for c in report_uploads.COLUMNS} == row and read["person"] == place.person_id
    again = post(client, row)
    assert again.status_code == 422 and filed.number in json.dumps(again.json())


def test_a_report_names_its_person_by_id_or_by_travel_document_number_not_both(handler, place):
    number = TravelDocumentFactory(person=place.person).number
    client = client_for(handler)
    day = str(beijing_today())
    both = post(
        client,
        {
            "person": place.person_id,
            "travel_document_number": number,
            "event": "violation",
            "happened_on": day,
        },
    )
    neither = post(client, {"event": "violation", "happened_on": day})
    unknown = post(client, {"travel_document_number": "X0000000", "event": "violation", "happened_on": day})
    assert (both.status_code, neither.status_code, unknown.status_code) == (422, 422, 422)
    assert "X0000000" in json.dumps(unknown.json())
    made = post(client, {"travel_document_number": number.lower(), "event": "violation", "happened_on": day})
    assert made.status_code == 201 and made.json()["person"] == place.person_id
