"""Alerts the daily compliance scan raises: a person, the ground or duty, where the law says so, and the
days it concerns; each stays open until a scan no longer finds its cause.

The cause key tells one cause of a ground from another for the same person (the permit whose extension is
late, the entry whose residence permit is due, the last day overstayed), so a new cause opens a new alert
and a scan that finds the same cause again leaves the open one as it is: at most one open alert per
(person, ground, cause), held by the database.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Alert(models.Model):
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="alerts")
    ground_id = models.CharField(_("ground"), max_length=60, help_text=_("A ground or obligation id"))
    cause_key = models.CharField(max_length=60)
    source_id = models.CharField(max_length=40)
    section = models.CharField(max_length=60)
    due_on = models.DateField(_("due on"), null=True, blank=True, help_text=_("The day a late duty was due"))
    since = models.DateField(
        _("since"), null=True, blank=True, help_text=_("The first day of illegal residence")
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "ground_id", "cause_key"],
                condition=models.Q(closed_on__isnull=True),
                name="one_open_alert_per_cause",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("opened_on")),
                name="alert_closed_after_opened",
            ),
        ]
        indexes = [models.Index(fields=["ground_id", "closed_on"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.ground_id} {self.cause_key}"


from exitentry.compliance.enforcement import (  # noqa: E402, F401 - the enforcement records are this app's models
    ActivityRestriction,
    Detention,
    OrderToLeave,
    Repatriation,
    RestrictionReport,
)
