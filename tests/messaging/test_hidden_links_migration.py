"""``messaging`` migration 0003: the invitations sent before the outbox hid their links keep no working
link there (``redaction.hidden``); one not sent yet keeps its link, which its send still needs."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from exitentry.messaging.models import Message

pytestmark = pytest.mark.django_db
migration = importlib.import_module("exitentry.messaging.migrations.0003_hide_sent_invitation_links")
LINK = "http://example.org/en/unit/join/AbC-dEf_123/"


def test_a_sent_invitation_keeps_no_working_link_and_one_still_queued_keeps_its_own() -> None:
    sent, queued, other = (
        Message.objects.create(
            event_key=key, channel="email", language="en", subject="s", body=f"Here:\n{LINK}\n", state=state
        )
        for key, state in (
            ("unit-invitation:1", "sent"),
            ("unit-invitation:2", "queued"),
            ("other:1", "sent"),
        )
    )
    migration.hide_sent_links(apps, None)
    for message in (sent, queued, other):
        message.refresh_from_db()
    assert sent.body == "Here:\nhttp://example.org/en/unit/join/[token hidden]/\n"
    assert queued.body == other.body == f"Here:\n{LINK}\n"
