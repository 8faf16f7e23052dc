"""A change of employer is applied for by the new employer (bj-one-stop 3. The service scope (2)): the unit
that employs the person on the day is refused it by the service and the API, and is not offered it on the
apply page or the permit's page; another unit still may start it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from advisor_forms import as_answers
from page_world import html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import client_for
from exitentry.cases import services
from exitentry.cases.models import Case
from exitentry.law.sources import cite
from factories import AffiliationFactory, PermitFactory, actor, eligible_facts, unit_handler

pytestmark = pytest.mark.django_db

TRANSFER = "one-stop-work-permits-transfer"
LAST_DAY = date(2027, 6, 30)


@pytest.fixture
def employer():
    return unit_handler()


@pytest.fixture
def residence(employer):
    """A residence permit of an employee on ``employer``'s roster, with a work permit ending the same day."""
    person = AffiliationFactory(unit=employer.unit, person__surname="Okafor").person
    PermitFactory(person=person, kind="work-permit", permit_type="", number="DWPOKA1", valid_until=LAST_DAY)
    return PermitFactory(person=person, number="DWOKAF01", valid_until=LAST_DAY)


def start(user, permit):
    return services.start_case(
        actor(user),
        procedure_id=TRANSFER,
        person=permit.person,
        facts=eligible_facts(TRANSFER),
        permit=permit,
    )


def new_employer(person):
    """A handler of another unit holding a mandate for ``person`` (an application of its own for them)."""
    other = unit_handler()
    Case.objects.create(
        procedure_id="one-stop-work-permits",
        person=person,
        submitted_by=other,
        acting_as="unit",
        unit=other.unit,
    )
    return other


def test_the_service_refuses_the_present_employer_in_both_languages_citing_the_guide(employer, residence):
    with pytest.raises(services.Refused) as refused:
        start(employer, residence)
    assert refused.value.field == "procedure"
    assert "new employer applies" in refused.value.message.en and "新用人单位" in refused.value.message.zh
    assert "3. The service scope (2)" in {c.section for c in refused.value.cite}
    said = cite("bj-one-stop", "3. The service scope (2)").label  # the guide's title, never retyped
    assert said.en in refused.value.message.en and said.zh in refused.value.message.zh
    assert not Case.objects.filter(procedure_id=TRANSFER).exists()


def test_the_api_answers_422(employer, residence):
    body = {"procedure": TRANSFER, "person_id": residence.person_id, "permit_id": residence.pk}
    body["facts"] = eligible_facts(TRANSFER)
    response = client_for(employer).post("/api/v1/cases", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["field"] == "procedure" and "new employer applies" in detail["message"]


def test_another_unit_still_may(residence):
    case = start(new_employer(residence.person), residence)
    assert case.procedure_id == TRANSFER and case.permit == residence


def test_the_apply_page_does_not_offer_the_employees_permit_to_the_employer(employer, residence):
    query = as_answers(eligible_facts(TRANSFER))
    page = html(client_for(employer).get(f"/en/apply/{TRANSFER}/", query))
    assert residence.number not in page
    other = html(client_for(new_employer(residence.person)).get(f"/en/apply/{TRANSFER}/", query))
    assert residence.number in other.split('<select id="permit"', 1)[1].split("</select>", 1)[0]


def test_the_permit_page_does_not_offer_it_to_the_employer(employer, residence):
    page = html(client_for(employer).get(f"/en/my/permits/{residence.pk}/"))
    assert f"/advisor/{TRANSFER}/" not in page and "the new employer applies" in page
    other = html(client_for(new_employer(residence.person)).get(f"/en/my/permits/{residence.pk}/"))
    assert f"/advisor/{TRANSFER}/" in other
