"""Slot arithmetic: every slot inside one window, of the one length, none overlapping, none left out."""

from __future__ import annotations

from datetime import date, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from exitentry.appointments.slots import merged, slot_times
from exitentry.law.calendar import BEIJING

DAY = date(2026, 11, 23)
minutes_of_day = st.integers(min_value=0, max_value=24 * 60 - 1)
window = st.tuples(minutes_of_day, minutes_of_day).map(
    lambda w: (time(*divmod(min(w), 60)), time(*divmod(max(w), 60)))
)


def minutes(t: time) -> int:
    return t.hour * 60 + t.minute


@given(st.lists(window, max_size=4), st.integers(min_value=5, max_value=240))
def test_slots_lie_inside_a_window_have_one_length_and_never_overlap(windows, length) -> None:
    slots = slot_times(DAY, windows, length)
    joined = merged(windows)
    for (_, end), (following, _) in zip(slots, slots[1:], strict=False):
        assert end <= following
    for start, end in slots:
        assert end - start == timedelta(minutes=length)
        assert start.tzinfo is BEIJING and start.date() == end.date() == DAY
        assert any(o <= start.time() and end.time() <= c for o, c in joined)
    assert len(slots) == sum((minutes(c) - minutes(o)) // length for o, c in joined)


def test_shijingshan_s_lunch_break_is_never_booked() -> None:
    slots = slot_times(DAY, [(time(9), time(12)), (time(13, 30), time(17, 30))], 40)
    assert [s.strftime("%H:%M") for s, _ in slots] == [
        "09:00", "09:40", "10:20", "11:00",  # 11:40 would run past noon
        "13:30", "14:10", "14:50", "15:30", "16:10", "16:50",
    ]  # fmt: skip
