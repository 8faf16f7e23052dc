"""Hall opening hours in Beijing time on the official calendar (seed 000/001/003 "Where to apply")."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from exitentry.law.calendar import BEIJING, OutOfCalendarRange
from exitentry.law.catalog import catalog
from exitentry.law.halls import (
    NaiveDateTime,
    hall_state_as_dict,
    halls_accepting,
    hours,
    last_day_a_hall_opens,
    last_opening_day,
    opening_state,
    opens_on,
    parse_instant,
    sessions_on,
)


def hall(hall_id: str):
    return catalog().halls[hall_id]


def bj(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("hall_id", "at", "is_open", "closes_at", "next_opening"),
    [
        pytest.param(
            "reception-hall", "2026-10-01 10:00", False, None, "2026-10-08 09:00",
            id="on National Day the reception hall is closed and opens again on 8 October at 09:00",
        ),
        pytest.param(
            "reception-hall", "2026-10-03 10:00", False, None, "2026-10-08 09:00",
            id="a Saturday inside the National Day holiday is closed",
        ),
        pytest.param(
            "reception-hall", "2026-10-10 10:00", True, "2026-10-10 17:00", None,
            id="make-up Saturday 10 October is an ordinary open Saturday",
        ),
        pytest.param(
            "reception-hall", "2026-09-20 10:00", False, None, "2026-09-21 09:00",
            id="make-up Sunday 20 September is not an opening day",
        ),
        pytest.param(
            "reception-hall", "2026-11-22 10:00", False, None, "2026-11-23 09:00",
            id="an ordinary Sunday is closed and the hall opens on Monday at 09:00",
        ),
        pytest.param(
            "shijingshan", "2026-11-23 12:30", False, None, "2026-11-23 13:30",
            id="Shijingshan at 12:30 is in its lunch break until 13:30",
        ),
        pytest.param(
            "shijingshan", "2026-11-23 11:59", True, "2026-11-23 12:00", None,
            id="Shijingshan's morning session ends at 12:00",
        ),
        pytest.param(
            "shijingshan", "2026-11-23 17:15", True, "2026-11-23 17:30", None,
            id="Shijingshan at 17:15 is open until 17:30",
        ),
        pytest.param(
            "zhongguancun", "2026-11-23 17:00", False, None, "2026-11-24 09:00",
            id="Zhongguancun at 17:00 exactly is closed",
        ),
        pytest.param(
            "zhongguancun", "2026-11-23 16:59:59", True, "2026-11-23 17:00", None,
            id="Zhongguancun one second before 17:00 is open",
        ),
        pytest.param(
            "zhongguancun", "2026-11-23 09:00", True, "2026-11-23 17:00", None,
            id="Zhongguancun at 09:00 exactly is open",
        ),
        pytest.param(
            "zhongguancun", "2026-11-23 08:59", False, None, "2026-11-23 09:00",
            id="Zhongguancun before 09:00 opens the same morning",
        ),
        pytest.param(
            "chaoyang", "2026-09-24 18:00", False, None, "2026-09-28 09:00",
            id="after hours before the Mid-Autumn holiday the next opening is Monday 28 September",
        ),
    ],
)  # fmt: skip
def test_a_hall_is_open_as_its_hours_and_the_official_calendar_say(
    hall_id, at, is_open, closes_at, next_opening
) -> None:
    state = opening_state(hall(hall_id), bj(at))
    assert state.open is is_open
    assert state.closes_at == (bj(closes_at) if closes_at else None)
    assert state.next_opening == (bj(next_opening) if next_opening else None)
    assert state.provisional is False


def test_national_day_is_given_as_the_reason_in_both_languages() -> None:
    state = opening_state(hall("reception-hall"), bj("2026-10-01 10:00"))
    assert state.reason.en == "Closed for the National Day holiday (1 October 2026 to 7 October 2026)."
    assert state.reason.zh == "国庆节假期暂停办公（2026年10月1日至2026年10月7日）。"


def test_a_make_up_sunday_says_that_opening_is_unconfirmed() -> None:
    state = opening_state(hall("reception-hall"), bj("2026-09-20 10:00"))
    assert state.reason.en.startswith("Closed on Sundays. 20 September 2026 is a make-up working day")
    assert "2026年9月20日为调休上班日" in state.reason.zh
    assert "not confirmed" in state.reason.en
    assert "尚未确认" in state.reason.zh


@pytest.mark.parametrize(
    ("hall_id", "at", "en"),
    [
        pytest.param("shijingshan", "2026-11-23 12:30", "Closed for the lunch break; opens again at 13:30.",
                     id="the lunch break is named"),
        pytest.param("zhongguancun", "2026-11-23 17:00", "Closed for the day (after hours, from 17:00).",
                     id="after hours is named"),
        pytest.param("zhongguancun", "2026-11-23 08:00", "Not open yet today; opens at 09:00.",
                     id="before opening is named"),
        pytest.param("zhongguancun", "2026-11-22 10:00", "Closed on Sundays.", id="an ordinary Sunday is named"),
        pytest.param("shijingshan", "2026-11-23 10:00", "Open until 12:00.", id="an open hall says until when"),
    ],
)  # fmt: skip
def test_the_reason_says_why_a_hall_is_open_or_closed(hall_id, at, en) -> None:
    assert opening_state(hall(hall_id), bj(at)).reason.en == en


def test_an_aware_utc_instant_is_read_in_beijing_time() -> None:
    state = opening_state(hall("zhongguancun"), datetime(2026, 11, 23, 1, 30, tzinfo=UTC))
    assert state.at == bj("2026-11-23 09:30")
    assert state.open is True
    assert state.closes_at == bj("2026-11-23 17:00")


def test_a_utc_instant_on_the_previous_utc_day_can_be_a_beijing_monday() -> None:
    sunday_evening_utc = datetime(2026, 11, 22, 23, 0, tzinfo=timezone(timedelta(0)))
    assert (
        opening_state(hall("zhongguancun"), sunday_evening_utc).at.isoformat() == "2026-11-23T07:00:00+08:00"
    )


def test_a_naive_datetime_is_refused_with_a_clear_error() -> None:
    with pytest.raises(NaiveDateTime, match=r"2026-11-23T10:00:00 has no time zone.*\+08:00"):
        opening_state(hall("zhongguancun"), datetime(2026, 11, 23, 10, 0))


@pytest.mark.parametrize(
    "at", ["1899-12-31T09:00:00+08:00", "9999-12-31T23:00:00+08:00", "0001-01-01T00:00+10:00"]
)
def test_an_instant_too_far_from_any_published_year_is_refused(at: str) -> None:
    with pytest.raises(OutOfCalendarRange, match="outside the calendar's range") as raised:
        opening_state(hall("zhongguancun"), parse_instant(at))
    assert "超出日历可推算的范围" in raised.value.text.zh


def test_a_day_in_a_year_without_a_published_schedule_is_provisional() -> None:
    state = opening_state(hall("zhongguancun"), bj("2027-03-10 10:00"))
    assert state.open is True
    assert state.provisional is True


def test_a_next_opening_in_an_unpublished_year_is_provisional() -> None:
    state = opening_state(hall("zhongguancun"), bj("2026-12-31 18:00"))
    assert state.next_opening == bj("2027-01-02 09:00")  # past New Year's Day
    assert state.provisional is True


def test_new_year_s_day_2027_offers_no_session_though_its_notice_is_unpublished() -> None:
    reception = hall("reception-hall")
    assert sessions_on(reception, date(2027, 1, 1)) == ()
    state = opening_state(reception, bj("2027-01-01 10:00"))
    assert (state.open, state.provisional) == (False, True)
    assert state.reason.en.startswith("Closed for the New Year's Day holiday")


def test_opening_days_follow_weekdays_and_holidays() -> None:
    reception = hall("reception-hall")
    assert [opens_on(reception, bj(f"2026-10-{d:02} 10:00").date()) for d in range(7, 13)] == [
        False,  # Wednesday, National Day
        True,
        True,
        True,  # make-up Saturday
        False,  # Sunday
        True,
    ]


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (date(2026, 11, 2), date(2026, 11, 2)),  # a Monday: itself
        (date(2026, 11, 8), date(2026, 11, 7)),  # a Sunday: the Saturday before
        (date(2026, 9, 20), date(2026, 9, 19)),  # a make-up working Sunday: closed, the Saturday before
        (date(2026, 1, 4), date(2025, 12, 31)),  # a make-up Sunday after the New Year holiday
        (
            date(2026, 2, 23),
            date(2026, 2, 14),
        ),  # the Spring Festival holiday's last day: the make-up Saturday
    ],
)
def test_the_last_opening_day_on_or_before_a_day(day: date, last: date) -> None:
    assert last_opening_day(hall("reception-hall"), day) == last


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (date(2026, 10, 1), date(2026, 9, 30)),  # National Day: every hall is closed
        (date(2026, 2, 16), date(2026, 2, 14)),  # Spring Festival: the make-up Saturday before it
        (date(2026, 11, 28), date(2026, 11, 28)),  # a Saturday some halls open
        (date(2027, 1, 1), date(2026, 12, 31)),  # New Year's Day of a year without its notice
    ],
)
def test_the_last_day_a_hall_of_the_administration_opens(day: date, last: date) -> None:
    assert last_day_a_hall_opens(day) == last


def test_hours_are_described_in_both_languages() -> None:
    text = hours(hall("shijingshan"))
    assert (
        text.en
        == "Monday to Saturday 09:00-12:00, 13:30-17:30; closed on statutory holidays (holiday hours are announced separately)"
    )
    assert text.zh == "周一至周六 09:00-12:00，13:30-17:30；法定节假日暂停办公（节假日办公时间另行通知）"


def test_the_as_dict_shape_carries_both_languages_and_iso_instants() -> None:
    state = opening_state(hall("shijingshan"), bj("2026-11-23 12:30"))
    assert state.as_dict() == {
        "at": "2026-11-23T12:30:00+08:00",
        "open": False,
        "closes_at": None,
        "next_opening": "2026-11-23T13:30:00+08:00",
        "reason": {
            "en": "Closed for the lunch break; opens again at 13:30.",
            "zh": "午休时间，13:30恢复办公。",
        },
        "provisional": False,
    }


def test_every_hall_takes_a_personal_affairs_residence_permit() -> None:
    procedure = catalog().procedure("rp-personal-affairs")
    assert [h.id for h in halls_accepting(procedure)] == [
        "reception-hall",
        "zhongguancun",
        "chaoyang",
        "shunyi",
        "shijingshan",
        "tongzhou",
    ]


def test_only_the_halls_that_take_everything_take_a_category_no_hall_names() -> None:
    procedure = dataclasses.replace(
        catalog().procedure("rp-personal-affairs"), hall_categories=frozenset({"pr"})
    )
    assert [h.id for h in halls_accepting(procedure)] == ["reception-hall", "zhongguancun"]


def test_an_instant_is_parsed_from_iso_text_and_read_in_beijing_time() -> None:
    assert parse_instant("2026-11-23T01:30Z") == bj("2026-11-23 09:30")
    assert parse_instant(" 2026-11-23T09:30+08:00 ").isoformat() == "2026-11-23T09:30:00+08:00"


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        pytest.param("2026-11-23T09:30", NaiveDateTime, "has no time zone", id="naive text is refused"),
        pytest.param("2026-02-30T09:30+08:00", ValueError, "is not a date and time", id="an impossible date is refused"),
        pytest.param("tomorrow", ValueError, "is not a date and time", id="words are refused"),
    ],
)  # fmt: skip
def test_text_that_is_not_an_aware_instant_is_refused(text, error, message) -> None:
    with pytest.raises(error, match=message):
        parse_instant(text)


def test_a_hall_as_data_carries_hours_categories_choices_and_its_opening_state() -> None:
    data = hall_state_as_dict(hall("shijingshan"), bj("2026-11-23 17:15"))
    assert data["id"] == "shijingshan"
    assert (
        data["hours"]["en"]
        == "Monday to Saturday 09:00-12:00, 13:30-17:30; closed on statutory holidays (holiday hours are announced separately)"
    )
    assert data["accepts"] == ["rp:family-reunion", "rp:private-affairs", "rp:study", "rp:work"]
    assert [c["field"] for c in data["choices"]] == ["afternoon closing time"]
    assert (data["open_now"], data["closes_at"], data["next_opening"]) == (
        True,
        "2026-11-23T17:30:00+08:00",
        None,
    )
    assert "open" not in data


@pytest.mark.parametrize(
    ("hall_id", "day", "sessions"),
    [
        ("shijingshan", "2026-11-23", [("09:00", "12:00"), ("13:30", "17:30")]),  # Monday: the lunch break
        ("reception-hall", "2026-11-28", [("09:00", "17:00")]),  # an ordinary Saturday
        ("reception-hall", "2026-10-10", [("09:00", "17:00")]),  # a make-up working Saturday: Saturday hours
        ("reception-hall", "2026-09-20", []),  # a make-up working Sunday: closed (recorded choice)
        ("reception-hall", "2026-10-01", []),  # National Day
        ("shijingshan", "2026-02-18", []),  # Spring Festival, a Wednesday
        ("tongzhou", "2026-11-29", []),  # an ordinary Sunday
    ],
)
def test_the_sessions_of_a_hall_on_a_day(hall_id: str, day: str, sessions: list[tuple[str, str]]) -> None:
    got = [
        (s.opens.strftime("%H:%M"), s.closes.strftime("%H:%M"))
        for s in sessions_on(hall(hall_id), date.fromisoformat(day))
    ]
    assert got == sessions


def test_every_exit_entry_hall_cites_the_guide_that_leaves_holiday_hours_to_further_notice() -> None:
    """Seed 003 "Where to apply": "Public holiday office hours are subject to further notice"."""
    for each in catalog().halls.values():
        if not each.dedicated:
            assert ("bj-zgc-pr", "Where to apply") in [(c.source, c.section) for c in each.cite], each.id


@pytest.mark.parametrize(
    "name",
    [
        "last_day_a_hall_opens",
        "closed_reason",
        "sessions_on",
        "counter_closed",
        "counter_reopened",
        "time_reopened",
    ],
)
def test_the_rules_on_a_halls_days_and_counters_cite_its_places_and_hours(name: str) -> None:
    """Each cites the guides of the halls' places and opening hours, these three and in this order (the
    sources' one list, ``HALLS_PLACES_AND_HOURS``)."""
    from exitentry.law.rulefunctions import RULE_FUNCTIONS

    cited = [(c.source, c.section) for c in RULE_FUNCTIONS[f"exitentry.law.halls.{name}"].cite]
    assert cited == [
        ("bj-personal-affairs", "Where to apply"),
        ("bj-permanent-residence", "Opening hours"),
        ("bj-zgc-pr", "Where to apply"),
    ]


