"""A permit's page on the hall's side: declared void (Art. 34, after a public notice for Art. 34(3)) or
cancelled (Art. 35), the public notice published, a holder's report of a change of its particulars
recorded at the counter, and the receipts of the reports that named it.

Officers and supervisors only (``policy.is_hall_side``); a permit whose person is outside the user's
reach is 404, as if it did not exist. Every showing of the page, every receipt read and every action is
audited. The forms work without JavaScript: POST, then a redirect with a message, or the page again with
the refusal and 422 (409: already ended, or a notice refused).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from exitentry.accounts import policy
from exitentry.accounts.audit import record
from exitentry.cases import access
from exitentry.compliance import change_reports, notices, report_receipts, unit_reports
from exitentry.compliance import services as enforcement
from exitentry.compliance.endings import end_permit
from exitentry.compliance.models import ChangeReport, UnitReport
from exitentry.law.rules.change_reports import PARTICULARS, reportable
from exitentry.law.rules.endings import (
    CANCEL,
    DEATH_CANCEL_GROUND,
    ORDER_TO_LEAVE_CITE,
    PUBLIC_NOTICE,
    VOID,
    out_of_reach,
)
from exitentry.law.rules.grounds import UnknownGround, ending_refusal, ground, ground_kind, grounds
from exitentry.law.rules.public_notice import NOTICE_GROUND
from exitentry.law.rules.unit_reports import report_event
from exitentry.law.sources import cite
from exitentry.registry.models import Permit, Person
from exitentry.registry.services import OutOfReach, PermitAlreadyEnded
from exitentry.registry.standing import event_label, standing
from exitentry.web import case_pages as pages
from exitentry.web import change_report_form as report_form
from exitentry.web.templatetags.lawtext import tr

hall_side = pages.signed_in(policy.is_hall_side)


def _permit(request: HttpRequest, permit_id: int) -> Permit:
    return get_object_or_404(
        Permit.objects.filter(person__in=Person.objects.filter(access.people_rule(request.user)))
        .select_related("person")
        .prefetch_related("events__authority_notified_by", "public_notices", *change_reports.PREFETCH),
        pk=permit_id,
    )


def _permit_context(request: HttpRequest, permit: Permit, errors: dict | None = None) -> dict:
    on = pages.today()
    notice = notices.latest(permit)
    reach = {ending: out_of_reach(permit.kind, ending) for ending in (VOID, CANCEL, PUBLIC_NOTICE)}
    return {
        "permit": permit,
        "person": permit.person,
        "standing": standing(permit, on),
        "events": [
            (e, event_label(e), ground(e.ground_id) if e.ground_id else None) for e in permit.events.all()
        ],
        "notice": notice,
        "notices": permit.public_notices.order_by("-published_on", "-pk"),
        "void_kind": ground_kind("void"),
        "cancel_kind": ground_kind("cancellation"),
        "void_grounds": [g for g in grounds("void", on) if out_of_reach(permit.kind, VOID, g.id) is None],
        "out_of_reach": reach,
        "notice_out_of_reach": reach[PUBLIC_NOTICE],
        "out_of_reach_lines": list(dict.fromkeys(why for why in (reach[VOID], reach[CANCEL]) if why)),
        "takes_reports": reportable(permit.kind, True),
        "cancel_grounds": [
            g for g in grounds("cancellation", on) if out_of_reach(permit.kind, CANCEL, g.id) is None
        ],
        "notice_ground": NOTICE_GROUND,
        "publish_refused": notices.publish_refusal(permit, on),
        "decision": notices.decision(permit, on),
        "change_reports": [  # each with who filed it in words, as its receipt says (never an account name)
            (r, PARTICULARS[r.particular], report_receipts.filed_by(r))
            for r in change_reports.reports_of(permit)
        ],
        "unit_reports": _unit_reports(request, permit),
        "orders_to_cancel": enforcement.orders_to_cancel(permit),
        "order_cite": ORDER_TO_LEAVE_CITE,
        "particulars": report_form.choices(),
        "takes_change_report": reportable(permit.kind, permit.state_on(on) == "valid"),
        "ending_refused": ending_refusal(permit.valid_until, on),
        "errors": errors or {},
        "posted": request.POST if errors else {},
        "today": on,
    }


def _unit_reports(request: HttpRequest, permit: Permit) -> list[dict]:
    """The units' reports (Regulations Art. 26) that named the permit, newest first; listing them is audited."""
    reports = list(
        UnitReport.objects.filter(permit=permit).select_related("unit").order_by("-happened_on", "-pk")
    )
    unit_reports.read_list(pages.actor(request), "permit_unit_reports", reports)
    return [{"report": r, "unit": r.unit.names, "event": report_event(r.event)} for r in reports]


def _permit_page(
    request: HttpRequest, permit: Permit, errors: dict | None = None, status: int = 200
) -> HttpResponse:
    """The permit's page, after a refused ending or notice too: every showing of it is audited as a read."""
    record(pages.actor(request), "permit.read", "permit", permit.pk)
    return render(request, "web/permit.html", _permit_context(request, permit, errors), status=status)


