"""``ReadOnly``: a model's admin list and view pages with no way to add, change or delete, for rows only the
project's services write (audited there). Every app's admin shares it, and it imports no app, so an app
below ``accounts`` (``messaging``) uses it too; revoking such rows through their service is
``accounts.admin_columns.Revocable``."""

from __future__ import annotations

from django.contrib import admin


class ReadOnly(admin.ModelAdmin):
    """Rows only the project's services write: the admin looks."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
