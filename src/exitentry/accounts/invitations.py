"""A unit's handlers: the unit administrator invites one by e-mail, the invitee accepts with a username and
a password and becomes a handler of that unit, and the administrator removes (deactivates) one.

The link carries a token (256 bits) made as the message is sent (``complete``), from the invitation's
random seed and the site's secret key (``token``), so a send run again (the worker took the first for dead,
or it died mid-send) sends the same link and never makes a second: only its SHA-256 is stored, the outbox
keeps the message with the link hidden, it works once, expires after ``VALID_HOURS``, and works only while
the administrator who sent it still administers the unit (removing or demoting one withdraws their pending
invitations, so a departing administrator cannot invite their own address and come back through it) and
until an administrator withdraws it; one no longer waiting when its e-mail is to go is not sent. A unit has at most
``MAX_WAITING`` invitations waiting at once, so an account cannot flood inboxes. The message goes through the
outbox in the invitee's language. An administrator makes another handler administrator, or steps one down;
a unit keeps at least one active administrator: the last one can be neither removed nor stepped down. Each
step runs in one transaction with its audit entry.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django_tasks import TaskContext, task

from exitentry import clock, redaction
from exitentry.accounts import one_time_links, policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import HandlerInvitation, Role, Unit, User
from exitentry.law.text import Text
from exitentry.messaging.models import Message
from exitentry.messaging.services import send
from exitentry.messaging.tasks import NotToBeSent, last_try, send_now

VALID_HOURS = 72  # how long a link works: a matter of security practice, not of the law
EVENT = "unit-invitation:"  # the outbox's event key of an invitation's message, before the invitation's pk
MAX_WAITING = 20  # unexpired invitations a unit may have waiting at once
TOKEN_SALT = (
    "exitentry.accounts.invitations.token"  # ``token``'s signatures apart from the secret key's others
)


class Refused(Exception):
    """The step is not allowed; ``text`` says why in both languages."""

    def __init__(self, text: Text, status: int = 403):
        self.text, self.status = text, status
        super().__init__(text.en)


NOT_ADMIN = Text(
    "Only the unit's administrator adds and removes its handlers.", "只有本单位管理员可以添加或移除经办人。"
)
NO_SUCH_INVITATION = Text(
    "This invitation link does not work: it has expired, has been used already, or was never valid. "
    "Ask your unit's administrator for a new one.",
    "此邀请链接无效：已过期、已被使用或从未有效。请向本单位管理员索取新的邀请。",
)
LAST_ADMIN = Text(
    "The unit's last administrator cannot be removed: make another handler administrator first.",
    "不能移除本单位最后一位管理员：请先指定另一位管理员。",
)
NOT_A_HANDLER = Text("No such handler of your unit.", "本单位没有此经办人。")
TOO_MANY_WAITING = Text(
    f"Your unit already has {MAX_WAITING} invitations waiting: withdraw some, or wait until they are "
    "accepted or expire.",
    f"本单位已有{MAX_WAITING}份邀请尚待接受：请先撤回部分邀请，或待其被接受或过期后再发送。",
)
NO_SUCH_WAITING = Text("No such invitation of your unit is waiting.", "本单位没有此待接受的邀请。")
STILL_PENDING = Text(
    "An invitation to this address is still pending: withdraw it first to send a new one.",
    "发往该地址的邀请仍在等待接受：如需重新发送，请先撤回原邀请。",
)


def _already_handler(email: str) -> Text:
    return Text(f"{email} is already a handler of this unit.", f"{email} 已是本单位的经办人。")


def invite(actor: Actor, email: str, language: str, link: Callable[[str, str], str]) -> HandlerInvitation:
    """Invite ``email`` to become a handler of the administrator's unit; ``link(token, language)`` is the
    address of the accept page. The message is queued when the transaction commits, its link hidden: the
    token is made when it is sent (``send_invitation``), so no link works until then. An address that is
    already one of the unit's active handlers (the administrator's own too), or that a working invitation
    still waits on, is refused (409): a second link would only confuse."""
    admin = actor.user
    if not policy.is_unit_admin(admin):
        raise Refused(NOT_ADMIN)
    now = clock.now()
    unit = admin.unit
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()  # one count at a time per unit
        waiting = unanswered().filter(unit=unit, expires_at__gt=now)
        if User.objects.filter(unit=unit, role=Role.UNIT, is_active=True, email__iexact=email).exists():
            raise Refused(_already_handler(email), status=409)
        if waiting.filter(email__iexact=email).exists():
            raise Refused(STILL_PENDING, status=409)
        if waiting.count() >= MAX_WAITING:
            raise Refused(TOO_MANY_WAITING, status=429)
        invitation = HandlerInvitation.objects.create(
            unit=unit,
            email=email,
            language=language,
            token_hash=one_time_links.digest(
                secrets.token_urlsafe(32)
            ),  # nobody gets it: ``send_invitation`` makes one
            invited_by=admin,
            created_at=now,
            expires_at=now + timedelta(hours=VALID_HOURS),
        )
        names = unit.names
        address = redaction.hidden(link("-", language))
        send(
            f"{EVENT}{invitation.pk}",
            None,
            Text(f"Invitation: handler of {names.en}", f"邀请：成为{names.zh}的经办人"),
            Text(
                f"{admin.get_full_name() or admin.get_username()} invites you to handle the exit-entry "
                f"affairs of {names.en}'s foreign staff or students.\n\nChoose your username and password "
                f"here (the link works once, for {VALID_HOURS} hours):\n{address}\n\n"
                "If you did not expect this, ignore this message.",
                f"{admin.get_full_name() or admin.get_username()}邀请您担任{names.zh}外籍员工或学生出入境事务"
                f"的经办人。\n\n请在此设置用户名和密码（链接仅可使用一次，{VALID_HOURS}小时内有效）：\n{address}"
                "\n\n如非本人预期，请忽略此邮件。",
            ),
            address=email,
            language=language,
            delivery=send_invitation,
        )
        record(
            actor,
            "unit.handler.invite",
            "unit",
            unit.pk,
            new={
                "invitation": invitation.pk,
                "email": email,
                "expires_at": invitation.expires_at.isoformat(),
            },
        )
    return invitation


class LinkNotHidden(Exception):
    """The outbox's message holds no link hidden as ``redaction.hidden`` writes it: nothing to put the token
    in, so nothing is sent (the outbox's writing and the redaction's have parted)."""


@task(takes_context=True)
def send_invitation(context: TaskContext, message_id: int) -> str:
    """The invitation's message sent (``messaging.tasks.send_now``, retried by the worker while it fails),
    completed by ``complete``."""
    return send_now(message_id, last_try=last_try(context))


def complete(message: Message) -> str:
    """The invitation's message as it is sent, whichever task sends it: with the link of its token
    (``token``), the same at every try, its hash stored in place of the one made with the invitation.
    The outbox keeps the link hidden (``redaction.hidden``) and the invitation only a hash and a seed, so
    neither an administrator reading the outbox nor a copy of the database holds a link that works. An
    invitation no longer waiting (withdrawn, accepted, expired, its sender no longer administrator:
    ``unanswered``) gets no token, and its message is not sent (``NotToBeSent``, saying why). A message
    queued with its link before the outbox hid them is sent as it is while its invitation waits, if that
    link is the one its hash is of: no link that cannot work is sent (``LinkNotHidden``)."""
    pk = int(message.event_key.removeprefix(EVENT))
    waiting = unanswered().filter(pk=pk, expires_at__gt=clock.now())
    if redaction.TOKEN_HIDDEN in message.body:
        if (body := one_time_links.filled(message, waiting, TOKEN_SALT)) is not None:
            return body
    elif waiting.exists():
        if waiting.filter(
            token_hash__in=[one_time_links.digest(t) for t in redaction.secrets_in(message.body)]
        ).exists():
            return message.body  # queued with its link before the outbox hid them: the one its hash is of
        raise LinkNotHidden(f"not sent: its link is not hidden as {redaction.TOKEN_HIDDEN!r}")
    raise NotToBeSent(_why_not_sent(pk))


def token(invitation: HandlerInvitation) -> str:
    """The token of the invitation's link: its seed and event signed with the site's secret key (which the
    database does not hold), so every run of its send makes the same."""
    return one_time_links.token(TOKEN_SALT, f"{EVENT}{invitation.pk}", invitation.token_seed)


def _why_not_sent(pk: int) -> str:
    invitation = HandlerInvitation.objects.filter(pk=pk).first()
    if invitation is None:
        return "not sent: no such invitation"
    if invitation.accepted_at is not None:
        why = "it was accepted"
    elif invitation.withdrawn_at is not None:
        why = "it was withdrawn"
    elif invitation.expires_at <= clock.now():
        why = "it expired"
    else:
        why = "its sender no longer administers the unit"
    return f"not sent: {why} before its e-mail went"


def unanswered() -> QuerySet[HandlerInvitation]:
    """The invitations not yet accepted nor withdrawn whose sender still administers their unit (expired
    ones too: the handlers' page marks them); the others are withdrawn and listed nowhere."""
    return HandlerInvitation.objects.filter(
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        invited_by__is_active=True,
        invited_by__role=Role.UNIT,
        invited_by__is_unit_admin=True,
        invited_by__unit_id=F("unit_id"),
    )


def _working(token: str) -> QuerySet[HandlerInvitation]:
    return unanswered().filter(token_hash=one_time_links.digest(token), expires_at__gt=clock.now())


def open_invitation(token: str) -> HandlerInvitation | None:
    """The invitation ``token`` opens, while it is unanswered (``unanswered``) and unexpired; else None."""
    return _working(token).select_related("unit").first()


class UsernameTaken(Exception):
    """Another account took the username after the caller's form checked it: nothing was done."""


def accept(token: str, username: str, password: str, ip: str | None, name: str) -> User:
    """The invitee's account: a handler of the inviting unit, with the name, username and password given
    (checked by the caller's form); the invitation is used up."""
    try:
        return _accept(token, username, password, ip, name)
    except IntegrityError:  # the username, taken at the same moment
        raise UsernameTaken(username) from None


def _accept(token: str, username: str, password: str, ip: str | None, name: str) -> User:
    with transaction.atomic():
        invitation = _working(token).select_for_update(of=("self",)).first()
        if invitation is None:
            raise Refused(NO_SUCH_INVITATION, status=410)
        user = User.objects.create(
            username=username,
            first_name=name,  # the whole name, as the person writes it (张伟, Anna Weber)
            password=make_password(password),
            role=Role.UNIT,
            unit_id=invitation.unit_id,
            email=invitation.email,
            language=invitation.language,
        )
        invitation.accepted_at, invitation.accepted_by = clock.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record(
            Actor(user, ip),
            "unit.handler.join",
            "user",
            user.pk,
            new={
                "unit": invitation.unit_id,
                "invitation": invitation.pk,
                "invited_by": invitation.invited_by_id,
            },
        )
    return user


def remove(actor: Actor, handler_id: int) -> User:
    """Deactivate one of the administrator's unit's handlers (themself too, unless they are its last
    administrator). The unit's handlers are locked, so two administrators removing each other at once
    cannot leave the unit with none."""
    admin = actor.user
    if not policy.is_unit_admin(admin):
        raise Refused(NOT_ADMIN)
    with transaction.atomic():
        handler, others = _locked(admin, handler_id)
        if handler.is_unit_admin and not any(u.is_unit_admin for u in others):
            raise Refused(LAST_ADMIN, status=409)
        handler.is_active = False
        handler.save(update_fields=["is_active"])
        record(
            actor,
            "unit.handler.remove",
            "user",
            handler.pk,
            old={"is_active": True},
            new={"is_active": False},
        )
    return handler


def withdraw(actor: Actor, invitation_id: int) -> HandlerInvitation:
    """An administrator withdraws one of the unit's waiting invitations: its link stops working."""
    admin = actor.user
    if not policy.is_unit_admin(admin):
        raise Refused(NOT_ADMIN)
    with transaction.atomic():
        invitation = (
            unanswered()
            .filter(pk=invitation_id, unit_id=admin.unit_id)
            .select_for_update(of=("self",))
            .first()
        )
        if invitation is None:
            raise Refused(NO_SUCH_WAITING, status=404)
        invitation.withdrawn_at = clock.now()
        invitation.save(update_fields=["withdrawn_at"])
        record(actor, "unit.invitation.withdraw", "unit", admin.unit_id, new={"invitation": invitation.pk})
    return invitation


def set_admin(actor: Actor, handler_id: int, admin: bool) -> User:
    """Make one of the unit's active handlers its administrator (``admin``), or step one down, themself
    too, unless they are the last. Locked as ``remove`` is."""
    if not policy.is_unit_admin(actor.user):
        raise Refused(NOT_ADMIN)
    with transaction.atomic():
        handler, others = _locked(actor.user, handler_id)
        if not admin and handler.is_unit_admin and not any(u.is_unit_admin for u in others):
            raise Refused(LAST_ADMIN, status=409)
        if handler.is_unit_admin != admin:
            handler.is_unit_admin = admin
            handler.save(update_fields=["is_unit_admin"])
            record(
                actor,
                "unit.handler.admin",
                "user",
                handler.pk,
                old={"is_unit_admin": not admin},
                new={"is_unit_admin": admin},
            )
    return handler


def _locked(admin: User, handler_id: int) -> tuple[User, list[User]]:
    """The unit's active handler ``handler_id`` and the others, all locked (in the caller's transaction)."""
    handlers = list(
        User.objects.select_for_update().filter(unit_id=admin.unit_id, role=Role.UNIT, is_active=True)
    )
    handler = next((u for u in handlers if u.pk == handler_id), None)
    if handler is None:
        raise Refused(NOT_A_HANDLER, status=404)
    return handler, [u for u in handlers if u.pk != handler_id]
