"""The day at the hall in pages: the officers' day board (check-in, walk-in tickets, calling, served) and
the hall's public queue screen.

The board is for the officers and supervisors of the hall (``appointments.tickets.require_hall``); each
step is a form (POST, then a redirect with what happened). Calling a ticket goes on to the case's intake
page. The queue screen needs no sign-in and shows ticket numbers and counters only; htmx refreshes its
panel every few seconds (no inline script: the Content-Security-Policy forbids it).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from exitentry.accounts import policy
from exitentry.appointments import tickets
from exitentry.appointments.models import Booking, QueueTicket
from exitentry.appointments.services import Taken
from exitentry.cases.services import Refused
from exitentry.web import case_pages as pages

hall_side = pages.signed_in(policy.is_hall_side)


def _known(hall_id: str) -> str:
    if not tickets.is_hall(hall_id):
        raise Http404(hall_id)
    return hall_id


@require_GET
@hall_side
def day_board(request: HttpRequest, hall_id: str) -> HttpResponse:
    board = tickets.day_board(pages.actor(request), _known(hall_id))
    context = {"board": board, "hall_id": hall_id, "reference": request.GET.get("reference", "")[:500]}
    return render(request, "web/hall_day.html", context)


def _board(hall_id: str) -> HttpResponse:
    return redirect("web:hall_day", hall_id=hall_id)


def _refusal(request: HttpRequest, hall_id: str, exc: Refused | Taken) -> HttpResponse:
    messages.error(request, pages.explain(exc.message if isinstance(exc, Refused) else exc.text))
    return _board(hall_id)


@require_POST
@hall_side
def check_in(request: HttpRequest, hall_id: str) -> HttpResponse:
    try:
        ticket = tickets.check_in(pages.actor(request), _known(hall_id), request.POST.get("reference", ""))
    except (Refused, Taken) as exc:
        return _refusal(request, hall_id, exc)
    messages.success(request, gettext("Checked in: ticket %(ticket)s.") % {"ticket": ticket.label})
    return _board(hall_id)


@require_POST
@hall_side
def walk_in(request: HttpRequest, hall_id: str) -> HttpResponse:
    actor = pages.actor(request)
    tickets.require_hall(actor, _known(hall_id))
    case = tickets.find_case(actor, request.POST.get("case", ""))
    if case is None or case.hall_id != hall_id:
        messages.error(request, gettext("No application of this hall has that number."))
        return _board(hall_id)
    try:
        ticket = tickets.issue_walk_in(actor, case)
    except (Refused, Taken) as exc:
        return _refusal(request, hall_id, exc)
    messages.success(request, gettext("Ticket %(ticket)s issued.") % {"ticket": ticket.label})
    return _board(hall_id)


@require_POST
@hall_side
def call_next(request: HttpRequest, hall_id: str) -> HttpResponse:
    """Call the next ticket the counter serves, and go to its case's intake page."""
    try:
        counter = int(request.POST.get("counter", ""))
    except ValueError:
        messages.error(request, gettext("Enter the number of your counter."))
        return _board(hall_id)
    try:
        ticket = tickets.call_next(pages.actor(request), _known(hall_id), counter)
    except Refused as exc:
        return _refusal(request, hall_id, exc)
    if ticket is None:
        messages.info(request, gettext("Nobody is waiting for counter %(counter)s.") % {"counter": counter})
        return _board(hall_id)
    messages.success(
        request,
        gettext("Ticket %(ticket)s called to counter %(counter)s.")
        % {"ticket": ticket.label, "counter": counter},
    )
    return redirect(reverse("web:hall_case", args=[ticket.case_id]))


@require_POST
@hall_side
def served(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = get_object_or_404(QueueTicket, pk=ticket_id)
    try:
        tickets.mark_served(pages.actor(request), ticket)
    except Taken as exc:
        return _refusal(request, ticket.hall_id, exc)
    messages.success(request, gettext("Ticket %(ticket)s served.") % {"ticket": ticket.label})
    return _board(ticket.hall_id)


@require_GET
def queue_screen(request: HttpRequest, hall_id: str) -> HttpResponse:
    """The hall's public screen: which ticket goes to which counter, and how many wait."""
    context = {"queue": tickets.public_queue(_known(hall_id)), "hall_id": hall_id}
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
