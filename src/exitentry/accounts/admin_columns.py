"""A read-only admin column for a model field, under a translated heading (the key and code models' fields
have no verbose names, and the admin reads in both languages)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import display_for_value


def column(field: str, heading):
    """A ``ModelAdmin`` method showing ``field`` under ``heading``, sorted by the field; a time in the
    site's time zone and an empty value as the admin shows them, in the list and on the view page alike."""

    @admin.display(description=heading, ordering=field)
    def show(self, obj):
        return display_for_value(getattr(obj, field), self.get_empty_value_display())

    return show
