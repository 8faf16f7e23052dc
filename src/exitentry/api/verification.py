"""``/verify/{token}``: is a receipt, notice or decision genuine and in force? Public and rate limited."""

from __future__ import annotations

from exitentry.accounts.audit import Actor
from exitentry.api.routing import Router
from exitentry.law.calendar import beijing_today
from exitentry.verification.documents import verify as verify_document

router = Router(tags=["verification"])


@router.get("/verify/{token}", response=dict, summary="Check a document's QR token")
def verify(request, token: str):
    verdict = verify_document(Actor.of(request), token, beijing_today())
    return verdict.as_dict()
