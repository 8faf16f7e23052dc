"""The hall's lookup of a person by travel document (``compliance.lookups``, a project policy): an officer or
supervisor who enters a document's number and issuing country, both exact, and a reason finds the person;
a match lets their halls read the person for 7 days (the day of the lookup and the 7 after), no match says
so; another hall gains nothing. Every lookup is audited with its reason and limited per officer; the
supervisor sees the lookups made at their halls. The console page and the API alike.

The expected answers and the 7 days are written here, not read from the rule under test."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from case_helpers import client_for, without_tokens
from exitentry.accounts.models import AuditEntry, Role, Unit
from exitentry.compliance.models import PersonLookup
from exitentry.law.text import day_text
from factories import (
    TODAY,
    PersonFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    applicant,
    officer,
    unit_handler,
)

pytestmark = pytest.mark.django_db
GRANT = 7
DAY = timedelta(days=1)
HALL, OTHER = "reception-hall", "shijingshan"


@pytest.fixture
def day(monkeypatch):
    """Beijing's today, for the lookup and for the reads after it (``day.on = ...`` moves it)."""

    class Day:
        on = TODAY

    for where in ("exitentry.cases.access", "exitentry.web.case_pages", "exitentry.api.lookups"):
        monkeypatch.setattr(f"{where}.beijing_today", lambda: Day.on)
    return Day


def stranger():
    """A person of the registry with no case, alert or record anywhere: no hall reads them."""
    person = PersonFactory()
    TravelDocumentFactory(person=person, number="E1234567", issuing_country="FRA")
    return person


def _page(client, number="E1234567", country="FRA", reason="street-check", note="", lang="en"):
    body = {"number": number, "issuing_country": country, "reason": reason, "note": note}
    return client.post(f"/{lang}/console/lookup/", body)


def _api(client, number="E1234567", country="FRA", reason="street-check", note=""):
    body = {"document_number": number, "issuing_country": country, "reason": reason, "note": note}
    return client.post("/api/v1/person-lookups", json.dumps(body), content_type="application/json")


def _reads(client, person) -> bool:
    page = client.get(f"/en/console/people/{person.pk}/").status_code
    api = client.get(f"/api/v1/people/{person.pk}").status_code
    assert page == api, (page, api)
    return page == 200


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR])
@pytest.mark.parametrize("way", ["page", "api"])
def test_a_match_lets_the_halls_read_the_person_for_seven_days(role, way, day) -> None:
    person = stranger()
    user = officer(HALL, role=role)
    client = client_for(user)
    colleague, elsewhere = client_for(officer(HALL)), client_for(officer(OTHER, role=role))
    assert not _reads(client, person)
    if way == "page":
        answer = _page(client, number="e123 4567")  # spacing and case of the number as typed aside
        assert answer.status_code == 302 and answer["Location"] == f"/en/console/people/{person.pk}/"
    else:
        answer = _api(client)
        assert answer.status_code == 200
        assert answer.json() | {"lookup_id": 0} == {
            "match": True,
            "lookup_id": 0,
            "person_id": person.pk,
            "readable_until": str(TODAY + GRANT * DAY),
        }
    assert _reads(client, person) and _reads(colleague, person)
    assert client.get(f"/en/console/people/{person.pk}/enforcement/").status_code == 200
    assert not _reads(elsewhere, person)  # another hall gains no reach
    day.on = TODAY + GRANT * DAY
    assert _reads(client, person)
    day.on = TODAY + (GRANT + 1) * DAY
    assert not _reads(client, person) and not _reads(colleague, person)


@pytest.mark.parametrize("way", ["page", "api"])
@pytest.mark.parametrize(
    ("number", "country"), [("E1234568", "FRA"), ("E1234567", "DEU"), ("E123456", "FRA")], ids=str
)
def test_no_match_says_so_and_grants_nothing(way, number, country, day) -> None:
    person = stranger()
    client = client_for(officer(HALL))
    if way == "page":
        answer = _page(client, number=number, country=country)
        assert answer.status_code == 200
        assert "No person in the registry holds the travel document" in answer.content.decode()
    else:
        answer = _api(client, number=number, country=country)
        assert answer.status_code == 200 and answer.json()["match"] is False
        assert answer.json()["person_id"] is None
    assert not _reads(client, person)
    assert PersonLookup.objects.get().person is None


def test_every_lookup_is_audited_with_its_reason(day) -> None:
    person = stranger()
    user = officer(HALL)
    client = client_for(user)
    _page(client, reason="public-report", note="a neighbour's call")
    _api(client, number="X0000000", reason="enforcement")
    entries = AuditEntry.objects.filter(actor=user, action="person.lookup").order_by("pk")
    assert [e.new for e in entries] == [
        {"reason": "public-report", "note": "a neighbour's call", "match": True, "person": person.pk},
        {"reason": "enforcement", "note": "", "match": False, "person": None},
    ]


@pytest.mark.parametrize("way", ["page", "api"])
def test_the_reason_other_needs_a_note_and_a_reason_is_required(way, day) -> None:
    stranger()
    client = client_for(officer(HALL))
    send = _page if way == "page" else _api
    assert send(client, reason="other").status_code == 422
    assert send(client, reason="curiosity").status_code == 422
    assert not PersonLookup.objects.exists()
    assert send(client, reason="other", note="a consulate asked").status_code in (200, 302)


