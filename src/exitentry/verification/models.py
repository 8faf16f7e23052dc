"""Share codes a holder gives an institution, and every status check an institution makes (Regulations
Art. 27).

A code is stored only as its keyed hash (``sharecodes.digest``); the holder sees it once, when it is made.
It opens the holder's minimal status for one purpose until it expires, is revoked, or locks after
``MAX_WRONG_TRIES`` wrong tries (a wrong date of birth, or an institution of another purpose).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exitentry.bilingual import cited

MAX_WRONG_TRIES = 5


class Purpose(models.TextChoices):
    """What the holder shares their status for; each purpose is for one kind of institution."""

    WORK = "work", _("Work")
    BANK = "bank", _("Bank")
    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital")
    TELECOM = "telecom", _("Telecom")


class ShareCode(models.Model):
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="share_codes", verbose_name=_("person")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    digest = models.CharField(_("code digest"), max_length=64, unique=True)
    hint = models.CharField(
        _("last four characters"),
        max_length=4,
        help_text=_("The code's last four characters, to tell codes apart"),
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    wrong_tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)

    class Meta:
        verbose_name = _("share code")
        verbose_name_plural = _("share codes")
        indexes = [models.Index(fields=["person", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="share_code_expires_after_it_is_made",
            )
        ]

    def __str__(self) -> str:
        return f"…{self.hint} ({self.purpose})"

    @property
    def locked(self) -> bool:
        return self.wrong_tries >= MAX_WRONG_TRIES

    def state_at(self, instant) -> str:
        """active, expired, revoked or locked at ``instant``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.locked:
            return "locked"
        return "expired" if instant >= self.expires_at else "active"


class StatusCheck(models.Model):
    """One check an institution made: with a share code, or by an Art. 27 verification request."""

    class Method(models.TextChoices):
        CODE = "code", _("Share code")
        DOCUMENT = "document", cited(_("Verification request"), "regulations", "Art. 27")

    class Result(models.TextChoices):
        MATCH = "match", _("Status given")
        NO_MATCH = "no-match", _("No match")
        OTHER_PURPOSE = "purpose", _("No status: the code is for another purpose")
        REFUSED = "refused", _("Refused: too many wrong tries")

    institution = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="status_checks", verbose_name=_("institution")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(verbose_name=_("time"))
    method = models.CharField(max_length=8, choices=Method.choices, verbose_name=_("method"))
    purpose = models.CharField(max_length=10, choices=Purpose.choices, verbose_name=_("purpose"))
    result = models.CharField(max_length=8, choices=Result.choices, verbose_name=_("result"))
    code = models.ForeignKey(
        ShareCode,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checks",
        verbose_name=_("share code"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="status_checks",
        verbose_name=_("person"),
    )
    in_force = models.BooleanField(
        null=True, help_text=_("On a match: whether the status was valid"), verbose_name=_("in force")
    )

    class Meta:
        verbose_name = _("status check")
        verbose_name_plural = _("status checks")
        indexes = [models.Index(fields=["person", "-at"]), models.Index(fields=["institution", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result="match", person__isnull=False, in_force__isnull=False)
                | (~models.Q(result="match") & models.Q(in_force__isnull=True)),
                name="status_check_match_names_the_person",
            ),
            models.CheckConstraint(
                condition=~models.Q(method="code") | models.Q(code__isnull=False) | ~models.Q(result="match"),
                name="status_check_by_code_names_it",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.method} {self.result} {self.at:%Y-%m-%d %H:%M}"
