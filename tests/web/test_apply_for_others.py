"""Starting an application on the web: a proxy or unit handler for a person it acts for or a new one (as
``POST /cases`` allows), an applicant for themself; what the registry holds and a permit already held are
shown on the page, beside the answer or with the procedures that apply instead; nothing stored on an error."""

from __future__ import annotations

import re
from datetime import date

import pytest
from advisor_forms import as_answers, form_with_class, hidden_fields, new_person
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import submitted
from exitentry.accounts.models import Role
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.registry.models import Person, TravelDocument
from factories import PermitFactory, PersonFactory, UnitFactory, UserFactory, applicant, eligible_facts

pytestmark = pytest.mark.django_db


def offer(client, procedure_id: str, lang: str = "en", facts: dict | None = None) -> tuple[str, dict]:
    """The apply page for the procedure's eligible answers, and the hidden fields its start form posts."""
    response = client.get(f"/{lang}/apply/{procedure_id}/", as_answers(facts or eligible_facts(procedure_id)))
    assert response.status_code == 200
    page = html(response)
    return page, hidden_fields(form_with_class(page, "start-application"))


NEW_PERSON = new_person(given_names="Anna Maria", chinese_name="穆安娜", passport_number="c01x00t8 ")


@pytest.fixture
def handler():
    return UserFactory(role=Role.UNIT, unit=UnitFactory())


@pytest.fixture
def agent():
    return UserFactory(role=Role.PROXY)


def test_a_proxy_starts_a_draft_for_a_new_person_with_a_passport(agent):
    browser = client_for(agent)
    page, answers = offer(browser, "rp-work")
    assert "Who is this application for?" in page and '<option value="DEU">Germany</option>' in page
    response = browser.post("/en/apply/rp-work/", answers | NEW_PERSON)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/my/{case.pk}/"
    person = case.person
    assert (person.surname, person.given_names, person.chinese_name) == ("Müller", "Anna Maria", "穆安娜")
    assert (person.sex, person.birth_date, person.nationality) == ("F", date(1985, 6, 1), "DEU")
    passport = TravelDocument.objects.get(person=person)
    assert (passport.number, passport.issuing_country) == ("C01X00T8", "DEU")
    assert (case.state, case.submitted_by, case.acting_as) == (State.DRAFT, agent, "proxy")
    draft = html(browser.get(response["Location"]))
    assert "The draft is saved" in draft and "MÜLLER Anna Maria" in draft


def test_a_unit_handler_starts_a_draft_for_an_employee_it_already_acts_for(handler):
    employee = PersonFactory()
    submitted(handler, "rp-study", person=employee)
    browser = client_for(handler)
    page, answers = offer(browser, "rp-work", "zh-hans")
    assert f'value="{employee.pk}"' in page and "德国" in page and "为谁申请？" in page
    response = browser.post("/zh-hans/apply/rp-work/", answers | {"person": str(employee.pk)})
    assert response.status_code == 302
    case = Case.objects.get(procedure_id="rp-work")
    assert (case.person, case.unit, case.acting_as) == (employee, handler.unit, "unit")
    assert Person.objects.count() == 1


def test_another_units_employee_is_not_offered_and_posting_them_is_404(handler):
    stranger = PersonFactory()
    other = UserFactory(role=Role.UNIT, unit=UnitFactory())
    submitted(other, "rp-study", person=stranger)
    browser = client_for(handler)
    page, answers = offer(browser, "rp-work")
    assert f'value="{stranger.pk}"' not in page and stranger.surname not in page
    response = browser.post("/en/apply/rp-work/", answers | {"person": str(stranger.pk)})
    assert response.status_code == 404
    assert Case.objects.filter(procedure_id="rp-work").count() == 0


