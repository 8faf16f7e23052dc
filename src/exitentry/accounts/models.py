"""Users with exactly one role, the units they act for, the halls officers serve, the API keys of machine
clients, and the audit trail."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from exitentry.law.text import Text


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    PROXY = "proxy", _("Proxy or service agency")
    UNIT = "unit", _("Unit handler")
    OFFICER = "officer", _("Exit-entry officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    INSTITUTION = "institution", _("Institution (verifier)")
    ADMINISTRATOR = "administrator", _("Administrator")


class Unit(models.Model):
    """An organisation with accounts: an employer, school, inviting entity or specialised service agency
    submits for its people; a bank, hospital, school, telecom operator (or an employer) checks foreigners'
    status through its institution accounts (Regulations Art. 27).

    Institutions are units rather than a table of their own: a school or an employer is one legal entity
    (one credit code) whether its handlers file applications or its desk checks a status, and the accounts
    already name their unit. The kind says what the organisation is, the account's role what it does.
    """

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        SCHOOL = "school", _("School")
        INVITING = "inviting", _("Inviting entity")
        AGENCY = "agency", _("Specialised service agency")
        BANK = "bank", _("Bank or financial institution")
        HOSPITAL = "hospital", _("Hospital or medical institution")
        TELECOM = "telecom", _("Telecom operator")

    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-HJ-NPQRTUWXY]{18}$", _("18 characters: digits and capitals"))],
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @property
    def names(self) -> Text:
        """The unit's name in both languages (the English one where no Chinese name is kept)."""
        return Text(self.name, self.name_zh or self.name)


