"""Counters, slots and bookings; the operational settings an administrator keeps; supervisors' overrides."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exitentry import clock
from exitentry.law.catalog import catalog
from exitentry.law.halls import hall_label
from exitentry.law.text import Text
from exitentry.registry.fields import TypedTextField


class Counter(models.Model):
    """A counter of a hall (``law/catalog/halls.yaml``), serving some of the hall's categories
    (``rp:work``, ``pr``, ... as the catalog names them; ``*`` every category the hall accepts)."""

    hall_id = models.CharField(_("hall"), max_length=40)
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("The number shown above the counter"))
    categories = models.JSONField(
        _("categories served"),
        default=list,
        help_text=_('Hall categories served, e.g. ["rp:work"]; ["*"] all'),
    )
    active = models.BooleanField(_("turned on"), default=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["hall_id", "number"]
        constraints = [models.UniqueConstraint(fields=["hall_id", "number"], name="one_counter_per_number")]

    def __str__(self) -> str:
        """Its hall by name in the active language, and its number."""
        return f"{hall_label(self.hall_id).get(get_language() or 'en')} #{self.number}"

    def clean(self) -> None:
        hall = catalog().halls.get(self.hall_id)
        if hall is None:
            halls = ", ".join(catalog().halls)
            raise ValidationError(
                {
                    "hall_id": ValidationError(
                        _("Not a hall of the catalog: %(halls)s"), params={"halls": halls}
                    )
                }
            )
        if not isinstance(self.categories, list) or not all(isinstance(c, str) for c in self.categories):
            raise ValidationError({"categories": _('A list of categories, e.g. ["rp:work"]')})
        foreign = [
            c for c in self.categories if c != "*" and "*" not in hall.accepts and c not in hall.accepts
        ]
        if foreign:
            message = _("The hall does not accept %(categories)s")
            raise ValidationError(
                {"categories": ValidationError(message, params={"categories": ", ".join(foreign)})}
            )

    def serves(self, categories: frozenset[str]) -> bool:
        return "*" in self.categories or bool(set(self.categories) & categories)


class SlotLength(models.Model):
    """How long an appointment of a category takes; ``*`` is the length of any category not listed."""

    category = models.CharField(_("category"), max_length=40, unique=True)
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(5), MaxValueValidator(240)]
    )

    class Meta:
        verbose_name = _("slot length")
        verbose_name_plural = _("slot lengths")

    def __str__(self) -> str:
        return f"{self.category}: {self.minutes} min"


class BookingRules(models.Model):
    """The booking rules, one row (``current``): how far ahead slots are offered, the cut-off before a
    slot after which it can no longer be cancelled or moved, and the limit per person per week."""

    weeks_ahead = models.PositiveSmallIntegerField(
        _("weeks bookable ahead"), default=4, validators=[MinValueValidator(1), MaxValueValidator(26)]
    )
    cutoff_hours = models.PositiveSmallIntegerField(
        _("cut-off (hours before)"), default=24, validators=[MaxValueValidator(168)]
    )
    per_person_per_week = models.PositiveSmallIntegerField(
        _("appointments per person per week"), default=2, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")

    def __str__(self) -> str:
        return f"{self.weeks_ahead} weeks ahead, cut-off {self.cutoff_hours} h, {self.per_person_per_week} a week"

    @classmethod
    def current(cls) -> BookingRules:
        return cls.objects.get_or_create(pk=1)[0]

    @classmethod
    def current_value(cls, name: str) -> Coalesce:
        """One rule of ``current`` as an expression, to read with another query's rows (the field's
        default while no rules are stored)."""
        rule = cls.objects.filter(pk=1).values(name)
        return Coalesce(Subquery(rule), Value(cls._meta.get_field(name).default))


class InForce(models.Manager):
    """The changes not withdrawn: what the day's opening, the slots and the public follow."""

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn_at=None)


