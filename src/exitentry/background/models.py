"""One row per periodic task and due time: its unique constraint is what makes several schedulers enqueue a
run once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from exitentry import clock


class PeriodicRun(models.Model):
    """A periodic task's run that a scheduler enqueued for ``due_at`` (the task's result: ``result_id``)."""

    name = models.CharField(_("periodic task"), max_length=60)
    due_at = models.DateTimeField(_("due at"))
    enqueued_at = models.DateTimeField(_("enqueued at"), default=clock.now, editable=False)
    result_id = models.CharField(_("task result id"), max_length=64)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["-due_at", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "due_at"], name="one_run_per_task_and_due_time")
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.due_at:%Y-%m-%d %H:%M}"
