"""``/verify/{token}``: is a receipt, notice or decision genuine and in force? Public and rate limited."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from exitentry.accounts.audit import Actor
from exitentry.api.routing import Router, described
from exitentry.api.schemas import CitationOut, Out, TextOut
from exitentry.law.calendar import beijing_today
from exitentry.verification.documents import verify as verify_document

router = Router(tags=["verification"])


class VerdictOut(Out):
    __doc__ = _(
        "Whether the document is genuine and in force today, and the least a checker needs to match "
        "it to the person in front of them (initials, nationality, the passport's last characters)."
    )

    genuine: bool
    in_force: bool
    reason: TextOut
    kind: str | None
    number: str | None
    valid_until: date | None
    ended_on: date | None
    holder: str | None
    nationality: str | None
    passport_ends: str | None
    passport_note: TextOut | None
    cite: list[CitationOut]


@router.get(
    "/verify/{token}",
    response=VerdictOut,
    description=described(
        _("anyone, e.g. a desk scanning the QR code on a receipt, notice, decision or booking confirmation."),
        _(
            "Whether the document the token stands for is genuine and in force today, with the least a checker needs to"
            " match it to the person in front of them (initials, nationality, the passport's last characters). A token"
            " the authority did not issue answers `genuine` false with the reason. Every check is recorded (an"
            " anonymous one with its address)."
        ),
    ),
    summary=_("Check a document's QR token"),
)
def verify(request, token: str):
    verdict = verify_document(Actor.of(request), token, beijing_today())
    return verdict.as_dict()
