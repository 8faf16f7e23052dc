"""The official calendar: working days as the State Council holiday notices set them (Regulations Art. 36).

Expected dates are literals read from the notices for 2024-2026; every day of those years is cross-checked
against two independent packages (``chinese_calendar`` and ``holidays``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitentry.law import calendar as calendar_module
from exitentry.law.calendar import (
    BEIJING,
    CALENDAR_DIR_ENV,
    OfficialCalendar,
    OutOfCalendarRange,
    ScheduleNotPublished,
    expires_at,
    load_calendar_schedules,
    official_calendar,
)
from exitentry.law.catalog import reload_catalog
from exitentry.law.sources import source
from exitentry.law.statutory_holidays import statutory_holidays
from exitentry.law.text import Text

D = date.fromisoformat
PUBLISHED = (2024, 2025, 2026)
FIRST_YEAR, LAST_YEAR = PUBLISHED[0] - 30, PUBLISHED[-1] + 30  # the range the calendar reckons in


def every_day(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


# --- dated scenarios from the notices -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        pytest.param(D("2026-10-10"), True, id="make-up Saturday 2026-10-10 is a working day"),
        pytest.param(D("2026-01-04"), True, id="make-up Sunday 2026-01-04 is a working day"),
        pytest.param(D("2026-09-20"), True, id="make-up Sunday 2026-09-20 is a working day"),
        pytest.param(D("2026-02-28"), True, id="make-up Saturday 2026-02-28 is a working day"),
        pytest.param(D("2026-02-16"), False, id="Monday 2026-02-16 in the Spring Festival is a rest day"),
        pytest.param(D("2025-10-08"), False, id="Wednesday 2025-10-08 is the last day of National Day"),
        pytest.param(D("2026-10-11"), False, id="an ordinary Sunday 2026-10-11 is a rest day"),
        pytest.param(D("2026-10-09"), True, id="an ordinary Friday 2026-10-09 is a working day"),
        pytest.param(D("2024-02-18"), True, id="make-up Sunday 2024-02-18 is a working day"),
        pytest.param(D("2024-06-10"), False, id="Monday 2024-06-10 is the Dragon Boat Festival"),
    ],
)
def test_a_day_is_worked_as_the_notice_says(day: date, working: bool) -> None:
    assert official_calendar().is_working_day(day, exact=True) is working


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        pytest.param(
            D("2026-09-24"), 7, D("2026-10-12"), id="7 after 2026-09-24 skip Mid-Autumn and National Day"
        ),
        pytest.param(D("2025-12-31"), 1, D("2026-01-04"), id="1 after New Year's Eve 2025 is make-up Sunday"),
        pytest.param(D("2025-12-26"), 5, D("2026-01-05"), id="5 across New Year 2025-2026"),
        pytest.param(D("2026-02-13"), 1, D("2026-02-14"), id="1 after 2026-02-13 is make-up Saturday"),
        pytest.param(D("2026-02-14"), 1, D("2026-02-24"), id="1 after 2026-02-14 skips the Spring Festival"),
        pytest.param(D("2025-09-30"), 1, D("2025-10-09"), id="1 after 2025-09-30 skips the 8-day holiday"),
        pytest.param(D("2025-10-09"), 2, D("2025-10-11"), id="2 after 2025-10-09 end on make-up Saturday"),
        pytest.param(D("2026-10-01"), 0, D("2026-10-01"), id="0 working days is the start day itself"),
        pytest.param(D("2026-10-12"), -7, D("2026-09-24"), id="7 before 2026-10-12 is 2026-09-24"),
        pytest.param(D("2026-01-05"), -1, D("2026-01-04"), id="1 before 2026-01-05 is make-up Sunday"),
        pytest.param(D("2026-01-04"), -1, D("2025-12-31"), id="1 before 2026-01-04 crosses back into 2025"),
        pytest.param(
            D("2026-02-24"), -1, D("2026-02-14"), id="1 before 2026-02-24 skips the Spring Festival"
        ),
    ],
)
def test_working_days_are_counted_on_the_official_calendar(start: date, count: int, expected: date) -> None:
    assert official_calendar().add_working_days(start, count, exact=True) == (expected, False)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(D("2026-09-24"), D("2026-10-12"), 7, id="7 working days from 2026-09-24 to 2026-10-12"),
        pytest.param(D("2026-10-12"), D("2026-09-24"), -7, id="minus 7 backwards"),
        pytest.param(D("2026-09-30"), D("2026-10-07"), 0, id="none over National Day 2026"),
        pytest.param(D("2025-12-31"), D("2026-01-05"), 2, id="two across New Year 2025-2026"),
        pytest.param(D("2026-03-02"), D("2026-03-02"), 0, id="none from a day to itself"),
    ],
)
def test_working_days_between_two_dates(start: date, end: date, expected: int) -> None:
    assert official_calendar().working_days_between(start, end, exact=True) == (expected, False)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D("2026-10-01"), D("2026-10-08"), id="National Day 2026 rolls to 2026-10-08"),
        pytest.param(D("2026-02-14"), D("2026-02-14"), id="a make-up Saturday is its own next working day"),
        pytest.param(D("2026-10-09"), D("2026-10-09"), id="a working Friday is its own next working day"),
        pytest.param(
            D("2025-10-04"), D("2025-10-09"), id="a Saturday in the 2025 holiday rolls to 2025-10-09"
        ),
    ],
)
def test_the_next_working_day(day: date, expected: date) -> None:
    assert official_calendar().next_working_day(day, exact=True) == (expected, False)


def test_the_holiday_a_day_falls_in_is_named_in_both_languages() -> None:
    holiday = official_calendar().holiday_on(D("2025-10-08"))
    assert holiday is not None
    assert (holiday.name.en, holiday.name.zh) == ("National Day and Mid-Autumn Festival", "国庆节、中秋节")
    assert official_calendar().holiday_on(D("2025-10-09")) is None


def test_a_date_decades_from_any_published_year_is_refused() -> None:
    with pytest.raises(OutOfCalendarRange, match="1 January 1990 lies outside"):
        official_calendar().is_working_day(D("1990-01-01"))


# --- a year without its notice rests on the statutory days and their days in lieu (Measures Arts. 2, 6)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        pytest.param(D("2027-01-01"), "New Year's Day", id="Friday 1 January 2027"),
        pytest.param(D("2027-02-05"), "Spring Festival", id="Lunar New Year's Eve, Friday 5 February 2027"),
        pytest.param(D("2027-02-08"), "Spring Festival", id="the 3rd of the first month, Monday 8 February"),
        pytest.param(D("2027-04-05"), "Qingming Festival", id="Qingming, Monday 5 April 2027"),
        pytest.param(D("2027-06-09"), "Dragon Boat Festival", id="Dragon Boat, Wednesday 9 June 2027"),
        pytest.param(D("2027-09-15"), "Mid-Autumn Festival", id="Mid-Autumn, Wednesday 15 September 2027"),
        pytest.param(D("2027-10-01"), "National Day", id="National Day, Friday 1 October 2027"),
    ],
)
def test_an_unpublished_year_rests_on_its_statutory_days(day: date, name: str) -> None:
    calendar = official_calendar()
    assert calendar.is_working_day(day) is False
    assert calendar.holiday_on(day).name.en == name  # type: ignore[union-attr]
    assert calendar.next_working_day(day).provisional
    assert not calendar.is_published(2027)


def test_an_unpublished_year_s_spring_festival_runs_on_to_its_days_in_lieu() -> None:
    """Eve Friday 5 February 2027 to the 3rd Monday 8 February, its Saturday and Sunday made up on Tuesday 9
    and Wednesday 10 (Measures Art. 6); the bridging days are the notice's to set."""
    calendar = official_calendar()
    holiday = calendar.holiday_on(D("2027-02-06"))
    assert holiday is not None
    assert (holiday.start, holiday.end, holiday.name.zh) == (D("2027-02-05"), D("2027-02-10"), "春节")
    assert [calendar.is_working_day(D(f"2027-02-{d:02}")) for d in range(8, 13)] == [0, 0, 0, 1, 1]


