"""The one-stop service's case pages say what seed 002 says: category A applicants may be represented and
need no appointment (6. Notes (1), 4. How to apply b), booking waits for the pre-examination, and the letter
of introduction is asked only where other staff of the employer hand the application in (5. (2))."""

from __future__ import annotations

from datetime import date

import pytest
from tests.appointments.helpers import hall_with_slots

from case_helpers import client_for, started, submitted
from exitentry.cases import deadlines, services
from exitentry.law import intake
from exitentry.law.catalog import catalog
from exitentry.web.case_pages import deadlines as case_clocks
from exitentry.web.templatetags.lawtext import day
from factories import PersonFactory, actor, eligible_facts, officer, unit_handler

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]
NEW, RENEWAL = "one-stop-work-permits", "one-stop-work-permits-renewal"


def unit_case(procedure: str, *, draft: bool = False, hall: bool = True, **facts: object):
    """A unit handler's submitted (or ``draft``) one-stop case for an employee aged 40, ``facts`` changed;
    ``hall``: open the one-stop counter's times first."""
    if hall:
        hall_with_slots("one-stop-counter", 30)
    handler = unit_handler()
    given = {**eligible_facts(procedure), "birth_date": "1986-06-01", "limited_mobility": False, **facts}
    given.setdefault("high_level_talent", False)
    make = started if draft else submitted
    case = make(handler, procedure, person=PersonFactory(birth_date=date(1986, 6, 1)), facts=given)
    return client_for(handler), case


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            "Booking opens once the online submission in the Service System for Foreigners Working in China has "
            "passed the pre-examination (3 working days after it is submitted). The appointment is for handing "
            "in the paper documents at the one-stop counter; no other appointment with the Exit-Entry "
            "Administration is needed.",
        ),
        ("zh-hans", "在外国人来华工作管理服务系统中在线提交的申请通过网上预审（提交后3个工作日）后方可预约"),
    ],
)
def test_a_draft_of_category_b_is_told_booking_waits_for_the_pre_examination_of_the_online_submission(
    lang, words
):
    """Seed 002, 4. How to apply a-b: the employer submits online; after the pre-examination passes, B and C
    book the counter, with no other appointment with the Exit-Entry Administration; A needs none."""
    client, case = unit_case(NEW, draft=True, work_permit_category="B")
    page = client.get(f"/{lang}/my/{case.pk}/booking/").content.decode()
    assert words in page and ("4. How to apply b" if lang == "en" else "四、办理方式b") in page
    assert "once the application is submitted, until the hall holds" not in page
    assert "申请提交后、大厅收齐材料前可以预约" not in page
    client, case = unit_case(NEW, draft=True, hall=False, work_permit_category="A")
    page = client.get(f"/{lang}/my/{case.pk}/booking/").content.decode()
    assert ("no appointment is needed" if lang == "en" else "无需预约") in page and words not in page


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


def test_the_booking_rule_is_the_law_cores_text_citing_the_guide():
    """Seed 002, 4. How to apply b: the page renders the law core's text, in both languages."""
    said = intake.booking_after_pre_examination(3)
    assert ("bj-one-stop", "4. How to apply b") in {(c.source, c.section) for c in said.cite}
    assert "Service System for Foreigners Working in China" in said.text.en and "无需另行" in said.text.zh
    client, case = unit_case(NEW, draft=True, work_permit_category="B")
    assert said.text.en in client.get(f"/en/my/{case.pk}/booking/").content.decode()
    assert said.text.zh in client.get(f"/zh-hans/my/{case.pk}/booking/").content.decode()
    assert "working day after" in intake.booking_after_pre_examination(1).text.en


def test_the_pending_pre_examination_clock_is_found_once_submitted_until_passed():
    client, case = unit_case(RENEWAL, work_permit_category="B")
    pending = deadlines.pre_examination_pending(case_clocks(case, case.submitted_on))
    assert pending is not None and pending.started_on == case.submitted_on
    services.pre_examine(actor(officer("one-stop-counter")), case)
    case.refresh_from_db()
    assert deadlines.pre_examination_pending(case_clocks(case, case.submitted_on)) is None


@pytest.mark.parametrize(("other_staff", "listed"), [(False, False), (True, True)])
def test_the_letter_of_introduction_is_listed_only_where_other_staff_hand_it_in(other_staff, listed):
    client, case = unit_case(NEW, work_permit_category="B", other_staff_handle=other_staff)
    page = client.get(f"/en/my/{case.pk}/").content.decode()
    assert (
        "the employer&#x27;s letter of introduction" in page
        or "the employer's letter of introduction" in page
    ) is listed
