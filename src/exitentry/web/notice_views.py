"""The public notices of Art. 34(3) (``compliance.notices``): a list and one notice, in both languages,
for anyone. A notice shows the holder's initials, nationality and masked permit number, nothing more, and
names the authority that publishes it and the hall where the holder reports, as the notice recorded it when
it was published (``compliance.notices.report_hall``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from exitentry.compliance.models import PublicNotice
from exitentry.compliance.notices import report_hall
from exitentry.law.halls import AUTHORITY
from exitentry.law.rules.grounds import ground
from exitentry.web import case_pages as pages
from exitentry.web.paging import page_of


@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    page = page_of(request, PublicNotice.objects.select_related("permit").order_by("-published_on", "-pk"))
    return render(request, "web/notices.html", {"page": page, "today": pages.today()})


@require_GET
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    found = get_object_or_404(PublicNotice.objects.select_related("permit"), pk=notice_id)
    context = {
        "notice": found,
        "ground": ground(found.ground_id),
        "authority": AUTHORITY,
        "hall": report_hall(found),  # where the notice sent the holder when it was published
        "today": pages.today(),
    }
    return render(request, "web/notice.html", context)
