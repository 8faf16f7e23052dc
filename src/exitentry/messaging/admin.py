"""The outbox, read-only: what was sent to whom, and why a message failed."""

from __future__ import annotations

from django.contrib import admin

from exitentry.messaging.models import Message
from exitentry.read_only_admin import ReadOnly


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = (
        "event_key",
        "channel",
        "address",
        "language",
        "state",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("state", "channel", "language")
    search_fields = ("event_key", "address")
