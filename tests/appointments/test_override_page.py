"""The supervisor's opening-days page: a change with its reason, shown to the public, bookings it leaves."""

from __future__ import annotations

from datetime import date

import pytest
from tests.appointments.helpers import WEEK, counters

from case_helpers import client_for
from exitentry.accounts.models import AuditEntry
from exitentry.appointments.models import DayOverride, Slot
from factories import applicant, officer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]
URL = "/en/console/hall-days/"


def closure(day=WEEK, **changes) -> dict:
    return {
        "hall_id": "reception-hall",
        "day": day.isoformat(),
        "kind": "closed",
        "reason": "Power maintenance",
        "reason_zh": "电力检修",
        **changes,
    }


def test_a_closure_lists_the_bookings_it_leaves_and_is_shown_to_the_public(booked_case, client) -> None:
    boss = client_for(officer("reception-hall", role="supervisor"))
    page = boss.post(URL, closure())
    html = page.content.decode()
    assert page.status_code == 200 and booked_case.reference in html and "Power maintenance" in html
    assert Slot.objects.filter(day=WEEK, hall_id="reception-hall", withdrawn=False).count() == 0
    assert AuditEntry.objects.filter(action="hall_day.override").count() == 1
    public_en = client.get("/en/halls/").content.decode()
    public_zh = client.get("/zh-hans/halls/").content.decode()
    assert "Power maintenance" in public_en and "Changes to the usual hours" in public_en
    assert "电力检修" in public_zh and "Power maintenance" not in public_zh


@pytest.mark.parametrize(
    "changes, field_error",
    [
        ({"kind": "extra_hours"}, "Extra hours need a start before their end."),
        ({"kind": "reduced_counters"}, "Say how many counters stay open."),
        (
            {"kind": "reduced_counters", "counters": 0},
            "At least one counter stays open; to receive no one that day, choose Closed.",
        ),
        ({"day": date(2026, 11, 19)}, "A change is for today or a coming day."),
        ({"hall_id": "shijingshan"}, "Select a valid choice."),
        ({"reason": ""}, "This field is required."),
        ({"reason_zh": ""}, "This field is required."),
        ({"reason_zh": "   "}, "This field is required."),
    ],
)
def test_a_change_that_does_not_hold_is_refused_beside_its_field(changes, field_error) -> None:
    boss = client_for(officer("reception-hall", role="supervisor"))
    page = boss.post(URL, closure(**changes))
    assert page.status_code == 422 and field_error in page.content.decode()
    assert not DayOverride.objects.exists()


def test_the_chinese_page_refuses_in_chinese() -> None:
    boss = client_for(officer("reception-hall", role="supervisor"))
    page = boss.post("/zh-hans/console/hall-days/", closure(kind="reduced_counters"))
    assert page.status_code == 422 and "请填写开放的窗口数" in page.content.decode()


def test_a_change_without_its_chinese_reason_is_refused_and_not_shown_in_chinese(client) -> None:
    """Chinese is the default language: an English-only reason would stand on the Chinese pages."""
    boss = client_for(officer("reception-hall", role="supervisor"))
    page = boss.post("/zh-hans/console/hall-days/", closure(reason_zh=""))
    assert page.status_code == 422 and "这个字段是必填项" in page.content.decode()
    assert not DayOverride.objects.exists()
    assert "Power maintenance" not in client.get("/zh-hans/halls/").content.decode()


