"""The days off of a year, as the National Holidays Measures fix them before any notice.

National Measures on Holidays for Annual Festivals and Memorial Days (《全国年节及纪念日放假办法》, as revised
by State Council Decree No. 795, in force from 2025):

- Art. 2: every citizen rests on New Year's Day, 1 January; the Spring Festival, 4 days, Lunar New Year's
  Eve and the 1st to 3rd of the first lunar month; Qingming, the day of the solar term; Labour Day, 1-2
  May; the Dragon Boat Festival, the 5th of the fifth lunar month; the Mid-Autumn Festival, the 15th of the
  eighth lunar month; National Day, 1-3 October: 13 days.
- Art. 6: such a holiday that falls on a Saturday or Sunday is made up by a day off on a working day (补假).

Art. 6 names no day. Recorded choice, the day the State Council's notices have given: the first weekday
after the holiday's day that is neither a holiday nor already a day in lieu (New Year's Day on Saturday
1 January 2022: Monday 3 January; the Dragon Boat Festival on Saturday 31 May 2025: Monday 2 June;
Qingming on Sunday 5 April 2026: Monday 6 April). The notices of 2008-2024 gave that day but twice
(Dragon Boat 2012: the Friday before; Mid-Autumn 2015: inside the National Day break). Recorded choice
too: a Mid-Autumn Festival on one of 1-3 October shares its day with National Day and is made up like a
weekend one, as the notices of 2009 and 2020 gave both festivals in full (1-8 October, 4 weekdays net).
Every year so has Art. 2's 13 weekdays off.

The State Council's notice for the year then joins weekend days to them and moves weekdays (bridging days
and make-up working days), which no rule predicts; a published notice overrides all of this. The calendar
uses these days only for a year whose notice is not published, provisionally.

Lunar dates and the solar term come from ``lunar_python`` (MIT), which reckons in Beijing time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

from lunar_python import Lunar

from exitentry.law.rulefunctions import cites
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

Span = tuple[date, date, Text]  # first day, last day, name


@cites("holidays-measures: Art. 2")
def statutory_holidays(year: int) -> tuple[Span, ...]:
    """Each statutory holiday of ``year`` (first day, last day, name), in date order; two that share a
    day (a Mid-Autumn Festival on 1-3 October) are one holiday named for both, as the notices name it."""
    return _merged(_festivals(year))


@cites("holidays-measures: Art. 6")
def days_in_lieu(year: int) -> tuple[tuple[date, Text], ...]:
    """The weekdays off of ``year`` that make up a statutory day on a Saturday or Sunday, or the second
    festival of a shared day, each with the holiday it makes up, in date order (the recorded choices above:
    the first weekday after that is neither a holiday nor already a day in lieu)."""
    festivals = _festivals(year)
    holidays = {day for start, end, _ in festivals for day in _days(start, end)}
    owed, seen = [], set()
    for start, end, name in festivals:
        for day in _days(start, end):
            if day.weekday() >= 5 or day in seen:
                owed.append((day, name))
            seen.add(day)
    given: dict[date, Text] = {}
    for day, name in sorted(owed, key=lambda owing: owing[0]):
        lieu = day + timedelta(days=1)
        while lieu.weekday() >= 5 or lieu in holidays or lieu in given:
            lieu += timedelta(days=1)
        given[lieu] = name
    return tuple(sorted(given.items()))


def holidays_with_days_in_lieu(year: int) -> tuple[Span, ...]:
    """The statutory holidays of ``year``, each running on to its last day in lieu (the weekend days between
    joined, as a notice joins them), merged where they then meet."""
    last_in_lieu: dict[Text, date] = {}
    for day, name in days_in_lieu(year):
        last_in_lieu[name] = day
    return _merged(
        [(start, max(end, last_in_lieu.get(name, end)), name) for start, end, name in _festivals(year)]
    )


@cache  # the lunar reckoning is slow, and a reloaded catalog asks again for the same years
def _festivals(year: int) -> tuple[Span, ...]:
    """Art. 2's seven festivals of ``year``, in date order, a longer one first on a shared first day."""
    new_year = Lunar.fromYmd(year, 1, 1)
    eve = _day(new_year.getSolar()) - timedelta(days=1)
    qingming = _day(new_year.getJieQiTable()["清明"])
    dragon_boat = _day(Lunar.fromYmd(year, 5, 5).getSolar())
    mid_autumn = _day(Lunar.fromYmd(year, 8, 15).getSolar())
    return tuple(
        sorted(
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
    )


def _merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """``spans`` (in date order) with those that overlap joined into one named for both."""
    merged: list[Span] = []
    for start, end, name in spans:
        if merged and start <= merged[-1][1]:
            first, last, earlier = merged[-1]
            both = Text(f"{earlier.en} and {name.en}", f"{earlier.zh}、{name.zh}")
            merged[-1] = (first, max(last, end), both)
        else:
            merged.append((start, end, name))
    return tuple(merged)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _day(solar) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())
