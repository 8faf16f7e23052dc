"""An answer stored before a check existed that no longer fits its fact (a validity written "six months", a
number out of range) leaves a draft usable: its page asks it again, saying why beside the question with the
rule that reads it and its source, and lists it nowhere as given; the advice treats it as unanswered, and
the API says the same (``missing_facts``, ``unfit_facts``) instead of refusing to show the case. A new
answer that does not fit is still refused, and another answer can be changed meanwhile."""

from __future__ import annotations

import json
import re

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import started
from exitentry.cases import services
from exitentry.cases.models import Case
from factories import TODAY, applicant, eligible_facts

pytestmark = pytest.mark.django_db
PROCEDURE = "rp-personal-affairs-extension"
WHY = {
    "en": "Give a length in years, months and days",
    "zh-hans": "请按年、月、日填写期限",
}
FORMS = {"en": "such as 1 year 6 months, or 180 days", "zh-hans": "如1年6个月，或180日"}
RULE = {
    "en": "The validity applied for is between 180 days and 5 years",
    "zh-hans": "申请的有效期在180日至5年之间",
}
ART_30 = {"en": "Art. 30", "zh-hans": "第三十条"}


def draft_with(**stored):
    user = applicant()
    case = started(user, PROCEDURE, facts={**eligible_facts(PROCEDURE), "validity": "P2Y"})
    Case.objects.filter(pk=case.pk).update(facts={**case.facts, **stored})  # as stored before the check
    return user, Case.objects.get(pk=case.pk)


def asked(page: str, name: str) -> str:
    """The open question for ``name`` with what is said beside it."""
    form = re.search(r'<form[^>]*class="step draft-answers".*?</form>', page, re.S).group(0)
    return next(
        part for part in form.split('<div class="asked"')[1:] if part.startswith(f' id="asked-{name}"')
    )


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_page_asks_a_stored_answer_that_no_longer_fits_again_with_why_and_its_rule(lang):
    user, case = draft_with(validity="six months")
    response = client_for(user).get(f"/{lang}/my/{case.pk}/")
    assert response.status_code == 200
    page = html(response)
    validity = asked(page, "validity")
    assert "six months" in validity and WHY[lang] in validity
    assert RULE[lang] in validity and ART_30[lang] in validity
    assert "give it again. Give" in validity if lang == "en" else "请重新回答。请按年" in validity
    assert 'name="validity__years"' in validity
    assert FORMS[lang] in validity and "P1Y" not in validity and "P180D" not in validity  # never ISO 8601
    assert 'id="answer-validity"' not in page  # not listed among the answers given


def test_the_advice_treats_it_as_unanswered_and_a_new_answer_replaces_it():
    user, case = draft_with(validity="six months")
    advice = services.advice_for(case, TODAY)
    assert "validity" in {f.id for f in advice.missing} and "validity" not in advice.facts
    browser = client_for(user)
    answered = browser.post(
        f"/en/my/{case.pk}/answers/", {"validity__years": "2", "validity__months": "0", "validity__days": "0"}
    )
    assert answered.status_code == 302
    assert Case.objects.get(pk=case.pk).facts["validity"] == "P2Y"
    page = html(browser.get(f"/en/my/{case.pk}/"))
    assert WHY["en"] not in page and 'id="answer-validity"' in page


