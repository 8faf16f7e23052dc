"""The day board says when the hall is closed, checks in a walk-in's booking of today, says why a case
that books gets no walk-in ticket, and explains the counter field."""

from __future__ import annotations

from unittest import mock

import pytest
from tests.appointments.helpers import WEEK, at

from case_helpers import client_for, submitted
from exitentry.appointments.models import Booking, DayOverride, QueueTicket
from factories import applicant, officer

pytestmark = pytest.mark.django_db
BOARD = "/{lang}/console/hall/reception-hall/day/"


def board(lang: str, when: str) -> str:
    with mock.patch("exitentry.clock.now", return_value=at(when)):
        return client_for(officer()).get(BOARD.format(lang=lang)).content.decode()


@pytest.mark.parametrize(
    "lang, closed, why",
    [
        ("en", "The hall is closed today", "Closed on Sundays."),
        ("zh-hans", "本大厅今日不办公", "周日不办公。"),
    ],
)
def test_the_board_of_a_closed_day_says_the_hall_is_closed_and_why(lang, closed, why) -> None:
    sunday = board(lang, "2026-11-22T10:00")
    assert closed in sunday and why in sunday
    assert closed not in board(lang, "2026-11-23T10:00")


def test_the_board_gives_a_supervisors_closure_and_its_reason() -> None:
    DayOverride.objects.create(
        hall_id="reception-hall",
        day=WEEK,
        kind="closed",
        reason="Water pipe burst",
        reason_zh="水管爆裂",
        created_by=officer(role="supervisor"),
    )
    assert "Water pipe burst" in board("en", "2026-11-23T10:00")
    assert "水管爆裂" in board("zh-hans", "2026-11-23T10:00")


def walk_in(case_number: str, when: str, lang: str = "en"):
    clerk = client_for(officer())
    with mock.patch("exitentry.clock.now", return_value=at(when)):
        return clerk.post(BOARD.format(lang=lang) + "walk-in/", {"case": case_number}, HTTP_HX_REQUEST="true")


def test_a_walk_in_with_a_booking_today_is_checked_in_on_it(booked_case) -> None:
    answer = walk_in(booked_case.case.reference, "2026-11-23T08:45")
    assert answer.status_code == 200, answer.content
    assert booked_case.reference in answer.content.decode()
    assert Booking.objects.get(pk=booked_case.pk).state == Booking.State.CHECKED_IN
    assert QueueTicket.objects.get().booking_id == booked_case.pk


@pytest.mark.parametrize(
    "lang, day", [("en", "23 November 2026 at 09:00"), ("zh-hans", "2026年11月23日 09:00")]
)
def test_a_walk_in_refused_for_a_booked_case_names_its_booking(booked_case, lang, day) -> None:
    answer = walk_in(booked_case.case.reference, "2026-11-20T10:00", lang)
    html = answer.content.decode()
    assert answer.status_code == 422 and booked_case.reference in html and day in html
    assert not QueueTicket.objects.exists()


@pytest.mark.parametrize(
    "lang, says", [("en", "booked here gets no walk-in ticket"), ("zh-hans", "在本站预约的申请不能现场取号")]
)
def test_the_walk_in_field_says_before_the_click_that_booked_kinds_check_in(lang, says) -> None:
    html = board(lang, "2026-11-23T10:00")
    form = html[html.index('id="walk-in"') :]
    assert says in form[: form.index("</form>")]


@pytest.mark.parametrize(
    "lang, hint, error",
    [("en", "digits only", "Enter the number of your counter"), ("zh-hans", "数字", "请输入您的窗口号")],
)
def test_the_counter_field_says_it_is_a_number_and_a_word_is_refused_in_words(lang, hint, error) -> None:
    html = board(lang, "2026-11-23T10:00")
    form = html[html.index('id="call-next"') :]
    assert hint in form[: form.index("</form>")]
    clerk = client_for(officer())
    with mock.patch("exitentry.clock.now", return_value=at("2026-11-23T10:00")):
        answer = clerk.post(
            BOARD.format(lang=lang) + "call-next/", {"counter": "one"}, HTTP_HX_REQUEST="true"
        )
    assert answer.status_code == 422 and error in answer.content.decode()


def test_an_unbooked_case_that_books_is_told_to_book() -> None:
    case = submitted(applicant(), "rp-work")
    answer = walk_in(case.reference, "2026-11-23T10:00")
    assert answer.status_code == 422 and "The applicant books a time" in answer.content.decode()
