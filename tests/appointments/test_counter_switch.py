"""A counter turned off or on: through one audited service (who, when, why), used by the admin; the hall's
coming days regenerated at once; the holders of the bookings it takes told at once that their counter
closed, and told again, under a key of its own, each later time (a stored count on the booking, never a
search of the outbox); those it gives back told that their appointment stands."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.appointments.helpers import WEEK
from tests.appointments.test_counter_closed_and_restored import book_at, restored_messages
from tests.appointments.test_withdraw_change import WHY, boss, change
from tests.appointments.test_withdrawn_bookings import withdrawn_messages

from case_helpers import client_for, sign_in
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry, Role
from exitentry.appointments import notices, services, withdrawals
from exitentry.appointments.generation import generate
from exitentry.appointments.models import Booking, Counter
from exitentry.law import halls as law_halls
from factories import UserFactory, actor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before", "two_counters")]


@pytest.fixture
def two_counters():
    from tests.appointments.helpers import hall_with_slots

    hall_with_slots("reception-hall", 30, ["*"], ["*"])


def administrator():
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def counter(number: int) -> Counter:
    return Counter.objects.get(hall_id="reception-hall", number=number)


def by_hand(number: int, active: bool) -> None:
    """The counter switched as the reviewer did (the row changed, then the nightly generation)."""
    Counter.objects.filter(hall_id="reception-hall", number=number).update(active=active)
    generate(WEEK, 1, ["reception-hall"])


def test_a_second_withdrawal_after_the_counter_came_back_is_told_again() -> None:
    mine = book_at(2)
    by_hand(2, False)
    assert len(withdrawn_messages(mine)) == 1
    by_hand(2, True)  # the generation gives its time back: its holder is told so
    assert len(restored_messages(mine)) == 1
    change()  # the day closed: a second withdrawal, a second message under a key of its own
    told = sorted(withdrawn_messages(mine), key=lambda m: m.pk)
    assert len(told) == 2 and len({m.event_key for m in told}) == 2
    assert "Power maintenance" in told[-1].body


def test_the_service_regenerates_at_once_tells_and_audits() -> None:
    mine, other = book_at(2), book_at(1, hour=10)
    admin = administrator()
    services.switch_counter(Actor(admin), counter(2).pk, False, "Broken printer")
    [told] = withdrawn_messages(mine)
    assert told.event_key == f"booking:{mine.reference}:withdrawn"
    assert law_halls.counter_closed(2).en in told.body and withdrawn_messages(other) == []
    entry = AuditEntry.objects.get(action="counter.switch")
    assert entry.actor == admin and entry.at is not None
    assert entry.new["active"] is False and entry.new["reason"] == "Broken printer"
    assert entry.old["active"] is True
    services.switch_counter(Actor(admin), counter(2).pk, True, "Printer fixed")
    [back] = restored_messages(mine)
    assert law_halls.counter_reopened(2).en in back.body
    [said] = withdrawals.restorations([Booking.objects.get(pk=mine.pk)]).values()
    assert said.text == law_halls.counter_reopened(2) and said.cite == law_halls.COUNTER_REOPENED_CITE
    page = client_for(mine.booked_by).get(f"/en/my/bookings/{mine.reference}/").content.decode()
    note = page[page.index('class="notice restored') :]
    note = note[: note.index("</p>")]
    assert "stands again" in note and "Counter 2" in note and "withdrew the change" not in note
    services.switch_counter(Actor(admin), counter(2).pk, False, "Broken again")
    told = withdrawn_messages(mine)
    assert len(told) == 2 and len({m.event_key for m in told}) == 2
    services.switch_counter(Actor(admin), counter(2).pk, True, "Fixed again")
    assert len(restored_messages(mine)) == 2


def test_a_counter_switched_to_what_it_is_changes_nothing() -> None:
    services.switch_counter(Actor(administrator()), counter(2).pk, True, "Nothing")
    assert not AuditEntry.objects.filter(action="counter.switch").exists()


@pytest.mark.parametrize("who", ["supervisor", "applicant"])
def test_only_an_administrator_switches_a_counter(who) -> None:
    user = boss() if who == "supervisor" else UserFactory(role=Role.APPLICANT)
    with pytest.raises(services.access.Denied):
        services.switch_counter(Actor(user), counter(2).pk, False, "No")
    assert counter(2).active


def test_a_reason_is_needed() -> None:
    with pytest.raises(services.Refused):
        services.switch_counter(Actor(administrator()), counter(2).pk, False, "  ")
    assert counter(2).active


def test_the_admin_form_switches_through_the_service() -> None:
    mine = book_at(2)
    client = Client()
    sign_in(client, administrator())
    url = f"/admin/appointments/counter/{counter(2).pk}/change/"
    form = {"hall_id": "reception-hall", "number": 2, "categories": ["*"]}
    refused = client.post(url, form)  # turned off without saying why
    assert refused.status_code == 200 and counter(2).active
    r = client.post(url, form | {"switch_reason": "Broken printer"})
    assert r.status_code == 302 and not counter(2).active
    assert len(withdrawn_messages(mine)) == 1
    assert AuditEntry.objects.filter(action="counter.switch").count() == 1


def test_a_withdrawn_closure_then_a_closure_again_still_told_twice() -> None:
    mine = book_at(2)
    first = change()
    services.withdraw_override(actor(boss()), first.pk, *WHY)
    change()
    assert len(withdrawn_messages(mine)) == 2 and len(restored_messages(mine)) == 1


def test_restorations_read_the_booking_not_the_outbox() -> None:
    mine = [book_at(2, hour=h) for h in (9, 10, 11)]
    fewer = change("reduced_counters", counters=1)
    services.withdraw_override(actor(boss()), fewer.pk, *WHY)
    bookings = list(Booking.objects.filter(pk__in=[b.pk for b in mine]).select_related("slot"))
    with CaptureQueriesContext(connection) as queries:
        found = withdrawals.restorations(bookings)
    assert set(found) == {b.pk for b in mine}
    assert not any("messaging_message" in q["sql"] for q in queries.captured_queries)
    assert len(queries.captured_queries) <= 1


def test_the_cut_off_policy_is_worded_once_in_the_law_core() -> None:
    policy = law_halls.MOVED_WHATEVER_THE_CUTOFF
    assert policy.en in law_halls.counter_closed(2).en and policy.zh in law_halls.counter_closed(2).zh
    opening = notices._OPENINGS["withdrawn"]
    assert policy.en in opening.en and policy.zh in opening.zh


def test_the_counts_of_bookings_told_before_are_taken_from_their_messages() -> None:
    """0015: a booking told before the counts existed (the keys as they were) counts those messages, so its
    next withdrawal is keyed after them."""
    import importlib

    from django.apps import apps

    from exitentry.messaging.models import Message

    backfill = importlib.import_module(
        "exitentry.appointments.migrations.0015_booking_counts_from_sent_messages"
    )
    mine, other = book_at(2), book_at(1, hour=10)
    closure = change()
    services.withdraw_override(actor(boss()), closure.pk, *WHY)
    # as lead wrote them: the second withdrawal after it stood again, and another account's copy
    told = Message.objects.get(event_key=f"booking:{mine.reference}:withdrawn")
    for key in (
        f"booking:{mine.reference}:withdrawn:after-{closure.pk}",
        f"booking:{mine.reference}:withdrawn:7",
    ):
        Message.objects.create(
            event_key=key, user=told.user, channel=told.channel, language="en", subject="s", body="b"
        )
    Booking.objects.update(withdrawn_count=0, restored_count=0, restored_by=None)
    backfill.counts_from_messages(apps, None)
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.withdrawn_count, mine.restored_count, mine.restored_by_id) == (2, 1, closure.pk)
    assert (other.withdrawn_count, other.restored_count) == (1, 1)
    assert AuditEntry.objects.filter(action="booking.counts_from_messages").count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_the_switch_locks_its_counter_for_no_key_update_and_bookings_in_order() -> None:
    """Inserting a slot takes a KEY SHARE lock on its counter: a FOR UPDATE on the counter while the hall's
    weeks are regenerated could deadlock with the nightly run; only ``active`` changes, so NO KEY UPDATE.
    The bookings whose time changes are locked in a fixed order (by pk), as every run locks them."""
    book_at(2), book_at(2, hour=10)
    with CaptureQueriesContext(connection) as done:
        services.switch_counter(Actor(administrator()), counter(2).pk, False, "Broken printer")
    locks = [q["sql"] for q in done.captured_queries if "FOR " in q["sql"] and "UPDATE" in q["sql"]]
    on_counter = [sql for sql in locks if 'FROM "appointments_counter"' in sql]
    assert on_counter and all(sql.endswith("FOR NO KEY UPDATE") for sql in on_counter), on_counter
    on_bookings = [sql for sql in locks if 'FROM "appointments_booking"' in sql]
    assert on_bookings and all("ORDER BY" in sql for sql in on_bookings), on_bookings


def test_the_admin_form_refuses_staff_who_is_not_an_administrator() -> None:
    client = Client()
    sign_in(client, UserFactory(role=Role.SUPERVISOR, is_staff=True, is_superuser=True))
    url = f"/admin/appointments/counter/{counter(2).pk}/change/"
    form = {"hall_id": "reception-hall", "number": 2, "categories": ["*"], "switch_reason": "Broken"}
    r = client.post(url, form)
    body = r.content.decode()
    assert r.status_code == 200 and (
        "Only an administrator turns" in body or "只有系统管理员可以开启或关闭窗口" in body
    )
    assert counter(2).active and not AuditEntry.objects.filter(action="counter.switch").exists()


def test_the_admin_form_refuses_a_reason_too_long_as_a_form_error() -> None:
    client = Client()
    sign_in(client, administrator())
    url = f"/admin/appointments/counter/{counter(2).pk}/change/"
    form = {
        "hall_id": "reception-hall",
        "number": 2,
        "categories": ["*"],
        "switch_reason": "Broken\nprinter",
    }
    r = client.post(url, form)  # one line only (``typed``), refused by the service: a form error, not a 500
    assert r.status_code == 200 and 'class="errorlist' in r.content.decode() and counter(2).active


def test_a_counter_added_active_is_added_serving_in_one_audited_step() -> None:
    """Added serving: stored serving at once (never first out of service, then switched), in one audited
    step (``counter.add``: who, why, the counter as added), its hall's coming days regenerated at once."""
    from exitentry.appointments.models import Slot

    client = Client()
    sign_in(client, administrator())
    form = {"hall_id": "reception-hall", "number": 3, "categories": ["*"], "active": "on"}
    refused = client.post("/admin/appointments/counter/add/", form)  # added serving without saying why
    assert refused.status_code == 200 and not Counter.objects.filter(number=3).exists()
    with CaptureQueriesContext(connection) as queries:
        r = client.post("/admin/appointments/counter/add/", form | {"switch_reason": "A new counter"})
    assert r.status_code == 302 and counter(3).active
    writes = [q["sql"] for q in queries if '"appointments_counter"' in q["sql"].split(" WHERE ")[0]]
    writes = [sql for sql in writes if sql.startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 1 and writes[0].startswith("INSERT"), writes  # stored once, serving
    entry = AuditEntry.objects.get(action="counter.add")
    assert entry.object_id == str(counter(3).pk) and entry.old is None
    assert entry.new == {
        "hall": "reception-hall",
        "number": 3,
        "categories": ["*"],
        "active": True,
        "reason": "A new counter",
    }
    assert not AuditEntry.objects.filter(action="counter.switch").exists()
    assert Slot.objects.filter(counter=counter(3)).exists()


def test_the_service_adds_a_counter_serving_only_for_an_administrator_with_a_reason() -> None:
    def new() -> Counter:
        return Counter(hall_id="reception-hall", number=3, categories=["*"], active=False)

    with pytest.raises(services.access.Denied):
        services.add_counter(Actor(boss()), new(), "A new counter")
    with pytest.raises(services.Refused):
        services.add_counter(Actor(administrator()), new(), "  ")
    assert not Counter.objects.filter(number=3).exists()
    added = new()
    made = services.add_counter(Actor(administrator()), added, "A new counter")
    assert added == counter(3) and counter(3).active and made.created


def test_a_counter_added_out_of_service_needs_no_reason() -> None:
    client = Client()
    sign_in(client, administrator())
    form = {"hall_id": "reception-hall", "number": 3, "categories": ["*"]}
    assert client.post("/admin/appointments/counter/add/", form).status_code == 302
    assert not counter(3).active and not AuditEntry.objects.filter(action="counter.switch").exists()


def test_time_given_back_by_the_nightly_run_says_what_happened_without_guessing_its_cause() -> None:
    """The nightly run does not know why a time is offered again (the hall's hours, its calendar, a counter
    turned on by hand): its people are told, in words they understand, what happened to them: they were
    told the hall would not receive them then, the times it offers that day changed again, and it receives
    them at that time after all, so that message no longer applies; never that a counter came back."""
    mine = book_at(2)
    by_hand(2, False)
    by_hand(2, True)
    [back] = restored_messages(mine)
    said_now = law_halls.time_reopened()
    assert said_now.en in back.body and law_halls.counter_reopened(2).en not in back.body
    for words in ("told earlier", "would not receive you", "changed again", "after all", "no longer applies"):
        assert words in said_now.en, words
    for words in ("此前已通知您", "不再接待", "再次调整", "照常接待", "不再适用"):
        assert words in said_now.zh, words
    assert "counter" not in said_now.en and "窗口" not in said_now.zh
    [said] = withdrawals.restorations([Booking.objects.get(pk=mine.pk)]).values()
    assert said.text == said_now and said.cite == law_halls.TIME_REOPENED_CITE
