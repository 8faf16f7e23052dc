"""People and their documents, visas, movements, registrations and permits.

A permit's lifecycle is its events: issue, extension, renewal, reissue, replacement, change of
particulars, part-time endorsement (Art. 22), void (Art. 34), cancellation or confiscation (Art. 35).
Each event stores the permit's particulars before and after, so the history replays to the current row
(``Permit.replay``). "Expired" is not stored: a permit is expired after its last valid day.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exitentry import clock
from exitentry.bilingual import cited
from exitentry.law.model import PERMITS, RESIDENCE_PERMIT_TYPES
from exitentry.law.rules.duties import run_out_by, still_runs
from exitentry.law.rules.enforcement import is_area
from exitentry.law.rules.visas import visa_category
from exitentry.registry import ports
from exitentry.registry.fields import NameField

PASSPORT_NUMBER = RegexValidator(
    r"^[A-Z0-9]{5,20}$", _("A travel document number is 5 to 20 capital letters and digits.")
)
COUNTRY = RegexValidator(r"^[A-Z]{3}$", _("A country is its three-letter ISO 3166 code, e.g. DEU."))


def _not_after(first: str, second: str, message: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{first}__lte": models.F(second)}),
        name=f"%(class)s_{first}_before_{second}",
        violation_error_message=message,
    )


class Person(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        UNSPECIFIED = "X", _("Unspecified")

    surname = NameField(_("surname"), max_length=100)  # registry.names.LIMIT is what a name may hold
    given_names = NameField(_("given names"), max_length=150, blank=True)
    chinese_name = NameField(_("Chinese name"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality"), max_length=3, validators=[COUNTRY])
    chinese_origin = models.BooleanField(_("of Chinese origin"), default=False)
    household_registration_in_china = models.BooleanField(
        _("uncancelled household registration in China"), default=False
    )
    created_at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["surname", "birth_date"])]

    def __str__(self) -> str:
        return self.display_name(self.surname, self.given_names)

    @property
    def initials(self) -> str:
        """The surname's initial, then the given names': ``S. A. B.`` for Anna Beate Schmidt, as the name
        is shown (a star per letter would tell the name's length). What public notices and checks show."""
        names = [*self.surname.split()[:1], *self.given_names.split()]
        return " ".join(f"{name[0].upper()}." for name in names)

    @staticmethod
    def display_name(surname: str, given_names: str) -> str:
        """SURNAME Given Names, as a passport's machine-readable zone orders them."""
        return f"{surname.upper()} {given_names}".strip()

    def travel_document_on(self, day: date, *, claims: bool = True) -> TravelDocument | None:
        """The travel document the person holds on ``day``: of those issued by then, the one that runs
        longest (None without one). ``claims``: a passport given online and not yet checked by the hall
        (``TravelDocument.claim``) counts too, as at intake, which confirms it."""
        documents = self.travel_documents.filter(issued_on__lte=day)
        if not claims:
            documents = documents.filter(claim=False)
        return documents.order_by("-expires_on", "-pk").first()

    def clean(self) -> None:
        if self.birth_date and self.birth_date > date.today():
            raise ValidationError({"birth_date": _("A date of birth cannot be in the future.")})


class TravelDocument(models.Model):
    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        OTHER = "other", _("Other international travel document")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="travel_documents", verbose_name=_("person")
    )
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.PASSPORT, verbose_name=_("kind")
    )
    number = models.CharField(_("number"), max_length=20, validators=[PASSPORT_NUMBER])
    issuing_country = models.CharField(max_length=3, validators=[COUNTRY], verbose_name=_("issuing country"))
    issued_on = models.DateField(verbose_name=_("issued on"))
    expires_on = models.DateField(verbose_name=_("expires on"))
    # Recorded by the applicant's side (the holder, a proxy, a unit) and not yet checked by the hall with
    # the passport in hand (``cases.services.intake``): a claim, which no institution's status check, hall
    # lookup or passport refusal treats as the registry's (a project policy, docs/security.md).
    claim = models.BooleanField(default=False, verbose_name=_("recorded by the applicant's side"))
    # Entered by the account holder with their own record (``registry.own_record``): kept when a case
    # closes (``cases.claims.drop_left``), for the record has no other way to get its passport again.
    own_declaration = models.BooleanField(
        default=False, verbose_name=_("entered by the holder with their own record")
    )

    class Meta:
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_country", "number"],
                condition=models.Q(claim=False),
                name="one_document_per_number",
            ),
            models.UniqueConstraint(
                fields=["person", "issuing_country", "number"], name="one_document_per_person_and_number"
            ),
            _not_after("issued_on", "expires_on", "A travel document cannot expire before it is issued."),
        ]
        # An institution's verification request names the number, not the issuing country (Art. 27).
        indexes = [models.Index(fields=["number"], name="travel_documents_by_number")]

    def __str__(self) -> str:
        return f"{self.issuing_country} {self.number}"


