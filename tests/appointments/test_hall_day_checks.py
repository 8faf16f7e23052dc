"""What a supervisor's change of a hall's day must make sense of: fewer counters than the hall has, a
closure of a day the hall would open, and every coming change listed (page, public page) so it can
be seen and withdrawn, however far ahead it lies; the public API lists a year at most per request (from a
``start`` at most 31 days past), so one asks again further ahead."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from tests.appointments.helpers import BEFORE, WEEK, counters

from case_helpers import client_for
from exitentry.accounts.models import Role
from exitentry.appointments import services
from exitentry.appointments.models import DayOverride
from exitentry.appointments.services import OverrideRequest
from exitentry.cases.services.reading import Refused
from factories import actor, officer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]
SUNDAY = date(2026, 11, 29)  # the reception hall is closed on Sundays
NEW_YEAR = date(2027, 1, 1)  # New Year's Day, a statutory holiday
FAR = date(2030, 1, 2)  # a Wednesday years ahead, far beyond the booking horizon


def boss():
    return officer("reception-hall", role=Role.SUPERVISOR)


def request(kind: str = "closed", day: date = WEEK, **more) -> OverrideRequest:
    return OverrideRequest("reception-hall", day, kind, "Power maintenance", "电力检修", **more)


def refused(req: OverrideRequest) -> Refused:
    with pytest.raises(Refused) as caught:
        services.add_override(actor(boss()), req)
    return caught.value


def form(kind: str = "closed", day: date = WEEK, **more) -> dict:
    return {
        "hall_id": "reception-hall",
        "day": day.isoformat(),
        "kind": kind,
        "reason": "Power maintenance",
        "reason_zh": "电力检修",
        **{k: str(v) for k, v in more.items()},
    }


# --- fewer counters: fewer than the hall has -------------------------------------------------------


@pytest.mark.parametrize("keep", [2, 3, 999])
def test_fewer_counters_than_the_hall_has_or_more_is_refused(keep) -> None:
    counters("reception-hall", ["*"], ["*"])
    why = refused(request("reduced_counters", counters=keep))
    assert why.field == "counters"
    assert "2 counters" in why.message.en and "at most 1" in why.message.en
    assert "2个窗口" in why.message.zh and "最多开放1个" in why.message.zh
    assert not DayOverride.everything.exists()


def test_a_counter_out_of_service_is_not_counted() -> None:
    first, second, third = counters("reception-hall", ["*"], ["*"], ["*"])
    third.active = False
    third.save()
    assert "at most 1" in refused(request("reduced_counters", counters=2)).message.en
    services.add_override(actor(boss()), request("reduced_counters", counters=1))


def test_a_hall_with_one_counter_has_no_fewer_counters() -> None:
    counters("reception-hall", ["*"])
    why = refused(request("reduced_counters", counters=1)).message
    assert "Closed" in why.en and "暂停办公" in why.zh
    assert "only one counter serving" in why.en and "只有一个窗口" in why.zh
    assert "1 counter" not in why.en


def test_a_hall_with_no_counter_serving_says_so() -> None:
    (only,) = counters("reception-hall", ["*"])
    only.active = False
    only.save()
    why = refused(request("reduced_counters", counters=1)).message
    assert "No counter of this hall is serving" in why.en and "没有窗口办公" in why.zh
    assert "only 0" not in why.en and "0个" not in why.zh


@pytest.mark.parametrize("lang, told", [("en", "at most 1"), ("zh-hans", "最多开放1个")])
def test_the_page_and_the_api_refuse_too_many_counters(lang, told) -> None:
    counters("reception-hall", ["*"], ["*"])
    page = client_for(boss()).post(f"/{lang}/console/hall-days/", form("reduced_counters", counters=999))
    assert page.status_code == 422 and told in page.content.decode()
    body = {**form("reduced_counters"), "counters": 999}
    made = client_for(boss()).post("/api/v1/overrides", json.dumps(body), content_type="application/json")
    assert made.status_code == 422 and made.json()["detail"][0]["field"] == "counters"
    assert not DayOverride.everything.exists()


# --- a closure of a day the hall is closed anyway ----------------------------------------------------


@pytest.mark.parametrize(
    "day, en, zh",
    [(SUNDAY, "Closed on Sundays", "周日不办公"), (NEW_YEAR, "New Year's Day", "元旦")],
)
def test_a_closure_of_a_day_the_hall_is_closed_anyway_is_refused_with_the_reason(day, en, zh) -> None:
    why = refused(request(day=day))
    assert why.field == "day"
    assert "already closed" in why.message.en and en in why.message.en
    assert "本不开放" in why.message.zh and zh in why.message.zh
    assert not DayOverride.everything.exists()


def test_a_closure_of_a_closed_day_the_supervisor_opened_is_allowed() -> None:
    services.add_override(actor(boss()), request("extra_hours", day=SUNDAY, opens="09:00", closes="12:00"))
    services.add_override(actor(boss()), request(day=SUNDAY))
    assert DayOverride.objects.filter(day=SUNDAY, kind="closed").exists()


def test_the_page_refuses_a_sunday_closure_in_both_languages() -> None:
    for lang, told in (("en", "Closed on Sundays"), ("zh-hans", "周日不办公")):
        page = client_for(boss()).post(f"/{lang}/console/hall-days/", form(day=SUNDAY))
        assert page.status_code == 422 and told in page.content.decode()


# --- every coming change listed -----------------------------------------------------------------------


def test_a_closure_far_ahead_is_listed_on_the_page_to_withdraw_and_to_the_public() -> None:
    far = services.add_override(actor(boss()), request(day=FAR))[0]
    page = client_for(boss()).get("/en/console/hall-days/").content.decode()
    assert f"/console/hall-days/{far.pk}/withdraw/" in page
    zh = client_for(boss()).get("/zh-hans/console/hall-days/").content.decode()
    assert f"/console/hall-days/{far.pk}/withdraw/" in zh
    public = client_for(None).get("/en/halls/").content.decode()
    assert "Power maintenance" in public and "2 January 2030" in public
    listed = client_for(None).get("/api/v1/halls/reception-hall/overrides", {"start": "2029-12-01"}).json()
    assert [(o["id"], o["day"]) for o in listed] == [(far.pk, FAR.isoformat())]


def test_the_api_lists_a_window_when_asked_for_one() -> None:
    services.add_override(actor(boss()), request(day=FAR))
    soon = services.add_override(actor(boss()), request())[0]
    window = (
        client_for(None)
        .get("/api/v1/halls/reception-hall/overrides", {"start": WEEK.isoformat(), "days": 31})
        .json()
    )
    assert [o["id"] for o in window] == [soon.pk]
    coming = client_for(None).get("/api/v1/halls/reception-hall/overrides").json()
    assert [o["day"] for o in coming] == [WEEK.isoformat()]  # a year at most from today, unasked


def test_the_api_without_days_lists_a_year_at_most() -> None:
    last = BEFORE.date() + timedelta(days=365)  # Saturday 20 November 2027, the 366th day from today
    inside = services.add_override(actor(boss()), request(day=last))[0]
    services.add_override(actor(boss()), request(day=last + timedelta(days=2)))  # the Monday after
    listed = client_for(None).get("/api/v1/halls/reception-hall/overrides").json()
    assert [o["id"] for o in listed] == [inside.pk]


@pytest.mark.parametrize("query", [{"start": "2026-01-01"}, {"days": 367}, {"days": 0}])
def test_the_api_refuses_a_start_long_past_or_too_many_days(query) -> None:
    r = client_for(None).get("/api/v1/halls/reception-hall/overrides", query)
    assert r.status_code == 422


def test_the_api_takes_a_start_a_little_in_the_past() -> None:
    r = client_for(None).get("/api/v1/halls/reception-hall/overrides", {"start": "2026-11-01"})
    assert r.status_code == 200


def test_the_api_documents_its_limits() -> None:
    doc = client_for(None).get("/api/v1/openapi.json").json()
    described = doc["paths"]["/api/v1/halls/{hall_id}/overrides"]["get"]["description"]
    assert "366" in described and "31 days" in described
