"""The receipts of a unit's Art. 26 report and of a holder's Art. 33 report of a change of particulars as
bilingual PDFs (``documents``), each with the QR code that checks it with the office (``/verify/<token>``),
built from the report and the law core's words."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpResponse

from exitentry.accounts.audit import Actor, record
from exitentry.cases.notices import party_of
from exitentry.cases.services.reading import hall_label
from exitentry.compliance.models import ChangeReport, UnitReport
from exitentry.compliance.unit_reports import effect_of
from exitentry.documents import data, pdf, tokens
from exitentry.law.calendar import BEIJING
from exitentry.law.rules.change_reports import (
    PARTICULARS,
    REASON,
    REPORT_IS_NOT_THE_CHANGE,
    REPORT_IS_NOT_THE_CHANGE_CITE,
)
from exitentry.law.rules.holding import kind_name
from exitentry.law.rules.unit_reports import (
    CANCELLED_ON_DEATH,
    DEATH_FOLLOW_UP_GROUND,
    FOLLOW_UP_GROUND,
    RELATION_NAME,
)
from exitentry.law.sources import Citation
from exitentry.law.text import Text, day_text

PLACE_ENDED = Text(
    "The person's place on the unit's roster ends on {day}.", "此人在本单位人员名册上的登记于{day}终止。"
)
FOLLOW_UP = {  # by the follow-up the report opened (``law.rules.unit_reports``)
    FOLLOW_UP_GROUND: Text(
        "The reason for residence of residence permit {permit} has changed: the exit-entry administration "
        "follows it up, and the holder reports the change.",
        "居留证件{permit}的原居留事由已变更：出入境管理机构将予以核查，持证人应当申报变更。",
    ),
    DEATH_FOLLOW_UP_GROUND: CANCELLED_ON_DEATH.format(
        permit=Text("residence permit {permit}", "居留证件{permit}")
    ),
}
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
                FOLLOW_UP[done.follow_up_ground].format(permit=report.permit.number),
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
        filed_by=Text(f"{report.unit.names.en}, unit handler", f"{report.unit.names.zh}经办人"),
        note=report.note,
        effects=tuple(effects),
        cite=tuple(c.label for c in done.cite),
    )


def pdf_response(actor: Actor, report: UnitReport, base_url: str) -> HttpResponse:
    """The receipt as a PDF answer (the page and the API serve the same), its reading audited."""
    body = pdf.render_unit_report(
        document(report), token=tokens.make_token("unit-report", report.number), base_url=base_url
    )
    return _answer(actor, "unitreport", report.pk, body, f"report-{report.number}.pdf")


HALL_SEES = Text(
    "The exit-entry administration sees the report of the change of the reason for residence and decides"
    " whether the permit still has a basis.",
    "出入境管理机构已收到居留事由变更的报告，并将核查该证件是否仍有居留依据。",
)
HALL_SEES_CITE = Citation("regulations", "Art. 34(3)")


def change_document(report: ChangeReport) -> data.ChangeReportReceipt:
    """The receipt of a holder's report of a change of particulars (``compliance.change_reports``)."""
    permit = report.permit
    effects = [
        data.Line(REPORT_IS_NOT_THE_CHANGE, None, tuple(c.label for c in REPORT_IS_NOT_THE_CHANGE_CITE))
    ]
    if report.particular == REASON:  # what Art. 34(3) asks of the holder: the hall sees it
        effects.append(data.Line(HALL_SEES, None, (HALL_SEES_CITE.label,)))
    kind = kind_name(permit.kind)
    return data.ChangeReportReceipt(
        number=report.number,
        person=_holder(report),
        permit=Text(f"{kind.en} {permit.number}", f"{kind.zh} {permit.number}"),
        particular=PARTICULARS[report.particular],
        changed_on=report.changed_on,
        filed_at=report.filed_at.astimezone(BEIJING),
        filed_by=filed_by(report),
        note=report.note,
        effects=tuple(effects),
        cite=tuple(dict.fromkeys(label for line in effects for label in line.cite)),  # each article cited
    )


def _holder(report: ChangeReport) -> data.Party:
    """The holder as the passport the check of the receipt names shows them (``ChangeReport.passports``),
    a passport given online beside it; with neither, as the passport they hold today."""
    registry, claim = report.passports()
    party = party_of(report.permit.person, registry or claim)
    return replace(party, given_online=claim.number) if registry and claim else party


HOLDER_ONLINE = Text("The holder (online)", "持证人本人（网上）")
FOR_THE_HOLDER_ONLINE = Text("On the holder's behalf (online)", "代持证人报告（网上）")
OFFICE_COUNTER = Text("At the counter of the exit-entry administration", "出入境管理机构窗口")


def filed_by(report: ChangeReport) -> Text:
    """Who filed a change report, in words for a document handed to the public (never an account's name):
    the holder or someone for them online, or the counter of the officer's hall."""
    if report.source == ChangeReport.Source.COUNTER:
        halls = [a.hall_id for a in report.filed_by.halls.all()]
        if len(halls) != 1:
            return OFFICE_COUNTER
        hall = hall_label(halls[0])
        return Text(f"At the counter of {hall.en}", f"{hall.zh}窗口")
    return HOLDER_ONLINE if report.filed_by.person_id == report.permit.person_id else FOR_THE_HOLDER_ONLINE


def change_pdf_response(actor: Actor, report: ChangeReport, base_url: str) -> HttpResponse:
    """The receipt of a holder's change report as a PDF answer, its reading audited."""
    body = pdf.render_change_report(
        change_document(report), token=tokens.make_token("change-report", report.number), base_url=base_url
    )
    return _answer(actor, "changereport", report.pk, body, f"change-report-{report.number}.pdf")


def _answer(actor: Actor, object_type: str, pk: int, body: bytes, filename: str) -> HttpResponse:
    record(actor, "document.read", object_type, pk)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