@pytest.mark.parametrize(
    ("day", "name"),
    [
        pytest.param(D("2027-05-04"), "Labour Day", id="Tuesday 4 May 2027 for Sunday 2 May"),
        pytest.param(D("2027-10-05"), "National Day", id="Tuesday 5 October 2027 for Sunday 3 October"),
        pytest.param(D("2028-01-03"), "New Year's Day", id="Monday 3 January 2028 for Saturday 1 January"),
        pytest.param(D("2028-05-29"), "Dragon Boat Festival", id="Monday 29 May 2028 for Sunday 28 May"),
    ],
)
def test_an_unpublished_year_rests_the_day_in_lieu_of_a_holiday_on_a_weekend(day: date, name: str) -> None:
    calendar = official_calendar()
    assert calendar.is_working_day(day) is False
    assert calendar.holiday_on(day).name.en == name  # type: ignore[union-attr]
    assert calendar.is_working_day(day + timedelta(days=1)) is True


def test_a_mid_autumn_inside_national_day_is_one_holiday_made_up_in_full() -> None:
    """Mid-Autumn 2028 is Tuesday 3 October: Sunday 1 October is made up on the 4th and the shared day on
    the 5th, as the notices of 2009 and 2020 gave both festivals."""
    calendar = official_calendar()
    holiday = calendar.holiday_on(D("2028-10-03"))
    assert holiday is not None
    assert (holiday.start, holiday.end) == (D("2028-10-01"), D("2028-10-05"))
    assert holiday.name.zh == "国庆节、中秋节"
    assert calendar.next_working_day(D("2028-10-01")) == (D("2028-10-06"), True)


