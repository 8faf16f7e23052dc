"""``/hall-day/...``, ``/tickets/...``, ``/halls/{hall_id}/queue``: the day at the hall.

An officer of the hall checks a booking in (the reference, or the scanned text of its QR code), issues a
ticket to a walk-in where the law needs no appointment, calls the next ticket at a counter and marks it
served, or not answered (the first time it waits again, the second it did not come); the day board counts
the day. The hall's screen (no sign-in) shows ticket numbers and counters.
"""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema, Status

from exitentry.accounts.audit import Actor, record_list
from exitentry.api.auth import SignedIn
from exitentry.api.errors import ApiError
from exitentry.api.routing import Router, described
from exitentry.api.schemas import Out
from exitentry.appointments import tickets
from exitentry.appointments.models import QueueTicket
from exitentry.law.calendar import BEIJING
from exitentry.law.text import Text

router = Router(tags=["hall day"], auth=SignedIn(), errors=[409])


class TicketOut(Out):
    id: int
    ticket: str = Field(description=_("as called out, e.g. R001"))
    hall_id: str
    day: date
    state: str
    case_id: int
    booking: str | None = Field(description=_("the booking's reference; none for a walk-in"))
    appointment_letter: bool = Field(
        description=_(
            "a walk-in with an appointment letter of the Service System for Foreigners Working in China"
        )
    )
    booked_for: datetime | None
    counter: int | None = Field(description=_("the counter that called it; none while it waits"))
    served_at_collection: bool = Field(
        description=_("served at no counter: its permit was collected while it waited (its visit was done)")
    )
    issued_at: datetime
    called_at: datetime | None
    served_at: datetime | None
    missed: int = Field(description=_("how often it was called and not answered"))
    purpose: str = Field(description=_("what the visit is for: hand_in (materials) or collect (the permit)"))
    intake: str = Field(description=_("the case's intake page in the officers' console"))


class CheckInIn(Schema):
    reference: str = Field(
        max_length=500, description=_("the booking's reference, or the text its QR code holds")
    )


class WalkInIn(Schema):
    case: str = Field(max_length=40, description=_("the case's id or reference number"))
    letter_seen: bool = Field(
        default=False,
        description=_(
            "an officer saw the appointment letter of the Service System for Foreigners Working in "
            "China (needed where the case books there: the one-stop service's categories B and C)"
        ),
    )


class BoardOut(Out):
    hall_id: str
    day: date
    booked: int
    checked_in: int
    waiting: int
    called: int
    served: int
    no_show: int
    withdrawn: int = Field(description=_("tickets that were waiting when their application closed"))
    average_wait_minutes: float | None = Field(description=_("from issue to call, today's called tickets"))
    tickets: list[TicketOut]


class CalledOut(Out):
    ticket: str
    counter: int | None


class WithdrawnOut(Out):
    ticket: str


class PublicQueueOut(Out):
    hall_id: str
    called: list[CalledOut] = Field(description=_("the recently called tickets, latest first"))
    withdrawn: list[WithdrawnOut] = Field(
        description=_("tickets withdrawn today because their application closed, latest first")
    )
    waiting: int


def ticket_out(t: QueueTicket) -> dict:
    def local(at: datetime | None) -> datetime | None:
        return at.astimezone(BEIJING) if at else None

    return {
        "id": t.pk,
        "ticket": t.label,
        "hall_id": t.hall_id,
        "day": t.day,
        "state": t.state,
        "case_id": t.case_id,
        "booking": t.booking.reference if t.booking_id else None,
        "appointment_letter": t.appointment_letter,
        "booked_for": local(t.booked_for),
        "counter": t.counter,
        "served_at_collection": t.served_at_collection,
        "issued_at": local(t.issued_at),
        "called_at": local(t.called_at),
        "served_at": local(t.served_at),
        "missed": t.missed,
        "purpose": t.purpose,
        "intake": f"/console/cases/{t.case_id}/",
    }


def _hall(hall_id: str) -> str:
    if not tickets.is_hall(hall_id):
        raise ApiError(404, "hall_id", Text(f"No hall {hall_id!r}.", f"没有“{hall_id}”这个受理大厅。"))
    return hall_id


