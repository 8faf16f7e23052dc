"""The outbox, read-only: what was sent to whom, and why a message failed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from exitentry.messaging.models import Message
from exitentry.read_only_admin import ReadOnly


class LanguageFilter(admin.SimpleListFilter):
    """The messages in one language, the languages by name."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = (
        "event_key",
        "channel",
        "address",
        "language_name",
        "state",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("state", "channel", LanguageFilter)
    search_fields = ("event_key", "address")
    fields = readonly_fields = (
        "event_key",
        "user",
        "person",
        "channel",
        "address",
        "language_name",
        "subject",
        "body",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    )

    @admin.display(description=_("language"), ordering="language")
    def language_name(self, message: Message) -> str:
        """The message's language by its name (a code no longer offered, as it is)."""
        return dict(settings.LANGUAGES).get(message.language, message.language)
