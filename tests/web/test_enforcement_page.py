"""The officers' page of a person's enforcement records: each deadline met, due or late in the page's
language with its article, for the halls that see the person only."""

from __future__ import annotations

import pytest

from case_helpers import client_for, submitted, with_enforcement_records
from exitentry.compliance.models import Detention, OrderToLeave
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


def test_an_order_of_16_days_is_refused_beside_its_field_and_15_days_recorded_then_its_exit(world) -> None:
    clerk = client_for(world["clerk"])
    base = f"/console/people/{world['person'].pk}/enforcement"
    refused = clerk.post(f"/zh-hans{base}/order/", {"ordered_on": "2026-01-12", "days": "16"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert 'id="days-error">限期出境的期限最长不得超过15日' in page and 'value="16"' in page
    english = clerk.post(f"/en{base}/order/", {"ordered_on": "2026-01-12", "days": "16"}).content.decode()
    assert 'id="days-error">An order to leave may give at most 15 days' in english
    done = clerk.post(f"/en{base}/order/", {"ordered_on": "2026-01-12", "days": "15"})
    assert done.status_code == 302 and done["Location"] == f"/en{base}/"
    order = OrderToLeave.objects.get(ordered_on="2026-01-12")
    assert order.last_day.isoformat() == "2026-01-27"
    left = clerk.post(f"/en{base}/exit/", {"order": order.pk, "on": "2026-01-28", "port": "PEK"})
    assert left.status_code == 302
    page = clerk.get(f"/en{base}/").content.decode()
    assert f'data-order="{order.pk}"' in page
    row = page.split(f'data-order="{order.pk}"')[1].split("</tr>")[0]
    assert "Wed 28 January 2026" in row and "status-late" in row  # left the day after the last day


def test_a_transfer_with_no_time_is_refused_and_with_a_beijing_time_recorded(world) -> None:
    clerk = client_for(world["clerk"])
    base = f"/en/console/people/{world['person'].pk}/enforcement"
    detention = Detention.objects.get(person=world["person"])
    refused = clerk.post(f"{base}/transfer/", {"detention": detention.pk, "at": "soon", "to": "Facility"})
    assert refused.status_code == 422 and "Give a valid value here." in refused.content.decode()
    sent = clerk.post(
        f"{base}/transfer/", {"detention": detention.pk, "at": "2026-03-02T10:30", "to": "Facility"}
    )
    assert sent.status_code == 302
    detention.refresh_from_db()
    assert detention.transferred_at == detention.transfer_due_at  # 10:30 Beijing time, the 24th hour: met
    assert detention.status(detention.transfer_due_at) == "met"


def test_another_hall_and_the_applicant_cannot_record(world) -> None:
    path = f"/en/console/people/{world['person'].pk}/enforcement/order/"
    body = {"ordered_on": "2026-01-12", "days": "5"}
    assert client_for(officer("shunyi")).post(path, body).status_code == 404
    assert client_for(world["case"].submitted_by).post(path, body).status_code == 403
    assert client_for(world["clerk"]).post(path.replace("/order/", "/nothing/"), body).status_code == 404
    assert OrderToLeave.objects.filter(ordered_on="2026-01-12").count() == 0
