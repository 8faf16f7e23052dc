"""A supervisor withdraws a change of a hall's day (to correct it): kept as history, audited, the day's
slots regenerated as adding a change does, over the service, the page and the API."""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from unittest import mock

import pytest
from django.utils import translation
from tests.appointments.helpers import BEFORE, WEEK, counters, hall_with_slots

from case_helpers import client_for, submitted
from chinese_text import stray
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry, Role
from exitentry.appointments import services
from exitentry.appointments.generation import generate
from exitentry.appointments.models import Booking, DayOverride, Slot
from exitentry.appointments.services import OverrideRequest
from exitentry.cases.access import Denied
from exitentry.cases.services.reading import Refused
from exitentry.messaging.models import Message
from factories import actor, applicant, officer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]
SUNDAY = date(2026, 11, 29)  # the reception hall is closed on Sundays
WHY = ("Wrong day entered", "日期填错")


def boss(hall_id: str = "reception-hall"):
    return officer(hall_id, role=Role.SUPERVISOR)


def change(kind: str = "closed", day: date = WEEK, **more) -> DayOverride:
    request = OverrideRequest("reception-hall", day, kind, "Power maintenance", "电力检修", **more)
    return services.add_override(actor(boss()), request)[0]


def numbers() -> set[int]:
    return {s.counter.number for s in Slot.objects.filter(day=WEEK, withdrawn=False)}


def open_slots(day: date = WEEK) -> int:
    return Slot.objects.filter(hall_id="reception-hall", day=day, withdrawn=False).count()


# --- the service: slots, bookings, history -------------------------------------------------------


def test_a_withdrawn_closure_reopens_its_slots_and_its_bookings_stand_again(booked_case) -> None:
    before = open_slots()
    closure = change()
    assert open_slots() == 0
    gone, regenerated = services.withdraw_override(actor(boss()), closure.pk, *WHY)
    assert open_slots() == before and regenerated.restored == 1 and regenerated.flagged == []
    booked_case.slot.refresh_from_db()
    assert booked_case.slot.withdrawn is False
    assert not DayOverride.objects.exists()  # no longer in force
    kept = DayOverride.everything.get(pk=closure.pk)  # but kept as history
    assert (
        kept.withdrawn_at is not None
        and kept.withdrawn_reason == WHY[0]
        and kept.withdrawn_reason_zh == WHY[1]
    )
    assert gone.pk == closure.pk and kept.withdrawn_by.role == Role.SUPERVISOR


def test_the_withdrawal_is_audited_with_who_why_and_the_old_value() -> None:
    hall_with_slots()
    closure = change()
    supervisor = boss()
    services.withdraw_override(actor(supervisor), closure.pk, *WHY)
    entry = AuditEntry.objects.get(action="hall_day.override.withdraw")
    assert entry.actor_id == supervisor.pk and entry.object_id == str(closure.pk)
    assert entry.old["kind"] == "closed" and entry.old["reason"] == "Power maintenance"
    assert entry.old["reason_zh"] == "电力检修" and entry.old["day"] == WEEK.isoformat()
    assert entry.new == {"withdrawn_reason": WHY[0], "withdrawn_reason_zh": WHY[1]}


def test_fewer_counters_withdrawn_then_added_again_corrects_the_number() -> None:
    counters("reception-hall", ["*"], ["*"], ["*"])
    generate(WEEK, 1, ["reception-hall"])
    two = change("reduced_counters", counters=2)
    assert numbers() == {1, 2}
    with pytest.raises(services.DayAlreadyChanged):
        change("reduced_counters", counters=1)
    services.withdraw_override(actor(boss()), two.pk, *WHY)
    assert numbers() == {1, 2, 3}
    change("reduced_counters", counters=1)
    assert numbers() == {1}
    assert DayOverride.everything.filter(day=WEEK).count() == 2


def test_withdrawn_extra_hours_keep_their_bookings_flagged_and_tell_why() -> None:
    """As adding a closure does: a booking on a time no longer offered is kept, flagged to the hall and its
    person told, with the supervisor's reason for the withdrawal."""
    counters("reception-hall", ["*"])
    extra = change("extra_hours", day=SUNDAY, opens=time(9), closes=time(12))
    user = applicant()
    case = submitted(user, "rp-work")
    first = Slot.objects.filter(day=SUNDAY).order_by("starts_at").first()
    booking = services.book(Actor(user), case, first.pk, now=BEFORE)
    _, regenerated = services.withdraw_override(actor(boss()), extra.pk, *WHY)
    booking.refresh_from_db()
    assert booking.state == Booking.State.ACTIVE and booking.slot.withdrawn
    assert regenerated.flagged == [booking.reference]
    assert Slot.objects.filter(day=SUNDAY).count() == 1  # only the booked one is kept
    [told] = Message.objects.filter(event_key__startswith=f"booking:{booking.reference}:withdrawn")
    assert WHY[0] in told.subject + told.body or WHY[1] in told.subject + told.body


