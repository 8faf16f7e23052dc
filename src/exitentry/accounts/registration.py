"""An applicant opens their own account: a foreigner applying for themself signs up with a username, an
e-mail address, a password and the language of their messages; the account is made inactive and a link
is sent to the address (``one_time_links``: made as the message is sent, only its hash stored, hidden in
the outbox), which activates it once, within ``VALID_HOURS``; asked for again (``resend``), a new link
replaces it. A sign-up never confirmed gives up its username and address once its link expired
(``release_unconfirmed``, hourly), its row kept for the audit trail. An address an active account already uses
gets no link and no account, but a message saying someone tried, and the page answers the same "check your
inbox" either way: whether an address is registered is told to its owner alone. Once signed in, the
applicant enters their own registry record (``registry.own_record``): self-declared, the passport a claim the hall
checks against the original at intake. Each step runs in one transaction with its audit entry.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django_tasks import TaskContext, task

from exitentry import clock, redaction
from exitentry.accounts import one_time_links
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import Role, SignUp, User, new_token_seed
from exitentry.law.text import Text
from exitentry.messaging.models import Message
from exitentry.messaging.services import send
from exitentry.messaging.tasks import NotToBeSent, last_try, send_now

VALID_HOURS = 48  # how long a link works: a matter of security practice, not of the law
EVENT = "sign-up:"  # a sign-up message's event key: then the sign-up's pk, ":" and its seed's tag
TAG = 12  # the characters of the seed the event key holds: a message of a seed since replaced is not sent
RELEASED = "~released-"  # a released account's username, before its pk: no one can sign up with a "~"
TRIED = "sign-up-tried:"  # the event key of the message to an address in use, before a random id
TOKEN_SALT = "exitentry.accounts.registration.token"
# A sign-up that waits: its account never active (not confirmed, not active, never signed in). One an
# administrator activated and later deactivated is suspended, not waiting: no link reopens it, nor is it released.
NEVER_ACTIVE = Q(confirmed_at__isnull=True, user__is_active=False, user__last_login__isnull=True)


class Refused(Exception):
    """The step is not allowed; ``text`` says why in both languages."""

    def __init__(self, text: Text, status: int = 403):
        self.text, self.status = text, status
        super().__init__(text.en)


class UsernameTaken(Exception):
    """Another account took the username after the caller's form checked it: nothing was done."""


NO_SUCH_LINK = Text(
    "This link does not work: it has expired, has been used already, or was never valid. "
    "Ask for a new one, or sign in if your account is already active.",
    "此链接无效：已过期、已被使用或从未有效。请重新获取链接；如账户已开通，请直接登录。",
)


def sign_up(ip: str | None, username: str, email: str, password: str, language: str, link) -> None:
    """Open an inactive applicant account for ``email`` and send it the link (``link(token, language)`` is
    the address of the confirm page); to an address an active account uses, only a message saying someone
    tried. Raises ``UsernameTaken`` if the username was taken meanwhile."""
    try:
        with transaction.atomic():
            holder = User.objects.filter(is_active=True, email__iexact=email).order_by("pk").first()
            if holder is not None:
                make_password(password)  # as long as a sign-up takes: the answer's time tells nothing either
                _tell_holder(ip, holder)
            else:
                _open(ip, username, email, password, language, link)
    except IntegrityError:
        raise UsernameTaken(username) from None


def _open(ip, username: str, email: str, password: str, language: str, link) -> None:
    now = clock.now()
    user = User.objects.create(
        username=username,
        email=email,
        password=make_password(password),
        role=Role.APPLICANT,
        language=language,
        is_active=False,
    )
    row = SignUp.objects.create(
        user=user,
        token_hash=one_time_links.digest(uuid.uuid4().hex),  # nobody gets it: ``complete`` makes the token
        created_at=now,
        expires_at=now + timedelta(hours=VALID_HOURS),
    )
    _send_link(row, link)
    record(Actor(user, ip), "account.sign-up", "user", user.pk, new={"email": email, "language": language})


def _send_link(row: SignUp, link) -> None:
    """The sign-up's message, its link made as it is sent (``complete``) from the row's current seed."""
    user, username, language = row.user, row.user.get_username(), row.user.language
    address = redaction.hidden(link("-", language))
    send(
        f"{EVENT}{row.pk}:{row.token_seed[:TAG]}",
        user,
        Text("Confirm your e-mail address to open your account", "请确认电子邮件地址以开通账户"),
        Text(
            f"Someone, we hope you, asked to open an applicant account named {username} on the exit-entry "
            f"services site with this e-mail address.\n\nOpen this link to confirm it (the link works once, "
            f"for {VALID_HOURS} hours):\n{address}\n\nThen sign in with your username and password.\n\n"
            "If it was not you, ignore this message: without confirmation the account is never opened.",
            f"有人（希望是您本人）使用此电子邮件地址在出入境服务网站申请开通申请人账户，用户名为{username}。"
            f"\n\n请打开以下链接确认（链接仅可使用一次，{VALID_HOURS}小时内有效）：\n{address}\n\n"
            "确认后，请使用您的用户名和密码登录。\n\n如非本人操作，请忽略此邮件：未经确认，账户不会开通。",
        ),
        language=language,
        delivery=send_confirmation,
    )


