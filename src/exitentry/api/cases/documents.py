"""A case's documents as bilingual PDFs with a QR code: the receipt, a one-time notice, the decision."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from exitentry.accounts.audit import Actor, record
from exitentry.api.cases.guard import router, takes
from exitentry.api.errors import ApiError
from exitentry.api.routing import described
from exitentry.api.schemas import pdf_answer
from exitentry.cases import notices as notices_pdf
from exitentry.cases.models import Case
from exitentry.law.text import Text


@router.get(
    "/cases/{case_id}/documents/{kind}",
    response={200: None},
    description=described(
        _("whoever may see the case."),
        _(
            "A case's document as PDF in Chinese and English with its QR check: `receipt` (the acceptance receipt),"
            " `decision`, or `deficiency` (a one-time notice: `number` picks one, the latest without it). 404 for a"
            " document the case does not have yet."
        ),
    ),
    summary=_("A document as PDF"),
    openapi_extra=pdf_answer(_("The document (Chinese and English) with the QR code that checks it")),
)
@takes("view")
def document(request, case: Case, kind: str, number: str | None = None):
    """``receipt``, ``decision``, or ``deficiency`` with ``?number=`` (the latest notice without it)."""
    notice = None
    if kind == "receipt" and not hasattr(case, "receipt"):
        raise ApiError(
            404, "kind", Text("No receipt has been issued for this case.", "此申请尚未出具受理回执。")
        )
    if kind == "decision" and not hasattr(case, "decision"):
        raise ApiError(404, "kind", Text("This case has no decision yet.", "此申请尚未作出决定。"))
    if kind == "deficiency":
        notices = case.deficiency_notices.order_by("-issued_on", "-pk")
        notice = (notices.filter(number=number) if number else notices).first()
        if notice is None:
            raise ApiError(
                404,
                "number",
                Text("This case has no one-time notice by that number.", "此申请没有该编号的一次性告知书。"),
            )
    elif kind not in ("receipt", "decision"):
        raise ApiError(
            404,
            "kind",
            Text(
                "The documents are receipt, deficiency and decision.",
                "文书种类为 receipt（受理回执）、deficiency（一次性告知书）和 decision（决定书）。",
            ),
        )
    record(Actor.of(request), "document.read", kind, case.pk)
    body = notices_pdf.render(kind, case, request.build_absolute_uri("/").rstrip("/"), notice)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}-{kind}.pdf"'
    return response
