"""The one-stop service's case pages say what seed 002 says: category A needs no appointment and B and C
book in the Service System for Foreigners Working in China, so this site offers them no time (4. How to
apply b), and the letter of introduction is asked only where other staff of the employer hand the
application in (5. (2))."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from tests.appointments.helpers import hall_with_slots

from case_helpers import client_for, started, submitted
from exitentry.appointments import holding
from exitentry.appointments.models import Booking, Slot
from exitentry.cases import services
from factories import PersonFactory, actor, applicant, eligible_facts, officer, unit_handler

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


SERVICE_SYSTEM = {
    "en": "book an appointment in the Service System for Foreigners Working in China",
    "zh-hans": "在外国人来华工作管理服务系统中预约",
}
LETTER = {
    "en": "The appointment letter from the Service System for Foreigners Working in China",
    "zh-hans": "外国人来华工作管理服务系统出具的预约函",
}
NO_OTHER = {
    "en": "No separate appointment with the Exit-Entry Administration is needed.",
    "zh-hans": "无需另行预约出入境管理部门。",
}
PICKER = {"en": "Show times", "zh-hans": "查看可约时段"}


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("passed", [False, True])
def test_a_category_b_case_is_told_to_book_in_the_service_system_and_offered_no_time_here(lang, passed):
    """Seed 002, 4. How to apply b: after the pre-examination, B and C book in the Service System for
    Foreigners Working in China and come with its appointment letter; no appointment with the Exit-Entry
    Administration, so none of this site's times."""
    client, case = unit_case(NEW, work_permit_category="B")
    if passed:
        services.pre_examine(actor(officer("one-stop-counter")), case)
    for url in (f"/{lang}/my/{case.pk}/", f"/{lang}/my/{case.pk}/booking/"):
        page = client.get(url).content.decode()
        assert SERVICE_SYSTEM[lang] in page and LETTER[lang] in page and NO_OTHER[lang] in page, url
        assert ("4. How to apply, item (b)" if lang == "en" else "四、办理方式（b）") in page, url
        assert PICKER[lang] not in page and 'class="slot' not in page, url
    assert (
        f'href="/{lang}/my/{case.pk}/booking/"' not in client.get(f"/{lang}/my/{case.pk}/").content.decode()
    )


@pytest.mark.parametrize(
    ("lang", "none", "hours"),
    [("en", "No appointment is needed.", "Monday to Saturday"), ("zh-hans", "无需预约。", "周一至周六")],
)
def test_a_category_a_case_needs_no_appointment_and_is_told_the_counters_hours(lang, none, hours):
    client, case = unit_case(NEW, work_permit_category="A", high_level_talent=False, limited_mobility=False)
    services.pre_examine(actor(officer("one-stop-counter")), case)
    for url in (f"/{lang}/my/{case.pk}/", f"/{lang}/my/{case.pk}/booking/"):
        page = client.get(url).content.decode()
        assert none in page and hours in page and LETTER[lang] not in page, url
        assert PICKER[lang] not in page and "Book a time the applicant can attend" not in page, url


def test_a_draft_is_told_where_it_will_book():
    client, case = unit_case(NEW, draft=True, hall=False, work_permit_category="C")
    assert SERVICE_SYSTEM["en"] in client.get(f"/en/my/{case.pk}/booking/").content.decode()
    assert SERVICE_SYSTEM["en"] in client.get(f"/en/my/{case.pk}/").content.decode()


def test_the_api_offers_a_one_stop_case_no_times_and_says_where_it_books():
    client, case = unit_case(NEW, work_permit_category="B")
    services.pre_examine(actor(officer("one-stop-counter")), case)
    answer = client.get(f"/api/v1/slots?case_id={case.pk}&hall_id=one-stop-counter").json()
    assert answer["slots"] == [] and SERVICE_SYSTEM["en"] in answer["walk_in"]["en"]


