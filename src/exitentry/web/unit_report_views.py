"""A unit's reports under Regulations Art. 26: the list, a new report, its receipt (page and PDF), and a CSV
upload of many with its template.

Unit handlers of employers and schools only (``policy.files_unit_reports``), and only their own unit's
reports and roster: another unit's report is 404, as if it did not exist. Every page that names people is
audited; every filing goes through ``compliance.unit_reports`` (the API's path too). Forms work without
JavaScript: POST, then a redirect to the receipt, or the page again with the refusal and 422.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_http_methods

from exitentry import upload_limit
from exitentry.accounts import policy
from exitentry.cases.services import Refused
from exitentry.compliance import report_receipts, report_uploads, unit_reports
from exitentry.compliance.models import UnitReport
from exitentry.law.rules import unit_reports as law
from exitentry.law.rules.grounds import ground_kind
from exitentry.law.text import Text
from exitentry.web import case_pages as pages
from exitentry.web.paging import page_of
from exitentry.web.templatetags.lawtext import day

unit_side = pages.signed_in(policy.files_unit_reports)


def _events(on: date, relations: tuple[str, ...]) -> list[dict]:
    """Every event of Art. 26 in force that concerns one of ``relations``, with whom it concerns and what
    it does, for the form's table."""
    rows = []
    for event in law.all_events():
        concerned = [relation for relation in event.relations if relation in relations]
        if not event.ground.in_force_on(on) or not concerned:
            continue
        effects = [law.effect(event.id, relation, on) for relation in concerned]
        types = [law.PERMIT_TYPE_TEXT[t] for done in effects for t in done.ends_basis_of]
        rows.append(
            {
                "event": event,
                "relations": [law.RELATION_NAME[r] for r in concerned],
                "ends_place": event.ends_place,
                "permit_types": types,
                "cancels_permit": law.CANCELLED_ON_DEATH.format(permit=law.RUNNING_PERMIT)
                if event.cancels_permit
                else None,
                "follow_up_cite": next((done.follow_up_cite for done in effects if done.opens_follow_up), ()),
            }
        )
    return rows


def _choices(on: date, relations: tuple[str, ...]) -> list[dict]:
    """The events by relation, for the form's list (a person is an employee or a student)."""
    return [
        {"relation": law.RELATION_NAME[relation], "events": law.events_to_report(relation, on)}
        for relation in relations
    ]


def _relations(held: Iterable[str]) -> tuple[str, ...]:
    """The relations ``held`` on the unit's roster (an employer's are employees), in the law's order; all
    of them while the roster is empty."""
    held = set(held)
    return tuple(r for r in law.RELATIONS if r in held) or law.RELATIONS


def _held(unit) -> list[str]:
    """The relations on ``unit``'s roster today, without reading its people."""
    return list(
        unit_reports.roster(unit, pages.today()).order_by().values_list("relation", flat=True).distinct()
    )


def _report(request: HttpRequest, report_id: int) -> UnitReport:
    return get_object_or_404(
        unit_reports.reports_for(request.user).select_related(
            "person", "unit", "affiliation", "permit", "filed_by", "follow_up"
        ),
        pk=report_id,
    )


def follow_up_state(report: UnitReport) -> str:
    """The state of the hall's follow-up of ``report`` in the page's language: none needed, open since a
    day, or closed on a day. Never how an officer closed it (resolved, unfounded): the unit reports, the
    verdict is the hall's (least privilege; the console shows it)."""
    alert = report.follow_up
    if alert is None:
        return gettext("No follow-up needed")
    if alert.closed_on is None:
        return gettext("Open since %(day)s") % {"day": day(alert.opened_on)}
    return gettext("Closed on %(day)s") % {"day": day(alert.closed_on)}


@require_GET
@unit_side
def reports(request: HttpRequest) -> HttpResponse:
    """The unit's reports, the latest filed first."""
    found = (
        unit_reports.reports_for(request.user)
        .select_related("person", "permit", "follow_up")
        .order_by("-filed_at", "-pk")
    )
    page = page_of(request, found)
    rows = [{"report": r, "event": law.report_event(r.event), "follow_up": follow_up_state(r)} for r in page]
    unit_reports.read_list(pages.actor(request), "unit_reports", [r["report"] for r in rows])
    items = [g for g in ground_kind("unit-report").grounds if g.in_force_on(pages.today())]  # Art. 26's
    return render(request, "web/unit_reports/list.html", {"page": page, "rows": rows, "items": items})


