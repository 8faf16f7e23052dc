"""The supervisor's changes to their halls' days: a closure, extra hours or fewer counters, with the reason.

Each change goes through ``appointments.services.add_override`` (only a supervisor of the hall, audited, the
day's slots regenerated); the page lists the coming changes of the supervisor's halls, each with a form to
withdraw it with a reason (``services.withdraw_override``: kept as history, then made again to correct it)
and, after a change or a withdrawal, the bookings left on a time the hall no longer offers, for the hall to
contact. The changes in force are shown to the public on the halls page and in the slot picker.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from exitentry.accounts import policy
from exitentry.accounts.audit import record
from exitentry.appointments import services, withdrawals
from exitentry.appointments.models import DayOverride
from exitentry.cases import access
from exitentry.cases.services.reading import Refused
from exitentry.law.catalog import catalog
from exitentry.web import case_pages as pages
from exitentry.web.templatetags.casework import hall_name

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
    counters = forms.IntegerField(label=_("Fewer counters: how many open"), required=False)
    reason = forms.CharField(label=_("Reason (English)"), max_length=300)
    reason_zh = forms.CharField(label=_("Reason (Chinese)"), max_length=300)

    def __init__(self, *args, halls: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall_id"].choices = [(h, hall_name(h)) for h in halls]

    def clean_day(self):
        """Refused before the rest, as the service refuses it (``services.coming``)."""
        day = self.cleaned_data["day"]
        try:
            services.coming(day)
        except Refused as exc:
            raise forms.ValidationError(pages.explain(exc.message)) from None
        return day


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn (English)"), max_length=300)
    reason_zh = forms.CharField(label=_("Why it is withdrawn (Chinese)"), max_length=300)


def _halls(request: HttpRequest) -> list[str]:
    return sorted(h for h in policy.hall_ids(request.user) if h in catalog().halls)


@require_http_methods(["GET", "POST"])
@supervisor
def hall_days(request: HttpRequest) -> HttpResponse:
    halls = _halls(request)
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
    return _page(request, halls, form, changed=changed, override=override, status=status)


@require_POST
@supervisor
def withdraw(request: HttpRequest, override_id: int) -> HttpResponse:
    """Withdraw one change of the supervisor's hall, with the reason in both languages; the page again, with
    what the withdrawal changed or, refused, why beside the change's form (422, 409)."""
    hall_id = DayOverride.everything.filter(pk=override_id).values_list("hall_id", flat=True).first()
    if hall_id is None:
        raise Http404(override_id)
    services.keeper(pages.actor(request), hall_id)  # another hall's supervisor: 403 whatever the form says
    halls = _halls(request)
    form = WithdrawForm(request.POST, auto_id=f"id_w{override_id}_%s")
    changed = override = None
    status, error = 200, ""
    if form.is_valid():
        try:
            override, changed = services.withdraw_override(
                pages.actor(request), override_id, form.cleaned_data["reason"], form.cleaned_data["reason_zh"]
            )
        except Refused as exc:  # a reason, beside its field; a day gone by (not listed), above the list
            if exc.field in form.fields:
                form.add_error(exc.field, pages.explain(exc.message))
            else:
                status, error = 422, pages.explain(exc.message)
        except services.AlreadyWithdrawn as exc:
            status, error = 409, pages.explain(exc.text)
    if form.errors:
        status = 422
    failed = {"id": override_id, "form": form} if status != 200 else None
    return _page(
        request,
        halls,
        OverrideForm(halls=halls),
        changed=changed,
        override=override,
        status=status,
        withdrawn=override,
        failed=failed,
        error=error,
    )


def _page(
    request: HttpRequest,
    halls: list[str],
    form: OverrideForm,
    *,
    changed,
    override: DayOverride | None,
    status: int,
    withdrawn: DayOverride | None = None,
    failed: dict | None = None,
    error: str = "",
) -> HttpResponse:
    """The page: the form to add a change, what the last step changed (the bookings to contact, an audited
    read) and the coming changes, each with its form to withdraw it (``failed``: the one refused)."""
    today = pages.today()
    changes = services.coming_overrides(halls, today)  # every coming one
    for rows in changes.values():
        for o in rows:
            o.withdraw_form = (
                failed["form"] if failed and failed["id"] == o.pk else WithdrawForm(auto_id=f"id_w{o.pk}_%s")
            )
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
        "withdrawn": withdrawn,
        "failed": failed["id"] if failed else None,
        "error": error,
        "to_contact": to_contact,
        "halls": [(h, changes.get(h, [])) for h in halls],
    }
    return render(request, "web/hall_days.html", context, status=status)
