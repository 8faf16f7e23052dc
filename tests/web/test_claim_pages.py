"""A passport the applicant's side gave is a claim until the hall checks it at intake: every page that shows
it (My permits, the holder's and the filer's; the case page; the hall's case and person pages) says it is
awaiting the hall's check, in both languages, and never shows it as the registry's; the API says ``claim``.
Once the hall receives the case with the passport in hand, it reads as any other."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import hall_receives, started, submitted
from exitentry.accounts.models import Role
from exitentry.registry.models import EntryExit
from factories import (
    TODAY,
    PermitFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    actor,
    applicant,
    officer,
)

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
AWAITING = {"en": "awaiting the hall's check", "zh-hans": "待大厅核验"}
HINT = {"en": "bring that passport", "zh-hans": "请携带该护照"}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("exitentry.cases.access.beijing_today", lambda: TODAY)
    monkeypatch.setattr("exitentry.cases.services.drafts.beijing_today", lambda: TODAY)


def holder_with_claim():
    """An applicant holding a passport the hall recorded (old) and one they gave online (newer: a claim),
    in China on a work-type residence permit issued before the new passport."""
    user = applicant()
    old = TravelDocumentFactory(person=user.person, number="R0OLD0001", issued_on=TODAY - 2000 * DAY)
    new = TravelDocumentFactory(
        person=user.person,
        number="C0NEW0001",
        issued_on=TODAY - 5 * DAY,
        expires_on=TODAY + 3650 * DAY,
        claim=True,
    )
    EntryExit.objects.create(
        person=user.person, direction="entry", on=TODAY - 320 * DAY, port="PEK", travel_document=old
    )
    PermitFactory(person=user.person, issued_on=TODAY - 300 * DAY, valid_until=TODAY + 200 * DAY)
    return user, old, new


def text(response) -> str:
    assert response.status_code == 200
    return unescape(html(response))


def line_of(page: str, number: str) -> str:
    """The list item or facts entry that names ``number`` (the page's one line about that document)."""
    found = re.findall(rf"<(li|dd)(?:\s[^>]*)?>((?:(?!</\1>).)*{number}(?:(?!</\1>).)*)</\1>", page, re.S)
    assert found, f"{number} not on the page"
    return found[0][1]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_my_permits_marks_the_claim_as_awaiting_the_halls_check_and_the_registrys_passport_not(lang):
    user, old, new = holder_with_claim()
    page = text(client_for(user).get(f"/{lang}/my/permits/", follow=True))
    documents = page.split('id="documents-h"')[1]
    assert AWAITING[lang] in line_of(documents, new.number)
    assert AWAITING[lang] not in line_of(documents, old.number)
    assert HINT[lang] in documents
    # the permit's duty run from the new passport names it, as awaiting the hall's check too
    change = re.search(r'<p class="change">(.*?)</p>', page, re.S).group(1)
    assert new.number in change and AWAITING[lang] in change


def test_a_holder_with_only_the_registrys_passports_reads_no_claim_words():
    user = applicant()
    TravelDocumentFactory(person=user.person, number="R0ONLY001")
    page = text(client_for(user).get("/en/my/permits/", follow=True))
    assert "R0ONLY001" in page
    assert AWAITING["en"] not in page and HINT["en"] not in page


def test_the_filer_reads_the_persons_claim_as_awaiting_the_halls_check_too():
    user, _, new = holder_with_claim()
    agency = UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency"))
    started(agency, "rp-personal-affairs", person=user.person)
    page = text(client_for(agency).get(f"/zh-hans/my/people/{user.person_id}/permits/"))
    assert AWAITING["zh-hans"] in line_of(page.split('id="documents-h"')[1], new.number)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_case_page_names_the_passport_it_will_be_received_on_until_the_hall_checks_it(lang):
    user, _, new = holder_with_claim()
    case = submitted(user, "rp-personal-affairs")
    page = text(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    assert AWAITING[lang] in line_of(page, new.number) and HINT[lang] in page
    clerk = officer(case.hall_id)
    console = text(client_for(clerk).get(f"/{lang}/console/cases/{case.pk}/"))
    assert AWAITING[lang] in line_of(console, new.number)
    # received with the passport in hand: the hall's record now, said as such everywhere
    hall_receives(actor(clerk), case, on=TODAY)
    for client, path in (
        (client_for(user), f"/{lang}/my/{case.pk}/"),
        (client_for(clerk), f"/{lang}/console/cases/{case.pk}/"),
    ):
        page = text(client.get(path))
        assert line_of(page, new.number) and AWAITING[lang] not in page


def test_the_halls_person_page_marks_the_claim():
    user, old, new = holder_with_claim()
    case = submitted(user, "rp-personal-affairs")
    page = text(client_for(officer(case.hall_id)).get(f"/zh-hans/console/people/{user.person_id}/"))
    assert AWAITING["zh-hans"] in line_of(page, new.number)
    assert AWAITING["zh-hans"] not in line_of(page, old.number)


def test_the_api_says_which_travel_document_is_a_claim():
    user, old, new = holder_with_claim()
    body = client_for(user).get(f"/api/v1/people/{user.person_id}").json()
    assert {d["number"]: d["claim"] for d in body["travel_documents"]} == {
        old.number: False,
        new.number: True,
    }


CHANGE_SAYS = {
    "en": "What changed: the new travel document No. C0NEW0001 (given online, awaiting the hall's check), issued on",
    "zh-hans": "变更事项：新旅行证件（号码C0NEW0001，网上提交，待大厅核验）于",
}


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_duty_says_the_passport_awaits_the_halls_check_beside_its_number_not_after_the_sentence(lang):
    """What changed names the passport given online with its check in the sentence, which ends with its
    full stop: no status label runs on after it."""
    user, _, new = holder_with_claim()
    page = client_for(user).get(f"/{lang}/my/permits/", follow=True).content.decode()
    change = unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="change">(.*?)</p>', page, re.S).group(1)))
    assert CHANGE_SAYS[lang] in change and change.strip().endswith(("。", "."))
    assert change.count(AWAITING[lang]) == 1


def test_the_claim_tag_stays_on_the_line_of_the_word_before_it():
    """The tag never wraps onto a line of its own: a no-break space joins it to the word before it (the tag
    itself is unbroken, ``.claim`` in site.css)."""
    user, _, new = holder_with_claim()
    page = client_for(user).get("/en/my/permits/", follow=True).content.decode()
    assert "&nbsp;" + '<strong class="provisional claim">' in line_of(
        page.split('id="documents-h"')[1], new.number
    )
