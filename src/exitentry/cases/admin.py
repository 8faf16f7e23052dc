"""The case lifecycle in the admin: the table itself, read-only, as ``cases.lifecycle`` holds it.

Cases are not in the admin (personal data is read through the pages and the API, where the policy
decides and every read is audited), so no one moves a case around the table here; the administrator
reads which action is allowed in which state, for which side, and where it leads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exitentry.cases import lifecycle
from exitentry.cases.lifecycle import DECIDED, State, state_label

_SIDES = {
    lifecycle.Side.APPLICANT: _("applicant's side"),
    lifecycle.Side.HALL: _("hall"),
    lifecycle.Side.SUPERVISOR: _("supervisor"),
}

_DOCUMENTS = {
    "notice": _("one-time notice of missing materials"),
    "receipt": _("acceptance receipt"),
    "decision": _("decision"),
}


@dataclass(frozen=True)
class Row:
    action: str
    label: str
    states: list[str]
    sides: list[str]
    leads_to: str
    inputs: str
    makes: str
    for_some_procedures: bool


def rows(language: str) -> list[Row]:
    """The lifecycle table as the admin page shows it, in ``language``, states in their lifecycle order."""
    order = list(State.values)
    return [
        Row(
            action=a.id,
            label=a.label.get(language),
            states=[state_label(s).get(language) for s in sorted(a.states, key=order.index)],
            sides=[str(_SIDES[side]) for side in lifecycle.Side if side in a.sides],
            leads_to=(
                str(_("approved or refused, by the decision"))
                if a.to == DECIDED
                else state_label(a.to).get(language)
                if a.to
                else ""
            ),
            inputs=", ".join(a.inputs),
            makes=str(_DOCUMENTS[a.makes]) if a.makes else "",
            for_some_procedures=a.condition is not None,
        )
        for a in lifecycle.TABLE.values()
    ]


def lifecycle_view(request: HttpRequest) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "title": _("Case lifecycle"),
        "rows": rows(get_language() or "en"),
        "state_count": len(State.values),
    }
    return TemplateResponse(request, "cases/admin/lifecycle.html", context)


urls = [path("cases/lifecycle/", admin.site.admin_view(lifecycle_view), name="admin-case-lifecycle")]
admin.site.index_template = "cases/admin/index.html"
