"""A hall's own changes to its days (a closure, extra hours) laid over the calendar by the law core."""

from __future__ import annotations

from datetime import date, datetime, time

from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.halls import DayChange, closed_reason, first_opening_day, opening_state, opens_on
from exitentry.law.model import Session
from exitentry.law.text import Text

RECEPTION = catalog().halls["reception-hall"]
SUNDAY, MONDAY, TUESDAY = date(2026, 11, 22), date(2026, 11, 23), date(2026, 11, 24)
PIPES = Text("Closed by the hall: water pipe burst.", "大厅暂停办公：水管爆裂。")


def test_a_closed_monday_moves_the_next_opening_to_tuesday_and_says_why() -> None:
    changes = {MONDAY: DayChange((), PIPES)}
    sunday = opening_state(RECEPTION, datetime(2026, 11, 22, 14, 0, tzinfo=BEIJING), changes)
    assert sunday.next_opening == datetime(2026, 11, 24, 9, 0, tzinfo=BEIJING)
    monday = opening_state(RECEPTION, datetime(2026, 11, 23, 10, 0, tzinfo=BEIJING), changes)
    assert not monday.open and monday.reason == PIPES
    assert not opens_on(RECEPTION, MONDAY, changes) and closed_reason(RECEPTION, MONDAY, changes) == PIPES
    assert first_opening_day((RECEPTION,), SUNDAY, {"reception-hall": changes}) == TUESDAY


def test_extra_hours_on_a_sunday_open_the_hall_then() -> None:
    changes = {SUNDAY: DayChange((Session(time(10), time(12)),), Text("Extra hours.", "加开。"))}
    saturday_night = opening_state(RECEPTION, datetime(2026, 11, 21, 18, 0, tzinfo=BEIJING), changes)
    assert saturday_night.next_opening == datetime(2026, 11, 22, 10, 0, tzinfo=BEIJING)
    assert opening_state(RECEPTION, datetime(2026, 11, 22, 11, 0, tzinfo=BEIJING), changes).open
    assert first_opening_day((RECEPTION,), SUNDAY, {"reception-hall": changes}) == SUNDAY
    assert first_opening_day((RECEPTION,), SUNDAY) == MONDAY
