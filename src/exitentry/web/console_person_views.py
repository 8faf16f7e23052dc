"""A person's page on the hall's side (their alerts, with what each offers and what was done, their
permits, visas, cases, units' reports and enforcement records) and recording what was done about an
alert (``compliance.actions``).

Officers and supervisors only (``policy.is_hall_side``); a person outside the user's reach is 404, as if
they did not exist. Every showing of the page and every action is audited. The forms work without
JavaScript: POST, then a redirect with a message, or the page again with the refusal and 422.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from exitentry import clock
from exitentry.accounts import policy
from exitentry.accounts.audit import record
from exitentry.bilingual import in_both
from exitentry.cases import access
from exitentry.cases.services import Refused
from exitentry.compliance import actions, alert_list, change_reports, district, lookups, notices, unit_reports
from exitentry.compliance import services as enforcement
from exitentry.compliance.models import Alert, AlertAction, ChangeReport, UnitReport
from exitentry.law.rules import alert_actions
from exitentry.law.rules.endings import PUBLIC_NOTICE, out_of_reach
from exitentry.law.rules.residence import authorised_stay
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND, FOLLOW_UP_GROUND, report_event
from exitentry.registry.models import Permit, Person
from exitentry.registry.standing import standing
from exitentry.registry.stay import visa_of_last_entry
from exitentry.web import case_pages as pages
from exitentry.web.alert_views import alert_row
from exitentry.web.enforcement_views import posted_value

hall_side = pages.signed_in(policy.is_hall_side)


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
            **alert_row(a, by_ground, on),
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
    (``change_reports.hall_sees``), named under its heading (``alert_views.alert_row`` gives the heading)
    and whether it opened it; where it joined a unit's report's follow-up, the note saying so (``joined``,
    for the history)."""
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
