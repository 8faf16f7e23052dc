"""The one-stop service's case pages say what seed 002 says: category A applicants may be represented and
need no appointment (6. Notes (1), 4. How to apply b), booking waits for the pre-examination, and the letter
of introduction is asked only where other staff of the employer hand the application in (5. (2))."""

from __future__ import annotations

from datetime import date

import pytest
from tests.appointments.helpers import hall_with_slots

from case_helpers import client_for, submitted
from exitentry.cases import services
from exitentry.law.catalog import catalog
from exitentry.web.templatetags.lawtext import day
from factories import PersonFactory, actor, eligible_facts, officer, unit_handler

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]
NEW, RENEWAL = "one-stop-work-permits", "one-stop-work-permits-renewal"


def unit_case(procedure: str, **facts: object):
    """A unit handler's submitted one-stop case for an employee aged 40, with ``facts`` changed."""
    hall_with_slots("one-stop-counter", 30)
    handler = unit_handler()
    given = {**eligible_facts(procedure), "birth_date": "1986-06-01", "limited_mobility": False, **facts}
    given.setdefault("high_level_talent", False)
    case = submitted(handler, procedure, person=PersonFactory(birth_date=date(1986, 6, 1)), facts=given)
    return client_for(handler), case


def test_a_category_a_case_filed_by_the_unit_is_not_told_to_book_a_time_for_the_applicant():
    client, case = unit_case(NEW, work_permit_category="A", high_level_talent=False, limited_mobility=False)
    for lang, booked, walk_in in (
        ("en", "Book a time the applicant can attend", "no appointment is needed"),
        ("zh-hans", "请预约申请人本人能够到场的时间", "无需预约"),
    ):
        for url in (f"/{lang}/my/{case.pk}/", f"/{lang}/my/{case.pk}/booking/"):
            assert booked not in client.get(url).content.decode(), url
        assert walk_in in client.get(f"/{lang}/my/{case.pk}/booking/").content.decode()


def test_booking_a_submitted_case_waits_for_the_pre_examination_and_names_its_due_day():
    client, case = unit_case(RENEWAL, work_permit_category="B")
    due = catalog().calendar.add_working_days(case.submitted_on, 3).date
    page = client.get(f"/en/my/{case.pk}/booking/").content.decode()
    assert "once the application is submitted, until the hall holds" not in page
    assert (
        f"Booking opens once the online pre-examination is passed (3 working days, due by {day(due)})" in page
    )
    zh = client.get(f"/zh-hans/my/{case.pk}/booking/").content.decode()
    assert "网上预审通过后方可预约" in zh
    services.pre_examine(actor(officer("one-stop-counter")), case)
    assert "Booking opens once" not in client.get(f"/en/my/{case.pk}/booking/").content.decode()


@pytest.mark.parametrize(("other_staff", "listed"), [(False, False), (True, True)])
def test_the_letter_of_introduction_is_listed_only_where_other_staff_hand_it_in(other_staff, listed):
    client, case = unit_case(NEW, work_permit_category="B", other_staff_handle=other_staff)
    page = client.get(f"/en/my/{case.pk}/").content.decode()
    assert (
        "the employer&#x27;s letter of introduction" in page
        or "the employer's letter of introduction" in page
    ) is listed