@pytest.mark.parametrize("who", ["officer", "supervisor of another hall", "applicant"])
def test_only_a_supervisor_of_the_hall_withdraws_its_changes(who) -> None:
    closure = change()
    user = {
        "officer": lambda: officer("reception-hall"),
        "supervisor of another hall": lambda: boss("shijingshan"),
        "applicant": applicant,
    }[who]()
    with pytest.raises(Denied):
        services.withdraw_override(actor(user), closure.pk, *WHY)
    assert DayOverride.objects.filter(pk=closure.pk).exists()


def test_a_change_is_withdrawn_once_and_needs_both_reasons() -> None:
    from exitentry.cases.services import Refused

    closure = change()
    with pytest.raises(Refused) as refused:
        services.withdraw_override(actor(boss()), closure.pk, WHY[0], " ")
    assert refused.value.field == "reason_zh"
    services.withdraw_override(actor(boss()), closure.pk, *WHY)
    with pytest.raises(services.AlreadyWithdrawn):
        services.withdraw_override(actor(boss()), closure.pk, *WHY)
    assert AuditEntry.objects.filter(action="hall_day.override.withdraw").count() == 1


# --- the page ------------------------------------------------------------------------------------

PAGE = "/{lang}/console/hall-days/"


def withdraw_url(o: DayOverride, lang: str = "en") -> str:
    return f"/{lang}/console/hall-days/{o.pk}/withdraw/"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_page_withdraws_a_change_and_the_public_no_longer_sees_it(lang, client) -> None:
    hall_with_slots()
    closure = change()
    page = client_for(boss()).get(PAGE.format(lang=lang)).content.decode()
    assert f'action="{withdraw_url(closure, lang)}"' in page
    assert ("Withdraw" if lang == "en" else "撤回") in page
    done = client_for(boss()).post(withdraw_url(closure, lang), {"reason": WHY[0], "reason_zh": WHY[1]})
    html = done.content.decode()
    assert done.status_code == 200 and ("Withdrawn." if lang == "en" else "已撤回") in html
    assert f'action="{withdraw_url(closure, lang)}"' not in html
    assert open_slots() > 0
    for public in ("/en/halls/", "/zh-hans/halls/"):
        shown = client.get(public).content.decode()
        assert "Power maintenance" not in shown and "电力检修" not in shown


def test_the_page_lists_the_bookings_a_withdrawal_leaves_for_the_hall_to_contact() -> None:
    counters("reception-hall", ["*"])
    extra = change("extra_hours", day=SUNDAY, opens=time(9), closes=time(12))
    user = applicant()
    booking = services.book(
        Actor(user), submitted(user, "rp-work"), Slot.objects.filter(day=SUNDAY).first().pk, now=BEFORE
    )
    html = client_for(boss()).post(withdraw_url(extra), {"reason": WHY[0], "reason_zh": WHY[1]})
    assert booking.reference in html.content.decode() and user.email in html.content.decode()


def test_the_chinese_page_brackets_each_withdrawal_notices_state_in_full_width() -> None:
    counters("reception-hall", ["*"])
    extra = change("extra_hours", day=SUNDAY, opens=time(9), closes=time(12))
    user = applicant()
    services.book(
        Actor(user), submitted(user, "rp-work"), Slot.objects.filter(day=SUNDAY).first().pk, now=BEFORE
    )
    page = client_for(boss()).post(withdraw_url(extra, "zh-hans"), {"reason": WHY[0], "reason_zh": WHY[1]})
    told = Message.objects.get(user=user, event_key__endswith=":withdrawn")
    with translation.override("zh-hans"):
        assert f"{told.address}（{told.get_state_display()}）" in page.content.decode()
    assert stray(page) == []


def test_a_withdrawal_without_its_chinese_reason_is_refused_on_the_page() -> None:
    closure = change()
    page = client_for(boss()).post(withdraw_url(closure), {"reason": WHY[0], "reason_zh": ""})
    assert page.status_code == 422 and "This field is required." in page.content.decode()
    assert DayOverride.objects.filter(pk=closure.pk).exists()


@pytest.mark.parametrize("lang, said", [("en", "A change of a day gone by"), ("zh-hans", "已过去日期的调整")])
def test_the_page_says_why_a_change_of_a_day_gone_by_is_not_withdrawn(lang, said) -> None:
    closure = change()
    with (
        mock.patch("exitentry.clock.now", return_value=BEFORE + timedelta(days=4)),
        mock.patch("exitentry.web.case_pages.beijing_today", return_value=WEEK + timedelta(days=1)),
    ):
        page = client_for(boss()).post(withdraw_url(closure, lang), {"reason": WHY[0], "reason_zh": WHY[1]})
    assert page.status_code == 422 and said in page.content.decode()
    assert DayOverride.objects.filter(pk=closure.pk).exists()


def someone(who: str):
    """A user who is not a supervisor of the change's hall (``None``: signed out)."""
    return {
        "officer": lambda: officer("reception-hall"),
        "applicant": applicant,
        "supervisor of another hall": lambda: boss("shijingshan"),
        "nobody": lambda: None,
    }[who]()