@pytest.mark.parametrize(
    "first, again, told",
    [
        ({}, {"reason": "Flooding", "reason_zh": "水浸"}, "already closed on that day"),
        (
            {"kind": "reduced_counters", "counters": 2},
            {"kind": "reduced_counters", "counters": 1},
            "already has fewer counters on that day (2 open)",
        ),
        (
            {"kind": "extra_hours", "opens": "17:00", "closes": "19:00"},
            {"kind": "extra_hours", "opens": "17:00", "closes": "19:00"},
            "already has these extra hours on that day",
        ),
    ],
    ids=["closure", "fewer-counters", "extra-hours"],
)
def test_the_same_change_of_the_same_day_is_refused_and_listed_once(client, first, again, told) -> None:
    counters("reception-hall", ["*"], ["*"], ["*"])  # fewer counters leave fewer than these open
    boss = client_for(officer("reception-hall", role="supervisor"))
    assert boss.post(URL, closure(**first)).status_code == 200
    page = boss.post(URL, closure(**again))
    assert page.status_code == 409 and told in page.content.decode()
    assert DayOverride.objects.count() == 1
    zh = boss.post("/zh-hans/console/hall-days/", closure(**again)).content.decode()
    assert "该大厅当天已" in zh
    assert client.get("/en/halls/").content.decode().count("Power maintenance") == 1


def test_extra_hours_at_another_time_of_the_same_day_are_a_second_change() -> None:
    boss = client_for(officer("reception-hall", role="supervisor"))
    evening = closure(kind="extra_hours", opens="17:00", closes="19:00")
    assert boss.post(URL, evening).status_code == 200
    assert boss.post(URL, {**evening, "opens": "07:00", "closes": "08:30"}).status_code == 200
    assert DayOverride.objects.count() == 2


@pytest.mark.parametrize("who", ["officer", "applicant"])
def test_only_supervisors_keep_the_days(who) -> None:
    user = officer("reception-hall") if who == "officer" else applicant()
    assert client_for(user).get(URL).status_code == 403
    assert client_for(user).post(URL, closure()).status_code == 403
    assert not DayOverride.objects.exists()


def test_the_supervisors_header_links_the_page() -> None:
    boss = client_for(officer("reception-hall", role="supervisor"))
    assert 'href="/en/console/hall-days/"' in boss.get("/en/console/").content.decode()
    assert (
        'href="/en/console/hall-days/"'
        not in client_for(officer("reception-hall")).get("/en/console/").content.decode()
    )


@pytest.mark.parametrize("lang, told", [("en", "e-mail"), ("zh-hans", "电子邮件")])
def test_a_withdrawn_booking_is_listed_with_its_case_applicant_contact_and_notice(
    booked_case, lang, told
) -> None:
    boss = client_for(officer("reception-hall", role="supervisor"))
    html = boss.post(f"/{lang}/console/hall-days/", closure()).content.decode()
    case, holder = booked_case.case, booked_case.booked_by
    assert f'href="/{lang}/console/cases/{case.pk}/"' in html and case.reference in html
    assert str(booked_case.person) in html and holder.email in html
    row = html[html.index(booked_case.reference) :]
    assert told in row[: row.index("</li>")]


def test_showing_the_applicants_to_contact_is_an_audited_read(booked_case) -> None:
    """Their names, e-mails and phones are shown to the supervisor: who saw whose, recorded."""
    boss = officer("reception-hall", role="supervisor")
    client_for(boss).post("/en/console/hall-days/", closure())
    entry = AuditEntry.objects.get(action="booking.contacts.read")
    assert entry.actor_id == boss.pk
    assert entry.new == {"bookings": [booked_case.reference], "people": [booked_case.person_id]}


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_day_already_closed_is_said_once_on_the_page(lang) -> None:
    """Closed by a change already, or by the hall's own week (a Sunday): the refusal is said once."""
    boss = client_for(officer("reception-hall", role="supervisor"))
    url = f"/{lang}/console/hall-days/"
    assert boss.post(url, closure()).status_code == 200
    again = boss.post(url, closure(reason="Flooding", reason_zh="水浸")).content.decode()
    said = "This hall is already closed on that day" if lang == "en" else "该大厅当天已设为暂停办公"
    assert again.count(said) == 1
    sunday = boss.post(url, closure(day=date(2026, 11, 29))).content.decode()
    said = "The hall is already closed on that day" if lang == "en" else "该大厅当天本不开放"
    assert sunday.count(said) == 1
