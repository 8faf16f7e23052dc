"""An expired passport is no "valid passport or other international travel document" the materials require
(Regulations Art. 16; the guides' lists): a new person entered with one is refused beside the date, a draft
whose person's passport has expired is not submitted (the page and the service say why, citing), and a
travel document past its date of expiry reads "expired" wherever it is shown."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from advisor_forms import new_person
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture
from test_apply_for_others import offer

from case_helpers import started
from exitentry.accounts.models import Role
from exitentry.cases import services
from exitentry.cases.models import Case
from exitentry.law.catalog import catalog
from exitentry.law.rulefunctions import RULE_FUNCTIONS
from exitentry.law.rules.travel_documents import asks_valid_passport, refused_as_expired
from exitentry.law.sources import Citation
from exitentry.registry.models import Person, TravelDocument
from factories import TODAY, PersonFactory, TravelDocumentFactory, UserFactory, actor

pytestmark = pytest.mark.django_db
EXPIRED = dict(passport_issued_on="2015-01-02", passport_expires_on="2025-01-01")


def test_the_law_core_refuses_from_the_day_after_expiry_citing_the_material():
    assert refused_as_expired(TODAY, TODAY) is None
    found = refused_as_expired(TODAY - timedelta(days=1), TODAY)
    assert found is not None and [str(c.section) for c in found.cite] == ["Art. 16"]
    assert "expired on 1 November 2026" in found.text.en and "valid passport" in found.text.en
    assert "2026年11月1日过期" in found.text.zh and "第十六条" in found.text.zh


@pytest.mark.parametrize(
    ("lang", "says"),
    [("en", "The passport expired on 1 January 2025"), ("zh-hans", "该护照已于2025年1月1日过期")],
)
def test_a_new_person_with_an_expired_passport_is_refused_and_nothing_is_stored(lang, says):
    browser = client_for(UserFactory(role=Role.PROXY))
    _, answers = offer(browser, "rp-personal-affairs", lang)
    response = browser.post(f"/{lang}/apply/rp-personal-affairs/", answers | new_person(**EXPIRED))
    assert response.status_code == 422 and says in html(response)
    assert not Case.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize(
    ("procedure", "cited", "not_cited"),
    [
        ("stay-permit", "Art. 12", "Art. 16"),  # a stay permit's materials: Regulations Art. 12
        ("rp-personal-affairs", "Beijing guide to personal affairs residence permits, Materials", "Art. 12"),
    ],
)
def test_the_new_person_form_cites_the_travel_document_line_of_the_procedure_chosen(
    procedure, cited, not_cited
):
    browser = client_for(UserFactory(role=Role.PROXY))
    _, answers = offer(browser, procedure)
    response = browser.post(f"/en/apply/{procedure}/", answers | new_person(**EXPIRED))
    said = html(response).split("The passport expired on 1 January 2025", 1)[1].split("</", 1)[0]
    assert response.status_code == 422 and cited in said and not_cited not in said


def test_a_procedure_with_no_travel_document_line_cites_no_article_of_another():
    found = refused_as_expired(TODAY - timedelta(days=1), TODAY, materials=())
    assert found is not None and found.cite == () and "valid passport" in found.text.en
    assert "Art." not in found.text.en and "第十六条" not in found.text.zh and "()" not in found.text.en


def _expired_draft() -> tuple[object, Case]:
    agent = UserFactory(role=Role.PROXY)
    person = PersonFactory()
    TravelDocumentFactory(person=person, issued_on=date(2015, 1, 2), expires_on=date(2025, 1, 1), claim=True)
    return agent, started(agent, "rp-personal-affairs", person=person)


def test_a_draft_whose_passport_has_expired_is_not_submitted_saying_why():
    agent, case = _expired_draft()
    with pytest.raises(services.Refused) as refused:
        services.submit(actor(agent), case, "reception-hall", on=TODAY)
    assert (
        refused.value.field == "travel_document" and "expired on 1 January 2025" in refused.value.message.en
    )
    case.refresh_from_db()
    assert case.state == "draft"


@pytest.mark.parametrize(("lang", "mark"), [("en", "expired"), ("zh-hans", "已过期")])
def test_the_draft_page_marks_the_passport_expired_and_refuses_the_submission(lang, mark):
    agent, case = _expired_draft()
    browser = client_for(agent)
    page = html(browser.get(f"/{lang}/my/{case.pk}/"))
    assert f'<strong class="expired">{mark}</strong>' in page
    response = browser.post(
        f"/{lang}/my/{case.pk}/submit/", {"hall_id": "reception-hall", "missing_confirmed": "on"}
    )
    assert response.status_code == 422
    assert ("2025年1月1日过期" if lang == "zh-hans" else "expired on 1 January 2025") in html(response)


def test_a_passport_in_force_is_not_marked_expired():
    agent = UserFactory(role=Role.PROXY)
    person = PersonFactory()
    TravelDocument.objects.create(
        person=person, number="C0000001", issuing_country="DEU", issued_on=TODAY, expires_on=TODAY, claim=True
    )
    case = started(agent, "rp-personal-affairs", person=person)
    assert 'class="expired"' not in html(client_for(agent).get(f"/en/my/{case.pk}/"))


# --- Regulations Art. 23: the exit formalities are for those without a valid passport --------------------

WITHOUT = "exit-without-passport"


def test_the_law_core_does_not_refuse_an_expired_passport_for_the_exit_without_a_valid_one():
    """Regulations Art. 23: a foreigner who holds no valid passport "due to loss, damage, theft, robbery or
    other reasons" applies for exit formalities; an expired passport is one such reason, not a refusal."""
    procedure = catalog().procedure(WITHOUT)
    assert not asks_valid_passport(procedure)
    assert refused_as_expired(TODAY - timedelta(days=1), TODAY, procedure=procedure) is None
    rule = RULE_FUNCTIONS["exitentry.law.rules.travel_documents.asks_valid_passport"]
    assert Citation("regulations", "Art. 23") in rule.cite
    assert asks_valid_passport(catalog().procedure("rp-personal-affairs"))
    other = refused_as_expired(TODAY - timedelta(days=1), TODAY, procedure=catalog().procedure("stay-permit"))
    assert other is not None


def test_the_exit_without_a_valid_passport_is_submitted_with_an_expired_one():
    agent = UserFactory(role=Role.PROXY)
    person = PersonFactory()
    TravelDocumentFactory(person=person, issued_on=date(2015, 1, 2), expires_on=date(2025, 1, 1), claim=True)
    case = started(agent, WITHOUT, person=person)
    hall = services.hall_choices(catalog().procedure(WITHOUT), case.facts)[0]
    services.submit(actor(agent), case, hall, on=TODAY)
    case.refresh_from_db()
    assert case.state == "submitted"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_new_person_with_an_expired_passport_starts_the_exit_without_a_valid_one(lang):
    browser = client_for(UserFactory(role=Role.PROXY))
    _, answers = offer(browser, WITHOUT, lang)
    response = browser.post(f"/{lang}/apply/{WITHOUT}/", answers | new_person(**EXPIRED))
    assert response.status_code == 302, html(response)
    assert Case.objects.get().procedure_id == WITHOUT
