"""The reminders made, read-only: to whom, of what, and whether read (their e-mails and SMS are the outbox's,
under Messages). The duty is said in words and its citation by its label (document and article), in the
page's language, never by their ids."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exitentry.compliance.models import Reminder
from exitentry.compliance.scan import described
from exitentry.law.sources import cite
from exitentry.read_only_admin import ReadOnly


@admin.register(Reminder)
class ReminderAdmin(ReadOnly):
    list_display = ("key", "user", "person", "unit", "kind", "due_on", "created_on", "read_at")
    list_filter = ("kind", "ground_id", "created_on")
    search_fields = ("key",)
    raw_id_fields = ("user", "person", "unit")
    fields = readonly_fields = (
        "key",
        "user",
        "person",
        "unit",
        "kind",
        "duty",
        "cause_key",
        "citation",
        "due_on",
        "since",
        "created_on",
        "read_at",
    )

    @admin.display(description=_("ground"), ordering="ground_id")
    def duty(self, reminder: Reminder) -> str:
        """What the duty says, its numbers as on the day the reminder was made (a ground the law core no
        longer has, by its id)."""
        try:
            said = described(reminder.ground_id, reminder.created_on)[0]
        except LookupError:
            return reminder.ground_id
        return said.get(get_language() or "en")

    @admin.display(description=_("source document"))
    def citation(self, reminder: Reminder) -> str:
        """The document and article (one the law core no longer lists, as stored)."""
        try:
            said = cite(reminder.source_id, reminder.section).label
        except LookupError:
            return f"{reminder.source_id} {reminder.section}"
        return said.get(get_language() or "en")
