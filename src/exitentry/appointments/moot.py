"""Bookings whose case no longer needs a visit to the hall (``lifecycle.NEEDS_NO_VISIT``: decided, issued,
collected, withdrawn, ...) end by themselves: cancelled with that reason, their slots free for others,
audited, and their bookers told (``notices``, keyed as a cancellation: never twice). Set-based and
idempotent: only active bookings of such cases are touched, so a second run changes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from exitentry import clock
from exitentry.accounts import audit
from exitentry.accounts.audit import Actor
from exitentry.appointments import holding, notices
from exitentry.appointments.models import Booking
from exitentry.cases.lifecycle import NEEDS_NO_VISIT, state_label


def end_moot(actor: Actor, cases: QuerySet, because: str = "case.closed") -> list[str]:
    """End the active bookings of those of ``cases`` that need no visit; their references."""
    with transaction.atomic():
        moot = Booking.objects.filter(
            case__in=cases, case__state__in=NEEDS_NO_VISIT, state=Booking.State.ACTIVE
        ).select_for_update(of=("self",))
        ended = list(moot.values_list("pk", flat=True))
        if not ended:
            return []
        Booking.objects.filter(pk__in=ended, state=Booking.State.ACTIVE).update(
            state=Booking.State.CANCELLED, ended_at=clock.now(), ended_because=Booking.EndReason.CASE_CLOSED
        )
        bookings = list(
            Booking.objects.filter(pk__in=ended).select_related("slot", "slot__counter", "booked_by", "case")
        )
        holding.release([b.slot_id for b in bookings])
        for b in bookings:
            new = {"state": Booking.State.CANCELLED, "because": because}
            audit.record(actor, "booking.cancel", "booking", b.reference, old={"state": "active"}, new=new)
            notices.notify(
                b, "case_closed", key=f"booking:{b.reference}:cancelled", state=state_label(b.case.state)
            )
    return [b.reference for b in bookings]
