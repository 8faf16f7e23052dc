"""A draft's validity outside what the law allows (Exit and Entry Administration Law Art. 30: a residence
permit other than for work runs from 180 days to 5 years): the answer is refused at the form with the
rule and its source, the question stays open, and the picker offers no year beyond the law's; an answer
stored before (old data) leaves the page usable, naming the condition that failed and asking again."""

from __future__ import annotations

import re

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import started
from exitentry.cases.models import Case
from factories import applicant, eligible_facts

pytestmark = pytest.mark.django_db
PROCEDURE = "rp-personal-affairs-extension"
YEARS = re.compile(r'<select[^>]*name="validity__years"[^>]*>(.*?)</select>', re.S)
RULE = {
    "en": "Residence permits other than for work are issued for 180 days to 5 years.",
    "zh-hans": "工作类以外的居留证件有效期为180日至5年。",
}
ART_30 = {"en": "Art. 30", "zh-hans": "第三十条"}


def draft_without_validity():
    user = applicant()
    facts = eligible_facts(PROCEDURE)
    facts.pop("validity")
    return user, started(user, PROCEDURE, facts=facts)


def years_offered(page: str) -> list[int]:
    return [int(v) for v in re.findall(r'<option value="(\d+)"', YEARS.search(page).group(1))]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_an_answer_outside_the_range_is_refused_with_the_rule_and_stays_editable(lang):
    user, case = draft_without_validity()
    response = client_for(user).post(
        f"/{lang}/my/{case.pk}/answers/",
        {"validity__years": "0", "validity__months": "2", "validity__days": "0"},
    )
    assert response.status_code == 422
    page = html(response)
    assert page.count(RULE[lang]) == 1  # beside the question, not again at the top
    error = page[page.index(RULE[lang]) :]
    assert ART_30[lang] in error[: error.index("</p>")]
    assert 'name="validity__years"' in page  # the question is still asked, with the answer given
    assert re.search(r'name="validity__months"[^>]*>.*?<option value="2" selected', page, re.S)
    assert "validity" not in Case.objects.get(pk=case.pk).facts


def test_the_years_picker_runs_to_the_laws_longest():
    user, case = draft_without_validity()
    page = html(client_for(user).get(f"/en/my/{case.pk}/"))
    assert years_offered(page) == [0, 1, 2, 3, 4, 5]


def test_an_answer_in_range_is_still_taken():
    user, case = draft_without_validity()
    response = client_for(user).post(
        f"/en/my/{case.pk}/answers/", {"validity__years": "0", "validity__months": "6", "validity__days": "0"}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).facts["validity"] == "P6M"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_stored_answer_outside_the_range_names_the_condition_and_asks_again(lang):
    user, case = draft_without_validity()
    Case.objects.filter(pk=case.pk).update(facts={**case.facts, "validity": "P2M"})  # stored before the check
    browser = client_for(user)
    page = html(browser.get(f"/{lang}/my/{case.pk}/"))
    assert RULE[lang] in page and ART_30[lang] in page
    assert re.search(r'name="validity__months"[^>]*>.*?<option value="2" selected', page, re.S)
    answered = browser.post(
        f"/{lang}/my/{case.pk}/answers/",
        {"validity__years": "2", "validity__months": "0", "validity__days": "0"},
    )
    assert answered.status_code == 302
    page = html(browser.get(f"/{lang}/my/{case.pk}/"))
    assert RULE[lang] not in page and 'id="item-health-certificate"' in page


@pytest.mark.parametrize(
    ("lang", "law"), [("en", "Exit and Entry Administration Law"), ("zh-hans", "出境入境管理法")]
)
def test_the_validity_questions_help_on_the_case_page_cites_where_its_numbers_come_from(lang, law):
    """The help gives the law's validities (parameters citing Exit-Entry Law Art. 30); its citation follows."""
    user, case = draft_without_validity()
    page = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    helps = re.findall(r'<p class="help">(.*?)</p>', page, re.S)
    (validity_help,) = [h for h in helps if "180" in h]
    assert ART_30[lang] in validity_help and law in validity_help
