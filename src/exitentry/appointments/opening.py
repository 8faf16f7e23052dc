"""What a hall opens on a day for appointments: the law core's sessions, changed by supervisors' overrides.

A closure wins over everything that day; extra hours add a window (also on a day the hall is otherwise
closed: the supervisor decides); fewer counters keep the lowest-numbered active ones open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from exitentry.appointments.models import Counter, DayOverride
from exitentry.appointments.slots import Window, merged
from exitentry.law.catalog import catalog
from exitentry.law.halls import sessions_on


@dataclass(frozen=True, slots=True)
class DayOpening:
    windows: list[Window]
    counters: list[Counter]


def opening(hall_id: str, day: date, overrides: list[DayOverride] | None = None) -> DayOpening:
    """The windows and counters ``hall_id`` offers appointments in on ``day``."""
    if overrides is None:
        overrides = list(DayOverride.objects.filter(hall_id=hall_id, day=day))
    counters = list(Counter.objects.filter(hall_id=hall_id, active=True).order_by("number"))
    if any(o.kind == DayOverride.Kind.CLOSED for o in overrides):
        return DayOpening([], counters)
    windows = [(s.opens, s.closes) for s in sessions_on(catalog().halls[hall_id], day)]
    windows += [(o.opens, o.closes) for o in overrides if o.kind == DayOverride.Kind.EXTRA_HOURS]
    reduced = [o.counters for o in overrides if o.kind == DayOverride.Kind.REDUCED_COUNTERS]
    if reduced:
        counters = counters[: min(reduced)]
    return DayOpening(merged(windows), counters)
