"""What the appointments app does when a case moves: a withdrawn case gives its appointment back."""

from __future__ import annotations

from exitentry.appointments import services
from exitentry.appointments.models import Booking
from exitentry.cases.lifecycle import State


def release_when_withdrawn(sender, *, case, to_state, actor, **_) -> None:
    """Cancel the withdrawn case's active booking (whatever the cut-off: the slot is free for others)."""
    if to_state != State.WITHDRAWN:
        return
    for booking in Booking.objects.select_for_update().filter(case=case, state=Booking.State.ACTIVE):
        services.end_cancelled(actor, booking, because="case.withdraw")
