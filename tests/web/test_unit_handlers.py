"""A unit's handlers: the administrator invites one by e-mail (a link that works once and expires, sent
through the outbox in the invitee's language), the invitee becomes a handler of that unit, the
administrator removes one, the last administrator stays; ordinary handlers and other units cannot; all
audited; strangers knocking on the accept page are rate limited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import TestCase
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from exitentry import clock
from exitentry.accounts.models import AuditEntry, HandlerInvitation, Role, User
from exitentry.accounts.one_time_links import digest
from exitentry.messaging.models import Message
from factories import UnitFactory, UserFactory
from worker_helpers import drain

pytestmark = pytest.mark.django_db
PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def unit():
    return UnitFactory(name="Demo Tech", name_zh="示范科技")


@pytest.fixture
def admin(unit):
    return UserFactory(role=Role.UNIT, unit=unit, is_unit_admin=True, first_name="Wei", last_name="Zhang")


@pytest.fixture
def handler(unit):
    return UserFactory(role=Role.UNIT, unit=unit)


def invite(admin, email="new.hire@example.org", language="zh-hans") -> str:
    """The link the invitee gets: the administrator invites through the page, the worker sends the message
    and the e-mail sent is read."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(admin).post("/en/unit/handlers/", {"email": email, "language": language})
    assert response.status_code == 302, html(response)
    drain()
    return link_in([m for m in mail.outbox if m.to == [email]][-1].body)


def link_in(body: str) -> str:
    return re.search(r"http://testserver(/\S+/unit/join/\S+/)", body).group(1)


def test_the_invitation_goes_through_the_outbox_in_the_invitees_language_and_stores_no_token(admin):
    link = invite(admin, language="zh-hans")
    message = Message.objects.get()
    assert (message.address, message.language, message.channel, message.user) == (
        "new.hire@example.org",
        "zh-hans",
        "email",
        None,
    )
    assert message.subject == "邀请：成为示范科技的经办人" and "72小时内有效" in message.body
    assert link.startswith("/zh-hans/unit/join/")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    invitation = HandlerInvitation.objects.get()
    assert invitation.token_hash == digest(token) and token not in invitation.token_hash
    assert invitation.expires_at - invitation.created_at == timedelta(hours=72)
    entry = AuditEntry.objects.get(action="unit.handler.invite")
    assert (entry.actor_id, entry.new["email"]) == (admin.pk, "new.hire@example.org")
    english = invite(admin, email="other@example.org", language="en")
    assert english.startswith("/en/unit/join/")
    assert Message.objects.get(address="other@example.org").subject == "Invitation: handler of Demo Tech"


def test_the_outbox_and_its_admin_page_never_hold_the_token_only_the_e_mail_sent_does(admin):
    """Whoever reads the outbox (an administrator in Django's admin, a copy of the database) must not find
    a working link there: the token is made when the message is sent, and only its hash is kept."""
    link = invite(admin, language="en")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    message = Message.objects.get()
    assert message.state == "sent" and token not in message.body
    assert "http://testserver/en/unit/join/[token hidden]/" in message.body
    staff = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    page = client_for(staff).get(f"/admin/messaging/message/{message.pk}/change/")
    assert page.status_code == 200 and "[token hidden]" in html(page) and token not in html(page)
    assert HandlerInvitation.objects.get().token_hash == digest(token)
    assert client_for(None).get(link).status_code == 200


def test_the_invitee_chooses_a_username_and_password_and_becomes_a_handler_of_that_unit(admin, unit):
    link = invite(admin)
    stranger = client_for(None)
    page = html(stranger.get(link.replace("/zh-hans/", "/en/")))
    assert "Demo Tech" in page and "new.hire@example.org" in page
    elsewhere = UnitFactory()
    posted = {"first_name": "Li Na", "username": "li.na", "password1": PASSWORD, "password2": PASSWORD}
    # fields the form does not have are not taken: no administrator, other role or other unit by posting them
    posted |= {"is_unit_admin": "on", "role": "institution", "unit": elsewhere.pk, "is_staff": "on"}
    response = stranger.post(link, posted)
    assert response.status_code == 302 and response["Location"].endswith("/sign-in/")
    user = User.objects.get(username="li.na")
    assert (user.role, user.unit_id, user.email, user.language, user.is_unit_admin) == (
        Role.UNIT,
        unit.pk,
        "new.hire@example.org",
        "zh-hans",
        False,
    )
    assert HandlerInvitation.objects.get().accepted_by == user and not user.is_staff
    joined = AuditEntry.objects.get(action="unit.handler.join")
    assert (joined.actor_id, joined.new["unit"]) == (user.pk, unit.pk)
    assert client_for(user).get("/en/unit/").status_code == 200