@pytest.mark.parametrize(("other_staff", "listed"), [(False, False), (True, True)])
def test_the_letter_of_introduction_is_listed_only_where_other_staff_hand_it_in(other_staff, listed):
    client, case = unit_case(NEW, work_permit_category="B", other_staff_handle=other_staff)
    page = client.get(f"/en/my/{case.pk}/").content.decode()
    assert (
        "the employer&#x27;s letter of introduction" in page
        or "the employer's letter of introduction" in page
    ) is listed


def booked_under_the_old_rule(handler, case):
    """An active booking of a one-stop time, as ``book`` made one before it refused them."""
    slot = Slot.objects.filter(hall_id="one-stop-counter").order_by("starts_at").first()
    assert holding.hold(slot.pk)
    return Booking.objects.create(
        reference="OLD-1", slot=slot, case=case, person_id=case.person_id, booked_by=handler
    )


def test_a_one_stop_booking_made_before_is_not_moved_on_the_page_nor_over_the_api():
    """Seed 002, 4. How to apply b: a B or C case books in the Service System, so this site moves no time
    for it either; the booking stays as it was and the refusal says where to book."""
    client, case = unit_case(NEW, work_permit_category="B")
    services.pre_examine(actor(officer("one-stop-counter")), case)
    old = booked_under_the_old_rule(case.submitted_by, case)
    other = Slot.objects.filter(hall_id="one-stop-counter").order_by("starts_at")[3].pk
    page = client.post(
        f"/en/my/{case.pk}/booking/", {"slot_id": other, "confirm": "1", "move": old.reference, "key": "k1"}
    )
    assert page.status_code == 422 and SERVICE_SYSTEM["en"] in page.content.decode()
    api = client.post(
        f"/api/v1/bookings/{old.reference}/move",
        json.dumps({"slot_id": other}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k2",
    )
    assert api.status_code == 422 and SERVICE_SYSTEM["en"] in api.content.decode(), api.content
    assert list(Booking.objects.values_list("reference", "state")) == [("OLD-1", "active")]


HEADING = {"en": ("Your appointment", "Book an appointment"), "zh-hans": ("您的预约", "预约")}
LEAD = {
    "en": "This site books no time for this application; what applies instead:",
    "zh-hans": "本网站不为此申请预约办理时段，适用以下规定：",
}


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("category", ["A", "B"])
def test_the_booking_page_of_a_one_stop_case_is_headed_by_what_applies_not_by_booking(lang, category):
    """Seed 002, 4. How to apply b: this site books no one-stop time, so its booking page does not head
    "Book an appointment": it heads the applicant's appointment and leads with what applies instead."""
    client, case = unit_case(NEW, work_permit_category=category)
    services.pre_examine(actor(officer("one-stop-counter")), case)
    page = client.get(f"/{lang}/my/{case.pk}/booking/").content.decode()
    heading, booking = HEADING[lang]
    assert re.search(r"<h1>(.*?)</h1>", page).group(1) == heading
    assert re.search(r"<title>(.*?) · ", page).group(1) == heading
    assert f"<title>{booking} · " not in page and LEAD[lang] in page


def test_a_case_booked_here_keeps_its_booking_heading():
    hall_with_slots("reception-hall", 30)
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    page = client.get(f"/en/my/{case.pk}/booking/").content.decode()
    assert re.search(r"<h1>(.*?)</h1>", page).group(1) == "Book an appointment"
    assert LEAD["en"] not in page


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_category_a_case_is_told_the_counters_address_beside_its_hours(lang):
    """Seed 002, 4. How to apply b: category A comes to a one-stop counter without an appointment; beside the
    counters' hours the page says where they are, from the law core's hall (as a booking's confirmation
    does), in the page's language."""
    from django.utils.html import escape

    from exitentry.law.catalog import catalog

    client, case = unit_case(NEW, work_permit_category="A", high_level_talent=False, limited_mobility=False)
    services.pre_examine(actor(officer("one-stop-counter")), case)
    address = catalog().halls["one-stop-counter"].address
    label = {"en": "Address", "zh-hans": "地址"}[lang]
    for url in (f"/{lang}/my/{case.pk}/", f"/{lang}/my/{case.pk}/booking/"):
        page = client.get(url).content.decode()
        shown = escape(address.en if lang == "en" else address.zh)
        assert shown in page and label in page, url
