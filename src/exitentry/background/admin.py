"""The periodic runs, read-only: which run was enqueued when (its outcome is django-tasks-db's task result,
whose admin is the library's with its columns named in the page's language)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from exitentry.background.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ("name", "due_at", "enqueued_at", "result_id")
    list_filter = ("name",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's admin, its own columns (in English only there) named in the page's language."""

    @admin.display(description=_("task"), ordering="task_path")
    def task_name(self, result: DBTaskResult) -> str:
        return result.task_name

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, result: DBTaskResult) -> str:
        return super().formatted_traceback(result)

    @admin.display(description=_("run after"))
    def display_run_after(self, result: DBTaskResult):
        return super().display_run_after(result)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
