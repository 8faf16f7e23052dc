"""``/units/me/people``: a unit handler's own staff or students over the API, filtered, sorted and paged as
the portal's list, in a bounded number of queries; one person, 404 off the roster; 403 for any other
role, 401 signed out; audited; documented in the OpenAPI document."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from case_helpers import sign_in
from exitentry.accounts.models import AuditEntry
from factories import TODAY
from unit_world import ROLES, Roster, on_roster, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def api_today(monkeypatch):
    monkeypatch.setattr("exitentry.api.units.beijing_today", lambda: TODAY)


@pytest.fixture
def roster():
    return Roster()


def as_user(api, user):
    if user is not None:
        sign_in(api.client, user)
    return api


def test_the_list_answers_the_units_people_with_their_permits_standing_and_duties(api, roster):
    body = as_user(api, roster.handler).get("/units/me/people").json()
    assert body["count"] == 6 and body["page"] == 1 and body["pages"] == 1
    assert [p["surname"] for p in body["results"]] == [
        "Twenty",
        "Fortyfive",
        "Eighty",
        "Far",
        "Void",
        "Expired",
    ]
    first = body["results"][0]
    assert (first["relation"], first["standing"], first["days_left"], first["next_expiry"]) == (
        "employee",
        "expiring",
        20,
        "2026-11-22",
    )
    assert first["standing_label"] == {"en": "Expiring", "zh": "即将到期"}
    assert first["permits"][0]["kind_label"]["en"] == "Residence permit" and first["permits"][0]["why"]
    assert first["duties"][0]["id"] and first["duties"][0]["cite"]
    entry = AuditEntry.objects.get(action="unit.people.list")
    assert entry.new["people"] == [p["id"] for p in body["results"]]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ("30", ["Twenty"]),
        ("90", ["Twenty", "Fortyfive", "Eighty"]),
        ("expired", ["Expired"]),
        ("void", ["Void"]),
    ],
)
def test_the_list_filters_as_the_portal_does(api, roster, chosen, expected):
    body = as_user(api, roster.handler).get("/units/me/people", filter=chosen).json()
    assert [p["surname"] for p in body["results"]] == expected


def test_an_unknown_filter_is_422_listing_the_choices_in_each_language(api, roster):
    answer = as_user(api, roster.handler).get("/units/me/people", filter="expiring-30")
    assert answer.status_code == 422
    [error] = answer.json()["detail"]
    assert error["message_zh"] == "此项须为以下之一：留空、“30”、“60”、“90”、“expired”或“void”。"
    assert " or " in error["message"]


def test_a_person_is_named_as_the_pages_and_reports_name_them_with_the_nationality_by_name(api, roster):
    roster.in_45.nationality = "FRA"
    roster.in_45.save()
    client = as_user(api, roster.handler)
    person = client.get(f"/units/me/people/{roster.in_45.pk}").json()
    listed = next(p for p in client.get("/units/me/people").json()["results"] if p["id"] == roster.in_45.pk)
    for said in (person, listed):
        assert said["name"] == str(roster.in_45) == f"FORTYFIVE {roster.in_45.given_names}"
        assert (said["surname"], said["given_names"]) == ("Fortyfive", roster.in_45.given_names)
        assert (said["nationality"], said["nationality_label"]) == ("FRA", {"en": "France", "zh": "法国"})


def test_the_filters_are_the_portals_words(api):
    from exitentry.compliance.staff import FILTERS, SORTS

    listing = api.get("/openapi.json").json()["paths"]["/api/v1/units/me/people"]["get"]
    schemas = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert schemas["filter"]["enum"] == list(FILTERS) and schemas["sort"]["enum"] == list(SORTS)


def test_one_person_and_404_for_anyone_not_on_the_roster(api, roster):
    client = as_user(api, roster.handler)
    person = client.get(f"/units/me/people/{roster.in_45.pk}").json()
    assert (person["id"], person["standing"], person["days_left"]) == (roster.in_45.pk, "valid", 45)
    assert AuditEntry.objects.filter(action="unit.person.read", object_id=str(roster.in_45.pk)).exists()
    for outsider in (roster.theirs, roster.left):
        assert client.get(f"/units/me/people/{outsider.pk}").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_whose_people_over_the_api(api, roster, role):
    client = as_user(api, user_of(roster, role))
    got = (
        client.get("/units/me/people").status_code,
        client.get(f"/units/me/people/{roster.in_20.pk}").status_code,
        client.get(f"/units/me/people/{roster.theirs.pk}").status_code,
    )
    expected = {
        "handler": (200, 200, 404),
        "admin": (200, 200, 404),
        "other_handler": (200, 404, 200),
        "removed_handler": (401, 401, 401),  # their session no longer signs them in
        "anonymous": (401, 401, 401),
    }.get(role, (403, 403, 403))
    assert got == expected


def test_a_page_of_fifty_costs_the_same_queries_as_a_page_of_six(api, roster):
    client = as_user(api, roster.handler)
    client.get("/units/me/people")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/units/me/people").status_code == 200
        return len(captured)

    few = queries()
    for n in range(60):
        on_roster(roster.unit, f"Many{n:02d}", 10 + n)
    assert queries() == few
    body = client.get("/units/me/people", page=2).json()
    assert (body["count"], body["page"], body["pages"], len(body["results"])) == (66, 2, 2, 16)


def test_the_operations_are_documented(api):
    paths = api.get("/openapi.json").json()["paths"]
    listing = paths["/api/v1/units/me/people"]["get"]
    assert listing["tags"] == ["units"] and sorted(listing["responses"]) == [
        "200",
        "401",
        "403",
        "422",
        "429",
    ]
    assert {p["name"] for p in listing["parameters"]} == {"filter", "sort", "page"}
    assert sorted(paths["/api/v1/units/me/people/{person_id}"]["get"]["responses"]) == [
        "200",
        "401",
        "403",
        "404",
        "422",
        "429",  # the key's rate
    ]
