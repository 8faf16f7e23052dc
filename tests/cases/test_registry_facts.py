"""Facts the registry holds come from the registry: filled in when left out, a different value refused
with what the record says, on starting a case and on editing its facts, through the services and the API."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from case_helpers import client_for
from exitentry.cases import services
from exitentry.cases.models import Case
from exitentry.registry.models import EntryExit, Person, Visa
from factories import (
    TODAY,
    PermitFactory,
    PersonFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    VisaFactory,
    actor,
    applicant,
    eligible_facts,
)

pytestmark = pytest.mark.django_db

ENTERED = TODAY - timedelta(days=12)


def arrived(person: Person, category: str = "Z", *, within: int | None = 30) -> Visa:
    """A passport, a visa of ``category`` and the entry on it, ``ENTERED``."""
    passport = TravelDocumentFactory(person=person, issuing_country=person.nationality)
    visa = VisaFactory(
        travel_document=passport,
        category=category,
        duration_of_stay_days=0 if within else 30,
        valid_from=ENTERED - timedelta(days=20),
        valid_until=ENTERED + timedelta(days=60),
        residence_permit_within_days=within,
    )
    EntryExit.objects.create(
        person=person, direction="entry", on=ENTERED, port="PEK", travel_document=passport
    )
    return visa


def test_a_birth_date_other_than_the_persons_record_is_refused_saying_what_the_registry_holds():
    user = applicant(person=PersonFactory(birth_date=date(1988, 3, 14)))
    facts = eligible_facts("rp-work") | {"birth_date": "1990-05-01"}
    with pytest.raises(services.Refused) as refused:
        services.start_case(actor(user), procedure_id="rp-work", person=user.person, facts=facts, on=TODAY)
    assert refused.value.field == "facts.birth_date"
    assert "14 March 1988" in refused.value.message.en and "1 May 1990" in refused.value.message.en
    assert "corrected at an exit-entry hall" in refused.value.message.en
    assert "1988年3月14日" in refused.value.message.zh and "更正" in refused.value.message.zh
    assert not Case.objects.exists()


def test_facts_left_out_are_taken_from_the_person_the_visa_and_the_entry():
    user = applicant(person=PersonFactory(birth_date=date(1988, 3, 14)))
    arrived(user.person, "Z", within=30)
    facts = {k: v for k, v in eligible_facts("rp-work").items() if k in ("validity", "high_level_talent")}
    case = services.start_case(
        actor(user),
        procedure_id="rp-work",
        person=user.person,
        facts=facts | {"limited_mobility": False},
        on=TODAY,
    )
    assert case.facts["birth_date"] == "1988-03-14"
    assert case.facts["visa_requires_residence_permit"] is True  # the visa says so (Art. 9)
    assert case.facts["entry_date"] == ENTERED.isoformat()
    assert case.facts_from_registry == ["birth_date", "entry_date", "visa_requires_residence_permit"]
    assert services.advice_for(case, TODAY).status == "complete"


def test_the_visa_category_a_procedure_asks_for_is_the_visa_of_the_current_stay():
    user = applicant()
    arrived(user.person, "S1")
    facts = eligible_facts("rp-personal-affairs") | {
        "visa_category": "L",
        "visa_requires_residence_permit": True,
    }
    with pytest.raises(services.Refused) as refused:
        services.start_case(
            actor(user), procedure_id="rp-personal-affairs", person=user.person, facts=facts, on=TODAY
        )
    assert refused.value.field == "facts.visa_category"
    assert "S1 (family of a foreigner in China, long-term)" in refused.value.message.en
    assert "S1字（在华外国人家属，长期）" in refused.value.message.zh
    facts.pop("visa_category")
    case = services.start_case(
        actor(user), procedure_id="rp-personal-affairs", person=user.person, facts=facts, on=TODAY
    )
    assert case.facts["visa_category"] == "S1" and "visa_category" in case.facts_from_registry


def test_an_extension_takes_the_type_and_the_last_day_of_the_permit_it_acts_on():
    user = applicant()
    permit = PermitFactory(person=user.person, permit_type="study", valid_until=date(2027, 1, 31))
    facts = eligible_facts("rp-extension") | {"residence_permit_type": "work"}
    with pytest.raises(services.Refused) as refused:
        services.start_case(
            actor(user), procedure_id="rp-extension", person=user.person, facts=facts, permit=permit, on=TODAY
        )
    assert refused.value.field == "facts.residence_permit_type"
    facts.pop("residence_permit_type")
    case = services.start_case(
        actor(user), procedure_id="rp-extension", person=user.person, facts=facts, permit=permit, on=TODAY
    )
    assert case.facts["residence_permit_type"] == "study"
    assert case.facts["permit_expiry_date"] == "2027-01-31"  # the 30-days-before duty runs from it


def test_editing_a_drafts_birth_date_away_from_the_record_is_refused_and_the_facts_stay():
    user = applicant()
    case = services.start_case(
        actor(user), procedure_id="rp-work", person=user.person, facts=eligible_facts("rp-work"), on=TODAY
    )
    before = dict(case.facts)
    with pytest.raises(services.Refused) as refused:
        services.update_facts(actor(user), case, {"birth_date": "1970-01-01"}, on=TODAY)
    assert refused.value.field == "facts.birth_date"
    case.refresh_from_db()
    assert case.facts == before
    services.update_facts(actor(user), case, {"birth_date": None, "validity": "P1Y"}, on=TODAY)
    case.refresh_from_db()
    assert case.facts["birth_date"] == user.person.birth_date.isoformat() and case.facts["validity"] == "P1Y"


def post(client, path: str, body: dict):
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_the_api_refuses_a_new_persons_facts_that_differ_from_the_person_given_and_stores_nobody():
    handler = UserFactory(role="unit", unit=UnitFactory())
    body = {
        "procedure": "rp-work",
        "person": {"surname": "Müller", "sex": "F", "birth_date": "1988-03-14", "nationality": "DEU"},
        "facts": eligible_facts("rp-work") | {"birth_date": "1990-05-01"},
    }
    response = post(client_for(handler), "/cases", body)
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["field"] == "facts.birth_date"
    assert "14 March 1988" in detail["message"] and "1988年3月14日" in detail["message_zh"]
    assert not Person.objects.filter(surname="Müller").exists() and not Case.objects.exists()


def test_the_api_and_the_case_page_say_which_facts_came_from_the_registry():
    user = applicant(person=PersonFactory(birth_date=date(1988, 3, 14)))
    facts = {k: v for k, v in eligible_facts("rp-work").items() if k != "birth_date"}
    case = services.start_case(actor(user), procedure_id="rp-work", person=user.person, facts=facts)
    client = client_for(user)
    assert client.get(f"/api/v1/cases/{case.pk}").json()["facts_from_registry"] == ["birth_date"]
    page = client.get(f"/en/my/{case.pk}/").content.decode()
    assert "From the registry record" in page and "applicant&#x27;s date of birth?" in page
    assert "14 March 1988" in page and "Mon 14 March 1988" not in page  # a date of birth, no weekday
    page_zh = client.get(f"/zh-hans/my/{case.pk}/").content.decode()
    assert (
        "取自出入境登记记录" in page_zh
        and "1988年3月14日" in page_zh
        and "1988年3月14日（周一）" not in page_zh
    )


def test_the_visa_facts_are_of_the_visa_the_stay_is_on_even_after_its_validity_for_entry_ran_out():
    """The registry's facts read the visa of the stay as ``registry.stay.visa_of_last_entry`` does (the
    visa entered on, Regulations Art. 36(2)); the stay it allows outlives its validity for entry
    (Art. 36(3)). ``held`` once asked for a visa still in force on the day, so here it took the older visa
    of the same passport, still in force, where the pages and the scan read the one entered on."""
    from exitentry.cases.registry_facts import held
    from exitentry.law.catalog import catalog
    from exitentry.registry.stay import visa_of_last_entry

    person = PersonFactory()
    passport = TravelDocumentFactory(person=person, issuing_country=person.nationality)
    VisaFactory(  # older, still in force today
        travel_document=passport,
        category="L",
        duration_of_stay_days=30,
        valid_from=ENTERED - timedelta(days=200),
        valid_until=TODAY + timedelta(days=100),
        residence_permit_within_days=None,
    )
    entered_on = VisaFactory(  # the newest on the day of entry; its validity for entry ends before today
        travel_document=passport,
        category="S1",
        duration_of_stay_days=0,
        valid_from=ENTERED - timedelta(days=20),
        valid_until=ENTERED + timedelta(days=5),
        residence_permit_within_days=30,
    )
    EntryExit.objects.create(
        person=person, direction="entry", on=ENTERED, port="PEK", travel_document=passport
    )
    assert visa_of_last_entry(person, TODAY)[1] == entered_on
    found = held(person, catalog().procedure("rp-personal-affairs"), None, TODAY)
    assert found["visa_category"] == "S1"
    assert found["visa_requires_residence_permit"] is True
    assert found["entry_date"] == ENTERED.isoformat()


def test_the_after_entry_duty_is_met_by_a_residence_permit_or_an_application_accepted_since_the_entry():
    """The duty is to apply within the days the visa states: an application accepted since the entry (its
    receipt) meets it, as the compliance scan and My permits say, not only a permit issued."""
    from exitentry.cases.models import Receipt
    from exitentry.cases.registry_facts import after_entry

    person = PersonFactory()
    arrived(person, within=30)
    assert after_entry(person, TODAY) == (30, False)
    user = UserFactory()

    def accepted_on(day, number):
        case = Case.objects.create(
            procedure_id="rp-work", person=person, submitted_by=user, acting_as="self", state="accepted"
        )
        Receipt.objects.create(case=case, number=number, issued_on=day, issued_by=user)

    accepted_on(ENTERED - timedelta(days=1), "R1")
    assert after_entry(person, TODAY) == (30, False)  # accepted before this entry: not this stay's
    accepted_on(ENTERED + timedelta(days=3), "R2")
    assert after_entry(person, TODAY) == (30, True)
