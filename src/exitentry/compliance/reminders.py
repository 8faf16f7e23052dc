"""Reminders of duties: ahead of each last day, and when it passes, to the person and to the unit they are
with, in the app, by e-mail and by SMS.

A run on a day (``remind``) gathers what to remind of in a few queries: the duties coming due
(``coming_due``, ahead) and the scan's open alerts (overdue, or for a permanent resident ID card the
renewal window now open); and whom: the person's own account and the handlers of the units the person is
with (``units.units_on``). Each (duty, cause, day, kind, account) is one ``Reminder`` row, unique by its
key, which the app lists; its e-mail and SMS (to an account with a mobile number) are outbox messages
keyed by the reminder and the channel, sent by the worker, retried while they fail, each send recorded
(``messaging``). A second run on the same day, or a run beside this one, makes nothing new.

The texts are the law's (the duty as the catalog says it, its citation) in the recipient's language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from exitentry.accounts.models import Role, Unit, User
from exitentry.cases.registry_facts import day_text
from exitentry.compliance.coming_due import coming_due
from exitentry.compliance.models import Alert, ChangeReport, Reminder
from exitentry.compliance.scan import SCANNED, Finding, described
from exitentry.compliance.units import units_on
from exitentry.law.halls import closed_on_last_day
from exitentry.law.rules.change_reports import PARTICULARS, PASSPORT_NUMBER, REASON
from exitentry.law.sources import Citation
from exitentry.law.text import Text
from exitentry.messaging import services as messaging
from exitentry.messaging.models import Message
from exitentry.registry.models import Person

BATCH = 500

_SUBJECTS = {
    "ahead": Text("Reminder: a last day on {day} ({name})", "提醒：{name}有一项事务须于{day}前办理"),
    "due": Text("Due now: the last day is {day} ({name})", "现应办理：{name}的事务须于{day}前办理"),
    "overdue": Text("Overdue: the last day was {day} ({name})", "逾期提醒：{name}的办理期限已于{day}届满"),
    "illegal": Text("Not covered since {day} ({name})", "自{day}起无合法停留居留依据（{name}）"),
}
_WHEN = {
    "ahead": Text("The last day is {day}.", "最后期限为{day}。"),
    "due": Text("The last day is {day}.", "最后期限为{day}。"),
    "overdue": Text(
        "The last day was {day}: please apply as soon as you can.", "最后期限{day}已过，请尽快办理。"
    ),
    "illegal": Text(
        "Since {day} the stay has not been covered by a visa, a permit or an acceptance receipt.",
        "自{day}起，停留居留已不在签证、停留居留证件或受理回执的有效期内。",
    ),
}
_WHEN_CLOSED = Text("{when} {closed}", "{when}{closed}")
_FOR_PERSON = Text("A reminder of a duty under the law.", "一项法定义务的提醒。")
_FOR_UNIT = Text(
    "A copy for {unit}: a reminder of a duty of {name}, who is with the unit.",
    "抄送{unit}：本单位人员{name}的一项法定义务提醒。",
)
_LINE = Text("{duty}. {when}", "{duty}。{when}")
_CHANGED = Text("{duty}. What changed: {what}", "{duty}。变更事项：{what}")
_BODY = Text(
    "{opening}\n\n{line}\nSource: {cite}\n\nYour reminders: {link}",
    "{opening}\n\n{line}\n依据：{cite}\n\n查看提醒：{link}",
)


def stage(reminder: Reminder) -> str:
    """How the reminder speaks of its day: ahead, due now (a renewal window open), overdue, or illegal
    residence (an overstay has a first day, not a last one)."""
    if reminder.kind == Reminder.Kind.AHEAD:
        return "ahead"
    if reminder.due_on is None:
        return "illegal"
    return "overdue" if reminder.due_on < reminder.created_on else "due"


@dataclass(frozen=True, slots=True)
class Said:
    """What a reminder says, in both languages: the subject, the duty, when, and where the law says so."""

    subject: Text
    opening: Text
    duty: Text
    when: Text
    cite: Citation

    @property
    def line(self) -> Text:
        """The duty and its day, as one sentence each."""
        return _LINE.format(duty=self.duty, when=self.when)

    def body(self) -> Text:
        return _BODY.format(opening=self.opening, line=self.line, cite=self.cite.label, link=_page_link())


def said(reminder: Reminder, reported: dict[int, str] | None = None) -> Said:
    """The words of ``reminder`` (its duty's numbers as in force on the day it was made); ``reported``:
    what the holder's reports changed, read for a page of reminders at once (``reported_particulars``)."""
    how = stage(reminder)
    day = day_text(reminder.since if how == "illegal" else reminder.due_on)
    name = str(reminder.person)
    duty, _ = described(reminder.ground_id, reminder.created_on)
    if (what := changed(reminder.cause_key, reported)) is not None:
        duty = _CHANGED.format(duty=duty, what=what)
    opening = _FOR_UNIT.format(unit=reminder.unit.names, name=name) if reminder.unit_id else _FOR_PERSON
    return Said(
        subject=_SUBJECTS[how].format(day=day, name=name),
        opening=opening,
        duty=duty,
        when=_when(how, reminder.due_on, day),
        cite=Citation(reminder.source_id, reminder.section),
    )


def _when(how: str, due_on: date | None, day: Text) -> Text:
    """When the duty is due; a last day still ahead on which every hall is closed comes with the last day
    one is open before it (``halls.closed_on_last_day``)."""
    when = _WHEN[how].format(day=day)
    closed = closed_on_last_day(due_on) if how in ("ahead", "due") and due_on is not None else None
    return _WHEN_CLOSED.format(when=when, closed=closed) if closed else when


def reported_particulars(cause_keys: Iterable[str]) -> dict[int, str]:
    """What each holder's report the change-of-particulars causes ``cause_keys`` name
    (``permit:<id>:change:<report>``) changed, by report: one query for them all (a page of reminders)."""
    ids = set()
    for cause_key in cause_keys:
        parts = cause_key.split(":")
        if len(parts) == 4 and parts[0] == "permit" and parts[2] == "change" and parts[3].isdigit():
            ids.add(int(parts[3]))
    return dict(ChangeReport.objects.filter(pk__in=ids).values_list("pk", "particular")) if ids else {}


def changed(cause_key: str, reported: dict[int, str] | None = None) -> Text | None:
    """The particular a change-of-particulars duty is for, from its cause (``scan.changes_reported``,
    ``coming_due``): a new travel document changes the passport number, a unit's report the reason for
    residence, a holder's report the particular it names (from ``reported`` where the caller read them,
    ``reported_particulars``); None for any other cause."""
    parts = cause_key.split(":")
    if len(parts) != 4 or parts[0] != "permit" or not parts[3].isdigit():
        return None
    if parts[2] == "document":
        return PARTICULARS[PASSPORT_NUMBER]
    if parts[2] == "report":
        return PARTICULARS[REASON]
    if parts[2] == "change":
        particular = (reported if reported is not None else reported_particulars([cause_key])).get(
            int(parts[3])
        )
        return PARTICULARS.get(particular) if particular else None
    return None


def _page_link() -> Text:
    def url(language: str) -> str:
        with translation.override(language):
            return settings.EXITENTRY_SITE_URL + reverse("web:my_reminders")

    return Text(url("en"), url("zh-hans"))


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run did: reminders made by kind, messages queued by channel, reminders made before."""

    on: date
    made: Counter
    messages: Counter
    already: int


def to_remind(on: date) -> list[tuple[str, Finding]]:
    """The duties coming due on ``on`` and the scan's open alerts, each with its kind (a follow-up for the
    hall is the officer's work, not a duty of the person's)."""
    ahead = [(Reminder.Kind.AHEAD, f) for f in coming_due(on)]
    alerts = Alert.objects.filter(
        closed_on__isnull=True, opened_on__lte=on, ground_id__in=SCANNED
    ).values_list("person_id", "ground_id", "cause_key", "due_on", "since")
    return ahead + [(Reminder.Kind.OVERDUE, Finding(*row)) for row in alerts.iterator()]


def recipients(person_ids: Iterable[int], on: date) -> dict[int, list[tuple[User, int | None]]]:
    """Whom to remind about each person: their own active account (unit None), and the active handlers
    of each unit the person is with on ``on`` (with the unit)."""
    ids = sorted(set(person_ids))
    found: dict[int, list[tuple[User, int | None]]] = {pk: [] for pk in ids}
    units = units_on(ids, on)
    handlers: dict[int, list[User]] = {}
    for user in User.objects.filter(
        role=Role.UNIT, is_active=True, unit_id__in={u for us in units.values() for u in us}
    ):
        handlers.setdefault(user.unit_id, []).append(user)
    for start in range(0, len(ids), BATCH):
        for user in User.objects.filter(person_id__in=ids[start : start + BATCH], is_active=True):
            found[user.person_id].append((user, None))
    for person_id, unit_ids in units.items():
        found[person_id] += [
            (user, unit_id) for unit_id in sorted(unit_ids) for user in handlers.get(unit_id, [])
        ]
    return found


def key_of(kind: str, finding: Finding, user: User) -> str:
    day = finding.due_on or finding.since
    return f"{finding.ground_id}:{finding.cause_key}:{day.isoformat()}:{kind}:user:{user.pk}"


def remind(on: date) -> Summary:
    """Make the reminders of ``on`` that were not made before, and queue their messages."""
    items = to_remind(on)
    whom = recipients((f.person_id for _, f in items), on)
    wanted = {
        key_of(kind, f, user): (kind, f, user, unit_id)
        for kind, f in items
        for user, unit_id in whom[f.person_id]
    }
    keys = sorted(wanted)
    known: set[str] = set()
    for start in range(0, len(keys), BATCH):
        known.update(
            Reminder.objects.filter(key__in=keys[start : start + BATCH]).values_list("key", flat=True)
        )
    new = [key for key in keys if key not in known]
    people = Person.objects.in_bulk({wanted[key][1].person_id for key in new})
    units = Unit.objects.in_bulk({wanted[key][3] for key in new} - {None})
    reported = reported_particulars(wanted[key][1].cause_key for key in new)
    made: Counter = Counter()
    messages: Counter = Counter()
    for key in new:
        kind, finding, user, unit_id = wanted[key]
        _, cite = described(finding.ground_id, on)
        reminder = Reminder(
            key=key,
            user=user,
            person=people[finding.person_id],
            unit=units.get(unit_id),
            kind=kind,
            ground_id=finding.ground_id,
            cause_key=finding.cause_key,
            source_id=cite.source,
            section=cite.section,
            due_on=finding.due_on,
            since=finding.since,
            created_on=on,
        )
        try:
            with transaction.atomic():
                reminder.save(force_insert=True)
                for channel in _send(
                    reminder, reported, None if unit_id else acting_unit(whom[finding.person_id])
                ):
                    messages[channel] += 1
        except IntegrityError:  # a run beside this one made it first
            continue
        made[kind] += 1
    return Summary(on=on, made=made, messages=messages, already=len(known))


def acting_unit(whom: list[tuple[User, int | None]]) -> User | None:
    """Of a person's recipients (``recipients``), the first unit handler with a language: the unit acting
    for them, whose language their own account's falls back to (``messaging.language_of``)."""
    return next((user for user, unit_id in whom if unit_id is not None and user.language), None)


def _send(reminder: Reminder, reported: dict[int, str], acting: User | None = None) -> list[str]:
    """Queue the reminder's e-mail and SMS, to the accounts with an e-mail address or a mobile number, in
    the account's language, else ``acting``'s (``messaging.language_of``); the channels."""
    words = said(reminder, reported)
    body = words.body()
    channels = []
    if reminder.user.email:
        channels.append((Message.Channel.EMAIL, reminder.user.email))
    if reminder.user.phone:
        channels.append((Message.Channel.SMS, reminder.user.phone))
    for channel, address in channels:
        messaging.send(
            f"reminder:{reminder.key}:{channel}",
            reminder.user,
            words.subject,
            body,
            channel=channel,
            address=address,
            person_id=reminder.person_id,
            acting=acting,
        )
    return [channel for channel, _ in channels]
