"""Drafts expire: a project policy, not a rule of the sources (they know no drafts).

A draft keeps its filer's mandate over the person open (``access.mandate``), so a draft a proxy, agency or
unit leaves behind would let it read the person's permits for good. A draft untouched for
``EXITENTRY_DRAFT_EXPIRY_DAYS`` days (default 60) is therefore closed as expired (state ``expired``,
``closed_on`` that day, an event and an audit entry ``case.expire`` naming the reason) by a daily task
(``cases.tasks.expire_drafts``), and the mandate then ends after ``access.MANDATE_GRACE`` like any other.
Sixty days leaves time to gather materials that take weeks (a document legalised abroad, an employer's
letters), is twice the mandate's grace, and still ends a forgotten errand's reach within a season.

Days are Beijing's: a draft last changed (started, its facts changed, a file uploaded: ``touched_at``) on
day D expires on D + the days. ``REMIND_AHEAD`` days before, the filer, and the applicant when someone
else filed, are reminded through the outbox, and told when it has expired, each in their language. A
message is keyed by the draft, its expiry day and the recipient, and a draft is closed only while it is
one, so a second run on a day closes and sends nothing more.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from exitentry import clock
from exitentry.accounts.audit import Actor, record_each
from exitentry.accounts.models import Role, User
from exitentry.cases.lifecycle import EXPIRE, State
from exitentry.cases.models import Case, CaseEvent
from exitentry.law.calendar import BEIJING, beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.text import Text, day_text
from exitentry.messaging import services as messaging
from exitentry.messaging.models import Message

REMIND_AHEAD = timedelta(days=7)
"""How long before expiry the reminder goes (project policy): a week to change or submit the draft."""
SYSTEM = Actor(None, None)

_REMINDER = (
    Text("A draft expires on {day}: {procedure}", "草稿申请将于{day}过期：{procedure}"),
    Text(
        "The draft application “{procedure}” for {name} has not been changed since {touched}. Unless it is "
        "changed or submitted, it is closed as expired on {day}: drafts untouched for {days} days are closed "
        "(a policy of this service).\n\nOpen the draft: {link}",
        "为{name}办理的草稿申请“{procedure}”自{touched}起未作修改。如不修改或提交，将于{day}作为过期申请关闭："
        "草稿{days}日未处理即关闭（本服务的规定）。\n\n打开草稿：{link}",
    ),
)
_EXPIRED = (
    Text("A draft has expired: {procedure}", "草稿申请已过期：{procedure}"),
    Text(
        "The draft application “{procedure}” for {name}, unchanged since {touched}, was closed as expired on "
        "{day}: drafts untouched for {days} days are closed (a policy of this service). A new application "
        "can be started at any time.\n\nThe closed draft: {link}",
        "为{name}办理的草稿申请“{procedure}”自{touched}起未作修改，已于{day}作为过期申请关闭："
        "草稿{days}日未处理即关闭（本服务的规定）。可随时重新发起申请。\n\n已关闭的草稿：{link}",
    ),
)
REASON = "untouched for the draft expiry period"


def period() -> timedelta:
    return timedelta(days=settings.EXITENTRY_DRAFT_EXPIRY_DAYS)


def expires_on(case: Case) -> date | None:
    """The day ``case`` expires if left as it is; None once it is no draft."""
    if case.state != State.DRAFT:
        return None
    return beijing_today(case.touched_at) + period()


def days_left(case: Case, on: date) -> int | None:
    day = expires_on(case)
    return None if day is None else max(0, (day - on).days)


def touch(case: Case) -> None:
    """Record a change to ``case`` now (its expiry starts again)."""
    case.touched_at = clock.now()
    Case.objects.filter(pk=case.pk).update(touched_at=case.touched_at)


def _touched_before(day: date) -> Q:
    return Q(state=State.DRAFT, touched_at__lt=datetime.combine(day, time.min, BEIJING))


@dataclass(frozen=True, slots=True)
class Summary:
    on: date
    expired: int
    reminded: int


def run(on: date) -> Summary:
    """Close the drafts that expire by ``on``, then remind of those expiring within ``REMIND_AHEAD``: all
    at once, in as many queries for a thousand drafts as for one."""
    first_kept = on - period() + timedelta(days=1)  # a draft touched on this day or later is kept today
    expired = _expire(first_kept, on)
    soon = list(
        Case.objects.filter(_touched_before(first_kept + REMIND_AHEAD)).select_related(
            "person", "submitted_by"
        )
    )
    own = _own_accounts({c.person_id for c in soon})
    messaging.send_each([m for c in soon for m in _messages(c, "reminder", _REMINDER, expires_on(c), own)])
    return Summary(on, expired, len(soon))


def _expire(first_kept: date, on: date) -> int:
    """Close the drafts untouched since before ``first_kept``, locked, each with its event, audit entry and
    notices; how many."""
    with transaction.atomic():
        due = list(
            Case.objects.select_for_update(of=("self",))
            .select_related("person", "submitted_by")
            .filter(_touched_before(first_kept))
            .order_by("pk")
        )
        if not due:
            return 0
        own = _own_accounts({case.person_id for case in due})
        notices = [m for case in due for m in _messages(case, "expired", _EXPIRED, expires_on(case), own)]
        Case.objects.filter(pk__in=[case.pk for case in due]).update(state=State.EXPIRED, closed_on=on)
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                action=EXPIRE,
                from_state=State.DRAFT,
                to_state=State.EXPIRED,
                actor=None,
                note=REASON,
            )
            for case in due
        )
        new = {"state": State.EXPIRED, "closed_on": on.isoformat(), "reason": REASON, "days": period().days}
        changes = [
            (case.pk, {"state": State.DRAFT, "touched_on": beijing_today(case.touched_at).isoformat()}, new)
            for case in due
        ]
        record_each(SYSTEM, f"case.{EXPIRE}", "case", changes)
        messaging.send_each(notices)
    return len(due)


def recipients(case: Case, own: Mapping[int, list[User]]) -> list[User]:
    """The filer, and the applicant's own account when someone else filed (active accounts only);
    ``own``: the people's own accounts (``_own_accounts``), read once for all the run's drafts."""
    found = [case.submitted_by] if case.submitted_by.is_active else []
    accounts = own.get(case.person_id, [])
    return found + [u for u in accounts if u.pk != case.submitted_by_id]


def _own_accounts(person_ids: Collection[int]) -> dict[int, list[User]]:
    """The active applicant accounts of the people ``person_ids``, by person, in one query."""
    found: dict[int, list[User]] = {}
    for user in User.objects.filter(person_id__in=person_ids, role=Role.APPLICANT, is_active=True).order_by(
        "pk"
    ):
        found.setdefault(user.person_id, []).append(user)
    return found


def _messages(
    case: Case, kind: str, texts: tuple[Text, Text], day: date, own: Mapping[int, list[User]]
) -> list[Message]:
    """The reminder or the notice of ``case``'s expiry on ``day`` to each recipient, keyed so that it is
    sent once (``own``: as ``recipients`` takes it)."""
    subject, body = texts
    values = {
        "procedure": catalog().procedure(case.procedure_id).title,
        "name": str(case.person),
        "touched": day_text(beijing_today(case.touched_at)),
        "day": day_text(day),
        "days": period().days,
        "link": _link(case),
    }
    return [
        messaging.message(
            f"draft-{kind}:{case.pk}:{day.isoformat()}:{user.pk}",
            user,
            subject.format(**values),
            body.format(**values),
            person_id=case.person_id,
        )
        for user in recipients(case, own)
    ]


def _link(case: Case) -> Text:
    def url(language: str) -> str:
        with translation.override(language):
            return settings.EXITENTRY_SITE_URL + reverse("web:my_case", kwargs={"case_id": case.pk})

    return Text(url("en"), url("zh-hans"))
