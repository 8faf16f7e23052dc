"""Bookings on a time the hall withdrew (a supervisor's closure or fewer counters, or extra hours the
supervisor withdrew, ``generation``).

Such a booking stays active, shown to the hall, and is marked by its slot (``Slot.withdrawn``): its pages
say why (the reasons of the changes that took its time, or why its extra hours were withdrawn) and offer another time, and it may be moved whatever the cut-off.
When a run of ``generation`` withdraws the slot, the account that booked and the applicant's own account
(if someone else booked) are told once, each in their language (``notices``, keyed by the booking).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from exitentry.accounts.models import Role, User
from exitentry.appointments import notices
from exitentry.appointments.models import Booking, Counter, DayOverride, Slot
from exitentry.appointments.opening import kept_counters
from exitentry.law.calendar import BEIJING
from exitentry.law.text import Text
from exitentry.messaging.models import Message

WITHDRAWING = (DayOverride.Kind.CLOSED, DayOverride.Kind.REDUCED_COUNTERS)
_NO_REASON = Text("The hall changed its opening that day.", "大厅调整了当天的开放安排。")


def reasons(bookings: Iterable[Booking]) -> dict[int, Text]:
    """Why each active booking on a withdrawn slot was withdrawn, by the booking's pk: the reasons of the
    changes that took its time (a closure of its day, fewer counters that leave out its counter, withdrawn
    extra hours it lies within), the earliest first; few queries for all of them. Bookings that are not
    withdrawn are left out."""
    marked = [b for b in bookings if b.state == Booking.State.ACTIVE and b.slot.withdrawn]
    if not marked:
        return {}
    by_day: dict[tuple[str, date], list[DayOverride]] = {}
    for o in DayOverride.everything.filter(
        Q(withdrawn_at=None, kind__in=WITHDRAWING)
        | Q(withdrawn_at__isnull=False, kind=DayOverride.Kind.EXTRA_HOURS),
        hall_id__in={b.slot.hall_id for b in marked},
        day__in={b.slot.day for b in marked},
    ).order_by("created_at", "pk"):
        by_day.setdefault((o.hall_id, o.day), []).append(o)
    active: dict[str, list[Counter]] = {}
    for c in Counter.objects.filter(hall_id__in={h for h, _ in by_day}, active=True).order_by("number"):
        active.setdefault(c.hall_id, []).append(c)
    said = {}
    for b in marked:
        overrides = by_day.get((b.slot.hall_id, b.slot.day), [])
        texts = [_text(o) for o in overrides if _took(o, b.slot, active.get(b.slot.hall_id, []))]
        said[b.pk] = _joined(texts) if texts else _NO_REASON
    return said


def _took(o: DayOverride, slot: Slot, active: list[Counter]) -> bool:
    """Whether ``o`` takes ``slot`` (of its hall and day), as ``generation`` decides from ``opening``:
    a closure every time of the day, fewer counters the times of the active counters it leaves out,
    withdrawn extra hours the times within them."""
    if o.kind == DayOverride.Kind.CLOSED:
        return True
    if o.kind == DayOverride.Kind.REDUCED_COUNTERS:
        left_out = {c.pk for c in active} - {c.pk for c in kept_counters(active, o.counters)}
        return slot.counter_id in left_out
    starts, ends = (t.astimezone(BEIJING).time() for t in (slot.starts_at, slot.ends_at))
    return o.opens <= starts and ends <= o.closes


def fewer(hall_id: str, first: date, last: date) -> list[DayOverride]:
    """The hall's changes from ``first`` to ``last`` that offer fewer times than its usual opening (a
    closure, fewer counters), by day: what the slot picker explains beside the day."""
    return list(
        DayOverride.objects.filter(
            hall_id=hall_id, day__gte=first, day__lte=last, kind__in=WITHDRAWING
        ).order_by("day", "created_at", "pk")
    )


def fewer_because(overrides: Iterable[DayOverride]) -> dict[date, Text]:
    """Why each day of ``overrides`` (one hall's, ``fewer``) offers fewer times: their reasons, by day."""
    return {day: text for (_, day), text in _said(overrides).items()}


def _said(overrides: Iterable[DayOverride]) -> dict[tuple[str, date], Text]:
    """The reasons of ``overrides`` joined by hall and day, the earliest change first."""
    said: dict[tuple[str, date], list[Text]] = {}
    for o in sorted(overrides, key=lambda o: (o.created_at, o.pk)):
        said.setdefault((o.hall_id, o.day), []).append(_text(o))
    return {key: _joined(texts) for key, texts in said.items()}


def _text(o: DayOverride) -> Text:
    """A change's reason; a withdrawn one's, why it was withdrawn."""
    return o.reason_text() if o.withdrawn_at is None else o.withdrawn_text()


def reason(booking: Booking) -> Text | None:
    """Why ``booking``'s time was withdrawn, or None while it stands."""
    return reasons([booking]).get(booking.pk)


def tell(slot_ids: Iterable[int]) -> int:
    """Tell the people of the active bookings on ``slot_ids`` (just withdrawn) that they must choose another
    time; how many bookings. A message already sent for a booking is not sent again."""
    bookings = list(
        Booking.objects.filter(slot_id__in=list(slot_ids), state=Booking.State.ACTIVE).select_related(
            "slot", "slot__counter", "booked_by"
        )
    )
    why = reasons(bookings)
    applicants: dict[int, list[User]] = {}
    for user in User.objects.filter(
        person_id__in={b.person_id for b in bookings}, role=Role.APPLICANT, is_active=True
    ):
        applicants.setdefault(user.person_id, []).append(user)
    for booking in bookings:
        key = f"booking:{booking.reference}:withdrawn"
        reason_text = _escaped(why[booking.pk])
        notices.notify(booking, "withdrawn", key=key, reason=reason_text)
        for user in applicants.get(booking.person_id, []):
            if user.pk != booking.booked_by_id:
                notices.notify(booking, "withdrawn", key=f"{key}:{user.pk}", to=user, reason=reason_text)
    return len(bookings)


@dataclass(frozen=True, slots=True)
class ToContact:
    """A booking left on a withdrawn time, as the hall sees it: whom to reach and what they were told."""

    booking: Booking
    accounts: list[User]  # the account that booked, then the applicant's own if someone else booked
    told: list[Message]  # the withdrawal notices ``tell`` recorded (queued, then sent by the worker)


def to_contact(references: Iterable[str]) -> list[ToContact]:
    """The bookings ``references`` with their case, applicant, accounts and withdrawal notices."""
    bookings = list(
        Booking.objects.filter(reference__in=list(references))
        .select_related("slot", "case", "person", "booked_by")
        .order_by("slot__starts_at", "reference")
    )
    own: dict[int, list[User]] = {}
    for user in User.objects.filter(
        person_id__in={b.person_id for b in bookings}, role=Role.APPLICANT, is_active=True
    ):
        own.setdefault(user.person_id, []).append(user)
    told: dict[str, list[Message]] = {b.reference: [] for b in bookings}
    keys = Q(pk__in=[])
    for reference in told:
        keys |= Q(event_key__startswith=f"booking:{reference}:withdrawn")
    for m in Message.objects.filter(keys).order_by("created_at", "pk"):
        told[m.event_key.split(":")[1]].append(m)
    return [
        ToContact(
            b,
            [b.booked_by, *(u for u in own.get(b.person_id, []) if u.pk != b.booked_by_id)],
            told[b.reference],
        )
        for b in bookings
    ]


def _joined(texts: list[Text]) -> Text:
    return Text("; ".join(t.en for t in texts), "；".join(t.zh for t in texts))


def _escaped(text: Text) -> Text:
    """The text as a value that ``notices`` formats twice (a brace a supervisor typed stays a brace)."""
    return Text(*(side.replace("{", "{{").replace("}", "}}") for side in (text.en, text.zh)))
