"""Beijing time and working days on China's official calendar.

The Regulations count the authorities' time limits and receipt validity in working days, "excluding legal
holidays" (Regulations Art. 36). Which days are worked is set each year by the State Council General
Office's holiday notice: statutory holidays (with the weekend days joined to them) are rest days, and some
weekend days become make-up working days. Each published year is a data file in ``catalog/calendar``;
an operator adds a newly published year by dropping its file into ``$EXITENTRY_CALENDAR_DIR``.

A reckoning that touches a year with no published schedule is marked ``provisional``; with ``exact=True``
it is refused instead (``ScheduleNotPublished``). Such a year rests on its statutory holidays and the days
in lieu of those on a weekend (``statutory_holidays``: National Holidays Measures Arts. 2 and 6, from the
year the revised Measures came into force; weekdays alone before it): its bridging days and make-up
working days are the notice's and unknown, and its notice, once published, overrides all of it.

A year's working days are reckoned when the year is first asked about, once (an unpublished year's lunar
dates are slow to reckon), so start-up reckons none.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from threading import RLock
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from exitentry.law.files import CALENDAR_DIR_ENV as CALENDAR_DIR_ENV  # where an operator adds a year
from exitentry.law.files import calendar_files, read_yaml
from exitentry.law.sources import Citation, cited, source
from exitentry.law.statutory_holidays import ARTICLE, MEASURES, holidays_with_days_in_lieu
from exitentry.law.text import Text, day_text

BEIJING = ZoneInfo("Asia/Shanghai")
T = TypeVar("T")
_RANGE_YEARS = 30  # how far before the first and after the last published year reckoning is allowed


class ScheduleNotPublished(LookupError):
    """An exact reckoning needs a year whose official holiday schedule is not (yet) published."""

    def __init__(self, years: Iterable[int]):
        self.years = tuple(sorted(set(years)))
        listed = ", ".join(map(str, self.years))
        super().__init__(
            f"the official holiday schedule for {listed} is not published yet; "
            "working days in that year cannot be counted exactly"
        )


class OutOfCalendarRange(ValueError):
    """A date too far from any published year to reckon with at all; ``text`` says so in both languages."""

    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.en)


_OUTSIDE = Text(
    "{days} lies outside the calendar's range {first_year}..{last_year}",
    "{days}超出日历可推算的范围（{first_year}年至{last_year}年）",
)
# What a provisional date rests on, said once for the pages, the API and the command line; ``years``: the
# unpublished years, or ``THAT_YEAR``.
PROVISIONAL = cited(
    Text(
        "Provisional: the holiday schedule for {years} is not published; counted on the statutory holidays and "
        "their days in lieu, bridging days unknown",
        "暂定：{years}节假日安排尚未公布，按法定节假日及补假计算，调休安排未知",
    ),
    MEASURES,
    ARTICLE,
)
THAT_YEAR = Text("that year", "该年度")
_FROM_TO = Text("{first} to {last}", "{first}至{last}")
_LEAVES = Text(
    "working-day count from {start} leaves the calendar's range {first_year}..{last_year}",
    "自{start}起计算工作日超出日历可推算的范围（{first_year}年至{last_year}年）",
)


class Reckoned(NamedTuple):
    """A date computed on the official calendar; provisional when it relied on an unpublished year."""

    date: date
    provisional: bool


class Counted(NamedTuple):
    """A number of days counted on the official calendar; provisional as for ``Reckoned``."""

    days: int
    provisional: bool


@dataclass(frozen=True, slots=True)
class Holiday:
    start: date
    end: date
    name: Text

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """One year's official schedule: its rest dates around holidays and its make-up working days."""

    year: int
    holidays: tuple[Holiday, ...]
    makeup_working_days: frozenset[date]
    citation: Citation

    def holiday_on(self, day: date) -> Holiday | None:
        return next((h for h in self.holidays if day in h), None)

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_working_days:
            return True
        return day.weekday() < 5 and self.holiday_on(day) is None

    def check(self) -> None:
        """Refuse a schedule that contradicts itself (a notice typed in wrongly must not count)."""
        where = f"calendar {self.year}"
        for h in self.holidays:
            if h.start > h.end or h.start.year != self.year and h.end.year != self.year:
                raise ValueError(f"{where}: holiday {h.name.en} {h.start}..{h.end} is not in {self.year}")
        ordered = sorted(self.holidays, key=lambda h: h.start)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if b.start <= a.end:
                raise ValueError(f"{where}: holidays {a.name.en} and {b.name.en} overlap")
        for day in self.makeup_working_days:
            if day.weekday() < 5:
                raise ValueError(f"{where}: make-up working day {day} is not a weekend day")
            if self.holiday_on(day):
                raise ValueError(f"{where}: make-up working day {day} is also a holiday")


