"""A read-only admin column for a model field, under a translated heading (the key and code models' fields
have no verbose names, and the admin reads in both languages)."""

from __future__ import annotations

from django.contrib import admin


def column(field: str, heading):
    """A ``ModelAdmin`` method showing ``field`` under ``heading``, sorted by the field."""

    @admin.display(description=heading, ordering=field)
    def show(self, obj):
        return getattr(obj, field)

    return show
