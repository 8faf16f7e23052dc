"""``/calendar``: working days on China's official calendar (State Council holiday notices), as the
Regulations count time limits (Art. 36). Dates in a year whose schedule is not published are counted on
its statutory holidays and their days in lieu (National Holidays Measures Arts. 2 and 6) and marked
``provisional``; ``exact=true`` refuses them instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.utils.translation import gettext_lazy as _
from ninja import Field

from exitentry.api.errors import ApiError
from exitentry.api.language import filled
from exitentry.api.routing import Router, described
from exitentry.api.schemas import CitationOut, Out, TextOut, article
from exitentry.law.calendar import OutOfCalendarRange, ScheduleNotPublished, official_calendar
from exitentry.law.text import Text

router = Router(tags=["calendar"])


class HolidayOut(Out):
    name: TextOut
    start: date
    end: date


class DayOut(Out):
    date: date
    working_day: bool
    holiday: HolidayOut | None = Field(
        description=(
            _(
                "the holiday the day falls in: the notice's, or in an unpublished year the statutory days running on"
                " to their days in lieu"
            )
        )
    )
    makeup_working_day: bool = Field(description=_("a weekend day worked in exchange for a holiday"))
    published: bool = Field(description=_("whether the year's holiday schedule is published"))
    provisional: bool = Field(
        description=(
            _(
                "judged on the statutory holidays and their days in lieu: the year is not published, its bridging"
                " days unknown"
            )
        )
    )
    source: CitationOut | None = Field(description=_("the holiday notice, for a published year"))


class ReckonedOut(Out):
    date: date
    provisional: bool


class CountedOut(Out):
    days: int
    provisional: bool


@router.get(
    "/calendar/days/{day}",
    response=DayOut,
    description=described(
        _("anyone."),
        _(
            "Whether a date is a working day on China's official calendar: a public holiday (its name and its days), a"
            " working weekend day in lieu, and whether the year's schedule is published. A year not yet published is"
            " reckoned on its statutory holidays and marked `provisional`."
        ),
        filled(
            _(
                "the State Council's yearly holiday notice where published (`source`), else the %(article)s and %(article2)s; time limits are counted in working days under the %(article3)s."
            ),
            article=article("holidays-measures", "Art. 2"),
            article2=article("holidays-measures", "Art. 6"),
            article3=article("regulations", "Art. 36"),
        ),
    ),
    summary=_("Is a day a working day?"),
)
def get_day(request, day: date):
    calendar = official_calendar()
    with _refusals("day"):
        working = calendar.is_working_day(day)
    schedule = calendar.schedule(day.year)
    holiday = calendar.holiday_on(day)
    return {
        "date": day,
        "working_day": working,
        "holiday": {"name": holiday.name.as_dict(), "start": holiday.start, "end": holiday.end}
        if holiday
        else None,
        "makeup_working_day": schedule is not None and day in schedule.makeup_working_days,
        "published": schedule is not None,
        "provisional": schedule is None,
        "source": schedule.citation.as_dict() if schedule else None,
    }


@router.get(
    "/calendar/add-working-days",
    response=ReckonedOut,
    description=described(
        _("anyone."),
        _(
            "The date `days` working days after `start` (the start day not counted), as a time limit is counted. With"
            " `exact=true` a year whose schedule is not published is refused (422 on `exact`) instead of reckoned"
            " provisionally."
        ),
        filled(
            _("working days on the official calendar, as the %(article)s counts time limits."),
            article=article("regulations", "Art. 36"),
        ),
    ),
    summary=_("The N-th working day after a date (the start day not counted)"),
)
def add_working_days(request, start: date, days: int, exact: bool = False):
    with _refusals("days"):
        return official_calendar().add_working_days(start, days, exact=exact)._asdict()


@router.get(
    "/calendar/working-days-between",
    response=CountedOut,
    description=described(
        _("anyone."),
        _(
            "How many working days fall after `start` up to and including `end`. With `exact=true` a year whose schedule"
            " is not published is refused (422 on `exact`)."
        ),
        filled(
            _("working days on the official calendar, as the %(article)s counts time limits."),
            article=article("regulations", "Art. 36"),
        ),
    ),
    summary=_("Working days after start up to and including end"),
)
def working_days_between(request, start: date, end: date, exact: bool = False):
    with _refusals("end"):
        return official_calendar().working_days_between(start, end, exact=exact)._asdict()


@contextmanager
def _refusals(field: str) -> Iterator[None]:
    """The calendar's refusals as 422 errors: an unpublished year on ``exact``, a date out of range on ``field``."""
    try:
        yield
    except ScheduleNotPublished as exc:
        raise ApiError(
            422, "exact", Text(str(exc), "该年份的官方节假日安排尚未公布，无法精确计算工作日。")
        ) from None
    except OutOfCalendarRange as exc:
        raise ApiError(422, field, exc.text) from None