def test_bad_input_is_shown_beside_the_fields_in_chinese_and_nothing_is_stored(agent):
    browser = client_for(agent)
    _, answers = offer(browser, "rp-work", "zh-hans")
    bad = NEW_PERSON | {
        "person-surname": "",
        "person-nationality": "XXX",
        "person-passport_issued_on": "2031-04-01",
        "person-passport_country": "",
    }
    response = browser.post("/zh-hans/apply/rp-work/", answers | bad)
    assert response.status_code == 422
    page = html(response)
    assert '<span class="error" id="id_person-surname_error">这个字段是必填项。</span>' in page
    # the field names its error
    assert 'aria-invalid="true" aria-describedby="id_person-surname_error"' in page
    assert 'id="id_person-nationality_error">' in page and "选择一个有效的选项" in page
    assert (
        '<span class="error" id="id_person-passport_country_error">请填写护照的全部信息，或全部留空。</span>'
        in page
    )
    assert (
        '<span class="error" id="id_person-passport_expires_on_error">护照的有效期不能早于签发日期。</span>'
        in page
    )
    assert 'id="person-error">请核对新人员的信息。</p>' in page
    assert 'value="Müller"' not in page and 'value="穆安娜"' in page  # what was typed stays in the form
    assert not Person.objects.exists() and not Case.objects.exists() and not TravelDocument.objects.exists()


def test_a_refusal_by_the_services_stores_no_new_person(agent):
    """The new person's date of birth and the advisor's answer differ: refused, and no person is left."""
    browser = client_for(agent)
    _, answers = offer(browser, "rp-work")
    response = browser.post("/en/apply/rp-work/", answers | NEW_PERSON | {"person-birth_date": "1990-05-01"})
    assert response.status_code == 422
    page = html(response)
    assert 'id="answer-error"' in page and "1 May 1990" in page and "1 June 1985" in page
    # the person has no record yet: the advisor's answer and the details entered differ, either may change
    assert "The details entered for the new person give 1 May 1990" in page and "record" not in page
    assert 'name="ask" value="birth_date"' in page
    assert not Person.objects.exists() and not Case.objects.exists()
    response = browser.post(
        "/zh-hans/apply/rp-work/", answers | NEW_PERSON | {"person-birth_date": "1990-05-01"}
    )
    assert "为新人员填写的信息中" in html(response) and "登记记录" not in html(response)


def test_a_proxy_renews_a_permit_of_a_person_it_acts_for_the_permit_naming_the_person(agent):
    client = PersonFactory()
    submitted(agent, "rp-study", person=client)
    permit = PermitFactory(person=client, permit_type="work", valid_until=date(2027, 6, 30))
    PermitFactory(permit_type="work", number="STRANGER01")  # someone else's
    browser = client_for(agent)
    page, answers = offer(browser, "rp-renewal")
    assert permit.number in page and "STRANGER01" not in page and f"{client} · {permit.number}" in page
    response = browser.post("/en/apply/rp-renewal/", answers | {"permit": str(permit.pk)})
    assert response.status_code == 302
    case = Case.objects.get(procedure_id="rp-renewal")
    assert (case.person, case.permit) == (client, permit)


def test_an_answer_the_registry_holds_otherwise_is_refused_beside_that_answer():
    user = applicant(person=PersonFactory(birth_date=date(1988, 3, 14)))
    browser = client_for(user)
    _, answers = offer(browser, "rp-work", "zh-hans")
    response = browser.post("/zh-hans/apply/rp-work/", answers)
    assert response.status_code == 422
    page = html(response)
    beside = page[page.index("申请人的出生日期是？") : page.index("申请人是否因疾病")]
    assert 'id="answer-error"' in beside and "1988年3月14日" in beside and "出入境接待大厅更正" in beside
    assert 'name="ask" value="birth_date"' in beside  # back to the advisor to change it
    assert not Case.objects.exists()


