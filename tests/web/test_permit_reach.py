"""The hall ends only what the Regulations reach (Arts. 33-35, ``law.rules.endings``): a work permit's page
offers no voiding, cancellation or public notice and both the page's forms and the API refuse them; a
visa is voided and cancelled but takes no Art. 34(3) notice; a residence permit takes all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - autouse fixture
from test_hall_compliance import alert, case_at

from exitentry.accounts.models import AuditEntry
from exitentry.compliance.models import PublicNotice
from exitentry.law.rules.public_notice import NOTICE_GROUND
from exitentry.law.rules.unit_reports import FOLLOW_UP_GROUND
from exitentry.registry.models import Permit
from factories import TODAY, PermitFactory, PersonFactory, officer
from unit_world import reason_changed

pytestmark = pytest.mark.django_db
LOST = "void-damaged-lost-stolen-robbed"
ENDED = {"void": Permit.Status.VOID, "cancel": Permit.Status.CANCELLED}
POST = {"confirm": "on", "authority_notified": "on"}


@pytest.fixture
def permits():
    """A work permit, a visa and a residence permit of one person the reception hall reads, each with
    a unit's report that the reason for residence changed (what Art. 34(3) announces)."""
    person = PersonFactory()
    alert(person)
    case_at(person, "reception-hall")
    made = {
        kind: PermitFactory(
            person=person,
            kind=kind,
            permit_type="work" if kind == "residence-permit" else "",
            valid_until=date(2027, 12, 1),  # in force on the API's real day too
        )
        for kind in ("work-permit", "visa", "residence-permit")
    }
    for permit in made.values():
        reason_changed(permit, TODAY - timedelta(days=30))
    return made


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_work_permits_page_offers_no_ending_and_says_why(permits, lang):
    permit = permits["work-permit"]
    url = f"/{lang}/console/permits/{permit.pk}/"
    page = html(client_for(officer("reception-hall")).get(url))
    for form in ("void/", "cancel/", "notice/", "change-report/"):
        assert f'action="{url}{form}"' not in page
    assert 'id="notice-h"' not in page and 'id="change-reports"' not in page
    why = "only a visa, stay or residence permit" if lang == "en" else "仅适用于签证、停留证件和居留证件"
    assert page.count(why) == 1  # one line for both endings


def test_a_visas_page_voids_and_cancels_but_announces_nothing(permits):
    url = f"/en/console/permits/{permits['visa'].pk}/"
    page = html(client_for(officer("reception-hall")).get(url))
    assert f'action="{url}void/"' in page and f'action="{url}cancel/"' in page
    assert 'id="notice-h"' not in page and f'value="{NOTICE_GROUND}"' not in page
    assert 'id="change-reports"' not in page  # a report of a change is a residence permit's (EEAL Art. 33)
    rp = f"/en/console/permits/{permits['residence-permit'].pk}/"
    shown = html(client_for(officer("reception-hall")).get(rp))
    assert 'id="notice-h"' in shown and f'value="{NOTICE_GROUND}"' in shown and 'id="change-reports"' in shown


@pytest.mark.parametrize("ending", ["void", "cancel"])
def test_the_page_refuses_to_end_a_work_permit_and_ends_a_visa(permits, ending):
    client = client_for(officer("reception-hall"))
    work = permits["work-permit"]
    refused = client.post(f"/zh-hans/console/permits/{work.pk}/{ending}/", {**POST, "ground_id": LOST})
    assert refused.status_code == 422 and "仅适用于签证、停留证件和居留证件" in html(refused)
    work.refresh_from_db()
    assert work.status == Permit.Status.VALID
    assert not AuditEntry.objects.filter(action=f"permit.{ending}", object_id=str(work.pk)).exists()
    visa = permits["visa"]
    ground = LOST if ending == "void" else "cancel-obtained-illegally"
    assert (
        client.post(f"/en/console/permits/{visa.pk}/{ending}/", {**POST, "ground_id": ground}).status_code
        == 302
    )
    visa.refresh_from_db()
    assert visa.status == ENDED[ending]


def test_no_public_notice_nor_art_34_3_voiding_for_a_visa(permits):
    client = client_for(officer("reception-hall"))
    visa = permits["visa"]
    notice = client.post(f"/en/console/permits/{visa.pk}/notice/", {"confirm": "on"})
    assert notice.status_code == 422 and "only a residence permit" in html(notice)
    assert not PublicNotice.objects.filter(permit=visa).exists()
    void = client.post(f"/en/console/permits/{visa.pk}/void/", {"confirm": "on", "ground_id": NOTICE_GROUND})
    assert void.status_code == 422 and "Art. 34(3)" in html(void)


@pytest.mark.parametrize("ending", ["void", "cancel"])
def test_the_api_refuses_to_end_a_work_permit_and_ends_a_visa_and_a_residence_permit(permits, ending):
    client = client_for(officer("reception-hall"))
    ground = LOST if ending == "void" else "cancel-obtained-illegally"
    body = {"ground_id": ground, "issuing_authority_notified": True}

    def post(kind):
        return client.post(
            f"/api/v1/permits/{permits[kind].pk}/{ending}", body, content_type="application/json"
        )

    refused = post("work-permit")
    assert refused.status_code == 422
    problem = refused.json()["detail"][0]
    assert "work permit" in problem["message"] and "外国人工作许可证" in problem["message_zh"]
    assert Permit.objects.get(pk=permits["work-permit"].pk).status == Permit.Status.VALID
    for kind in ("visa", "residence-permit"):
        done = post(kind)
        assert done.status_code == 200 and done.json()["state"] == ENDED[ending]


def test_the_person_page_links_a_public_notice_only_for_a_residence_permit(permits):
    person = permits["visa"].person
    for kind in ("work-permit", "residence-permit"):
        follow_up = alert(person, FOLLOW_UP_GROUND, cause_key=f"report:{kind}", due_on=None)
        reason_changed(permits[kind], TODAY - timedelta(days=20), follow_up=follow_up)
    page = html(client_for(officer("reception-hall")).get(f"/en/console/people/{person.pk}/"))
    assert f"Permit {permits['residence-permit'].number}: public notice" in page
    assert f"Permit {permits['work-permit'].number}: public notice" not in page


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "damaged, lost, stolen or robbed"), ("zh-hans", "损毁、遗失")]
)
def test_the_history_names_the_ground_in_words_not_by_its_id(permits, lang, words):
    client = client_for(officer("reception-hall"))
    visa = permits["visa"]
    client.post(f"/en/console/permits/{visa.pk}/void/", {"confirm": "on", "ground_id": LOST})
    page = html(client.get(f"/{lang}/console/permits/{visa.pk}/"))
    history = page.split('<ol class="history">')[1].split("</ol>")[0]
    assert LOST not in page and words in history


def test_the_officers_page_cites_the_ground_of_a_void_permit_on_one_line_the_full_title_on_hover(permits):
    client = client_for(officer("reception-hall"))
    visa = permits["visa"]
    client.post(f"/en/console/permits/{visa.pk}/void/", {"confirm": "on", "ground_id": LOST})
    page = html(client.get(f"/en/console/permits/{visa.pk}/"))
    status = page.split("<dt>Status</dt>")[1].split("</dd>")[0]
    short = "Regulations on Foreigners&#x27; Entry and Exit, Art. 34(1)"
    full = "Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners"
    assert f">{short}</a>" in status and f'title="{full} (2025 revision)"' in status
    assert f"{full}, Art. 34" not in status
