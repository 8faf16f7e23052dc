"""When the exit-entry halls are open, in Beijing time, on the official calendar.

The seeds list each hall's hours from Monday to Saturday (seed 000 "Where to apply", seed 001 "Opening
hours"; the Shijingshan hall breaks for lunch 12:00-13:30). A hall is closed on statutory holidays, a
Saturday inside a holiday included (State Council holiday notices; seed 003 says holiday hours are
"subject to further notice"). A make-up working Sunday is treated as closed: whether the halls open on one
is NOT confirmed by any source, so the answer says so. A session runs from its opening time up to, not
including, its closing time: at 17:00 a hall that closes at 17:00 is closed.

Recorded choice, make-up working days (the seeds are silent; the halls' weekdays and the State Council's
notices are what we have): a make-up working day is an opening day when it falls on one of the hall's
weekdays, with its usual sessions (a make-up working Saturday opens 09:00-17:00 like any Saturday), and a
closed day otherwise (a make-up working Sunday). ``sessions_on`` is what appointments book against.

A day in a year whose holiday schedule is not published is judged on its weekday and the statutory
holidays with their days in lieu (the official calendar's), and the answer is marked ``provisional``.

A counter of a hall closed (an officer or administrator turns it off) takes the appointments booked at it:
``counter_closed`` is what their holders are told, on the sources of the halls' places and hours, with the
recorded choice it documents.

A hall's own change to one of its days (a closure, extra hours: a supervisor's decision, not a rule of the
sources) comes in as a ``DayChange`` from the caller (``appointments.opening`` alone builds them) and wins
over the calendar for that day, in every answer below that takes ``changes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from exitentry.law.calendar import BEIJING, official_calendar
from exitentry.law.catalog import PILOT_FACT, catalog
from exitentry.law.model import Hall, Procedure, Session
from exitentry.law.rulefunctions import RULE_FUNCTIONS, cites
from exitentry.law.text import MONTHS, Text, continued, day_text

# The authority the halls belong to, which issues the residence permits and publishes what Regulations
# Art. 34 has it announce: the Beijing guides are its own (their titles, ``sources.yaml``), and the
# permanent-residence guide names it as the card's issuer. The documents' letterhead and the public notice
# name it from here.
AUTHORITY = Text(
    en="Exit-Entry Administration of Beijing Municipal Public Security Bureau",
    zh="北京市公安局出入境管理总队",
)
# The sources of the halls' places and opening hours, which the rules below on a hall's days, its counters and
# the times it offers cite (each of them all three).
HALLS_PLACES_AND_HOURS = (
    "bj-personal-affairs: Where to apply",
    "bj-permanent-residence: Opening hours",
    "bj-zgc-pr: Where to apply",
)
_SEARCH_DAYS = 366  # the longest run of closed days is a holiday of about ten days; a year is ample
WEEKDAY_NAMES = (
    Text("Monday", "周一"),
    Text("Tuesday", "周二"),
    Text("Wednesday", "周三"),
    Text("Thursday", "周四"),
    Text("Friday", "周五"),
    Text("Saturday", "周六"),
    Text("Sunday", "周日"),
)


def dated(value: date) -> Text:
    """A date with its weekday, as the pages and messages give it: "Tue 1 December 2026" / "2026年12月1日（周二）"."""
    weekday = WEEKDAY_NAMES[value.weekday()]
    return Text(
        f"{weekday.en[:3]} {value.day} {MONTHS[value.month - 1]} {value.year}",
        f"{value.year}年{value.month}月{value.day}日（{weekday.zh}）",
    )


_OPEN = Text("Open until {closes}.", "开放中，{closes}结束。")
_BEFORE = Text("Not open yet today; opens at {opens}.", "今日尚未开放，{opens}开始办公。")
_BREAK = Text("Closed for the lunch break; opens again at {opens}.", "午休时间，{opens}恢复办公。")
_AFTER = Text("Closed for the day (after hours, from {closes}).", "今日已下班（{closes}起）。")
_HOLIDAY = Text(
    "Closed for the {name} holiday ({start} to {end}).", "{name_zh}假期暂停办公（{start}至{end}）。"
)
_WEEKDAY = Text("Closed on {day}s.", "{day_zh}不办公。")
_CLOSED_ON_LAST_DAY = Text(
    "The halls are closed that day: the last day a hall is open before it is {day}.",
    "当日各出入境大厅均不办公：此前最后一个办公日为{day}。",
)
_MAKEUP_SUNDAY = Text(
    "Closed on Sundays. {day} is a make-up working day, but whether the halls open on a make-up Sunday "
    "is not confirmed; telephone (8610) 84020101 before going.",
    "周日不办公。{day}为调休上班日，但出入境大厅是否在调休周日办公尚未确认；前往前请致电（8610）84020101。",
)


@dataclass(frozen=True, slots=True)
class DayChange:
    """One day of a hall as its supervisor changed it: the day's sessions (none: closed) and why."""

    sessions: tuple[Session, ...]
    reason: Text


