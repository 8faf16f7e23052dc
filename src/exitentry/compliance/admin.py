"""The reminders made, read-only: to whom, of what, and whether read (their e-mails and SMS are the outbox's,
under Messages)."""

from __future__ import annotations

from django.contrib import admin

from exitentry.compliance.models import Reminder
from exitentry.read_only_admin import ReadOnly


@admin.register(Reminder)
class ReminderAdmin(ReadOnly):
    list_display = ("key", "user", "person", "unit", "kind", "due_on", "created_on", "read_at")
    list_filter = ("kind", "ground_id", "created_on")
    search_fields = ("key",)
    raw_id_fields = ("user", "person", "unit")
