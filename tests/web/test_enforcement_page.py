"""The officers' page of a person's enforcement records: each deadline met, due or late in the page's
language with its article, for the halls that see the person only."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from tests.case_helpers import client_for, submitted
from tests.factories import actor, applicant, officer

from exitentry.compliance import services
from exitentry.law.calendar import BEIJING
from exitentry.registry.models import TravelDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    case = submitted(applicant(), "rp-extension")
    person = case.person
    TravelDocument.objects.create(
        person=person, number="C01X00T47", issuing_country="DEU", issued_on=date(2020, 1, 1),
        expires_on=date(2030, 1, 1),
    )  # fmt: skip
    clerk = officer(case.hall_id)
    by = actor(clerk)
    services.detain(
        by, person, detained_at=datetime(2026, 3, 1, 10, 30, tzinfo=BEIJING), place="Chaoyang station"
    )
    order = services.order_to_leave(by, person, ordered_on=date(2026, 1, 2), days=15)
    services.record_exit(by, order, on=date(2026, 1, 10), port="PEK")
    services.repatriate(
        by, person, decided_on=date(2026, 2, 1), no_entry_years=2, can_pay=False, illegally_employed=True,
        payer="Demo Restaurant",
    )  # fmt: skip
    services.restrict(
        by, person, decided_on=date(2026, 3, 1), area="110105", residence="2 Test Road",
        report_times=[datetime(2026, 3, 2, 9, tzinfo=BEIJING)],
    )  # fmt: skip
    return {"case": case, "person": person, "clerk": clerk}


def test_the_hall_sees_each_deadline_with_its_status_and_article_in_both_languages(world) -> None:
    clerk = client_for(world["clerk"])
    page = clerk.get(f"/en/console/people/{world['person'].pk}/enforcement/").content.decode()
    assert "Sun 1 March 2026 10:30" in page and "Mon 2 March 2026 10:30" in page  # the 24 hours, Beijing time
    assert page.count('class="status status-late"') == 2  # the transfer and the report, never recorded
    assert page.count('class="status status-met"') == 1  # left on 10 January, before the 17th
    assert "Art. 33" in page and "Art. 29" in page and "Art. 32" in page
    assert "The unit or individual that employed them illegally: Demo Restaurant" in page
    zh = clerk.get(f"/zh-hans/console/people/{world['person'].pk}/enforcement/").content.decode()
    assert "已逾期" in zh and "已按期履行" in zh and "第三十三条" in zh and "非法聘用的单位、个人" in zh


def test_another_hall_and_the_applicant_do_not_see_the_page(world) -> None:
    path = f"/en/console/people/{world['person'].pk}/enforcement/"
    assert client_for(officer("shunyi")).get(path).status_code == 404
    assert client_for(world["case"].submitted_by).get(path).status_code == 403
