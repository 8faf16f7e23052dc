"""The hall's compliance work: the alerts of the people of the user's halls' districts
(``compliance.district``), the most urgent first, filtered by ground and status. A person's page and
what was done about an alert are ``console_person_views``; a permit's page, where it is declared void or
cancelled, ``console_permit_views``.

Officers and supervisors only (``policy.is_hall_side``); every page of the list is audited with the
people on it.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET

from exitentry.accounts import policy
from exitentry.accounts.audit import record_alert_list
from exitentry.cases import access
from exitentry.compliance import alert_list
from exitentry.compliance.models import Alert
from exitentry.law.sources import Citation
from exitentry.registry.models import Person
from exitentry.web import case_pages as pages
from exitentry.web.paging import page_of

hall_side = pages.signed_in(policy.is_hall_side)


def alert_row(alert: Alert, by_ground: dict, on: date, reads: bool = True) -> dict:
    """An alert's row, in the list and on the person's page: its ground's text (``by_ground``, from
    ``alert_list.grounds``), its citation, whether it is overdue on ``on``, and whether the person is linked
    (``reads``)."""
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
    rows = [{**alert_row(a, by_ground, on, a.person_id in reads), "reports": named.get(a.pk)} for a in page]
    record_alert_list(
        pages.actor(request), page.number, [(r["alert"].pk, r["alert"].person_id) for r in rows]
    )
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