def test_the_statutory_days_cite_the_measures() -> None:
    schedule = official_calendar().statutory_schedule(2027)
    assert schedule is not None and schedule.makeup_working_days == frozenset()
    assert schedule.citation.label.zh == "《全国年节及纪念日放假办法》第二条"


@pytest.mark.parametrize("year", (2025, 2026))
def test_the_statutory_days_of_a_published_year_lie_within_its_notice_s_holidays(year: int) -> None:
    """The lunar library's dates checked against two notices: each statutory day is one of their rest days."""
    calendar = official_calendar()
    days = [d for d in every_day(year) if any(f <= d <= la for f, la, _ in statutory_holidays(year))]
    assert len(days) == 13
    assert [d for d in days if calendar.is_working_day(d, exact=True)] == []


@pytest.mark.parametrize("year", range(2027, 2036))
def test_the_statutory_days_agree_with_the_holidays_package(year: int) -> None:
    """Its "observed" days (a working day given for a holiday on a weekend, Measures Art. 6) are held to
    ``days_in_lieu`` in test_statutory_holidays: not statutory days."""
    ours = {d for d in every_day(year) if any(f <= d <= la for f, la, _ in statutory_holidays(year))}
    theirs = {d for d, name in holidays.China(years=year).items() if "observed" not in name.lower()}
    assert ours == theirs


def test_before_the_revised_measures_an_unpublished_year_is_weekdays_alone() -> None:
    assert official_calendar().statutory_schedule(2023) is None
    assert official_calendar().is_working_day(D("2023-10-02"))  # weekday; no schedule typed in for 2023


# --- cross-checks against two independent sources ----------------------------------------------


@pytest.mark.parametrize("year", PUBLISHED)
def test_every_day_agrees_with_chinese_calendar(year: int) -> None:
    calendar = official_calendar()
    disagreements = [
        day
        for day in every_day(year)
        if calendar.is_working_day(day, exact=True) != chinese_calendar.is_workday(day)
    ]
    assert disagreements == []


@pytest.mark.parametrize("year", PUBLISHED)
def test_every_day_agrees_with_the_holidays_package(year: int) -> None:
    cn = holidays.China(years=year)
    calendar = official_calendar()
    disagreements = [
        day for day in every_day(year) if calendar.is_working_day(day, exact=True) != cn.is_working_day(day)
    ]
    assert disagreements == []


