"""``/api/v1/calendar``: working days on the official calendar (Regulations Art. 36)."""

from __future__ import annotations

import pytest


def test_a_make_up_saturday_is_a_working_day(api) -> None:
    body = api.get("/calendar/days/2026-10-10").json()
    assert {k: v for k, v in body.items() if k != "source"} == {
        "date": "2026-10-10",
        "working_day": True,
        "holiday": None,
        "makeup_working_day": True,
        "published": True,
        "provisional": False,
    }
    assert body["source"]["source"] == "sc-holidays-2026"


def test_a_holiday_names_its_holiday_and_dates(api) -> None:
    body = api.get("/calendar/days/2026-10-01").json()
    assert body["working_day"] is False
    assert body["holiday"] == {
        "name": {"en": "National Day", "zh": "国庆节"},
        "start": "2026-10-01",
        "end": "2026-10-07",
    }


def test_a_day_in_an_unpublished_year_is_provisional(api) -> None:
    body = api.get("/calendar/days/2027-05-06").json()
    assert (body["working_day"], body["published"], body["provisional"], body["source"]) == (
        True,
        False,
        True,
        None,
    )


def test_a_day_in_lieu_of_a_holiday_on_a_weekend_is_rested_in_an_unpublished_year(api) -> None:
    """Labour Day 2027 is Saturday and Sunday 1-2 May: Monday 3 and Tuesday 4 are its days in lieu."""
    body = api.get("/calendar/days/2027-05-04").json()
    assert (body["working_day"], body["provisional"]) == (False, True)
    assert body["holiday"] == {
        "name": {"en": "Labour Day", "zh": "劳动节"},
        "start": "2027-05-01",
        "end": "2027-05-04",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"start": "2026-09-24", "days": 7}, {"date": "2026-10-12", "provisional": False},
                     id="7 working days after 24 September 2026 is 12 October, over two holidays"),
        pytest.param({"start": "2026-12-24", "days": 7}, {"date": "2027-01-05", "provisional": True},
                     id="a count into 2027 is provisional (1 January 2027 rested as a statutory holiday)"),
        pytest.param({"start": "2026-10-12", "days": -7}, {"date": "2026-09-24", "provisional": False},
                     id="a negative count goes back"),
    ],
)  # fmt: skip
def test_working_days_are_added_on_the_official_calendar(api, params, expected) -> None:
    response = api.get("/calendar/add-working-days", **params)
    assert (response.status_code, response.json()) == (200, expected)


def test_working_days_between_two_dates_are_counted(api) -> None:
    response = api.get("/calendar/working-days-between", start="2026-09-24", end="2026-10-12")
    assert (response.status_code, response.json()) == (200, {"days": 7, "provisional": False})


@pytest.mark.parametrize(
    ("path", "params", "field", "words"),
    [
        pytest.param("/calendar/add-working-days", {"start": "2026-12-24", "days": 7, "exact": "true"}, "exact",
                     "schedule for 2027 is not published", id="an exact count into 2027 is refused"),
        pytest.param("/calendar/working-days-between", {"start": "2026-12-24", "end": "2027-01-10", "exact": "true"},
                     "exact", "schedule for 2027 is not published", id="an exact span into 2027 is refused"),
        pytest.param("/calendar/add-working-days", {"start": "2026-09-24", "days": 100000}, "days",
                     "leaves the calendar's range", id="a count beyond the calendar's range is refused"),
        pytest.param("/calendar/add-working-days", {"start": "2026-09-31", "days": 7}, "start",
                     "day value is outside expected range", id="an impossible start date is refused"),
        pytest.param("/calendar/add-working-days", {"start": "2026-09-24"}, "days", "Field required",
                     id="the number of days is required"),
        pytest.param("/calendar/add-working-days", {"start": "2026-09-24", "days": "seven"}, "days",
                     "valid integer", id="the number of days must be a whole number"),
        pytest.param("/calendar/days/2026-02-30", {}, "day", "day value is outside expected range",
                     id="an impossible day is refused"),
    ],
)  # fmt: skip
def test_a_bad_calendar_question_is_a_422_naming_the_field(api, path, params, field, words) -> None:
    got, fields, message = api.problem(api.get(path, **params))
    assert (got, fields) == (422, [field])
    assert words in message
