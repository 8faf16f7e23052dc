"""The passport probe: a proxy or unit entering a new person whose passport the registry holds outside its
mandate learns that the passport exists, so each such refusal is audited (the number never in full) and
counted; past the account's limit (a project policy) it enters no new person until the window ends, on
the page and on the API (429 with Retry-After), in both languages. Nothing is stored meanwhile."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from advisor_forms import as_answers, form_with_class, hidden_fields, new_person

from case_helpers import client_for, hall_receives, started, submitted
from exitentry.accounts.models import AuditEntry, Role
from exitentry.cases import services
from exitentry.cases.models import Case
from exitentry.law.catalog import catalog
from exitentry.registry.models import Person, TravelDocument
from factories import (
    TODAY,
    PersonFactory,
    UnitFactory,
    UserFactory,
    actor,
    applicant,
    eligible_facts,
    officer,
)

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("exitentry.cases.access.beijing_today", lambda: TODAY)
    monkeypatch.setattr("exitentry.cases.services.drafts.beijing_today", lambda: TODAY)


@pytest.fixture
def limit(settings):
    settings.EXITENTRY_PASSPORT_REFUSAL_RATE = "2/d"


def someone_with(number: str) -> Person:
    person = PersonFactory()
    TravelDocument.objects.create(
        person=person,
        number=number,
        issuing_country="DEU",
        issued_on=TODAY - 900 * DAY,
        expires_on=TODAY + 900 * DAY,
    )
    return person


def on_page(browser, number: str, lang: str = "en"):
    page = browser.get(f"/{lang}/apply/rp-work/", as_answers(eligible_facts("rp-work")))
    form = hidden_fields(form_with_class(page.content.decode(), "start-application"))
    return browser.post(f"/{lang}/apply/rp-work/", form | new_person(passport_number=number))


def on_api(browser, number: str | None):
    person = {"surname": "Müller", "given_names": "Anna", "sex": "F", "birth_date": "1985-06-01"}
    person["nationality"] = "DEU"
    if number:
        person["passport"] = {
            "number": number,
            "issuing_country": "DEU",
            "issued_on": "2021-04-01",
            "expires_on": "2031-03-31",
        }
    body = json.loads(
        json.dumps(
            {"procedure": "rp-work", "facts": eligible_facts("rp-work"), "person": person}, default=str
        )
    )
    return browser.post("/api/v1/cases", json.dumps(body), content_type="application/json")


def stored() -> tuple[int, int, int]:
    return Case.objects.count(), Person.objects.count(), TravelDocument.objects.count()


@pytest.mark.parametrize("role", [Role.PROXY, Role.UNIT])
def test_each_refusal_is_audited_with_the_country_and_never_the_full_number(role) -> None:
    user = UserFactory(role=role, unit=UnitFactory(kind="agency" if role == Role.PROXY else "employer"))
    someone_with("C01X00T8")
    browser = client_for(user)
    assert on_page(browser, "C01X00T8").status_code == 422
    assert on_api(browser, "C01X00T8").status_code == 422
    entries = list(AuditEntry.objects.filter(action="person.passport.refused").order_by("seq", "chain"))
    assert len(entries) == 2
    for entry in entries:
        assert entry.actor_id == user.pk and entry.ip and entry.at
        assert entry.new["issuing_country"] == "DEU" and entry.new["number"] == "******T8"
        assert "C01X00T8" not in json.dumps(entry.new)
    assert entries[0].new["hmac"] == entries[1].new["hmac"]  # the same passport, recognisably


def test_a_passport_of_a_person_within_the_mandate_is_not_a_probe() -> None:
    user = UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency"))
    mine = someone_with("C01X00T8")
    started(user, "rp-work", person=mine)
    response = on_page(client_for(user), "C01X00T8")
    assert response.status_code == 422 and "choose the person it belongs to" in response.content.decode()
    assert not AuditEntry.objects.filter(action="person.passport.refused").exists()


@pytest.mark.usefixtures("limit")
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_past_the_limit_the_page_enters_no_new_person_with_429_in_both_languages(lang) -> None:
    user = UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency"))
    someone_with("C01X00T8")
    someone_with("C01X00T9")
    browser = client_for(user)
    assert on_page(browser, "C01X00T8", lang).status_code == 422
    assert on_api(browser, "C01X00T9").status_code == 422
    before = stored()
    response = on_page(browser, "C77777777", lang)  # a passport the registry does not hold: still refused
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 86400
    said = response.content.decode()
    assert ("cannot enter new persons" in said) if lang == "en" else ("不能再录入新人员" in said)
    assert stored() == before
    assert AuditEntry.objects.filter(action="person.passport.refused").count() == 2


@pytest.mark.usefixtures("limit")
def test_past_the_limit_the_api_answers_429_with_retry_after_for_any_new_person() -> None:
    user = UserFactory(role=Role.UNIT, unit=UnitFactory())
    someone_with("C01X00T8")
    browser = client_for(user)
    assert on_api(browser, "C01X00T8").status_code == 422
    assert on_api(browser, "C01X00T8").status_code == 422
    before = stored()
    for number in ("C77777777", None):  # a fresh passport, or none at all
        answer = on_api(browser, number)
        assert answer.status_code == 429
        assert 0 < int(answer["Retry-After"]) <= 86400
        [said] = answer.json()["detail"]
        assert "cannot enter new persons" in said["message"] and "不能再录入新人员" in said["message_zh"]
    assert stored() == before
    # another account is not held back by this one's refusals
    other = client_for(UserFactory(role=Role.UNIT, unit=UnitFactory()))
    assert on_api(other, "C77777777").status_code == 201


def on_record(browser, person_id: int, number: str):
    doc = {"number": number, "issuing_country": "DEU", "issued_on": "2021-04-01", "expires_on": "2031-03-31"}
    url = f"/api/v1/people/{person_id}/travel-documents"
    return browser.post(url, json.dumps(doc), content_type="application/json")


@pytest.mark.usefixtures("limit")
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROXY])
def test_recording_a_passport_held_by_someone_outside_the_mandate_is_the_same_probe(role) -> None:
    """POST /people/{id}/travel-documents for a person the account reads: a passport another person holds
    was refused by the registry's unique check alone (422, 'already exists'), unaudited and uncounted, so
    any applicant could test passports on their own record without end. Now as a new person's: audited,
    counted, and past the limit no passport is recorded at all (429), so the answer tells nothing more."""
    user = applicant() if role == Role.APPLICANT else UserFactory(role=role, unit=UnitFactory(kind="agency"))
    own = user.person if role == Role.APPLICANT else started(user, "rp-work", person=PersonFactory()).person
    someone_with("C01X00T8")
    someone_with("C01X00T9")
    browser = client_for(user)
    for number in ("C01X00T8", "C01X00T9"):
        answer = on_record(browser, own.pk, number)
        assert answer.status_code == 422
        [said] = answer.json()["detail"]
        why = "under another record" if role == Role.APPLICANT else "you do not act for"  # a mandate or not
        assert said["field"] == "number" and why in said["message"]
    entries = AuditEntry.objects.filter(action="person.passport.refused", actor=user)
    assert entries.count() == 2 and {e.new["number"] for e in entries} == {"******T8", "******T9"}
    before = stored()
    answer = on_record(browser, own.pk, "C77777777")  # a passport the registry does not hold: refused too
    assert answer.status_code == 429 and 0 < int(answer["Retry-After"]) <= 86400
    [said] = answer.json()["detail"]
    assert "cannot enter new persons" in said["message"] and "不能再录入新人员" in said["message_zh"]
    assert stored() == before
    paths = browser.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/cases", "/api/v1/people/{person_id}/travel-documents"):
        assert "429" in paths[path]["post"]["responses"]  # documented (it was not for POST /cases)


def test_recording_a_passport_again_for_the_same_person_is_no_probe() -> None:
    user = applicant()
    browser = client_for(user)
    assert on_record(browser, user.person_id, "C01X00T8").status_code == 201
    assert on_record(browser, user.person_id, "C01X00T8").status_code == 422
    assert not AuditEntry.objects.filter(action="person.passport.refused").exists()


def status_check(number: str, person) -> dict:
    """An institution's Art. 27 request by number and name, over the API."""
    from exitentry.accounts.models import Unit

    bank = UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind=Unit.Kind.BANK))
    body = {"document_number": number, "name": f"{person.surname} {person.given_names}"}
    found = client_for(bank).post(
        "/api/v1/status-checks/document", json.dumps(body), content_type="application/json"
    )
    assert found.status_code == 200
    return found.json()


