"""``/units/me/reports``: the signed-in unit handler's reports under Regulations Art. 26, and filing one
(``compliance.unit_reports``, the pages' path too).

Unit handlers of employers and schools only (403 for anyone else); another unit's report is 404, as if it
did not exist. A report the law or the roster refuses (a day after today, a person not on the unit's
roster, an event that does not concern the person's relation, the same event on the same day again) is
422 with the field at fault, in English and Chinese. A unit's HR system uses an API key
with the scope ``unit:reports:write`` (reading the unit's reports comes with filing them).
"""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Schema, Status

from exitentry.accounts import policy
from exitentry.accounts.api_keys import UNIT_REPORTS_WRITE
from exitentry.accounts.audit import Actor
from exitentry.api.auth import key_or_session
from exitentry.api.errors import ApiError
from exitentry.api.language import filled, in_language
from exitentry.api.paging import PAGE_SIZE, PageQuery
from exitentry.api.routing import Router, described
from exitentry.api.schemas import CitationOut, Out, TextOut, article
from exitentry.cases.services import Refused
from exitentry.compliance import report_uploads, unit_reports
from exitentry.compliance.models import UnitReport
from exitentry.law.sources import cite
from exitentry.law.text import Text

router = Router(tags=["unit reports"], auth=key_or_session(UNIT_REPORTS_WRITE))

_ARTICLE = cite("regulations", "Art. 26").label
_UNITS_ONLY = Text(
    f"Only handlers of an employer or a school file and read reports under the {_ARTICLE.en}.",
    f"只有聘用外国人的单位或招收外国留学生的学校的经办人可以提交和查看{_ARTICLE.zh}规定的报告。",
)


_ONE_OF = Text(
    "Name the person by person (their id) or by travel_document_number, not both.",
    "请用person（人员编号）或travel_document_number（旅行证件号码）之一指明人员，不可同时填写。",
)


class EffectOut(Out):
    ends_place: bool = Field(description=_("the person's place on the unit's roster ended on the day"))
    follow_up_permit: str | None = Field(
        description=filled(
            _(
                "the residence permit whose reason for residence changed (%(article)s): the hall follows it up"
            ),
            article=article("regulations", "Art. 34(3)"),
        )
    )
    cite: list[CitationOut]


class UnitReportOut(Out):
    id: int
    number: str = Field(description=_("the receipt number"))
    person: int
    person_name: str
    travel_document_number: str | None = Field(
        description=_("the travel document the person held when the unit reported, as its receipt names it")
    )
    relation: str = Field(description=_("employee or student"))
    event: str = Field(
        description=_("the event id (employee-resigned, student-graduated, violation, died, ...)")
    )
    event_text: TextOut
    happened_on: date
    note: str
    filed_at: datetime
    filed_by: str
    source: str = Field(description=_("web, csv or api"))
    effect: EffectOut


class UnitReportsOut(Out):
    count: int
    items: list[UnitReportOut]


# A report as a row of the CSV upload has it (its columns, ``report_uploads.COLUMNS``, are these fields),
# the person named by ``person`` or by ``travel_document_number`` (a docstring would be the schema's text).
class UnitReportIn(Schema):
    person: int | None = Field(
        default=None,
        description=_(
            "the id of a person on the unit's roster on the day of the event; or give travel_document_number"
        ),
    )
    travel_document_number: str | None = Field(
        default=None,
        max_length=30,
        description=_(
            "the travel document number of a person on the unit's roster, as the CSV upload's column; or give person"
        ),
    )
    event: str = Field(
        min_length=1,
        max_length=40,
        description=filled(
            _("an event id under the %(article)s, e.g. employee-resigned"), article=in_language(_ARTICLE)
        ),
    )
    happened_on: date = Field(description=_("the day it happened, not after today"))
    note: str = Field(default="", max_length=unit_reports.NOTE_LIMIT)


def _unit(request):
    if not policy.files_unit_reports(request.user):
        raise ApiError(403, None, _UNITS_ONLY)
    return request.user.unit