class User(AbstractUser):
    """A person who signs in. One role each: least privilege is easier to read when roles do not mix."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.APPLICANT)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="handlers", verbose_name=_("unit")
    )
    person = models.OneToOneField(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account",
        help_text=_("For an applicant: the registry record that is theirs."),
        verbose_name=_("person"),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the e-mails and text messages sent to this account (empty: Chinese)."),
    )
    is_unit_admin = models.BooleanField(
        _("unit administrator"),
        default=False,
        help_text=_("A unit handler who adds and removes the unit's other handlers."),
    )
    phone = models.CharField(
        _("mobile phone"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9]{6,19}$", _("Digits, with an optional + in front"))],
        help_text=_("Where reminders are sent by SMS (empty: none are)."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="unit") | models.Q(unit__isnull=False),
                name="unit_handler_has_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(is_unit_admin=False) | models.Q(role="unit"),
                name="unit_admin_is_a_unit_handler",
            ),
        ]


def new_token_seed() -> str:
    return secrets.token_urlsafe(32)


class HandlerInvitation(models.Model):
    """A unit administrator's invitation by e-mail to become one of the unit's handlers: a link that
    works once and expires (``accounts.invitations``). Only the token's SHA-256 is stored, and the seed
    its token is made from with the site's secret key (which the database does not hold)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("unit")
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token digest"))
    token_seed = models.CharField(
        max_length=64, default=new_token_seed, editable=False, verbose_name=_("token seed")
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    accepted_by = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("accepted by"),
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))

    class Meta:
        verbose_name = _("handler invitation")
        verbose_name_plural = _("handler invitations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True, accepted_by__isnull=True)
                | models.Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="an_accepted_invitation_names_its_account",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="an_invitation_expires_later"
            ),
        ]
        indexes = [models.Index(fields=["unit", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.email} -> {self.unit_id}"


class SignUp(models.Model):
    """An applicant's own sign-up: the account, made inactive, waits for its owner to follow the link sent
    to its e-mail address, which works once and expires (``accounts.registration``). Only the token's
    SHA-256 is stored, and the seed its token is made from with the site's secret key."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="sign_up", verbose_name=_("user")
    )
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token digest"))
    token_seed = models.CharField(
        max_length=64, default=new_token_seed, editable=False, verbose_name=_("token seed")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))
    # When the account, never confirmed, gave up its username and e-mail address (``release_unconfirmed``).
    released_at = models.DateTimeField(null=True, blank=True, verbose_name=_("released at"))

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="a_sign_up_expires_later"
            )
        ]

    def __str__(self) -> str:
        return f"sign-up of {self.user_id}"


class HallAssignment(models.Model):
    """An officer or supervisor serves at a hall of the catalog (``law/catalog/halls.yaml``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="halls", verbose_name=_("user"))
    hall_id = models.CharField(max_length=40, verbose_name=_("hall"))

    class Meta:
        verbose_name = _("hall assignment")
        verbose_name_plural = _("hall assignments")
        constraints = [models.UniqueConstraint(fields=["user", "hall_id"], name="one_assignment_per_hall")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.hall_id}"


class ApiKey(models.Model):
    """A machine client's key to the API: a unit's HR system or an institution's (``accounts.api_keys``).

    Only the SHA-256 digest of the key is stored; the key itself is shown once, when it is made. ``prefix``
    (the key's first characters, also shown in the list) finds the row; the digest is then compared in
    constant time. The key acts as the account that made it, for that account's unit, with ``scopes`` no
    wider than that account's role may grant, until ``expires_at`` or ``revoked_at``.
    """

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    digest = models.CharField(_("key digest"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="api_keys", verbose_name=_("unit")
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="api_keys", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_key_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("created_at")),
                name="api_key_revoked_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditHead(models.Model):
    """The head of one chain (its number is the pk): the last entry's hash and how many it holds.

    Locked while an entry is appended to that chain, so each chain is a line. There are several chains
    (``audit.CHAINS``), so web workers appending at once do not wait on one row.
    """

    last_hash = models.CharField(max_length=64, default="0" * 64, verbose_name=_("last entry's hash"))
    count = models.BigIntegerField(default=0, verbose_name=_("entry count"))

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"audit head #{self.count}"


class AuditEntry(models.Model):
    """Who did or saw what, to which object, with old and new values, when and from where.

    Append-only: ``save`` refuses to change a stored entry and ``delete`` refuses outright, and triggers
    refuse UPDATE and DELETE in the database (a migration that remakes this table on SQLite drops them:
    it must make them again, as ``0006_audit_append_only_sqlite`` does). Each entry's hash is an HMAC,
    under the key ``key_id`` names (``settings.AUDIT_KEYRING``, never in the database), of its fields and
    the previous entry's hash: an edited, removed or reordered entry breaks the chain, and whoever lacks
    the key cannot seal it again (``exitentry audit verify``).
    """

    chain = models.PositiveSmallIntegerField(default=1, verbose_name=_("chain"))
    seq = models.BigIntegerField(verbose_name=_("sequence number"))
    at = models.DateTimeField(verbose_name=_("time"))
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("actor")
    )
    actor_name = models.CharField(max_length=150, verbose_name=_("actor's name"))
    role = models.CharField(max_length=16, verbose_name=_("role"))
    action = models.CharField(max_length=40, verbose_name=_("action"))
    object_type = models.CharField(max_length=40, verbose_name=_("object type"))
    object_id = models.CharField(max_length=40, verbose_name=_("object ID"))
    old = models.JSONField(null=True, verbose_name=_("before"))
    new = models.JSONField(null=True, verbose_name=_("after"))
    ip = models.GenericIPAddressField(null=True, verbose_name=_("IP address"))
    # the API key the actor used, if any; not indexed, so appending stays as cheap (find a key's uses by
    # its account, ``actor``, which is)
    api_key = models.ForeignKey(
        ApiKey,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("API key"),
    )
    key_id = models.CharField(max_length=16, verbose_name=_("signing key"))
    prev_hash = models.CharField(max_length=64, verbose_name=_("previous entry's hash"))
    hash = models.CharField(max_length=64, unique=True, verbose_name=_("hash"))

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["at", "chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="one_entry_per_place_in_a_chain")
        ]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"#{self.chain}.{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")


class HeldSecret(models.Model):
    """A secret shown once (a new share code or API key, ``web.shown_once``), held for one session from the
    POST that makes it to the GET that shows it, never past ``until``: the GET deletes it, and the periodic
    ``shown-once-purge`` deletes whatever is past its time, whether or not the page was ever loaded. The
    session is named by the SHA-256 of its key."""

    session = models.CharField(max_length=64, verbose_name=_("session"))
    kind = models.CharField(max_length=20, verbose_name=_("kind"))
    secret = models.CharField(max_length=200, verbose_name=_("secret"))
    row = models.BigIntegerField(verbose_name=_("row"))
    until = models.DateTimeField(db_index=True, verbose_name=_("held until"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "kind"], name="one_held_secret_per_page")]
        verbose_name = _("held secret")
        verbose_name_plural = _("held secrets")

    def __str__(self) -> str:
        return f"{self.kind} of row {self.row}, until {self.until:%H:%M:%S}"