Changes = Mapping[date, DayChange]  # one hall's changed days
NO_CHANGES: Changes = {}


class NaiveDateTime(ValueError):
    """A date and time without a time zone: the instant it means is unknown."""

    def __init__(self, at: datetime):
        super().__init__(
            f"{at.isoformat()} has no time zone; give one, e.g. {at.isoformat()}+08:00 for Beijing time"
        )


@dataclass(frozen=True, slots=True)
class OpeningState:
    """Whether ``hall`` is open at ``at`` (Beijing time), until when, or when it opens next, and why."""

    hall: Hall
    at: datetime
    open: bool
    closes_at: datetime | None  # when open: the end of the current session
    next_opening: datetime | None  # when closed: the start of the next session
    reason: Text
    provisional: bool  # a day consulted lies in a year without a published holiday schedule

    @property
    def opens_later_today(self) -> bool:
        """Closed now and open again the same day (before opening, the lunch break): ``reason`` then says
        when, and the halls page and the queue screen say that, not the next opening's weekday."""
        return self.next_opening is not None and self.next_opening.date() == self.at.date()

    def as_dict(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(),
            "open": self.open,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
            "next_opening": self.next_opening.isoformat() if self.next_opening else None,
            "reason": self.reason.as_dict(),
            "provisional": self.provisional,
        }


def beijing(at: datetime) -> datetime:
    """``at`` in Beijing time; a naive datetime is refused (``NaiveDateTime``), never guessed, and so is
    one a day from the ends of time (``OutOfCalendarRange``)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise NaiveDateTime(at)
    try:
        return at.astimezone(BEIJING)
    except OverflowError:  # in year 1 or 9999: far outside the calendar's range, which says so
        official_calendar().check_range(at.date(), at.date())
        raise


def parse_instant(text: str) -> datetime:
    """An aware instant from ISO 8601 text ("2026-11-23T09:30+08:00", "...Z"); naive text is refused."""
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time such as 2026-11-23T09:30+08:00") from None
    return beijing(at)


def opening_state(hall: Hall, at: datetime, changes: Changes = NO_CHANGES) -> OpeningState:
    """Whether ``hall`` is open at the aware instant ``at``, and the next opening when it is not.

    Closed on statutory holidays and on days outside the hall's weekdays; a make-up working Sunday
    counts as closed (unconfirmed: no source says whether the halls open then, and the reason says so).
    A day in ``changes`` is as changed. An instant too far from any published year is refused
    (``OutOfCalendarRange``).
    """
    local = beijing(at)
    day, now = local.date(), local.time()
    official_calendar().check_range(day, day)
    closed_reason = _closed_day_reason(hall, day, changes)
    provisional = not official_calendar().is_published(day.year)
    sessions = _day_sessions(hall, day, changes)
    if closed_reason is None:
        for session in sessions:
            if session.opens <= now < session.closes:
                closes = _OPEN.format(closes=_hm(session.closes))
                return OpeningState(hall, local, True, _at(day, session.closes), None, closes, provisional)
        later = next((s for s in sessions if now < s.opens), None)
        if later is not None:
            reason = (_BEFORE if later is sessions[0] else _BREAK).format(opens=_hm(later.opens))
            return OpeningState(hall, local, False, None, _at(day, later.opens), reason, provisional)
        closed_reason = _AFTER.format(closes=_hm(sessions[-1].closes))
    next_day, unpublished = _next_opening_day(hall, day, changes)
    opens = _at(next_day, _day_sessions(hall, next_day, changes)[0].opens)
    return OpeningState(hall, local, False, None, opens, closed_reason, provisional or unpublished)


def opens_on(hall: Hall, day: date, changes: Changes = NO_CHANGES) -> bool:
    """Whether ``hall`` receives applicants on ``day`` at all (its weekdays, less statutory holidays; a
    day in ``changes`` as changed)."""
    return _closed_day_reason(hall, day, changes) is None


def first_opening_day(
    halls: tuple[Hall, ...], day: date, changes: Mapping[str, Changes] | None = None
) -> date:
    """``day`` if one of ``halls`` receives applicants on it, else the first day after on which one does
    (a Sunday, a statutory holiday, a day its supervisor closed: the next opening day); ``day`` itself
    where there is no hall. ``changes``: each hall's changed days, by hall id."""
    changes = changes or {}
    if not halls or any(opens_on(h, day, changes.get(h.id, NO_CHANGES)) for h in halls):
        return day
    return min(_next_opening_day(h, day, changes.get(h.id, NO_CHANGES))[0] for h in halls)