class OfficialCalendar:
    """Working-day arithmetic over the published schedules (the statutory holidays, provisionally, elsewhere)."""

    def __init__(self, schedules: Iterable[YearSchedule]):
        by_year: dict[int, YearSchedule] = {}
        for schedule in schedules:
            schedule.check()
            by_year[schedule.year] = schedule
        if not by_year:
            raise ValueError("the official calendar needs at least one published year")
        self._schedules = dict(sorted(by_year.items()))
        self.first_year = min(by_year) - _RANGE_YEARS
        self.last_year = max(by_year) + _RANGE_YEARS
        self._range_days = (date(self.last_year, 12, 31) - date(self.first_year, 1, 1)).days + 1
        # Per year, made on first use: its schedule from the Measures and its working days' ordinals. The
        # lock makes each once; reads need none (a dict read or a finished list's).
        self._statutory: dict[int, YearSchedule | None] = {}
        self._workdays: dict[int, list[int]] = {}
        self._lock = RLock()

    @property
    def _range(self) -> dict[str, int]:
        return {"first_year": self.first_year, "last_year": self.last_year}

    def schedule(self, year: int) -> YearSchedule | None:
        return self._schedules.get(year)

    @staticmethod
    def statutory_schedule(year: int) -> YearSchedule | None:
        """``year``'s statutory holidays, each running on to its days in lieu of those on a weekend, without
        the notice's bridging and make-up days (National Holidays Measures Arts. 2 and 6; ``statutory_holidays``
        records which weekday is chosen); None for a year before the revised Measures were in force."""
        in_force = source(MEASURES).in_force_from
        if in_force is None or year < in_force.year:
            return None
        holidays = tuple(Holiday(start, end, name) for start, end, name in holidays_with_days_in_lieu(year))
        return YearSchedule(year, holidays, frozenset(), Citation(MEASURES, ARTICLE))

    def is_published(self, year: int) -> bool:
        return year in self._schedules

    def check_range(self, first: date, last: date) -> None:
        """Refuse (``OutOfCalendarRange``) days from ``first`` to ``last`` too far from any published year."""
        if not (self.first_year <= first.year and last.year <= self.last_year):
            days = (
                day_text(first)
                if first == last
                else _FROM_TO.format(first=day_text(first), last=day_text(last))
            )
            raise OutOfCalendarRange(_OUTSIDE.format(days=days, **self._range))

    def _provisional(self, first: date, last: date, exact: bool) -> bool:
        """Whether days from ``first`` to ``last`` touch an unpublished year (refused when ``exact``);
        ``OutOfCalendarRange`` when they leave the range."""
        if first > last:
            first, last = last, first
        self.check_range(first, last)
        if first.year == last.year and first.year in self._schedules:
            return False
        missing = [y for y in range(first.year, last.year + 1) if y not in self._schedules]
        if missing and exact:
            raise ScheduleNotPublished(missing)
        return bool(missing)

    def _once(self, made: dict[int, T], year: int, make: Callable[[int], T]) -> T:
        """``made[year]``, made by ``make`` on first use: once, however many threads ask at once."""
        with self._lock:  # reentrant: a year's working days need its schedule
            if year not in made:
                made[year] = make(year)
            return made[year]

    def _schedule_of(self, year: int) -> YearSchedule | None:
        """The year's notice, or in a year of the range without one its statutory schedule (provisional)."""
        published = self._schedules.get(year)
        if published is not None or not self.first_year <= year <= self.last_year:
            return published
        if year in self._statutory:
            return self._statutory[year]
        return self._once(self._statutory, year, self.statutory_schedule)

    def _working_days(self, year: int) -> list[int]:
        """The ordinals of ``year``'s working days, in order (a year of the range)."""
        return self._workdays.get(year) or self._once(self._workdays, year, self._reckon_working_days)

    def _reckon_working_days(self, year: int) -> list[int]:
        schedule = self._schedule_of(year)
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        days = map(date.fromordinal, range(first, last + 1))
        working = schedule.is_working_day if schedule else lambda day: day.weekday() < 5
        return [day.toordinal() for day in days if working(day)]

    def _position(self, day: date, bisect: Callable[[list[int], int], int]) -> tuple[int, list[int], int]:
        """Where ``day`` falls among the range's working days: a year, its working days and ``bisect``'s
        index of ``day`` in them; before the range, at its first; after it, past its last."""
        year = day.year
        if year < self.first_year:
            return self.first_year, self._working_days(self.first_year), 0
        if year > self.last_year:
            days = self._working_days(self.last_year)
            return self.last_year, days, len(days)
        days = self._working_days(year)
        return year, days, bisect(days, day.toordinal())

    def _at(self, year: int, days: list[int], index: int, start: date) -> date:
        """The working day ``index`` places on from the first of ``year``'s ``days`` (back when negative)."""
        if 0 <= index < len(days):
            return date.fromordinal(days[index])
        leaves = OutOfCalendarRange(_LEAVES.format(start=day_text(start), **self._range))
        if abs(index) > self._range_days:  # beyond the range whatever the holidays: no year need be reckoned
            raise leaves
        while not 0 <= index < len(days):
            if index >= 0:
                index -= len(days)
            year += 1 if index >= 0 else -1
            if not self.first_year <= year <= self.last_year:
                raise leaves
            days = self._working_days(year)
            if index < 0:
                index += len(days)
        return date.fromordinal(days[index])

    def holiday_on(self, day: date) -> Holiday | None:
        """The holiday ``day`` falls in: as the year's notice sets it, or, in a year without one, the
        statutory holiday itself with its days in lieu (provisional)."""
        schedule = self._schedule_of(day.year)
        return schedule.holiday_on(day) if schedule else None

    def is_working_day(self, day: date, *, exact: bool = False) -> bool:
        self._provisional(day, day, exact)
        days = self._working_days(day.year)
        ordinal = day.toordinal()
        i = bisect_left(days, ordinal)
        return i < len(days) and days[i] == ordinal

    def add_working_days(self, start: date, working_days: int, *, exact: bool = False) -> Reckoned:
        """The ``working_days``-th working day after ``start`` (before it when negative).

        ``start`` itself is never counted (Civil Code Art. 201): 7 working days after Thursday
        2026-09-24 is Monday 2026-10-12, over the Mid-Autumn and National Day holidays.
        """
        if working_days > 0:
            year, days, i = self._position(start, bisect_right)
            result = self._at(year, days, i + working_days - 1, start)
        elif working_days < 0:
            year, days, i = self._position(start, bisect_left)
            result = self._at(year, days, i + working_days, start)
        else:
            result = start
        return Reckoned(result, self._provisional(start, result, exact))

    def working_days_between(self, start: date, end: date, *, exact: bool = False) -> Counted:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
        provisional = self._provisional(start, end, exact)
        a_year, _, a = self._position(start, bisect_right)
        b_year, _, b = self._position(end, bisect_right)
        low, high, sign = (a_year, b_year, 1) if a_year <= b_year else (b_year, a_year, -1)
        between = sum(len(self._working_days(year)) for year in range(low, high)) if low < high else 0
        return Counted(b - a + sign * between, provisional)

    def next_working_day(self, day: date, *, exact: bool = False) -> Reckoned:
        """``day`` itself if it is a working day, otherwise the first working day after it."""
        year, days, i = self._position(day, bisect_left)
        result = self._at(year, days, i, day)
        return Reckoned(result, self._provisional(day, result, exact))


