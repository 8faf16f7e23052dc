"""A draft that does not yet say how long a permit is asked for: its page asks, and shows the health
certificate as needed only if the rule's condition holds (Regulations Art. 16: more than one year), in the
rule's own words, until the answer decides it."""

from __future__ import annotations

import re

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import started
from factories import applicant, eligible_facts

pytestmark = pytest.mark.django_db
PROCEDURE = "rp-personal-affairs-extension"
PENDING = re.compile(r'<li id="item-health-certificate" class="pending">(.*?)</li>', re.S)


def draft_without_validity():
    user = applicant()
    facts = eligible_facts(PROCEDURE)
    facts.pop("validity")
    return user, started(user, PROCEDURE, facts=facts)


@pytest.mark.parametrize(
    ("lang", "needed_if", "condition", "question"),
    [
        ("en", "Needed if:", "more than 1 year", "How long should the residence permit be valid for?"),
        ("zh-hans", "以下情形需要：", "超过1年", "申请的居留许可有效期多长？"),
    ],
)
def test_the_draft_asks_the_validity_and_shows_the_certificate_as_conditional(
    lang, needed_if, condition, question
):
    user, case = draft_without_validity()
    page = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    pending = PENDING.search(page)
    assert pending and needed_if in pending.group(1) and condition in pending.group(1)
    assert "以下情形需要： " not in page
    assert 'id="item-passport"' in page  # what is already known is listed as usual
    assert question in page and f'action="/{lang}/my/{case.pk}/answers/"' in page


@pytest.mark.parametrize(("validity", "needed"), [("P2Y", True), ("P1Y", False)])
def test_the_answer_decides_the_certificate(validity, needed):
    user, case = draft_without_validity()
    browser = client_for(user)
    answered = browser.post(f"/en/my/{case.pk}/answers/", {"validity": validity})
    assert answered.status_code == 302
    page = html(browser.get(f"/en/my/{case.pk}/"))
    assert not PENDING.search(page)
    assert ('id="item-health-certificate"' in page) is needed
    case.refresh_from_db()
    assert case.facts["validity"] == validity