@pytest.mark.parametrize("year", PUBLISHED)
def test_make_up_days_and_weekday_rest_days_match_the_holidays_package(year: int) -> None:
    """Compared as sets, so a difference shows which notice entry disagrees."""
    cn = holidays.China(years=year)
    schedule = official_calendar().schedule(year)
    assert schedule is not None
    assert schedule.makeup_working_days == {d for d in cn.weekend_workdays if d.year == year}
    ours = {d for d in every_day(year) if d.weekday() < 5 and schedule.holiday_on(d)}
    assert ours == {d for d in cn if d.weekday() < 5}


# --- unpublished years: provisional, or refused when exact ----------------------------------------


def test_a_count_reaching_an_unpublished_year_is_provisional() -> None:
    reckoned = official_calendar().add_working_days(D("2026-12-20"), 15)
    assert reckoned.provisional
    assert reckoned.date.year == 2027


def test_a_count_within_published_years_is_not_provisional() -> None:
    assert not official_calendar().add_working_days(D("2026-12-01"), 15).provisional


@pytest.mark.parametrize(
    "reckon",
    [
        pytest.param(lambda c: c.add_working_days(D("2026-12-20"), 15, exact=True), id="adding working days"),
        pytest.param(
            lambda c: c.working_days_between(D("2026-12-20"), D("2027-01-15"), exact=True), id="counting"
        ),
        pytest.param(lambda c: c.is_working_day(D("2027-01-04"), exact=True), id="asking about a day"),
        pytest.param(lambda c: c.next_working_day(D("2027-01-01"), exact=True), id="rolling forward"),
    ],
)
def test_an_exact_reckoning_into_2027_is_refused_naming_the_year(reckon) -> None:
    with pytest.raises(ScheduleNotPublished, match="2027") as raised:
        reckon(official_calendar())
    assert raised.value.years == (2027,)


TEST_SCHEDULE_2027 = """\
# A made-up schedule for the tests, not the real 2027 notice.
year: 2027
source:
  id: sc-holidays-2027
  title: {en: Test holiday notice for 2027, zh: 测试用2027年节假日通知}
  published: 2026-11-01
holidays:
  - {from: 2027-01-01, to: 2027-01-03, name: {en: New Year's Day, zh: 元旦}}
makeup_working_days: [2027-01-09]
"""


