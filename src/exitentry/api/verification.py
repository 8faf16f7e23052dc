"""``/verify/{token}``: is a receipt, notice or decision genuine and in force? Public and rate limited."""

from __future__ import annotations

from ninja import Router

from exitentry.accounts.audit import Actor, record
from exitentry.law.calendar import beijing_today
from exitentry.verification.documents import check

router = Router(tags=["verification"])


@router.get("/verify/{token}", response=dict, summary="Check a document's QR token")
def verify(request, token: str):
    verdict = check(token, beijing_today())
    record(
        Actor.of(request),
        "document.verify",
        verdict.kind or "token",
        verdict.number or "-",
        new={"genuine": verdict.genuine, "in_force": verdict.in_force},
    )
    return verdict.as_dict()
