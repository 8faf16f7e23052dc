"""The booking confirmation, as a page and as a bilingual PDF: when and where, who comes, what to bring, and
the QR code the hall scans at check-in.

The QR code carries the check-in address with the booking's reference (``check_in_url``): the hall's scanner
types it into the check-in field, and a phone that scans it opens the check-in page, which asks an officer
to sign in. The reference is random (``services._reference``), so it names the booking without telling
anything about the person.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from reportlab.graphics import renderSVG

from exitentry.accounts.audit import Actor, record
from exitentry.appointments.models import Booking, BookingRules
from exitentry.appointments.tickets import check_in_window
from exitentry.cases.notices import party
from exitentry.cases.services.intake import comes_in_person
from exitentry.documents import data, pdf
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.intake import InPerson, WhoMayHandIn
from exitentry.law.text import Text

CHECK_IN_PATH = "/console/check-in/"  # the one definition: web.urls serves the check-in link at it
QR_PIXELS = 200


def check_in_url(base_url: str, reference: str) -> str:
    return f"{base_url.rstrip('/')}{CHECK_IN_PATH}?{urlencode({'reference': reference})}"


def confirmation(booking: Booking) -> data.BookingConfirmation:
    """What the confirmation says, from the booking, its case and the law core's advice on the case."""
    case, slot = booking.case, booking.slot
    advice = case.advice_on(slot.day)
    hall = catalog().halls.get(slot.hall_id)
    return data.BookingConfirmation(
        reference=booking.reference,
        case_reference=case.reference,
        procedure_title=catalog().procedure(case.procedure_id).title,
        applicant=party(case),
        hall_name=hall.name if hall else Text(slot.hall_id, slot.hall_id),
        hall_address=hall.address if hall else Text("", ""),
        starts_at=slot.starts_at.astimezone(BEIJING),
        ends_at=slot.ends_at.astimezone(BEIJING),
        counter=slot.counter.number,
        bring=tuple(_line(a) for a in advice.materials),
        pending=tuple(_line(a, why=a.why) for a in advice.pending),
        in_person=tuple(
            _line(a)
            for a in (*advice.submission, *advice.interview)
            if a.mode in ("in-person", "proxy", "required")
        ),
        cutoff_hours=BookingRules.current().cutoff_hours,
        check_in=check_in_window(slot.starts_at, slot.ends_at),
        **_before_intake(comes_in_person(case, slot.day)),
    )


def pdf_response(actor: Actor, booking: Booking, base_url: str) -> HttpResponse:
    """The confirmation as a PDF answer (the page and the API serve the same), its reading audited."""
    record(actor, "document.read", "booking", booking.reference)
    body = pdf.render_booking(confirmation(booking), check_in_url=check_in_url(base_url, booking.reference))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="appointment-{booking.reference}.pdf"'
    return response


def qr_svg(booking: Booking, base_url: str) -> str:
    """The check-in QR code as an SVG image, for the confirmation page."""
    return renderSVG.drawToString(pdf.qr_drawing(check_in_url(base_url, booking.reference), QR_PIXELS))


def _before_intake(told: InPerson | WhoMayHandIn | None) -> dict[str, data.Line]:
    """What the filer is told before intake, as the pages say it: that the applicant comes in person
    although someone else filed (``must_come``), or who may hand it in instead (``who_hands_in``)."""
    if told is None:
        return {}
    line = data.Line(told.text, None, tuple(c.label for c in told.cite))
    return {"must_come" if told.must_come else "who_hands_in": line}


def _line(answer, why: Text | None = None) -> data.Line:
    return data.Line(answer.text, why, tuple(c.label for c in answer.cite))
