"""The statutory holidays of a year, as the National Holidays Measures fix them before any notice.

Every citizen rests on (National Holidays Measures Art. 2, as revised in force from 2025): New Year's Day,
1 January; the Spring Festival, 4 days, Lunar New Year's Eve and the 1st to 3rd of the first lunar month;
Qingming, the day of the solar term; Labour Day, 1-2 May; the Dragon Boat Festival, the 5th of the fifth
lunar month; the Mid-Autumn Festival, the 15th of the eighth lunar month; National Day, 1-3 October.
The State Council's notice for the year then joins weekend days to them, gives a working day for a holiday
that falls on a weekend (Art. 6) and sets make-up working days, none of which a rule predicts: the calendar
uses these days only for a year whose notice is not published, provisionally.

Lunar dates and the solar term come from ``lunar_python`` (MIT), which reckons in Beijing time.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from lunar_python import Lunar

from exitentry.law.text import Text

MEASURES = "holidays-measures"
ARTICLE = "Art. 2"

NEW_YEAR = Text("New Year's Day", "元旦")
SPRING_FESTIVAL = Text("Spring Festival", "春节")
QINGMING = Text("Qingming Festival", "清明节")
LABOUR_DAY = Text("Labour Day", "劳动节")
DRAGON_BOAT = Text("Dragon Boat Festival", "端午节")
MID_AUTUMN = Text("Mid-Autumn Festival", "中秋节")
NATIONAL_DAY = Text("National Day", "国庆节")


@cache  # the lunar reckoning is slow, and a reloaded catalog asks again for the same years
def statutory_holidays(year: int) -> tuple[tuple[date, date, Text], ...]:
    """Each statutory holiday of ``year`` (first day, last day, name), in date order; two that share a
    day (a Mid-Autumn Festival on 1-3 October) are one holiday named for both, as the notices name it."""
    new_year = Lunar.fromYmd(year, 1, 1)
    eve = _day(new_year.getSolar()) - timedelta(days=1)
    qingming = _day(new_year.getJieQiTable()["清明"])
    dragon_boat = _day(Lunar.fromYmd(year, 5, 5).getSolar())
    mid_autumn = _day(Lunar.fromYmd(year, 8, 15).getSolar())
    spans = sorted(
        [
            (date(year, 1, 1), date(year, 1, 1), NEW_YEAR),
            (eve, eve + timedelta(days=3), SPRING_FESTIVAL),
            (qingming, qingming, QINGMING),
            (date(year, 5, 1), date(year, 5, 2), LABOUR_DAY),
            (dragon_boat, dragon_boat, DRAGON_BOAT),
            (mid_autumn, mid_autumn, MID_AUTUMN),
            (date(year, 10, 1), date(year, 10, 3), NATIONAL_DAY),
        ],
        key=lambda span: (span[0], -span[1].toordinal()),  # a longer holiday first: it names the pair
    )
    merged: list[tuple[date, date, Text]] = []
    for start, end, name in spans:
        if merged and start <= merged[-1][1]:
            first, last, earlier = merged[-1]
            both = Text(f"{earlier.en} and {name.en}", f"{earlier.zh}、{name.zh}")
            merged[-1] = (first, max(last, end), both)
        else:
            merged.append((start, end, name))
    return tuple(merged)


def _day(solar) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())
