"""The periodic runs, read-only: which run was enqueued when (its outcome is django-tasks-db's task result)."""

from __future__ import annotations

from django.contrib import admin

from exitentry.background.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ("name", "due_at", "enqueued_at", "result_id")
    list_filter = ("name",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
