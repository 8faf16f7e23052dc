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
from exitentry.cases.services.reading import hall_label
from exitentry.law.catalog import catalog
from exitentry.law.hall_categories import category_name
from exitentry.law.text import Text
from exitentry.read_only_admin import ReadOnly


def _said(text: Text) -> str:
    return text.get(get_language() or "en")


def _listed(names) -> str:
    return ("、" if (get_language() or "en").startswith("zh") else "; ").join(names)


def hall_choices() -> list[tuple[str, str]]:
    """The catalog's halls, by name in the page's language."""
    return [(hall_id, _said(hall.name)) for hall_id, hall in catalog().halls.items()]


def category_choices() -> list[tuple[str, str]]:
    """Every hall category of the catalog (the halls' and the procedures'), by name; ``*`` first."""
    found = {c for h in catalog().halls.values() for c in h.accepts}
    found |= {c for p in catalog().procedures.values() for c in p.hall_categories}
    return [(code, _said(category_name(code))) for code in ["*", *sorted(found - {"*"})]]


class HallFilter(admin.SimpleListFilter):
    """The list filtered by hall, the halls by name."""

    title = _("hall")
    parameter_name = "hall_id"

    def lookups(self, request, model_admin):
        return hall_choices()

    def queryset(self, request, queryset):
        return queryset.filter(hall_id=self.value()) if self.value() else queryset


@admin.display(description=_("hall"), ordering="hall_id")
def hall(obj) -> str:
    return _said(hall_label(obj.hall_id))


class CounterForm(forms.ModelForm):
    """A counter, and why it is turned on or off (needed then: kept in the audit trail)."""

    hall_id = forms.TypedChoiceField(label=_("hall"), choices=hall_choices)
    categories = forms.TypedMultipleChoiceField(
        label=_("categories served"),
        choices=category_choices,
        widget=forms.CheckboxSelectMultiple,
    )
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
    list_display = (hall, "number", "served", "active")
    list_filter = (HallFilter, "active")

    @admin.display(description=_("categories served"))
    def served(self, obj: Counter) -> str:
        return _listed(_said(category_name(code)) for code in obj.categories)

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
    list_display = ("category", "named", "minutes")

    @admin.display(description=_("category"))
    def named(self, obj: SlotLength) -> str:
        return _said(category_name(obj.category))


@admin.register(BookingRules)
class BookingRulesAdmin(admin.ModelAdmin):
    list_display = ("weeks_ahead", "cutoff_hours", "per_person_per_week")

    def has_add_permission(self, request) -> bool:
        return not BookingRules.objects.exists()


@admin.register(DayOverride)
class DayOverrideAdmin(ReadOnly):
    list_display = (
        hall,
        "day",
        "kind",
        "opens",
        "closes",
        "counters",
        "reason",
        "created_by",
        "withdrawn_at",
    )
    list_filter = (HallFilter, "kind")


@admin.register(Slot)
class SlotAdmin(ReadOnly):
    list_display = (hall, "counter", "starts_at", "ends_at", "withdrawn")
    list_filter = (HallFilter, "withdrawn")
    date_hierarchy = "day"
