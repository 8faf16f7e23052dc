"""The supervisor's changes to their halls' days: a closure, extra hours or fewer counters, with the reason.

Each change goes through ``appointments.services.add_override`` (only a supervisor of the hall, audited, the
day's slots regenerated); the page lists the coming changes of the supervisor's halls and, after a change,
the bookings left on a time the hall no longer offers, for the hall to contact. The same changes are shown to
the public on the halls page and in the slot picker.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from exitentry.accounts import policy
from exitentry.accounts.audit import record
from exitentry.appointments import services, withdrawals
from exitentry.appointments.models import DayOverride
from exitentry.cases import access
from exitentry.cases.services.reading import Refused
from exitentry.law.catalog import catalog
from exitentry.web import case_pages as pages
from exitentry.web.templatetags.casework import hall_name

SHOWN_AHEAD = timedelta(weeks=8)

supervisor = pages.signed_in(policy.keeps_hall_days)


class OverrideForm(forms.Form):
    hall_id = forms.ChoiceField(label=_("Hall"))
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Change"), choices=DayOverride.Kind.choices)
    opens = forms.TimeField(
        label=_("Extra hours: from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes = forms.TimeField(
        label=_("Extra hours: until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    counters = forms.IntegerField(label=_("Fewer counters: how many open"), required=False, min_value=0)
    reason = forms.CharField(label=_("Reason (English)"), max_length=300)
    reason_zh = forms.CharField(label=_("Reason (Chinese)"), max_length=300)

    def __init__(self, *args, halls: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall_id"].choices = [(h, hall_name(h)) for h in halls]

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < pages.today():
            raise forms.ValidationError(_("A change is for today or a coming day."))
        return day


@require_http_methods(["GET", "POST"])
@supervisor
def hall_days(request: HttpRequest) -> HttpResponse:
    halls = sorted(h for h in policy.hall_ids(request.user) if h in catalog().halls)
    form = OverrideForm(request.POST or None, halls=halls)
    override = changed = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                override, changed = services.add_override(
                    pages.actor(request), services.OverrideRequest(**form.cleaned_data)
                )
            except Refused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, pages.explain(exc.message))
            except access.Denied as exc:
                form.add_error("hall_id", pages.explain(exc.text))
            except services.DayAlreadyChanged as exc:
                form.add_error(None, pages.explain(exc.text))
                status = 409
            else:
                form = OverrideForm(halls=halls)
        if form.errors and status == 200:
            status = 422
    today = pages.today()
    changes = services.coming_overrides(halls, today, today + SHOWN_AHEAD)
    to_contact = withdrawals.to_contact(changed.flagged) if changed else []
    if to_contact:  # the applicants' names and contacts were shown: a read, audited
        record(
            pages.actor(request),
            "booking.contacts.read",
            "day_override",
            override.pk,
            new={
                "bookings": [c.booking.reference for c in to_contact],
                "people": [c.booking.person_id for c in to_contact],
            },
        )
    context = {
        "form": form,
        "changed": changed,
        "to_contact": to_contact,
        "halls": [(h, changes.get(h, [])) for h in halls],
    }
    return render(request, "web/hall_days.html", context, status=status)