def last_opening_day(hall: Hall, day: date) -> date:
    """``day`` if ``hall`` receives applicants on it, else the last day before it on which it does: where
    a step taken at the counter on or before ``day`` was taken (a back-dated visit; ``first_opening_day``'s
    mirror, on the calendar alone)."""
    for offset in range(_SEARCH_DAYS + 1):
        candidate = day - timedelta(days=offset)
        if opens_on(hall, candidate):
            return candidate
    raise ValueError(f"hall {hall.id} has no opening day within {_SEARCH_DAYS} days before {day}")


@cites(*HALLS_PLACES_AND_HOURS)
def last_day_a_hall_opens(day: date) -> date:
    """``day`` if a hall of the Administration receives applicants on it, else the last day before it on
    which one does: the practical last day to apply at a counter by a legal last day on which every hall
    is closed (a statutory holiday, a Sunday). The legal day stays as computed: no source moves it."""
    return max(last_opening_day(hall, day) for hall in catalog().halls.values())


def closed_on_last_day(day: date) -> Text | None:
    """What a holder is told beside a legal last day ``day`` on which every hall is closed: the last day
    one is open before it (``last_day_a_hall_opens``); None when a hall opens on ``day``."""
    open_day = last_day_a_hall_opens(day)
    return None if open_day == day else _CLOSED_ON_LAST_DAY.format(day=day_text(open_day))


@cites(*HALLS_PLACES_AND_HOURS)
def closed_reason(hall: Hall, day: date, changes: Changes = NO_CHANGES) -> Text | None:
    """Why ``hall`` receives no one all of ``day`` (its weekdays, statutory holidays, a closure in
    ``changes``), or None on an opening day: what is done at its counter, with the applicant there, is
    done on an opening day."""
    return _closed_day_reason(hall, day, changes)


@cites(*HALLS_PLACES_AND_HOURS)
def sessions_on(hall: Hall, day: date) -> tuple[Session, ...]:
    """The sessions in which ``hall`` receives applicants on ``day``, earliest first; none on a day it is
    closed (a statutory holiday, a day outside its weekdays, a make-up working Sunday: the recorded choice
    above). Shijingshan's day is 09:00-12:00 and 13:30-17:30, the lunch break between."""
    if not opens_on(hall, day):
        return ()
    return tuple(sorted(hall.sessions, key=lambda s: s.opens))


_NO_NEW_TICKETS = Text(
    "The hall is not open now: {why}. No one is checked in or given a ticket. Its hours: {hours}. It opens "
    "next on {weekday} {day} at {opens}. Tickets issued before closing are still called and served.",
    "大厅现未开放：{why}。不办理签到，不发放号码。办公时间：{hours}。下次开放：{day}（{weekday}）{opens}。"
    "结束办公前已发放的号码仍照常叫号办理。",
)
_WALK_IN_LATER_TODAY = Text(
    "The hall is not open now: {why}. Walk-in tickets are given from {opens}. Its hours: {hours}.",
    "大厅现未开放：{why}。现场号自{opens}起发放。办公时间：{hours}。",
)
_CLOSED_SIGN = Text("Closed — opens {weekday} {opens}", "已结束办公——{weekday} {opens}开始办公")


