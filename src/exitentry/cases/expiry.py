"""Drafts expire: a project policy, not a rule of the sources (they know no drafts).

A draft keeps its filer's mandate over the person open (``access.mandate``), so a draft a proxy, agency or
unit leaves behind would let it read the person's permits for good. A draft untouched for
``EXITENTRY_DRAFT_EXPIRY_DAYS`` days (default 60) is therefore closed as expired (state ``expired``,
``closed_on`` that day, an event and an audit entry ``case.expire`` naming the reason) by a daily task
(``cases.tasks.expire_drafts``), and the mandate then ends after ``access.MANDATE_GRACE`` like any other;
the passports its person gave as claims that no live case refers to go with it (``cases.claims``).
Sixty days leaves time to gather materials that take weeks (a document legalised abroad, an employer's
letters), is twice the mandate's grace, and still ends a forgotten errand's reach within a season.

Changing a draft every few weeks would keep it, and so the mandate, alive for good: whatever its changes, a
draft also expires ``EXITENTRY_DRAFT_MAX_DAYS`` days (default 180) after it was started (``created_at``),
then closed as an untouched one is, with its own reason. Half a year is three times the untouched period,
time enough for the slowest papers from abroad; an errand that needs longer is started again.

Days are Beijing's: a draft last changed (started, its facts changed, a file uploaded: ``touched_at``) on
day D expires on D + the days. ``REMIND_AHEAD`` days before, the filer, and the applicant when someone
else filed, are reminded through the outbox, and told when it has expired, each in their language. A
message is keyed by the draft, its expiry day and the recipient, and a draft is closed only while it is
one, so a second run on a day closes and sends nothing more.

Every draft is reminded before it closes, and closes no sooner than ``REMIND_AHEAD`` after its first
reminder (``Case.expiry_reminded_on``, the day the run first found it expiring within the week). Run daily,
that is the day above; a draft the run reaches late (its first run after the cap came in, daily runs
missed) is reminded then and closes a week later, on the day its reminder names. A change that puts the
expiry off (the untouched days start again) forgets the reminder; a change to a draft the cap closes does
not, so changes never put that day off. The notice of expiry names the day the draft was closed
(``closed_on``).
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
from exitentry.cases import claims
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
_CAPPED_REMINDER = (
    _REMINDER[0],
    Text(
        "The draft application “{procedure}” for {name} was started on {started}. Unless it is submitted, it "
        "is closed as expired on {day}, {cap} days after it was started, however often it is changed (a "
        "policy of this service).\n\nOpen the draft: {link}",
        "为{name}办理的草稿申请“{procedure}”于{started}发起。如不提交，将于{day}作为过期申请关闭："
        "草稿自发起之日起{cap}日关闭，无论其间是否修改（本服务的规定）。\n\n打开草稿：{link}",
    ),
)
_CAPPED_EXPIRED = (
    _EXPIRED[0],
    Text(
        "The draft application “{procedure}” for {name}, started on {started}, was closed as expired on "
        "{day}: drafts are closed {cap} days after they were started, however often they are changed (a "
        "policy of this service). A new application can be started at any time.\n\nThe closed draft: {link}",
        "为{name}办理的草稿申请“{procedure}”于{started}发起，已于{day}作为过期申请关闭：草稿自发起之日起"
        "{cap}日关闭，无论其间是否修改（本服务的规定）。可随时重新发起申请。\n\n已关闭的草稿：{link}",
    ),
)
REASON = "untouched for the draft expiry period"
CAPPED_REASON = "started longer ago than the drafts' longest life"


def period() -> timedelta:
    return timedelta(days=settings.EXITENTRY_DRAFT_EXPIRY_DAYS)


def longest() -> timedelta:
    """How long a draft lives at most from its start, however often it is changed."""
    return timedelta(days=settings.EXITENTRY_DRAFT_MAX_DAYS)


def capped(case: Case) -> bool:
    """Whether ``case``'s start, not its last change, decides when it expires."""
    return beijing_today(case.created_at) + longest() <= beijing_today(case.touched_at) + period()


def expires_on(case: Case) -> date | None:
    """The day ``case`` expires if left as it is (untouched for ``period``, or ``longest`` after its
    start, whichever comes first, but no sooner than ``REMIND_AHEAD`` after its first reminder); None once
    it is no draft."""
    if case.state != State.DRAFT:
        return None
    day = min(beijing_today(case.touched_at) + period(), beijing_today(case.created_at) + longest())
    if case.expiry_reminded_on is not None:
        return max(day, case.expiry_reminded_on + REMIND_AHEAD)
    return day