@require_http_methods(["GET", "POST"])
@unit_side
def new(request: HttpRequest) -> HttpResponse:
    """GET: the form (the roster, the events that oblige a report, the day, a note); POST: file it."""
    on = pages.today()
    unit = request.user.unit
    errors: dict[str, str] = {}
    chosen = None  # the person and day of a report refused: the form keeps them
    if request.method == "POST":
        post = request.POST
        try:
            person_id = int(post.get("person", ""))
        except ValueError:
            errors["person"] = gettext("Choose a person from the roster.")
        if not post.get("event", "").strip():  # every field missing is said at once, in the form's order
            errors["event"] = gettext("Choose the event to report.")
        try:
            happened_on = date.fromisoformat(post.get("happened_on", ""))
        except ValueError:
            errors["happened_on"] = gettext("Give the day the event happened.")
        if not errors:
            draft = unit_reports.Draft(person_id, post.get("event", ""), happened_on, post.get("note", ""))
            try:
                report = unit_reports.file_report(
                    pages.actor(request), unit, draft, source=UnitReport.Source.WEB
                )
            except Refused as refused:
                errors[refused.field] = _receipts_linked(request, pages.explain(refused.message))
                chosen = draft if refused.field != "person" else None
            else:
                messages.success(
                    request, gettext("Report filed. Receipt %(number)s.") % {"number": report.number}
                )
                return redirect("web:unit_report", report.pk)
    roster = list(unit_reports.roster(unit, on))
    if chosen and chosen.person_id not in {place.person_id for place in roster}:
        # the person left the roster with the report another tab filed: still offered, as chosen
        roster += unit_reports.roster(unit, chosen.happened_on).filter(person_id=chosen.person_id)[:1]
    unit_reports.read_roster(pages.actor(request), unit, roster)
    relations = _relations(place.relation for place in roster)
    context = {
        "roster": [(place, law.RELATION_NAME[place.relation]) for place in roster],  # as the receipt says
        "events": _events(on, relations),
        "choices": _choices(on, relations),
        "kind": ground_kind("unit-report"),
        "errors": errors,
        "posted": request.POST if errors else {},
        "today": on,
    }
    return render(request, "web/unit_reports/new.html", context, status=422 if errors else 200)


def _receipts_linked(request: HttpRequest, message: str) -> str:
    """A refusal's text with each receipt number it names (the report filed already) linked to the receipt,
    where the user may read it."""
    numbers = set(unit_reports.PRINTED.findall(message))
    found = dict(
        unit_reports.reports_for(request.user).filter(number__in=numbers).values_list("number", "pk")
    )
    return format_html_join(
        "",
        "{}",
        [
            (format_html('<a href="{}">{}</a>', reverse("web:unit_report", args=[found[part]]), part),)
            if part in found
            else (part,)
            for part in re.split(f"({unit_reports.PRINTED.pattern})", message)
        ],
    )


@require_GET
@unit_side
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    """The receipt of one report."""
    found = unit_reports.read(pages.actor(request), _report(request, report_id))
    document = report_receipts.document(found)
    context = {"report": found, "doc": document, "follow_up": follow_up_state(found)}
    return render(request, "web/unit_reports/receipt.html", context)


@require_GET
@unit_side
def receipt_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    found = _report(request, report_id)
    return report_receipts.pdf_response(
        pages.actor(request), found, request.build_absolute_uri("/").rstrip("/")
    )


def _upload_context(request: HttpRequest) -> dict:
    columns = report_uploads.columns(get_language() or "en")
    return {
        "columns": list(zip(columns, report_uploads.COLUMNS, strict=True)),  # as written, the API's field
        "event_column": columns[report_uploads.COLUMNS.index("event")],  # where the events' ids are written
        "max_rows": report_uploads.MAX_ROWS,
        "max_kb": report_uploads.MAX_BYTES // 1024,
        "events": _events(pages.today(), _relations(_held(request.user.unit))),
        "kind": ground_kind("unit-report"),
    }


@unit_side
def upload_too_large(request: HttpRequest) -> HttpResponse:
    """A body past any upload (``upload_limit``): the form again, with the file's limit, 413."""
    context = _upload_context(request) | {"file_error": pages.explain(report_uploads.TOO_LARGE)}
    return render(request, "web/unit_reports/upload.html", context, status=413)


@upload_limit.answered_by(upload_too_large)
@require_http_methods(["GET", "POST"])
@unit_side
def upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and its rules; POST: check every row, then file all or none."""
    context = _upload_context(request)
    status = 200
    if request.method == "POST":
        file = request.FILES.get("file")
        try:
            if file is None:
                raise report_uploads.FileRefused(
                    Text("Choose a CSV file to upload.", "请选择要上传的CSV文件。")
                )
            content = file.read(report_uploads.MAX_BYTES + 1)  # one byte more tells a file too large
            filed = report_uploads.upload(pages.actor(request), request.user.unit, content)
        except report_uploads.FileRefused as refused:
            context["file_error"], status = pages.explain(refused.text), 422
        except report_uploads.RowsRefused as refused:
            named = dict(
                zip(report_uploads.COLUMNS, report_uploads.columns(get_language() or "en"), strict=True)
            )
            context["row_errors"] = [
                (e.row, named.get(e.field, e.field), pages.explain(e.text)) for e in refused.errors
            ]  # each column as the page's template names it
            context["skipped"], status = refused.skipped, 422
        else:
            context["filed"], context["skipped"] = filed.reports, filed.skipped
            unit_reports.read_list(pages.actor(request), "unit_reports_upload", filed.reports)
    return render(request, "web/unit_reports/upload.html", context, status=status)


@require_GET
@unit_side
def upload_template(request: HttpRequest) -> HttpResponse:
    body = report_uploads.template(request.user.unit, pages.today(), get_language() or "en")
    # a byte-order mark: Excel then opens the Chinese column names as UTF-8 (the upload accepts it)
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="unit-reports.csv"'
    return response
