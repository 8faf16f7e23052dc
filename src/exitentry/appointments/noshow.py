"""No-shows: at the end of a day, the bookings nobody checked in and the tickets nobody answered.

A booking still active whose day has passed, or whose day is ``on`` and whose hall has closed (its last
session, or its last slot on a day of extra hours), did not come; so did a ticket still waiting then. Run
it again and nothing changes (only active bookings and waiting tickets are touched). It runs every half
hour (``settings.EXITENTRY_PERIODIC_TASKS``) and marks every day passed, so a case it skipped (a step held
it) is marked by a later run.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Max, Q, QuerySet

from exitentry import clock
from exitentry.accounts import audit
from exitentry.accounts.audit import Actor
from exitentry.appointments import holding
from exitentry.appointments.models import Booking, QueueTicket, Slot
from exitentry.cases.models import Case
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.halls import sessions_on


def closes_at(hall_id: str, day: date) -> datetime | None:
    """When ``hall_id`` stops receiving on ``day``: its last session's end or its last slot's, whichever is
    later; None for a hall without either (one the catalog no longer lists: its day ends at midnight)."""
    ends = []
    hall = catalog().halls.get(hall_id)
    if hall is not None and (sessions := sessions_on(hall, day)):
        ends.append(datetime.combine(day, sessions[-1].closes, BEIJING))
    last_slot = Slot.objects.filter(hall_id=hall_id, day=day).aggregate(end=Max("ends_at"))["end"]
    if last_slot is not None:
        ends.append(last_slot)
    return max(ends) if ends else None


def _closed_halls(halls: set[str], on: date, now: datetime) -> list[str]:
    return [h for h in sorted(halls) if (end := closes_at(h, on)) is not None and end <= now]


def _lock_cases(bookings: QuerySet, tickets: QuerySet) -> tuple[list[int], int]:
    """Lock the rows of the cases of ``bookings`` and ``tickets`` (in key order) before theirs, as every
    step on a case does (the lock order of ``cases.services.steps``), so a withdrawal or a check-in at the
    same moment waits for the job rather than deadlock; the keys of the rows locked, and how many were
    skipped. A row a step holds is skipped, not waited for (the job would hold all the others meanwhile,
    and every step on them would wait): its case is left to the next run."""
    cases = Case.objects.filter(Q(pk__in=bookings.values("case_id")) | Q(pk__in=tickets.values("case_id")))
    rows = cases.select_for_update(of=("self",), no_key=True, skip_locked=True)
    locked = list(rows.order_by("pk").values_list("pk", flat=True))
    return locked, cases.exclude(pk__in=locked).count()


def mark_no_shows(on: date | None = None, *, now: datetime | None = None) -> dict[str, int]:
    """Mark the active bookings of days before ``on`` (default today, Beijing), and of ``on`` at halls
    already closed, as no-shows, and the waiting tickets of the same days; how many of each, and how many
    cases were skipped because a step held them (``_lock_cases``: the next run marks theirs)."""
    now = now or clock.now()
    on = on or now.astimezone(BEIJING).date()
    today_halls = set(
        Slot.objects.filter(day=on, bookings__state=Booking.State.ACTIVE).values_list("hall_id", flat=True)
    ) | set(
        QueueTicket.objects.filter(day=on, state=QueueTicket.State.WAITING).values_list("hall_id", flat=True)
    )
    closed = _closed_halls(today_halls, on, now)
    bookings = Booking.objects.filter(state=Booking.State.ACTIVE, slot__ends_at__lte=now).filter(
        Q(slot__day__lt=on) | Q(slot__day=on, slot__hall_id__in=closed)
    )
    tickets = QueueTicket.objects.filter(state=QueueTicket.State.WAITING).filter(
        Q(day__lt=on) | Q(day=on, hall_id__in=closed)
    )
    with transaction.atomic():
        cases, skipped = _lock_cases(bookings, tickets)
        bookings = bookings.filter(case_id__in=cases).select_for_update(of=("self",), no_key=True)
        references = list(bookings.values_list("reference", flat=True))
        tickets = tickets.filter(case_id__in=cases).select_for_update(of=("self",), no_key=True)
        ticket_ids = list(tickets.values_list("pk", flat=True))
        Booking.objects.filter(reference__in=references, state=Booking.State.ACTIVE).update(
            state=Booking.State.NO_SHOW, ended_at=now
        )
        holding.release(Booking.objects.filter(reference__in=references).values("slot_id"))
        QueueTicket.objects.filter(pk__in=ticket_ids, state=QueueTicket.State.WAITING).update(
            state=QueueTicket.State.NO_SHOW
        )
        if references or ticket_ids:
            audit.record(
                Actor(None),
                "booking.no_show",
                "day",
                on.isoformat(),
                new={"bookings": references, "tickets": ticket_ids},
            )
    return {"bookings": len(references), "tickets": len(ticket_ids), "skipped": skipped}
