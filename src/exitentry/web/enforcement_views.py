"""A person's enforcement records in the officers' console (``compliance.services``): detention,
restriction of activities, repatriation and orders to leave, each deadline shown met, due or late.

For the officers and supervisors of the halls that see the person; anyone else gets 404 for a person they
do not see, as the API answers. The list itself is ``compliance/_enforcement_records.html``, which a
person page can include with ``records`` from ``services.records_of``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from exitentry import clock
from exitentry.accounts import policy
from exitentry.compliance import services
from exitentry.web import case_pages as pages


@require_GET
@pages.signed_in(policy.is_hall_side)
def person_records(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(services.people_for(request.user), pk=person_id)
    records = services.records_of(pages.actor(request), person, clock.now())
    return render(request, "web/enforcement.html", {"person": person, "records": records})