class DayOverride(models.Model):
    """A supervisor's change to one day of a hall, with the reason (audited, and shown to the public).
    Withdrawn (to correct it), it is kept with who withdrew it, when and why: ``everything`` is the
    history, ``objects`` the changes in force."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed")
        EXTRA_HOURS = "extra_hours", _("Extra hours")
        REDUCED_COUNTERS = "reduced_counters", _("Fewer counters")

    hall_id = models.CharField(_("hall"), max_length=40)
    day = models.DateField(_("Day"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    opens = models.TimeField(_("opens"), null=True, blank=True, help_text=_("Extra hours: from"))
    closes = models.TimeField(_("closes"), null=True, blank=True, help_text=_("Extra hours: until"))
    counters = models.PositiveSmallIntegerField(
        _("counters"), null=True, blank=True, help_text=_("Fewer counters: how many open")
    )
    reason = TypedTextField(_("reason"), max_length=300)
    reason_zh = TypedTextField(_("reason in Chinese"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )
    created_at = models.DateTimeField(_("made at"), default=clock.now, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("withdrawn by"),
    )
    withdrawn_reason = TypedTextField(_("why withdrawn"), max_length=300, blank=True)
    withdrawn_reason_zh = TypedTextField(_("why withdrawn, in Chinese"), max_length=300, blank=True)

    everything = models.Manager()
    objects = InForce()

    class Meta:
        verbose_name = _("day override")
        verbose_name_plural = _("day overrides")
        ordering = ["day", "hall_id", "pk"]
        indexes = [models.Index(fields=["hall_id", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="closed", opens=None, closes=None, counters=None)
                | models.Q(kind="extra_hours", counters=None, opens__lt=models.F("closes"))
                | models.Q(kind="reduced_counters", opens=None, closes=None, counters__isnull=False),
                name="override_fields_fit_its_kind",
            ),
            # the same change in force twice would be listed twice; extra hours at other times add to the
            # day; a withdrawn change is history, and the same change may be made again
            models.UniqueConstraint(
                fields=["hall_id", "day"],
                condition=models.Q(kind="closed", withdrawn_at=None),
                name="one_closure_per_hall_day",
            ),
            models.UniqueConstraint(
                fields=["hall_id", "day"],
                condition=models.Q(kind="reduced_counters", withdrawn_at=None),
                name="one_counter_count_per_hall_day",
            ),
            models.UniqueConstraint(
                fields=["hall_id", "day", "opens", "closes"],
                condition=models.Q(kind="extra_hours", withdrawn_at=None),
                name="extra_hours_once_per_hall_day",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at=None) | models.Q(withdrawn_by__isnull=False),
                name="override_withdrawn_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hall_id} {self.day} {self.kind}"

    def reason_text(self) -> Text:
        """The supervisor's reason in both languages (the English where no Chinese was given), without its
        closing stop: it is set inside a sentence or brackets, or joined to others."""
        return _said(self.reason, self.reason_zh)

    def withdrawn_text(self) -> Text:
        """Why the change was withdrawn, as ``reason_text``."""
        return _said(self.withdrawn_reason, self.withdrawn_reason_zh)


def _said(en: str, zh: str) -> Text:
    return Text(en.rstrip(" .。"), (zh or en).rstrip(" .。"))


class Slot(models.Model):
    """One counter's time for one appointment. ``withdrawn``: the day's opening no longer holds it (a
    closure, fewer counters); a booking on it is kept and shown to the hall, never deleted. ``held``: a
    booking holds it (active or checked in), set and cleared in the transaction that changes the booking
    (``holding``), so the open slots are one index range; the bookings' unique index stands behind it."""

    hall_id = models.CharField(_("hall"), max_length=40)
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="slots", verbose_name=_("counter")
    )
    day = models.DateField(_("Day"))  # Beijing date of ``starts_at``
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    held = models.BooleanField(_("booked"), default=False)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "counter__number"]
        indexes = [
            models.Index(fields=["hall_id", "day", "starts_at"]),
            models.Index(
                fields=["hall_id", "day", "starts_at"],
                condition=models.Q(held=False, withdrawn=False),
                name="open_slots",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["counter", "starts_at"], name="one_slot_per_counter_and_start"),
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter} {self.starts_at.isoformat()}"