def test_a_permit_already_held_is_named_with_links_to_the_procedures_instead_and_no_start_is_offered():
    user = applicant()
    PermitFactory(person=user.person, number="E20000002", permit_type="private-affairs")
    facts = as_answers(eligible_facts("rp-personal-affairs"))
    browser = client_for(user)
    response = browser.get("/en/apply/rp-personal-affairs/", facts)
    page = html(response)
    assert "A permit of this kind is already held" in page and "No. E20000002" in page
    for guide in ("rp-personal-affairs-extension", "rp-renewal"):
        assert f'href="/en/guide/{guide}/"' in page
    assert 'href="/en/guide/rp-extension/"' not in page  # the type's own extension, not the any-type one
    assert "start-application" not in page
    assert browser.post("/en/apply/rp-personal-affairs/", facts).status_code == 200
    assert not Case.objects.exists()


def test_a_proxy_is_told_beside_the_choice_when_the_person_chosen_holds_the_permit_already(agent):
    client = PersonFactory()
    submitted(agent, "rp-study", person=client)
    PermitFactory(person=client, number="E30000003", permit_type="work", valid_until=date(2027, 6, 30))
    browser = client_for(agent)
    _, answers = offer(browser, "rp-work", "zh-hans")
    response = browser.post("/zh-hans/apply/rp-work/", answers | {"person": str(client.pk)})
    assert response.status_code == 422
    page = html(response)
    assert "已持有同类证件" in page and "编号E30000003，有效期至2027年6月30日" in page
    assert 'href="/zh-hans/guide/rp-renewal/"' in page
    assert not Case.objects.filter(procedure_id="rp-work").exists()


def test_the_people_and_permits_the_page_offers_are_audited_as_read_as_my_permits_lists_are(agent):
    """The page names the people a proxy or unit acts for and their permits' numbers: personal data, so the
    trail records which it showed (``person.list``), as "My permits" does for the same people."""
    from exitentry.accounts.models import AuditEntry

    client = PersonFactory()
    submitted(agent, "rp-study", person=client)
    permit = PermitFactory(person=client, permit_type="work", valid_until=date(2027, 6, 30))
    browser = client_for(agent)
    offer(browser, "rp-renewal")
    entry = AuditEntry.objects.get(action="person.list", actor=agent, object_type="apply")
    assert (entry.object_id, entry.new) == ("rp-renewal", {"people": [client.pk], "permits": [permit.pk]})
    stranger = UserFactory(role=Role.PROXY)
    offer(client_for(stranger), "rp-work")  # nobody to offer: nothing read
    assert not AuditEntry.objects.filter(action="person.list", actor=stranger).exists()


def apply_page(user, procedure_id: str, lang: str = "en") -> str:
    facts = as_answers(eligible_facts(procedure_id))
    response = client_for(user).get(f"/{lang}/apply/{procedure_id}/", facts)
    assert response.status_code == 200
    return html(response)


def test_a_visa_procedure_with_no_visa_to_act_on_speaks_of_visas_and_says_what_to_do(agent):
    page = apply_page(agent, "visa-extension")
    assert "holds a visa in force" in page and "the holder applies themself" in page
    assert "permit of this kind" not in page
    page = apply_page(agent, "visa-extension", "zh-hans")
    assert "有效签证" in page and "由持有人本人申请" in page
    page = apply_page(applicant(), "visa-extension")
    assert "There is no visa in force in your record" in page and "permit of this kind" not in page


@pytest.mark.parametrize(
    ("lang", "says", "promise", "added"),
    [
        (
            "en",
            "None of the people you act for holds a visa in force",
            "for the person you choose below",
            "a person is added by a first application you start for them",
        ),
        ("zh-hans", "您代为办理的人员中没有人持有有效签证", "为您在下方选择的人员", "首次申请"),
    ],
)
def test_a_proxy_acting_for_no_visa_holder_is_told_at_the_advisors_start_and_given_a_way_on(
    agent, lang, says, promise, added
):
    advisor = html(client_for(agent).get(f"/{lang}/advisor/visa-extension/"))
    assert says in advisor and advisor.index(says) < advisor.index('class="advisor')  # before the questions
    page = apply_page(agent, "visa-extension", lang)
    assert says in page and added in page
    assert promise not in page and "start-application" not in page  # no choice promised that is not there
    assert f'href="/{lang}/guide/visa-extension/"' in page  # the way back
    # one it acts for who holds a visa in force: nothing said, the question asked
    holder = PersonFactory()
    submitted(agent, "rp-study", person=holder)
    PermitFactory(person=holder, kind="visa", permit_type="", valid_until=date(2027, 6, 30))
    assert says not in html(client_for(agent).get(f"/{lang}/advisor/visa-extension/"))


