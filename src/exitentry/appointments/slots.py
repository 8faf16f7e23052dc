"""Slot arithmetic, pure: a day's opening windows cut into appointments of one length.

A slot lies wholly inside one window (none spans the lunch break or runs past closing); what is left of a
window shorter than one slot is not offered. Windows that overlap (a supervisor's extra hours over the
usual ones) are merged first, so no two slots of one counter overlap.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from exitentry.law.calendar import BEIJING

Window = tuple[time, time]


def merged(windows: Iterable[Window]) -> list[Window]:
    """``windows`` sorted, with overlapping or touching ones joined."""
    out: list[Window] = []
    for opens, closes in sorted(w for w in windows if w[0] < w[1]):
        if out and opens <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], closes))
        else:
            out.append((opens, closes))
    return out


def slot_times(day: date, windows: Iterable[Window], minutes: int) -> list[tuple[datetime, datetime]]:
    """The (start, end) of each ``minutes``-long slot on ``day`` (Beijing time), earliest first."""
    if minutes <= 0:
        raise ValueError(f"a slot lasts a positive number of minutes, not {minutes}")
    length = timedelta(minutes=minutes)
    out = []
    for opens, closes in merged(windows):
        start, end = datetime.combine(day, opens, BEIJING), datetime.combine(day, closes, BEIJING)
        while start + length <= end:
            out.append((start, start + length))
            start += length
    return out
