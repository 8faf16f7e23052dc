"""What a hall opens on a day: the law core's calendar, changed by supervisors' overrides.

The one place the two meet: ``opening`` (appointments: windows and counters), ``changes`` (the law core's
``DayChange`` per overridden day; ``hall_changes`` for one hall, which the counter steps of cases are
given) and, built on it, every "is it open / when does it open next" the site
asks (the law core's ``opening_state``, ``opens_on`` given ``changes``; ``closed_reason``,
``first_opening_day``, ``hall_states_as_dicts`` here). A closure wins over
everything that day; extra hours add a window (also on a day the hall is otherwise closed: the
supervisor decides); fewer counters keep the lowest-numbered active ones open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from exitentry.appointments.models import Counter, DayOverride
from exitentry.appointments.slots import Window, merged
from exitentry.law import halls as law_halls
from exitentry.law.catalog import catalog
from exitentry.law.halls import Changes, DayChange, sessions_on
from exitentry.law.model import Hall, Session
from exitentry.law.text import Text

_CLOSED = Text("Closed by the hall's decision ({reason}).", "大厅决定当日暂停办公（{reason}）。")
_EXTRA = Text("Extra hours ({reason}).", "加开办公时间（{reason}）。")


@dataclass(frozen=True, slots=True)
class DayOpening:
    windows: list[Window]
    counters: list[Counter]


def opening(hall_id: str, day: date, overrides: list[DayOverride] | None = None) -> DayOpening:
    """The windows and counters ``hall_id`` offers appointments in on ``day``."""
    if overrides is None:
        overrides = list(DayOverride.objects.filter(hall_id=hall_id, day=day))
    counters = list(Counter.objects.filter(hall_id=hall_id, active=True).order_by("number"))
    change = _change(catalog().halls[hall_id], day, overrides)
    sessions = sessions_on(catalog().halls[hall_id], day) if change is None else change.sessions
    reduced = [o.counters for o in overrides if o.kind == DayOverride.Kind.REDUCED_COUNTERS]
    if reduced:
        counters = kept_counters(counters, min(reduced))
    return DayOpening([(s.opens, s.closes) for s in sessions], counters)


def kept_counters(counters: list[Counter], keep: int) -> list[Counter]:
    """The counters open on a day a supervisor left ``keep`` of them open: the lowest-numbered of the hall's
    active ``counters`` (by number)."""
    return counters[:keep]


def changes(hall_ids: Iterable[str], first: date) -> dict[str, Changes]:
    """The days from ``first`` on that supervisors closed or opened longer, by hall, in one query."""
    by_day: dict[tuple[str, date], list[DayOverride]] = {}
    for o in DayOverride.objects.filter(hall_id__in=list(hall_ids), day__gte=first):
        by_day.setdefault((o.hall_id, o.day), []).append(o)
    out: dict[str, dict[date, DayChange]] = {}
    for (hall_id, day), overrides in by_day.items():
        hall = catalog().halls.get(hall_id)
        change = _change(hall, day, overrides) if hall is not None else None
        if change is not None:
            out.setdefault(hall_id, {})[day] = change
    return out


def hall_changes(hall_id: str, first: date) -> Changes:
    """``changes`` of the one hall ``hall_id`` (what a counter step at it is given, ``cases.services``)."""
    return changes([hall_id], first).get(hall_id, {})


def hall_states_as_dicts(halls: Iterable[Hall], at: datetime) -> list[dict[str, object]]:
    """``law.halls.hall_state_as_dict`` of each hall, with its overrides (API)."""
    halls = list(halls)
    by_hall = changes([h.id for h in halls], at.date())
    return [law_halls.hall_state_as_dict(h, at, by_hall.get(h.id, {})) for h in halls]


def closed_reason(hall: Hall, day: date) -> Text | None:
    """Why ``hall`` receives no one on ``day`` (the calendar, or a supervisor's closure), or None."""
    return law_halls.closed_reason(hall, day, hall_changes(hall.id, day))


def first_opening_day(
    halls: tuple[Hall, ...], day: date, by_hall: Mapping[str, Changes] | None = None
) -> date:
    """``law.halls.first_opening_day`` with the halls' overrides (``by_hall``: ``changes`` already read
    from ``day`` or earlier, for a page asking for many procedures)."""
    if by_hall is None:
        by_hall = changes([h.id for h in halls], day)
    return law_halls.first_opening_day(halls, day, by_hall)


def _change(hall: Hall, day: date, overrides: list[DayOverride]) -> DayChange | None:
    """The day as its overrides change it; None when they leave its hours alone (fewer counters only)."""
    closed = [o for o in overrides if o.kind == DayOverride.Kind.CLOSED]
    if closed:
        return DayChange((), _CLOSED.format(reason=closed[0].reason_text()))
    extra = [o for o in overrides if o.kind == DayOverride.Kind.EXTRA_HOURS]
    if not extra:
        return None
    windows = merged(
        [(s.opens, s.closes) for s in sessions_on(hall, day)] + [(o.opens, o.closes) for o in extra]
    )
    sessions = tuple(Session(opens, closes) for opens, closes in windows)
    return DayChange(sessions, _EXTRA.format(reason=extra[0].reason_text()))
