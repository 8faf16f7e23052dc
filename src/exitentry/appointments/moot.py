"""Bookings to hand in materials whose case is past that step (``lifecycle.NEEDS_NO_VISIT``: decided,
issued, collected, withdrawn, ...) end by themselves: cancelled with that reason, their slots free for
others, audited, and their bookers told (``notices``, keyed as a cancellation: never twice), an approved
case's booker that the next visit is to collect the permit. Set-based and
idempotent: only active bookings of such cases are touched, so a second run changes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from exitentry.accounts.audit import Actor
from exitentry.appointments import notices
from exitentry.appointments.models import Booking
from exitentry.appointments.services import end_cancelled
from exitentry.cases.lifecycle import NEEDS_NO_VISIT, TO_COLLECT, state_label


def end_moot(actor: Actor, cases: QuerySet, because: str = "case.closed") -> list[str]:
    """End the active bookings of those of ``cases`` that need no visit; their references."""
    with transaction.atomic():
        moot = list(
            Booking.objects.filter(case__in=cases, case__state__in=NEEDS_NO_VISIT, state=Booking.State.ACTIVE)
            .select_related("slot", "slot__counter", "booked_by", "case")
            .select_for_update(of=("self",))
        )
        for b in moot:
            end_cancelled(actor, b, because, ended_because=Booking.EndReason.CASE_CLOSED)
            event = "case_decided" if b.case.state in TO_COLLECT else "case_closed"  # collection is ahead
            notices.notify(b, event, key=f"booking:{b.reference}:cancelled", state=state_label(b.case.state))
    return [b.reference for b in moot]
