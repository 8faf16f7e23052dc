"""The hall's compliance work: the alerts of the people of the user's halls' districts
(``compliance.district``), a person's page, what was done about an alert, and a permit's page where it is
declared void (Art. 34, after a public notice for Art. 34(3)) or cancelled (Art. 35).

Officers and supervisors only (``policy.is_hall_side``); a person or permit outside the user's reach is
404, as if it did not exist. Every read of a person or permit and every action is audited. Forms work
without JavaScript: POST, then a redirect with a message, or the page again with the refusal and 422.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, pgettext
from django.views.decorators.http import require_GET, require_POST

from exitentry import clock
from exitentry.accounts import policy
from exitentry.accounts.audit import record, record_list
from exitentry.bilingual import in_both
from exitentry.cases import access
from exitentry.cases.services import Refused
from exitentry.compliance import (
    actions,
    alert_list,
    change_reports,
    district,
    lookups,
    notices,
    report_receipts,
    unit_reports,
)
from exitentry.compliance import services as enforcement
from exitentry.compliance.endings import end_permit
from exitentry.compliance.models import Alert, AlertAction, ChangeReport, UnitReport
from exitentry.law.rules import alert_actions
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
from exitentry.law.rules.residence import authorised_stay
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND, FOLLOW_UP_GROUND, report_event
from exitentry.law.sources import Citation, cite
from exitentry.registry.models import Permit, Person
from exitentry.registry.services import OutOfReach, PermitAlreadyEnded
from exitentry.registry.standing import event_label, standing
from exitentry.registry.stay import visa_of_last_entry
from exitentry.web import case_pages as pages
from exitentry.web import change_report_form as report_form
from exitentry.web.enforcement_views import posted_value
from exitentry.web.paging import page_of
from exitentry.web.templatetags.lawtext import tr

hall_side = pages.signed_in(policy.is_hall_side)


def _row(alert: Alert, by_ground: dict, on: date, reads: bool = True) -> dict:
    said = by_ground.get(alert_list.key(alert))
    return {
        "alert": alert,
        "reads_person": reads,
        "text": said["text"] if said else None,
        "cite": Citation(alert.source_id, alert.section),
        "overdue": alert_list.is_overdue(alert, on),
    }


@require_GET
@hall_side
def alerts(request: HttpRequest) -> HttpResponse:
    """The alerts of the user's halls' districts, the most urgent first: illegal residence longest first,
    then the duty due earliest; filtered by ground and status."""
    on = pages.today()
    choices = alert_list.grounds(on)
    by_ground = {g["id"]: g for g in choices}
    ground_id = request.GET.get("ground", "")
    ground_id = ground_id if ground_id in by_ground else ""
    status = request.GET.get("status", "open")
    status = status if status in alert_list.STATUSES else "open"
    found = alert_list.listed(request.user, on, status, ground_id)
    page = page_of(request, found)
    people = {a.person_id for a in page}
    # an alert closed long ago stays listed as the hall's record; its person is linked while the hall reads them
    reads = set(
        Person.objects.filter(access.people_rule(request.user), pk__in=people).values_list("pk", flat=True)
    )
    named = alert_list.reports_named(list(page))
    rows = [{**_row(a, by_ground, on, a.person_id in reads), "reports": named.get(a.pk)} for a in page]
    record_list(pages.actor(request), "alerts", page.number, [r["alert"].person_id for r in rows])
    statuses = [
        ("open", pgettext("alert", "Open")),
        ("overdue", gettext("Overdue")),
        ("due", gettext("Due, not yet late")),
        ("closed", pgettext("alert status", "Closed")),
        ("all", gettext("All")),
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "grounds": choices,
        "ground": ground_id,
        "statuses": statuses,
        "status": status,
        "today": on,
        "query": query.urlencode(),
    }
    return render(request, "web/alerts.html", context)


# --- a person -------------------------------------------------------------------------------------


def _person(request: HttpRequest, person_id: int):
    return get_object_or_404(
        Person.objects.filter(access.people_rule(request.user)).prefetch_related(
            "travel_documents", "visas", "movements", "accommodation_registrations"
        ),
        pk=person_id,
    )


def _lookup(user, person_id: int, on: date) -> dict:
    """The lookup through which the user's halls read the person, if one still grants reach, and until when."""
    lookup = lookups.granting(user, person_id, on)
    return {"lookup": lookup, "lookup_until": lookups.readable_until(lookup) if lookup else None}


