"""What the appointments app does when a case moves: a case past handing in its materials gives its
appointment back (``moot``); a closed case's waiting ticket ends at once (``tickets.end_closed``: served
once the permit is collected, withdrawn otherwise)."""

from __future__ import annotations

from exitentry.appointments import moot, tickets
from exitentry.cases.lifecycle import CLOSED_STATES, NEEDS_NO_VISIT
from exitentry.cases.models import Case


def release_when_no_visit(sender, *, case, action, to_state, actor, **_) -> None:
    """End the case's active booking once the case is decided or closed (whatever the cut-off)."""
    if to_state in NEEDS_NO_VISIT:
        moot.end_moot(actor, Case.objects.filter(pk=case.pk), because=f"case.{action}")


def end_tickets_when_closed(sender, *, case, action, to_state, actor, **_) -> None:
    """End the case's waiting ticket once the case is closed (collected: served; withdrawn, refused:
    withdrawn): the case's row is locked by the step already, then the tickets' (the lock order)."""
    if to_state in CLOSED_STATES:
        tickets.end_closed(actor, case)
