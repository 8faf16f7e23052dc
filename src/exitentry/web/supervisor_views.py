"""The supervisor's queue health: per hall, open cases, decisions due this week, late decisions, and the
median working days from acceptance to decision over the last 90 days; below, charts of the queue over
the last weeks and of the alerts opened by ground and week (``web.charts``), each with its data table.

Only for users the lifecycle table gives ``queue_health`` (supervisors), over ``access.cases_for(user,
"queue_health")``. The counts are one aggregate query for all the user's halls; the median is taken from
a bounded list of the most recent decisions per hall, counted on the official calendar (Regulations
Art. 36: working days exclude statutory holidays).
"""

from __future__ import annotations

import statistics
from datetime import date, timedelta

from csp.decorators import csp
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from exitentry.accounts import policy
from exitentry.cases import access
from exitentry.cases.lifecycle import QUEUE_STATES
from exitentry.compliance import alert_list
from exitentry.law.calendar import monday_of, official_calendar
from exitentry.web import case_pages as pages
from exitentry.web import charts

MEDIAN_WINDOW_DAYS = 90
MEDIAN_SAMPLE = 2000  # the most recent decisions per hall the median is taken from

supervisor = pages.signed_in(lambda user: access.grants(user, "queue_health"))


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week ``day`` falls in."""
    monday = monday_of(day)
    return monday, monday + timedelta(days=6)


def hall_health(user, on: date) -> list[dict]:
    """One row per hall of ``user``: the counts from one aggregate query, the median from a bounded list."""
    cases = access.cases_for(user, "queue_health")
    monday = week_of(on)[0]
    is_open = Q(state__in=QUEUE_STATES)
    undecided = is_open & Q(decided_on__isnull=True)
    counts = {
        row["hall_id"]: row
        for row in cases.values("hall_id")
        .order_by("hall_id")
        .annotate(
            open=Count("pk", filter=is_open),
            due_this_week=Count("pk", filter=charts.due_in_week(monday)),
            late=Count("pk", filter=undecided & Q(decision_due__lt=on)),
        )
    }
    calendar = official_calendar()
    since = on - timedelta(days=MEDIAN_WINDOW_DAYS)
    rows = []
    for hall_id in sorted(policy.hall_ids(user)):
        pairs = (
            cases.filter(
                hall_id=hall_id, decided_on__gte=since, decided_on__lte=on, accepted_on__isnull=False
            )
            .order_by("-decided_on", "-pk")
            .values_list("accepted_on", "decided_on")[:MEDIAN_SAMPLE]
        )
        counted = [calendar.working_days_between(accepted, decided) for accepted, decided in pairs]
        row = counts.get(hall_id, {})
        rows.append(
            {
                "hall_id": hall_id,
                "open": row.get("open", 0),
                "due_this_week": row.get("due_this_week", 0),
                "late": row.get("late", 0),
                "median": statistics.median(c.days for c in counted) if counted else None,
                "decided": len(counted),
                "provisional": any(c.provisional for c in counted),
            }
        )
    return rows


@require_GET
@supervisor
def queue_health(request: HttpRequest) -> HttpResponse:
    on = pages.today()
    monday, sunday = week_of(on)
    context = {
        "rows": hall_health(request.user, on),
        "today": on,
        "monday": monday,
        "sunday": sunday,
        "window": MEDIAN_WINDOW_DAYS,
        "charts": [(name, build(request.user, on)) for name, (build, _) in CHARTS.items()],
    }
    return render(request, "web/queue_health.html", context)


def _alerts_chart(user, on: date) -> charts.Chart:
    labels = {g["id"]: g["text"] for g in alert_list.grounds(on)}
    return charts.alerts_by_ground(user, on, labels)


# name -> (the chart's numbers for a user on a day, stacked bars?)
CHARTS = {"queue": (charts.queue_over_time, False), "alerts": (_alerts_chart, True)}


@require_GET
@supervisor
@csp({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"]})
def chart_svg(request: HttpRequest, chart: str) -> HttpResponse:
    """One chart as an SVG image (the page shows it with ``<img>``, its numbers in a table beside it).
    Its own policy lets the SVG's inline styles apply; it runs no script."""
    if chart not in CHARTS:
        raise Http404(chart)
    build, stacked = CHARTS[chart]
    drawn = charts.svg(build(request.user, pages.today()), get_language() or "en", stacked=stacked)
    return HttpResponse(drawn, content_type="image/svg+xml; charset=utf-8")
