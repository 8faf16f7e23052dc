"""Slots generated ahead from each day's opening, idempotently: running it twice creates nothing new.

Each day is brought to what its opening (``opening``) says. A slot the day no longer holds is deleted if
it was never booked; one with a booking is kept and marked ``withdrawn``, its booking active and shown to
the hall (on a closed day the hall contacts the person, who may move it whatever the cut-off), never
deleted; its people are told (``withdrawals``). A withdrawn slot the day holds again is restored, and the
active bookings on it are named (``Generated.reopened``) and their people told it stands, whoever runs it
(the nightly run, a counter turned on, a change withdrawn). A new slot that would overlap a kept one of the same counter is not made. A counter's slot
length is the longest among the categories it serves (``SlotLength``; ``*`` for the rest), so every case
it serves fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef

from exitentry.appointments import withdrawals
from exitentry.appointments.models import Booking, Counter, DayOverride, Slot, SlotLength
from exitentry.appointments.opening import opening
from exitentry.appointments.slots import slot_times
from exitentry.law.catalog import catalog

DEFAULT_SLOT_MINUTES = 15  # where an administrator has set no length, not even for "*"


@dataclass
class Generated:
    """What a run changed: slots created, deleted, withdrawn (kept for their booking) and restored."""

    created: int = 0
    deleted: int = 0
    withdrawn: int = 0
    restored: int = 0
    flagged: list[str] = field(default_factory=list)  # references of bookings on a withdrawn slot
    reopened: list[str] = field(default_factory=list)  # references of active bookings on a restored slot

    def add(self, other: Generated) -> None:
        self.created += other.created
        self.deleted += other.deleted
        self.withdrawn += other.withdrawn
        self.restored += other.restored
        self.flagged += other.flagged
        self.reopened += other.reopened


def slot_minutes(counter: Counter, lengths: dict[str, int]) -> int:
    default = lengths.get("*", DEFAULT_SLOT_MINUTES)
    return max(lengths.get(c, default) for c in (counter.categories or ["*"]))


def generate(
    start: date, weeks: int, hall_ids: list[str] | None = None, switched_on: int | None = None
) -> Generated:
    """Bring every day from ``start`` for ``weeks`` weeks, at every hall (or those named), up to date;
    ``switched_on``: the counter (pk) just turned on, the cause of the times it gives back."""
    total = Generated()
    for hall_id in hall_ids or sorted(catalog().halls):
        for offset in range(7 * weeks):
            total.add(regenerate_day(hall_id, start + timedelta(days=offset), switched_on=switched_on))
    return total


@transaction.atomic
def regenerate_day(
    hall_id: str, day: date, given_back_by: DayOverride | None = None, switched_on: int | None = None
) -> Generated:
    """Bring one day of one hall up to date with its opening (after an override, or ahead of time). The
    people of bookings on a time withdrawn are told why, and those on a time restored that it stands
    (``withdrawals``): because ``given_back_by`` (a closure or fewer counters) was withdrawn, because the
    counter ``switched_on`` (pk) was turned on (its times only), or for a cause the run does not know.
    A slot is withdrawn or restored by one run only (the row changes only from the state it was read in),
    so two runs at once tell its people once."""
    done = Generated()
    day_opening = opening(hall_id, day)
    lengths = dict(SlotLength.objects.values_list("category", "minutes"))
    wanted = {
        (c.pk, starts, ends)
        for c in day_opening.counters
        for starts, ends in slot_times(day, day_opening.windows, slot_minutes(c, lengths))
    }
    booked = Booking.objects.filter(slot=OuterRef("pk"))
    slots = list(Slot.objects.filter(hall_id=hall_id, day=day).annotate(used=Exists(booked)))
    changing = [
        s.pk
        for s in slots
        if ((s.counter_id, s.starts_at, s.ends_at) in wanted) == s.withdrawn and (s.used or s.withdrawn)
    ]
    if changing:  # their bookings' rows before the slots', as a booking's services lock them (``services``)
        list(
            Booking.objects.select_for_update(no_key=True)
            .filter(slot_id__in=changing, state=Booking.State.ACTIVE)
            .order_by("pk")  # in a fixed order, so two runs at once do not deadlock
            .values_list("pk")
        )
    kept, newly_withdrawn, restored = [], [], []
    for slot in slots:
        key = (slot.counter_id, slot.starts_at, slot.ends_at)
        if key in wanted:
            wanted.discard(key)
            if slot.withdrawn and Slot.objects.filter(pk=slot.pk, withdrawn=True).update(withdrawn=False):
                done.restored += 1
                restored.append(slot.pk)
        elif not slot.used:
            slot.delete()
            done.deleted += 1
            continue
        elif not slot.withdrawn and Slot.objects.filter(pk=slot.pk, withdrawn=False).update(withdrawn=True):
            done.withdrawn += 1
            newly_withdrawn.append(slot.pk)
        kept.append(slot)
    new = [
        Slot(hall_id=hall_id, counter_id=counter, day=day, starts_at=starts, ends_at=ends)
        for counter, starts, ends in sorted(wanted)
        if not any(k.counter_id == counter and k.starts_at < ends and starts < k.ends_at for k in kept)
    ]
    Slot.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent run made the same ones: no matter
    done.created = len(new)
    if newly_withdrawn:
        withdrawals.tell(newly_withdrawn)
    done.flagged = list(
        Booking.objects.filter(
            slot__hall_id=hall_id, slot__day=day, slot__withdrawn=True, state=Booking.State.ACTIVE
        ).values_list("reference", flat=True)
    )
    if restored:
        done.reopened = list(
            Booking.objects.filter(slot_id__in=restored, state=Booking.State.ACTIVE).values_list(
                "reference", flat=True
            )
        )
        if given_back_by is not None and given_back_by.kind not in withdrawals.WITHDRAWING:
            given_back_by = None  # withdrawn extra hours give no time back
        on_counter = set()
        if switched_on is not None:
            on_counter = set(
                Booking.objects.filter(
                    slot_id__in=restored, slot__counter_id=switched_on, state=Booking.State.ACTIVE
                ).values_list("reference", flat=True)
            )
        if on_counter:
            withdrawals.tell_restored(sorted(on_counter), counter_switched=True)
        withdrawals.tell_restored([r for r in done.reopened if r not in on_counter], given_back_by)
    return done