def test_the_advisor_says_nothing_of_permits_for_a_first_application_or_to_a_visitor(agent):
    assert "None of the people you act for" not in html(client_for(agent).get("/en/advisor/rp-work/"))
    assert "no-permit" not in html(client_for(None).get("/en/advisor/visa-extension/"))
    assert "There is no visa in force in your record" in html(
        client_for(applicant()).get("/en/advisor/visa-extension/")
    )


@pytest.mark.parametrize(
    ("lang", "says"), [("en", "A permit of this kind is already held"), ("zh-hans", "已持有同类证件")]
)
def test_the_advisor_says_at_its_start_that_the_signed_in_applicant_holds_the_permit_already(lang, says):
    user = applicant()
    PermitFactory(person=user.person, number="E20000002", permit_type="private-affairs")
    page = html(client_for(user).get(f"/{lang}/advisor/rp-personal-affairs/"))
    assert says in page and "E20000002" in page
    assert page.index(says) < page.index('class="advisor')  # before the first question
    assert f'href="/{lang}/guide/rp-personal-affairs-extension/"' in page
    other = html(client_for(applicant()).get(f"/{lang}/advisor/rp-personal-affairs/"))
    assert says not in other and says not in html(
        client_for(None).get(f"/{lang}/advisor/rp-personal-affairs/")
    )


@pytest.mark.parametrize(
    ("lang", "says"), [("en", "already under way on this permit"), ("zh-hans", "已有一项正在办理的申请")]
)
def test_a_permit_with_an_application_under_way_is_not_offered_and_its_case_is_linked(agent, lang, says):
    client = PersonFactory()
    permit = PermitFactory(person=client, permit_type="work", valid_until=date(2027, 6, 30))
    open_case = submitted(agent, "rp-renewal", person=client, permit=permit)
    page, _ = offer(client_for(agent), "rp-renewal", lang)
    assert f'<option value="{permit.pk}"' not in page  # the only permit: no choice offered, only the reason
    busy = page[page.index('class="permit-busy"') :]
    assert says in busy and f'href="/{lang}/my/{open_case.pk}/"' in busy and permit.number in busy
    form = page[page.index('class="start-application"') :]
    assert 'type="submit"' not in form[: form.index("</form>")]  # nothing to start it on
    free = PermitFactory(person=PersonFactory(), permit_type="work", valid_until=date(2027, 6, 30))
    submitted(agent, "rp-study", person=free.person)  # now it acts for a second person, whose permit is free
    page, _ = offer(client_for(agent), "rp-renewal", lang)
    assert f'<option value="{permit.pk}" disabled>' in page and f'<option value="{free.pk}">' in page


@pytest.mark.parametrize(
    ("lang", "says", "not_says"),
    [("en", "collected first", "Finish or withdraw"), ("zh-hans", "请先领取证件", "撤回")],
)
def test_a_permit_whose_case_awaits_collection_says_to_collect_it_not_to_withdraw(
    agent, lang, says, not_says
):
    client = PersonFactory()
    permit = PermitFactory(person=client, permit_type="work", valid_until=date(2027, 6, 30))
    open_case = submitted(agent, "rp-renewal", person=client, permit=permit)
    Case.objects.filter(pk=open_case.pk).update(state=State.ISSUED)  # decided; awaits collection
    page, _ = offer(client_for(agent), "rp-renewal", lang)
    busy = page[page.index('class="permit-busy"') :]
    busy = busy[: busy.index("</ul>")]
    assert says in busy and not_says not in busy and f'href="/{lang}/my/{open_case.pk}/"' in busy
    if lang == "zh-hans":
        assert "： " not in busy  # no stray space after the full-width colon


