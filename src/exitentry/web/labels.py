"""Interface labels for the codes the catalog uses (procedure groups, modes, what a time limit counts).

Only names for display live here; what each code means in law stays in the catalog.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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


CHOICE_FIELDS = {
    "address": _("address"),
    "afternoon closing time": _("afternoon closing time"),
    "opening hours": _("opening hours"),
}
