"""A booking the hall takes away by closing its counter says so (its own reason, on its pages, in its message
and in the API, with the rule's source); a booking a supervisor's closure or fewer counters had taken stands
again when the change is withdrawn, and its people are told so once, in their language, through the outbox
and the worker, unless they had cancelled or moved it already."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core import mail
from tests.appointments.helpers import BEFORE, WEEK, at, hall_with_slots
from tests.appointments.test_withdraw_change import WHY, boss, change
from tests.appointments.test_withdrawn_bookings import withdrawn_messages

from case_helpers import client_for, submitted
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import Role
from exitentry.appointments import services, withdrawals
from exitentry.appointments.generation import generate, regenerate_day
from exitentry.appointments.models import Booking, Counter, Slot
from exitentry.law import halls as law_halls
from exitentry.messaging.models import Message
from factories import UserFactory, actor, applicant
from worker_helpers import drain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]
GENERAL = ("The hall changed its opening that day", "大厅调整了当天的开放安排")


def cited():
    """The sources the law core's rule for a closed counter cites."""
    return law_halls.COUNTER_CLOSED_CITE


def book_at(counter: int, hour: int = 9, day=WEEK, *, language: str = "en", who=None) -> Booking:
    user = who or applicant(language=language)
    slot = Slot.objects.get(counter__number=counter, starts_at=at(f"{day}T{hour:02}:00"))
    return services.book(Actor(user), submitted(user, "rp-work"), slot.pk, now=BEFORE)


def restored_messages(booking: Booking) -> list[Message]:
    return list(
        Message.objects.filter(event_key__startswith=f"booking:{booking.reference}:restored").order_by("pk")
    )


@pytest.fixture
def two_counters():
    hall_with_slots("reception-hall", 30, ["*"], ["*"])


def turn_off(number: int) -> None:
    """An administrator turns the counter off; the day's slots follow at the next generation."""
    Counter.objects.filter(hall_id="reception-hall", number=number).update(active=False)
    generate(WEEK, 1, ["reception-hall"])


# --- 1. a counter closed -------------------------------------------------------------------------


def test_the_rule_lives_in_the_law_core_and_cites_its_source() -> None:
    said = law_halls.counter_closed(3)
    assert "3" in said.en and "3" in said.zh and "another time" in said.en and "另选" in said.zh
    assert [c.source for c in cited()] and all(c.label.en and c.label.zh for c in cited())


def test_a_booking_whose_counter_closed_says_so_not_the_general_reason(two_counters) -> None:
    mine, other = book_at(2, language="zh-hans"), book_at(1)
    turn_off(2)
    assert withdrawals.reasons([Booking.objects.get(pk=mine.pk)]) == {mine.pk: law_halls.counter_closed(2)}
    [told] = withdrawn_messages(mine)
    assert told.language == "zh-hans" and "2号窗口" in told.subject + told.body
    assert "另选" in told.body and GENERAL[1] not in told.body
    assert all(c.label.zh in told.body for c in cited())
    assert withdrawn_messages(other) == []


def test_the_api_gives_the_counter_as_its_own_reason_with_the_source(two_counters) -> None:
    mine = book_at(2)
    turn_off(2)
    [out] = client_for(mine.booked_by).get("/api/v1/bookings").json()
    assert out["withdrawn"] and out["withdrawn_for"] == "counter_closed"
    assert out["withdrawn_because"] == law_halls.counter_closed(2).as_dict()
    assert out["withdrawn_cite"] == [c.as_dict() for c in cited()]


def test_the_api_says_a_day_change_for_a_closure(booked_case) -> None:
    change()
    [out] = client_for(booked_case.booked_by).get("/api/v1/bookings").json()
    assert out["withdrawn_for"] == "hall_day" and out["withdrawn_cite"] == []
    assert out["withdrawn_because"] == {"en": "Power maintenance", "zh": "电力检修"}


@pytest.mark.parametrize("language, said", [("en", "Counter 2"), ("zh-hans", "2号窗口")])
def test_the_booking_page_says_its_counter_closed_and_cites_the_source(two_counters, language, said) -> None:
    mine = book_at(2)
    turn_off(2)
    page = client_for(mine.booked_by).get(f"/{language}/my/bookings/{mine.reference}/").content.decode()
    alert = page[page.index('class="message warning withdrawn') :]
    alert = alert[: alert.index("</p>")]
    assert said in alert and GENERAL[language == "zh-hans"] not in alert
    assert all(c.label.get(language) in alert for c in cited())
    assert f"?move={mine.reference}" in alert


# --- 2. a change withdrawn: the booking stands again -----------------------------------------------


def test_a_withdrawn_closure_tells_the_booker_once_in_her_language(
    booked_case, django_capture_on_commit_callbacks
) -> None:
    booked_case.booked_by.language, booked_case.booked_by.email = "zh-hans", "a@example.org"
    booked_case.booked_by.save()
    closure = change()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_override(actor(boss()), closure.pk, *WHY)
    [told] = restored_messages(booked_case)
    assert told.event_key == f"booking:{booked_case.reference}:restored:{closure.pk}"
    assert told.user == booked_case.booked_by and told.language == "zh-hans"
    assert "恢复" in told.subject and WHY[1] in told.body and "电力检修" in told.body
    assert f"/zh-hans/my/bookings/{booked_case.reference}/" in told.body
    mail.outbox.clear()
    drain()  # the same tasks path as every booking message: the outbox row, delivered by the worker
    told.refresh_from_db()
    assert (told.state, told.last_error) == ("sent", "") and [m.subject for m in mail.outbox] == [
        told.subject
    ]
    regenerate_day("reception-hall", WEEK)  # a later run changes nothing and tells nobody again
    assert len(restored_messages(booked_case)) == 1


