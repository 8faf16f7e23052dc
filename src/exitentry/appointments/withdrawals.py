"""Bookings on a time the hall withdrew (a supervisor's closure or fewer counters, extra hours the
supervisor withdrew, or the booking's counter turned off, ``generation``), and bookings whose time a
withdrawn change gives back.

Such a booking stays active, shown to the hall, and is marked by its slot (``Slot.withdrawn``): its pages
say why (``explain``: the reasons of the changes that took its time, or why its extra hours were withdrawn;
its counter closed, in the law core's words with their sources, ``law.halls.counter_closed``) and offer
another time, and it may be moved whatever the cut-off. When a run of ``generation`` withdraws the slot,
the account that booked and the applicant's own account (if someone else booked) are told once, each in
their language (``notices``, keyed by the booking and its count of withdrawals: again after its time stood
again and was taken anew).

When a supervisor withdraws the closure or fewer counters that took it, and its time is offered again, the
same people are told it stands (``tell_restored``, keyed by the booking and the withdrawn change: once),
unless its holder cancelled or moved it meanwhile; its pages say so (``restorations``). Where its time is
given back otherwise (its counter turned on again, ``counters``; a run of ``generation``), they are told
its counter receives at that time again. Each withdrawal and restoration is counted on the booking
(``Booking.withdrawn_count``, ``restored_count``, ``restored_by``): the keys of the messages name the count,
and the pages read the booking, never the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q

from exitentry.accounts.models import Role, User
from exitentry.appointments import notices
from exitentry.appointments.models import Booking, Counter, DayOverride, Slot
from exitentry.appointments.opening import kept_counters
from exitentry.law import halls as law_halls
from exitentry.law.calendar import BEIJING
from exitentry.law.sources import Citation
from exitentry.law.text import Text
from exitentry.messaging.models import Message

WITHDRAWING = (DayOverride.Kind.CLOSED, DayOverride.Kind.REDUCED_COUNTERS)
_NO_REASON = Text("The hall changed its opening that day.", "大厅调整了当天的开放安排。")


HALL_DAY, COUNTER_CLOSED = "hall_day", "counter_closed"  # what took a booking's time (``Withdrawn.kind``)


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """Why a booking's time was withdrawn: ``HALL_DAY`` (a change of its day: the supervisors' reasons) or
    ``COUNTER_CLOSED`` (its counter turned off: the law core's words, with the sources they cite)."""

    text: Text
    kind: str = HALL_DAY
    cite: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Restored:
    """Why a booking's time stands again: ``HALL_DAY`` (a change of its day withdrawn: why it was withdrawn)
    or ``COUNTER_CLOSED`` (its counter receives again: the law core's words, with the sources they cite)."""

    text: Text
    kind: str = HALL_DAY
    cite: tuple[Citation, ...] = ()


def explain(bookings: Iterable[Booking]) -> dict[int, Withdrawn]:
    """Why each active booking on a withdrawn slot was withdrawn, by the booking's pk: the reasons of the
    changes that took its time (a closure of its day, fewer counters that leave out its counter, withdrawn
    extra hours it lies within), the earliest first; where none took it and its counter is turned off, that
    its counter closed; few queries for all of them. Bookings that are not withdrawn are left out."""
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
    said, untold = {}, []
    for b in marked:
        overrides = by_day.get((b.slot.hall_id, b.slot.day), [])
        texts = [_text(o) for o in overrides if _took(o, b.slot, active.get(b.slot.hall_id, []))]
        if texts:
            said[b.pk] = Withdrawn(_joined(texts))
        else:
            untold.append(b)
    closed = dict(
        Counter.objects.filter(pk__in={b.slot.counter_id for b in untold}, active=False).values_list(
            "pk", "number"
        )
    )
    for b in untold:
        number = closed.get(b.slot.counter_id)
        said[b.pk] = (
            Withdrawn(_NO_REASON)
            if number is None
            else Withdrawn(law_halls.counter_closed(number), COUNTER_CLOSED, law_halls.COUNTER_CLOSED_CITE)
        )
    return said


def reasons(bookings: Iterable[Booking]) -> dict[int, Text]:
    """``explain``'s words alone, by the booking's pk."""
    return {pk: why.text for pk, why in explain(bookings).items()}


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


def reason(booking: Booking) -> Withdrawn | None:
    """Why ``booking``'s time was withdrawn, or None while it stands."""
    return explain([booking]).get(booking.pk)


def withdrawn_key(reference: str, count: int) -> str:
    """The key of the ``count``-th withdrawal message of a booking (to the account that booked; another
    account's copy adds its pk): the first keeps the plain key, each later one names its count."""
    base = f"booking:{reference}:withdrawn"
    return base if count <= 1 else f"{base}:again-{count}"


def tell(slot_ids: Iterable[int]) -> int:
    """Tell the people of the active bookings on ``slot_ids`` (just withdrawn) that they must choose another
    time, and why (``explain``: a counter closed has a message of its own); how many bookings. Each time a
    booking's time is taken counts (``Booking.withdrawn_count``), and its message is keyed by that count
    (``withdrawn_key``): sent once, and again after its time stood again and was taken anew."""
    active = Booking.objects.filter(slot_id__in=list(slot_ids), state=Booking.State.ACTIVE)
    active.update(withdrawn_count=F("withdrawn_count") + 1)  # counted, then read: their rows stay locked
    bookings = list(active.select_related("slot", "slot__counter", "booked_by"))
    why = explain(bookings)
    applicants = _applicants(bookings)
    for booking in bookings:
        key = withdrawn_key(booking.reference, booking.withdrawn_count)
        said = why[booking.pk]
        event = "counter_closed" if said.kind == COUNTER_CLOSED else "withdrawn"
        values = {"reason": _escaped(said.text), "cite": _escaped(_labels(said.cite))}
        notices.notify(booking, event, key=key, **values)
        for user in applicants.get(booking.person_id, []):
            if user.pk != booking.booked_by_id:
                notices.notify(booking, event, key=f"{key}:{user.pk}", to=user, **values)
    return len(bookings)


def tell_restored(
    references: Iterable[str], override: DayOverride | None = None, counter_switched: bool = False
) -> int:
    """Tell the people of the bookings ``references`` (active, on times just offered again) that their
    appointment stands as booked: where the withdrawal of ``override`` (a closure or fewer counters) gave
    them back, with why the change was withdrawn (keyed by the booking and the change: once); otherwise
    that its counter receives at that time where ``counter_switched`` (its counter turned on again, the
    cause passed by ``services.switch_counter``), else that the time is open again (the cause unknown to
    the run: the hall's hours or calendar), in the law core's words (keyed by the booking's
    ``restored_count``). Each booking keeps what
    gave it back (``restored_by``, read by ``restorations``). A booking no longer active (its holder
    cancelled or moved it) is told nothing; how many bookings were told."""
    standing = Booking.objects.filter(
        reference__in=list(references), state=Booking.State.ACTIVE, slot__withdrawn=False
    )
    standing.update(
        restored_count=F("restored_count") + 1,
        restored_by=override,
        restored_by_counter=override is None and counter_switched,
    )  # counted, then read: their rows stay locked
    bookings = list(standing.select_related("slot", "slot__counter", "booked_by"))
    applicants = _applicants(bookings)
    for booking in bookings:
        if override is not None:
            event, key = "restored", f"booking:{booking.reference}:restored:{override.pk}"
            values = {"reason": override.reason_text(), "withdrawn": override.withdrawn_text()}
        else:
            event = "reopened"
            key = f"booking:{booking.reference}:restored:again-{booking.restored_count}"
            values = {
                "reason": _reopened(booking.restored_by_counter, booking.slot.counter.number).text,
                "cite": _labels(_reopened(booking.restored_by_counter, booking.slot.counter.number).cite),
            }
        values = {name: _escaped(text) for name, text in values.items()}
        notices.notify(booking, event, key=key, **values)
        for user in applicants.get(booking.person_id, []):
            if user.pk != booking.booked_by_id:
                notices.notify(booking, event, key=f"{key}:{user.pk}", to=user, **values)
    return len(bookings)


def restorations(bookings: Iterable[Booking]) -> dict[int, Restored]:
    """For each active booking whose time stands again (its slot offered, its holder told so by
    ``tell_restored``), by the booking's pk: why the change that had taken it was withdrawn, or that its
    counter receives at that time again; read from the bookings (``restored_by``), with one query for the
    changes and one for the counters, if any."""
    standing = [
        b for b in bookings if b.state == Booking.State.ACTIVE and not b.slot.withdrawn and b.restored_count
    ]
    changes = DayOverride.everything.in_bulk({b.restored_by_id for b in standing if b.restored_by_id})
    numbers = {}
    if counters := {b.slot.counter_id for b in standing if not b.restored_by_id}:
        numbers = dict(Counter.objects.filter(pk__in=counters).values_list("pk", "number"))
    said = {}
    for b in standing:
        if b.restored_by_id is None:
            said[b.pk] = _reopened(b.restored_by_counter, numbers[b.slot.counter_id])
        elif b.restored_by_id in changes:
            said[b.pk] = Restored(changes[b.restored_by_id].withdrawn_text())
    return said


def _reopened(by_counter: bool, number: int) -> Restored:
    """A time given back otherwise than by a withdrawn change: its counter turned on again, or a cause the
    run did not know (the law core's words, with their sources; shown as the counter's are)."""
    if by_counter:
        return Restored(law_halls.counter_reopened(number), COUNTER_CLOSED, law_halls.COUNTER_REOPENED_CITE)
    return Restored(law_halls.time_reopened(), COUNTER_CLOSED, law_halls.TIME_REOPENED_CITE)


def _applicants(bookings: list[Booking]) -> dict[int, list[User]]:
    """The applicants' own active accounts, by person."""
    applicants: dict[int, list[User]] = {}
    for user in User.objects.filter(
        person_id__in={b.person_id for b in bookings}, role=Role.APPLICANT, is_active=True
    ):
        applicants.setdefault(user.person_id, []).append(user)
    return applicants


def _labels(cite: tuple[Citation, ...]) -> Text:
    return _joined([c.label for c in cite]) if cite else Text("", "")


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
    own = _applicants(bookings)
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
