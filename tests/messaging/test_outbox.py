"""``messaging.send``: one message per event key, in the recipient's language, by e-mail or SMS."""

from __future__ import annotations

import logging

import pytest
from django.core import mail

from exitentry.law.text import Text
from exitentry.messaging import services
from exitentry.messaging.models import Message
from factories import applicant
from worker_helpers import drain

pytestmark = pytest.mark.django_db

SUBJECT, BODY = Text("Hello", "您好"), Text("Your permit is ready.", "您的证件已办好。")


def test_the_same_event_twice_is_one_message_sent_once(django_capture_on_commit_callbacks) -> None:
    user = applicant(language="en", email="b@example.org")
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        first = services.send("permit:1:ready", user, SUBJECT, BODY)
        again = services.send("permit:1:ready", user, Text("Other", "其他"), BODY)
    assert again.pk == first.pk and len(enqueued) == 1
    drain()
    assert [(m.subject, m.body) for m in mail.outbox] == [("Hello", "Your permit is ready.")]


def test_an_account_without_a_language_gets_the_sites(settings, django_capture_on_commit_callbacks) -> None:
    user = applicant(email="c@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.send("permit:2:ready", user, SUBJECT, BODY)
    drain()
    assert settings.LANGUAGE_CODE == "zh-hans" and mail.outbox[0].subject == "您好"


def test_an_sms_goes_through_the_configured_gateway(caplog, django_capture_on_commit_callbacks) -> None:
    user = applicant(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.send(
            "permit:3:ready", user, SUBJECT, BODY, channel=Message.Channel.SMS, address="+8613800000000"
        )
    with caplog.at_level(logging.INFO, logger="exitentry.messaging"):
        drain()
    assert "SMS to +8613800000000: Hello: Your permit is ready." in caplog.text
    assert Message.objects.get().state == "sent" and mail.outbox == []