def test_the_applicant_is_told_too_when_a_proxy_booked(two_counters) -> None:
    her = applicant(language="zh-hans")
    proxy = UserFactory(role=Role.PROXY, language="en")
    case = submitted(proxy, "rp-work", person=her.person)
    slot = Slot.objects.get(counter__number=2, starts_at=at(f"{WEEK}T09:00"))
    booking = services.book(Actor(proxy), case, slot.pk, now=BEFORE)
    fewer = change("reduced_counters", counters=1)
    services.withdraw_override(actor(boss()), fewer.pk, *WHY)
    told = {m.user: m for m in restored_messages(booking)}
    assert set(told) == {proxy, her}
    assert WHY[0] in told[proxy].body and WHY[1] in told[her].body


def test_fewer_counters_withdrawn_tells_only_the_bookings_it_had_taken(two_counters) -> None:
    taken, kept = book_at(2), book_at(1)
    fewer = change("reduced_counters", counters=1)
    services.withdraw_override(actor(boss()), fewer.pk, *WHY)
    assert len(restored_messages(taken)) == 1 and restored_messages(kept) == []


def test_a_time_still_closed_by_another_change_is_not_said_to_stand(two_counters) -> None:
    mine = book_at(2)
    fewer = change("reduced_counters", counters=1)
    closure = change()
    services.withdraw_override(actor(boss()), fewer.pk, *WHY)
    assert restored_messages(mine) == []
    services.withdraw_override(actor(boss()), closure.pk, *WHY)
    [told] = restored_messages(mine)
    assert told.event_key.endswith(f":restored:{closure.pk}")


@pytest.mark.parametrize("how", ["cancelled", "moved"])
def test_a_booking_its_holder_cancelled_or_moved_is_not_told(booked_case, how) -> None:
    closure = change()
    me = Actor(booked_case.booked_by)
    if how == "cancelled":
        services.cancel(me, booked_case, now=BEFORE)
        new = None
    else:
        later = Slot.objects.get(starts_at=at(f"{WEEK + timedelta(days=1)}T09:00"))
        new = services.reschedule(me, booked_case, later.pk, now=BEFORE)
    services.withdraw_override(actor(boss()), closure.pk, *WHY)
    assert restored_messages(booked_case) == []
    assert not Message.objects.filter(event_key__contains=":restored").exists()
    if new is not None:
        assert restored_messages(new) == []


def test_withdrawn_extra_hours_tell_no_one_their_time_stands() -> None:
    hall_with_slots("reception-hall", 30)
    sunday = WEEK + timedelta(days=6)
    extra = change("extra_hours", day=sunday, opens=time(9), closes=time(12))
    booking = book_at(1, day=sunday)
    services.withdraw_override(actor(boss()), extra.pk, *WHY)
    assert restored_messages(booking) == [] and len(withdrawn_messages(booking)) == 1


def test_closed_again_after_it_stood_again_the_booker_is_told_again(booked_case) -> None:
    first = change()
    services.withdraw_override(actor(boss()), first.pk, *WHY)
    change()
    told = withdrawn_messages(booked_case)
    assert len(told) == 2 and len({m.event_key for m in told}) == 2
    listed = withdrawals.to_contact([booked_case.reference])[0].told
    assert sorted(m.pk for m in listed) == sorted(m.pk for m in told)


@pytest.mark.parametrize(
    "language, stands, reason", [("en", "stands again", WHY[0]), ("zh-hans", "恢复", WHY[1])]
)
def test_the_booking_page_drops_the_flag_and_says_the_time_stands(booked_case, language, stands, reason):
    closure = change()
    me = client_for(booked_case.booked_by)
    url = f"/{language}/my/bookings/{booked_case.reference}/"
    page = me.get(url).content.decode()
    assert "withdrawn" in page and stands not in page
    services.withdraw_override(actor(boss()), closure.pk, *WHY)
    page = me.get(url).content.decode()
    assert 'class="message warning withdrawn' not in page and 'class="qr"' in page
    note = page[page.index('class="notice restored') :]
    note = note[: note.index("</p>")]
    assert stands in note and reason in note
    listed = me.get(f"/{language}/my/bookings/").content.decode()
    assert stands in listed and 'class="message warning withdrawn' not in listed
    [out] = me.get("/api/v1/bookings").json()
    assert out["withdrawn"] is False and out["withdrawn_because"] is None
    assert out["restored_because"] == {"en": WHY[0], "zh": WHY[1]}


def test_a_booking_made_after_the_change_was_withdrawn_says_nothing(two_counters) -> None:
    fewer = change("reduced_counters", counters=1)
    services.withdraw_override(actor(boss()), fewer.pk, *WHY)
    mine = book_at(2)
    [out] = client_for(mine.booked_by).get("/api/v1/bookings").json()
    assert out["restored_because"] is None
    page = client_for(mine.booked_by).get(f"/en/my/bookings/{mine.reference}/").content.decode()
    assert 'class="notice restored' not in page
