"""The appointments API over real HTTP: slots, booking with an Idempotency-Key, cancel, move, overrides."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils.module_loading import import_string
from tests.appointments.helpers import BEFORE, WEEK, hall_with_slots, held_agrees, offered_weeks_ahead

from case_helpers import client_for, submitted
from exitentry.accounts.models import Role
from exitentry.appointments.models import Booking, DayOverride, IdempotentAnswer, Slot
from exitentry.background import schedule
from factories import applicant, officer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def friday_before():
    """Requests are answered on the Friday before the test week."""
    with mock.patch("exitentry.clock.now", return_value=BEFORE):
        yield


def post(client, path: str, body: dict, key: str | None = None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", **headers)


def slots(client, case, hall_id="reception-hall") -> list[dict]:
    response = client.get(
        "/api/v1/slots", {"case_id": case.pk, "hall_id": hall_id, "start": WEEK.isoformat()}
    )
    assert response.status_code == 200, response.content
    return response.json()["slots"]


def test_book_and_a_retry_with_the_same_key_gets_the_first_answer() -> None:
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    offered = slots(client, case)
    assert offered[0]["starts_at"] == "2026-11-23T09:00:00+08:00"
    first = post(client, "/bookings", {"case_id": case.pk, "slot_id": offered[0]["id"]}, key="k-1")
    again = post(client, "/bookings", {"case_id": case.pk, "slot_id": offered[0]["id"]}, key="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Booking.objects.count() == 1
    assert slots(client, case)[0]["id"] != offered[0]["id"]
    other = post(client, "/bookings", {"case_id": case.pk, "slot_id": offered[1]["id"]}, key="k-1")
    assert other.status_code == 422 and other.json()["detail"][0]["field"] == "Idempotency-Key"
    missing = post(client, "/bookings", {"case_id": case.pk, "slot_id": offered[1]["id"]})
    assert missing.status_code == 422


def test_a_taken_slot_answers_409_in_both_languages_and_the_answer_is_kept() -> None:
    hall_with_slots()
    first, second = applicant(), applicant()
    mine, theirs = submitted(first, "rp-work"), submitted(second, "rp-work")
    slot = slots(client_for(first), mine)[0]["id"]
    assert (
        post(client_for(first), "/bookings", {"case_id": mine.pk, "slot_id": slot}, key="a").status_code
        == 201
    )
    client = client_for(second)
    refused = post(client, "/bookings", {"case_id": theirs.pk, "slot_id": slot}, key="b")
    assert refused.status_code == 409
    detail = refused.json()["detail"][0]
    assert (
        detail["field"] == "slot_id"
        and "someone else" in detail["message"]
        and "他人" in detail["message_zh"]
    )
    assert (
        post(client, "/bookings", {"case_id": theirs.pk, "slot_id": slot}, key="b").json() == refused.json()
    )


def test_expired_answers_are_purged_hourly_and_a_late_retry_books_nothing_twice() -> None:
    hall_with_slots()
    user = applicant()
    client = client_for(user)
    cases = [submitted(user, "rp-work") for _ in range(2)]
    offered = slots(client, cases[0])
    first = {
        key: post(client, "/bookings", {"case_id": case.pk, "slot_id": slot["id"]}, key=key)
        for key, case, slot in zip(("old", "fresh"), cases, offered, strict=False)
    }
    assert [r.status_code for r in first.values()] == [201, 201]
    minute = timedelta(minutes=1)
    IdempotentAnswer.objects.filter(key="old").update(created_at=BEFORE - IdempotentAnswer.KEPT - minute)
    IdempotentAnswer.objects.filter(key="fresh").update(created_at=BEFORE - IdempotentAnswer.KEPT + minute)
    scheduled = {p.task_path: p.when for p in schedule.periodic_tasks()}
    purge = import_string("exitentry.appointments.periodic.purge_idempotent_answers")
    assert scheduled[purge.module_path] == 3600
    assert purge.call() == 1
    assert list(IdempotentAnswer.objects.values_list("key", flat=True)) == ["fresh"]
    again = post(client, "/bookings", {"case_id": cases[1].pk, "slot_id": offered[1]["id"]}, key="fresh")
    assert again.status_code == 201 and again.json() == first["fresh"].json()
    late = post(client, "/bookings", {"case_id": cases[0].pk, "slot_id": offered[0]["id"]}, key="old")
    assert late.status_code == 409 and late.json()["detail"][0]["field"] == "case_id"
    assert Booking.objects.count() == 2


def test_someone_else_s_case_is_not_found() -> None:
    hall_with_slots()
    case = submitted(applicant(), "rp-work")
    stranger = client_for(applicant())
    assert stranger.get("/api/v1/slots", {"case_id": case.pk, "hall_id": "reception-hall"}).status_code == 404
    slot = Slot.objects.first().pk
    assert post(stranger, "/bookings", {"case_id": case.pk, "slot_id": slot}, key="x").status_code == 404
    assert client_for(None).get("/api/v1/bookings").status_code == 401


def test_my_bookings_cancel_and_move() -> None:
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    offered = slots(client, case)
    booked = post(client, "/bookings", {"case_id": case.pk, "slot_id": offered[0]["id"]}, key="1").json()
    moved = post(client, f"/bookings/{booked['reference']}/move", {"slot_id": offered[3]["id"]}, key="2")
    assert moved.status_code == 201 and moved.json()["starts_at"] == offered[3]["starts_at"]
    mine = client.get("/api/v1/bookings").json()
    assert [(b["reference"], b["state"]) for b in mine] == [
        (moved.json()["reference"], "active"),
        (booked["reference"], "moved"),
    ]
    cancelled = client.post(f"/api/v1/bookings/{moved.json()['reference']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    again = client.post(f"/api/v1/bookings/{moved.json()['reference']}/cancel")
    assert again.status_code == 409
    assert held_agrees() == []


def test_a_supervisor_closes_a_day_and_the_public_reads_why() -> None:
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    booked = post(
        client_for(user),
        "/bookings",
        {"case_id": case.pk, "slot_id": slots(client_for(user), case)[0]["id"]},
        key="1",
    )
    boss = client_for(officer("reception-hall", role=Role.SUPERVISOR))
    body = {
        "hall_id": "reception-hall",
        "day": WEEK.isoformat(),
        "kind": "closed",
        "reason": "Power cut",
        "reason_zh": "停电",
    }
    made = post(boss, "/overrides", body)
    assert made.status_code == 201, made.content
    assert made.json()["flagged"] == [booked.json()["reference"]]
    public = client_for(None).get("/api/v1/halls/reception-hall/overrides", {"start": WEEK.isoformat()})
    assert public.status_code == 200
    assert public.json()[0]["reason"] == {"en": "Power cut", "zh": "停电"}
    mine = client_for(user).get("/api/v1/bookings").json()[0]
    assert mine["state"] == "active" and mine["withdrawn"] is True
    assert post(client_for(officer("reception-hall")), "/overrides", body).status_code == 403
    assert DayOverride.objects.count() == 1


def test_a_change_needs_its_chinese_reason_and_is_made_once() -> None:
    boss = client_for(officer("reception-hall", role=Role.SUPERVISOR))
    body = {"hall_id": "reception-hall", "day": WEEK.isoformat(), "kind": "closed", "reason": "Power cut"}
    for without in (body, {**body, "reason_zh": " "}):
        refused = post(boss, "/overrides", without)
        assert refused.status_code == 422, refused.content
        assert [p["field"] for p in refused.json()["detail"]] == ["reason_zh"]
    assert post(boss, "/overrides", {**body, "reason_zh": "停电"}).status_code == 201
    again = post(boss, "/overrides", {**body, "reason_zh": "停电"})
    assert again.status_code == 409, again.content
    (problem,) = again.json()["detail"]
    assert problem["field"] == "kind" and "already closed" in problem["message"]
    assert problem["message_zh"].startswith("该大厅当天已")
    assert DayOverride.objects.count() == 1


def test_availability_reaches_by_default_as_far_as_the_booking_rules_offer() -> None:
    offered_weeks_ahead(6)
    user = applicant()
    case = submitted(user, "rp-work")
    query = {"case_id": case.pk, "hall_id": "reception-hall", "start": WEEK.isoformat()}
    days = client_for(user).get("/api/v1/slots/availability", query).json()["days"]
    assert days[-1]["day"] >= (WEEK + timedelta(weeks=5)).isoformat()


def test_availability_counts_the_bookable_slots_of_each_day_of_four_weeks() -> None:
    hall_with_slots("reception-hall", 30, weeks=4)
    user = applicant()
    case = submitted(user, "rp-work")
    client = client_for(user)
    query = {"case_id": case.pk, "hall_id": "reception-hall", "start": WEEK.isoformat()}
    before = client.get("/api/v1/slots/availability", query).json()["days"]
    per_day = {d["day"]: d["open"] for d in before}
    expected = {}
    for slot in Slot.objects.filter(hall_id="reception-hall"):
        expected[slot.day.isoformat()] = expected.get(slot.day.isoformat(), 0) + 1
    assert per_day == expected and len(per_day) >= 19  # four weeks of working days, none closed
    first = before[0]
    assert first["first"] == "2026-11-23T09:00:00+08:00"
    made = post(client, "/bookings", {"case_id": case.pk, "slot_id": slots(client, case)[0]["id"]}, "a")
    assert made.status_code == 201
    after = client.get("/api/v1/slots/availability", query).json()["days"]
    assert after[0]["open"] == first["open"] - 1 and after[0]["first"] > first["first"]
    assert client_for(applicant()).get("/api/v1/slots/availability", query).status_code == 404
