"""``messaging`` migration 0003: the invitations sent before the outbox hid their links keep no working
link there (``redaction.hidden``), nor those that failed for good (no delivery will try them again); one a
delivery still waits to send keeps its link, which that send needs, and loses it once sent or failed for
good (``messaging.tasks.send_now``). Its old delivery task sends it only while its invitation still waits:
one closed meanwhile (withdrawn, accepted, expired) is not sent, the outbox saying why."""

from __future__ import annotations

import importlib
from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.core import mail

from exitentry import clock
from exitentry.accounts.models import HandlerInvitation, Role
from exitentry.accounts.one_time_links import digest
from exitentry.messaging.models import Message
from exitentry.messaging.tasks import deliver
from factories import UnitFactory, UserFactory
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


def waiting() -> str:
    """The event key of an invitation still waiting, whose link is ``LINK``, as it was made then."""
    unit = UnitFactory()
    invitation = HandlerInvitation.objects.create(
        unit=unit,
        email="new.hire@example.org",
        language="en",
        token_hash=digest("AbC-dEf_123"),
        invited_by=UserFactory(role=Role.UNIT, unit=unit, is_unit_admin=True),
        created_at=clock.now(),
        expires_at=clock.now() + timedelta(hours=72),
    )
    return f"unit-invitation:{invitation.pk}"


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
    message = legacy(waiting(), waiting=True)
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

    message = legacy(waiting(), waiting=True)
    with mock.patch.object(mail.EmailMessage, "send", failing):
        drain()
    message.refresh_from_db()
    assert tried == [f"Here:\n{LINK}\n"] * 2  # the retry still had its link
    assert (message.state, message.attempts, message.body) == ("failed", 2, HIDDEN)


@pytest.mark.parametrize(
    ("closed", "why"),
    [
        ({"withdrawn_at": clock.now()}, "it was withdrawn"),
        (
            {"created_at": clock.now() - timedelta(hours=73), "expires_at": clock.now() - timedelta(hours=1)},
            "it expired",
        ),
    ],
)
def test_an_invitation_queued_before_the_links_were_hidden_and_closed_since_is_not_sent(closed, why) -> None:
    """Its old delivery task looks at the invitation as it runs: closed, it sends nothing, the outbox says
    why and keeps no working link."""
    key = waiting()
    HandlerInvitation.objects.filter(pk=key.removeprefix("unit-invitation:")).update(**closed)
    message = legacy(key, waiting=True)
    drain()
    message.refresh_from_db()
    assert mail.outbox == []
    assert (message.state, message.body) == ("failed", HIDDEN)
    assert message.last_error == f"not sent: {why} before its e-mail went"


def test_an_invitation_queued_before_the_links_were_hidden_and_accepted_since_is_not_sent() -> None:
    key = waiting()
    invitation = HandlerInvitation.objects.get(pk=key.removeprefix("unit-invitation:"))
    invitation.accepted_at, invitation.accepted_by = clock.now(), UserFactory()
    invitation.save()
    message = legacy(key, waiting=True)
    drain()
    message.refresh_from_db()
    assert mail.outbox == [] and (message.state, message.body) == ("failed", HIDDEN)
    assert message.last_error == "not sent: it was accepted before its e-mail went"


def test_a_message_of_an_invitation_that_is_not_there_is_not_sent() -> None:
    message = legacy("unit-invitation:999999", waiting=True)
    drain()
    message.refresh_from_db()
    assert mail.outbox == [] and (message.state, message.body) == ("failed", HIDDEN)
    assert message.last_error == "not sent: no such invitation"