class Booking(models.Model):
    """A case's appointment in one slot. A slot is held by at most one booking, active or checked in, and a
    case has at most one active booking (a case checked in may book again, to bring what a one-time notice
    lists): the database refuses a second (partial unique indexes), whatever the race. ``reference`` is what
    check-in reads."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED = "moved", _("Moved to another time")
        CHECKED_IN = "checked_in", _("Checked in")
        NO_SHOW = "no_show", _("Did not come")

    class EndReason(models.TextChoices):
        """Why a booking ended other than by its booker's hand."""

        CASE_CLOSED = (
            "case_closed",
            _(
                "Not needed any more: it was for handing in the materials, and the application is past that step"
            ),
        )

    reference = models.CharField(max_length=12, unique=True, verbose_name=_("booking reference"))
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.ACTIVE, verbose_name=_("state")
    )
    moved_to = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moved_from",
        verbose_name=_("moved to"),
    )
    created_at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("created at"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))
    ended_because = models.CharField(
        max_length=16, choices=EndReason.choices, blank=True, verbose_name=_("ended because")
    )
    # who cancelled it (its booker's page says "by you"); none where nobody did by hand (``ended_because``)
    # or for the bookings cancelled before it was kept
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    # how often the hall took its time and gave it back, its people told each time (``withdrawals``): each
    # message's key names its count, so a second withdrawal is never taken for the first one already sent
    withdrawn_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("times withdrawn")
    )
    restored_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("times given back")
    )
    # the withdrawn change of its day that last gave its time back; none where something else did (its
    # counter turned on again, ``counters``), or where it was never given back (``restored_count`` 0)
    restored_by = models.ForeignKey(
        DayOverride,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("given back by"),
    )
    # with no ``restored_by``: whether its counter turned on again (``services.switch_counter``) gave its
    # time back (told so, ``law.halls.counter_reopened``), or a run that knows no cause did (told the time
    # is open again, ``law.halls.time_reopened``); True for the bookings told before the two were apart
    restored_by_counter = models.BooleanField(
        default=True, editable=False, verbose_name=_("given back by a counter turned on")
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "state"]),
            models.Index(fields=["booked_by", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(state__in=["active", "checked_in"]),
                name="one_booking_holds_a_slot",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(state="active"), name="one_active_booking_per_case"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


HOLDS_SLOT = (Booking.State.ACTIVE, Booking.State.CHECKED_IN)  # as the slot's unique index says


class QueueTicket(models.Model):
    """A place in a hall's queue for one day: ``letter`` and ``number`` as called out (``A001``; the
    letters are ``tickets.LETTERS``'s), unique per hall, day and letter (the database refuses a second).
    Issued at check-in of a booking, or to a walk-in without one (``booking`` empty), who may come with an
    appointment letter of another system (``appointment_letter``), or to collect a permit (``purpose``).
    ``missed``: how often it was called and not answered (``tickets.not_answered``: once it waits again,
    twice it did not come). A waiting ticket whose case closes ends at once as ``WITHDRAWN`` (``SERVED`` once
    its permit is collected)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        SERVED = "served", _("Served")
        NO_SHOW = "no_show", _("Did not come")
        # its case was withdrawn or otherwise closed while it waited (``tickets.end_closed``; not collected)
        WITHDRAWN = "withdrawn", _("Withdrawn: application closed")

    class Purpose(models.TextChoices):
        """What the visit is for: handing in materials (a booking's check-in, a walk-in where none is
        booked), or collecting the permit, which books no time (``law.rules.collection.collection_visit``)."""

        HAND_IN = "hand_in", _("Hand in materials")
        COLLECT = "collect", _("Collect the permit")

    hall_id = models.CharField(max_length=40, verbose_name=_("hall"))
    day = models.DateField(verbose_name=_("day"))  # Beijing date of ``issued_at``
    letter = models.CharField(max_length=1, verbose_name=_("letter"))
    number = models.PositiveSmallIntegerField(verbose_name=_("number"))
    booking = models.OneToOneField(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket",
        verbose_name=_("booking"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("case")
    )
    booked_for = models.DateTimeField(
        null=True, blank=True, verbose_name=_("booked for")
    )  # the slot's start; none for a walk-in
    # booked elsewhere: an officer saw the appointment letter of the Service System for Foreigners Working
    # in China (the one-stop service's B and C, ``law.intake.not_booked_here``)
    appointment_letter = models.BooleanField(default=False, verbose_name=_("appointment letter"))
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.WAITING, verbose_name=_("state")
    )
    purpose = models.CharField(
        max_length=10, choices=Purpose.choices, default=Purpose.HAND_IN, verbose_name=_("purpose")
    )
    counter = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("counter")
    )  # the number of the calling counter
    issued_at = models.DateTimeField(default=clock.now, verbose_name=_("taken at"))
    called_at = models.DateTimeField(null=True, blank=True, verbose_name=_("called at"))
    served_at = models.DateTimeField(null=True, blank=True, verbose_name=_("served at"))
    missed = models.PositiveSmallIntegerField(default=0, verbose_name=_("missed"))

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["day", "hall_id", "issued_at", "pk"]
        indexes = [models.Index(fields=["hall_id", "day", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["hall_id", "day", "letter", "number"], name="one_ticket_per_number_and_day"
            ),
            # one ticket at a counter at a time: the next is called once it is served or not answered
            models.UniqueConstraint(
                fields=["hall_id", "day", "counter"],
                condition=models.Q(state="called"),
                name="one_called_ticket_per_counter",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.letter}{self.number:03d}"

    @property
    def served_at_collection(self) -> bool:
        """Served at no counter: its permit was collected while it waited (``tickets.end_closed``); a
        ticket served at a counter keeps the counter that called it."""
        return self.state == self.State.SERVED and self.counter is None


class IdempotentAnswer(models.Model):
    """The first answer to a request with an ``Idempotency-Key``: a retry gets it again, never a second
    booking or alert action. ``fingerprint`` is the request's method, path and body, so a key reused for another request
    is refused. Kept for ``KEPT``, then purged (``periodic.purge_idempotent_answers``): a key sent again
    later is a new request, which finds the case booked (409) rather than booking it twice."""

    KEPT = timedelta(hours=24)  # a client retries within minutes; a day covers one offline overnight

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(max_length=100, verbose_name=_("idempotency key"))
    fingerprint = models.CharField(max_length=64, verbose_name=_("request fingerprint"))
    status = models.PositiveSmallIntegerField(verbose_name=_("status code"))
    body = models.JSONField(verbose_name=_("response body"))
    created_at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("idempotent answer")
        verbose_name_plural = _("idempotent answers")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