@pytest.fixture
def operator_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``$EXITENTRY_CALENDAR_DIR`` pointing at an empty folder; the packaged calendar is restored after."""
    monkeypatch.setenv(CALENDAR_DIR_ENV, str(tmp_path))
    yield tmp_path
    monkeypatch.undo()
    reload_catalog()


def published(calendar) -> tuple[int, ...]:
    return tuple(y for y in range(2000, 2060) if calendar.is_published(y))


def test_an_operator_added_year_makes_2027_exact(operator_dir: Path) -> None:
    (operator_dir / "2027.yaml").write_text(TEST_SCHEDULE_2027, encoding="utf-8")
    calendar = reload_catalog().calendar
    assert published(calendar) == (2024, 2025, 2026, 2027)
    # 9 working days left in December 2026, then 4-8 January and the make-up Saturday 9 January.
    assert calendar.add_working_days(D("2026-12-20"), 15, exact=True) == (D("2027-01-09"), False)
    assert not calendar.is_working_day(D("2027-01-01"), exact=True)
    assert source("sc-holidays-2027").title.en == "Test holiday notice for 2027"


def test_without_an_operator_folder_only_the_packaged_years_are_published() -> None:
    assert published(official_calendar()) == PUBLISHED


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        pytest.param(
            TEST_SCHEDULE_2027.replace("[2027-01-09]", "[2027-01-05]"),
            "make-up working day 2027-01-05 is not a weekend day",
            id="a make-up day on a Tuesday",
        ),
        pytest.param(
            TEST_SCHEDULE_2027.replace(
                "makeup_working_days",
                "  - {from: 2027-01-03, to: 2027-01-05, name: {en: Extra, zh: 加假}}\nmakeup_working_days",
            ),
            "overlap",
            id="overlapping holidays",
        ),
        pytest.param(
            TEST_SCHEDULE_2027.replace("[2027-01-09]", "[soon]"),
            "'soon' is not a date",
            id="a word for a date",
        ),
        pytest.param(
            TEST_SCHEDULE_2027.replace("[2027-01-09]", "[2027-02-30]"),
            "day is out of range",
            id="30 February",
        ),
        pytest.param(
            TEST_SCHEDULE_2027.replace("[2027-01-09]", "[2026-12-26]"),
            "not in 2027",
            id="a day of another year",
        ),
    ],
)
def test_a_malformed_operator_file_is_refused_naming_the_file(
    operator_dir: Path, broken: str, reason: str
) -> None:
    path = operator_dir / "2027.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(str(path))) as raised:
        reload_catalog()
    assert reason in str(raised.value)


# --- properties -----------------------------------------------------------------------------------

days = st.dates(min_value=D("2024-01-01"), max_value=D("2026-12-31"))
counts = st.integers(min_value=0, max_value=250)
working_days = days.filter(lambda d: official_calendar().is_working_day(d))


@given(days, st.integers(min_value=1, max_value=250))
def test_adding_working_days_lands_on_a_later_working_day(start: date, n: int) -> None:
    calendar = official_calendar()
    result = calendar.add_working_days(start, n).date
    assert result > start
    assert calendar.is_working_day(result)


@given(days, counts)
def test_counting_back_the_days_added_gives_the_count(start: date, n: int) -> None:
    calendar = official_calendar()
    assert calendar.working_days_between(start, calendar.add_working_days(start, n).date).days == n


@given(days, counts, counts)
def test_adding_a_then_b_equals_adding_a_plus_b(start: date, a: int, b: int) -> None:
    calendar = official_calendar()
    stepped = calendar.add_working_days(calendar.add_working_days(start, a).date, b).date
    assert stepped == calendar.add_working_days(start, a + b).date


@given(working_days, counts)
def test_a_negative_count_undoes_a_positive_one_on_a_working_day(start: date, n: int) -> None:
    calendar = official_calendar()
    forward = calendar.add_working_days(start, n).date
    assert calendar.add_working_days(forward, -n).date == start
    assert calendar.add_working_days(calendar.add_working_days(start, -n).date, n).date == start


@given(days, counts, counts)
def test_more_working_days_never_end_earlier(start: date, a: int, b: int) -> None:
    calendar = official_calendar()
    low, high = sorted((a, b))
    first, second = calendar.add_working_days(start, low).date, calendar.add_working_days(start, high).date
    assert first < second if low < high else first == second


@given(st.integers(min_value=2027, max_value=LAST_YEAR))
def test_an_unpublished_year_rests_the_13_weekdays_of_the_measures(year: int) -> None:
    """Art. 2's 13 days, each on a Saturday or Sunday made up on a weekday (Art. 6)."""
    calendar = official_calendar()
    assert not calendar.is_published(year)
    assert len([d for d in every_day(year) if d.weekday() < 5 and not calendar.is_working_day(d)]) == 13


# --- each year reckoned on first use, as the whole range was at start-up ---------------------------


def eager_working_days(calendar: OfficialCalendar) -> list[int]:
    """The ordinals of every working day of the range, built day by day as the calendar once did at start-up."""
    found = []
    for year in range(calendar.first_year, calendar.last_year + 1):
        schedule = calendar.schedule(year) or calendar.statutory_schedule(year)
        for day in every_day(year):
            if schedule.is_working_day(day) if schedule else day.weekday() < 5:
                found.append(day.toordinal())
    return found


EAGER = eager_working_days(official_calendar())


def eager_add(calendar: OfficialCalendar, start: date, n: int) -> date:
    """``add_working_days`` on the eager list (the start-up computation's arithmetic)."""
    if n == 0:
        calendar.check_range(start, start)
        return start
    i = bisect_right(EAGER, start.toordinal()) + n - 1 if n > 0 else bisect_left(EAGER, start.toordinal()) + n
    if not 0 <= i < len(EAGER):
        raise OutOfCalendarRange(Text("leaves the range", "超出范围"))
    result = date.fromordinal(EAGER[i])
    calendar.check_range(min(start, result), max(start, result))
    return result


