"""``/status-checks/code`` and ``/status-checks/document``: an institution's status checks (Regulations
Art. 27), through the service the desk's pages call (``verification.checks``).

An institution account's session (the client sends the CSRF token) or its system's API key with the scope
``status:check`` (``api.auth``; the check's audit entry names the key). 403 for any other account, 429 past
the institution's rate, the key's or its wrong tries; a share code that gives no status is 404 with one message
whatever was wrong; a verification request answers match or no match. Every check is audited.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from exitentry.accounts.api_keys import STATUS_CHECK
from exitentry.accounts.audit import Actor
from exitentry.api.auth import KeyRateThrottle, key_or_session
from exitentry.api.errors import ApiError
from exitentry.api.language import filled
from exitentry.api.routing import Router, described, rate
from exitentry.api.schemas import Out, TextOut, article
from exitentry.law.calendar import beijing_today
from exitentry.verification import checks

router = Router(tags=["status checks"], auth=key_or_session(STATUS_CHECK))


class HolderStatusOut(Out):
    __doc__ = _("The least an institution needs: never a passport or permit number, never an address.")

    valid: bool = Field(description=_("whether the holder's status is valid today (Beijing)"))
    state: str = Field(
        description=filled(
            _("valid, expired, void (%(article)s), cancelled (%(article2)s), or none"),
            article=article("regulations", "Art. 34"),
            article2=article("regulations", "Art. 35"),
        )
    )
    label: TextOut
    document: TextOut | None = Field(description=_("the document that counts, in words"))
    permit_type: TextOut | None
    valid_until: date | None = Field(description=_("its last valid day"))
    initials: str
    nationality: TextOut = Field(description=_("the country's name"))
    photo: None = Field(description=_("the registry holds no photographs"))


class CheckOut(Out):
    match: bool
    check_id: int
    status: HolderStatusOut | None


class CodeIn(Schema):
    code: str = Field(max_length=40, description=_("the share code the holder gave, e.g. K7QM-3XZP-9RTD"))
    birth_date: date = Field(description=_("the holder's date of birth"))


class DocumentIn(Schema):
    document_number: str = Field(max_length=40, description=_("the travel document's number"))
    name: str = Field(max_length=200, description=_("the holder's name as in the document"))


def _answer(outcome: checks.Outcome) -> dict[str, object]:
    status = outcome.status.as_dict() if outcome.status is not None else None
    return {"match": outcome.match, "check_id": outcome.check.pk, "status": status}


def _run(request, check, *args):
    try:
        return check(Actor.of(request), *args, beijing_today())
    except checks.CheckRefused as exc:
        raise ApiError(exc.status, None, exc.text) from None


@router.post(
    "/status-checks/code",
    response=CheckOut,
    description=described(
        _(
            "an institution's account (a bank, a school, a hotel: 403 for any other account) or its system's API key with"
            " the scope `status:check`."
        ),
        _(
            "Checks a holder's status with the share code they gave the institution and their date of birth: answers"
            " whether their permit or visa is valid, expired, void or cancelled, as the holder agreed to share it. A code"
            " that gives no status (unknown, expired, withdrawn, for another purpose, or a wrong date of birth) is 404"
            " with one message whatever was wrong. Every check is audited."
        ),
        limit=filled(
            _(
                "%(rate)s per institution (its accounts and keys together), and fewer wrong tries; past it 429."
            ),
            rate=rate(settings.EXITENTRY_STATUS_CHECK_RATE, _("checks")),
        ),
    ),
    summary=_("Check a holder's status with their share code"),
    throttle=[checks.InstitutionThrottle(), KeyRateThrottle()],
)
def check_code(request, payload: CodeIn):
    outcome = _run(request, checks.check_code, payload.code, payload.birth_date)
    if not outcome.match:
        raise ApiError(404, None, outcome.refusal)
    return _answer(outcome)


@router.post(
    "/status-checks/document",
    response=CheckOut,
    description=described(
        _(
            "an institution's account or its system's API key with the scope `status:check` (403 for any other account)."
        ),
        _(
            "A verification request with a document number and the holder's name: answers match or no match, and on a"
            " match the document's status. Every check is audited."
        ),
        filled(
            _(
                "an institution that employs, houses or teaches a foreigner may ask the authority to verify their documents (%(article)s)."
            ),
            article=article("regulations", "Art. 27"),
        ),
        limit=filled(
            _("%(rate)s per institution (its accounts and keys together); past it 429."),
            rate=rate(settings.EXITENTRY_STATUS_CHECK_RATE, _("checks")),
        ),
    ),
    summary=filled(
        _("A verification request (%(article)s): document number and name, match or no match"),
        article=article("regulations", "Art. 27"),
    ),
    throttle=[checks.InstitutionThrottle(), KeyRateThrottle()],
)
def check_document(request, payload: DocumentIn):
    return _answer(_run(request, checks.check_document, payload.document_number, payload.name))