@pytest.mark.parametrize(
    "who, status",
    [
        ("officer", 403),
        ("applicant", 403),
        ("supervisor of another hall", 403),
        ("nobody", 302),
    ],
)
def test_the_page_lets_only_a_supervisor_of_the_hall_withdraw(who, status) -> None:
    closure = change()
    user = someone(who)
    for body in ({"reason": WHY[0], "reason_zh": WHY[1]}, {}):
        assert client_for(user).post(withdraw_url(closure), body).status_code == status
    assert DayOverride.objects.filter(pk=closure.pk).exists()


def test_an_unknown_or_withdrawn_change_is_not_found_on_the_page() -> None:
    closure = change()
    supervisor = client_for(boss())
    assert supervisor.post("/en/console/hall-days/999999/withdraw/", {}).status_code == 404
    assert supervisor.get(withdraw_url(closure)).status_code == 405
    supervisor.post(withdraw_url(closure), {"reason": WHY[0], "reason_zh": WHY[1]})
    again = supervisor.post(withdraw_url(closure), {"reason": WHY[0], "reason_zh": WHY[1]})
    assert again.status_code == 409 and "already withdrawn" in again.content.decode()


def test_a_change_is_made_for_today_or_a_coming_day_only() -> None:
    today, yesterday = BEFORE.date(), BEFORE.date() - timedelta(days=1)
    with pytest.raises(Refused) as refused:
        change(day=yesterday)
    assert refused.value.field == "day" and refused.value.message.zh
    assert not DayOverride.everything.exists()
    assert change(day=today).day == today


def test_a_change_of_a_day_gone_by_is_not_withdrawn() -> None:
    """Its day is history: the public was told of it, and its slots and bookings are past."""
    closure = change()
    after = mock.patch("exitentry.clock.now", return_value=BEFORE + timedelta(days=4))  # after WEEK
    with after, pytest.raises(Refused) as refused:
        services.withdraw_override(actor(boss()), closure.pk, *WHY)
    assert refused.value.field == "day" and refused.value.message.zh
    assert DayOverride.objects.filter(pk=closure.pk).exists()
    assert not AuditEntry.objects.filter(action="hall_day.override.withdraw").exists()
    with mock.patch("exitentry.clock.now", return_value=BEFORE + timedelta(days=3)):  # on WEEK itself
        assert services.withdraw_override(actor(boss()), closure.pk, *WHY)[0].withdrawn_at is not None


# --- the API -------------------------------------------------------------------------------------


def api_withdraw(user, pk: int, body: dict | None = None):
    body = {"reason": WHY[0], "reason_zh": WHY[1]} if body is None else body
    return client_for(user).post(
        f"/api/v1/overrides/{pk}/withdraw", json.dumps(body), content_type="application/json"
    )


def test_the_api_withdraws_a_change_and_the_public_list_drops_it() -> None:
    hall_with_slots()
    closure = change()
    public = client_for(None).get("/api/v1/halls/reception-hall/overrides", {"start": WEEK.isoformat()})
    assert [o["id"] for o in public.json()] == [closure.pk]
    done = api_withdraw(boss(), closure.pk)
    assert done.status_code == 200, done.content
    assert done.json()["id"] == closure.pk and done.json()["flagged"] == []
    assert done.json()["withdrawn_reason"] == {"en": WHY[0], "zh": WHY[1]}
    public = client_for(None).get("/api/v1/halls/reception-hall/overrides", {"start": WEEK.isoformat()})
    assert public.json() == []
    again = api_withdraw(boss(), closure.pk)
    assert again.status_code == 409 and again.json()["detail"][0]["message_zh"]


@pytest.mark.parametrize(
    "who, status",
    [
        ("officer", 403),
        ("applicant", 403),
        ("supervisor of another hall", 403),
        ("nobody", 401),
    ],
)
def test_the_api_lets_only_a_supervisor_of_the_hall_withdraw(who, status) -> None:
    closure = change()
    user = someone(who)
    assert api_withdraw(user, closure.pk).status_code == status
    assert DayOverride.objects.filter(pk=closure.pk).exists()


def test_the_api_refuses_an_unknown_change_and_a_missing_reason() -> None:
    closure = change()
    assert api_withdraw(boss(), 999999).status_code == 404
    refused = api_withdraw(boss(), closure.pk, {"reason": WHY[0], "reason_zh": ""})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "reason_zh"


def test_the_api_refuses_a_change_of_a_day_gone_by_both_to_make_and_to_withdraw() -> None:
    yesterday = (BEFORE.date() - timedelta(days=1)).isoformat()
    body = {"hall_id": "reception-hall", "day": yesterday, "kind": "closed", "reason": "x", "reason_zh": "某"}
    made = client_for(boss()).post("/api/v1/overrides", json.dumps(body), content_type="application/json")
    assert made.status_code == 422 and made.json()["detail"][0]["field"] == "day"
    assert made.json()["detail"][0]["message_zh"] and not DayOverride.everything.exists()
    closure = change()
    with mock.patch("exitentry.clock.now", return_value=BEFORE + timedelta(days=4)):
        refused = api_withdraw(boss(), closure.pk)
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "day"
    assert DayOverride.objects.filter(pk=closure.pk).exists()
