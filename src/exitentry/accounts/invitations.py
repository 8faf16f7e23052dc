"""A unit's handlers: the unit administrator invites one by e-mail, the invitee accepts with a username and
a password and becomes a handler of that unit, and the administrator removes (deactivates) one.

The link carries a random token (256 bits); only its SHA-256 is stored, it works once and expires after
``VALID_HOURS``. The message goes through the outbox in the invitee's language. A unit keeps at least
one active administrator: the last one cannot be removed. Each step runs in one transaction with its
audit entry.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from exitentry import clock
from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import HandlerInvitation, Role, User
from exitentry.law.text import Text
from exitentry.messaging.services import send

VALID_HOURS = 72  # how long a link works: a matter of security practice, not of the law


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


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(actor: Actor, email: str, language: str, link: Callable[[str, str], str]) -> HandlerInvitation:
    """Invite ``email`` to become a handler of the administrator's unit; ``link(token, language)`` is the
    address of the accept page. The message is queued when the transaction commits."""
    admin = actor.user
    if not policy.is_unit_admin(admin):
        raise Refused(NOT_ADMIN)
    token = secrets.token_urlsafe(32)
    now = clock.now()
    unit = admin.unit
    with transaction.atomic():
        invitation = HandlerInvitation.objects.create(
            unit=unit,
            email=email,
            language=language,
            token_hash=digest(token),
            invited_by=admin,
            created_at=now,
            expires_at=now + timedelta(hours=VALID_HOURS),
        )
        names = unit.names
        address = link(token, language)
        send(
            f"unit-invitation:{invitation.pk}",
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


def open_invitation(token: str) -> HandlerInvitation | None:
    """The invitation ``token`` opens, while it is unused and unexpired; else None."""
    return (
        HandlerInvitation.objects.select_related("unit")
        .filter(token_hash=digest(token), accepted_at__isnull=True, expires_at__gt=clock.now())
        .first()
    )


def accept(token: str, username: str, password: str, ip: str | None) -> User:
    """The invitee's account: a handler of the inviting unit, with the username and password chosen
    (checked by the caller's form); the invitation is used up."""
    with transaction.atomic():
        invitation = (
            HandlerInvitation.objects.select_for_update()
            .filter(token_hash=digest(token), accepted_at__isnull=True, expires_at__gt=clock.now())
            .first()
        )
        if invitation is None:
            raise Refused(NO_SUCH_INVITATION, status=410)
        user = User.objects.create(
            username=username,
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
        handlers = {
            u.pk: u
            for u in User.objects.select_for_update().filter(
                unit_id=admin.unit_id, role=Role.UNIT, is_active=True
            )
        }
        handler = handlers.get(handler_id)
        if handler is None:
            raise Refused(NOT_A_HANDLER, status=404)
        if handler.is_unit_admin and not any(
            u.is_unit_admin for pk, u in handlers.items() if pk != handler_id
        ):
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