def parse_year_file(raw: dict, where: str) -> tuple[YearSchedule, dict]:
    """A YearSchedule from one calendar data file, and the file's source entry."""
    src = raw.get("source")
    if not isinstance(src, dict) or "id" not in src:
        raise ValueError(f"{where}: 'source' must name the holiday notice (id, title, published)")
    try:
        year = int(raw["year"])
        holidays = tuple(
            Holiday(_as_date(h["from"], where), _as_date(h["to"], where), Text.parse(h["name"], where))
            for h in raw.get("holidays") or ()
        )
        makeup = frozenset(_as_date(d, where) for d in raw.get("makeup_working_days") or ())
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{where}: malformed calendar file ({exc})") from None
    for d in makeup:
        if d.year != year:
            raise ValueError(f"{where}: make-up working day {d} is not in {year}")
    schedule = YearSchedule(year, holidays, makeup, Citation(src["id"], "holiday arrangements"))
    try:
        schedule.check()
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return schedule, src


def _as_date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def load_calendar_schedules() -> list[YearSchedule]:
    """One schedule per published year, from the packaged and the operator's files (the last file wins)."""
    by_year = {}
    for path in calendar_files():
        schedule, _ = parse_year_file(read_yaml(path), str(path))  # type: ignore[arg-type]
        by_year[schedule.year] = schedule
    return list(by_year.values())


@cache
def official_calendar() -> OfficialCalendar:
    """The calendar of every published year, packaged and operator-added (``catalog.reload_catalog``
    loads it again after an operator added a year)."""
    return OfficialCalendar(load_calendar_schedules())


def monday_of(day: date) -> date:
    """The Monday of the week (Monday to Sunday) ``day`` falls in."""
    return day - timedelta(days=day.weekday())


def beijing_now(now: datetime | None = None) -> datetime:
    """The instant in Beijing time: ``now`` (any aware instant) or the system clock's.

    The one clock the law core reads, and only for the apps: rule code is always handed its date.
    """
    return (now or datetime.now(BEIJING)).astimezone(BEIJING)


def beijing_today(now: datetime | None = None) -> date:
    """Beijing's date at ``now`` (default: the system clock), for the apps to hand to the rules."""
    return beijing_now(now).date()


def expires_at(last_valid_day: date) -> datetime:
    """The instant a visa or permit valid until ``last_valid_day`` expires: 24:00 Beijing time that day.

    Regulations Art. 36(2).
    """
    return datetime.combine(last_valid_day + timedelta(days=1), time.min, BEIJING)
