"""The officer's case page at the counter: beside each required item still missing on a received case, a
button records it as handed in on paper with its original seen; the checklist then says so in both
languages, the case can be accepted, and no one downloads a file that does not exist."""

from __future__ import annotations

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import hall_receives, submitted
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", "received on paper at the counter · original seen"),
        ("zh-hans", "窗口收到纸质材料 · 已核验原件"),
    ],
)
def test_the_officer_records_every_missing_item_on_paper_and_accepts(lang, shown):
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    clerk = officer(case.hall_id)
    hall_receives(actor(clerk), case, on=TODAY)
    missing = [d.item.id for d in services.outstanding(case, TODAY)]
    browser = client_for(clerk)
    page = html(browser.get(f"/{lang}/console/cases/{case.pk}/"))
    assert page.count('class="on-paper"') == len(missing)
    assert "step-accept" not in page

    for item in missing:
        done = browser.post(f"/{lang}/console/cases/{case.pk}/receive_on_paper/", {"material_id": item})
        assert done.status_code == 302
    twice = browser.post(f"/{lang}/console/cases/{case.pk}/receive_on_paper/", {"material_id": missing[0]})
    assert twice.status_code == 422

    page = html(browser.get(f"/{lang}/console/cases/{case.pk}/"))
    assert page.count(shown) == len(missing)
    assert 'class="on-paper"' not in page.replace('<span class="on-paper">', "")
    assert "step-accept" in page and "originals-wait" not in page
    paper = case.materials.first()
    assert browser.get(f"/{lang}/materials/{paper.pk}/").status_code == 404
    mine = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    tag = {"en": ">received</span>", "zh-hans": ">已收到</span>"}[lang]
    assert mine.count(tag) == len(missing)  # the applicant's list: received at the counter, not "uploaded"

    accepted = browser.post(f"/{lang}/console/cases/{case.pk}/accept/")
    assert accepted.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED


def test_the_applicant_cannot_post_the_counters_step():
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    hall_receives(actor(officer(case.hall_id)), case, on=TODAY)
    item = services.outstanding(case, TODAY)[0].item.id
    refused = client_for(user).post(f"/en/console/cases/{case.pk}/receive_on_paper/", {"material_id": item})
    assert refused.status_code in (403, 404)
    assert not case.materials.exists()
