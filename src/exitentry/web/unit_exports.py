"""A unit's staff expiries as a spreadsheet (CSV or XLSX): one line per permit, in the list's order.

A cell a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written with a leading apostrophe, as OWASP's advice on CSV injection has it, so
opening the file runs nothing a name or number in the registry carries; every CSV cell is quoted, so a
spreadsheet that splits lines on ``;`` (many locales do) does not start a cell inside a name. Control characters, which a
worksheet cannot hold, are left out. Dates are ISO dates in the CSV and date cells in the XLSX. The
headings are in the page's language.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from exitentry.compliance.staff import Listing, Row
from exitentry.registry import countries

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe(value: object) -> object:
    """``value`` as a cell: control characters a worksheet cannot hold left out, and text a spreadsheet
    would take for a formula given a leading apostrophe."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def headings() -> list[str]:
    return [
        _("Surname"),
        _("Given names"),
        _("Chinese name"),
        _("Nationality"),
        _("Travel document number"),
        _("Relation to the unit"),  # as the receipt of a unit report heads it
        _("On the roster since"),
        _("Person's standing (all permits)"),
        _("Permit"),
        _("Type"),
        _("Number"),
        _("Valid until"),
        _("Days left"),
        _("This permit's state"),
        _("Open applications"),
    ]


def lines(rows: list[Row], on: date) -> list[list[object]]:
    """One line per permit of each person (a person with none: one line without a permit)."""
    language = get_language() or "en"
    out = []
    for row in rows:
        p = row.person
        person = [
            p.surname.upper(),  # as the pages show it (``Person.display_name``)
            p.given_names,
            p.chinese_name,
            countries.name(p.nationality, language),
            row.document.number if row.document else "",
            row.relation_label,
            row.since,
            row.label.get(language),
        ]
        cases = len(row.open_cases)
        for line in row.permits or (None,):
            if line is None:
                out.append([*person, "", "", "", None, None, "", cases])
                continue
            until = line.permit.valid_until
            out.append(
                [
                    *person,
                    line.kind.get(language),
                    line.permit_type.get(language) if line.permit_type else "",
                    line.permit.number,
                    until,
                    (until - on).days if until else None,
                    line.label.get(language),
                    cases,
                ]
            )
    return [[safe(v) for v in line] for line in out]


def response(fmt: str, rows: list[Row], on: date, listing: Listing) -> HttpResponse:
    """The file in ``fmt``, a key of ``CONTENT_TYPES``."""
    name = f"staff-expiries-{on.isoformat()}{'-' + listing.filter if listing.filter else ''}.{fmt}"
    body = _csv(rows, on) if fmt == "csv" else _xlsx(rows, on)
    answer = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    answer["Content-Disposition"] = f'attachment; filename="{name}"'
    answer["Cache-Control"] = "no-store"
    return answer


def _csv(rows: list[Row], on: date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)  # a spreadsheet splitting on ";" keeps each cell whole
    writer.writerow(headings())
    for line in lines(rows, on):
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in line])
    return ("\ufeff" + out.getvalue()).encode()  # a byte-order mark: spreadsheets then read UTF-8


def _xlsx(rows: list[Row], on: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Staff expiries")[:31]
    sheet.append(headings())
    for line in lines(rows, on):
        sheet.append(line)
    for column in ("G", "L"):  # the dates
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
