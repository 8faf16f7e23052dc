"""The booking pages in both languages: the slot picker, my appointments, cancel and move."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.appointments.helpers import WEEK, hall_with_slots, offered_weeks_ahead

from case_helpers import TODAY, client_for, started, submitted
from exitentry.accounts.audit import Actor
from exitentry.appointments.models import Booking, Slot
from exitentry.appointments.services import book
from exitentry.cases import services
from factories import applicant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]


def booked() -> tuple:
    """An applicant's client, their submitted case booked through the picker into the hall's first slot,
    the booking, and the slot after it."""
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    first, second = Slot.objects.order_by("starts_at")[:2]
    client.post(f"/en/my/{case.pk}/booking/", {"slot_id": first.pk, "confirm": "yes"})
    return client, case, Booking.objects.get(), second


def test_the_case_page_links_to_booking_and_the_picker_books_a_slot() -> None:
    hall_with_slots("shijingshan")
    user = applicant()
    case = services.submit(Actor(user), started(user, "rp-work"), "shijingshan", on=TODAY)
    client = client_for(user)
    page = client.get(f"/en/my/{case.pk}/")
    assert f"/en/my/{case.pk}/booking/" in page.content.decode()
    picker = client.get(f"/en/my/{case.pk}/booking/", {"hall": "shijingshan", "from": WEEK.isoformat()})
    html = picker.content.decode()
    assert (
        picker.status_code == 200 and "09:00–09:30" in html and "12:00–" not in html and "13:30–14:00" in html
    )
    slot = Slot.objects.filter(hall_id="shijingshan").order_by("starts_at").first()
    done = client.post(
        f"/en/my/{case.pk}/booking/", {"slot_id": slot.pk, "hall": "shijingshan", "confirm": "yes"}
    )
    booking = Booking.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/en/my/bookings/{booking.reference}/"
    listing = client.get("/zh-hans/my/bookings/").content.decode()
    assert booking.reference in listing and "我的预约" in listing and "改约" in listing
    again = client.post(
        f"/en/my/{case.pk}/booking/", {"slot_id": slot.pk, "hall": "shijingshan", "confirm": "yes"}
    )
    assert again.status_code == 422 and "already has an appointment" in again.content.decode()


def test_cancel_and_move_from_my_appointments() -> None:
    client, case, booking, second = booked()
    moved = client.post(
        f"/en/my/{case.pk}/booking/", {"slot_id": second.pk, "move": booking.reference, "confirm": "yes"}
    )
    assert moved.status_code == 302
    new = Booking.objects.get(state="active")
    assert new.slot == second
    asked = client.post(f"/en/my/bookings/{new.reference}/cancel/")  # the button alone asks first
    assert asked.status_code == 200 and "Cancel the appointment?" in asked.content.decode()
    assert Booking.objects.get(pk=new.pk).state == "active"
    zh = client.post(f"/zh-hans/my/bookings/{new.reference}/cancel/").content.decode()
    assert "取消此预约？" in zh and "预约号" in zh
    client.post(f"/en/my/bookings/{new.reference}/cancel/", {"confirm": "yes"})
    assert not Booking.objects.filter(state="active").exists()
    assert client_for(applicant()).post(f"/en/my/bookings/{booking.reference}/cancel/").status_code == 404


def test_reloading_the_cancel_page_shows_the_confirmation_and_cancels_nothing() -> None:
    client, _, booking, _ = booked()
    zh = client.get(f"/zh-hans/my/bookings/{booking.reference}/cancel/")
    assert zh.status_code == 200 and "取消此预约？" in zh.content.decode()
    assert Booking.objects.get(pk=booking.pk).state == "active"


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        (
            "en",
            "Exit-Entry Administration &amp; Foreigner Service Center of Zhongguancun is not this application’s hall",
        ),
        ("zh-hans", "北京市公安局中关村出入境及外国人服务中心不是此申请的受理大厅"),
    ],
)
def test_the_picker_at_another_hall_than_the_cases_says_so_and_links_to_its_own(lang, says) -> None:
    client, case, _, _ = booked()
    page = client.get(f"/{lang}/my/{case.pk}/booking/", {"hall": "zhongguancun"}).content.decode()
    assert says in page and f'href="/{lang}/my/{case.pk}/booking/?hall=reception-hall&amp;move=' in page
    assert "No free times" not in page and "未来四周没有空余时段" not in page


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "The hall named in this address is not this application’s hall"),
        ("zh-hans", "此地址所指的大厅不是此申请的受理大厅"),
    ],
)
def test_the_picker_does_not_echo_an_unknown_hall_as_a_name(lang, says) -> None:
    client, case, _, _ = booked()
    page = client.get(f"/{lang}/my/{case.pk}/booking/", {"hall": "Free-visas-call-555"}).content.decode()
    assert says in page and "Free-visas-call-555 is not" not in page and "Free-visas-call-555不是" not in page


def test_the_picker_in_chinese_says_when_there_is_nothing_to_book() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    page = client_for(user).get(f"/zh-hans/my/{case.pk}/booking/")
    assert page.status_code == 200 and "预约" in page.content.decode()


def test_a_week_without_room_lists_the_days_with_room_in_the_next_four_weeks() -> None:
    hall_with_slots("reception-hall", 30, weeks=2)
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    week_with_room = client.get(f"/en/my/{case.pk}/booking/").content.decode()
    assert "09:00–09:30" in week_with_room and "Days with free times" not in week_with_room
    empty_week = {"from": (WEEK + timedelta(weeks=2)).isoformat()}
    html = client.get(f"/en/my/{case.pk}/booking/", empty_week).content.decode()
    assert "Days with free times in the next 4 weeks" in html
    assert f"from={WEEK.isoformat()}" in html and "16 times" in html
    zh = client.get(f"/zh-hans/my/{case.pk}/booking/", empty_week).content.decode()
    assert "未来4周有空余时段的日期" in zh and "16个时段" in zh


def test_no_free_times_is_said_only_when_the_four_weeks_have_none() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    none = client.get(f"/zh-hans/my/{case.pk}/booking/").content.decode()
    assert "该大厅未来4周没有空余时段。" in none
    hall_with_slots("reception-hall", 30)
    week = client.get(f"/en/my/{case.pk}/booking/").content.decode()
    assert "09:00–09:30" in week and "No free times at this hall" not in week
    zh = client.get(f"/zh-hans/my/{case.pk}/booking/").content.decode()
    assert "09:00–09:30" in zh and "该大厅未来4周没有空余时段" not in zh


def test_the_days_with_room_reach_as_far_as_the_booking_rules_offer() -> None:
    offered_weeks_ahead(6)
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    empty_week = {"from": (WEEK + timedelta(weeks=6)).isoformat()}
    html = client.get(f"/en/my/{case.pk}/booking/", empty_week).content.decode()
    assert "Days with free times in the next 6 weeks" in html
    assert f"from={(WEEK + timedelta(weeks=5)).isoformat()}" in html
    zh = client.get(f"/zh-hans/my/{case.pk}/booking/", empty_week).content.decode()
    assert "未来6周有空余时段的日期" in zh


def test_a_booked_case_shows_its_appointment_and_a_time_chosen_moves_it() -> None:
    client, case, booking, second = booked()
    html = client.get(f"/en/my/{case.pk}/booking/").content.decode()
    assert "This application's appointment" in html and "Move your appointment" in html
    assert f'href="/en/my/bookings/{booking.reference}/"' in html and "09:00–09:30" in html
    assert f'name="move" value="{booking.reference}"' in html and 'name="at"' in html
    assert f'action="/en/my/bookings/{booking.reference}/cancel/"' in html
    zh = client.get(f"/zh-hans/my/{case.pk}/booking/").content.decode()
    assert "本申请的预约" in zh and "改约" in zh and booking.reference in zh
    moved = client.post(
        f"/en/my/{case.pk}/booking/", {"slot_id": second.pk, "move": booking.reference, "confirm": "yes"}
    )
    new = Booking.objects.get(state="active")
    assert moved.status_code == 302 and new.slot == second and new.reference != booking.reference
    assert Booking.objects.get(pk=booking.pk).state == "moved"


def test_a_refused_time_says_why_not_just_choose_a_time() -> None:
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    missing = client.post(f"/en/my/{case.pk}/booking/", {"slot_id": "999999", "confirm": "yes"})
    assert missing.status_code == 422 and "There is no slot 999999." in missing.content.decode()
    zh = client.post(f"/zh-hans/my/{case.pk}/booking/", {"slot_id": "999999", "confirm": "yes"})
    assert "没有编号为999999的时段。" in zh.content.decode()
    empty = client.post(f"/en/my/{case.pk}/booking/", {"slot_id": ""})
    assert empty.status_code == 422 and "Choose a time." in empty.content.decode()
    assert not Booking.objects.exists()


def test_inside_the_cut_off_the_page_says_the_appointment_can_no_longer_change() -> None:
    from unittest import mock

    from tests.appointments.helpers import at

    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    first = Slot.objects.order_by("starts_at").first()
    client.post(f"/en/my/{case.pk}/booking/", {"slot_id": first.pk, "confirm": "yes"})
    booking = Booking.objects.get()
    with mock.patch("exitentry.clock.now", return_value=at("2026-11-22T10:00")):  # 23 hours before
        html = client.get(f"/en/my/{case.pk}/booking/").content.decode()
        zh = client.get(f"/zh-hans/my/{case.pk}/booking/").content.decode()
    assert "up to 24 hours before it; this one is too close" in html and booking.reference in html
    assert 'name="at"' not in html and "/cancel/" not in html
    assert "预约须在开始前24小时以前取消或改约" in zh and 'name="at"' not in zh
    with mock.patch("exitentry.clock.now", return_value=at("2026-11-22T10:00")):
        listed = client.get("/en/my/bookings/").content.decode()
    assert "this one is too close" in listed and "/cancel/" not in listed and "?move=" not in listed
    assert "/cancel/" in client.get("/en/my/bookings/").content.decode()  # earlier, it still can


def test_my_appointments_asks_the_database_as_often_for_five_bookings_as_for_one() -> None:
    """The cut-off of each booking comes from the booking rules read once, not once a row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hall_with_slots()
    user = applicant()
    slots = Slot.objects.order_by("starts_at")[:5]
    cases = [submitted(user, "rp-work") for _ in slots]
    client = client_for(user)

    def book(n: int) -> None:
        Booking.objects.create(
            reference=f"REF{n:07d}", slot=slots[n], case=cases[n], person_id=user.person_id, booked_by=user
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as asked:
            listed = client.get("/en/my/bookings/").content.decode()
        assert listed.count("/cancel/") == Booking.objects.count()
        return len(asked)

    book(0)
    queries()  # the first answer of a session may write it, or make the booking rules' row
    one = queries()
    for n in range(1, 5):
        book(n)
    assert queries() == one


def test_a_time_clicked_is_confirmed_before_it_is_booked_and_a_final_one_says_so() -> None:
    """Choosing a time shows the hall, day, time and what "final" means, then Book; nothing is booked
    until Book, with or without JavaScript (a GET with the hall and ``at``, or a POST without ``confirm``)."""
    from unittest import mock

    from tests.appointments.helpers import at

    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    first = Slot.objects.order_by("starts_at").first()
    chosen = {"hall": "reception-hall", "at": "2026-11-23T09:00"}
    html = client.get(f"/en/my/{case.pk}/booking/").content.decode()
    assert 'name="at" value="2026-11-23T09:00"' in html and 'hx-target="#booking-step"' in html
    step = client.get(f"/en/my/{case.pk}/booking/", chosen)
    shown = step.content.decode()
    assert step.status_code == 200 and "Book this time?" in shown and "09:00–09:30" in shown
    assert "Exit-Entry Administration Reception Hall" in shown
    assert 'name="confirm"' in shown and "You can cancel or move it up to 24 hours before it starts." in shown
    unconfirmed = client.post(f"/en/my/{case.pk}/booking/", {"slot_id": first.pk, "hall": "reception-hall"})
    assert unconfirmed.status_code == 302 and unconfirmed["Location"].endswith(
        "?hall=reception-hall&from=2026-11-23&at=2026-11-23T09%3A00"
    )
    assert not Booking.objects.exists()
    with mock.patch("exitentry.clock.now", return_value=at("2026-11-22T10:00")):  # 23 hours before
        zh = client.get(f"/zh-hans/my/{case.pk}/booking/", chosen).content.decode()
        en = client.get(f"/en/my/{case.pk}/booking/", chosen).content.decode()
    assert "This time is final" in en and "cannot be cancelled or moved" in en
    assert "确认预约此时段？" in zh and "此时段不可更改" in zh
    for wrong in ("2026-11-23T09:10", "2026-11-23T23:00", "2026-11-22T09:00", "tomorrow", "²"):
        gone = client.get(f"/en/my/{case.pk}/booking/", {"hall": "reception-hall", "at": wrong})
        assert gone.status_code == 422 and "This time is no longer offered" in gone.content.decode()
    done = client.post(f"/en/my/{case.pk}/booking/", {"slot_id": first.pk, "confirm": "yes"})
    assert done.status_code == 302 and Booking.objects.get().slot == first


def someone_books(slot: Slot) -> None:
    """Another applicant books ``slot`` for their own case."""
    someone = applicant()
    book(Actor(someone), submitted(someone, "rp-work"), slot.pk)


def test_the_confirm_step_is_an_address_a_reload_or_a_shared_link_shows_again_and_never_books() -> None:
    """The picker's times push their address (hall, day and time in the query string); opening it again
    checks the time on the server once more: another counter's slot at that time if the first was taken
    meanwhile, a refusal if none is left or the hall does not take the case. Only the POST books."""
    hall_with_slots("reception-hall", 30, ["*"], ["*"])
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    picker = client.get(f"/en/my/{case.pk}/booking/", {"hall": "reception-hall"}).content.decode()
    assert 'hx-push-url="true"' in picker
    address = f"/zh-hans/my/{case.pk}/booking/?hall=reception-hall&from=2026-11-23&at=2026-11-23T09:00"
    for _ in range(2):  # a reload
        zh = client.get(address)
        assert zh.status_code == 200 and "确认预约此时段？" in zh.content.decode()
    assert not Booking.objects.exists()
    first, other = Slot.objects.filter(starts_at=Slot.objects.order_by("starts_at")[0].starts_at)
    someone_books(first)
    again = client.get(address).content.decode()
    assert f'name="slot_id" value="{other.pk}"' in again and "09:00–09:30" in again
    someone_books(other)
    taken = client.get(address)
    assert taken.status_code == 422 and "该时段已不再开放" in taken.content.decode()
    elsewhere = client.get(f"/en/my/{case.pk}/booking/", {"hall": "shijingshan", "at": "2026-11-23T09:30"})
    assert elsewhere.status_code == 422 and "This time is no longer offered" in elsewhere.content.decode()
    assert Booking.objects.filter(case=case).count() == 0


def test_the_confirmation_offers_cancel_and_move_until_the_cut_off_then_says_why_not() -> None:
    from unittest import mock

    from tests.appointments.helpers import at

    client, case, booking, second = booked()
    page = f"/zh-hans/my/bookings/{booking.reference}/"
    zh = client.get(page).content.decode()
    assert f'action="/zh-hans/my/bookings/{booking.reference}/cancel/"' in zh
    assert f"/zh-hans/my/{case.pk}/booking/?move={booking.reference}" in zh and "改约到其他时段" in zh
    en = client.get(f"/en/my/bookings/{booking.reference}/").content.decode()
    assert "Move to another time" in en and "Cancel the appointment" in en
    with mock.patch("exitentry.clock.now", return_value=at("2026-11-22T10:00")):  # 23 hours before
        late = client.get(page).content.decode()
    assert "预约须在开始前24小时以前取消或改约，该预约已过时限。" in late
    assert "/cancel/" not in late and "?move=" not in late
    client.post(f"/en/my/bookings/{booking.reference}/cancel/", {"confirm": "yes"})
    cancelled = client.get(page).content.decode()
    assert "/cancel/" not in cancelled and "?move=" not in cancelled


def test_a_moved_appointment_says_its_reference_changed_and_the_old_printout_no_longer_works() -> None:
    from exitentry.messaging.models import Message

    client, case, booking, second = booked()
    moved = client.post(
        f"/en/my/{case.pk}/booking/",
        {"slot_id": second.pk, "move": booking.reference, "confirm": "yes"},
        follow=True,
    )
    new = Booking.objects.get(state="active")
    en = moved.content.decode()
    assert f"The reference changed from {booking.reference} to {new.reference}" in en
    assert "a confirmation printed before no longer works" in en
    zh = client.get(f"/zh-hans/my/bookings/{new.reference}/").content.decode()
    assert f"预约号已由{booking.reference}改为{new.reference}" in zh and "此前打印的确认单不再有效" in zh
    told = Message.objects.get(event_key=f"booking:{booking.reference}:moved")
    said = {"en": "a confirmation printed before no longer works", "zh-hans": "此前打印的确认单不再有效"}
    assert new.reference in told.body and said[told.language] in told.body
    old = client.get(f"/en/my/bookings/{booking.reference}/").content.decode()
    assert f"/en/my/bookings/{new.reference}/" in old


def test_the_booking_page_and_confirmation_name_the_applicant_with_the_chinese_name_registered() -> None:
    client, case, booking, _ = booked()
    person = case.person
    person.chinese_name = "施安娜"
    person.save()
    for url in (f"/my/{case.pk}/booking/", f"/my/bookings/{booking.reference}/"):
        zh = client.get(f"/zh-hans{url}").content.decode()
        assert "申请人" in zh and str(person) in zh and "施安娜" in zh, url
        en = client.get(f"/en{url}").content.decode()
        assert '<span lang="zh-Hans">施安娜</span>' in en, url


def test_the_book_button_sent_twice_books_once_and_both_land_on_the_confirmation() -> None:
    """The confirm step's form carries its own idempotency key: a double click or a resent POST gets the
    first answer (the booking's confirmation), never a second booking nor a refusal; a move likewise."""
    import re

    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    first, second = Slot.objects.order_by("starts_at")[:2]
    step = client.get(f"/en/my/{case.pk}/booking/", {"hall": "reception-hall", "at": "2026-11-23T09:00"})
    key = re.search(r'name="key" value="([^"]+)"', step.content.decode()).group(1)
    posted = {"slot_id": first.pk, "confirm": "yes", "key": key}
    once, twice = (client.post(f"/en/my/{case.pk}/booking/", posted) for _ in range(2))
    booking = Booking.objects.get()
    assert once.status_code == twice.status_code == 302
    assert once["Location"] == twice["Location"] == f"/en/my/bookings/{booking.reference}/"
    move = {"slot_id": second.pk, "confirm": "yes", "move": booking.reference, "key": "another-key"}
    moved, again = (client.post(f"/en/my/{case.pk}/booking/", move) for _ in range(2))
    new = Booking.objects.get(state="active")
    assert moved["Location"] == again["Location"] == f"/en/my/bookings/{new.reference}/"
    assert Booking.objects.count() == 2
    someone = client_for(applicant()).post(f"/en/my/{case.pk}/booking/", posted)
    assert someone.status_code == 404  # a key is the account's own: it answers no one else


def confirm_step_key(client, case) -> str:
    import re

    step = client.get(f"/en/my/{case.pk}/booking/", {"hall": "reception-hall", "at": "2026-11-23T09:00"})
    return re.search(r'name="key" value="([^"]+)"', step.content.decode()).group(1)


def test_a_form_key_sent_for_another_time_is_refused_not_answered_with_the_first_booking() -> None:
    """A form's key answers only the booking it was made for (its case, slot and move): posted again for
    another time it is refused, not taken for the first booking's resend."""
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    first, second = Slot.objects.order_by("starts_at")[:2]
    key = confirm_step_key(client, case)
    booked = client.post(f"/en/my/{case.pk}/booking/", {"slot_id": first.pk, "confirm": "yes", "key": key})
    booking = Booking.objects.get()
    assert booked.status_code == 302
    move = {"slot_id": second.pk, "confirm": "yes", "move": booking.reference, "key": key}
    reused = client.post(f"/en/my/{case.pk}/booking/", move)
    assert reused.status_code == 422
    assert "This form was already sent for another time" in reused.content.decode()
    assert Booking.objects.get().slot_id == first.pk


def test_an_api_key_that_looks_like_a_forms_is_the_apis_own() -> None:
    """The web form's keys live apart from the API's ``Idempotency-Key``s: an API client sending one that
    begins as a form's did neither meets the form's answer nor keeps the form from its own."""
    import json

    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    first = Slot.objects.order_by("starts_at").first()
    key = confirm_step_key(client, case)
    booked = client.post(f"/en/my/{case.pk}/booking/", {"slot_id": first.pk, "confirm": "yes", "key": key})
    booking = Booking.objects.get()
    body = json.dumps({"case_id": case.pk, "slot_id": first.pk})
    api = client.post(
        "/api/v1/bookings", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"form:{key}"
    )
    assert "Idempotency-Key" not in api.content.decode()  # not taken for a key used for another request
    again = client.post(f"/en/my/{case.pk}/booking/", {"slot_id": first.pk, "confirm": "yes", "key": key})
    assert booked["Location"] == again["Location"] == f"/en/my/bookings/{booking.reference}/"


def test_the_list_of_my_appointments_is_a_read_in_the_audit_trail_on_the_page_and_the_api() -> None:
    """The bookings list names people and their cases: each page of it is one audit entry naming the cases,
    as the list of applications (``record_list``)."""
    from exitentry.accounts.models import AuditEntry

    client, case, _, _ = booked()
    assert client.get("/en/my/bookings/").status_code == 200
    assert client.get("/api/v1/bookings").status_code == 200
    reads = AuditEntry.objects.filter(action="case.list", object_type__in=["my-bookings", "bookings"])
    assert sorted(reads.values_list("object_type", flat=True)) == ["bookings", "my-bookings"]
    assert all(entry.new == {"cases": [case.pk]} for entry in reads)


def test_the_booking_page_of_a_case_is_a_read_in_the_audit_trail() -> None:
    """The picker names the person the case is for: each time it is shown is one ``case.read``, as the case
    page records (``case_pages.read_case``); a booking itself (a POST that redirects) is no read."""
    from exitentry.accounts.models import AuditEntry

    client, case, booking, _ = booked()
    reads = AuditEntry.objects.filter(action="case.read", object_type="case", object_id=str(case.pk))
    assert not reads.exists()
    page = client.get(f"/en/my/{case.pk}/booking/")
    assert page.status_code == 200 and str(case.person) in page.content.decode()
    assert reads.count() == 1
    assert reads.get().actor_id == case.submitted_by_id
    client.get(f"/en/my/{case.pk}/booking/", {"move": booking.reference})
    assert reads.count() == 2
