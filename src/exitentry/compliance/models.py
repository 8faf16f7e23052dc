"""Alerts the daily compliance scan raises: a person, the ground or duty, where the law says so, and the
days it concerns; each stays open until a scan no longer finds its cause.

The cause key tells one cause of a ground from another for the same person (the permit whose extension is
late, the entry whose residence permit is due, the last day overstayed), so a new cause opens a new alert
and a scan that finds the same cause again leaves the open one as it is: at most one open alert per
(person, ground, cause), held by the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exitentry import clock
from exitentry.bilingual import cited
from exitentry.law.calendar import BEIJING
from exitentry.law.rules.change_reports import REASON


class Alert(models.Model):
    class Resolution(models.TextChoices):
        RESOLVED = "resolved", _("resolved")
        UNFOUNDED = "unfounded", _("unfounded")

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="alerts", verbose_name=_("person")
    )
    ground_id = models.CharField(_("ground"), max_length=60, help_text=_("A ground or obligation id"))
    cause_key = models.CharField(max_length=60, verbose_name=_("cause key"))
    source_id = models.CharField(max_length=40, verbose_name=_("source document"))
    section = models.CharField(max_length=60, verbose_name=_("article"))
    due_on = models.DateField(_("due on"), null=True, blank=True, help_text=_("The day a late duty was due"))
    since = models.DateField(
        _("since"), null=True, blank=True, help_text=_("The first day of illegal residence")
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    resolution = models.CharField(
        _("closed by an officer as"),
        max_length=10,
        blank=True,
        choices=Resolution.choices,
        help_text=_("Resolved or unfounded: an officer closed it, and the scan never reopens its cause"),
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
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
        indexes = [
            models.Index(fields=["ground_id", "closed_on"]),
            # The causes an officer settled, which the scan looks up by person and never reopens
            # (``scan.alerts._settled``): only the settled alerts, not every alert closed over the years.
            models.Index(
                fields=["person", "ground_id", "cause_key"],
                condition=~models.Q(resolution=""),
                name="settled_alerts_by_cause",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.ground_id} {self.cause_key}"


class AlertAction(models.Model):
    """What an officer did about an alert (``compliance.actions``): one row per step, never changed."""

    class Kind(models.TextChoices):
        CONTACTED = "contacted", _("Contacted the person")
        ORDER_TO_LEAVE = "order_to_leave", _("Ordered to leave")
        CASE_OPENED = "case_opened", _("Case opened")
        RESOLVED = "resolved", _("Closed as resolved")
        UNFOUNDED = "unfounded", _("Closed as unfounded")

    alert = models.ForeignKey(
        Alert, on_delete=models.PROTECT, related_name="actions", verbose_name=_("alert")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("done by")
    )
    at = models.DateTimeField(verbose_name=_("time"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    order = models.ForeignKey(
        "compliance.OrderToLeave",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order to leave"),
    )

    class Meta:
        verbose_name = _("alert action")
        verbose_name_plural = _("alert actions")
        indexes = [models.Index(fields=["alert", "at"])]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind}"


class PublicNotice(models.Model):
    """The public notice before a permit is declared void for an unreported change of the reason for
    residence (Regulations Art. 34(3)); ``compliance.notices`` publishes it and says when voiding may
    follow. Its text names the holder only by initials, nationality and a masked permit number, and the hall
    to report at as it was when the notice was published (``hall``)."""

    permit = models.ForeignKey(
        "registry.Permit", on_delete=models.PROTECT, related_name="public_notices", verbose_name=_("permit")
    )
    ground_id = models.CharField(max_length=60, verbose_name=_("ground"))
    number = models.CharField(max_length=24, unique=True, verbose_name=_("number"))
    published_on = models.DateField(verbose_name=_("published on"))
    period_ends_on = models.DateField(
        help_text=_("Voiding may follow from the day after this"), verbose_name=_("period ends on")
    )
    initials = models.CharField(max_length=10, verbose_name=_("initials"))
    nationality = models.CharField(max_length=3, verbose_name=_("nationality"))
    masked_number = models.CharField(max_length=24, verbose_name=_("masked number"))
    # the hall the notice sends its holder to, as it was on publication (``notices.report_hall``): its id,
    # and its name, address and hours in both languages; a later change of the halls leaves it as published
    hall = models.JSONField(
        help_text=_("The hall where the holder reports, as the notice named it"), verbose_name=_("hall")
    )
    published_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        indexes = [models.Index(fields=["-published_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_ends_on__gte=models.F("published_on")),
                name="notice_period_ends_after_publication",
            )
        ]

    def __str__(self) -> str:
        return self.number


from exitentry.compliance.enforcement import (  # noqa: E402, F401 - the enforcement records are this app's models
    ActivityRestriction,
    Detention,
    OrderToLeave,
    Repatriation,
    RestrictionReport,
)


class Reminder(models.Model):
    """One reminder of a duty to one account: the person's own, or a copy to a handler of the unit they are
    with (``unit``). Ahead of the last day (``AHEAD``: the duty coming due) or once the scan finds it
    (``OVERDUE``: an open alert). It is what the app shows (read or not); its e-mail and SMS are outbox
    messages (``messaging``) keyed by ``key`` and the channel.

    ``key`` names the duty, its cause, its day, the kind and the account, so the same reminder is never
    made twice, whoever runs the reminders and however often."""

    class Kind(models.TextChoices):
        AHEAD = "ahead", _("reminder ahead")
        OVERDUE = "overdue", _("reminder when due")

    key = models.CharField(_("reminder key"), max_length=160, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("user")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    ground_id = models.CharField(_("ground"), max_length=60)
    cause_key = models.CharField(_("cause key"), max_length=60)
    source_id = models.CharField(_("source document"), max_length=40)
    section = models.CharField(_("article"), max_length=60)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    created_on = models.DateField(_("created on"))
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.key


class UnitReport(models.Model):
    """What a unit reported of a person on its roster (Regulations Art. 26), with its receipt number;
    ``compliance.unit_reports`` files it, ends the roster place and opens the hall's follow-up in the
    same transaction (``permit``, ``follow_up``: the permit whose basis ended and the alert it opened, or
    joined where the holder's report of the same change opened it first).
    ``travel_document`` is the one the person held on the day it was filed: a later passport changes
    neither its receipt nor the receipt's check. It is the registry's, never a passport given online the
    hall has not checked (``TravelDocument.claim``): a unit's report and its roster name the person as the
    hall knows them, an institution checking the receipt reads a number on record, and a report naming a
    claim would keep it on the record after its application was withdrawn (``cases.claims``)."""

    class Source(models.TextChoices):
        WEB = "web", _("web form")
        CSV = "csv", _("CSV upload")
        API = "api", _("API")

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="reports", verbose_name=_("unit")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="unit_reports", verbose_name=_("person")
    )
    travel_document = models.ForeignKey(
        "registry.TravelDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The travel document the person held when the unit reported; its receipt names it"),
        verbose_name=_("travel document"),
    )
    affiliation = models.ForeignKey(
        "registry.Affiliation",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("affiliation"),
    )
    event = models.CharField(
        _("event"),
        max_length=40,
        help_text=cited(
            _("The code of the event reported, e.g. employee-resigned"), "regulations", "Art. 26"
        ),
    )
    ground_id = models.CharField(
        max_length=60,
        help_text=cited(_("The item the event falls under"), "regulations", "Art. 26"),
        verbose_name=_("ground"),
    )
    happened_on = models.DateField(_("happened on"))
    note = models.TextField(_("note"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed at"))
    number = models.CharField(_("receipt number"), max_length=24, unique=True)
    source = models.CharField(max_length=4, choices=Source.choices, verbose_name=_("source"))
    permit = models.ForeignKey(
        "registry.Permit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_reports",
        verbose_name=_("permit"),
    )
    follow_up = models.ForeignKey(
        Alert,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up alert"),
    )

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        constraints = [
            models.UniqueConstraint(
                fields=["affiliation", "event", "happened_on"], name="one_report_per_place_event_and_day"
            ),
            models.CheckConstraint(
                condition=models.Q(follow_up__isnull=True) | models.Q(permit__isnull=False),
                name="unit_report_follow_up_names_its_permit",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "-filed_at"]),
            models.Index(fields=["person", "-happened_on"]),
        ]

    def __str__(self) -> str:
        return self.number


class PersonLookup(models.Model):
    """An officer's or supervisor's lookup of a person by travel document (``compliance.lookups``): what
    was entered, why, and whom it found; a match is the grant ``cases.access.hall_people`` reads for
    ``lookups.LOOKUP_GRANT`` from ``made_on`` (a project policy)."""

    class Reason(models.TextChoices):
        STREET_CHECK = "street-check", _("street check or inquiry")
        PUBLIC_REPORT = "public-report", _("report from the public")
        ENFORCEMENT = "enforcement", _("enforcement")
        OTHER = "other", _("other")

    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("looked up by")
    )
    made_at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("looked up at"))
    made_on = models.DateField(
        help_text=_("Beijing's day of the lookup, from which the grant runs"),
        verbose_name=_("day of the lookup"),
    )
    number = models.CharField(_("document number"), max_length=40)
    issuing_country = models.CharField(_("issuing country"), max_length=3)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("person lookup")
        verbose_name_plural = _("person lookups")
        indexes = [models.Index(fields=["made_by", "made_on"], name="lookups_by_maker_and_day")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason="other") | ~models.Q(note=""), name="other_reason_explained"
            )
        ]

    def __str__(self) -> str:
        return f"lookup {self.pk} of {self.issuing_country} {self.number}"


class ChangeReport(models.Model):
    """A holder's report that their residence permit's registered particulars changed (Exit and Entry
    Administration Law Art. 33): what changed and on which day, with its receipt number. Made by the holder,
    a proxy or unit acting for them, or an officer at the counter (``compliance.change_reports``); a report
    of the reason for residence is what Regulations Art. 34(3) asks of the holder before any notice."""

    class Source(models.TextChoices):
        WEB = "web", _("web form")
        API = "api", _("API")
        COUNTER = "counter", _("at the counter")

    permit = models.ForeignKey(
        "registry.Permit", on_delete=models.PROTECT, related_name="change_reports", verbose_name=_("permit")
    )
    particular = models.CharField(_("what changed"), max_length=20)
    changed_on = models.DateField(_("changed on"))
    reported_on = models.DateField(_("reported on"), help_text=_("Beijing's day of the report"))
    note = models.TextField(_("note"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed at"))
    number = models.CharField(_("receipt number"), max_length=24, unique=True)
    source = models.CharField(max_length=8, choices=Source.choices, verbose_name=_("source"))
    follow_up = models.ForeignKey(
        Alert,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The hall's follow-up of the change of the reason for residence it opened or joined"),
        verbose_name=_("follow-up alert"),
    )

    class Meta:
        verbose_name = _("report of a change of particulars")
        verbose_name_plural = _("reports of a change of particulars")
        constraints = [
            models.UniqueConstraint(
                fields=["permit", "particular", "changed_on"], name="one_change_report_per_change"
            ),
            models.CheckConstraint(
                condition=models.Q(changed_on__lte=models.F("reported_on")), name="change_reported_after_it"
            ),
            models.CheckConstraint(
                condition=models.Q(follow_up__isnull=True) | models.Q(particular=REASON),
                name="change_report_follow_up_of_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["permit", "reported_on"])]

    def __str__(self) -> str:
        return self.number

    def passports(self):
        """The passports the report names, as its receipt prints them and its check reads them: the
        registry's the holder held on the filing day (Beijing), and one given online by then and awaiting the
        hall's check (a claim, ``TravelDocument.claim``), which the receipt notes beside it; each or None."""
        person, day = self.permit.person, self.filed_at.astimezone(BEIJING).date()
        held = person.travel_document_on(day)
        return person.travel_document_on(day, claims=False), held if held is not None and held.claim else None
