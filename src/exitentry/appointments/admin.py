"""The operational settings an administrator keeps: counters (turned on or off through
``services.switch_counter``, with why), slot lengths, the booking rules.

Overrides and slots are shown read-only: a supervisor adds an override through the API (audited, and the
day's slots regenerated); ``exitentry slots`` makes the slots. Bookings are personal data and not here.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exitentry.accounts.audit import Actor
from exitentry.appointments import services
from exitentry.appointments.models import BookingRules, Counter, DayOverride, Slot, SlotLength
from exitentry.read_only_admin import ReadOnly


class CounterForm(forms.ModelForm):
    """A counter, and why it is turned on or off (needed then: kept in the audit trail)."""

    switch_reason = forms.CharField(
        label=_("Why it is turned on or off"),
        required=False,
        max_length=300,
        help_text=_(
            "Needed when you turn the counter on or off: kept in the audit trail. The holders of the "
            "appointments it takes away or gives back are told at once."
        ),
    )

    class Meta:
        model = Counter
        fields = ("hall_id", "number", "categories", "active")

    request = None  # set by ``CounterAdmin.get_form``: whose change it is

    def switching(self) -> bool:
        """Whether saving turns the counter on or off: a change of ``active``, or a counter added serving."""
        if self.instance.pk:
            return "active" in self.changed_data
        return bool(self.cleaned_data.get("active"))

    def clean(self):
        cleaned = super().clean()
        if not self.switching():
            return cleaned
        try:  # what ``services.switch_counter`` refuses, as form errors (not a server error on saving)
            services.may_switch_counters(Actor.of(self.request) if self.request else Actor(None))
        except services.access.Denied as denied:
            self.add_error(None, denied.text.get(get_language() or "en"))
            return cleaned
        if not cleaned.get("switch_reason", "").strip():
            self.add_error("switch_reason", _("Say why the counter is turned on or off."))
            return cleaned
        try:
            services.typed("reason", cleaned["switch_reason"], limit=300)
        except services.Refused as refused:
            self.add_error("switch_reason", refused.message.get(get_language() or "en"))
        return cleaned


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    """Turning a counter on or off goes through ``services.switch_counter``, adding one serving through
    ``services.add_counter`` (audited, its hall's coming days regenerated and the holders of the bookings
    it changes told at once); the other fields save as any model's."""

    form = CounterForm
    list_display = ("hall_id", "number", "categories", "active")
    list_filter = ("hall_id", "active")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change) -> None:
        """A counter added serving is added by the service in one step (stored serving, audited, its hall's
        coming days regenerated at once); one turned on or off is switched by it (its other fields saved
        first as they were, then switched)."""
        reason = form.cleaned_data.get("switch_reason", "")
        if not form.switching():
            super().save_model(request, obj, form, change)
        elif not change:
            services.add_counter(Actor.of(request), obj, reason)
        else:
            wanted = obj.active
            obj.active = not wanted  # the switch is the service's
            super().save_model(request, obj, form, change)
            services.switch_counter(Actor.of(request), obj.pk, wanted, reason)
            obj.active = wanted


@admin.register(SlotLength)
class SlotLengthAdmin(admin.ModelAdmin):
    list_display = ("category", "minutes")


@admin.register(BookingRules)
class BookingRulesAdmin(admin.ModelAdmin):
    list_display = ("weeks_ahead", "cutoff_hours", "per_person_per_week")

    def has_add_permission(self, request) -> bool:
        return not BookingRules.objects.exists()


@admin.register(DayOverride)
class DayOverrideAdmin(ReadOnly):
    list_display = (
        "hall_id",
        "day",
        "kind",
        "opens",
        "closes",
        "counters",
        "reason",
        "created_by",
        "withdrawn_at",
    )
    list_filter = ("hall_id", "kind")


@admin.register(Slot)
class SlotAdmin(ReadOnly):
    list_display = ("hall_id", "counter", "starts_at", "ends_at", "withdrawn")
    list_filter = ("hall_id", "withdrawn")
    date_hierarchy = "day"
