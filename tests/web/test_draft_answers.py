"""A draft lists the answers its filer gave, each with the law core's question and the answer as people
read it, and a form to change it that posts where the questions post (so the law core checks it and the
draft's expiry restarts once); a refused change is shown beside its answer, and the registry's answers
are not the filer's to change (the hall corrects the record)."""

from __future__ import annotations

import re

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import started
from exitentry.cases.models import Case
from exitentry.law.catalog import catalog
from factories import applicant, eligible_facts

pytestmark = pytest.mark.django_db
PROCEDURE = "rp-personal-affairs-extension"
SIX_MONTHS = {"en": "6 months", "zh-hans": "6个月"}
TWO_YEARS = {"en": "2 years", "zh-hans": "2年"}
RULE = {
    "en": "Residence permits other than for work are issued for 180 days to 5 years.",
    "zh-hans": "工作类以外的居留证件有效期为180日至5年。",
}
ART_30 = {"en": "Art. 30", "zh-hans": "第三十条"}


def draft():
    user = applicant()
    return user, started(user, PROCEDURE, facts={**eligible_facts(PROCEDURE), "validity": "P6M"})


def answers(page: str) -> str:
    """The list of the filer's answers."""
    return re.search(r'<section class="draft-answers-given".*?</section>', page, re.S).group(0)


def entry(page: str, name: str) -> str:
    return re.search(rf'<div class="answer" id="answer-{name}">.*?</form>', answers(page), re.S).group(0)


def months_selected(text: str) -> str:
    return re.search(r'name="validity__months"[^>]*>.*?<option value="(\d+)" selected', text, re.S).group(1)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_answers_given_are_listed_each_with_a_form_to_change_it(lang):
    user, case = draft()
    page = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    validity = entry(page, "validity")
    label = catalog().facts["validity"].question.get(lang)
    assert label in validity and SIX_MONTHS[lang] in validity
    assert f'action="/{lang}/my/{case.pk}/answers/"' in validity
    assert months_selected(validity) == "6"  # prefilled with the answer given
    assert 'name="validity__years"' not in page.replace(validity, "")  # no open question asks it again


def test_the_registrys_answers_are_not_offered_to_change():
    user, case = draft()
    held = set(case.facts_from_registry)
    assert held, "the draft takes some answers from the registry record"
    listed = answers(html(client_for(user).get(f"/en/my/{case.pk}/")))
    given = set(re.findall(r'<div class="answer" id="answer-([\w-]+)">', listed))
    assert given and not given & held
    assert given == {n for n in case.facts if n not in held and not catalog().facts[n].derived_from}


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_changed_answer_is_recorded_and_shown(lang):
    user, case = draft()
    browser = client_for(user)
    posted = browser.post(
        f"/{lang}/my/{case.pk}/answers/",
        {"validity__years": "2", "validity__months": "0", "validity__days": "0"},
    )
    assert posted.status_code == 302
    assert Case.objects.get(pk=case.pk).facts["validity"] == "P2Y"
    assert TWO_YEARS[lang] in entry(html(browser.get(f"/{lang}/my/{case.pk}/")), "validity")


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_refused_change_is_shown_beside_its_answer(lang):
    user, case = draft()
    response = client_for(user).post(
        f"/{lang}/my/{case.pk}/answers/",
        {"validity__years": "0", "validity__months": "2", "validity__days": "0"},
    )
    assert response.status_code == 422
    page = html(response)
    assert page.count(RULE[lang]) == 1  # beside the answer, not at the top
    validity = entry(page, "validity")
    assert RULE[lang] in validity and ART_30[lang] in validity
    assert "<details open" in validity and months_selected(validity) == "2"  # the answer posted, to correct
    assert Case.objects.get(pk=case.pk).facts["validity"] == "P6M"