def resend(ip: str | None, who: str, link, may_send=lambda email: True) -> str | None:
    """A new link for the sign-up still waiting (unconfirmed, not released, expired or not) whose account's
    username or e-mail address is ``who``, valid ``VALID_HOURS`` from now: the old link no longer works.
    Nothing for anyone else, nor when ``may_send(email)`` (the caller's limit per e-mail address, asked
    before sending) says no, and the caller answers the same: the e-mail address sent to, or None."""
    with transaction.atomic():
        waiting = (
            SignUp.objects.filter(NEVER_ACTIVE, released_at__isnull=True)
            .select_for_update(of=("self",))
            .select_related("user")
            .order_by("-pk")
        )
        # the e-mail address first: a username made before "@" was refused in one may be another's address
        row = waiting.filter(user__email__iexact=who).first() or waiting.filter(user__username=who).first()
        if row is None or User.objects.filter(is_active=True, email__iexact=row.user.email).exists():
            return None
        if not may_send(row.user.email):
            return None
        now = clock.now()
        row.token_seed, row.token_hash = new_token_seed(), one_time_links.digest(uuid.uuid4().hex)
        row.created_at, row.expires_at = now, now + timedelta(hours=VALID_HOURS)
        row.save(update_fields=["token_seed", "token_hash", "created_at", "expires_at"])
        _send_link(row, link)
        record(Actor(row.user, ip), "account.sign-up.resend", "user", row.user.pk)
    return row.user.email


def release_unconfirmed() -> int:
    """Every account whose sign-up expired unconfirmed, released: its username (``RELEASED`` and its pk)
    and e-mail address freed, its password unusable; the row kept, for the audit trail names it. Done
    once per account; the number released."""
    released = 0
    expired = SignUp.objects.filter(NEVER_ACTIVE, released_at__isnull=True, expires_at__lte=clock.now())
    for pk in expired.values_list("pk", flat=True):
        with transaction.atomic():
            row = expired.filter(pk=pk).select_for_update(of=("self",)).select_related("user").first()
            if row is None:  # confirmed, renewed or released meanwhile
                continue
            user = row.user
            old = {"username": user.get_username(), "email": user.email}
            user.username, user.email = f"{RELEASED}{user.pk}", ""
            user.set_unusable_password()
            user.save(update_fields=["username", "email", "password"])
            row.released_at = clock.now()
            row.save(update_fields=["released_at"])
            record(Actor(None), "account.sign-up.release", "user", user.pk, old=old)
        released += 1
    return released


def _tell_holder(ip: str | None, holder: User) -> None:
    """The owner of an address in use hears that someone tried; nothing else is made."""
    send(
        f"{TRIED}{uuid.uuid4().hex}",
        holder,
        Text(
            "Someone tried to open an account with your e-mail address",
            "有人尝试使用您的电子邮件地址开通账户",
        ),
        Text(
            "Someone asked to open a new account on the exit-entry services site with this e-mail "
            "address, which your account already uses, so no new account was opened.\n\nIf it was you, "
            f"sign in with your account: its username is {holder.get_username()}. If it was not you, you "
            "need do nothing.",
            "有人使用此电子邮件地址在出入境服务网站申请开通新账户；由于您的账户已在使用该地址，未开通新账户。"
            f"\n\n如系本人操作，请使用现有账户登录，用户名为{holder.get_username()}。如非本人操作，无需处理。",
        ),
    )
    record(Actor(None, ip), "account.sign-up.address-in-use", "user", holder.pk)


@task(takes_context=True)
def send_confirmation(context: TaskContext, message_id: int) -> str:
    """The sign-up's message sent (``messaging.tasks.send_now``, retried by the worker while it fails),
    completed by ``complete``."""
    return send_now(message_id, last_try=last_try(context))


def complete(message: Message) -> str:
    """The sign-up's message as it is sent: with the link of its token, the same at every try, its hash
    stored on the sign-up; one confirmed, expired or sent again (``resend``) meanwhile is not sent
    (``NotToBeSent``)."""
    pk, _, tag = message.event_key.removeprefix(EVENT).partition(":")
    body = one_time_links.filled(
        message, _waiting().filter(pk=int(pk), token_seed__startswith=tag), TOKEN_SALT
    )
    if body is None:
        raise NotToBeSent("not sent: the sign-up was confirmed or expired before its e-mail went")
    return body


def _waiting() -> QuerySet[SignUp]:
    return SignUp.objects.filter(NEVER_ACTIVE, expires_at__gt=clock.now())


def open_sign_up(token: str) -> SignUp | None:
    """The sign-up ``token`` confirms, while it waits (unconfirmed, unexpired); else None."""
    return _waiting().filter(token_hash=one_time_links.digest(token)).select_related("user").first()


def confirm(token: str, ip: str | None) -> User:
    """The sign-up's account, activated; the link is used up. Refused (410) when the link does not work,
    or when an active account took the address meanwhile (the owner of the address is the one asking); two
    sign-ups of one address confirmed at once go one after the other, so one opens."""
    with transaction.atomic():
        email = _waiting().filter(token_hash=one_time_links.digest(token)).values_list("user__email").first()
        if email is not None:  # every sign-up of the address locked, in key order: two confirm one by one
            same = SignUp.objects.filter(user__email__iexact=email[0]).order_by("pk")
            list(same.select_for_update(of=("self",)).values_list("pk"))
        row = (
            _waiting()
            .filter(token_hash=one_time_links.digest(token))
            .select_for_update(of=("self",))
            .select_related("user")
            .first()
        )
        if row is None:
            raise Refused(NO_SUCH_LINK, status=410)
        user = row.user
        if User.objects.filter(is_active=True, email__iexact=user.email).exists():
            raise Refused(NO_SUCH_LINK, status=410)
        row.confirmed_at = clock.now()
        row.save(update_fields=["confirmed_at"])
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(Actor(user, ip), "account.sign-up.confirm", "user", user.pk, old={"is_active": False})
    return user