@router.post(
    "/hall-day/{hall_id}/check-in",
    response={201: TicketOut},
    description=described(
        _("an officer or supervisor of the hall (403 for anyone else)."),
        _(
            "Checks a booking in on its day at the hall (its reference, or the text of its QR code as scanned) and issues"
            " a ticket. A booking of another day or hall is 422; one already checked in 409."
        ),
    ),
    summary=_("Check a booking in"),
)
def check_in(request, hall_id: str, payload: CheckInIn):
    ticket = tickets.check_in(Actor.of(request), _hall(hall_id), payload.reference)
    return Status(201, ticket_out(ticket))


@router.post(
    "/hall-day/{hall_id}/walk-ins",
    response={201: TicketOut},
    description=described(
        _("an officer or supervisor of the hall (403 for anyone else)."),
        _(
            "Issues a ticket to a walk-in for a case of this hall whose procedure needs no appointment (`letter_seen`:"
            " the applicant showed the letter that lets them come without one). 404 for a case not at this hall."
        ),
    ),
    summary=_("A ticket for a case that needs no appointment"),
)
def walk_in(request, hall_id: str, payload: WalkInIn):
    actor = Actor.of(request)
    tickets.require_hall(actor, _hall(hall_id))
    case = tickets.find_case(actor, payload.case)
    if case is None or case.hall_id != hall_id:
        raise ApiError(404, "case", Text("No case of this hall by that number.", "本大厅没有该编号的申请。"))
    return Status(201, ticket_out(tickets.issue_walk_in(actor, case, letter_seen=payload.letter_seen)))


@router.post(
    "/hall-day/{hall_id}/counters/{counter}/call-next",
    response={200: TicketOut, 204: None},
    description=described(
        _("an officer or supervisor of the hall (403 for anyone else)."),
        _(
            "Calls the next waiting ticket of the procedures this counter serves; 204 with no body when none waits. 422"
            " for a counter the hall does not have open."
        ),
    ),
    summary=_("Call the next waiting ticket the counter serves (204: none waits)"),
)
def call_next(request, hall_id: str, counter: int):
    ticket = tickets.call_next(Actor.of(request), _hall(hall_id), counter)
    return ticket_out(ticket) if ticket else Status(204, None)


@router.post(
    "/tickets/{ticket_id}/served",
    response=TicketOut,
    description=described(
        _("an officer or supervisor of the hall (403 for anyone else)."),
        _("Marks a called ticket served. 409 for a ticket not called."),
    ),
    summary=_("Mark a called ticket served"),
)
def served(request, ticket_id: int):
    ticket = get_object_or_404(QueueTicket, pk=ticket_id)
    return ticket_out(tickets.mark_served(Actor.of(request), ticket))


@router.post(
    "/tickets/{ticket_id}/not-answered",
    response=TicketOut,
    description=described(
        _("an officer or supervisor of the hall (403 for anyone else)."),
        _(
            "Records that a called ticket did not answer: the first time it waits again; the second, it did not come."
            " 409 for a ticket not called."
        ),
    ),
    summary=_("A called ticket not answered: the first time it waits again, the second it did not come"),
)
def not_answered(request, ticket_id: int):
    ticket = get_object_or_404(QueueTicket, pk=ticket_id)
    return ticket_out(tickets.not_answered(Actor.of(request), ticket))


@router.get(
    "/hall-day/{hall_id}",
    response=BoardOut,
    description=described(
        _("an officer or supervisor of the hall (403 for anyone else)."),
        _(
            "The hall's day: how many tickets wait, were called and served, and each ticket with its number, counter and"
            " times."
        ),
    ),
    summary=_("The hall's day: counts and tickets"),
)
def board(request, hall_id: str):
    actor = Actor.of(request)
    day = tickets.day_board(actor, _hall(hall_id))
    record_list(actor, "hall-day", hall_id, list(dict.fromkeys(t.case_id for t in day["tickets"])))
    return {**day, "tickets": [ticket_out(t) for t in day["tickets"]]}


@router.get(
    "/halls/{hall_id}/queue",
    response=PublicQueueOut,
    auth=None,
    description=described(
        _("anyone (the screen in the hall's waiting room)."),
        _("The tickets called and their counters, and how many wait; no personal data."),
    ),
    summary=_("The hall's queue screen: called tickets and their counters, how many wait (no personal data)"),
)
def public_queue(request, hall_id: str):
    return tickets.public_queue(_hall(hall_id))
