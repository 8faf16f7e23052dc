"""``/api/v1/halls``: addresses, hours, recorded choices, and whether a hall is open (Beijing time)."""

from __future__ import annotations

from datetime import datetime

import pytest

import exitentry.api.halls
from exitentry.law.calendar import BEIJING

pytestmark = pytest.mark.django_db  # a supervisor's changes to a hall's days are read with its state


def test_every_hall_is_listed_with_its_opening_state_at_the_instant_asked(api) -> None:
    response = api.get("/halls", at="2026-10-01T10:00+08:00")
    assert response.status_code == 200
    halls = response.json()
    assert [h["id"] for h in halls] == [
        "reception-hall",
        "zhongguancun",
        "chaoyang",
        "shunyi",
        "shijingshan",
        "tongzhou",
        "one-stop-counter",
    ]
    assert {h["open_now"] for h in halls} == {False}
    assert {h["next_opening"] for h in halls} == {"2026-10-08T09:00:00+08:00"}
    assert (
        halls[0]["reason"]["en"] == "Closed for the National Day holiday (1 October 2026 to 7 October 2026)."
    )


def test_a_hall_gives_its_address_hours_categories_restriction_and_state(api) -> None:
    body = api.get("/halls/shijingshan", at="2026-11-23T12:30:00+08:00").json()
    assert body["address"] == {
        "en": "No. 3A, Gu Cheng Nan Li, Shijingshan District",
        "zh": "石景山区古城南里甲3号",
    }
    assert (
        body["hours"]["en"]
        == "Monday to Saturday 09:00-12:00, 13:30-17:30; closed on statutory holidays (holiday hours are announced separately)"
    )
    assert body["sessions"] == [{"opens": "09:00", "closes": "12:00"}, {"opens": "13:30", "closes": "17:30"}]
    assert body["accepts"] == ["rp:family-reunion", "rp:private-affairs", "rp:study", "rp:work"]
    assert body["restriction"]["en"].startswith("Only for residence permits")
    assert (body["at"], body["open_now"], body["closes_at"], body["next_opening"], body["provisional"]) == (
        "2026-11-23T12:30:00+08:00",
        False,
        None,
        "2026-11-23T13:30:00+08:00",
        False,
    )
    assert body["reason"] == {
        "en": "Closed for the lunch break; opens again at 13:30.",
        "zh": "午休时间，13:30恢复办公。",
    }


def test_where_the_seeds_disagree_the_choice_is_recorded(api) -> None:
    choice = api.get("/halls/tongzhou").json()["choices"][0]
    assert choice["field"] == "address"
    assert choice["chosen"] == {
        "en": "Building 1-2, No. 67, Yu Dai He Xi Street, Tongzhou District",
        "zh": "通州区玉带河西街67号院1-2号楼",
    }
    assert choice["alternative"]["en"] == "No. 15, Beiguan Street, Yongshun Town, Tongzhou District"
    assert choice["chosen_source"]["source"] == "bj-zgc-pr"
    assert choice["reason"]["en"].startswith("The two guides give different addresses for Tongzhou")


@pytest.mark.parametrize(
    ("at", "open_now", "closes_at"),
    [
        pytest.param("2026-11-23T01:30Z", True, "2026-11-23T17:00:00+08:00", id="a UTC instant is read as 09:30 in Beijing"),
        pytest.param("2026-11-23T09:30 08:00", True, "2026-11-23T17:00:00+08:00",
                     id="an unencoded plus sign in the query is read as a plus"),
        pytest.param("2026-11-23T17:00+08:00", False, None, id="at 17:00 exactly Zhongguancun is closed"),
    ],
)  # fmt: skip
def test_the_instant_may_be_given_in_any_time_zone(api, at, open_now, closes_at) -> None:
    body = api.get("/halls/zhongguancun", at=at).json()
    assert (body["open_now"], body["closes_at"]) == (open_now, closes_at)


def test_a_day_in_an_unpublished_year_is_provisional(api) -> None:
    body = api.get("/halls/zhongguancun", at="2027-03-10T10:00+08:00").json()
    assert (body["open_now"], body["provisional"]) == (True, True)


def test_without_an_instant_the_state_is_for_now(api, monkeypatch) -> None:
    monkeypatch.setattr(
        exitentry.api.halls, "beijing_now", lambda: datetime(2026, 11, 22, 10, 0, tzinfo=BEIJING)
    )
    body = api.get("/halls/reception-hall").json()
    assert (body["at"], body["open_now"], body["next_opening"]) == (
        "2026-11-22T10:00:00+08:00",
        False,
        "2026-11-23T09:00:00+08:00",
    )


@pytest.mark.parametrize(
    ("path", "at", "status", "words"),
    [
        pytest.param("/halls/zhongguancun", "2026-11-23T10:00", 422, "has no time zone",
                     id="a naive instant is refused"),
        pytest.param("/halls", "2026-11-23T10:00", 422, "has no time zone", id="a naive instant is refused for the list"),
        pytest.param("/halls/zhongguancun", "next tuesday", 422, "is not a date and time",
                     id="words are not an instant"),
        pytest.param("/halls/zhongguancun", "2026-02-30T10:00+08:00", 422, "is not a date and time",
                     id="an impossible date is refused"),
    ],
)  # fmt: skip
def test_a_bad_instant_is_a_422_naming_at(api, path, at, status, words) -> None:
    got, fields, message = api.problem(api.get(path, at=at))
    assert (got, fields) == (status, ["at"])
    assert words in message


def test_an_unknown_hall_is_a_404_listing_the_halls(api) -> None:
    got, fields, message = api.problem(api.get("/halls/haidian"))
    assert (got, fields) == (404, ["hall_id"])
    assert (
        message
        == "No hall 'haidian'; the halls are reception-hall, zhongguancun, chaoyang, shunyi, shijingshan, tongzhou, "
        "one-stop-counter."
    )
