"""The console's lookup of a person by travel document (``compliance.lookups``, a project policy): an
officer or supervisor enters the document's number and issuing country, both exact, and a reason; a match
opens the person's page (their halls read the person for ``LOOKUP_GRANT``), no match says so. Every lookup
is audited; past ``EXITENTRY_PERSON_LOOKUP_RATE`` the page answers 429. A supervisor also sees the lookups
made at their halls (who, when, whom, why). Officers and supervisors only (403 for any other account)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.cache import never_cache

from exitentry.accounts import policy
from exitentry.cases import access
from exitentry.cases.lifecycle import Side
from exitentry.compliance import lookups
from exitentry.compliance.models import PersonLookup
from exitentry.registry import countries
from exitentry.web import case_pages as pages
from exitentry.web.paging import page_of

hall_side = pages.signed_in(policy.is_hall_side)


class LookupForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Travel document number"), max_length=40)
    issuing_country = forms.ChoiceField(label=gettext_lazy("Issuing country"))
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=PersonLookup.Reason.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        named = list(countries.choices(get_language() or "en"))  # the names, in the page's language
        self.fields["issuing_country"].choices = [("", gettext_lazy("Choose a country")), *named]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("reason") == PersonLookup.Reason.OTHER and not data.get("note", "").strip():
            self.add_error("note", gettext("Say what the other reason is in the note."))
        return data


def _page(request: HttpRequest, form: LookupForm, status: int = 200, **context) -> HttpResponse:
    made = None
    if Side.SUPERVISOR in access.sides(request.user):
        made = page_of(request, lookups.made_at_halls(request.user))
        lookups.shown(pages.actor(request), list(made), f"page {made.number}")
    context |= {"form": form, "made": made, "grant_days": lookups.LOOKUP_GRANT.days}
    return render(request, "web/lookup.html", context, status=status)


@never_cache
@hall_side
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, LookupForm())
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _page(request, form, 422)
    if not lookups.LookupThrottle().allow_request(request):
        return _page(request, form, 429, too_fast=True)
    data = form.cleaned_data
    found = lookups.look_up(
        pages.actor(request),
        data["number"],
        data["issuing_country"],
        data["reason"],
        data["note"],
        pages.today(),
    )
    if found.person_id is not None:
        return redirect(reverse("web:console_person", args=[found.person_id]))
    return _page(request, form, no_match=found)
