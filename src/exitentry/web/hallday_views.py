"""The day at the hall in pages: the officers' day board (check-in, walk-in tickets, calling, served) and
the hall's public queue screen.

The board is for the officers and supervisors of the hall (``appointments.tickets.require_hall``). Its
counts and tickets refresh themselves (htmx polls ``day_board_live`` every 10 s; the forms are outside that
part, so what an officer is typing stays). Each step is a form: with htmx it is swapped in place, with what
happened beside it or, refused, the reason and status 422, the counts and tickets sent along out of band;
without JavaScript it is a POST, then a redirect with a message (calling a ticket then goes on to the
case's intake page). The queue screen needs no sign-in and shows ticket numbers and counters only; htmx
refreshes its panel every few seconds (no inline script: the Content-Security-Policy forbids it).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext, override
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from exitentry.accounts import policy
from exitentry.accounts.audit import record_list
from exitentry.appointments import tickets
from exitentry.appointments.models import Booking, QueueTicket
from exitentry.appointments.services import Taken
from exitentry.bilingual import in_both
from exitentry.cases.services import Refused, hall_label
from exitentry.law.text import Text
from exitentry.web import case_pages as pages

hall_side = pages.signed_in(policy.is_hall_side)


def _known(hall_id: str) -> str:
    if not tickets.is_hall(hall_id):
        raise Http404(hall_id)
    return hall_id


@require_GET
@hall_side
def day_board(request: HttpRequest, hall_id: str) -> HttpResponse:
    """The board, with the day's applicants and their bookings: one audit entry lists the cases it shows
    (``record_list``, as the work queue's); its poll (``day_board_live``) adds one only for cases shown
    since (``_record_shown``)."""
    actor = pages.actor(request)
    board = tickets.day_board(actor, _known(hall_id))
    _record_shown(request, board, page=True)
    context = {"board": board, "hall_id": hall_id, "reference": request.GET.get("reference", "")[:500]}
    return render(request, "web/hall_day.html", context)


@require_GET
@hall_side
def day_board_live(request: HttpRequest, hall_id: str) -> HttpResponse:
    """The board's counts and tickets alone, as it polls them: audited only for the cases this session's
    board had not shown yet (a booking made since), so a poll every 10 s does not bury the trail."""
    return _live(request, hall_id)


SHOWN = "hall-day-shown"  # in the session: hall -> [the day, the case ids its audit entries named that day]


def _record_shown(request: HttpRequest, board: dict, *, page: bool = False) -> None:
    """One audit entry (``record_list``) naming the cases ``board`` shows that this session's board of the
    hall has not named yet today (all of them for the ``page``); nothing written when none is new."""
    shown = [b.case_id for b, _ in board["bookings"]] + [t.case_id for t in board["tickets"]]
    hall, day = board["hall_id"], board["day"].isoformat()
    named = dict(request.session.get(SHOWN, {}))
    known_day, known = named.get(hall, (day, []))
    before = set() if page or known_day != day else set(known)
    new = [case for case in dict.fromkeys(shown) if case not in before]
    if not new:
        return
    record_list(pages.actor(request), "hall-day", hall, new)
    named[hall] = (day, sorted(before | set(new)))
    request.session[SHOWN] = named


def _live(request: HttpRequest, hall_id: str, *, flash: str = "", error: str = "") -> HttpResponse:
    board = tickets.day_board(pages.actor(request), _known(hall_id))
    _record_shown(request, board)
    context = {"board": board, "hall_id": hall_id, "flash": flash, "error": error}
    return render(request, "web/_hall_day_live.html", context, status=422 if error else 200)


def _answer(
    request: HttpRequest,
    hall_id: str,
    form: str,
    *,
    flash: str = "",
    error: str = "",
    value: str = "",
    **extra,
) -> HttpResponse:
    """What a step answers: for htmx the form again with ``flash`` or ``error`` beside it (422) and the
    counts and tickets out of band; otherwise a message and the board (POST-redirect-GET)."""
    if pages.is_htmx(request):
        board = tickets.day_board(pages.actor(request), hall_id)
        _record_shown(request, board)
        context = {"form": form, "hall_id": hall_id, "board": board, "flash": flash, "error": error}
        context |= {"value": value, **extra}
        return render(request, "web/_hall_day_answer.html", context, status=422 if error else 200)
    return _plain(request, hall_id, flash, error)


def _why(exc: Refused | Taken) -> str:
    return pages.explain(exc.message if isinstance(exc, Refused) else exc.text)


@require_POST
@hall_side
def check_in(request: HttpRequest, hall_id: str) -> HttpResponse:
    scanned = request.POST.get("reference", "")[:500]
    try:
        ticket = tickets.check_in(pages.actor(request), _known(hall_id), scanned)
    except (Refused, Taken) as exc:
        return _answer(request, hall_id, "check-in", error=_why(exc), value=scanned)
    flash = gettext("Checked in: ticket %(ticket)s.") % {"ticket": ticket.label}
    return _answer(request, hall_id, "check-in", flash=flash)


@require_POST
@hall_side
def walk_in(request: HttpRequest, hall_id: str) -> HttpResponse:
    actor = pages.actor(request)
    tickets.require_hall(actor, _known(hall_id))
    typed = request.POST.get("case", "")[:40]
    if not typed.strip():
        error = gettext("Enter the application's number.")
        return _answer(request, hall_id, "walk-in", error=error, value=typed)
    case = tickets.find_case(actor, typed)
    if case is None or case.hall_id != hall_id:
        error = gettext("No application of this hall has that number.")
        return _answer(request, hall_id, "walk-in", error=error, value=typed)
    try:
        ticket = tickets.issue_walk_in(actor, case, letter_seen=request.POST.get("letter_seen") == "yes")
    except (Refused, Taken) as exc:
        return _answer(request, hall_id, "walk-in", error=_why(exc), value=typed)
    if ticket.booking_id is not None:
        flash = gettext("Booked for today: appointment %(reference)s checked in, ticket %(ticket)s.") % {
            "reference": ticket.booking.reference,
            "ticket": ticket.label,
        }
    elif ticket.appointment_letter:
        flash = gettext("Ticket %(ticket)s issued; the appointment letter is recorded as seen.") % {
            "ticket": ticket.label
        }
    elif ticket.purpose == QueueTicket.Purpose.COLLECT:
        flash = gettext("Ticket %(ticket)s issued to collect the permit.") % {"ticket": ticket.label}
    else:
        flash = gettext("Ticket %(ticket)s issued.") % {"ticket": ticket.label}
    return _answer(request, hall_id, "walk-in", flash=flash)


@require_POST
@hall_side
def call_next(request: HttpRequest, hall_id: str) -> HttpResponse:
    """Call the next ticket the counter serves; without htmx, go on to its case's intake page."""
    typed = request.POST.get("counter", "")[:40]  # kept whole: a longer number is refused, not cut
    try:
        counter = int(typed)
    except ValueError:
        error = gettext("Enter the number of your counter.")
        return _answer(request, _known(hall_id), "call-next", error=error, value=typed)
    try:
        ticket = tickets.call_next(pages.actor(request), _known(hall_id), counter)
    except (Refused, Taken) as exc:
        return _answer(request, hall_id, "call-next", error=_why(exc), value=typed)
    if ticket is None:
        flash = gettext("Nobody is waiting for counter %(counter)s.") % {"counter": counter}
        if pages.is_htmx(request):
            return _answer(request, hall_id, "call-next", flash=flash, value=typed)
        messages.info(request, flash)
        return _board(hall_id)
    flash = gettext("Ticket %(ticket)s called to counter %(counter)s.") % {
        "ticket": ticket.label,
        "counter": counter,
    }
    if pages.is_htmx(request):
        return _answer(request, hall_id, "call-next", flash=flash, value=typed, called=ticket)
    messages.success(request, flash)
    return redirect(reverse("web:hall_case", args=[ticket.case_id]))


@require_POST
@hall_side
def served(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = get_object_or_404(QueueTicket, pk=ticket_id)
    try:
        tickets.mark_served(pages.actor(request), ticket)
    except Taken as exc:
        return _ticket_answer(request, ticket, error=_why(exc))
    flash = gettext("Ticket %(ticket)s served.") % {"ticket": ticket.label}
    return _ticket_answer(request, ticket, flash=flash)


@require_POST
@hall_side
def not_answered(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = get_object_or_404(QueueTicket, pk=ticket_id)
    try:
        ticket = tickets.not_answered(pages.actor(request), ticket)
    except Taken as exc:
        return _ticket_answer(request, ticket, error=_why(exc))
    if ticket.state == QueueTicket.State.WAITING:
        flash = gettext("Ticket %(ticket)s not answered: it waits again and will be called later.")
    else:
        flash = gettext("Ticket %(ticket)s not answered a second time: it did not come.")
    return _ticket_answer(request, ticket, flash=flash % {"ticket": ticket.label})


def _ticket_answer(
    request: HttpRequest, ticket: QueueTicket, *, flash: str = "", error: str = ""
) -> HttpResponse:
    """What a step on a ticket of the table answers: for htmx the counts and tickets with ``flash`` or
    ``error`` (422) above them; otherwise a message and the board."""
    if pages.is_htmx(request):
        return _live(request, ticket.hall_id, flash=flash, error=error)
    return _plain(request, ticket.hall_id, flash, error)


def _plain(request: HttpRequest, hall_id: str, flash: str, error: str) -> HttpResponse:
    """Without JavaScript: the message, and back to the board (POST-redirect-GET)."""
    if error:
        messages.error(request, error)
    else:
        messages.success(request, flash)
    return _board(hall_id)


def _board(hall_id: str) -> HttpResponse:
    return redirect("web:hall_day", hall_id=hall_id)


_SCREEN_WORDS = {
    "queue": _("Queue"),
    "now_calling": _("Now calling"),
    "recently_called": _("Recently called"),
    "ticket": _("Ticket"),
    "counter": _("Counter"),
    "none_calling": _("No ticket is being called."),
    "none_served": _("No ticket called yet today."),
    "none_served_yet": _("No ticket served yet today."),  # while the day's first tickets are at counters
    "withdrawn": _("Withdrawn: application closed"),
    "withdrawn_why": _("These tickets will not be called: their applications are closed."),
}


def _waiting(count: int) -> Text:
    def said() -> str:
        return ngettext("%(waiting)s waiting", "%(waiting)s waiting", count) % {"waiting": count}

    with override("en"):
        en = said()
    with override("zh-hans"):
        return Text(en, said())


@require_GET
def queue_screen(request: HttpRequest, hall_id: str) -> HttpResponse:
    """The hall's public screen: which tickets are called to which counter now, the last ones served and
    how many wait, in both languages at once (it faces foreigners and Chinese alike)."""
    queue = tickets.public_queue(_known(hall_id))
    words = {key: in_both(label) for key, label in _SCREEN_WORDS.items()}
    words |= {"hall": hall_label(hall_id), "waiting": _waiting(queue["waiting"])}
    context = {"queue": queue, "hall_id": hall_id, "words": words}
    if pages.is_htmx(request):
        return render(request, "web/_hall_queue.html", context)
    return render(request, "web/hall_queue.html", context)


@require_GET
@hall_side
def check_in_link(request: HttpRequest) -> HttpResponse:
    """Where the confirmation's QR code leads (``appointments.confirmation.check_in_url``): the day board of
    the booking's hall (else the officer's first hall), its check-in field filled with the reference."""
    halls = sorted(policy.hall_ids(request.user))
    if not halls:
        raise PermissionDenied("no hall")
    reference = request.GET.get("reference", "")[:500]
    found = (
        Booking.objects.filter(reference__in=tickets.references_in(reference)).select_related("slot").first()
    )
    hall_id = found.slot.hall_id if found is not None and found.slot.hall_id in halls else halls[0]
    return redirect(f"{reverse('web:hall_day', args=[hall_id])}?{urlencode({'reference': reference})}")
