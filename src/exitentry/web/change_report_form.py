"""The form that reports a change of a residence permit's registered particulars (Exit and Entry
Administration Law Art. 33), as the holder's page and the officers' counter post it: one parse, the one
write path (``compliance.change_reports.file``), the field at fault in the page's language."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext

from exitentry.cases.services import Refused
from exitentry.compliance import change_reports
from exitentry.law.rules.change_reports import PARTICULARS
from exitentry.registry.models import Permit
from exitentry.web import case_pages as pages


def choices() -> list[tuple[str, object]]:
    return [(key, text) for key, text in PARTICULARS.items()]


def posted(request: HttpRequest, permit: Permit, source: str) -> dict[str, str]:
    """File the posted report for ``permit``; the errors by field (empty: filed, and said so)."""
    post = request.POST
    try:
        changed_on = date.fromisoformat(post.get("changed_on", ""))
    except ValueError:
        return {"changed_on": gettext("Give the day it changed.")}
    try:
        report = change_reports.file(
            pages.actor(request),
            permit,
            post.get("particular", ""),
            changed_on,
            post.get("note", ""),
            source=source,
        )
    except Refused as refused:
        return {refused.field: pages.explain(refused.message)}
    messages.success(request, gettext("Reported: receipt %(number)s.") % {"number": report.number})
    return {}