def test_every_day_of_the_range_is_worked_as_the_eager_computation_says() -> None:
    calendar = official_calendar()
    days_in_range = [d for y in range(FIRST_YEAR, LAST_YEAR + 1) for d in every_day(y)]
    assert [d.toordinal() for d in days_in_range if calendar.is_working_day(d)] == EAGER
    assert all(
        calendar.holiday_on(d)
        == (calendar.schedule(d.year) or calendar.statutory_schedule(d.year)).holiday_on(d)
        for d in days_in_range
        if d.year >= 2025
    )


whole_range = st.dates(min_value=date(FIRST_YEAR - 2, 1, 1), max_value=date(LAST_YEAR + 2, 12, 31))
any_count = st.one_of(st.integers(-400, 400), st.integers(-25_000, 25_000))


@given(whole_range, any_count)
def test_adding_working_days_gives_what_the_eager_computation_gives(start: date, n: int) -> None:
    calendar = official_calendar()
    try:
        expected = eager_add(calendar, start, n)
    except OutOfCalendarRange:
        with pytest.raises(OutOfCalendarRange):
            calendar.add_working_days(start, n)
    else:
        assert calendar.add_working_days(start, n).date == expected


@given(whole_range, whole_range)
def test_counting_and_rolling_give_what_the_eager_computation_gives(start: date, end: date) -> None:
    calendar = official_calendar()
    if not (min(start, end).year >= FIRST_YEAR and max(start, end).year <= LAST_YEAR):
        with pytest.raises(OutOfCalendarRange):
            calendar.working_days_between(start, end)
        return
    expected = bisect_right(EAGER, end.toordinal()) - bisect_right(EAGER, start.toordinal())
    assert calendar.working_days_between(start, end).days == expected
    i = bisect_left(EAGER, start.toordinal())
    if i < len(EAGER):
        assert calendar.next_working_day(start).date == date.fromordinal(EAGER[i])


def test_a_year_s_lunar_holidays_are_reckoned_once_when_it_is_first_asked(monkeypatch) -> None:
    """Start-up reckons no lunar date; a day of 2040 asked from eight threads at once reckons 2040 alone, once."""
    asked: list[int] = []
    reckon = calendar_module.holidays_with_days_in_lieu
    monkeypatch.setattr(calendar_module, "holidays_with_days_in_lieu", lambda y: asked.append(y) or reckon(y))
    calendar = OfficialCalendar(load_calendar_schedules())
    assert asked == []
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = set(pool.map(lambda _: calendar.add_working_days(D("2040-06-01"), 3), range(8)))
    assert asked == [2040]
    assert answers == {official_calendar().add_working_days(D("2040-06-01"), 3)}


@settings(max_examples=50)
@given(days)
def test_a_permit_expires_at_midnight_beijing_time_which_is_16_00_utc(day: date) -> None:
    instant = expires_at(day)
    assert instant.astimezone(UTC) == datetime(day.year, day.month, day.day, 16, tzinfo=UTC)
    assert instant.tzinfo == BEIJING


def test_a_permit_valid_until_31_march_expires_at_the_start_of_1_april_in_beijing() -> None:
    assert expires_at(D("2026-03-31")) == datetime(2026, 4, 1, 0, 0, tzinfo=BEIJING)
    assert expires_at(D("2026-03-31")) == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)


def test_provisional_is_said_once_citing_the_holiday_measures() -> None:
    said = calendar_module.PROVISIONAL.format(years=calendar_module.THAT_YEAR)
    title = source("holidays-measures").title
    assert said.en.startswith("Provisional: the holiday schedule for that year") and title.en in said.en
    assert said.zh.startswith("暂定：该年度节假日安排尚未公布") and title.zh in said.zh


@pytest.mark.parametrize("day", [date(2026, 11, 23), date(2026, 11, 26), date(2026, 11, 29)])
def test_the_monday_of_a_week_is_its_first_day(day: date) -> None:
    assert calendar_module.monday_of(day) == date(2026, 11, 23)
