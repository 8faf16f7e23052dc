"""Enforcement records (Regulations Chapter IV): detention for examination (Art. 29), restriction of
activities (Art. 30), repatriation (Arts. 31, 32) and orders to leave within a time limit (Art. 33).

Each record keeps the facts the officer recorded and the deadlines the law core worked out from them when
it was recorded (the transfer instant, the last day to leave, the last day of the no-entry period), as the
decision document states them. Whether a deadline is met, due or late is never stored: ``status(at)``
asks the law core at the instant given. Records are written through ``compliance.services``, which
checks who may and audits each change.

A record gives its halls reach into the person (``cases.access.hall_people``) while it is in force and a
grace after it closed (``closed_since``): a detention once the person is transferred, a restriction once
lifted, a repatriation once carried out, an order to leave once its last day has passed.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exitentry import clock
from exitentry.bilingual import cited
from exitentry.law.calendar import BEIJING
from exitentry.law.rules import enforcement as law
from exitentry.registry.models import validate_area


class Record(models.Model):
    """Who the record is about, and which officer recorded it when."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("recorded at"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk} of person {self.person_id}"

    @classmethod
    def closed_since(cls, day: date) -> models.Q:
        """The records in force, or closed on ``day`` or later (Beijing days)."""
        raise NotImplementedError


class Detention(Record):
    """Detention for examination: the foreigner is sent on to a detention centre or repatriation facility
    within the hours Art. 29 para. 2 allows, counted from ``detained_at``."""

    detained_at = models.DateTimeField(_("detained at"))
    place = models.CharField(_("place"), max_length=200)
    transfer_due_at = models.DateTimeField(_("transfer due by"))
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    transferred_to = models.CharField(_("transferred to"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(transferred_at__isnull=True)
                | models.Q(transferred_at__gte=models.F("detained_at")),
                name="transfer_after_detention",
            )
        ]

    def status(self, at: datetime) -> str:
        return law.detention_status(self.detained_at, self.transferred_at, at)

    @classmethod
    def closed_since(cls, day: date) -> models.Q:
        since = datetime.combine(day, time.min, BEIJING)
        return models.Q(transferred_at__isnull=True) | models.Q(transferred_at__gte=since)


class ActivityRestriction(Record):
    """A decision restricting activities (Art. 30): the person stays in ``area``, lives at ``residence``
    and reports at the times set (``reports``), until the decision is lifted."""

    decided_on = models.DateField(_("decided on"))
    area = models.CharField(_("restricted area"), max_length=6, validators=[validate_area])
    residence = models.CharField(_("residence"), max_length=300)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity restriction")
        verbose_name_plural = _("activity restrictions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lifted_on__isnull=True) | models.Q(lifted_on__gte=models.F("decided_on")),
                name="restriction_lifted_after_decided",
            )
        ]

    @classmethod
    def closed_since(cls, day: date) -> models.Q:
        return models.Q(lifted_on__isnull=True) | models.Q(lifted_on__gte=day)


class RestrictionReport(models.Model):
    """One reporting time a restriction sets, and when the person reported."""

    restriction = models.ForeignKey(
        ActivityRestriction,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("activity restriction"),
    )
    due_at = models.DateTimeField(_("report by"))
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("restriction report")
        verbose_name_plural = _("restriction reports")
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"report {self.pk} of restriction {self.restriction_id}"

    def status(self, at: datetime) -> str:
        return law.report_status(self.due_at, self.reported_at, at)


class Repatriation(Record):
    """A repatriation decision: the no-entry period the authority set (Art. 31), the facts that decide
    who bears the costs (Art. 32), and, once carried out, its day and the period's last day."""

    decided_on = models.DateField(_("decided on"))
    no_entry_years = models.PositiveSmallIntegerField(_("no-entry period (years)"))
    can_pay = models.BooleanField(_("the foreigner can bear the costs"))
    illegally_employed = models.BooleanField(_("illegal employment"))
    payer = models.CharField(
        _("employer or guarantor"),
        max_length=200,
        blank=True,
        help_text=_("Who pays when the foreigner cannot"),
    )
    repatriated_on = models.DateField(_("repatriated on"), null=True, blank=True)
    no_entry_until = models.DateField(_("no entry until"), null=True, blank=True)

    class Meta:
        verbose_name = _("repatriation")
        verbose_name_plural = _("repatriations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(repatriated_on__isnull=True, no_entry_until__isnull=True)
                | models.Q(
                    repatriated_on__gte=models.F("decided_on"), no_entry_until__gt=models.F("repatriated_on")
                ),
                name="no_entry_period_after_repatriation",
            )
        ]

    @classmethod
    def closed_since(cls, day: date) -> models.Q:
        return models.Q(repatriated_on__isnull=True) | models.Q(repatriated_on__gte=day)

    def costs(self) -> law.CostBearer:
        return law.repatriation_costs(can_pay=self.can_pay, illegally_employed=self.illegally_employed)

    def no_entry(self) -> law.NoEntryPeriod | None:
        if self.repatriated_on is None:
            return None
        return law.no_entry_period(self.repatriated_on, self.no_entry_years)


class OrderToLeave(Record):
    """An order to leave within a time limit (Art. 33): at most the days the law allows, to 24:00 Beijing
    time on ``last_day``; met by an exit recorded on or before it."""

    ordered_on = models.DateField(_("ordered on"))
    days = models.PositiveSmallIntegerField(_("days to leave"))
    last_day = models.DateField(_("last day"))
    documents = models.JSONField(
        _("documents to cancel or confiscate"),
        default=list,
        blank=True,
        null=True,  # an order recorded before orders kept them (migration 0015): none were recorded
        help_text=cited(
            _("The numbers of the permits the order named on its day, kept as they were"),
            "regulations",
            "Art. 33",
        ),
    )

    class Meta:
        verbose_name = _("order to leave")
        verbose_name_plural = _("orders to leave")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gt=models.F("ordered_on")), name="leave_after_order"
            )
        ]

    @classmethod
    def closed_since(cls, day: date) -> models.Q:
        return models.Q(last_day__gte=day)

    def status(self, left_on: date | None, at: datetime | date) -> str:
        """``left_on``: the first exit recorded on or after ``ordered_on``, if any."""
        return law.order_to_leave_status(self.last_day, left_on, at)
