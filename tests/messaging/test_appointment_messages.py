"""A booking, its cancellation, its move and the reminder the day before each send one message, in the
language of the account that booked, through the outbox and the worker; never twice for one event."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from tests.appointments.helpers import BEFORE, WEEK, hall_with_slots

from case_helpers import submitted
from exitentry.accounts.audit import Actor
from exitentry.appointments import periodic, services
from exitentry.appointments.models import Slot
from exitentry.messaging.models import Message
from factories import applicant
from worker_helpers import drain

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(django_capture_on_commit_callbacks):
    """Book the first slot of the test week for a new applicant of ``language``; its messages delivered."""

    def book(language: str, email: str = "a@example.org"):
        hall_with_slots("reception-hall", 30)
        user = applicant(language=language, email=email)
        case = submitted(user, "rp-work")
        with django_capture_on_commit_callbacks(execute=True):
            booking = services.book(
                Actor(user), case, Slot.objects.order_by("starts_at").first().pk, now=BEFORE
            )
        drain()
        return booking

    return book


def test_a_booking_sends_one_email_in_english_with_the_hall_the_time_and_the_link(book) -> None:
    booking = book("en")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["a@example.org"]
    assert re.fullmatch(
        r"Appointment booked: Mon 23 November 2026 \d\d:\d\d–\d\d:\d\d at \S.+", email.subject
    )
    assert "When: Mon 23 November 2026 " in email.body
    for part in (
        booking.reference,
        "(Beijing time)",
        f"http://127.0.0.1:8000/en/my/bookings/{booking.reference}/",
        "Address: ",
        "counter 1",
    ):
        assert part in email.body
    message = Message.objects.get()
    assert (message.event_key, message.state, message.attempts, message.language) == (
        f"booking:{booking.reference}:booked",
        "sent",
        1,
        "en",
    )
    assert message.sent_at is not None and message.user == booking.booked_by


def test_a_booking_by_a_chinese_speaker_sends_the_email_in_chinese(book) -> None:
    booking = book("zh-hans")
    (email,) = mail.outbox
    assert re.fullmatch(r"预约成功：2026年11月23日（周一）\d\d:\d\d–\d\d:\d\d，\S+", email.subject)
    assert f"预约号：{booking.reference}" in email.body and "（北京时间）" in email.body
    assert f"http://127.0.0.1:8000/zh-hans/my/bookings/{booking.reference}/" in email.body
    assert "地址：" in email.body and "Address" not in email.body


def test_cancelling_and_moving_send_their_own_message(book, django_capture_on_commit_callbacks) -> None:
    booking = book("en")
    user = booking.booked_by
    later = Slot.objects.order_by("starts_at")[3]
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.reschedule(Actor(user), booking, later.pk, now=BEFORE)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(Actor(user), moved, now=BEFORE)
    drain()
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Appointment booked",
        "Appointment moved to Mon 23 November 2026 "
        + later.starts_at.astimezone(BEFORE.tzinfo).strftime("%H"),
        "Appointment cancelled",
    ]
    assert booking.reference in mail.outbox[1].body and moved.reference in mail.outbox[1].body
    assert sorted(Message.objects.values_list("event_key", flat=True)) == sorted(
        [
            f"booking:{booking.reference}:booked",
            f"booking:{booking.reference}:moved",
            f"booking:{moved.reference}:cancelled",
        ]
    )


def test_the_reminder_the_day_before_is_sent_once_however_often_the_task_runs(
    book, django_capture_on_commit_callbacks
) -> None:
    booking = book("zh-hans")
    mail.outbox.clear()
    with mock.patch.object(periodic, "beijing_today", return_value=WEEK - timedelta(days=1)):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                assert periodic.send_reminders.call() == 1
            drain()
    (email,) = mail.outbox
    assert email.subject.startswith("提醒：您明天的预约")
    assert Message.objects.filter(event_key=f"booking:{booking.reference}:reminder:{WEEK}").count() == 1
    with mock.patch.object(periodic, "beijing_today", return_value=WEEK):  # the day itself: no reminder
        assert periodic.send_reminders.call() == 0


def test_a_failing_mail_server_is_recorded_and_tried_again(
    book, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EXITENTRY_TASK_BACKOFF = 0
    with mock.patch("exitentry.messaging.channels.EmailMessage.send", side_effect=[OSError("refused"), 1]):
        booking = book("en")
    message = Message.objects.get(event_key=f"booking:{booking.reference}:booked")
    assert (message.state, message.attempts, message.last_error) == ("sent", 2, "")


def test_a_mail_server_failing_for_good_leaves_the_message_failed_with_its_error(book, settings) -> None:
    settings.EXITENTRY_TASK_BACKOFF, settings.EXITENTRY_TASK_ATTEMPTS = 0, 2
    with mock.patch(
        "exitentry.messaging.channels.EmailMessage.send", side_effect=OSError("connection refused")
    ):
        book("en")
    message = Message.objects.get()
    assert (message.state, message.attempts, message.last_error) == (
        "failed",
        2,
        "OSError: connection refused",
    )
    assert message.sent_at is None and mail.outbox == []


def test_an_account_without_an_email_address_gets_a_failed_message_and_no_task(book) -> None:
    book("en", email="")
    message = Message.objects.get()
    assert (message.state, message.attempts) == ("failed", 0)
    assert "no email address" in message.last_error
