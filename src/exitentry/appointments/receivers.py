"""What the appointments app does when a case moves: a case past handing in its materials gives its
appointment back (``moot``)."""

from __future__ import annotations

from exitentry.appointments import moot
from exitentry.cases.lifecycle import NEEDS_NO_VISIT
from exitentry.cases.models import Case


def release_when_no_visit(sender, *, case, action, to_state, actor, **_) -> None:
    """End the case's active booking once the case is decided or closed (whatever the cut-off)."""
    if to_state in NEEDS_NO_VISIT:
        moot.end_moot(actor, Case.objects.filter(pk=case.pk), because=f"case.{action}")