def visa_holder(category: str = "Z"):
    """An applicant in China on a visa of ``category`` (entered on it 20 days ago), born 14 March 1988."""
    from datetime import timedelta

    from exitentry.registry.models import EntryExit
    from factories import TODAY, TravelDocumentFactory, VisaFactory

    user = applicant(person=PersonFactory(birth_date=date(1988, 3, 14)))
    passport = TravelDocumentFactory(person=user.person, number="P7654321")
    VisaFactory(
        travel_document=passport,
        category=category,
        valid_from=TODAY - timedelta(days=40),
        valid_until=TODAY + timedelta(days=50),
    )
    EntryExit.objects.create(
        person=user.person,
        direction="entry",
        on=TODAY - timedelta(days=20),
        port="PEK",
        travel_document=passport,
    )
    return user


@pytest.mark.parametrize(
    ("lang", "tag", "born"),
    [("en", "From your registry record", "14 March 1988"), ("zh-hans", "取自您的登记记录", "1988年3月14日")],
)
def test_the_advisor_takes_a_signed_in_applicants_recorded_answers_and_asks_only_the_rest(lang, tag, born):
    user = visa_holder("Z")
    page = html(client_for(user).get(f"/{lang}/advisor/rp-personal-affairs/"))
    answers = page[page.index('class="answers"') : page.index('class="question"')]
    assert born in answers and tag in answers
    asked = re.search(r'name="asked" value="([^"]+)"', page)[1]
    assert asked not in ("birth_date", "visa_category", "entry_date")  # the record's answers are not asked
    stranger = html(client_for(None).get(f"/{lang}/advisor/rp-personal-affairs/"))
    assert tag not in stranger


def test_every_answer_the_record_holds_otherwise_is_said_at_once_in_the_advisor_and_on_the_apply_page():
    user = visa_holder("Z")
    facts = as_answers(
        eligible_facts("rp-personal-affairs") | {"birth_date": "1990-01-01", "visa_category": "L"}
    )
    advisor = html(client_for(user).post("/en/advisor/rp-personal-affairs/", facts))
    differing = advisor.count('class="error registry-differs"')  # the birth date, the visa (and the entry)
    assert differing >= 2
    assert "14 March 1988" in advisor and "Z (work)" in advisor
    page = html(client_for(user).get("/en/apply/rp-personal-affairs/", facts))
    assert 'id="answer-error-birth_date"' in page and 'id="answer-error-visa_category"' in page
    assert "Start the application</button>" not in page
    response = client_for(user).post("/en/apply/rp-personal-affairs/", facts)
    assert response.status_code == 422 and not Case.objects.exists()
    assert html(response).count('class="answer-error"') == differing  # all, not one per round trip


def test_an_old_advisor_link_with_an_answer_no_longer_asked_starts_the_draft_without_it(agent):
    """An advisor link kept from before a procedure stopped asking a fact still starts the draft: the answer
    no longer asked is left out, never refused at the start with nothing to change."""
    browser = client_for(agent)
    page, answers = offer(browser, "rp-work", facts={**eligible_facts("rp-work"), "stay_permit_days": 30})
    response = browser.post("/en/apply/rp-work/", answers | NEW_PERSON)
    assert response.status_code == 302, html(response)
    case = Case.objects.get()
    assert "stay_permit_days" not in case.facts and case.facts["birth_date"] == "1985-06-01"


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "Enter a real date as YYYY-MM-DD, for example 1990-05-05."),
        ("zh-hans", "请按“年-月-日”（YYYY-MM-DD）格式输入真实存在的日期，例如1990-05-05。"),
    ],
)
def test_a_date_typed_in_words_is_answered_with_the_form_it_is_read_in(agent, lang, says):
    browser = client_for(agent)
    _, answers = offer(browser, "rp-work", lang)
    response = browser.post(f"/{lang}/apply/rp-work/", answers | new_person(birth_date="5th of May 1990"))
    assert response.status_code == 422 and says in html(response) and not Case.objects.exists()
