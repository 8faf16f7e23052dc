"""``/halls``: where to apply, the hours, and whether a hall is open now (or at ``?at=``), in Beijing time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Schema

from exitentry.api.errors import ApiError
from exitentry.api.routing import Router, described
from exitentry.api.schemas import HallOut, TextOut
from exitentry.appointments.opening import hall_states_as_dicts
from exitentry.law.calendar import OutOfCalendarRange, beijing_now
from exitentry.law.catalog import catalog
from exitentry.law.halls import NaiveDateTime, parse_instant
from exitentry.law.model import Hall
from exitentry.law.text import Text

router = Router(tags=["halls"])
# An unencoded "+" in a query string arrives as a space: "09:30 08:00" meant "09:30+08:00".
_SPACE_FOR_PLUS = re.compile(r" (\d{2}:?\d{2})$")


class AtQuery(Schema):
    at: str | None = Field(
        default=None,
        description=_("an instant with its time zone (ISO 8601), e.g. 2026-11-23T09:30+08:00; default now"),
        json_schema_extra={"format": "date-time"},
    )


class HallStateOut(HallOut):
    __doc__ = _("A hall with its hours and whether it is open at ``at`` (Beijing time).")

    hours: TextOut
    accepts: list[str] = Field(
        description=_('categories of application accepted; "*" accepts every procedure')
    )
    at: datetime
    open_now: bool
    closes_at: datetime | None = Field(description=_("when open: the end of the current session"))
    next_opening: datetime | None = Field(description=_("when closed: the start of the next session"))
    reason: TextOut
    provisional: bool = Field(description=_("relies on a year whose holiday schedule is not published"))


@router.get(
    "/halls",
    response=list[HallStateOut],
    description=described(
        _("anyone."),
        _(
            "Every exit-entry hall with its address, hours and sessions, and whether it is open at an instant (`at`, ISO"
            " 8601 with its UTC offset; now without it): when open, when the session ends; when closed, when it next opens"
            " and why, on the official calendar. Where the sources disagree about a hall, the choice made and why"
            " (`choices`)."
        ),
        _(
            "each hall's hours cite their source in `cite`; public holidays and working weekends come from the official"
            " calendar (see `/calendar/days/{day}`)."
        ),
    ),
    summary=_("The halls and whether they are open"),
)
def list_halls(request, query: Query[AtQuery]):
    return _states(catalog().halls.values(), query.at)


@router.get(
    "/halls/{hall_id}",
    response=HallStateOut,
    description=described(
        _("anyone."),
        _(
            "One hall, as in the list, open or closed at `at` (now without it). 404 names the halls there are."
        ),
    ),
    summary=_("One hall and whether it is open"),
)
def get_hall(request, hall_id: str, query: Query[AtQuery]):
    hall = catalog().halls.get(hall_id)
    if hall is None:
        known = ", ".join(catalog().halls)
        raise ApiError(
            404,
            "hall_id",
            Text(
                f"No hall {hall_id!r}; the halls are {known}.",
                f"没有“{hall_id}”这个受理大厅；受理大厅为：{known}。",
            ),
        )
    return _states([hall], query.at)[0]


def _states(halls: Iterable[Hall], text: str | None) -> list[dict[str, object]]:
    """Each hall's state at the instant ``text`` gives (now without it); an instant too far from any
    published year for the calendar is refused on ``at``."""
    try:
        at = _instant(text)
        return hall_states_as_dicts(halls, at)
    except OutOfCalendarRange as exc:
        raise ApiError(422, "at", exc.text) from None


def _instant(text: str | None) -> datetime:
    if text is None:
        return beijing_now()
    try:
        return parse_instant(_SPACE_FOR_PLUS.sub(r"+\1", text.strip()))
    except (NaiveDateTime, OutOfCalendarRange):
        raise  # answered on ``at`` too (errors.describe, _states)
    except ValueError as exc:
        raise ApiError(
            422,
            "at",
            Text(
                f"{exc} (in a URL, write + as %2B)",
                "时间须为 ISO 8601 格式并带时区，例如 2026-12-02T09:00:00+08:00（在网址中将 + 写作 %2B）。",
            ),
        ) from None
