"""``/slots``, ``/bookings``, ``/overrides``, ``/halls/{hall_id}/overrides``: appointments at the halls.

The open slots of a case (at a hall that accepts its procedure, at a counter that serves it), booking one
with an ``Idempotency-Key`` (a retry gets the first answer, ``idempotency``), your bookings, cancelling
and moving one up to the cut-off; a supervisor's change to a day of their hall, and every hall's changes
for the public. A slot just taken, or a case already booked, answers 409.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Schema, Status

from exitentry import clock
from exitentry.accounts.audit import Actor, record_list
from exitentry.api import idempotency
from exitentry.api.auth import SignedIn
from exitentry.api.errors import ApiError, ErrorOut
from exitentry.api.language import filled
from exitentry.api.routing import Router, described
from exitentry.api.schemas import CitationOut, Out, TextOut, pdf_answer
from exitentry.appointments import confirmation, services, withdrawals
from exitentry.appointments.models import Booking, BookingRules, DayOverride, Slot
from exitentry.appointments.services import OverrideRequest
from exitentry.bilingual import in_both
from exitentry.cases import access
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.text import Text

router = Router(tags=["appointments"], auth=SignedIn(), errors=[409])


class SlotOut(Out):
    id: int
    hall_id: str
    counter: int
    starts_at: datetime
    ends_at: datetime


class DayChangeOut(Out):
    day: date
    kind: str = Field(description=_("closed or reduced_counters"))
    counters: int | None = Field(description=_("reduced_counters: how many counters are open"))
    reason: TextOut = Field(description=_("the supervisor's reason"))


class SlotsOut(Out):
    __doc__ = _(
        "Where and when the case may book, or why it books no time here (``walk_in``: where it books "
        "instead, or that it needs no appointment)."
    )

    case_id: int
    walk_in: TextOut | None
    halls: list[str] = Field(description=_("the halls that accept the case's procedure"))
    slots: list[SlotOut]
    changes: list[DayChangeOut] = Field(
        description=_(
            "the days of the range on which the hall offers fewer times than usual (a closure, "
            "fewer counters), with the supervisor's reason"
        )
    )


class BookingOut(Out):
    reference: str = Field(description=_("what the hall reads at check-in"))
    state: str
    case_id: int
    hall_id: str
    counter: int
    starts_at: datetime
    ends_at: datetime
    withdrawn: bool = Field(
        description=_("the hall closed this time (a closure, fewer counters): move it, any time")
    )
    withdrawn_because: TextOut | None = Field(
        description=_(
            "why the hall closed this time (the supervisor's reason for the day's closure or "
            "fewer counters; or that its counter is closed, and what to do), while the booking is active; "
            "null otherwise"
        )
    )
    withdrawn_for: str | None = Field(
        description=_(
            "what closed this time: hall_day (a supervisor's change of the day) or counter_closed "
            "(the booking's counter turned off); null while it stands"
        )
    )
    withdrawn_cite: list[CitationOut] = Field(
        description=_(
            "the sources of ``withdrawn_because`` where it is a rule's (a counter closed); empty for "
            "a supervisor's reason"
        )
    )
    restored_because: TextOut | None = Field(
        description=_(
            "the booking's time stands again: why the supervisor withdrew the closure or fewer "
            "counters that had taken it (its people were told); null otherwise"
        )
    )
    ended_because: str | None = Field(
        description=_(
            "why the booking ended other than by its booker's hand: case_closed (the booking "
            "was to hand in the materials and the application is past that step: decided, withdrawn or "
            "closed, so the booking was cancelled); null otherwise"
        )
    )
    ended_because_text: TextOut | None = Field(description=_("``ended_because`` in words"))


class SlotsQuery(Schema):
    case_id: int
    hall_id: str
    start: date | None = Field(None, description=_("the first day (default today, Beijing)"))
    days: int = Field(7, ge=1, le=31)


class BookingIn(Schema):
    case_id: int
    slot_id: int


class MoveIn(Schema):
    slot_id: int


class OverrideIn(Schema):
    hall_id: str = Field(max_length=40)
    day: date
    kind: Literal["closed", "extra_hours", "reduced_counters"]
    reason: str = Field(max_length=300, description=_("shown to the public, in English"))
    reason_zh: str = Field(max_length=300, description=_("the same in Chinese (the site's default language)"))
    opens: time | None = None
    closes: time | None = None
    counters: int | None = Field(None, ge=0, le=100)


class OverrideOut(Out):
    id: int = Field(description=_("the change's number, to withdraw it"))
    hall_id: str
    day: date
    kind: str
    opens: time | None
    closes: time | None
    counters: int | None
    reason: TextOut


class OverrideMadeOut(OverrideOut):
    flagged: list[str] = Field(
        description=_("bookings kept on slots the change withdrew: contact these people")
    )


class WithdrawIn(Schema):
    reason: str = Field(max_length=300, description=_("why the change is withdrawn, in English"))
    reason_zh: str = Field(max_length=300, description=_("the same in Chinese (the site's default language)"))


class OverrideWithdrawnOut(OverrideMadeOut):
    withdrawn_at: datetime
    withdrawn_reason: TextOut
    flagged: list[str] = Field(
        description=_("bookings kept on slots the withdrawal took away (extra hours): contact these people")
    )


OVERRIDE_DAYS = 366  # the longest window of a hall's changed days one request lists
OVERRIDE_PAST_DAYS = 31  # how far before today (Beijing) ``start`` may lie


class OverridesQuery(Schema):
    start: date | None = Field(
        None,
        description=filled(
            _("the first day (default today, Beijing); at most %(override_past_days)s days before today"),
            override_past_days=OVERRIDE_PAST_DAYS,
        ),
    )
    days: int | None = Field(
        None,
        ge=1,
        le=OVERRIDE_DAYS,
        description=filled(
            _("how many days from ``start`` (1 to %(override_days)s; none: %(override_days)s)"),
            override_days=OVERRIDE_DAYS,
        ),
    )


def booking_out(
    booking: Booking,
    why: dict[int, withdrawals.Withdrawn] | None = None,
    stands: dict[int, withdrawals.Restored] | None = None,
) -> dict:
    """The booking's answer; ``why``: why its time was withdrawn (``withdrawals.explain``), ``stands``:
    why it stands again (``withdrawals.restorations``), when read for several bookings at once."""
    slot = booking.slot
    withdrawn = (withdrawals.explain([booking]) if why is None else why).get(booking.pk)
    restored = (withdrawals.restorations([booking]) if stands is None else stands).get(booking.pk)
    ended = Booking.EndReason(booking.ended_because) if booking.ended_because else None
    return BookingOut(
        reference=booking.reference,
        state=booking.state,
        case_id=booking.case_id,
        hall_id=slot.hall_id,
        counter=slot.counter.number,
        starts_at=slot.starts_at.astimezone(BEIJING),
        ends_at=slot.ends_at.astimezone(BEIJING),
        withdrawn=slot.withdrawn,
        withdrawn_because=_text(withdrawn.text) if withdrawn else None,
        withdrawn_for=withdrawn.kind if withdrawn else None,
        withdrawn_cite=[c.as_dict() for c in withdrawn.cite] if withdrawn else [],
        restored_because=_text(restored.text) if restored else None,
        ended_because=ended.value if ended else None,
        ended_because_text=_text(in_both(ended.label)) if ended else None,
    ).model_dump(mode="json")


def _slot_out(slot: Slot) -> dict:
    return {
        "id": slot.pk,
        "hall_id": slot.hall_id,
        "counter": slot.counter.number,
        "starts_at": slot.starts_at.astimezone(BEIJING),
        "ends_at": slot.ends_at.astimezone(BEIJING),
    }


def _override_out(o: DayOverride) -> dict:
    return {
        "id": o.pk,
        "hall_id": o.hall_id,
        "day": o.day,
        "kind": o.kind,
        "opens": o.opens,
        "closes": o.closes,
        "counters": o.counters,
        "reason": o.reason_text().as_dict(),
    }


def _change_out(o: DayOverride) -> dict:
    return {"day": o.day, "kind": o.kind, "counters": o.counters, "reason": _override_out(o)["reason"]}


def _today() -> date:
    return clock.now().astimezone(BEIJING).date()


@router.get(
    "/slots",
    response={200: SlotsOut, 404: ErrorOut},  # 404: a case you may not see (its id is in the query)
    description=described(
        _(
            "the applicant's side, for a case it may see (officers and supervisors see the slots of their halls' cases)."
        ),
        _(
            "The free slots at a hall (`hall_id`) a case may book: at a counter that serves its procedure, from `start`"
            " (today in Beijing without it) for `days` days, at most 500; the halls that take the case; the days a"
            " supervisor cut the counters and why. Where the case needs no appointment (a walk-in), `walk_in` says so and"
            " no slots are listed."
        ),
    ),
    summary=_("The open slots a case may book at a hall"),
)
def open_slots(request, query: Query[SlotsQuery]):
    case = get_object_or_404(access.cases_for(request.user), pk=query.case_id)
    start = query.start or _today()
    elsewhere = services.not_booked_here(case)
    last = start + timedelta(days=(query.days or BookingRules.current().weeks_ahead * 7) - 1)
    slots = [] if elsewhere else services.open_slots(case, query.hall_id, start, last)[:500]
    return {
        "case_id": case.pk,
        "walk_in": elsewhere.text.as_dict() if elsewhere else None,
        "halls": [h.id for h in services.halls_for(case)],
        "slots": [_slot_out(s) for s in slots],
        "changes": [_change_out(o) for o in withdrawals.fewer(query.hall_id, start, last)],
    }


class AvailableDayOut(Out):
    day: date
    open: int = Field(description=_("bookable slots that day"))
    first: datetime = Field(description=_("the earliest of them"))
    fewer_because: TextOut | None = Field(
        description=_(
            "why the day offers fewer times than usual (the supervisor's reason for fewer "
            "counters); null on a usual day"
        )
    )


class AvailabilityOut(Out):
    case_id: int
    hall_id: str
    days: list[AvailableDayOut] = Field(description=_("only days with at least one bookable slot"))


class AvailabilityQuery(Schema):
    case_id: int
    hall_id: str
    start: date | None = Field(None, description=_("the first day (default today, Beijing)"))
    days: int | None = Field(
        None,
        ge=1,
        le=92,
        description=_("how many days (default the weeks ahead the booking rules offer slots)"),
    )


@router.get(
    "/slots/availability",
    response={200: AvailabilityOut, 404: ErrorOut},
    description=described(
        _("as for the open slots."),
        _(
            "For each day with room (from `start`, by default as many weeks as the booking rules offer slots), how many"
            " slots a case may book at a hall and the earliest, and why a day offers fewer times than usual."
        ),
    ),
    summary=_(
        "Which days have room: bookable slots per day for a case at a hall (default the weeks slots are offered)"
    ),
)
def availability(request, query: Query[AvailabilityQuery]):
    case = get_object_or_404(access.cases_for(request.user), pk=query.case_id)
    start = query.start or _today()
    last = start + timedelta(days=(query.days or BookingRules.current().weeks_ahead * 7) - 1)
    days = services.availability(case, query.hall_id, start, last)
    fewer = withdrawals.fewer_because(withdrawals.fewer(query.hall_id, start, last))
    return {
        "case_id": case.pk,
        "hall_id": query.hall_id,
        "days": [
            {"day": d.day, "open": d.open, "first": d.first, "fewer_because": _text(fewer.get(d.day))}
            for d in days
        ],
    }


def _text(text: Text | None) -> dict | None:
    return text.as_dict() if text is not None else None


@router.post(
    "/bookings",
    response={201: BookingOut},
    description=described(
        _("the applicant's side, for a case it filed (a case the caller may not see is 404)."),
        _(
            "Books a slot for a submitted case until the hall holds its materials. A slot just taken, or a case already"
            " booked, is 409; past the booking rules (how many weeks ahead, the cut-off before a slot, bookings per person"
            " per week, set by the administrators) 422 saying which."
        ),
    ),
    summary=_("Book a slot for a case (send an Idempotency-Key)"),
)
def book(request, payload: BookingIn, idempotency_key: str = idempotency.KEY):
    def write() -> tuple[int, dict]:  # a case the caller may not see answers 404 (``access.Unseen``)
        return 201, booking_out(services.book(Actor.of(request), payload.case_id, payload.slot_id))

    return idempotency.once(request, idempotency_key, write)


@router.get(
    "/bookings",
    response=list[BookingOut],
    description=described(
        _("any signed-in user: the bookings of the cases they may see (at most 200)."),
        _(
            "Each booking with its reference, slot, hall and state, and, for a time a supervisor withdrew, why."
        ),
    ),
    summary=_("The bookings of the cases you may see"),
)
def list_bookings(request):
    bookings = list(services.bookings_for(request.user)[:200])
    why = withdrawals.explain(bookings)  # one query for all
    stands = withdrawals.restorations(bookings)
    record_list(Actor.of(request), "bookings", "all", list(dict.fromkeys(b.case_id for b in bookings)))
    return [booking_out(b, why, stands) for b in bookings]


def _booking(request, reference: str) -> Booking:
    return get_object_or_404(services.bookings_for(request.user), reference=reference)


@router.get(
    "/bookings/{reference}/confirmation",
    response={200: None},
    description=described(
        _("whoever may see the booking's case."),
        _(
            "The booking confirmation in Chinese and English with the QR code the hall scans at check-in. Recorded as a"
            " read."
        ),
    ),
    summary=_("A booking's confirmation as PDF (Chinese and English) with the check-in QR code"),
    openapi_extra=pdf_answer(_("The confirmation (Chinese and English) with the check-in QR code")),
)
def booking_confirmation(request, reference: str):
    base_url = request.build_absolute_uri("/").rstrip("/")
    return confirmation.pdf_response(Actor.of(request), _booking(request, reference), base_url)


@router.post(
    "/bookings/{reference}/cancel",
    response=BookingOut,
    description=described(
        _("the applicant's side, for a case it filed (a case the caller may not see is 404)."),
        _(
            "Cancels an active booking; the slot is free again. Inside the cut-off before the slot (the hours the"
            " administrators set) it is refused (422), unless the hall withdrew the time; a booking no longer active"
            " is 409."
        ),
    ),
    summary=_("Cancel a booking (up to the cut-off)"),
)
def cancel(request, reference: str):
    return booking_out(services.cancel(Actor.of(request), _booking(request, reference)))


@router.post(
    "/bookings/{reference}/move",
    response={201: BookingOut},
    description=described(
        _("the applicant's side, for a case it filed (a case the caller may not see is 404)."),
        _(
            "Moves a booking to another slot (`slot_id`) under the same rules as booking; the old slot is free again."
            " Inside the cut-off it is refused (422), unless the hall withdrew the time; a slot just taken, or a"
            " booking no longer active, is 409."
        ),
    ),
    summary=_("Move a booking to another slot (up to the cut-off)"),
)
def move(request, reference: str, payload: MoveIn, idempotency_key: str = idempotency.KEY):
    def write() -> tuple[int, dict]:
        booking = _booking(request, reference)
        return 201, booking_out(services.reschedule(Actor.of(request), booking, payload.slot_id))

    return idempotency.once(request, idempotency_key, write)


@router.post(
    "/overrides",
    response={201: OverrideMadeOut},
    description=described(
        _("a supervisor of the hall (403 for anyone else)."),
        _(
            "Closes a day, adds extra hours or runs fewer counters (`kind`) at the hall on a day, with a reason in"
            " English and Chinese shown to the public. The day's slots are regenerated; bookings on slots the change"
            " takes away are kept, their people told, and listed in `flagged`. Audited."
        ),
    ),
    summary=_("A supervisor changes a day of their hall"),
)
def add_override(request, payload: OverrideIn):
    override, changed = services.add_override(Actor.of(request), OverrideRequest(**payload.dict()))
    return Status(201, {**_override_out(override), "flagged": changed.flagged})


@router.post(
    "/overrides/{override_id}/withdraw",
    response={200: OverrideWithdrawnOut},
    description=described(
        _("a supervisor of the change's hall."),
        _(
            "Withdraws a change (kept as history, audited with the change as it was). The day's slots are regenerated: a"
            " closure's or fewer counters' times reopen; bookings on withdrawn extra hours are kept, their people told,"
            " and listed in `flagged`. 409 when the change was already withdrawn; 404 for a change that does not exist."
        ),
    ),
    summary=_("A supervisor withdraws a change of a day of their hall (kept as history)"),
)
def withdraw_override(request, override_id: int, payload: WithdrawIn):
    try:
        override, changed = services.withdraw_override(
            Actor.of(request), override_id, payload.reason, payload.reason_zh
        )
    except DayOverride.DoesNotExist:
        raise ApiError(
            404, "override_id", Text(f"No change {override_id}.", f"没有编号为{override_id}的调整。")
        ) from None
    return {
        **_override_out(override),
        "withdrawn_at": override.withdrawn_at,
        "withdrawn_reason": override.withdrawn_text().as_dict(),
        "flagged": changed.flagged,
    }


@router.get(
    "/halls/{hall_id}/overrides",
    response=list[OverrideOut],
    auth=None,
    description=described(
        _("anyone."),
        filled(
            _(
                "The changes to a hall's days (closures, extra hours, fewer counters) from `start` (today in Beijing without it) for `days` days (at most %(override_days)s, and %(override_days)s without it: ask again from a later `start` for changes further ahead), with the reason in English and Chinese. A `start` more than %(override_past_days)s days before today is refused (422)."
            ),
            override_days=OVERRIDE_DAYS,
            override_past_days=OVERRIDE_PAST_DAYS,
        ),
    ),
    summary=_("A hall's changed days (closures, extra hours, fewer counters) and why"),
)
def hall_overrides(request, hall_id: str, query: Query[OverridesQuery]):
    if hall_id not in catalog().halls:
        raise ApiError(404, "hall_id", Text(f"No hall {hall_id!r}.", f"没有“{hall_id}”这个受理大厅。"))
    today = _today()
    start = query.start or today
    if start < today - timedelta(days=OVERRIDE_PAST_DAYS):
        raise ApiError(
            422,
            "start",
            Text(
                f"Start at most {OVERRIDE_PAST_DAYS} days before today.",
                f"起始日期最早为今天之前{OVERRIDE_PAST_DAYS}天。",
            ),
        )
    last = start + timedelta(days=(query.days or OVERRIDE_DAYS) - 1)
    return [_override_out(o) for o in services.overrides(hall_id, start, last)]
