"""The receipt of a unit's Art. 26 report as a bilingual PDF (``documents``), with the QR code that checks
it with the office (``/verify/<token>``), built from the report and the law core's words."""

from __future__ import annotations

from django.http import HttpResponse

from exitentry.accounts.audit import Actor, record
from exitentry.cases.notices import party_of
from exitentry.compliance.models import UnitReport
from exitentry.compliance.unit_reports import effect_of
from exitentry.documents import data, pdf, tokens
from exitentry.law.calendar import BEIJING
from exitentry.law.rules.unit_reports import RELATION_NAME
from exitentry.law.text import Text, day_text

PLACE_ENDED = Text(
    "The person's place on the unit's roster ends on {day}.", "此人在本单位人员名册上的登记于{day}终止。"
)
FOLLOW_UP = Text(
    "The reason for residence of residence permit {permit} has changed: the exit-entry administration "
    "follows it up, and the holder reports the change.",
    "居留证件{permit}的原居留事由已变更：出入境管理机构将予以核查，持证人应当申报变更。",
)
RECORDED = Text(
    "The report is recorded; the person stays on the unit's roster.", "报告已登记；此人仍在本单位人员名册上。"
)


def document(report: UnitReport) -> data.UnitReportReceipt:
    done = effect_of(report)
    effects: list[data.Line] = []
    if done.ends_place:
        effects.append(
            data.Line(PLACE_ENDED.format(day=day_text(report.happened_on)), None, (done.event.cite[0].label,))
        )
    else:
        effects.append(data.Line(RECORDED, None, (done.event.cite[0].label,)))
    if report.permit_id:
        effects.append(
            data.Line(
                FOLLOW_UP.format(permit=report.permit.number),
                None,
                tuple(c.label for c in done.follow_up_cite),
            )
        )
    return data.UnitReportReceipt(
        number=report.number,
        unit_name=report.unit.names,
        unit_credit_code=report.unit.credit_code,
        person=party_of(report.person, report.travel_document),  # the passport reported on
        relation=RELATION_NAME[report.affiliation.relation],
        event=done.event.text,
        happened_on=report.happened_on,
        filed_at=report.filed_at.astimezone(BEIJING),
        filed_by=report.filed_by.get_username(),
        note=report.note,
        effects=tuple(effects),
        cite=tuple(c.label for c in done.cite),
    )


def pdf_response(actor: Actor, report: UnitReport, base_url: str) -> HttpResponse:
    """The receipt as a PDF answer (the page and the API serve the same), its reading audited."""
    record(actor, "document.read", "unitreport", report.pk)
    token = tokens.make_token("unit-report", report.number)
    body = pdf.render_unit_report(document(report), token=token, base_url=base_url)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{report.number}.pdf"'
    return response