def _person_context(request: HttpRequest, person, errors: dict | None = None) -> dict:
    on = pages.today()
    by_ground = {g["id"]: g for g in alert_list.grounds(on)}
    person_alerts = list(
        Alert.objects.filter(person=person)
        .prefetch_related("actions__by", "actions__case", "actions__order")
        .order_by(F("closed_on").desc(nulls_first=True), "-opened_on", "pk")
    )
    permits = list(person.permits.prefetch_related("events").order_by("-issued_on", "-pk"))
    cases = list(access.cases_for(request.user).filter(person=person).order_by("-submitted_on", "-pk"))
    reports = list(
        UnitReport.objects.filter(person=person)
        .select_related("unit", "permit")
        .order_by("-happened_on", "-pk")
    )
    unit_reports.read_list(pages.actor(request), "person_unit_reports", reports)
    by_alert = {r.follow_up_id: r for r in reports if r.follow_up_id}
    told = ChangeReport.objects.filter(permit__person=person, follow_up__isnull=False).select_related(
        "permit", "filed_by"
    )
    by_follow_up = {r.follow_up_id: r for r in told.order_by("-pk")}  # the first report of each, last
    rows = [
        {
            **_row(a, by_ground, on),
            "report": by_alert.get(a.pk),
            "decision": _decision(by_alert.get(a.pk), on) if a.ground_id == FOLLOW_UP_GROUND else None,
            "announces": _announces(by_alert.get(a.pk)) and a.ground_id == FOLLOW_UP_GROUND,  # not a death's
            "cancels": a.ground_id == DEATH_FOLLOW_UP_GROUND and _runs(by_alert.get(a.pk)),
            **_offered(a),
        }
        for a in person_alerts
    ]
    return {
        "person": person,
        "district": district.hall_of_person(person),
        "alerts": [_holder_told(row, by_follow_up.get(row["alert"].pk)) for row in rows],
        "unit_reports": [
            {"report": r, "unit": r.unit.names, "event": report_event(r.event)} for r in reports
        ],
        "permits": [{"permit": p, "standing": standing(p, on)} for p in permits],
        "visas": _visas(person, on),
        "cases": cases,
        "records": enforcement.records_of(pages.actor(request), person, clock.now()),
        **_lookup(request.user, person.pk, on),
        "errors": errors or {},
        "posted": request.POST if errors else {},
        "today": on,
    }


def _visas(person: Person, on: date) -> list[dict]:
    """Each visa of ``person`` with, when the stay they are on on ``on`` is on it
    (``registry.stay.visa_of_last_entry``), the stay that entry allowed (``law.rules.residence.authorised_stay``):
    what an overstay alert is counted from, beside the visa's validity for entry, which is not how long one
    may stay."""
    entry, of_entry = visa_of_last_entry(person, on) or (None, None)
    rows = []
    for visa in person.visas.order_by("-valid_until", "-pk"):
        on_it = entry is not None and visa == of_entry and visa.duration_of_stay_days >= 1
        stay = authorised_stay(entry.on, visa.duration_of_stay_days) if on_it else None
        rows.append({"visa": visa, "entered_on": entry.on if on_it else None, "stay": stay})
    return rows


def _offered(alert: Alert) -> dict:
    """What the alert's form offers, as the law core says for its ground (``law.rules.alert_actions``),
    and why not every action."""
    said = alert_actions.offered(alert.ground_id)
    kinds = [(value, name) for value, name in AlertAction.Kind.choices if value in said.actions]
    return {"kinds": kinds, "kinds_why": said.why, "kinds_cite": said.cite, "offers": said.actions}


def _runs(report: UnitReport | None) -> bool:
    """Whether the permit a unit's report names is still valid (a death's follow-up leads to cancelling it)."""
    return bool(report and report.permit and report.permit.status == Permit.Status.VALID)


def _announces(report: UnitReport | None) -> bool:
    """Whether the permit a unit's report names takes an Art. 34(3) notice (``law.rules.endings``)."""
    return bool(report and report.permit and out_of_reach(report.permit.kind, PUBLIC_NOTICE) is None)


