"""The receipts of reports as PDFs in Chinese and English, with the QR code that checks them
(``compliance.report_receipts``, what the pages serve): a holder's report of a change of a permit's
particulars (Exit and Entry Administration Law Art. 33) and a unit's report under Regulations Art. 26.

Whoever sees the report on the pages gets its receipt: a change report's, the holder and a proxy or unit
that reads them, and the officers and supervisors who read them (``compliance.change_reports.readable_by``);
a unit report's, the unit's handlers (or its HR system's API key with ``unit:reports:write``) and the
officers and supervisors who read the person (``compliance.unit_reports.receipts_for``). Anyone else gets
404, as if there were no such report. Every download is audited as a read of the document.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from exitentry.accounts.api_keys import UNIT_REPORTS_WRITE
from exitentry.accounts.audit import Actor
from exitentry.api.auth import SignedIn, key_or_session
from exitentry.api.language import filled
from exitentry.api.routing import Router, described
from exitentry.api.schemas import article, pdf_answer
from exitentry.compliance import change_reports, report_receipts, unit_reports

router = Router(tags=["receipts"], auth=SignedIn())


def _base_url(request) -> str:
    """Where the receipt's QR code points (``/verify/<token>`` on this site)."""
    return request.build_absolute_uri("/").rstrip("/")


@router.get(
    "/permits/{permit_id}/change-reports/{report_id}/receipt",
    response={200: None},
    description=described(
        _(
            "whoever reads the report: the holder, a proxy or unit that reads their reports, and the officers and"
            " supervisors who read the holder; anyone else gets 404."
        ),
        _("The receipt as PDF in Chinese and English, with the QR code that checks it. Audited as a read."),
        filled(_("the %(article)s."), article=article("exit-entry-law", "Art. 33")),
    ),
    summary=filled(
        _("The receipt of a report of a change of a permit's particulars, as PDF (%(article)s)"),
        article=article("exit-entry-law", "Art. 33"),
    ),
    openapi_extra=pdf_answer(_("The receipt (Chinese and English) with the QR code that checks it")),
)
def change_report_receipt(request, permit_id: int, report_id: int):
    found = change_reports.readable_by(request.user).filter(permit_id=permit_id)
    report = get_object_or_404(found.select_related("permit__person", "filed_by"), pk=report_id)
    return report_receipts.change_pdf_response(Actor.of(request), report, _base_url(request))


@router.get(
    "/unit-reports/{report_id}/receipt",
    response={200: None},
    auth=key_or_session(UNIT_REPORTS_WRITE),
    description=described(
        _(
            "the unit's handlers (or its HR system's API key with the scope `unit:reports:write`), and the officers and"
            " supervisors who read the person; anyone else gets 404."
        ),
        _("The receipt as PDF in Chinese and English, with the QR code that checks it. Audited as a read."),
        filled(_("the %(article)s."), article=article("regulations", "Art. 26")),
    ),
    summary=filled(
        _("The receipt of a unit's report under the %(article)s, as PDF"),
        article=article("regulations", "Art. 26"),
    ),
    openapi_extra=pdf_answer(_("The receipt (Chinese and English) with the QR code that checks it")),
)
def unit_report_receipt(request, report_id: int):
    found = unit_reports.receipts_for(request.user).select_related(
        "person", "unit", "affiliation", "permit", "travel_document"
    )
    report = get_object_or_404(found, pk=report_id)
    return report_receipts.pdf_response(Actor.of(request), report, _base_url(request))
