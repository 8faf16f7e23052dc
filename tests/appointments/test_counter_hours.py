"""The counter in the hall's hours (``law.halls.no_new_tickets``): no check-in or new ticket outside them,
tickets issued before closing still called and served, the public screen closed once the day is done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from tests.appointments.helpers import WEEK, at

from case_helpers import one_stop_submitted
from exitentry.appointments import tickets
from exitentry.appointments.models import DayOverride, QueueTicket
from exitentry.appointments.services import Taken
from exitentry.cases.services import Refused
from factories import actor, officer

pytestmark = pytest.mark.django_db

LATE = at("2026-11-23T23:00")  # Monday of the test week, after the one-stop counter's 17:00


def walk_in(now):
    case = one_stop_submitted()
    return tickets.issue_walk_in(actor(officer(case.hall_id)), case, now=now)


def test_no_walk_in_ticket_after_closing_in_both_languages() -> None:
    with pytest.raises(Refused) as caught:
        walk_in(LATE)
    message = caught.value.message
    assert "not open now: closed for the day (after hours, from 17:00)" in message.en
    assert (
        "Monday to Saturday 09:00-17:00" in message.en and "Tuesday 24 November 2026 at 09:00" in message.en
    )
    assert "大厅现未开放：今日已下班（17:00起）" in message.zh and "2026年11月24日（周二）09:00" in message.zh
    assert not QueueTicket.objects.exists()


def test_no_walk_in_ticket_before_opening_or_on_a_day_the_supervisor_closed() -> None:
    with pytest.raises(Refused, match="opens at 09:00"):
        walk_in(at("2026-11-23T08:30"))
    DayOverride.objects.create(
        hall_id="one-stop-counter",
        day=WEEK,
        kind="closed",
        reason="Power cut",
        reason_zh="停电",
        created_by=officer(role="supervisor"),
    )
    with pytest.raises(Refused, match="Power cut") as caught:
        walk_in(at("2026-11-23T10:00"))
    assert "停电" in caught.value.message.zh


def test_a_ticket_issued_before_closing_is_called_and_served_after_it() -> None:
    ticket = walk_in(at("2026-11-23T16:50"))
    clerk = actor(officer(ticket.hall_id))
    called = tickets.call_next(clerk, ticket.hall_id, 1, now=at("2026-11-23T17:20"))
    assert called.pk == ticket.pk
    assert tickets.public_queue(ticket.hall_id, now=at("2026-11-23T17:21"))["calling"] == [
        {"ticket": ticket.label, "counter": 1}
    ]
    tickets.mark_served(clerk, called, now=at("2026-11-23T17:30"))
    late = tickets.public_queue(ticket.hall_id, now=LATE)
    assert late["calling"] == [] and late["closed"].en == "Closed — opens Tuesday 09:00"
    assert late["closed"].zh == "已结束办公——周二 09:00开始办公"


def test_the_screen_is_open_while_the_hall_is() -> None:
    ticket = walk_in(at("2026-11-23T10:00"))
    assert tickets.public_queue(ticket.hall_id, now=at("2026-11-23T10:00"))["closed"] is None


def test_the_queue_screen_says_closed_in_both_languages_and_calls_no_one() -> None:
    ticket = walk_in(at("2026-11-23T16:00"))
    clerk = actor(officer(ticket.hall_id))
    tickets.call_next(clerk, ticket.hall_id, 1, now=at("2026-11-23T16:10"))
    tickets.not_answered(clerk, QueueTicket.objects.get(), now=at("2026-11-23T16:20"))
    tickets.call_next(clerk, ticket.hall_id, 1, now=at("2026-11-23T16:30"))
    tickets.not_answered(clerk, QueueTicket.objects.get(), now=at("2026-11-23T16:40"))
    from unittest import mock

    with mock.patch("exitentry.clock.now", return_value=LATE + timedelta(minutes=30)):
        page = Client().get(f"/en/halls/{ticket.hall_id}/queue/").content.decode()
    assert "Closed — opens Tuesday 09:00" in page and "已结束办公——周二 09:00开始办公" in page
    assert "No ticket is being called." not in page


def test_the_queue_screen_before_opening_says_not_open_yet_as_the_halls_page_does() -> None:
    """Before opening on a working day the screen says the hall opens today (``law.halls.closed_sign`` on
    ``OpeningState.opens_later_today``, the halls page's rule and words), not "Closed — opens Monday"."""
    early = at("2026-11-24T03:00")  # a Tuesday
    queue = tickets.public_queue("reception-hall", now=early)
    assert queue["closed"].en == "Not open yet today; opens at 09:00."
    assert queue["closed"].zh == "今日尚未开放，09:00开始办公。"
    from unittest import mock

    with mock.patch("exitentry.clock.now", return_value=early):
        page = Client().get("/en/halls/reception-hall/queue/").content.decode()
    assert "Not open yet today; opens at 09:00." in page and "今日尚未开放，09:00开始办公。" in page
    assert "Closed — opens" not in page


def test_a_walk_in_before_opening_is_told_tickets_are_given_from_opening_time() -> None:
    """Booked check-in works from an hour before the appointment; a walk-in before opening is told when
    walk-in tickets are given, not that no one is checked in."""
    with pytest.raises(Refused) as caught:
        walk_in(at("2026-11-23T08:30"))
    message = caught.value.message
    assert "Walk-in tickets are given from 09:00" in message.en and "No one is checked in" not in message.en
    assert "现场号自09:00起发放" in message.zh and "不办理签到" not in message.zh


def test_a_walk_in_for_a_case_booked_today_here_points_to_its_check_in(booked_case) -> None:
    """The case has an appointment at this hall today (09:00): the walk-in answer sends the officer to the
    check-in form with its reference, before the hours or the check-in window are looked at."""
    clerk = actor(officer("reception-hall"))
    with pytest.raises(Refused) as caught:
        tickets.issue_walk_in(clerk, booked_case.case, now=at("2026-11-23T07:00"))
    message = caught.value.message
    assert f"check in its appointment {booked_case.reference}" in message.en
    assert "not as a walk-in" in message.en and "not open" not in message.en
    assert "opens at 08:00" in message.en  # why it is not checked in now, as the check-in form says it
    assert f"预约{booked_case.reference}" in message.zh and "签到" in message.zh
    assert not QueueTicket.objects.exists()


def test_a_walk_in_for_a_booking_checked_in_today_is_told_its_ticket_not_the_hours(booked_case) -> None:
    """Checked in at 08:15 for 09:00 (ticket R001): at the walk-in desk before opening the officer is told
    the ticket and that it waits to be called, not that the hall opens at 09:00; once called, to which
    counter."""
    clerk = actor(officer("reception-hall"))
    ticket = tickets.check_in(clerk, "reception-hall", booked_case.reference, now=at("2026-11-23T08:15"))
    with pytest.raises(Taken) as caught:
        tickets.issue_walk_in(clerk, booked_case.case, now=at("2026-11-23T08:30"))
    message = caught.value.text
    assert ticket.label == "R001" and "opens" not in message.en and "09:00开始" not in message.zh
    assert "ticket R001 today" in message.en and "not called yet" in message.en
    assert "号码R001" in message.zh and "尚未叫号" in message.zh
    tickets.call_next(clerk, "reception-hall", 1, now=at("2026-11-23T09:02"))
    with pytest.raises(Taken) as caught:
        tickets.issue_walk_in(clerk, booked_case.case, now=at("2026-11-23T09:05"))
    message = caught.value.text
    assert "ticket R001 today" in message.en and "called to counter 1 at 09:02" in message.en
    assert "号码R001" in message.zh and "已于09:02叫到1号窗口" in message.zh
    assert QueueTicket.objects.count() == 1
