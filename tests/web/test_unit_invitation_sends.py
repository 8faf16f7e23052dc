"""An invitation's e-mail as the worker sends it (``accounts.invitations``): a send run again, while the
first still sends (taken for dead after ``EXITENTRY_TASK_TIMEOUT``) or after it died mid-send, sends the
same link, never a second one, and loses nothing; an invitation closed before its e-mail went is not sent,
the outbox saying why; an invitation sent again (withdrawn, then a new one) has its old link dead and the
new one working, the page saying so in the administrator's language."""

from __future__ import annotations

import threading
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
import test_unit_handlers as handlers_page
from django.core import mail
from django.db import connection
from django.utils import timezone
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture
from test_unit_handlers import invite, link_in, queue_invitation

from exitentry import clock
from exitentry.accounts.invitations import send_invitation
from exitentry.accounts.models import HandlerInvitation
from exitentry.accounts.one_time_links import digest
from exitentry.background.worker import recover_orphans
from exitentry.messaging.models import Message
from factories import UserFactory
from worker_helpers import drain

pytestmark = pytest.mark.django_db
unit, admin, fresh_rate_limit = handlers_page.unit, handlers_page.admin, handlers_page.fresh_rate_limit
SEND = mail.EmailMessage.send
NOW = timezone.now


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_a_send_run_again_while_the_first_still_sends_sends_the_same_working_link(admin, settings):
    """The SMTP server takes longer than the task's timeout: the scheduler takes the task for orphaned and
    a second worker runs it again while the first still sends. Both e-mails hold the one link, and it
    works: no second token was made."""
    message = queue_invitation(admin)
    bodies: list[str] = []
    later = timedelta(seconds=settings.EXITENTRY_TASK_TIMEOUT + 60)

    def slow(email, *args, **kwargs):
        bodies.append(email.body)
        if len(bodies) == 1:  # the first send hangs past the timeout; meanwhile the task runs again
            with mock.patch("django.utils.timezone.now", lambda: NOW() + later):
                assert recover_orphans() == 1
                drain()
        return SEND(email, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", slow):
        drain()
    assert len(bodies) == 2 and link_in(bodies[0]) == link_in(bodies[1])
    link = link_in(bodies[0])
    assert HandlerInvitation.objects.get().token_hash == digest(token_of(link))
    assert client_for(None).get(link).status_code == 200
    message.refresh_from_db()
    assert message.state == "sent" and token_of(link) not in message.body


class Killed(BaseException):
    """The worker's process killed as the channel sent (SIGKILL, a lost machine): nothing recorded after."""


def test_a_worker_dying_mid_send_loses_no_invitation_and_the_run_after_sends_the_same_link(admin):
    """The first run's e-mail went, but its worker died before recording it: the message is still queued,
    and the run after it (the task queued again) sends the same link, which works."""
    message = queue_invitation(admin)
    bodies: list[str] = []

    def dies_once(email, *args, **kwargs):
        bodies.append(email.body)
        SEND(email, *args, **kwargs)
        if len(bodies) == 1:
            raise Killed

    with mock.patch.object(mail.EmailMessage, "send", dies_once):
        with pytest.raises(Killed):
            send_invitation.func(SimpleNamespace(attempt=1), message.pk)  # the run that dies, unrecorded
        message.refresh_from_db()
        assert (message.state, message.attempts) == ("queued", 0)
        drain()
    message.refresh_from_db()
    assert message.state == "sent" and len(bodies) == 2 and link_in(bodies[0]) == link_in(bodies[1])
    assert client_for(None).get(link_in(bodies[1])).status_code == 200


def test_a_send_that_failed_is_tried_again_with_the_same_link_which_works(admin, settings):
    """A try that failed may still have delivered its e-mail (the connection dropped after the server took
    it): the worker's next try sends the same link, so whichever arrives works."""
    settings.EXITENTRY_TASK_BACKOFF = 0
    tried: list[str] = []

    def failing_once(email, *args, **kwargs):
        tried.append(email.body)
        if len(tried) == 1:
            raise OSError("refused")
        return SEND(email, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", failing_once):
        link = invite(admin, language="en")
    message = Message.objects.get()
    assert (message.state, message.attempts, len(mail.outbox)) == ("sent", 2, 1)
    assert link_in(tried[0]) == link and token_of(link) not in message.body
    assert client_for(None).get(link).status_code == 200


def close(invitation: HandlerInvitation, how: str) -> None:
    if how == "withdrawn":
        client_for(invitation.invited_by).post(f"/en/unit/invitations/{invitation.pk}/withdraw/")
    elif how == "accepted":
        invitation.accepted_at, invitation.accepted_by = clock.now(), UserFactory()
        invitation.save()
    elif how == "expired":
        invitation.created_at, invitation.expires_at = clock.now() - timedelta(hours=73), clock.now()
        invitation.save()
    else:  # its sender no longer administers the unit
        invitation.invited_by.is_unit_admin = False
        invitation.invited_by.save()


CLOSED = [
    ("withdrawn", "it was withdrawn"),
    ("accepted", "it was accepted"),
    ("expired", "it expired"),
    ("sender", "its sender no longer administers the unit"),
]


@pytest.mark.parametrize(("how", "why"), CLOSED)
def test_an_invitation_closed_before_its_e_mail_went_is_not_sent_and_the_outbox_says_why(admin, how, why):
    message = queue_invitation(admin)
    invitation = HandlerInvitation.objects.get()
    close(invitation, how)
    before = HandlerInvitation.objects.get().token_hash
    drain()
    message.refresh_from_db()
    assert mail.outbox == [] and HandlerInvitation.objects.get().token_hash == before
    assert (message.state, message.attempts) == ("failed", 0)
    assert message.last_error == f"not sent: {why} before its e-mail went"
    assert "[token hidden]" in message.body


@pytest.mark.parametrize(
    ("lang", "withdrawn", "pending"),
    [
        ("en", "is withdrawn: its link no longer works", "withdraw it first to send a new one"),
        ("zh-hans", "的邀请已撤回，其链接已失效", "如需重新发送，请先撤回原邀请"),
    ],
)
def test_an_invitation_sent_again_has_its_old_link_dead_and_the_new_one_working(
    admin, lang, withdrawn, pending
):
    """Sending one again is withdrawing it and inviting the address again (the page refuses a second one
    while the first waits, saying so): the old link then no longer works, the new one does."""
    old = invite(admin, email="again@example.org")
    page = client_for(admin)
    refused = page.post(f"/{lang}/unit/handlers/", {"email": "again@example.org", "language": "en"})
    assert refused.status_code == 409 and pending in html(refused)
    said = page.post(f"/{lang}/unit/invitations/{HandlerInvitation.objects.get().pk}/withdraw/", follow=True)
    assert withdrawn in html(said)
    new = invite(admin, email="again@example.org")
    assert new != old
    assert client_for(None).get(old).status_code == 410
    assert client_for(None).get(new).status_code == 200


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_invitation_at_once_send_the_one_link(admin):
    """Two workers run the same send at the same moment, each on its own connection: both e-mails hold the
    one link, and it works."""
    message = queue_invitation(admin)
    both_composed = threading.Barrier(2, timeout=20)
    raised: list[BaseException] = []

    def at_once(email, *args, **kwargs):
        both_composed.wait()  # neither sends before the other has made its link
        return SEND(email, *args, **kwargs)

    def run() -> None:
        try:
            send_invitation.func(SimpleNamespace(attempt=1), message.pk)
        except BaseException as exc:  # reported to the test's thread
            raised.append(exc)
        finally:
            connection.close()

    with mock.patch.object(mail.EmailMessage, "send", at_once):
        workers = [threading.Thread(target=run) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert raised == [] and len(mail.outbox) == 2
    link = link_in(mail.outbox[0].body)
    assert link_in(mail.outbox[1].body) == link
    assert client_for(None).get(link).status_code == 200
