"""A booking whose time the hall withdraws (a closure, fewer counters): its people are told once, in their
language, and its pages say so with a way to choose another time."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from tests.appointments.helpers import BEFORE, WEEK, at, hall_with_slots

from case_helpers import client_for, submitted
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import Role
from exitentry.appointments import services, withdrawals
from exitentry.appointments.models import Booking, Slot
from exitentry.appointments.services import OverrideRequest
from exitentry.law.text import Text
from exitentry.messaging.models import Message
from factories import UserFactory, applicant, officer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]
URL = "/en/console/hall-days/"


def close_the_day(**changes) -> None:
    boss = client_for(officer("reception-hall", role="supervisor"))
    form = {
        "hall_id": "reception-hall",
        "day": WEEK.isoformat(),
        "kind": "closed",
        "reason": "Power maintenance",
        "reason_zh": "电力检修",
    }
    assert boss.post(URL, form | changes).status_code == 200


def withdrawn_messages(booking) -> list[Message]:
    return list(Message.objects.filter(event_key__startswith=f"booking:{booking.reference}:withdrawn"))


def test_the_booker_is_told_once_in_her_language(booked_case) -> None:
    booked_case.booked_by.language = "zh-hans"
    booked_case.booked_by.save()
    close_the_day()
    close_the_day(kind="extra_hours", opens="18:00", closes="19:00", reason="Again", reason_zh="再次")
    [message] = withdrawn_messages(booked_case)
    assert message.user == booked_case.booked_by and message.language == "zh-hans"
    assert "电力检修" in message.subject + message.body and "另选" in message.body
    assert f"/zh-hans/my/bookings/{booked_case.reference}/" in message.body


def test_the_applicant_is_told_too_when_a_proxy_booked() -> None:
    hall_with_slots("reception-hall", 30)
    her = applicant(language="zh-hans")
    proxy = UserFactory(role=Role.PROXY, language="en")
    case = submitted(proxy, "rp-work", person=her.person)
    booking = services.book(Actor(proxy), case, Slot.objects.order_by("starts_at").first().pk, now=BEFORE)
    close_the_day()
    messages = {m.user: m for m in withdrawn_messages(booking)}
    assert set(messages) == {proxy, her}
    assert "Power maintenance" in messages[proxy].body and "电力检修" in messages[her].body


def test_a_day_left_open_tells_nobody(booked_case) -> None:
    other_day = WEEK.replace(day=WEEK.day + 1)
    close_the_day(day=other_day.isoformat())
    assert withdrawn_messages(booked_case) == []


@pytest.mark.parametrize(
    "language, said", [("en", "The hall has closed this time"), ("zh-hans", "大厅已取消该时段")]
)
def test_the_booking_and_case_pages_say_so_with_a_way_to_rebook(booked_case, language, said) -> None:
    me = client_for(booked_case.booked_by)
    page = me.get(f"/{language}/my/bookings/{booked_case.reference}/").content.decode()
    assert said not in page
    close_the_day()
    move = f"/{language}/my/{booked_case.case_id}/booking/?move={booked_case.reference}"
    for url in (
        f"/{language}/my/bookings/{booked_case.reference}/",
        f"/{language}/my/{booked_case.case_id}/",
        f"/{language}/my/bookings/",
    ):
        page = me.get(url).content.decode()
        assert said in page, url
        assert move in page.replace("&amp;", "&"), url
        assert ("电力检修" if language == "zh-hans" else "Power maintenance") in page, url


def test_a_withdrawn_booking_shows_no_check_in_code(booked_case) -> None:
    me = client_for(booked_case.booked_by)
    assert 'class="qr"' in me.get(f"/en/my/bookings/{booked_case.reference}/").content.decode()
    close_the_day()
    assert 'class="qr"' not in me.get(f"/en/my/bookings/{booked_case.reference}/").content.decode()


def test_each_booking_is_told_the_reasons_of_the_changes_that_took_its_time() -> None:
    """Fewer counters takes the higher-numbered counters' times, withdrawn extra hours the times inside
    them: each booking is told its own reasons, not those of every change of the day."""
    sunday = WEEK + timedelta(days=6)  # the reception hall is closed on Sundays
    hall_with_slots("reception-hall", 30, ["*"], ["*"])
    boss = Actor(officer("reception-hall", role=Role.SUPERVISOR))

    def change(kind: str, reason: str, **more):
        request = OverrideRequest("reception-hall", sunday, kind, reason, f"{reason}（中）", **more)
        return services.add_override(boss, request)[0]

    morning = change("extra_hours", "Backlog", opens=time(9), closes=time(12))
    change("extra_hours", "Backlog too", opens=time(14), closes=time(15))

    def book(counter: int, hour: int):
        user = applicant()
        slot = Slot.objects.get(counter__number=counter, starts_at=at(f"{sunday}T{hour:02}:00"))
        return services.book(Actor(user), submitted(user, "rp-work"), slot.pk, now=BEFORE)

    in_the_morning, second_counter, standing = book(1, 9), book(2, 14), book(1, 14)
    change("reduced_counters", "Staff training", counters=1)
    services.withdraw_override(boss, morning.pk, "Wrong day", "日期填错")

    said = withdrawals.reasons(
        Booking.objects.filter(pk__in=[b.pk for b in (in_the_morning, second_counter, standing)])
    )
    assert said == {
        in_the_morning.pk: Text("Wrong day", "日期填错"),
        second_counter.pk: Text("Staff training", "Staff training（中）"),
    }