@pytest.mark.parametrize("way", ["page", "api"])
def test_lookups_are_rate_limited_per_officer(way, settings, day) -> None:
    settings.EXITENTRY_PERSON_LOOKUP_RATE = "2/h"
    stranger()
    client = client_for(officer(HALL))
    send = _page if way == "page" else _api
    assert [send(client).status_code for _ in range(3)][-1] == 429
    assert PersonLookup.objects.count() == 2
    assert send(client_for(officer(HALL))).status_code in (200, 302)  # another officer's own count


@pytest.mark.parametrize("way", ["page", "api"])
def test_only_lookups_made_count_and_a_miss_is_one(way, settings, day) -> None:
    """The rule, the same on the page and the API: a request refused before any lookup (no reason, a
    reason unknown, ``other`` without a note, a body that is no lookup) counts nothing; a lookup made
    counts, match or not: a miss tells the officer the registry holds no such document, so misses probe
    the registry as much as matches do."""
    settings.EXITENTRY_PERSON_LOOKUP_RATE = "2/h"
    stranger()
    client = client_for(officer(HALL))
    send = _page if way == "page" else _api
    for _ in range(3):
        assert send(client, reason="other").status_code == 422
        assert send(client, reason="curiosity").status_code == 422
        assert send(client, country="").status_code == 422
    if way == "api":
        url = "/api/v1/person-lookups"
        assert client.post(url, "{not json", content_type="application/json").status_code == 400
        assert client.post(url, "{}", content_type="application/json").status_code == 422
    assert send(client, number="E0000000").status_code == 200  # a miss, counted
    assert send(client).status_code in (200, 302)  # a match, counted
    refused = send(client)
    assert refused.status_code == 429
    assert PersonLookup.objects.count() == 2
    if way == "api":
        assert int(refused["Retry-After"]) > 0
        assert refused.json()["detail"][0]["message_zh"]


def test_the_api_documents_its_lookup_limit(client) -> None:
    answers = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/person-lookups"]
    assert "429" in answers["post"]["responses"] and "429" not in answers["get"]["responses"]


def _institution():
    return UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind=Unit.Kind.BANK))


@pytest.mark.parametrize(
    "make", [_institution, applicant, unit_handler, lambda: UserFactory(role=Role.PROXY)], ids=str
)
def test_only_the_hall_side_looks_people_up(make, day) -> None:
    person = stranger()
    client = client_for(make())
    assert client.get("/en/console/lookup/").status_code == 403
    assert _page(client).status_code == 403
    assert _api(client).status_code == 403
    assert client.get("/api/v1/person-lookups").status_code == 403
    assert not PersonLookup.objects.exists()
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 404
    assert client_for(None).get("/api/v1/person-lookups").status_code == 401


def test_the_supervisor_sees_the_lookups_made_at_their_halls(day) -> None:
    person = stranger()
    clerk, outsider = officer(HALL), officer(OTHER)
    _page(client_for(clerk), reason="public-report", note="a neighbour's call")
    _page(client_for(outsider), number="Z9999999")
    supervisor = officer(HALL, role=Role.SUPERVISOR)
    boss = client_for(supervisor)
    page = boss.get("/en/console/lookup/").content.decode()
    assert clerk.username in page and str(person) in page and "a neighbour&#x27;s call" in page
    assert "report from the public" in page and "Z9999999" not in page
    listed = boss.get("/api/v1/person-lookups")
    assert listed.status_code == 200
    [row] = listed.json()["items"]
    assert (row["made_by"], row["person_id"], row["reason"]) == (clerk.username, person.pk, "public-report")
    assert AuditEntry.objects.filter(actor=supervisor, action="person-lookup.list").count() == 2
    officer_client = client_for(officer(HALL))
    assert officer_client.get("/api/v1/person-lookups").status_code == 403
    assert "Lookups made at your halls" not in officer_client.get("/en/console/lookup/").content.decode()


def test_the_page_in_both_languages(day) -> None:
    stranger()
    client = client_for(officer(HALL, role=Role.SUPERVISOR))
    english = client.get("/en/console/lookup/").content.decode()
    assert "Look up a person" in english and "street check or inquiry" in english and "7 days" in english
    chinese = client.get("/zh-hans/console/lookup/").content.decode()
    assert "查找人员" in chinese and "街面盘查或询问" in chinese and "7天" in chinese
    assert "我所在大厅的查找记录" in chinese
    missed = _page(client, number="Q1", lang="zh-hans").content.decode()
    assert "登记系统中没有人持有" in missed


@pytest.mark.parametrize(("lang", "named"), [("en", "France"), ("zh-hans", "法国")])
def test_the_issuing_country_is_chosen_by_its_name_in_the_pages_language(lang, named) -> None:
    """People read country names, not ISO codes: the form lists them in the page's language."""
    page = client_for(officer(HALL)).get(f"/{lang}/console/lookup/").content.decode()
    assert f'<option value="FRA">{named}</option>' in page and "ISO" not in without_tokens(page)


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "your halls read this person until"), ("zh-hans", "可查看此人至")]
)
def test_the_persons_page_says_the_lookup_gives_the_reach_and_until_when(day, lang, said) -> None:
    person = stranger()
    user = officer(HALL)
    client = client_for(user)
    assert _page(client).status_code == 302
    page = client.get(f"/{lang}/console/people/{person.pk}/").content.decode()
    until = day_text(TODAY + GRANT * DAY)
    assert said in page and user.get_username() in page
    assert (until.en if lang == "en" else until.zh) in page
