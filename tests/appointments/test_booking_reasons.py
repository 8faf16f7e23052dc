"""What the booking pages say, the API says too: a booking whose time the hall withdrew carries the flag and
why (the day's closure or fewer counters, in both languages), a booking that ended by itself why it ended
(``ended_because``); and the slot picker, on the page and in the API, says why a day offers fewer times
where a supervisor reduced the counters."""

from __future__ import annotations

import pytest
from tests.appointments.helpers import WEEK, hall_with_slots

from case_helpers import client_for, submitted
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import Role
from exitentry.appointments import moot, services
from exitentry.appointments.models import Slot
from exitentry.appointments.services import OverrideRequest
from exitentry.cases.models import Case
from factories import applicant, officer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]
REDUCED = {"en": "Staff training", "zh": "人员培训"}


def change_the_day(kind: str, counters: int | None = None) -> None:
    boss = Actor(officer("reception-hall", role=Role.SUPERVISOR))
    services.add_override(
        boss,
        OverrideRequest(
            "reception-hall", WEEK, kind, REDUCED["en"], reason_zh=REDUCED["zh"], counters=counters
        ),
    )


def my_bookings(user) -> list[dict]:
    response = client_for(user).get("/api/v1/bookings")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_withdrawn_booking_says_why_in_the_api_as_its_pages_do(booked_case) -> None:
    (before,) = my_bookings(booked_case.booked_by)
    assert (before["withdrawn"], before["withdrawn_because"]) == (False, None)
    change_the_day("closed")
    (after,) = my_bookings(booked_case.booked_by)
    assert (after["state"], after["withdrawn"], after["withdrawn_because"]) == ("active", True, REDUCED)
    assert after["ended_because"] is None and after["ended_because_text"] is None
    page = client_for(booked_case.booked_by).get("/en/my/bookings/").content.decode()
    assert REDUCED["en"] in page


def test_a_booking_that_ended_by_itself_says_why(booked_case) -> None:
    Case.objects.filter(pk=booked_case.case_id).update(state="withdrawn")
    moot.end_moot(Actor(None), Case.objects.filter(pk=booked_case.case_id))
    (ended,) = my_bookings(booked_case.booked_by)
    assert (ended["state"], ended["ended_because"]) == ("cancelled", "case_closed")
    assert ended["ended_because_text"] == {
        "en": "Not needed any more: it was for handing in the materials, and the application is past that step",
        "zh": "已无需此预约：该预约用于递交材料，申请已过该环节",
    }
    assert ended["withdrawn_because"] is None


def test_a_booking_cancelled_by_its_booker_has_no_reason(booked_case) -> None:
    client = client_for(booked_case.booked_by)
    cancelled = client.post(f"/api/v1/bookings/{booked_case.reference}/cancel")
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["ended_because"] is None and cancelled.json()["ended_because_text"] is None


def test_the_openapi_document_describes_them() -> None:
    schema = client_for(None).get("/api/v1/openapi.json").json()["components"]["schemas"]
    booking = schema["BookingOut"]["properties"]
    for field in ("withdrawn", "withdrawn_because", "ended_because", "ended_because_text"):
        assert booking[field].get("description"), field
    assert "case_closed" in booking["ended_because"]["description"]
    assert "reason" in schema["SlotsOut"]["properties"]["changes"]["description"]


@pytest.fixture
def reduced_day():
    """Two counters at the reception hall; a supervisor leaves one open on the test week's Monday."""
    hall_with_slots("reception-hall", 30, ["*"], ["*"])
    change_the_day("reduced_counters", counters=1)
    user = applicant()
    return user, submitted(user, "rp-work")


def test_the_slot_picker_api_says_why_a_day_offers_fewer_times(reduced_day) -> None:
    user, case = reduced_day
    client = client_for(user)
    found = client.get("/api/v1/slots", {"case_id": case.pk, "hall_id": "reception-hall", "start": WEEK})
    assert found.status_code == 200, found.content
    body = found.json()
    assert body["slots"] and {s["counter"] for s in body["slots"] if s["starts_at"][:10] == str(WEEK)} == {1}
    assert body["changes"] == [
        {"day": str(WEEK), "kind": "reduced_counters", "counters": 1, "reason": REDUCED}
    ]
    room = client.get(
        "/api/v1/slots/availability", {"case_id": case.pk, "hall_id": "reception-hall", "start": WEEK}
    ).json()["days"]
    assert room[0]["day"] == str(WEEK) and room[0]["fewer_because"] == REDUCED
    assert all(d["fewer_because"] is None for d in room[1:])


@pytest.mark.parametrize(("language", "reason"), [("en", "Staff training"), ("zh-hans", "人员培训")])
def test_the_slot_picker_page_says_why_beside_the_day(reduced_day, language, reason) -> None:
    user, case = reduced_day
    page = client_for(user).get(
        f"/{language}/my/{case.pk}/booking/", {"hall": "reception-hall", "from": WEEK}
    )
    html = page.content.decode()
    monday = html[html.index('<section class="slot-day">') :]
    monday = monday[: monday.index("</section>")]
    assert reason in monday and 'day-change"' in monday
    later = html[html.index("</section>") :]
    assert 'day-change"' not in later


def test_a_day_left_as_it_was_says_nothing() -> None:
    hall_with_slots("reception-hall", 30)
    user = applicant()
    case = submitted(user, "rp-work")
    body = (
        client_for(user)
        .get("/api/v1/slots", {"case_id": case.pk, "hall_id": "reception-hall", "start": WEEK})
        .json()
    )
    assert body["changes"] == []
    assert Slot.objects.filter(withdrawn=True).count() == 0


def test_a_reason_typed_with_its_stop_is_said_without_it_wherever_it_is_shown(booked_case) -> None:
    """``DayOverride.reason_text``: the one reading of a supervisor's reason (the API, a withdrawal, a day)."""
    boss = Actor(officer("reception-hall", role=Role.SUPERVISOR))
    override, _ = services.add_override(
        boss, OverrideRequest("reception-hall", WEEK, "closed", "Power cut.", reason_zh="停电。")
    )
    assert override.reason_text().as_dict() == {"en": "Power cut", "zh": "停电"}
    (after,) = my_bookings(booked_case.booked_by)
    assert after["withdrawn_because"] == {"en": "Power cut", "zh": "停电"}


@pytest.mark.parametrize(
    ("lang", "by_you", "ended"),
    [
        ("en", "Cancelled by you on Fri 20 November 2026 10:00", "Cancelled on Fri 20 November 2026 10:00"),
        ("zh-hans", "您已于2026年11月20日（周五）10:00取消", "已于2026年11月20日（周五）10:00取消"),
    ],
)
def test_a_cancelled_booking_says_who_cancelled_it_and_when_and_the_reason_if_not_its_booker(
    booked_case, lang, by_you, ended
) -> None:
    client = client_for(booked_case.booked_by)
    client.post(f"/{lang}/my/bookings/{booked_case.reference}/cancel/", {"confirm": "yes"})
    page = client.get(f"/{lang}/my/bookings/").content.decode()
    assert by_you in page
    again = services.book(Actor(booked_case.booked_by), booked_case.case, booked_case.slot_id)
    Case.objects.filter(pk=booked_case.case_id).update(state="withdrawn")
    moot.end_moot(Actor(None), Case.objects.filter(pk=booked_case.case_id))
    page = client.get(f"/{lang}/my/bookings/").content.decode()
    row = next(row for row in page.split("<tr ") if again.reference in row)
    reason = "Not needed any more" if lang == "en" else "已无需此预约"
    assert ended in row and reason in row and by_you not in row