def _person(unit, payload: UnitReportIn) -> int:
    """The id of the person the report names, by ``person`` or by ``travel_document_number`` (one of them)."""
    if (payload.person is None) == (payload.travel_document_number is None):
        raise Refused("person", _ONE_OF)
    if payload.person is not None:
        return payload.person
    return report_uploads.holder(unit, payload.travel_document_number)


def _out(report: UnitReport) -> dict:
    done = unit_reports.effect_of(report)
    return {
        "id": report.pk,
        "number": report.number,
        "person": report.person_id,
        "person_name": str(report.person),
        "travel_document_number": report.travel_document.number if report.travel_document_id else None,
        "relation": report.affiliation.relation,
        "event": report.event,
        "event_text": done.event.text.as_dict(),
        "happened_on": report.happened_on,
        "note": report.note,
        "filed_at": report.filed_at,
        "filed_by": report.filed_by.get_username(),
        "source": report.source,
        "effect": {
            "ends_place": done.ends_place,
            "follow_up_permit": report.permit.number if report.permit_id else None,
            "cite": [c.as_dict() for c in done.cite],
        },
    }


def _reports(request):
    return unit_reports.reports_for(request.user).select_related(
        "person", "travel_document", "affiliation", "permit", "filed_by"
    )


@router.get(
    "/units/me/reports",
    response=UnitReportsOut,
    description=described(
        _(
            "a unit handler (an employer's or a school's; 403 for any other signed-in user), or the unit's HR system with an API key with the scope `unit:reports:write`."
        ),
        _("The unit's reports, newest first, paginated (`page`), each with its number and receipt."),
        filled(_("the %(article)s."), article=article("regulations", "Art. 26")),
    ),
    summary=filled(_("The unit's reports under the %(article)s"), article=in_language(_ARTICLE)),
)
def list_reports(request, query: Query[PageQuery]):
    _unit(request)
    found = _reports(request).order_by("-filed_at", "-pk")
    count = found.count()
    items = list(found[query.start : query.start + PAGE_SIZE]) if query.start < count else []
    unit_reports.read_list(Actor.of(request), "api_unit_reports", items)
    return {"count": count, "items": [_out(r) for r in items]}


@router.post(
    "/units/me/reports",
    response={201: UnitReportOut},
    description=described(
        _(
            "a unit handler (an employer's or a school's; 403 for any other signed-in user), or the unit's HR system with an API key with the scope `unit:reports:write`."
        ),
        _(
            "Files a report of an event concerning a foreigner the unit employs or teaches (`event`, an event id such as"
            " `employee-resigned`) and the day it happened (`happened_on`). A day after today, a person not on the"
            " roster, an event that does not concern the person's relation, or the same event on the same day again is"
            " 422 with the field at fault."
        ),
        filled(_("the %(article)s."), article=article("regulations", "Art. 26")),
    ),
    summary=filled(_("File a report under the %(article)s"), article=in_language(_ARTICLE)),
)
def file_report(request, payload: UnitReportIn):
    unit = _unit(request)
    draft = unit_reports.Draft(_person(unit, payload), payload.event, payload.happened_on, payload.note)
    report = unit_reports.file_report(Actor.of(request), unit, draft, source=UnitReport.Source.API)
    return Status(201, _out(_reports(request).get(pk=report.pk)))


@router.get(
    "/units/me/reports/{report_id}",
    response=UnitReportOut,
    description=described(
        _(
            "a unit handler (an employer's or a school's; 403 for any other signed-in user), or the unit's HR system with an API key with the scope `unit:reports:write`."
        ),
        _("One of the unit's reports; another unit's is 404. Recorded as a read."),
    ),
    summary=_("One of the unit's reports"),
)
def get_report(request, report_id: int):
    _unit(request)
    report = get_object_or_404(_reports(request), pk=report_id)
    return _out(unit_reports.read(Actor.of(request), report))