def days_left(case: Case, on: date) -> int | None:
    day = expires_on(case)
    return None if day is None else max(0, (day - on).days)


def touch(case: Case) -> None:
    """Record a change to ``case`` now (its expiry starts again)."""
    changed(case)
    Case.objects.filter(pk=case.pk).update(
        touched_at=case.touched_at, expiry_reminded_on=case.expiry_reminded_on
    )


def changed(case: Case) -> tuple[str, str]:
    """Stamp ``case`` changed now, unsaved: the untouched days start again, and the reminder is forgotten
    unless the cap still decides its day; the fields to save."""
    case.touched_at = clock.now()
    if not capped(case):
        case.expiry_reminded_on = None
    return "touched_at", "expiry_reminded_on"


def _expiring_by(day: date) -> Q:
    """The drafts that expire on ``day`` or before (``expires_on``)."""
    untouched = day - period() + timedelta(days=1)  # a draft touched on this day or later is kept
    started = day - longest() + timedelta(days=1)
    return Q(state=State.DRAFT) & (
        Q(touched_at__lt=datetime.combine(untouched, time.min, BEIJING))
        | Q(created_at__lt=datetime.combine(started, time.min, BEIJING))
    )


@dataclass(frozen=True, slots=True)
class Summary:
    on: date
    expired: int
    reminded: int


def run(on: date) -> Summary:
    """Close the drafts that expire by ``on``, then remind of those expiring within ``REMIND_AHEAD``: all
    at once, in as many queries for a thousand drafts as for one."""
    expired = _expire(on)
    expiring = Case.objects.filter(_expiring_by(on + REMIND_AHEAD))
    expiring.filter(expiry_reminded_on__isnull=True).update(expiry_reminded_on=on)
    soon = list(expiring.select_related("person", "submitted_by"))
    own = _own_accounts({c.person_id for c in soon})
    texts = {False: _REMINDER, True: _CAPPED_REMINDER}
    messaging.send_each(
        [m for c in soon for m in _messages(c, "reminder", texts[capped(c)], expires_on(c), own)]
    )
    return Summary(on, expired, len(soon))


def _expire(on: date) -> int:
    """Close the drafts that expire by ``on`` and were reminded ``REMIND_AHEAD`` before, locked, each with
    its event, audit entry and notices; how many."""
    with transaction.atomic():
        due = list(
            Case.objects.select_for_update(of=("self",), no_key=True)
            .select_related("person", "submitted_by")
            .filter(_expiring_by(on), expiry_reminded_on__lte=on - REMIND_AHEAD)
            .order_by("pk")
        )
        if not due:
            return 0
        claims.lock_people({case.person_id for case in due})  # before the audit entries (``steps``' order)
        own = _own_accounts({case.person_id for case in due})
        texts = {False: _EXPIRED, True: _CAPPED_EXPIRED}
        notices = [m for case in due for m in _messages(case, "expired", texts[capped(case)], on, own)]
        Case.objects.filter(pk__in=[case.pk for case in due]).update(state=State.EXPIRED, closed_on=on)
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                action=EXPIRE,
                from_state=State.DRAFT,
                to_state=State.EXPIRED,
                actor=None,
                note=_reason(case),
            )
            for case in due
        )
        changes = [(case.pk, *_change(case, on)) for case in due]
        record_each(SYSTEM, f"case.{EXPIRE}", "case", changes)
        claims.drop_left(SYSTEM, due, EXPIRE)  # their claims no intake will check now
        messaging.send_each(notices)
    return len(due)


def _reason(case: Case) -> str:
    return f"{CAPPED_REASON} ({longest().days} days)" if capped(case) else REASON


def _change(case: Case, on: date) -> tuple[dict, dict]:
    """The audit entry's old and new values of ``case`` expiring on ``on``."""
    old = {"state": State.DRAFT, "touched_on": beijing_today(case.touched_at).isoformat()}
    new = {"state": State.EXPIRED, "closed_on": on.isoformat(), "reason": _reason(case)}
    if capped(case):
        return old, new | {"days": longest().days, "started_on": beijing_today(case.created_at).isoformat()}
    return old, new | {"days": period().days}


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
        "started": day_text(beijing_today(case.created_at)),
        "cap": longest().days,
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
            acting=None if user.pk == case.submitted_by_id else case.submitted_by,  # the filer acts for them
        )
        for user in recipients(case, own)
    ]


def _link(case: Case) -> Text:
    def url(language: str) -> str:
        with translation.override(language):
            return settings.EXITENTRY_SITE_URL + reverse("web:my_case", kwargs={"case_id": case.pk})

    return Text(url("en"), url("zh-hans"))
