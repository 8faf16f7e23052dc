"""What a unit's page of one employee offers to start: the procedures that the unit itself may apply for
(not the change of employer, which the new employer applies for), and on the apply page reached from it
only that person's permits of the kind the procedure acts on."""

from __future__ import annotations

from datetime import date

import pytest
from advisor_forms import as_answers
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from factories import AffiliationFactory, PermitFactory, eligible_facts, unit_handler

pytestmark = pytest.mark.django_db

TRANSFER = "one-stop-work-permits-transfer"
RENEWAL = "one-stop-work-permits-renewal"
LAST_DAY = date(2027, 6, 30)


@pytest.fixture
def handler():
    return unit_handler()


def employee(handler, surname: str):
    """An employee on the handler's roster holding a work-type residence permit and a work permit that end
    on the same day (the one-stop procedures renew them together)."""
    person = AffiliationFactory(unit=handler.unit, person__surname=surname).person
    residence = PermitFactory(person=person, number=f"DW{surname[:4].upper()}01", valid_until=LAST_DAY)
    work = PermitFactory(
        person=person,
        kind="work-permit",
        permit_type="",
        number=f"DWP{surname[:4].upper()}1",
        valid_until=LAST_DAY,
    )
    return person, residence, work


def test_the_employer_is_not_offered_the_change_of_employer_for_its_own_employee(handler):
    person, residence, work = employee(handler, "Okafor")
    page = html(client_for(handler).get(f"/en/unit/people/{person.pk}/"))
    assert f"/advisor/{RENEWAL}/" in page  # what the unit may apply for is offered
    assert f"/advisor/{TRANSFER}/" not in page
    assert "the new employer applies" in page  # said instead, once
    zh = html(client_for(handler).get(f"/zh-hans/unit/people/{person.pk}/"))
    assert f"/advisor/{TRANSFER}/" not in zh and "由新用人单位申请" in zh


def test_the_new_employer_applies_cites_where_it_submits_not_where_the_permits_are_claimed(handler):
    """Seed 002: the new employer applies (3. The service scope (2)) and submits online (4. How to apply a);
    4. c, claiming the permits, is not who applies."""
    person, _, _ = employee(handler, "Okafor")
    page = html(client_for(handler).get(f"/en/unit/people/{person.pk}/"))
    said = page.split("the new employer applies", 1)[1].split("</p>", 1)[0]
    assert "3. The service scope (2)" in said and "4. How to apply, item (a)" in said
    assert "4. How to apply, item (c)" not in said


@pytest.mark.parametrize("started_from", ["residence", "work"])
def test_the_apply_page_from_a_persons_permit_offers_only_their_permits_of_the_procedures_kind(
    handler, started_from
):
    person, residence, work = employee(handler, "Okafor")
    _, other_residence, other_work = employee(handler, "Bellman")
    chosen = residence if started_from == "residence" else work
    query = as_answers(eligible_facts(RENEWAL)) | {"permit": str(chosen.pk)}
    page = html(client_for(handler).get(f"/en/apply/{RENEWAL}/", query))
    options = page.split('<select id="permit"', 1)[1].split("</select>", 1)[0]
    assert residence.number in options
    for number in (work.number, other_residence.number, other_work.number):
        assert number not in options
    assert f'value="{residence.pk}" selected' in options


def test_the_apply_page_from_the_guide_still_offers_the_roster_but_not_work_permits(handler):
    _, residence, work = employee(handler, "Okafor")
    _, other_residence, _ = employee(handler, "Bellman")
    page = html(client_for(handler).get(f"/en/apply/{RENEWAL}/", as_answers(eligible_facts(RENEWAL))))
    options = page.split('<select id="permit"', 1)[1].split("</select>", 1)[0]
    assert residence.number in options and other_residence.number in options
    assert work.number not in options


def test_the_employer_refused_a_first_application_for_its_employee_is_not_offered_the_change_of_employer(
    handler,
):
    """As on the person's page (bj-one-stop 3. The service scope (2)): the new employer applies for it."""
    person, _, _ = employee(handler, "Okafor")
    facts = as_answers(eligible_facts("one-stop-work-permits")) | {"person": str(person.pk)}
    page = html(client_for(handler).post("/en/apply/one-stop-work-permits/", facts))
    assert "A permit of this kind is already held" in page
    instead = page.split('class="instead"', 1)[1].split("</ul>", 1)[0]
    assert f'href="/en/guide/{RENEWAL}/"' in instead
    assert f'href="/en/guide/{TRANSFER}/"' not in instead
