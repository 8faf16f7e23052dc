"""Slots from the law core's sessions and supervisors' overrides, generated idempotently."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from tests.appointments.helpers import counters

from exitentry.accounts.models import Role
from exitentry.appointments import services
from exitentry.appointments.generation import generate, regenerate_day
from exitentry.appointments.models import Booking, DayOverride, Slot, SlotLength
from exitentry.appointments.services import OverrideRequest
from exitentry.cases.services import Refused
from exitentry.cli import main
from factories import actor, officer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]  # changes are for coming days


def local_starts(hall_id: str, day: str) -> list[str]:
    from exitentry.law.calendar import BEIJING

    slots = Slot.objects.filter(
        hall_id=hall_id, day=date.fromisoformat(day), withdrawn=False, counter__number=1
    )
    return [s.starts_at.astimezone(BEIJING).strftime("%H:%M") for s in slots.order_by("starts_at")]


@pytest.mark.parametrize(
    ("hall_id", "day", "first", "last", "count"),
    [
        pytest.param(
            "shijingshan", "2026-11-23", "09:00", "17:00", 14, id="Shijingshan breaks for lunch 12:00-13:30"
        ),
        pytest.param("reception-hall", "2026-11-28", "09:00", "16:30", 16, id="an ordinary Saturday is open"),
        pytest.param(
            "reception-hall",
            "2026-10-10",
            "09:00",
            "16:30",
            16,
            id="a make-up working Saturday has Saturday hours",
        ),
        pytest.param("reception-hall", "2026-10-01", None, None, 0, id="National Day is closed"),
        pytest.param(
            "reception-hall",
            "2026-09-20",
            None,
            None,
            0,
            id="a make-up working Sunday is closed (recorded choice)",
        ),
        pytest.param("reception-hall", "2026-11-29", None, None, 0, id="an ordinary Sunday is closed"),
        pytest.param(
            "reception-hall", "2027-01-01", None, None, 0, id="New Year's Day 2027 is closed (no notice yet)"
        ),
        pytest.param(
            "reception-hall", "2027-02-08", None, None, 0, id="a Spring Festival day of 2027 is closed"
        ),
        pytest.param(
            "reception-hall",
            "2027-02-10",
            None,
            None,
            0,
            id="a day in lieu of its Saturday and Sunday is closed (Holidays Measures Art. 6)",
        ),
        pytest.param("reception-hall", "2027-02-11", "09:00", "16:30", 16, id="the day after them opens"),
    ],
)
def test_a_day_s_slots_follow_the_hall_s_sessions(hall_id, day, first, last, count) -> None:
    SlotLength.objects.create(category="*", minutes=30)
    counters(hall_id, ["*"])
    regenerate_day(hall_id, date.fromisoformat(day))
    got = local_starts(hall_id, day)
    assert len(got) == count
    if count:
        assert (got[0], got[-1]) == (first, last)
    if hall_id == "shijingshan" and count:
        assert not any("12:00" <= t < "13:30" for t in got)


def test_running_twice_creates_nothing_new() -> None:
    counters("reception-hall", ["*"], ["pr"])
    first = generate(date(2026, 11, 23), 2, ["reception-hall"])
    again = generate(date(2026, 11, 23), 2, ["reception-hall"])
    assert first.created == Slot.objects.count() > 0
    assert (again.created, again.deleted, again.withdrawn) == (0, 0, 0)


def test_a_counter_s_slots_last_as_long_as_its_longest_category() -> None:
    SlotLength.objects.create(category="rp:work", minutes=20)
    SlotLength.objects.create(category="pr", minutes=60)
    counters("reception-hall", ["rp:work"], ["rp:work", "pr"])
    regenerate_day("reception-hall", date(2026, 11, 23))
    assert Slot.objects.filter(counter__number=1).count() == 24  # 8 hours of 20 minutes
    assert Slot.objects.filter(counter__number=2).count() == 8


def supervisor(hall_id: str = "reception-hall"):
    return actor(officer(hall_id, role=Role.SUPERVISOR))


def test_closing_a_day_keeps_its_bookings_and_flags_them(booked_case) -> None:
    booking = booked_case
    day = booking.slot.day
    override, changed = services.add_override(
        supervisor(), OverrideRequest("reception-hall", day, DayOverride.Kind.CLOSED, "Power cut", "停电")
    )
    booking.refresh_from_db()
    assert booking.state == Booking.State.ACTIVE and booking.slot.withdrawn
    assert changed.flagged == [booking.reference]
    assert Slot.objects.filter(day=day).count() == 1  # only the booked one is kept
    assert override.reason == "Power cut"


def test_extra_hours_and_fewer_counters() -> None:
    counters("reception-hall", ["*"], ["*"], ["*"])
    day = date(2026, 11, 29)  # a Sunday
    boss = supervisor()
    services.add_override(
        boss,
        OverrideRequest(
            "reception-hall",
            day,
            DayOverride.Kind.EXTRA_HOURS,
            "Backlog",
            "积压",
            opens=time(9),
            closes=time(12),
        ),
    )
    assert Slot.objects.filter(day=day).count() == 3 * 12
    services.add_override(
        boss,
        OverrideRequest(
            "reception-hall", day, DayOverride.Kind.REDUCED_COUNTERS, "Training", "培训", counters=1
        ),
    )
    assert Slot.objects.filter(day=day).count() == 12


def test_only_a_supervisor_of_the_hall_overrides_its_days() -> None:
    from exitentry.cases.access import Denied

    request = OverrideRequest("reception-hall", date(2026, 11, 23), DayOverride.Kind.CLOSED, "x", "某")
    with pytest.raises(Denied):
        services.add_override(actor(officer("reception-hall")), request)
    with pytest.raises(Denied):
        services.add_override(supervisor("shijingshan"), request)


@pytest.mark.parametrize("reason_zh", ["", "  "])
def test_a_change_without_its_chinese_reason_is_refused(reason_zh) -> None:
    """Chinese is the default language: the public reads the reason in Chinese first."""
    request = OverrideRequest("reception-hall", date(2026, 11, 23), "closed", "Power maintenance", reason_zh)
    with pytest.raises(Refused) as refused:
        services.add_override(supervisor(), request)
    assert refused.value.field == "reason_zh" and "中文" in refused.value.message.zh
    assert "Chinese" in refused.value.message.en
    assert not DayOverride.objects.exists()


def test_the_same_closure_twice_is_refused_and_the_database_holds_one() -> None:
    request = OverrideRequest("reception-hall", date(2026, 11, 23), "closed", "Inspection", "检查")
    first, _ = services.add_override(supervisor(), request)
    with pytest.raises(services.DayAlreadyChanged) as again:
        services.add_override(supervisor(), request)
    assert again.value.field == "kind" and "Inspection" in again.value.text.en
    with pytest.raises(IntegrityError), transaction.atomic():
        DayOverride.objects.create(
            hall_id="reception-hall", day=first.day, kind="closed", reason="b", created_by=first.created_by
        )
    assert DayOverride.objects.count() == 1


def test_an_override_is_audited() -> None:
    from exitentry.accounts.models import AuditEntry

    services.add_override(
        supervisor(), OverrideRequest("reception-hall", date(2026, 11, 23), "closed", "Inspection", "检查")
    )
    entry = AuditEntry.objects.get(action="hall_day.override")
    assert entry.new["reason"] == "Inspection"


def test_the_command_line_generates_and_refuses_in_one_line(capsys) -> None:
    counters("tongzhou", ["*"])
    assert main(["slots", "--from", "2026-11-23", "--weeks", "1", "--hall", "tongzhou"]) == 0
    assert "created" in capsys.readouterr().out
    assert main(["slots", "--hall", "nowhere"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("exitentry slots: no hall nowhere") and err.count("\n") == 1
    call_command("generate_slots", start=date(2026, 11, 23), weeks=1, hall=["tongzhou"])


def test_a_counter_serves_only_categories_its_hall_accepts() -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import override

    from exitentry.appointments.models import Counter

    Counter(hall_id="shijingshan", number=1, categories=["rp:work", "rp:study"]).full_clean()
    with override("en"), pytest.raises(ValidationError, match="does not accept pr"):
        Counter(hall_id="shijingshan", number=2, categories=["pr"]).full_clean()
    with override("en"), pytest.raises(ValidationError, match="Not a hall"):
        Counter(hall_id="nowhere", number=1, categories=["*"]).full_clean()