@require_GET
@hall_side
def permit(request: HttpRequest, permit_id: int) -> HttpResponse:
    return _permit_page(request, _permit(request, permit_id))


@require_GET
@hall_side
def change_receipt_pdf(request: HttpRequest, permit_id: int, report_id: int) -> HttpResponse:
    """The receipt of a report of a change of the permit's particulars, as the holder got it (PDF); the
    permit outside the user's reach is 404, as its page is, and the reading is audited."""
    readable = change_reports.readable_by(request.user).select_related("permit__person", "filed_by")
    return _receipt_pdf(request, readable, report_id, permit_id, report_receipts.change_pdf_response)


@require_GET
@hall_side
def unit_receipt_pdf(request: HttpRequest, permit_id: int, report_id: int) -> HttpResponse:
    """The receipt of a unit's report that named the permit, as the unit got it (PDF); as ``change_receipt_pdf``."""
    readable = unit_reports.receipts_for(request.user).select_related(
        "unit", "person", "affiliation", "permit", "travel_document"
    )
    return _receipt_pdf(request, readable, report_id, permit_id, report_receipts.pdf_response)


def _receipt_pdf(request: HttpRequest, readable, report_id: int, permit_id: int, respond) -> HttpResponse:
    """The report ``report_id`` of ``readable`` that named the permit ``permit_id`` (404 otherwise), its
    receipt answered by ``respond`` (``report_receipts``: the PDF, its reading audited)."""
    found = get_object_or_404(readable, pk=report_id, permit_id=permit_id)
    return respond(pages.actor(request), found, request.build_absolute_uri("/").rstrip("/"))


@require_POST
@hall_side
def end(request: HttpRequest, permit_id: int, ending: str) -> HttpResponse:
    """Void or cancel the permit, once confirmed; a refusal is the page again with 422 (409: ended)."""
    found = _permit(request, permit_id)
    if ending not in ("void", "cancel"):
        return redirect("web:console_permit", found.pk)
    posted = request.POST
    notified = posted.get("authority_notified") == "on"
    missing = _missing(ending, posted, notified)
    if missing:
        return _permit_page(request, found, {"form": ending, "messages": missing}, 422)
    try:
        end_permit(
            pages.actor(request),
            found,
            ending,
            posted["ground_id"],
            on=pages.today(),
            authority_notified=ending == "cancel" and notified,
        )
    except (UnknownGround, OutOfReach) as exc:
        status, message = 422, pages.explain(exc.text)
    except (PermitAlreadyEnded, notices.NoticeRefused) as exc:
        status, message = 409, pages.explain(exc.text)
    else:
        done = gettext("Declared void.") if ending == "void" else gettext("Cancelled.")
        messages.success(request, done)
        return redirect("web:console_permit", found.pk)
    return _permit_page(request, found, {"form": ending, "messages": [message]}, status)


def _missing(ending: str, posted, notified: bool) -> list[str]:
    """What the voiding or cancelling form lacks, every item at once, in the order of the form."""
    ground = posted.get("ground_id", "")
    missing = [] if ground else [gettext("Choose a ground.")]
    if ending == "cancel" and not notified and ground != DEATH_CANCEL_GROUND:
        # Art. 35 asks it; a cancellation on the death (Law Art. 40) does not
        missing.append(
            gettext("%(cite)s: notify the issuing authority, then tick the box to record it.")
            % {"cite": tr(cite("regulations", "Art. 35").label)}
        )
    if posted.get("confirm") != "on":
        missing.append(gettext("Tick the box to confirm."))
    return missing


@require_POST
@hall_side
def publish_notice(request: HttpRequest, permit_id: int) -> HttpResponse:
    """Publish the Art. 34(3) public notice for the permit."""
    found = _permit(request, permit_id)
    if request.POST.get("confirm") != "on":
        errors = {"form": "notice", "messages": [gettext("Tick the box to confirm.")]}
        return _permit_page(request, found, errors, status=422)
    try:
        notice = notices.publish(pages.actor(request), found, on=pages.today())
    except (notices.NoticeRefused, OutOfReach) as exc:
        errors = {"form": "notice", "messages": [pages.explain(exc.text)]}
        return _permit_page(request, found, errors, status=422 if isinstance(exc, OutOfReach) else 409)
    messages.success(request, gettext("Public notice %(number)s published.") % {"number": notice.number})
    return redirect("web:console_permit", found.pk)


@require_POST
@hall_side
def report_change(request: HttpRequest, permit_id: int) -> HttpResponse:
    """Record at the counter the holder's report that the permit's particulars changed (Art. 33)."""
    found = _permit(request, permit_id)
    errors = report_form.posted(request, found, ChangeReport.Source.COUNTER)
    if errors:
        return _permit_page(request, found, {"form": "change", "messages": list(errors.values())}, status=422)
    return redirect(f"{reverse('web:console_permit', args=[found.pk])}#change-reports")