@cites(*HALLS_PLACES_AND_HOURS)
def no_new_tickets(hall: Hall, at: datetime, changes: Changes = NO_CHANGES) -> Text | None:
    """Why no applicant is checked in or given a ticket at ``hall`` at ``at`` (outside its sessions that day,
    ``changes`` included: a closed day, before opening, the lunch break, after closing), with its hours and
    next opening; None while a session is open. Before opening and in the lunch break (it opens later that
    day) it says walk-in tickets are given from then: an appointment is checked in ahead of its time.

    Recorded choice (the sources give the halls' hours, "Where to apply" / "Opening hours", and are silent on
    the counter's work at their ends): the hall receives applicants in its hours, so a check-in or a ticket
    is given only then; those already inside at closing hold tickets issued before it and are still called
    and served (a counter step on an issued ticket is not refused); the back office (deciding, issuing a
    permit) is not receiving anyone and works at any time."""
    state = opening_state(hall, at, changes)
    if state.open:
        return None
    opens = state.next_opening
    assert opens is not None  # closed: ``opening_state`` always finds the next opening
    why = Text(continued(state.reason.en.rstrip(".")), state.reason.zh.rstrip("。"))
    if state.opens_later_today:
        return _WALK_IN_LATER_TODAY.format(why=why, opens=_hm(opens.time()), hours=hours(hall))
    weekday = WEEKDAY_NAMES[opens.weekday()]
    return _NO_NEW_TICKETS.format(
        why=why,
        hours=hours(hall),
        weekday=weekday,
        day=day_text(opens.date()),
        opens=_hm(opens.time()),
    )


def closed_sign(state: OpeningState) -> Text:
    """What a hall's queue screen says while the hall is closed: "Closed — opens Monday 09:00"; when it
    opens later that day (``OpeningState.opens_later_today``), what the halls page says then: its reason,
    "Not open yet today; opens at 09:00."."""
    opens = state.next_opening
    assert opens is not None
    if state.opens_later_today:
        return state.reason
    return _CLOSED_SIGN.format(weekday=WEEKDAY_NAMES[opens.weekday()], opens=_hm(opens.time()))


# Recorded choice (``counter_closed``): an appointment whose time the hall takes away (its day closed, fewer
# counters, its counter closed) may be moved whatever the booking rules' cut-off; worded here once, for the
# pages and messages that say so (``appointments.notices``).
MOVED_WHATEVER_THE_CUTOFF = Text("you may move the appointment whatever the cut-off", "改约不受时限限制")
_COUNTER_CLOSED = Text(
    "Counter {number}, where this appointment was to be received, is closed at that time: no one will "
    "receive you there. Choose another time (another counter or day of the hall); "
    + MOVED_WHATEVER_THE_CUTOFF.en,
    "本预约的{number}号窗口在该时段停止办公，届时无人接待。请另选时间（本大厅其他窗口或日期），"
    + MOVED_WHATEVER_THE_CUTOFF.zh,
)
_COUNTER_REOPENED = Text(
    "Counter {number}, where this appointment is to be received, is open at that time again",
    "本预约的{number}号窗口在该时段恢复办公",
)
_TIME_REOPENED = Text(
    "You were told earlier that the hall would not receive you at the time of this appointment, because the "
    "times it offers that day had changed. They have changed again: the hall receives applicants at that "
    "time after all, so that earlier message no longer applies",
    "此前已通知您：因大厅当天可预约的时段有变，本预约时段不再接待。现时段再次调整，大厅在该时段照常接待，"
    "此前的通知不再适用",
)


@cites(*HALLS_PLACES_AND_HOURS)
def counter_closed(number: int) -> Text:
    """What the holder of an appointment at counter ``number`` is told when the hall closes that counter
    (an officer or administrator turns it off): no one receives them there, so they choose another time,
    whatever the cut-off. The sources give each hall's place and hours, in which it receives applicants at
    its counters; they are silent on a counter closed within them. Recorded choice: the appointment is
    kept, not cancelled, and its holder moves it, as on a day the hall's supervisor closed. Without its
    closing stop: it is set inside a sentence or joined to others, as a supervisor's reason is."""
    return _COUNTER_CLOSED.format(number=number)


