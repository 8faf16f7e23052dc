"""The officer's case page at intake: beside each material the sources require in the original it says so
(with the checkbox on its files), and before the click it says that acceptance waits for the originals
not yet marked seen; the POST is refused until they are (personal-affairs guide, Points for Attention 2)."""

from __future__ import annotations

import re

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import hall_receives, submitted, upload_everything
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, Receipt
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db

WAIT = re.compile(r'<p class="notice originals-wait" id="originals-wait">(.*?)</p>', re.S)


def received_complete(procedure_id: str = "rp-personal-affairs") -> Case:
    user = applicant()
    case = submitted(user, procedure_id)
    hall_receives(actor(officer(case.hall_id)), case, on=TODAY)
    upload_everything(user, case)
    return case


def items_needing_originals(page: str) -> set[str]:
    found = set()
    for item in re.findall(
        r'<li class="intake-item" data-item="([^"]+)">(.*?)</li>\s*(?=<li class="intake|</ul>)', page, re.S
    ):
        if "original-required" in item[1]:
            found.add(item[0])
    return found


@pytest.mark.parametrize(
    ("lang", "must", "waits", "source"),
    [
        ("en", "the original must be seen", "Acceptance waits for the originals", "Points for Attention 2"),
        ("zh-hans", "须核验原件", "受理前须核验原件", "注意事项第2项"),
    ],
)
def test_the_page_says_before_the_click_which_originals_acceptance_waits_for(lang, must, waits, source):
    case = received_complete()
    browser = client_for(officer(case.hall_id))
    page = html(browser.get(f"/{lang}/console/cases/{case.pk}/"))
    required = {m.material_id for m in case.materials.all()}
    assert items_needing_originals(page) == required
    assert page.count(must) >= len(required)
    assert page.count('name="original_seen"') == case.materials.count()
    wait = WAIT.search(page)
    assert wait and waits in wait.group(1)
    assert source in wait.group(1)
    assert 'aria-describedby="originals-wait"' in page


def test_accepting_from_the_page_is_refused_until_the_originals_are_marked_seen_then_it_is_accepted():
    case = received_complete()
    browser = client_for(officer(case.hall_id))
    refused = browser.post(f"/en/console/cases/{case.pk}/accept/")
    assert refused.status_code == 422
    assert "Acceptance waits for the originals" in html(refused)
    assert (
        Case.objects.get(pk=case.pk).state == State.RECEIVED
        and not Receipt.objects.filter(case=case).exists()
    )

    for material in case.materials.all():
        marked = browser.post(f"/en/console/materials/{material.pk}/review/", {"original_seen": "on"})
        assert marked.status_code == 302
    page = html(browser.get(f"/en/console/cases/{case.pk}/"))
    assert not WAIT.search(page) and page.count("original seen") >= case.materials.count()
    accepted = browser.post(f"/en/console/cases/{case.pk}/accept/", follow=True)
    assert accepted.status_code == 200 and "Accepted: receipt" in html(accepted)
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED


def test_a_procedure_whose_sources_are_silent_shows_no_originals_rule():
    case = received_complete("rp-work")
    page = html(client_for(officer(case.hall_id)).get(f"/en/console/cases/{case.pk}/"))
    assert "original-required" not in page and not WAIT.search(page)
    assert services.originals_unseen(case, TODAY) == ()
