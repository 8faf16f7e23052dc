"""The officers' page of a person's enforcement records: each deadline met, due or late in the page's
language with its article, for the halls that see the person only."""

from __future__ import annotations

import pytest

from case_helpers import client_for, submitted, with_enforcement_records
from factories import applicant, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    case = submitted(applicant(), "rp-extension")
    clerk = officer(case.hall_id)
    with_enforcement_records(case.person, clerk)
    return {"case": case, "person": case.person, "clerk": clerk}


def test_the_hall_sees_each_deadline_with_its_status_and_article_in_both_languages(world) -> None:
    clerk = client_for(world["clerk"])
    page = clerk.get(f"/en/console/people/{world['person'].pk}/enforcement/").content.decode()
    assert "Sun 1 March 2026 10:30" in page and "Mon 2 March 2026 10:30" in page  # the 24 hours, Beijing time
    assert page.count('class="status status-late"') == 2  # the transfer and the report, never recorded
    assert page.count('class="status status-met"') == 1  # left on 10 January, before the 17th
    assert "Art. 33" in page and "Art. 29" in page and "Art. 32" in page
    assert (
        'The unit or individual that employed them illegally<br><span class="payer">Demo Restaurant</span>'
        in page
    )
    zh = clerk.get(f"/zh-hans/console/people/{world['person'].pk}/enforcement/").content.decode()
    assert "已逾期" in zh and "已按期履行" in zh and "第三十三条" in zh and "非法聘用的单位、个人" in zh


def test_another_hall_and_the_applicant_do_not_see_the_page(world) -> None:
    path = f"/en/console/people/{world['person'].pk}/enforcement/"
    assert client_for(officer("shunyi")).get(path).status_code == 404
    assert client_for(world["case"].submitted_by).get(path).status_code == 403
