"""A slot's ``held`` flag, kept in the transaction that changes the booking on it: set when a booking takes
the slot (``hold``: a conditional update, so of two bookers racing one finds it held already), cleared when
the booking ends without the slot (cancelled, moved, no-show, its case withdrawn). A checked-in booking
keeps it. The bookings' partial unique index (``Booking``'s ``one_booking_holds_a_slot``) is the guarantee
behind it; the flag makes the open slots one index range.
"""

from __future__ import annotations

from django.db.models import QuerySet

from exitentry.appointments.models import Slot


def hold(slot_id: int) -> bool:
    """Take the slot; False if it is held already."""
    return Slot.objects.filter(pk=slot_id, held=False).update(held=True) == 1


def release(slots: QuerySet | list[int]) -> None:
    """Free the slots (their ids, or a query of them) whose booking ended."""
    Slot.objects.filter(pk__in=slots).update(held=False)
