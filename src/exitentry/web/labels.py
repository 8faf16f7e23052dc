"""Interface labels for the codes the catalog uses (procedure groups, modes, what a time limit counts).

Only names for display live here; what each code means in law stays in the catalog.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from exitentry.law.model import PR_CARD, Procedure

GROUPS = {
    "residence-permits": _("Residence permits"),
    "work-permits": _("Work permits"),
    "permanent-residence": _("Permanent residence"),
    "visas-and-stay": _("Visas and stay"),
    "exit": _("Exit"),
}

SUBMISSION_MODES = {
    "in-person": _("In person"),
    "proxy": _("By proxy"),
    "walk-in": _("No appointment"),
    "booked-elsewhere": _("Not booked on this site"),
}

INTERVIEW_MODES = {
    "required": _("Interview required"),
    "waived": _("No interview"),
    "on-request": _("Interview only on request"),
}

COUNTS = {
    "processing": _("Expected ready on:"),
    "receipt-validity": _("Receipt valid until:"),
    "pre-examination": _("Pre-examination done by:"),
}


def group_label(group: str) -> str:
    return str(GROUPS.get(group, group))


# The home page's groups, by whom a procedure is for (``audience``), each with one line on which card to
# pick: three cards read like "renewal" (an extension, a renewal, the one-stop extension).
AUDIENCES = {
    "personal-and-family": (
        _("Residence permits for personal affairs and family"),
        _(
            "A first application for a new permit; an extension for a longer stay on the personal-affairs"
            " permit you hold. To change its particulars or replace a lost one, see “Any residence permit”."
        ),
    ),
    "work": (
        _("Work (one-stop service)"),
        _(
            "The one-stop service applies for the work permit and the work-type residence permit together:"
            " its extension for a longer stay with the same employer, its change of employer for a new one."
        ),
    ),
    "study": (
        _("Study"),
        _(
            "A first application for a study permit, and the endorsement for part-time work or an internship."
            " To extend, renew or reissue it, see “Any residence permit”."
        ),
    ),
    "any-residence-permit": (
        _("Any residence permit: extension, renewal, reissue"),
        _(
            "Extension: a longer stay, the same particulars. Renewal or reissue: new particulars, or a lost or"
            " damaged permit. A work-type permit in Beijing is extended with the work permit by the one-stop"
            " service (under “Work”)."
        ),
    ),
    "permanent-residence": (
        _("Permanent residence"),
        _(
            "An application for permanent residence; for the card you hold: its renewal on expiry, a change of"
            " its content, or a new card for a damaged or lost one."
        ),
    ),
    "visas-and-other": (
        _("Visas and other procedures"),
        _(
            "Visas and stay permits (an extension for a longer stay, a renewal for a new visa), journalists'"
            " residence permits, and exit without a valid passport."
        ),
    ),
}
BY_PERMIT_TYPE = {
    "work": "work",
    "study": "study",
    "private-affairs": "personal-and-family",
    "family-reunion": "personal-and-family",
}


def audience(procedure: Procedure) -> str:
    """Whom ``procedure`` is for (a key of ``AUDIENCES``), read from the permit its casework acts on."""
    work = procedure.casework
    if work.permit == PR_CARD:
        return "permanent-residence"
    if work.permit == "residence-permit":
        return (
            BY_PERMIT_TYPE.get(work.permit_type, "visas-and-other")
            if work.permit_type
            else "any-residence-permit"
        )
    return "visas-and-other"


CHOICE_FIELDS = {
    "address": _("address"),
    "afternoon closing time": _("afternoon closing time"),
    "opening hours": _("opening hours"),
}
