"""``messaging`` migration 0003: the invitations sent before the outbox hid their links keep no working
link there (``redaction.hidden``), nor those that failed for good (no delivery will try them again); one a
delivery still waits to send keeps its link, which that send needs, and loses it once sent or failed for
good (``messaging.tasks.send_now``)."""

from __future__ import annotations

import importlib
from unittest import mock

import pytest
from django.apps import apps
from django.core import mail

from exitentry.messaging.models import Message
from exitentry.messaging.tasks import deliver
from worker_helpers import drain

pytestmark = pytest.mark.django_db
migration = importlib.import_module("exitentry.messaging.migrations.0003_hide_sent_invitation_links")
LINK = "http://example.org/en/unit/join/AbC-dEf_123/"
HIDDEN = "Here:\nhttp://example.org/en/unit/join/[token hidden]/\n"


def legacy(key: str, state: str = "queued", *, waiting: bool = False) -> Message:
    """A message as the outbox stored an invitation before its links were hidden; ``waiting``: with the
    delivery task that will send it (the worker's queue)."""
    message = Message.objects.create(
        event_key=key,
        channel="email",
        address="new.hire@example.org",
        language="en",
        subject="s",
        body=f"Here:\n{LINK}\n",
        state=state,
    )
    if waiting:
        deliver.enqueue(message.pk)
    return message


def test_a_sent_or_failed_for_good_invitation_keeps_no_working_link_and_one_still_waiting_keeps_its_own() -> (
    None
):
    sent = legacy("unit-invitation:1", "sent")
    queued = legacy("unit-invitation:2", waiting=True)
    retried = legacy("unit-invitation:3", "failed", waiting=True)  # its next try still to come
    given_up = legacy("unit-invitation:4", "failed")  # no try to come
    other = legacy("other:1", "sent")
    migration.hide_sent_links(apps, None)
    for message in (sent, queued, retried, given_up, other):
        message.refresh_from_db()
    assert sent.body == given_up.body == HIDDEN
    assert queued.body == retried.body == other.body == f"Here:\n{LINK}\n"


def test_an_invitation_queued_before_the_links_were_hidden_is_sent_with_its_link_then_hidden() -> None:
    """Its old delivery task sends it as it was queued (the link the invitation's hash is of), and the
    outbox then keeps it hidden."""
    message = legacy("unit-invitation:7", waiting=True)
    drain()
    message.refresh_from_db()
    assert [m.body for m in mail.outbox] == [f"Here:\n{LINK}\n"]
    assert (message.state, message.body) == ("sent", HIDDEN)


def test_an_invitation_queued_before_the_links_were_hidden_that_fails_for_good_keeps_no_link(
    settings,
) -> None:
    settings.EXITENTRY_TASK_ATTEMPTS, settings.EXITENTRY_TASK_BACKOFF = 2, 0
    tried: list[str] = []

    def failing(email, *args, **kwargs):
        tried.append(email.body)
        raise OSError("refused")

    message = legacy("unit-invitation:8", waiting=True)
    with mock.patch.object(mail.EmailMessage, "send", failing):
        drain()
    message.refresh_from_db()
    assert tried == [f"Here:\n{LINK}\n"] * 2  # the retry still had its link
    assert (message.state, message.attempts, message.body) == ("failed", 2, HIDDEN)