def test_a_used_link_does_not_work_again(admin):
    link = invite(admin)
    client_for(None).post(
        link, {"first_name": "Li Na", "username": "li.na", "password1": PASSWORD, "password2": PASSWORD}
    )
    again = client_for(None).post(
        link, {"first_name": "Li Na", "username": "mallory", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert again.status_code == 410
    assert "has been used already" in html(again) or "已被使用" in html(again)
    assert not User.objects.filter(username="mallory").exists()


def test_an_expired_link_does_not_work(admin):
    link = invite(admin)
    HandlerInvitation.objects.update(
        created_at=clock.now() - timedelta(hours=73), expires_at=clock.now() - timedelta(seconds=1)
    )
    assert client_for(None).get(link.replace("/zh-hans/", "/en/")).status_code == 410
    late = client_for(None).post(
        link, {"first_name": "Li Na", "username": "li.na", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert late.status_code == 410 and not User.objects.filter(username="li.na").exists()


def test_a_made_up_link_does_not_work_and_strangers_are_rate_limited():
    stranger = client_for(None)
    answers = [stranger.get(f"/en/unit/join/guess{n}/").status_code for n in range(21)]
    assert answers[:20] == [410] * 20 and answers[20] == 429
    assert "Too many tries" in html(stranger.get("/en/unit/join/guess/"))


def test_behind_the_reverse_proxy_the_join_page_counts_each_stranger_not_the_proxy(monkeypatch):
    """The proxy's own address is every caller's REMOTE_ADDR: the limit counts the address the proxy saw
    (as the API's stranger rate does), so one guesser does not lock every invitee out."""
    from ninja.conf import settings as ninja_settings

    monkeypatch.setattr(ninja_settings, "NUM_PROXIES", 1)

    def knock(address: str, n: int) -> int:
        return (
            client_for(None)
            .get(f"/en/unit/join/guess{n}/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address)
            .status_code
        )

    assert [knock("203.0.113.7", n) for n in range(21)][-1] == 429
    assert knock("198.51.100.2", 0) == 410  # another stranger behind the same proxy


def test_the_join_limit_counts_an_ipv6_caller_by_its_64_as_every_per_address_limit():
    """A host or household is given a whole /64 (``throttling.address_block``): moving within it starts no
    new count; another /64 is another caller."""

    def knock(address: str, n: int) -> int:
        return client_for(None).get(f"/en/unit/join/guess{n}/", REMOTE_ADDR=address).status_code

    assert [knock(f"2001:db8:0:1::{n + 1:x}", n) for n in range(20)] == [410] * 20
    assert knock("2001:db8:0:1:ffff:1:2:3", 20) == 429  # the same /64
    assert knock("2001:db8:0:2::1", 0) == 410  # the next /64


CHOOSE_ANOTHER = "This username cannot be used: choose another one."


def test_a_weak_password_and_a_taken_username_are_both_said_at_once_and_the_answer_is_counted(admin, handler):
    """Every fault of the form at once: the password's and the username's. Each "choose another" is
    audited and counted against the invitation, whatever else was wrong (at most five an hour)."""
    link = invite(admin).replace("/zh-hans/", "/en/")
    posted = {"first_name": "Li Na", "username": handler.username, "password1": "123", "password2": "1234"}
    both = client_for(None).post(link, posted)
    assert both.status_code == 422 and "didn’t match" in html(both) and CHOOSE_ANOTHER in html(both)
    assert "already exists" not in html(both)
    assert AuditEntry.objects.filter(action="unit.handler.join.taken").count() == 1
    assert HandlerInvitation.objects.get().accepted_at is None


@pytest.mark.parametrize(("lang", "said"), [("en", "Your name"), ("zh-hans", "您的姓名")])
def test_the_invitee_gives_a_name_which_the_handlers_list_shows(admin, lang, said):
    link = invite(admin).replace("/zh-hans/", f"/{lang}/")
    assert said in html(client_for(None).get(link))
    nameless = client_for(None).post(
        link, {"username": "li.na", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert nameless.status_code == 422 and 'id="id_first_name_error"' in html(nameless)
    joined = client_for(None).post(
        link, {"first_name": "李娜", "username": "li.na", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert joined.status_code == 302
    assert "<td>李娜</td>" in html(client_for(admin).get(f"/{lang}/unit/handlers/"))


@pytest.mark.parametrize(
    ("lang", "words"), [("en", CHOOSE_ANOTHER), ("zh-hans", "此用户名不能使用：请另选一个。")]
)
def test_a_taken_username_is_answered_only_once_the_form_holds_generically_and_audited(
    admin, handler, lang, words
):
    link = invite(admin).replace("/zh-hans/", f"/{lang}/")
    taken = client_for(None).post(
        link,
        {
            "first_name": "Li Na",
            "username": handler.username.upper(),
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        REMOTE_ADDR="203.0.113.7",
    )
    assert taken.status_code == 422 and words in html(taken) and "already exists" not in html(taken)
    assert HandlerInvitation.objects.get().accepted_at is None
    entry = AuditEntry.objects.get(action="unit.handler.join.taken")
    invitation = HandlerInvitation.objects.get()
    assert (entry.object_type, entry.object_id, entry.ip) == ("invitation", str(invitation.pk), "203.0.113.7")


def test_an_invitation_link_answers_at_most_five_taken_usernames_an_hour(admin, settings):
    """The limit per address (20 in 10 minutes) is not enough: a link's holder changes address. Each link
    answers "choose another" at most five times an hour, then 429 without looking the name up."""
    others = [UserFactory() for _ in range(6)]
    link = invite(admin).replace("/zh-hans/", "/en/")
    answers = [
        client_for(None)
        .post(
            link,
            {"first_name": "Li Na", "username": other.username, "password1": PASSWORD, "password2": PASSWORD},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
        .status_code
        for n, other in enumerate(others)
    ]
    assert answers == [422] * 5 + [429]
    refused = client_for(None).post(
        link,
        {"first_name": "Li Na", "username": "free.name", "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR="192.0.2.1",
    )
    assert refused.status_code == 429 and "Too many usernames" in html(refused)
    assert int(refused["Retry-After"]) > 0
    assert AuditEntry.objects.filter(action="unit.handler.join.taken").count() == 5
    other_link = invite(admin, email="someone.else@example.org").replace("/zh-hans/", "/en/")
    joined = client_for(None).post(
        other_link,
        {"first_name": "Li Na", "username": "free.name", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert joined.status_code == 302  # another invitation counts on its own


def test_a_username_taken_between_the_forms_check_and_the_account_is_refused_beside_its_field(
    admin, monkeypatch
):
    """Two invitees choosing one name at once: the second is told, and keeps their link (no 500)."""
    from exitentry.accounts import invitations

    link = invite(admin).replace("/zh-hans/", "/en/")
    accept = invitations.accept

    def taken_meanwhile(token, username, *args):
        UserFactory(username=username)  # another invitee's account, made just after the form's check
        return accept(token, username, *args)

    monkeypatch.setattr(invitations, "accept", taken_meanwhile)
    late = client_for(None).post(
        link, {"first_name": "Li Na", "username": "li.na", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert late.status_code == 422 and CHOOSE_ANOTHER in html(late)
    assert HandlerInvitation.objects.get().accepted_at is None
    assert User.objects.filter(username="li.na").count() == 1


def test_the_administrator_removes_a_handler_who_can_then_no_longer_use_the_portal(admin, handler):
    still_signed_in = client_for(handler)
    response = client_for(admin).post(f"/en/unit/handlers/{handler.pk}/remove/")
    assert response.status_code == 302
    handler.refresh_from_db()
    assert handler.is_active is False
    entry = AuditEntry.objects.get(action="unit.handler.remove")
    assert (entry.actor_id, entry.object_id, entry.new) == (admin.pk, str(handler.pk), {"is_active": False})
    assert still_signed_in.get("/en/unit/").status_code == 302  # signed out: to the sign-in page
    page = html(client_for(admin).get("/en/unit/handlers/"))
    assert "removed" in page


def test_the_last_administrator_cannot_remove_themself_but_one_of_two_can(admin, unit):
    browser = client_for(admin)
    page = html(browser.post(f"/en/unit/handlers/{admin.pk}/remove/", follow=True))
    assert "last administrator cannot be removed" in page
    admin.refresh_from_db()
    assert admin.is_active
    UserFactory(role=Role.UNIT, unit=unit, is_unit_admin=True)
    browser.post(f"/en/unit/handlers/{admin.pk}/remove/")
    admin.refresh_from_db()
    assert admin.is_active is False


def test_an_administrator_of_another_unit_cannot_remove_our_handler(handler):
    outsider = UserFactory(role=Role.UNIT, unit=UnitFactory(), is_unit_admin=True)
    page = html(client_for(outsider).post(f"/en/unit/handlers/{handler.pk}/remove/", follow=True))
    assert "No such handler of your unit" in page
    handler.refresh_from_db()
    assert handler.is_active


def test_an_invitation_makes_a_handler_of_the_inviting_unit_whoever_opens_it(admin, unit):
    link = invite(admin)
    elsewhere = UserFactory(role=Role.UNIT, unit=UnitFactory())
    client_for(elsewhere).post(
        link, {"first_name": "Li Na", "username": "li.na", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert User.objects.get(username="li.na").unit_id == unit.pk
    elsewhere.refresh_from_db()
    assert elsewhere.unit_id != unit.pk


@pytest.mark.parametrize("change", ["removed", "no longer administrator", "moved to another unit"])
def test_an_invitation_stops_working_once_its_sender_is_no_longer_the_units_administrator(unit, change):
    """A departing administrator cannot invite their own address and come back through the link."""
    leaving = UserFactory(role=Role.UNIT, unit=unit, is_unit_admin=True)
    staying = UserFactory(role=Role.UNIT, unit=unit, is_unit_admin=True)
    link = invite(leaving, email="my.private@example.org", language="en")
    if change == "removed":
        assert client_for(staying).post(f"/en/unit/handlers/{leaving.pk}/remove/").status_code == 302
    elif change == "no longer administrator":
        User.objects.filter(pk=leaving.pk).update(is_unit_admin=False)
    else:
        User.objects.filter(pk=leaving.pk).update(unit=UnitFactory())
    assert client_for(None).get(link).status_code == 410
    back = client_for(None).post(
        link, {"first_name": "Li Na", "username": "back.door", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert back.status_code == 410
    assert not User.objects.filter(username="back.door").exists()
    assert HandlerInvitation.objects.get().accepted_at is None
    assert "my.private@example.org" not in html(client_for(staying).get("/en/unit/handlers/"))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("handler", 403),
        ("applicant", 403),
        ("proxy", 403),
        ("institution", 403),
        ("our institution", 403),  # the unit's own desk account
        ("officer", 403),
        ("removed administrator", 302),  # their session no longer signs them in
    ],
)
def test_only_the_administrator_invites_or_removes(role, status, unit, admin, handler):
    user = {
        "handler": handler,
        "our institution": UserFactory(role=Role.INSTITUTION, unit=unit),
        "removed administrator": UserFactory(role=Role.UNIT, unit=unit, is_unit_admin=True, is_active=False),
    }.get(role) or UserFactory(role=getattr(Role, role.upper()))
    browser = client_for(user)
    invited = browser.post("/en/unit/handlers/", {"email": "x@example.org", "language": "en"})
    assert invited.status_code == status
    assert browser.post(f"/en/unit/handlers/{admin.pk}/remove/").status_code == status
    assert browser.post(f"/en/unit/handlers/{handler.pk}/admin/", {"admin": "1"}).status_code == status
    assert not HandlerInvitation.objects.exists()
    admin.refresh_from_db()
    handler.refresh_from_db()
    assert admin.is_active and not handler.is_unit_admin
    waiting = invite(admin)
    assert (
        browser.post(f"/en/unit/invitations/{HandlerInvitation.objects.get().pk}/withdraw/").status_code
        == status
    )
    assert client_for(None).get(waiting).status_code == 200  # still working


def test_the_page_lists_the_handlers_and_the_pending_invitations_in_both_languages(admin, handler):
    invite(admin, email="pending@example.org")
    page = html(client_for(admin).get("/en/unit/handlers/"))
    assert handler.username in page and admin.username in page and "pending@example.org" in page
    assert "Remove myself" not in page  # the last administrator: the page offers no button for it
    zh = html(client_for(admin).get("/zh-hans/unit/handlers/"))
    assert "本单位经办人" in zh and "邀请经办人" in zh


def test_the_administrator_makes_a_handler_administrator_who_may_then_step_the_first_down(admin, handler):
    response = client_for(admin).post(f"/en/unit/handlers/{handler.pk}/admin/", {"admin": "1"}, follow=True)
    assert "is now an administrator of the unit" in html(response)
    handler.refresh_from_db()
    assert handler.is_unit_admin
    entry = AuditEntry.objects.get(action="unit.handler.admin")
    assert (entry.actor_id, entry.object_id, entry.new) == (
        admin.pk,
        str(handler.pk),
        {"is_unit_admin": True},
    )
    assert "Step down as administrator" in html(client_for(admin).get("/en/unit/handlers/"))
    stepped = client_for(handler).post(f"/en/unit/handlers/{admin.pk}/admin/", {"admin": "0"})
    assert stepped.status_code == 302
    admin.refresh_from_db()
    assert not admin.is_unit_admin and admin.is_active
    assert client_for(admin).get("/en/unit/handlers/").status_code == 403  # a handler now
    assert client_for(admin).get("/en/unit/").status_code == 200


def test_the_last_administrator_cannot_step_down(admin):
    page = html(client_for(admin).post(f"/en/unit/handlers/{admin.pk}/admin/", {"admin": "0"}, follow=True))
    assert "last administrator" in page
    admin.refresh_from_db()
    assert admin.is_unit_admin
    assert not AuditEntry.objects.filter(action="unit.handler.admin").exists()


def test_an_administrator_of_another_unit_cannot_promote_our_handler(handler):
    outsider = UserFactory(role=Role.UNIT, unit=UnitFactory(), is_unit_admin=True)
    client_for(outsider).post(f"/en/unit/handlers/{handler.pk}/admin/", {"admin": "1"})
    handler.refresh_from_db()
    assert not handler.is_unit_admin


def test_a_withdrawn_invitation_no_longer_works_and_leaves_the_list(admin):
    link = invite(admin, email="changed.mind@example.org")
    invitation = HandlerInvitation.objects.get()
    page = html(client_for(admin).post(f"/en/unit/invitations/{invitation.pk}/withdraw/", follow=True))
    assert "is withdrawn" in page and "changed.mind@example.org" in page  # in the message only
    assert "changed.mind@example.org" not in page.split("is withdrawn")[1]
    assert client_for(None).get(link).status_code == 410
    entry = AuditEntry.objects.get(action="unit.invitation.withdraw")
    assert (entry.actor_id, entry.new) == (admin.pk, {"invitation": invitation.pk})
    again = html(client_for(admin).post(f"/en/unit/invitations/{invitation.pk}/withdraw/", follow=True))
    assert "No such invitation of your unit is waiting" in again


def test_another_units_administrator_cannot_withdraw_our_invitation(admin):
    link = invite(admin)
    outsider = UserFactory(role=Role.UNIT, unit=UnitFactory(), is_unit_admin=True)
    client_for(outsider).post(f"/en/unit/invitations/{HandlerInvitation.objects.get().pk}/withdraw/")
    assert client_for(None).get(link).status_code == 200


def test_a_unit_has_at_most_so_many_invitations_waiting(admin, monkeypatch):
    from exitentry.accounts import invitations

    monkeypatch.setattr(invitations, "MAX_WAITING", 2)
    invite(admin, email="one@example.org")
    invite(admin, email="two@example.org")
    refused = client_for(admin).post("/en/unit/handlers/", {"email": "three@example.org", "language": "en"})
    assert refused.status_code == 429 and "invitations waiting" in html(refused)
    assert not Message.objects.filter(address="three@example.org").exists()
    HandlerInvitation.objects.filter(email="one@example.org").update(expires_at=clock.now())
    invite(admin, email="three@example.org")  # an expired one no longer counts


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_administrators_removing_each_other_at_once_leave_the_unit_one():
    """The unit's handlers are locked for a removal: one removal wins, the other is refused as the last."""
    import threading

    from django.db import connection

    from exitentry.accounts import invitations
    from factories import actor

    unit = UnitFactory()
    first, second = (UserFactory(role=Role.UNIT, unit=unit, is_unit_admin=True) for _ in range(2))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def remove(admin, other) -> None:
        try:
            barrier.wait()
            invitations.remove(actor(admin), other.pk)
            outcomes.append("removed")
        except invitations.Refused as refused:
            outcomes.append(str(refused.status))
        finally:
            connection.close()

    threads = [threading.Thread(target=remove, args=pair) for pair in ((first, second), (second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["409", "removed"]
    assert User.objects.filter(unit=unit, is_active=True, is_unit_admin=True).count() == 1


def test_the_log_never_holds_a_working_invitation_link(admin):
    """Django logs every 4xx answer with its path (``django.request``) and the development server every
    request (``django.server``): a refused try on a working link must not leave its token there, for
    whoever reads the log could become a handler of the unit with it."""
    import logging

    link = invite(admin).replace("/zh-hans/", "/en/")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(self.format(record))

    keep = Keep()
    loggers = [logging.getLogger(name) for name in ("django.request", "django.server")]
    for logger in loggers:
        logger.addHandler(keep)
    try:
        weak = client_for(None).post(
            link, {"first_name": "Li Na", "username": "li.na", "password1": "123", "password2": "123"}
        )
        assert weak.status_code == 422
        logging.getLogger("django.server").info('"%s" %s %s', f"GET {link} HTTP/1.1", "200", "1234")
    finally:
        for logger in loggers:
            logger.removeHandler(keep)
    assert len(seen) == 2 and all("/en/unit/join/" in line for line in seen), seen
    assert not any(token in line for line in seen), seen


@pytest.mark.parametrize(
    "lang, handler_said, pending_said",
    [
        ("en", "is already a handler of this unit", "An invitation to this address is still pending"),
        ("zh-hans", "@demo.example 已是本单位的经办人", "发往该地址的邀请仍在等待接受"),
    ],
)
def test_an_existing_handler_oneself_or_an_address_still_invited_is_not_invited_again(
    admin, handler, lang, handler_said, pending_said
):
    User.objects.filter(pk=admin.pk).update(email="hr@demo.example")
    User.objects.filter(pk=handler.pk).update(email="li@demo.example")
    invite(admin, email="new.hire@example.org")
    page = client_for(admin)
    for email, said in (
        ("LI@demo.example", handler_said),
        ("hr@demo.example", handler_said),
        ("New.Hire@example.org", pending_said),
    ):
        refused = page.post(f"/{lang}/unit/handlers/", {"email": email, "language": "en"})
        assert refused.status_code == 409 and said in html(refused), email
        assert "The invitation is on its way" not in html(refused)
    assert HandlerInvitation.objects.count() == 1 and Message.objects.count() == 1


def test_an_address_whose_invitation_expired_or_was_withdrawn_or_a_removed_handler_is_invited_again(
    admin, handler
):
    invite(admin, email="late@example.org")
    HandlerInvitation.objects.update(expires_at=clock.now())
    invite(admin, email="late@example.org")
    invite(admin, email="changed.mind@example.org")
    withdrawn = HandlerInvitation.objects.get(email="changed.mind@example.org")
    client_for(admin).post(f"/en/unit/invitations/{withdrawn.pk}/withdraw/")
    invite(admin, email="changed.mind@example.org")
    User.objects.filter(pk=handler.pk).update(is_active=False, email="gone@demo.example")
    invite(admin, email="gone@demo.example")


@pytest.mark.parametrize(
    "lang, said", [("en", "Enter a valid email address."), ("zh-hans", "请输入有效的电子邮件地址。")]
)
def test_a_bad_address_is_refused_in_the_pages_language_in_its_own_words(admin, lang, said):
    refused = client_for(admin).post(f"/{lang}/unit/handlers/", {"email": "not-an-address", "language": "en"})
    assert refused.status_code == 422 and said in html(refused)
    assert "Email 地址" not in html(refused)
    assert not HandlerInvitation.objects.exists()


def queue_invitation(admin, email="new.hire@example.org") -> Message:
    """The administrator invites through the page; the message waits in the worker's queue, unsent."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(admin).post("/en/unit/handlers/", {"email": email, "language": "en"})
    return Message.objects.get(address=email)


def test_an_invitation_whose_link_is_not_hidden_as_the_outbox_writes_it_is_not_sent(admin, settings):
    """Should the outbox's hidden link ever not be the one ``redaction.hidden`` writes, the worker sends no
    e-mail with a link that cannot work (nor makes a token): the send fails, loudly."""
    settings.EXITENTRY_TASK_ATTEMPTS = 1
    message = queue_invitation(admin)
    Message.objects.filter(pk=message.pk).update(body=message.body.replace("[token hidden]", "-"))
    before = HandlerInvitation.objects.get().token_hash
    drain()
    message.refresh_from_db()
    assert mail.outbox == [] and HandlerInvitation.objects.get().token_hash == before
    assert message.state == "failed" and "not hidden" in message.last_error


def test_the_list_of_handlers_is_a_read_in_the_audit_trail(admin, handler):
    """The handlers page shows people's names and e-mail addresses: each look is an audit entry naming them."""
    assert client_for(admin).get("/en/unit/handlers/").status_code == 200
    entry = AuditEntry.objects.get(action="user.list")
    assert entry.actor == admin and entry.object_type == "unit-handlers"
    assert sorted(entry.new["users"]) == sorted([admin.pk, handler.pk])