def test_another_answer_can_be_changed_meanwhile_but_a_new_unfit_answer_is_refused():
    user, case = draft_with(validity="six months")
    browser = client_for(user)
    changed = browser.post(f"/en/my/{case.pk}/answers/", {"limited_mobility": "true"})
    assert changed.status_code == 302
    assert Case.objects.get(pk=case.pk).facts["limited_mobility"] in (True, "true")
    api = browser.patch(
        f"/api/v1/cases/{case.pk}/facts",
        json.dumps({"facts": {"validity": "a year"}}),
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["detail"][0]["field"] == "facts.validity"
    assert Case.objects.get(pk=case.pk).facts["validity"] == "six months"


@pytest.mark.parametrize(("fact", "value"), [("validity", "six months"), ("validity", ["P1Y"])])
def test_the_api_shows_the_case_with_the_answer_to_give_again(fact, value):
    user, case = draft_with(**{fact: value})
    response = client_for(user).get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert fact in {f["id"] for f in body["missing_facts"]}
    (unfit,) = body["unfit_facts"]
    assert unfit["id"] == fact and unfit["value"] == value
    assert unfit["text"]["en"] and unfit["text"]["zh"]


def test_a_number_out_of_range_is_asked_again_on_the_page():
    user = applicant()
    case = started(user, "stay-permit", facts=eligible_facts("stay-permit"))
    Case.objects.filter(pk=case.pk).update(facts={**case.facts, "stay_permit_days": 5000})
    page = html(client_for(user).get(f"/en/my/{case.pk}/"))
    days = asked(page, "stay_permit_days")
    assert "5000" in days and "Enter a number no larger than 3650." in days and "Art. 34" in days


@pytest.mark.parametrize("stored", [{"no_such_fact": "x"}, {"age": 40}])
def test_a_stored_name_the_catalog_does_not_ask_leaves_the_page_usable(stored):
    """A name the catalog does not ask (gone, or derived from others) is not asked of the filer."""
    user, case = draft_with(**stored)
    response = client_for(user).get(f"/en/my/{case.pk}/")
    assert response.status_code == 200
    assert f'id="asked-{next(iter(stored))}"' not in html(response)


def test_a_registry_answer_that_no_longer_fits_is_read_again_from_the_record_at_the_next_change():
    user, case = draft_with(birth_date="2099-01-01")
    browser = client_for(user)
    assert browser.get(f"/en/my/{case.pk}/").status_code == 200
    assert browser.post(f"/en/my/{case.pk}/answers/", {"limited_mobility": "true"}).status_code == 302
    assert Case.objects.get(pk=case.pk).facts["birth_date"] == user.person.birth_date.isoformat()


def asked_again(page: str) -> set[str]:
    """The facts the page asks again because the stored answer no longer fits."""
    return {
        part.split('"', 2)[1].removeprefix("asked-")
        for part in page.split('<div class="asked" id=')[1:]
        if 'class="error unfit"' in part.split("</form>", 1)[0]
    }


def test_the_api_and_the_page_name_the_same_answers_to_give_again():
    """One rule (``services.unfit_answers``) for both: not a registry answer (read again from the record at
    the next change; only the hall corrects it), nor a fact derived from others or no longer asked."""
    user, case = draft_with(validity="six months", birth_date="2099-01-01", age="forty", no_such_fact="x")
    browser = client_for(user)
    body = browser.get(f"/api/v1/cases/{case.pk}").json()
    api = {u["id"] for u in body["unfit_facts"]}
    assert api == {"validity"}
    assert asked_again(html(browser.get(f"/en/my/{case.pk}/"))) == api


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (["P1Y"], {"en": "“1 year”", "zh-hans": "“1年”"}),
        ("P0D", {"en": "“0 days”", "zh-hans": "“0日”"}),
        (["P1Y", "P6M"], {"en": "“1 year, 6 months”", "zh-hans": "“1年、6个月”"}),
        ({"years": 2}, {"en": "“{", "zh-hans": "“{"}),
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_answer_that_no_longer_fits_is_shown_as_people_read_it(stored, shown, lang):
    """The stored answer beside the question reads as the page writes answers where it can (a duration in
    words, each item of a list so), never as Python or ISO 8601 writes it, and never breaks the page."""
    user, case = draft_with(validity=stored)
    response = client_for(user).get(f"/{lang}/my/{case.pk}/")
    assert response.status_code == 200
    validity = asked(html(response), "validity")
    said = re.search(r"“[^”]*”", validity).group(0)
    assert said.startswith(shown[lang]), said
    assert "[" not in said and "P1Y" not in said and "P0D" not in said


NO_LONGER = {
    "en": "No longer needed",
    "zh-hans": "不再需要",
}


def no_longer_needed(page: str) -> str:
    """The part of the page listing the stored answers the procedure no longer asks."""
    found = re.search(r'<section[^>]*id="no-longer-needed".*?</section>', page, re.S)
    return found.group(0) if found else ""


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("stored", "question"),
    [
        pytest.param(
            {"stay_permit_days": 5000},
            {"en": "For how many days", "zh-hans": "停留证件有效期"},
            id="an unfit answer the procedure does not ask",
        ),
        pytest.param(
            {"stay_permit_days": 30},
            {"en": "For how many days", "zh-hans": "停留证件有效期"},
            id="a fitting answer the procedure does not ask",
        ),
        pytest.param({"age": 40}, {"en": "How old", "zh-hans": "年龄"}, id="a derived fact"),
    ],
)
def test_a_stored_answer_the_procedure_does_not_ask_is_not_asked_and_shown_as_no_longer_needed(
    stored, question, lang
):
    """A fact the procedure no longer asks (or one derived from other answers) is neither asked again nor
    listed among the answers given: the page says it is no longer needed; the API lists it apart."""
    user, case = draft_with(**stored)
    (name,) = stored
    browser = client_for(user)
    response = browser.get(f"/{lang}/my/{case.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert f'id="asked-{name}"' not in page and f'id="answer-{name}"' not in page
    shown = no_longer_needed(page)
    assert NO_LONGER[lang] in shown, page
    assert str(stored[name]) in shown and question[lang] in shown
    assert name not in services.unfit_answers(case, TODAY)
    body = browser.get(f"/api/v1/cases/{case.pk}").json()
    assert name not in {u["id"] for u in body["unfit_facts"]}
    assert name not in {f["id"] for f in body["missing_facts"]}
    assert body["facts_not_asked"] == [name]


def test_an_answer_the_procedure_asks_is_not_said_to_be_no_longer_needed():
    user, case = draft_with(validity="six months")
    page = html(client_for(user).get(f"/en/my/{case.pk}/"))
    assert no_longer_needed(page) == ""
    assert client_for(user).get(f"/api/v1/cases/{case.pk}").json()["facts_not_asked"] == []


def test_a_new_answer_to_a_fact_the_procedure_does_not_ask_is_refused_and_nothing_stored():
    user, case = draft_with()
    browser = client_for(user)
    api = browser.patch(
        f"/api/v1/cases/{case.pk}/facts",
        json.dumps({"facts": {"stay_permit_days": 30}}),
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["detail"][0]["field"] == "facts.stay_permit_days"
    assert "do not ask this" in json.dumps(api.json())
    assert "stay_permit_days" not in Case.objects.get(pk=case.pk).facts


@pytest.mark.parametrize(
    "stored", [{"stay_permit_days": 30}, {"validity": "six months"}], ids=["not asked", "unfit"]
)
def test_a_client_sending_back_the_facts_it_read_is_not_refused_for_an_answer_it_did_not_change(stored):
    """The API returns a draft's stored answers, those not asked and those that no longer fit included;
    sending them back unchanged with another answer is no new answer to refuse: the other is stored."""
    user, case = draft_with(**stored)
    browser = client_for(user)
    facts = browser.get(f"/api/v1/cases/{case.pk}").json()["facts"]
    assert facts[next(iter(stored))] == next(iter(stored.values()))
    facts["limited_mobility"] = True
    api = browser.patch(
        f"/api/v1/cases/{case.pk}/facts", json.dumps({"facts": facts}), content_type="application/json"
    )
    assert api.status_code == 200, api.json()
    assert Case.objects.get(pk=case.pk).facts["limited_mobility"] is True
    changed = {**facts, "stay_permit_days": 31} if "stay_permit_days" in stored else facts
    changed = {**changed, "validity": "seven months"} if "validity" in stored else changed
    again = browser.patch(
        f"/api/v1/cases/{case.pk}/facts", json.dumps({"facts": changed}), content_type="application/json"
    )
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == f"facts.{next(iter(stored))}"


def test_a_length_the_api_refuses_is_explained_in_the_api_s_own_terms_iso_8601():
    """The API takes a length only in ISO 8601: its refusal says so in both languages, never the pages'
    "such as 1 year 6 months" that the API would refuse in turn."""
    user, case = draft_with()
    api = client_for(user).patch(
        f"/api/v1/cases/{case.pk}/facts",
        json.dumps({"facts": {"validity": "six months"}}),
        content_type="application/json",
    )
    assert api.status_code == 422
    (problem,) = api.json()["detail"]
    assert problem["field"] == "facts.validity"
    assert "P1Y" in problem["message"] and "ISO 8601" in problem["message_zh"]
    assert FORMS["en"] not in problem["message"] and FORMS["zh-hans"] not in problem["message_zh"]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_an_answer_no_longer_needed_is_shown_beside_its_question_with_the_law_s_numbers_filled_in(lang):
    user = applicant()
    case = started(user, "rp-work", facts=eligible_facts("rp-work"))
    Case.objects.filter(pk=case.pk).update(facts={**case.facts, "medical_over_six_months": True})
    shown = no_longer_needed(html(client_for(user).get(f"/{lang}/my/{case.pk}/")))
    assert {"en": "over 6 months", "zh-hans": "6个月以上"}[lang] in shown, shown
    assert "{" not in shown
