"""Receiving at the counter, on the officer's case page: the passport handed in is the checklist's passport
item, received and its original seen (the officer checked it against the claim); who hands the materials in
is preselected where only one answer is possible, and a missing answer is said in the page, not left to a
browser bubble."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import hall_receives, pdf, submitted
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from factories import TODAY, TravelDocumentFactory, actor, applicant, officer

pytestmark = pytest.mark.django_db
PROCEDURE = "rp-personal-affairs"


def item(page: str, item_id: str) -> str:
    found = re.search(
        rf'<li class="intake-item" data-item="{item_id}">(.*?)</li>\s*(?=<li class="intake|</ul>)', page, re.S
    )
    assert found, f"{item_id} not on the checklist"
    return found.group(1)


def submitted_with_a_claimed_passport():
    """An applicant's case filed with a passport given online (a claim), every other item uploaded."""
    user = applicant()
    TravelDocumentFactory(
        person=user.person,
        number="C4D100009",
        issued_on=TODAY - timedelta(days=7),
        expires_on=TODAY + timedelta(days=3650),
        claim=True,
    )
    case = submitted(user, PROCEDURE)
    for d in services.outstanding(case, TODAY):
        if d.item.id != "passport":
            services.upload_material(actor(user), case, d.item.id, pdf(f"{case.pk}-{d.item.id}"), on=TODAY)
    return case


@pytest.mark.parametrize(
    ("lang", "received", "held"), [("en", "received", "C4D100009"), ("zh-hans", "已收到", "C4D100009")]
)
def test_receiving_puts_the_passport_handed_in_on_the_checklist_received_and_seen(lang, received, held):
    case = submitted_with_a_claimed_passport()
    browser = client_for(officer(case.hall_id))
    before = html(browser.get(f"/{lang}/console/cases/{case.pk}/"))
    assert "kind-missing" in item(before, "passport")

    done = browser.post(f"/{lang}/console/cases/{case.pk}/receive/", {"applicant_present": "yes"})
    assert done.status_code == 302
    page = html(browser.get(f"/{lang}/console/cases/{case.pk}/"))
    passport = item(page, "passport")
    assert "kind-missing" not in passport and received in passport and held in passport
    mine = html(client_for(case.submitted_by).get(f"/{lang}/my/{case.pk}/"))
    tag = re.search(r'<li id="item-passport"><span class="tag [^"]*">([^<]*)</span>', mine).group(1)
    assert tag == received  # held by the hall since receipt, not uploaded
    case.refresh_from_db()
    assert services.outstanding(case, TODAY) == ()
    # the other originals marked seen, acceptance no longer waits for the passport's
    for m in case.materials.all():
        assert (
            browser.post(f"/en/console/materials/{m.pk}/review/", {"original_seen": "on"}).status_code == 302
        )
    assert services.originals_unseen(case, TODAY) == ()
    accepted = browser.post(f"/{lang}/console/cases/{case.pk}/accept/")
    assert accepted.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED


def test_the_study_endorsements_passport_item_is_the_passport_the_hall_holds_since_receipt():
    """The part-time endorsement asks for "the passport bearing the study-type residence permit"
    (``passport-with-permit``): received with the passport in hand, it is received and its original seen."""
    user = applicant()
    TravelDocumentFactory(person=user.person, number="C4D100010")
    case = submitted(user, "study-part-time-endorsement")
    assert "passport-with-permit" in [d.item.id for d in services.outstanding(case, TODAY)]
    hall_receives(actor(officer(case.hall_id)), case, on=TODAY)
    case.refresh_from_db()
    assert [d.item.id for d in services.outstanding(case, TODAY)] == ["school-approval"]
    assert "passport-with-permit" not in [r.id for r in services.originals_unseen(case, TODAY)]


def test_before_receipt_the_passport_stays_missing():
    case = submitted_with_a_claimed_passport()
    assert [d.item.id for d in services.outstanding(case, TODAY)] == ["passport"]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_only_answer_is_preselected_and_no_browser_check_stands_in_for_the_servers(lang):
    case = submitted_with_a_claimed_passport()
    page = html(client_for(officer(case.hall_id)).get(f"/{lang}/console/cases/{case.pk}/"))
    radios = re.findall(r'<input type="radio" name="applicant_present"[^>]*>', page)
    assert len(radios) == 1 and "checked" in radios[0] and "required" not in radios[0]


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "Choose who hands in the materials"), ("zh-hans", "请选择递交材料的人")]
)
def test_receiving_without_saying_who_hands_in_is_refused_in_the_page(lang, said):
    case = submitted_with_a_claimed_passport()
    refused = client_for(officer(case.hall_id)).post(f"/{lang}/console/cases/{case.pk}/receive/", {})
    assert refused.status_code == 422
    assert re.search(rf'<p class="error">{said}', html(refused))
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED
