"""A case is one application for one catalog procedure, and everything the hall did with it.

The statutory clocks are not stored: they are derived from the dates here and the pauses (``Pause``
rows, each a period), on the official calendar (``cases.deadlines``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exitentry import clock
from exitentry.cases.lifecycle import OPEN_STATES, QUEUE_STATES, State
from exitentry.law.advice import Advice, advise_stored
from exitentry.law.intake import ACTING_AS
from exitentry.law.text import Text
from exitentry.registry.fields import TypedTextField


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True, null=True, verbose_name=_("reference"))  # noqa: DJ001 - unique, and drafts have none
    procedure_id = models.CharField(max_length=60, verbose_name=_("procedure"))
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submitted_cases",
        verbose_name=_("submitted by"),
    )
    acting_as = models.CharField(
        max_length=8, choices=[(a, a) for a in ACTING_AS], verbose_name=_("acting as")
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("unit"),
    )
    hall_id = models.CharField(max_length=40, blank=True, verbose_name=_("hall"))
    permit = models.ForeignKey(
        "registry.Permit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("The permit an extension, renewal, reissue or change acts on"),
        verbose_name=_("permit"),
    )
    travel_document = models.ForeignKey(
        "registry.TravelDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The travel document the hall received the application on; its documents name it"),
        verbose_name=_("travel document"),
    )
    facts = models.JSONField(default=dict, verbose_name=_("facts"))
    facts_from_registry = models.JSONField(
        default=list,
        blank=True,
        help_text=_("The facts taken from the registry record"),
        verbose_name=_("facts from the registry"),
    )
    applicant_present = models.BooleanField(
        null=True,
        blank=True,
        help_text=_("Whether the applicant came in person when the hall received the materials"),
        verbose_name=_("applicant present"),
    )
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.DRAFT, verbose_name=_("state")
    )
    created_at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("created at"))
    # The last change to a draft (started, facts changed, a file uploaded): an untouched draft expires
    # (``cases.expiry``).
    touched_at = models.DateTimeField(default=clock.now, verbose_name=_("last changed at"))
    # The day a draft's filer was first reminded that it expires: it closes no sooner than a week later
    # (``cases.expiry``); None until then, and again when a change puts its expiry off.
    expiry_reminded_on = models.DateField(
        null=True, blank=True, editable=False, verbose_name=_("expiry reminder sent on")
    )
    submitted_on = models.DateField(null=True, blank=True, verbose_name=_("submitted on"))
    pre_examined_on = models.DateField(null=True, blank=True, verbose_name=_("pre-examined on"))
    received_on = models.DateField(null=True, blank=True, verbose_name=_("received on"))
    accepted_on = models.DateField(null=True, blank=True, verbose_name=_("accepted on"))
    decided_on = models.DateField(null=True, blank=True, verbose_name=_("decided on"))
    ready_on = models.DateField(null=True, blank=True, verbose_name=_("ready on"))
    closed_on = models.DateField(null=True, blank=True, verbose_name=_("closed on"))
    # Denormalised for the officers' queue: the receipt's last day (the decision is due within it).
    decision_due = models.DateField(null=True, blank=True, verbose_name=_("decision due"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The officers' queue: a hall's open cases, due first, read in index order (LIMIT 50 reads 50).
            models.Index(
                fields=["hall_id", "decision_due", "submitted_on", "id"],
                condition=models.Q(state__in=QUEUE_STATES),
                name="case_queue",
            ),
            models.Index(fields=["submitted_by", "-created_at"]),
            models.Index(fields=["unit", "-created_at"]),
            models.Index(fields=["person"]),
            # The daily expiry of drafts left untouched (``cases.expiry``) reads the drafts alone.
            models.Index(
                fields=["touched_at"], condition=models.Q(state=State.DRAFT), name="case_draft_touched"
            ),
            # ... and those started longer ago than a draft lives at most.
            models.Index(
                fields=["created_at"], condition=models.Q(state=State.DRAFT), name="case_draft_created"
            ),
        ]
        constraints = [
            # One open application per permit, whatever the procedure (``services.one_per_permit``).
            models.UniqueConstraint(
                fields=["permit"],
                condition=models.Q(permit__isnull=False, state__in=sorted(OPEN_STATES)),
                name="case_one_open_per_permit",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"draft {self.pk}"

    def advice_on(self, on: date, facts: dict[str, object] | None = None) -> Advice:
        """The law core's advice on this case's facts on ``on`` (or on ``facts`` in their place: the facts
        as its approval grants them); a page or an answer asks it several times (deadlines, fee, intake),
        so this object keeps it for the same day and the same facts.
        A stored answer that no longer fits its fact (from before its check) counts as unanswered and is
        named in ``Advice.unfit`` (``advise_stored``); the steps that change facts refuse a new one."""
        facts = self.facts if facts is None else facts
        try:
            key = (self.procedure_id, on, tuple(sorted(facts.items())))
            hash(key)
        except TypeError:  # a fact whose value cannot be a key (a list): advise each time
            return advise_stored(self.procedure_id, facts, on=on)
        kept = self.__dict__.setdefault("_advice", {})
        if key not in kept:
            kept[key] = advise_stored(self.procedure_id, facts, on=on)
        return kept[key]


class CaseEvent(models.Model):
    """A transition as it happened: the history a person reads on the case page."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    action = models.CharField(max_length=24, verbose_name=_("action"))
    from_state = models.CharField(max_length=16, verbose_name=_("from state"))
    to_state = models.CharField(max_length=16, verbose_name=_("to state"))
    # None: the system (a draft expired, ``cases.expiry``)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("time"))
    note = models.TextField(blank=True, verbose_name=_("note"))

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.action}"


class Pause(models.Model):
    """The clock stands still from the deficiency notice to the resubmission (``law.clocks.Pause``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("case"))
    start = models.DateField(verbose_name=_("start"))
    end = models.DateField(null=True, blank=True, verbose_name=_("end"))
    notice = models.OneToOneField(
        "DeficiencyNotice",
        on_delete=models.PROTECT,
        related_name="pause",
        verbose_name=_("one-time notice of missing materials"),
    )

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="pause_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(end__isnull=True), name="one_open_pause_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} paused {self.start}..{self.end or ''}"


def material_path(instance: Material, filename: str) -> str:
    return f"cases/{instance.case_id}/{instance.sha256}"


OFFICERS_NOTE_IN_CHINESE = Text("The officer's note, in Chinese as written: {note}", "")
OFFICERS_NOTE_IN_ENGLISH = Text("", "民警以原文注明（未译）：{note}")


class Material(models.Model):
    """A file received for one required item (the law core's material id), or the item handed in on paper
    at the counter (no file: ``on_paper``), recorded by the officer who holds it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials", verbose_name=_("case"))
    material_id = models.CharField(max_length=60, verbose_name=_("material"))
    file = models.FileField(
        upload_to=material_path,
        max_length=200,
        blank=True,
        help_text=_("Empty for an item handed in on paper"),
        verbose_name=_("file"),
    )
    original_name = TypedTextField(max_length=200, verbose_name=_("original file name"))
    content_type = models.CharField(max_length=40, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 digest"))
    original_seen = models.BooleanField(
        default=False, help_text=_("An officer saw the original"), verbose_name=_("original seen")
    )
    translated = models.BooleanField(
        default=False, help_text=_("A Chinese translation is attached"), verbose_name=_("translated")
    )
    defect = TypedTextField(
        max_length=300, blank=True, help_text=_("What is wrong, set by the officer"), verbose_name=_("defect")
    )
    defect_zh = TypedTextField(
        max_length=300,
        blank=True,
        help_text=_("What is wrong, in Chinese, set by the officer"),
        verbose_name=_("defect (Chinese)"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "sha256"], condition=~models.Q(sha256=""), name="one_copy_of_a_file_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.material_id}"

    @property
    def defective(self) -> bool:
        return bool(self.defect or self.defect_zh)

    @property
    def on_paper(self) -> bool:
        """Handed in on paper at the counter: the hall holds it, there is no file to read."""
        return not self.file

    def defect_text(self) -> Text | None:
        """What is wrong in both languages, as the officer wrote it; a language the officer left empty
        says that the note follows as written in the other (a notice never passes one off as the other)."""
        if not self.defective:
            return None
        return Text(
            self.defect or OFFICERS_NOTE_IN_CHINESE.en.format(note=self.defect_zh),
            self.defect_zh or OFFICERS_NOTE_IN_ENGLISH.zh.format(note=self.defect),
        )


class DeficiencyNotice(models.Model):
    """The one-time list: every missing or defective item, as computed on the day it was issued."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="deficiency_notices", verbose_name=_("case")
    )
    number = models.CharField(max_length=24, unique=True, verbose_name=_("number"))
    issued_on = models.DateField(verbose_name=_("issued on"))
    items = models.JSONField(verbose_name=_("items"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )

    class Meta:
        verbose_name = _("deficiency notice")
        verbose_name_plural = _("deficiency notices")

    def __str__(self) -> str:
        return self.number


class Receipt(models.Model):
    """The acceptance receipt (Arts. 13, 18): the decision is due within its validity."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="receipt", verbose_name=_("case")
    )
    number = models.CharField(max_length=24, unique=True, verbose_name=_("number"))
    issued_on = models.DateField(verbose_name=_("issued on"))
    valid_until = models.DateField(
        null=True,
        blank=True,
        help_text=_("None where the sources set no validity"),
        verbose_name=_("valid until"),
    )
    provisional = models.BooleanField(default=False, verbose_name=_("provisional"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.number


class VerificationTask(models.Model):
    """An interview, telephone enquiry or site visit to verify the application (Art. 20)."""

    class Kind(models.TextChoices):
        INTERVIEW = "interview", _("Interview")
        PHONE = "phone", _("Telephone enquiry")
        SITE_VISIT = "site_visit", _("Site visit")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("case"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("opened at"))
    done_at = models.DateTimeField(null=True, blank=True, verbose_name=_("done at"))
    outcome = models.TextField(blank=True, verbose_name=_("outcome"))

    class Meta:
        verbose_name = _("verification task")
        verbose_name_plural = _("verification tasks")

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class Decision(models.Model):
    """Approve (with the permit's validity) or refuse (citing an Art. 21 ground). One per case; final."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="decision", verbose_name=_("case")
    )
    number = models.CharField(max_length=24, unique=True, verbose_name=_("number"))
    outcome = models.CharField(max_length=8, choices=Outcome.choices, verbose_name=_("outcome"))
    validity = models.CharField(
        max_length=12, blank=True, help_text=_("ISO 8601 duration, e.g. P2Y"), verbose_name=_("validity")
    )
    ground_id = models.CharField(max_length=60, blank=True, verbose_name=_("ground"))
    decided_on = models.DateField(verbose_name=_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="approved", ground_id="")
                | models.Q(outcome="refused", validity="") & ~models.Q(ground_id=""),
                name="approval_has_no_ground_refusal_has_one",
            )
        ]

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    class Method(models.TextChoices):
        """How the fee was paid at the hall's counter."""

        CASH = "cash", _("Cash")
        CARD = "card", _("Bank card")
        MOBILE = "mobile", _("Mobile payment")
        TRANSFER = "transfer", _("Bank transfer")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments", verbose_name=_("case"))
    amount_cny = models.PositiveIntegerField(verbose_name=_("amount (CNY)"))
    method = models.CharField(max_length=20, choices=Method.choices, verbose_name=_("method"))
    paid_at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("paid at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.case} {self.amount_cny} CNY"


class FeeExemption(models.Model):
    """The hall waives the fee, and says why: without a payment in full or this, the permit is not handed over."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="fee_exemption", verbose_name=_("case")
    )
    reason = TypedTextField(max_length=300, verbose_name=_("reason"))
    recorded_at = models.DateTimeField(default=clock.now, editable=False, verbose_name=_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("fee exemption")
        verbose_name_plural = _("fee exemptions")

    def __str__(self) -> str:
        return f"{self.case} fee exemption"