def test_no_new_tickets_outside_the_sessions_and_the_screen_says_when_the_hall_opens() -> None:
    from exitentry.law.halls import closed_sign, no_new_tickets
    from exitentry.law.text import Text

    hall = catalog().halls["shijingshan"]
    assert no_new_tickets(hall, datetime(2026, 11, 23, 10, 0, tzinfo=BEIJING)) is None
    lunch = no_new_tickets(hall, datetime(2026, 11, 23, 12, 30, tzinfo=BEIJING))
    assert "lunch break; opens again at 13:30" in lunch.en and "午休时间" in lunch.zh
    saturday_night = datetime(2026, 11, 28, 23, 0, tzinfo=BEIJING)
    assert "Monday 30 November 2026 at 09:00" in no_new_tickets(hall, saturday_night).en
    state = opening_state(hall, saturday_night)
    assert closed_sign(state) == Text("Closed — opens Monday 09:00", "已结束办公——周一 09:00开始办公")


def test_before_opening_the_screen_and_the_counter_say_the_hall_opens_today() -> None:
    """Before opening on a working day: the queue screen says what the halls page says (the state's reason,
    ``OpeningState.opens_later_today``), and a walk-in is told tickets are given from opening time."""
    from exitentry.law.halls import closed_sign, no_new_tickets
    from exitentry.law.text import Text

    hall = catalog().halls["shijingshan"]
    tuesday_night = datetime(2026, 11, 24, 3, 0, tzinfo=BEIJING)
    state = opening_state(hall, tuesday_night)
    assert (
        state.opens_later_today
        and not opening_state(hall, datetime(2026, 11, 23, 23, 0, tzinfo=BEIJING)).opens_later_today
    )
    assert (
        closed_sign(state)
        == state.reason
        == Text("Not open yet today; opens at 09:00.", "今日尚未开放，09:00开始办公。")
    )
    told = no_new_tickets(hall, tuesday_night)
    assert "Walk-in tickets are given from 09:00." in told.en and "现场号自09:00起发放。" in told.zh
    lunch = no_new_tickets(hall, datetime(2026, 11, 24, 12, 30, tzinfo=BEIJING))
    assert "Walk-in tickets are given from 13:30." in lunch.en
