"""The operational settings an administrator keeps: counters, slot lengths, the booking rules.

Overrides and slots are shown read-only: a supervisor adds an override through the API (audited, and the
day's slots regenerated); ``exitentry slots`` makes the slots. Bookings are personal data and not here.
"""

from __future__ import annotations

from django.contrib import admin

from exitentry.appointments.models import BookingRules, Counter, DayOverride, Slot, SlotLength
from exitentry.read_only_admin import ReadOnly


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ("hall_id", "number", "categories", "active")
    list_filter = ("hall_id", "active")


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