def test_a_passport_an_applicant_records_on_their_own_record_is_a_claim_until_the_hall_checks_it():
    """Any applicant could record a number the registry does not hold on their own record (201), and an
    institution's Art. 27 request by that number then found them as its holder, and the real holder's
    entry was refused. It is now a claim: no status check or passport refusal takes it for the
    registry's; the hall confirms it at intake, with the passport in hand."""
    user = applicant()
    assert on_record(client_for(user), user.person_id, "C01X00Z1").status_code == 201
    claim = TravelDocument.objects.get(number="C01X00Z1")
    assert claim.claim and status_check("C01X00Z1", user.person)["match"] is False
    entry = AuditEntry.objects.get(action="person.document", object_id=str(user.person_id))
    assert entry.new["claim"] is True
    # the number's real holder, entered by their agency through the API: no refusal, nothing counted
    agency = UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency"))
    entered = on_api(client_for(agency), "C01X00Z1")
    assert entered.status_code == 201, entered.content
    assert not AuditEntry.objects.filter(action="person.passport.refused").exists()
    real = Person.objects.get(surname="Müller")
    # at intake the hall checks the applicant's passport: the claim becomes the registry's
    case = submitted(user, "rp-work")
    Case.objects.filter(pk=case.pk).update(travel_document=claim)
    case.refresh_from_db()
    hall_receives(actor(officer(case.hall_id)), case)
    claim.refresh_from_db()
    assert not claim.claim and status_check("C01X00Z1", user.person)["match"] is True
    assert AuditEntry.objects.filter(action="person.document.confirm", object_id=str(user.person_id)).exists()
    # the other claim of that number is refused at its intake, and stays a claim
    drafted = Case.objects.get(pk=entered.json()["id"])  # the agency's draft, not a second one
    other = services.submit(
        actor(agency), drafted, services.hall_choices(catalog().procedure("rp-work"), drafted.facts)[0]
    )
    Case.objects.filter(pk=other.pk).update(travel_document=TravelDocument.objects.get(person=real))
    other.refresh_from_db()
    with pytest.raises(Exception, match="another person"):
        hall_receives(actor(officer(other.hall_id)), other)
    assert TravelDocument.objects.get(person=real).claim


def test_a_claim_confirmed_while_another_holds_the_number_is_refused_not_a_server_error():
    """Two intakes of the same number at once both pass the check; the second's update then meets the
    one-document-per-number index: refused as held by another person, the claim left a claim."""
    from exitentry.cases.services.intake import confirm_claim
    from exitentry.cases.services.reading import Refused

    someone_with("C01X00Z2")  # confirmed between the other intake's check and its update
    claim = TravelDocument.objects.create(
        person=PersonFactory(),
        number="C01X00Z2",
        issuing_country="DEU",
        issued_on=TODAY - 900 * DAY,
        expires_on=TODAY + 900 * DAY,
        claim=True,
    )
    with pytest.raises(Refused, match="another person"):
        confirm_claim(claim)
    claim.refresh_from_db()
    assert claim.claim