def _holder_told(row: dict, change: ChangeReport | None) -> dict:
    """An alert's row, with the holder's report that opened or joined it where one did
    (``change_reports.hall_sees``), named under its heading (``_row`` gives the heading) and whether it
    opened it; where it joined a unit's report's follow-up, the note saying so (``joined``, for the
    history)."""
    if change is None or row["alert"].ground_id != FOLLOW_UP_GROUND:
        return {**row, "change": None}
    opened = change_reports.opened_by_holder(row["alert"].cause_key)
    joined = change_reports.joined_note(change, row["report"]) if not opened and row["report"] else None
    return {**row, "change": change, "opened_by_holder": opened, "joined": joined}


def _decision(report: UnitReport | None, on: date):
    """Art. 34(3) for the permit a unit's report followed up (``notices.decision``), while it is in force."""
    if report is None or report.permit is None or report.permit.status != Permit.Status.VALID:
        return None
    return notices.decision(report.permit, on)


def _person_page(request: HttpRequest, person, errors: dict | None = None, status: int = 200) -> HttpResponse:
    """The person's page, after a refused action too: every showing of it is audited as a read."""
    record(pages.actor(request), "person.read", "person", person.pk)
    return render(request, "web/person.html", _person_context(request, person, errors), status=status)


@require_GET
@hall_side
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, _person(request, person_id))


@require_POST
@hall_side
def act_on_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Record what was done about an alert of the user's halls' districts whose person they read
    (``access.hall_people``): a refused action shows the person's page, so an alert closed long ago, listed
    as a record, is not found here (before, its refusal showed a person the hall no longer reads)."""
    readable = Person.objects.filter(access.people_rule(request.user))
    alert = get_object_or_404(
        district.alerts_for_officer(request.user).filter(person__in=readable).select_related("person"),
        pk=alert_id,
    )
    post = request.POST
    case_id = post.get("case", "").strip()
    case = access.cases_for(request.user).filter(pk=case_id).first() if case_id.isdecimal() else None
    kind, note, on = post.get("kind", ""), post.get("note", ""), pages.today()
    try:
        actions.offered(alert, kind)  # before the order's fields: a kind not offered is the error to show
        if kind == AlertAction.Kind.ORDER_TO_LEAVE:
            ordered_on = posted_value(post, "ordered_on", date, in_both(gettext_noop("Ordered on")))
            days = posted_value(post, "days", int, in_both(gettext_noop("Days to leave")))
            actions.order_to_leave(
                pages.actor(request), alert, ordered_on=ordered_on, days=days, on=on, note=note
            )
        else:
            actions.act(pages.actor(request), alert, kind, on=on, note=note, case=case)
    except (actions.ActionRefused, Refused) as exc:
        text = exc.text if isinstance(exc, actions.ActionRefused) else exc.message
        errors = {"alert": alert.pk, "field": exc.field, "message": pages.explain(text)}
        return _person_page(request, alert.person, errors, status=422)
    messages.success(request, gettext("Recorded."))
    return redirect(f"{reverse('web:console_person', args=[alert.person_id])}#alert-{alert.pk}")


# --- a permit -------------------------------------------------------------------------------------


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
    found = get_object_or_404(
        change_reports.readable_by(request.user).select_related("permit__person", "filed_by"),
        pk=report_id,
        permit_id=permit_id,
    )
    return report_receipts.change_pdf_response(
        pages.actor(request), found, request.build_absolute_uri("/").rstrip("/")
    )


@require_GET
@hall_side
def unit_receipt_pdf(request: HttpRequest, permit_id: int, report_id: int) -> HttpResponse:
    """The receipt of a unit's report that named the permit, as the unit got it (PDF); as ``change_receipt_pdf``."""
    found = get_object_or_404(
        unit_reports.receipts_for(request.user).select_related(
            "unit", "person", "affiliation", "permit", "travel_document"
        ),
        pk=report_id,
        permit_id=permit_id,
    )
    return report_receipts.pdf_response(
        pages.actor(request), found, request.build_absolute_uri("/").rstrip("/")
    )


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
