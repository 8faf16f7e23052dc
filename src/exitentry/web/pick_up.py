"""The next visit of a case whose permit is ready for pick-up: the hall applied to, its address and hours
(``law.halls``), and the procedure's own lines on paying and collecting (``law.rules.collection``). The
sources say nothing on whether someone else may collect, so the page says that, and no more."""

from __future__ import annotations

from dataclasses import dataclass

from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.law.advice import Answer
from exitentry.law.catalog import catalog
from exitentry.law.halls import hours
from exitentry.law.model import Hall
from exitentry.law.rules.collection import collection
from exitentry.law.text import Text


@dataclass(frozen=True, slots=True)
class PickUp:
    hall: Hall | None  # None for a hall the catalog no longer lists (the page names it by its id)
    hours: Text | None
    lines: tuple[Answer, ...]


def pick_up(case: Case) -> PickUp | None:
    """Where and how to collect the permit of ``case``; None unless it is ready for pick-up."""
    if case.state != State.READY:
        return None
    hall = catalog().halls.get(case.hall_id)
    advice = case.advice_on(case.received_on or case.decision.decided_on)
    return PickUp(hall, hours(hall) if hall else None, collection(advice))