def _still_runs_on(on: date) -> models.Q:
    """The rows whose last day (``valid_until``; none: no last day) still runs at 00:00 Beijing time on
    ``on``: later than ``duties.run_out_by(on)`` (Regulations Art. 36(2): in force until 24:00 on its last
    day), ``duties.still_runs`` as a query."""
    return ~models.Q(valid_until__lte=run_out_by(on))


class VisaQuerySet(models.QuerySet):
    def in_force(self, on: date) -> VisaQuerySet:
        """The visas whose validity still runs on ``on`` (``_still_runs_on``)."""
        return self.filter(_still_runs_on(on))


class PermitQuerySet(models.QuerySet):
    def in_force(self, on: date) -> PermitQuerySet:
        """The permits in force on ``on``, as ``Permit.state_on`` says "valid": not declared void nor
        cancelled, with no last day or one that still runs (``_still_runs_on``). Said as "not ended"
        rather than ``status = 'valid'`` (the same permits): with the latter SQLite chose the (status,
        valid_until) index over the person's and read every valid permit for each person."""
        return self.exclude(status__in=(Permit.Status.VOID, Permit.Status.CANCELLED)).filter(
            _still_runs_on(on)
        )


class Visa(models.Model):
    """A visa as issued (Regulations Art. 6 categories; Art. 36 definitions of entries, validity, stay)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="visas", verbose_name=_("person")
    )
    travel_document = models.ForeignKey(
        TravelDocument, on_delete=models.PROTECT, related_name="visas", verbose_name=_("travel document")
    )
    number = models.CharField(max_length=20, unique=True, verbose_name=_("number"))
    category = models.CharField(max_length=3, verbose_name=_("category"))
    entries = models.PositiveSmallIntegerField(
        help_text=_("0 for multiple entries"), verbose_name=_("entries")
    )
    duration_of_stay_days = models.PositiveSmallIntegerField(verbose_name=_("days of stay"))
    valid_from = models.DateField(verbose_name=_("valid from"))
    valid_until = models.DateField(verbose_name=_("valid until"))
    # The days the visa states for applying for a residence permit after entry (Regulations Art. 9), which
    # the after-entry duty counts (``duties.after_entry_obligation``); None: the visa requires none.
    residence_permit_within_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=cited(
            _("Apply for a residence permit within this many days of entry"), "regulations", "Art. 9"
        ),
        verbose_name=_("residence permit within (days)"),
    )

    objects = VisaQuerySet.as_manager()

    class Meta:
        verbose_name = _("visa")
        verbose_name_plural = _("visas")
        constraints = [
            _not_after("valid_from", "valid_until", "A visa cannot expire before it takes effect.")
        ]
        indexes = [
            # Covering: the compliance scan joins the visas of each entry's document and reads only the index.
            models.Index(
                fields=["travel_document"],
                include=[
                    "valid_from",
                    "valid_until",
                    "duration_of_stay_days",
                    "residence_permit_within_days",
                ],
                name="visas_by_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.number}"

    def clean(self) -> None:
        """The category must be one Art. 6 lists, in force on the day the visa takes effect."""
        if self.category and self.valid_from:
            try:
                visa_category(self.category, self.valid_from)
            except LookupError as exc:
                raise ValidationError({"category": str(exc)}) from None


def validate_area(value: str) -> None:
    """A restricted area is a division code as the law core reads it (``enforcement.is_area``)."""
    if not is_area(value):
        raise ValidationError(
            _("An area is an administrative division code of 2, 4 or 6 digits, e.g. 11 (Beijing) or 110105.")
        )


DIVISION = RegexValidator(r"^[0-9]{6}$", _("A place is its six-digit administrative division code."))


class EntryExit(models.Model):
    """A movement through a port. An entry records what the stay rests on: a visa or permit, or a
    visa-free period of the days the border granted (Art. 25(2): the agreement or policy sets them, so
    they are recorded, not computed), and the area the stay is restricted to, if the exit-entry document
    or the border inspection's approval of temporary entry names one (Art. 24)."""

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Basis(models.TextChoices):
        VISA = "visa", _("Visa or permit")
        VISA_FREE = "visa-free", _("Visa-free")

    class RestrictedBy(models.TextChoices):
        DOCUMENT = "document", cited(_("The exit-entry document"), "regulations", "Art. 24")
        TEMPORARY_ENTRY = (
            "temporary-entry",
            cited(_("Temporary entry approved by border inspection"), "regulations", "Art. 24"),
        )

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="movements", verbose_name=_("person")
    )
    direction = models.CharField(max_length=5, choices=Direction.choices, verbose_name=_("direction"))
    on = models.DateField(verbose_name=_("date"))
    port = models.CharField(
        _("port"),
        max_length=ports.MAX_LENGTH,
        help_text=_(
            "The port's code in the list of ports, or its name as entered for a port the list lacks."
        ),
    )
    travel_document = models.ForeignKey(
        TravelDocument, on_delete=models.PROTECT, related_name="+", verbose_name=_("travel document")
    )
    basis = models.CharField(_("basis of the stay"), max_length=10, choices=Basis.choices, default=Basis.VISA)
    visa_free_days = models.PositiveSmallIntegerField(_("visa-free days"), null=True, blank=True)
    restricted_area = models.CharField(
        _("restricted area"), max_length=6, blank=True, validators=[validate_area]
    )
    restricted_by = models.CharField(
        max_length=16, blank=True, choices=RestrictedBy.choices, verbose_name=_("restricted by")
    )

    class Meta:
        verbose_name = _("entry or exit")
        verbose_name_plural = _("entries and exits")
        indexes = [
            models.Index(fields=["person", "-on"]),
            # The few visa-free and restricted entries, small enough for the compliance scan to hash whole.
            models.Index(
                fields=["id"],
                include=["visa_free_days"],
                condition=models.Q(visa_free_days__isnull=False),
                name="visa_free_entries",
            ),
            models.Index(
                fields=["id"],
                include=["restricted_area"],
                condition=~models.Q(restricted_area=""),
                name="restricted_entries",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(basis="visa-free", visa_free_days__gte=1) & models.Q(direction="entry"))
                | models.Q(~models.Q(basis="visa-free"), visa_free_days__isnull=True),
                name="visa_free_entry_has_its_days",
                violation_error_message="A visa-free entry records its days; no other movement has them.",
            ),
            models.CheckConstraint(
                condition=models.Q(restricted_area="", restricted_by="")
                | (~models.Q(restricted_area="") & ~models.Q(restricted_by="") & models.Q(direction="entry")),
                name="restricted_area_with_its_source",
                violation_error_message="A restricted area is recorded on an entry, with who set it.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.on}"


class LatestMovement(models.Model):
    """Each person's latest entry or exit (by day, then by record), kept by the database: triggers on
    ``EntryExit`` rewrite the row in the same statement as each insert, update or delete
    (``registry.latest``), whatever writes the movements. A copy kept exact, so the compliance scan reads
    who is in China from one row per person instead of sorting every movement."""

    person = models.OneToOneField(
        Person,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        related_name="latest_movement",
        verbose_name=_("person"),
    )
    movement = models.OneToOneField(
        EntryExit, on_delete=models.DO_NOTHING, related_name="+", verbose_name=_("movement")
    )
    direction = models.CharField(
        max_length=5, choices=EntryExit.Direction.choices, verbose_name=_("direction")
    )
    on = models.DateField(verbose_name=_("date"))
    travel_document = models.ForeignKey(
        TravelDocument, on_delete=models.DO_NOTHING, related_name="+", verbose_name=_("travel document")
    )

    class Meta:
        verbose_name = _("latest movement")
        verbose_name_plural = _("latest movements")
        indexes = [models.Index(fields=["on"], name="latest_movement_on")]  # who moved after a day

    def __str__(self) -> str:
        return f"{self.person_id} {self.direction} {self.on}"


class AccommodationRegistration(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="accommodation_registrations", verbose_name=_("person")
    )
    address = models.CharField(max_length=300, verbose_name=_("address"))
    registered_on = models.DateField(verbose_name=_("registered on"))
    registered_with = models.CharField(
        max_length=200, help_text=_("The hotel or police station"), verbose_name=_("registered with")
    )
    division = models.CharField(
        _("administrative division"),
        max_length=6,
        blank=True,
        validators=[DIVISION],
        help_text=_(
            "The address's administrative division code: where the registry last knows the person is"
        ),
    )

    class Meta:
        verbose_name = _("accommodation registration")
        verbose_name_plural = _("accommodation registrations")

    def __str__(self) -> str:
        return f"{self.person} {self.registered_on}"


class Permit(models.Model):
    """A residence or stay permit, a PR card, an exit document, or the one-stop work permit."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        VOID = "void", cited(_("Declared void"), "regulations", "Art. 34")
        CANCELLED = "cancelled", cited(_("Cancelled or confiscated"), "regulations", "Art. 35")

    KINDS = (*PERMITS, "work-permit")
    PARTICULARS = ("number", "valid_until", "status", "permit_type", "endorsement")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="permits", verbose_name=_("person")
    )
    kind = models.CharField(max_length=20, choices=[(k, k) for k in KINDS], verbose_name=_("kind"))
    permit_type = models.CharField(
        max_length=20,
        blank=True,
        choices=[(t, t) for t in RESIDENCE_PERMIT_TYPES],
        verbose_name=_("permit type"),
    )
    number = models.CharField(max_length=24, unique=True, verbose_name=_("number"))
    issued_on = models.DateField(verbose_name=_("issued on"))
    valid_until = models.DateField(null=True, blank=True, verbose_name=_("valid until"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.VALID, verbose_name=_("status")
    )
    endorsement = models.JSONField(
        null=True,
        blank=True,
        help_text=cited(_("Part-time work or internship"), "regulations", "Art. 22"),
        verbose_name=_("endorsement"),
    )

    objects = PermitQuerySet.as_manager()

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        constraints = [_not_after("issued_on", "valid_until", "A permit cannot expire before it is issued.")]
        indexes = [
            models.Index(fields=["status", "valid_until"]),
            # Covering: the compliance scan's joins on a person's permits read only the index.
            models.Index(
                fields=["person", "kind"],
                include=["status", "issued_on", "valid_until"],
                name="permits_by_person",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def state_on(self, day: date) -> str:
        """valid, expired, void or cancelled on ``day`` (expired once its last day has run out,
        ``duties.still_runs``); "valid" is ``Permit.objects.in_force``."""
        if self.status != self.Status.VALID:
            return self.status
        return (
            "expired" if self.valid_until is not None and not still_runs(self.valid_until, day) else "valid"
        )

    def particulars(self) -> dict[str, object]:
        return {
            name: (value.isoformat() if isinstance(value, date) else value)
            for name in self.PARTICULARS
            for value in [getattr(self, name)]
        }

    def replay(self) -> dict[str, object]:
        """The particulars as the events tell them: each event keeps the whole state after it."""
        last = self.events.order_by("at", "pk").last()
        return dict(last.after) if last else {}


class PermitEvent(models.Model):
    class Kind(models.TextChoices):
        ISSUE = "issue", pgettext_lazy("permit event", "Issued")  # not a ticket's "Issued"
        EXTENSION = "extension", _("Extended")
        RENEWAL = "renewal", _("Renewed")
        REISSUE = "reissue", _("Reissued")
        REPLACEMENT = "replacement", _("Replaced")
        CHANGE = "change", _("Particulars changed")
        ENDORSEMENT = "endorsement", cited(_("Part-time work endorsed"), "regulations", "Art. 22")
        VOID = "void", cited(_("Declared void"), "regulations", "Art. 34")
        CANCELLATION = "cancellation", cited(_("Cancelled or confiscated"), "regulations", "Art. 35")

    permit = models.ForeignKey(
        Permit, on_delete=models.PROTECT, related_name="events", verbose_name=_("permit")
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=_("kind"))
    at = models.DateTimeField(verbose_name=_("time"))
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    ground_id = models.CharField(
        max_length=60,
        blank=True,
        help_text=cited(_("The ground of a voiding or cancellation"), "regulations", "Arts. 34–35"),
        verbose_name=_("ground"),
    )
    before = models.JSONField(default=dict, verbose_name=_("before"))
    after = models.JSONField(verbose_name=_("after"))
    authority_notified_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=cited(
            _("Who notified the issuing authority of the cancellation"), "regulations", "Art. 35"
        ),
        verbose_name=_("authority notified by"),
    )
    authority_notified_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("authority notified at")
    )

    class Meta:
        verbose_name = _("permit event")
        verbose_name_plural = _("permit events")
        indexes = [models.Index(fields=["permit", "at"])]

    def __str__(self) -> str:
        return f"{self.permit} {self.kind}"


class Affiliation(models.Model):
    """A person on a unit's roster: employed by an employer or enrolled at a school, from a day, until a day.

    The roster is what a unit's portal shows and what Art. 26 reports end; a person is on it while
    ``ended_on`` is empty or not yet passed. One open place per person and unit, held by the database.
    """

    class Relation(models.TextChoices):
        EMPLOYEE = "employee", _("Foreign employee")  # as law.rules.unit_reports.RELATION_NAME says it
        STUDENT = "student", _("Foreign student")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="affiliations", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="roster", verbose_name=_("unit")
    )
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            _not_after("started_on", "ended_on", "A place on a roster cannot end before it starts."),
            models.UniqueConstraint(
                fields=["person", "unit"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_affiliation_per_person_and_unit",
            ),
        ]
        indexes = [models.Index(fields=["unit", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.unit_id} ({self.relation})"


class NumberSeries(models.Model):
    """The last number given in one kind of permit's series (``registry.numbering``): one row per kind,
    which the issuing transaction locks while it takes the next number."""

    kind = models.CharField(
        max_length=20, primary_key=True, choices=[(k, k) for k in Permit.KINDS], verbose_name=_("kind")
    )
    last = models.PositiveBigIntegerField(default=0, verbose_name=_("last number given"))

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")

    def __str__(self) -> str:
        return f"{self.kind}: {self.last}"
