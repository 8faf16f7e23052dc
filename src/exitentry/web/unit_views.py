"""The unit's portal: an employer's or school's own foreign staff or students (its roster today), each
with their permits and visas, where they stand, the duties due and the unit's open applications;
filtered and sorted, a page at a time; downloaded as CSV or XLSX; one person's page, from which the
handler starts an application through the advisor (``permit_views``' start buttons, the apply page).

Only the unit's handlers see it, and only the people on its roster: one it reported off the roster
leads to the report's receipt (what the unit filed, with the hall's follow-up), anyone else is 404, as if
there were no such person. Every page and download records which people it showed (``accounts.audit``).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exitentry.accounts import policy
from exitentry.accounts.audit import record
from exitentry.cases import access
from exitentry.compliance import staff
from exitentry.compliance.unit_reports import reports_for
from exitentry.law.rules.unit_reports import RELATION_NAME, report_event
from exitentry.web import case_pages as pages
from exitentry.web import unit_exports
from exitentry.web.paging import page_of
from exitentry.web.permit_views import as_on, holder_cards
from exitentry.web.unit_report_views import follow_up_state

unit_side = pages.signed_in(policy.is_unit_handler)
TIMELINE_DAYS = 365  # how far ahead a row's timeline reaches: a view of the calendar


def _query(request: HttpRequest, listing: staff.Listing) -> str:
    """The list's filter and order as a query string, for its pages and downloads."""
    query = request.GET.copy()
    query.pop("page", None)
    query["filter"], query["sort"] = listing.filter, listing.sort
    return query.urlencode()


def not_understood(request: HttpRequest, listing: staff.Listing) -> list[str]:
    """What the list says of a ``filter`` or ``sort`` it did not understand (an old bookmark, a mistyped
    link), with what it shows instead (of a ``page``: ``paging.page_of``)."""
    asked, said = request.GET, []
    if asked.get("filter", "") != listing.filter:
        said.append(
            _("The filter “%(asked)s” was not understood; shown instead: %(shown)s.")
            % {"asked": asked["filter"], "shown": staff.FILTERS[listing.filter]}
        )
    if asked.get("sort", "expiry") != listing.sort:
        said.append(
            _("The order “%(asked)s” was not understood; sorted instead: %(shown)s.")
            % {"asked": asked["sort"], "shown": staff.SORTS[listing.sort]}
        )
    return said


@require_GET
@unit_side
def people(request: HttpRequest) -> HttpResponse:
    """The unit's people, filtered and sorted, a page at a time (htmx swaps the list alone)."""
    user, on = request.user, pages.today()
    listing = staff.Listing.of(request.GET)
    page = page_of(request, staff.people(user.unit_id, on, listing))
    rows = staff.rows(user.unit_id, list(page), on)
    record(
        pages.actor(request),
        "unit.people.list",
        "unit",
        user.unit_id,
        new={"page": page.number, "filter": listing.filter, "people": [r.person.pk for r in rows]},
    )
    context = {
        "unit": user.unit,
        "page": page,
        "rows": rows,
        "entries": [(r, timeline(r, on)) for r in rows],
        "ticks": [f"{100 * days / TIMELINE_DAYS:.1f}" for days in staff.WITHIN_CALENDAR_DAYS.values()],
        "tick_days": tick_days(),
        "listing": listing,
        "not_understood": not_understood(request, listing),
        "filters": staff.FILTERS,
        "sorts": staff.SORTS,
        "query": _query(request, listing),
        "today": on,
        "is_admin": policy.is_unit_admin(user),
    }
    template = "web/unit/_roster.html" if pages.is_htmx(request) else "web/unit/people.html"
    return render(request, template, context)


def tick_days() -> str:
    """The days the bars' ticks mark, in the page's language ("30, 60 and 90" / "30、60和90"): the filters'
    own (``staff.WITHIN_CALENDAR_DAYS``), so the legend never names other days than the ticks."""
    days = [str(d) for d in staff.WITHIN_CALENDAR_DAYS.values()]
    if len(days) < 2:
        return "".join(days)
    comma = "、" if (get_language() or "").startswith("zh") else ", "
    return _("%(items)s and %(last)s") % {"items": comma.join(days[:-1]), "last": days[-1]}


def timeline(row: staff.Row, on) -> list[dict[str, object]]:
    """Where each permit's last day falls in the next ``TIMELINE_DAYS``, as a share of the bar (0-100);
    last days already past or further off are left out."""
    marks = []
    for line in row.permits:
        until = line.permit.valid_until
        if until is None or line.state in ("void", "cancelled") or not on <= until:
            continue
        days = (until - on).days
        if days <= TIMELINE_DAYS:
            marks.append({"x": f"{100 * days / TIMELINE_DAYS:.1f}", "line": line, "days": days})
    return marks


@require_GET
@unit_side
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every person of the list as the filter and order ask, one line per permit, as CSV or XLSX."""
    if fmt not in unit_exports.CONTENT_TYPES:
        raise Http404(fmt)  # before the audit entry: nothing is shown
    user, on = request.user, pages.today()
    listing = staff.Listing.of(request.GET)
    rows = staff.rows(user.unit_id, list(staff.people(user.unit_id, on, listing)), on)
    record(
        pages.actor(request),
        "unit.people.download",
        "unit",
        user.unit_id,
        new={"format": fmt, "filter": listing.filter, "people": [r.person.pk for r in rows]},
    )
    return unit_exports.response(fmt, rows, on, listing)


@require_GET
@unit_side
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """One person on the roster: their permits, visas, the unit's applications for them and the duties."""
    user, on = request.user, pages.today()
    found = staff.people(user.unit_id, on).filter(pk=person_id).first()
    if found is None:  # off the roster: one the unit reported leads to its receipt, read-only
        report = reports_for(user).filter(person_id=person_id).order_by("-filed_at", "-pk").first()
        if report is None:
            raise Http404("not on the unit's roster")
        return redirect("web:unit_report", report.pk)
    cards, visas = holder_cards(user, found, on)
    cases = list(access.cases_for(user).filter(person=found).order_by("-pk"))
    reports = list(
        reports_for(user).filter(person=found).select_related("follow_up").order_by("-happened_on", "-pk")
    )  # the unit's own Art. 26 reports of them, as the roster marks them
    record(
        pages.actor(request),
        "unit.person.read",
        "person",
        found.pk,
        new={
            "unit": user.unit_id,
            "permits": [c.permit.pk for c in cards],
            "cases": [c.pk for c in cases],
            "reports": [r.pk for r in reports],
        },
    )
    duties = {(d.id, d.due): d for c in cards for d in c.duties if d.due is not None}  # one duty, two permits
    dated = sorted(
        [(c.permit.valid_until, "expiry", c) for c in cards if c.permit.valid_until and c.state != "void"]
        + [(due, "duty", d) for (_, due), d in duties.items()]
        + [(v.duty.due, "duty", v.duty) for v in visas if v.duty is not None and v.duty.due is not None],
        key=lambda item: (item[0], item[1]),
    )
    return render(
        request,
        "web/unit/person.html",
        {
            "person": found,
            "relation": RELATION_NAME[found.relation],
            "cards": cards,
            "visas": visas,
            "documents": found.travel_documents.order_by("-expires_on", "-pk"),
            "cases": [(c, pages.procedure_title(c.procedure_id)) for c in cases],
            "reports": [(r, report_event(r.event).text, follow_up_state(r)) for r in reports],
            "dated": dated,
            "unit": user.unit,
            **as_on(on),
        },
    )
