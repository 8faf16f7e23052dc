"""The applicant's side books at a hall: the slot picker of one case, my bookings, cancel and move.

The slots shown are ``appointments.services.open_slots`` (open, bookable, at a hall that accepts the case
and a counter serving it); every step goes through those services, so the pages refuse what the API
refuses, in the page's language. A case of the one-stop service books no time here
(``services.not_booked_here``): the page says where it books instead, or that it needs none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from exitentry import clock
from exitentry.accounts import policy
from exitentry.accounts.audit import record, record_list
from exitentry.appointments import confirmation, notices, services, withdrawals
from exitentry.appointments.models import Booking, BookingRules, Slot
from exitentry.cases.lifecycle import IllegalTransition
from exitentry.cases.services.intake import comes_in_person
from exitentry.cases.services.reading import Refused
from exitentry.documents.pdf import L_IF_IT_APPLIES
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.halls import hours
from exitentry.law.text import Text
from exitentry.web import case_pages as pages
from exitentry.web import form_once
from exitentry.web.templatetags.lawtext import clock as clock_words

_UNKNOWN_HALL = Text("The hall named in this address", "此地址所指的大厅")

applicant_side = pages.signed_in(policy.may_start_case)
DAYS_SHOWN = 7


@require_http_methods(["GET", "POST"])
@applicant_side
def booking(request: HttpRequest, case_id: int) -> HttpResponse:
    """GET: the open slots of a hall for a week, and with ``at`` (a time at ``hall``) the step that confirms
    it, an address a reload or a shared link shows again; POST: book it once confirmed (or move ``move``'s
    booking to it). A time posted without ``confirm`` is not booked: it is sent to its confirmation step, so
    nothing is booked by a single click, and only the POST books."""
    case = pages.visible_case(request, case_id)
    moving = _booking(request, request.GET.get("move") or request.POST.get("move"))
    if request.method == "POST":
        try:
            slot_id = int(request.POST.get("slot_id", ""))
        except ValueError:
            return _picker(request, case, moving, gettext("Choose a time."))
        if not request.POST.get("confirm"):
            return _to_step(request, case, slot_id, moving)
        key = request.POST.get("key", "")
        try:  # Refused and IllegalTransition are ValueErrors too: each says its own reason
            with transaction.atomic():
                sent = {"case_id": case.pk, "slot_id": slot_id, "move": moving.reference if moving else ""}
                if reference := form_once.earlier(request.user, key, **sent):  # sent again: the first answer
                    return redirect("web:my_booking_confirmation", reference)
                if moving is not None:
                    booked = services.reschedule(pages.actor(request), moving, slot_id)
                    messages.success(request, gettext("Your appointment is moved."))
                else:
                    booked = services.book(pages.actor(request), case, slot_id)
                    messages.success(request, gettext("Your appointment is booked."))
                form_once.answered(request.user, key, booked.reference)
        except (Refused, services.Taken, IllegalTransition, PermissionDenied, form_once.Reused) as exc:
            return _picker(request, case, moving, _why(exc))
        return redirect("web:my_booking_confirmation", booked.reference)
    return _picker(request, case, moving, chosen=request.GET.get("at"))


def _to_step(request: HttpRequest, case, slot_id: int, moving: Booking | None) -> HttpResponse:
    """The address of the confirmation step of the slot posted: its hall and starting time."""
    slot = Slot.objects.filter(pk=slot_id).first()
    if slot is None:
        return _picker(request, case, moving, chosen="")
    query = {"hall": slot.hall_id, "from": slot.day.isoformat(), "at": _at(slot.starts_at)}
    query |= {"move": moving.reference} if moving else {}
    return redirect(f"{request.path}?{urlencode(query)}")


def _at(starts: datetime) -> str:
    """A slot's start as the picker's address names it: Beijing time to the minute."""
    return f"{starts.astimezone(BEIJING):%Y-%m-%dT%H:%M}"


def _picker(
    request: HttpRequest, case, moving: Booking | None, error: str = "", chosen: str | None = None
) -> HttpResponse:
    """The week's times; a case that is booked already shows its appointment, and a time chosen moves it.
    ``chosen``: the start (``_at``) of a time picked at the hall, whose confirmation step the page shows
    above the times."""
    current = services.active_booking(case)
    fixed = services.too_close(current) if current else None
    moving = moving or (None if fixed else current)
    halls = services.halls_for(case)
    hall_id = (
        request.GET.get("hall")
        or request.POST.get("hall")
        or (moving.slot.hall_id if moving else "")
        or (halls[0].id if halls else "")
    )
    try:
        start = max(date.fromisoformat(request.GET.get("from", "")), pages.today())
    except ValueError:
        start = pages.today()
    # a hall named in the address that is not the case's (edited, or an old link): said, not "no times"
    elsewhere = None
    if halls and hall_id not in {h.id for h in halls}:
        named = catalog().halls.get(hall_id)
        elsewhere = named.name if named else _UNKNOWN_HALL  # never the address's words as a hall's name
    slots = (
        list(services.open_slots(case, hall_id, start, start + timedelta(days=DAYS_SHOWN - 1)))
        if halls and elsewhere is None
        else []
    )
    cutoff, now = services.current_cutoff_hours(), clock.now()
    weeks = BookingRules.current().weeks_ahead
    pages.read_case(request, case)  # the page names the person the case is for
    step = _step(case, hall_id, chosen, now, cutoff) if chosen is not None else None
    days = [  # one button per time: which counter serves it is the hall's business at check-in
        (
            day,
            [
                (
                    s,
                    s.starts_at.astimezone(BEIJING),
                    s.ends_at.astimezone(BEIJING),
                    services.inside_cutoff(s, now, cutoff),
                )
                for s in _first_per_time(group)
            ],
        )
        for day, group in groupby(slots, key=lambda s: s.day)
    ]
    context = {
        "case": case,
        "title": pages.procedure_title(case.procedure_id),
        **not_booked_here(case),
        "in_person": comes_in_person(case, pages.today()),
        "may_book": pages.allowed(request.user, case, "book"),
        "halls": halls,
        "hall_id": hall_id,
        "not_its_hall": elsewhere,
        "start": start,
        "earlier": max(start - timedelta(days=DAYS_SHOWN), pages.today()) if start > pages.today() else None,
        "later": start + timedelta(days=DAYS_SHOWN),
        "days": days,
        "cutoff": cutoff,
        "any_final": any(final for _, times in days for *_, final in times),
        "moving": moving,
        "current": current,
        "fixed": pages.explain(fixed.message) if fixed else "",
        "current_at": (current.slot.starts_at.astimezone(BEIJING), current.slot.ends_at.astimezone(BEIJING))
        if current
        else None,
        "error": error,
        "step": step,
        "overrides": services.overrides(hall_id, start, start + timedelta(days=DAYS_SHOWN - 1))
        if hall_id
        else [],
        "fewer": withdrawals.fewer_because(
            withdrawals.fewer(hall_id, start, start + timedelta(days=DAYS_SHOWN - 1))
        )
        if days
        else {},
        "weeks": weeks,  # the days with room are listed as far ahead as slots are offered (the booking rules)
        "room": services.availability(
            case, hall_id, pages.today(), pages.today() + timedelta(weeks=weeks, days=-1)
        )
        if halls and elsewhere is None
        else [],
    }
    refused = error or (step is not None and step.error)
    return render(request, "web/booking.html", context, status=422 if refused else 200)


@dataclass(frozen=True, slots=True)
class Step:
    """The confirmation step of a time picked: the slot (None when it cannot be booked, ``error`` says
    why), its start and end in Beijing time, and whether it is inside the cut-off (final once booked)."""

    slot: Slot | None
    starts: datetime | None = None
    ends: datetime | None = None
    final: bool = False
    error: str = ""
    key: str = ""  # the form's idempotency key (``form_once``)


def _step(case, hall_id: str, chosen: str, now: datetime, cutoff: int) -> Step:
    """The step confirming the time ``chosen`` (``_at``) at ``hall_id`` for ``case``: checked again on each
    request, only a time the picker offers it (``open_slots``), at any counter still free then."""
    try:
        starts = datetime.strptime(chosen, "%Y-%m-%dT%H:%M").replace(tzinfo=BEIJING)
    except ValueError:
        starts = None
    offered = (
        services.open_slots(case, hall_id, starts.date(), starts.date(), now=now)
        .filter(starts_at=starts)
        .first()
        if starts
        else None
    )
    if not offered:
        return Step(None, error=gettext("This time is no longer offered; choose another."))
    return Step(
        offered,
        offered.starts_at.astimezone(BEIJING),
        offered.ends_at.astimezone(BEIJING),
        services.inside_cutoff(offered, now, cutoff),
        key=form_once.new_key(),
    )


def _fixed(booking, now, cutoff_hours: int) -> str:
    """Why an active booking can no longer be moved or cancelled, in words; empty when it can."""
    refused = (
        services.too_close(booking, now, cutoff_hours=cutoff_hours) if booking.state == "active" else None
    )
    return pages.explain(refused.message) if refused else ""


def _cancelled(booking: Booking, user) -> str:
    """Who cancelled a cancelled booking and when, in words ("Cancelled by you on ..."); empty for any
    other. Where nobody cancelled it by hand, its ``ended_because`` says why."""
    if booking.state != Booking.State.CANCELLED or booking.ended_at is None:
        return ""
    when = clock_words(booking.ended_at)
    if booking.ended_by_id == user.pk:
        return gettext("Cancelled by you on %(when)s") % {"when": when}
    if booking.ended_by_id is not None:
        name = booking.ended_by.get_full_name() or booking.ended_by.get_username()
        return gettext("Cancelled by %(name)s on %(when)s") % {"name": name, "when": when}
    return gettext("Cancelled on %(when)s") % {"when": when}


@require_http_methods(["GET"])
@applicant_side
def my_bookings(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    bookings = list(services.bookings_for(request.user).select_related("ended_by")[:200])
    cutoff_hours = services.current_cutoff_hours() if bookings else 0  # once, whatever the number of rows
    why = withdrawals.explain(bookings)
    stands = withdrawals.restorations(bookings)
    rows = [
        (
            b,
            b.slot.starts_at.astimezone(BEIJING),
            pages.procedure_title(b.case.procedure_id),
            _fixed(b, now, cutoff_hours),
            why.get(b.pk),
            stands.get(b.pk),
            _cancelled(b, request.user),
        )
        for b in bookings
    ]
    record_list(pages.actor(request), "my-bookings", "all", list(dict.fromkeys(b.case_id for b in bookings)))
    return render(request, "web/my_bookings.html", {"rows": rows})


@require_http_methods(["GET"])
@applicant_side
def booking_confirmation(request: HttpRequest, reference: str) -> HttpResponse:
    """The confirmation of one booking: when, where, who comes, what to bring, the check-in QR code, and
    cancel and move while the cut-off allows (else why not)."""
    booking = _booking(request, reference)
    record(pages.actor(request), "booking.read", "booking", booking.reference)
    context = {
        "booking": booking,
        "fixed": _fixed(booking, clock.now(), services.current_cutoff_hours()),
        "in_person": comes_in_person(booking.case, booking.slot.day),
        "withdrawn": withdrawals.reason(booking),
        "restored": withdrawals.restorations([booking]).get(booking.pk),
        "doc": confirmation.confirmation(booking),
        "if_it_applies": L_IF_IT_APPLIES,  # the PDF's words for a material still pending
        "reference_changed": _reference_changed(booking),
        "qr": confirmation.check_in_url(_base_url(request), booking.reference),
    }
    return render(request, "web/booking_confirmation.html", context)


def _reference_changed(booking: Booking):
    """On an active booking that a move made: its reference changed, the old printout no longer works."""
    old = getattr(booking, "moved_from", None) if booking.state == Booking.State.ACTIVE else None
    return notices.reference_changed(old, booking) if old else None


@require_http_methods(["GET"])
@applicant_side
def booking_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    return confirmation.pdf_response(pages.actor(request), _booking(request, reference), _base_url(request))


@require_http_methods(["GET"])
@applicant_side
def booking_qr(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _booking(request, reference)
    return HttpResponse(confirmation.qr_svg(booking, _base_url(request)), content_type="image/svg+xml")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_http_methods(["GET", "POST"])
@applicant_side
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    """Without ``confirm`` (and on a reload, a GET): the appointment and a button that cancels it (a click
    on "Cancel" alone cancels nothing); with it, the cancellation."""
    booking = _booking(request, reference)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        starts, ends = (booking.slot.starts_at.astimezone(BEIJING), booking.slot.ends_at.astimezone(BEIJING))
        context = {"booking": booking, "starts": starts, "ends": ends}
        return render(request, "web/booking_cancel.html", context)
    try:
        services.cancel(pages.actor(request), booking)
    except (Refused, services.Taken, PermissionDenied) as exc:
        messages.error(request, _why(exc))
    else:
        messages.success(request, gettext("Your appointment is cancelled."))
    return redirect("web:my_bookings")


def _booking(request: HttpRequest, reference: str | None) -> Booking | None:
    if not reference:
        return None
    return get_object_or_404(services.bookings_for(request.user), reference=reference)


def _why(exc: Exception) -> str:
    if isinstance(exc, Refused):
        return pages.explain(exc.message)
    if isinstance(exc, services.Taken | IllegalTransition):
        return pages.explain(exc.text)
    if isinstance(exc, form_once.Reused):
        return str(exc)
    return gettext("You may not book for this application.")


def not_booked_here(case) -> dict:
    """What a case this site books no time for is told instead (``services.not_booked_here``), and, where
    it needs no appointment, the halls it comes to: each with its address (the law core's hall, as the
    booking confirmation gives it) and hours (``law.halls.hours``)."""
    elsewhere = services.not_booked_here(case)
    walks_in = elsewhere is not None and elsewhere.bring is None
    hours_of = [(h, hours(h)) for h in services.halls_for(case)] if walks_in else []
    return {"elsewhere": elsewhere, "elsewhere_hours": hours_of}


def _first_per_time(slots) -> list:
    """The first open slot of each starting time (slots come ordered by time)."""
    seen: set = set()
    return [s for s in slots if not (s.starts_at in seen or seen.add(s.starts_at))]
