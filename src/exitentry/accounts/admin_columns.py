"""Pieces of the admin's read-only screens: a column for a model field under a translated heading (the key
and code models' fields have no verbose names, and the admin reads in both languages), and ``ReadOnly``,
a model's list and view pages with no way to add, change or delete (rows that services alone write)."""

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


class ReadOnly(admin.ModelAdmin):
    """Rows only the project's services write (audited there): the admin looks, and acts through actions."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
