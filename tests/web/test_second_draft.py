"""Back, then "Start the application" again: where the person already has a draft for the procedure (one
the filer can open), the apply page shows it to continue instead of saving a second identical one; a proxy
choosing that person is told the same beside the choice, and still starts one for another person."""

from __future__ import annotations

import pytest
from advisor_forms import as_answers, new_person
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture
from test_apply_for_others import offer

from case_helpers import started
from exitentry.accounts.models import Role
from exitentry.cases.models import Case
from factories import PersonFactory, UserFactory, applicant, eligible_facts

pytestmark = pytest.mark.django_db
PROCEDURE = "rp-personal-affairs"


@pytest.mark.parametrize(
    ("lang", "says"),
    [("en", "You already have a draft for this application"), ("zh-hans", "您已有此项申请的草稿")],
)
def test_an_applicant_with_a_draft_is_shown_it_and_a_second_start_opens_it(lang, says):
    user = applicant()
    draft = started(user, PROCEDURE)
    browser = client_for(user)
    answers = as_answers(eligible_facts(PROCEDURE))
    page = html(browser.get(f"/{lang}/apply/{PROCEDURE}/", answers))
    assert says in page and f'href="/{lang}/my/{draft.pk}/"' in page and "start-application" not in page
    response = browser.post(f"/{lang}/apply/{PROCEDURE}/", answers)
    assert response.status_code == 302 and response["Location"] == f"/{lang}/my/{draft.pk}/"
    assert Case.objects.count() == 1
    assert says in html(browser.get(response["Location"]))


def test_a_proxy_is_told_beside_the_person_and_may_start_one_for_someone_else():
    agent = UserFactory(role=Role.PROXY)
    person = PersonFactory()
    draft = started(agent, PROCEDURE, person=person)
    browser = client_for(agent)
    _, answers = offer(browser, PROCEDURE)
    refused = browser.post(f"/en/apply/{PROCEDURE}/", answers | {"person": str(person.pk)})
    page = html(refused)
    assert refused.status_code == 422 and "already has a draft for this application" in page
    assert f'href="/en/my/{draft.pk}/"' in page and Case.objects.count() == 1
    other = browser.post(f"/en/apply/{PROCEDURE}/", answers | new_person())
    assert other.status_code == 302 and Case.objects.count() == 2


def test_a_second_start_fills_the_drafts_blank_answers_and_shows_those_it_did_not_save():
    user = applicant()
    facts = eligible_facts(PROCEDURE)
    draft = started(user, PROCEDURE, facts={k: v for k, v in facts.items() if k != "validity"})
    assert "validity" not in draft.facts
    browser = client_for(user)
    again = as_answers(facts | {"limited_mobility": True})
    response = browser.post(f"/en/apply/{PROCEDURE}/", again)
    assert response.status_code == 302 and response["Location"] == f"/en/my/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.facts["validity"] == "P2Y"  # the blank answer is kept on the draft
    assert draft.facts["limited_mobility"] is False  # the draft's own answer is not overwritten
    page = html(browser.get(response["Location"]))
    assert "were not saved" in page and "Yes" in page.split("were not saved", 1)[1].split("</li>", 1)[0]
    assert Case.objects.count() == 1


def test_a_second_start_with_the_same_answers_says_nothing_was_lost():
    user = applicant()
    draft = started(user, PROCEDURE)
    browser = client_for(user)
    response = browser.post(f"/zh-hans/apply/{PROCEDURE}/", as_answers(eligible_facts(PROCEDURE)))
    assert response["Location"] == f"/zh-hans/my/{draft.pk}/"
    assert "新填写的答复" not in html(browser.get(response["Location"]))