COUNTER_CLOSED_CITE = RULE_FUNCTIONS[f"{__name__}.counter_closed"].cite  # what ``counter_closed`` cites


@cites(*HALLS_PLACES_AND_HOURS)
def counter_reopened(number: int) -> Text:
    """What the holder of an appointment at counter ``number`` is told when the hall offers its time again
    otherwise than by withdrawing a change of its day (its counter turned on again): the counter receives
    at that time, and the appointment stands as booked (the recorded choice of ``counter_closed``: it was
    kept, not cancelled). Without its closing stop, as ``counter_closed``."""
    return _COUNTER_REOPENED.format(number=number)


COUNTER_REOPENED_CITE = RULE_FUNCTIONS[f"{__name__}.counter_reopened"].cite  # what ``counter_reopened`` cites


@cites(*HALLS_PLACES_AND_HOURS)
def time_reopened() -> Text:
    """What the holder of an appointment is told when the hall offers its time again for a cause not
    known to the run that found it (the nightly regeneration: the hall's hours or calendar changed, a
    counter turned on by hand): what happened to them, in their terms, without guessing the cause: they
    were told the hall would not receive them then (its time withdrawn: every booking on it was told), the
    times the hall offers that day changed again, it receives them then after all, and that message no
    longer applies; the appointment stands as booked (the recorded choice of ``counter_closed``). Not
    ``counter_reopened``: no counter is said to have come back when none may have. Without its closing
    stop, as ``counter_closed``."""
    return _TIME_REOPENED


TIME_REOPENED_CITE = RULE_FUNCTIONS[f"{__name__}.time_reopened"].cite  # what ``time_reopened`` cites


def hall_label(hall_id: str) -> Text:
    """A hall's name from the catalog (its id for one the catalog no longer lists)."""
    hall = catalog().halls.get(hall_id)
    return hall.name if hall is not None else Text(hall_id, hall_id)


def hours(hall: Hall) -> Text:
    """The hall's weekly hours in words, e.g. "Monday to Saturday 09:00-17:00; closed on statutory holidays
    (holiday hours are announced separately)": the closure is our reading of the State Council's notices, and
    the Zhongguancun guide's "Where to apply" (which every exit-entry hall cites) says "Public holiday office
    hours are subject to further notice", so the words do not state the closure as the halls' own fact."""
    days = _day_ranges(sorted(hall.weekdays))
    spans = [f"{_hm(s.opens)}-{_hm(s.closes)}" for s in sorted(hall.sessions, key=lambda s: s.opens)]
    return Text(
        f"{', '.join(d.en for d in days)} {', '.join(spans)}; closed on statutory holidays "
        "(holiday hours are announced separately)",
        f"{'、'.join(d.zh for d in days)} {'，'.join(spans)}；法定节假日暂停办公（节假日办公时间另行通知）",
    )


def hall_as_dict(hall: Hall) -> dict[str, object]:
    return {
        "id": hall.id,
        "name": hall.name.as_dict(),
        "address": hall.address.as_dict(),
        "weekdays": sorted(hall.weekdays),
        "sessions": [
            {"opens": s.opens.strftime("%H:%M"), "closes": s.closes.strftime("%H:%M")} for s in hall.sessions
        ],
        "restriction": hall.restriction.as_dict() if hall.restriction else None,
        "cite": [c.as_dict() for c in hall.cite],
        "choices": [
            {
                "field": c.field,
                "chosen": c.chosen.as_dict(),
                "chosen_source": c.chosen_source.as_dict(),
                "alternative": c.alternative.as_dict(),
                "alternative_source": c.alternative_source.as_dict(),
                "reason": c.reason.as_dict(),
                "silent": c.silent,
            }
            for c in hall.choices
        ],
    }


def hall_state_as_dict(hall: Hall, at: datetime, changes: Changes = NO_CHANGES) -> dict[str, object]:
    """A hall, its hours, what it accepts and whether it is open at ``at``: JSON-ready (API and CLI)."""
    state = opening_state(hall, at, changes).as_dict()
    state["open_now"] = state.pop("open")
    return {**hall_as_dict(hall), "hours": hours(hall).as_dict(), "accepts": sorted(hall.accepts), **state}


@cites("bj-personal-affairs: Where to apply", "bj-zgc-pr: Where to apply")
def halls_accepting(procedure: Procedure, facts: Mapping[str, object] | None = None) -> tuple[Hall, ...]:
    """The halls that accept applications for ``procedure`` from this applicant (the catalog decides; seed
    "Where to apply"): an employee of a pilot entity in Chaoyang or Shunyi (``pilot_zone_employee``) may
    also apply at that district's centre, the seeds' first category of applicant there."""
    return catalog().halls_for(procedure, facts)


@cites("bj-personal-affairs: Where to apply", "bj-zgc-pr: Where to apply")
def halls_listed(procedure: Procedure) -> tuple[Hall, ...]:
    """Every hall a guide lists for ``procedure``: those that take it from anyone, then the district centres
    that take it only from their pilot entities' employees (each hall's restriction says so)."""
    cat = catalog()
    listed = dict.fromkeys(cat.halls_for(procedure))
    for district in cat.pilot_districts():
        listed.update(dict.fromkeys(cat.halls_for(procedure, {PILOT_FACT: district})))
    return tuple(listed)


def hall_facts(procedure: Procedure) -> tuple[str, ...]:
    """The facts whose answer may add a hall for ``procedure``, which an advisor may offer to ask: the
    pilot question where a district centre takes it only from its pilot entities' employees."""
    return (PILOT_FACT,) if len(halls_listed(procedure)) > len(halls_accepting(procedure)) else ()


def _day_sessions(hall: Hall, day: date, changes: Changes) -> tuple[Session, ...]:
    change = changes.get(day)
    return sessions_on(hall, day) if change is None else tuple(sorted(change.sessions, key=lambda s: s.opens))


def _closed_day_reason(hall: Hall, day: date, changes: Changes = NO_CHANGES) -> Text | None:
    """Why ``hall`` is closed all of ``day``, or None when ``day`` is one of its opening days."""
    change = changes.get(day)
    if change is not None:
        return None if change.sessions else change.reason
    calendar = official_calendar()
    holiday = calendar.holiday_on(day)
    if holiday is not None:
        return _HOLIDAY.format(
            name=holiday.name.en,
            name_zh=holiday.name.zh,
            start=day_text(holiday.start),
            end=day_text(holiday.end),
        )
    if day.weekday() in hall.weekdays:
        return None
    schedule = calendar.schedule(day.year)
    if day.weekday() == 6 and schedule is not None and day in schedule.makeup_working_days:
        return _MAKEUP_SUNDAY.format(day=day_text(day))
    name = WEEKDAY_NAMES[day.weekday()]
    return _WEEKDAY.format(day=name.en, day_zh=name.zh)


def _next_opening_day(hall: Hall, day: date, changes: Changes) -> tuple[date, bool]:
    """The first opening day after ``day``, and whether an unpublished year was consulted on the way."""
    calendar = official_calendar()
    unpublished = False
    for offset in range(1, _SEARCH_DAYS + 1):
        candidate = day + timedelta(days=offset)
        unpublished = unpublished or not calendar.is_published(candidate.year)
        if opens_on(hall, candidate, changes):
            return candidate, unpublished
    raise ValueError(f"hall {hall.id} has no opening day within {_SEARCH_DAYS} days after {day}")


def _day_ranges(weekdays: list[int]) -> list[Text]:
    runs: list[list[int]] = []
    for d in weekdays:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    texts = []
    for run in runs:
        first, last = WEEKDAY_NAMES[run[0]], WEEKDAY_NAMES[run[-1]]
        if len(run) == 1:
            texts.append(first)
        else:
            texts.append(Text(f"{first.en} to {last.en}", f"{first.zh}至{last.zh}"))
    return texts


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, BEIJING)


def _hm(moment: time) -> str:
    return moment.strftime("%H:%M")
