"""A unit's Art. 26 reports as a CSV file: every row checked first, then all filed in one transaction, or
none and every row's error with its number.

The file is UTF-8 (a byte-order mark is fine), comma-separated, with the header ``COLUMNS``, the API's field names (or their
Chinese names, ``HEADINGS``; the former ``date`` is read as ``happened_on``): the person's travel document number (a person on the unit's roster), the
event (one the unit's kind reports, ``law.rules.unit_reports``: its id or its name in either language),
the day it happened (YYYY-MM-DD) and an optional note; an error names the column, as the English file
does. At most ``MAX_BYTES`` and ``MAX_ROWS`` rows. The Chinese page's template speaks Chinese.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from exitentry.accounts.audit import Actor
from exitentry.accounts.models import Unit
from exitentry.cases.services import Refused
from exitentry.cases.uploads import EMPTY
from exitentry.compliance.models import UnitReport
from exitentry.compliance.unit_reports import Draft, check, file_reports, known_event
from exitentry.law.calendar import beijing_today
from exitentry.law.rules import unit_reports as law
from exitentry.law.text import Text
from exitentry.registry.models import Affiliation, TravelDocument

# The API's fields (``api.unit_reports.UnitReportIn``), so a row reads as the JSON of the same report.
COLUMNS = ("travel_document_number", "event", "happened_on", "note")
HEADINGS = {
    "旅行证件号码": "travel_document_number",
    "报告事项": "event",
    "发生日期": "happened_on",
    "备注": "note",
}
FORMER = {"date": "happened_on"}  # a column's name in the templates downloaded before it was the API's
# A fault found by filing's checks names the report's field; the file names it by its column.
_COLUMN_OF = {"person": "travel_document_number", "person_id": "travel_document_number"}
EXAMPLE_NOTE = Text(
    "Example row: replace it with your reports", "示例行：请替换为您的报告"
)  # a row to copy, never to file
MAX_BYTES = 512 * 1024
MAX_ROWS = 1000
TOO_LARGE = Text(
    f"The file is larger than {MAX_BYTES // 1024} KB; split it into several files.",
    f"文件超过{MAX_BYTES // 1024} KB，请拆分为多个文件。",
)


@dataclass(frozen=True, slots=True)
class RowError:
    """What is wrong with one row (``row`` counts the header as row 1, as a spreadsheet does)."""

    row: int
    field: str
    text: Text


class FileRefused(ValueError):
    """The file as a whole cannot be read; ``text`` says why in both languages."""

    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.en)


class RowsRefused(ValueError):
    """Some rows are wrong: nothing was filed (``skipped``: the blank rows passed over)."""

    def __init__(self, errors: list[RowError], skipped: int = 0):
        self.errors, self.skipped = errors, skipped
        super().__init__(f"{len(errors)} rows are wrong")


@dataclass(frozen=True, slots=True)
class Uploaded:
    """The reports a file filed, and how many blank rows (every cell empty) it passed over."""

    reports: list[UnitReport]
    skipped: int


def template(unit: Unit, on: date, language: str) -> str:
    """The header line and one example row (an event ``unit``'s kind reports, dated ``on``), to download
    and fill in."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    chinese = language.startswith("zh")
    writer.writerow(columns(language))
    events = law.events_for_unit(unit.kind, on)
    event = (events[0].text.zh if chinese else events[0].id) if events else ""
    writer.writerow(["E12345678", event, on.isoformat(), EXAMPLE_NOTE.get(language)])
    return out.getvalue()


def columns(language: str) -> tuple[str, ...]:
    """The header a file in ``language`` has: the Chinese names on the Chinese pages."""
    return tuple(HEADINGS) if language.startswith("zh") else COLUMNS


def column(field: str) -> str:
    """The file's column for a field a fault names."""
    return _COLUMN_OF.get(field, field)


def _column_named(name: str) -> str:
    """The column a header cell names: its Chinese heading, its name, or its former name."""
    name = name.strip()
    return HEADINGS.get(name) or FORMER.get(name.lower(), name.lower())


def _rows(content: bytes) -> tuple[list[tuple[int, dict[str, str]]], int]:
    """The file's rows that say something, each with its row number, and how many blank rows it has."""
    if len(content) > MAX_BYTES:
        raise FileRefused(TOO_LARGE)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            Text(
                "The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.",
                "文件不是UTF-8编码的文本，请另存为“CSV UTF-8”格式后重新上传。",
            )
        ) from None
    if "\x00" in text:  # a binary file, or one no database stores as text
        raise FileRefused(
            Text(
                "The file contains NUL characters: it is not a CSV text file.",
                "文件中含有空字符（NUL），不是CSV文本文件。",
            )
        )
    if not text.strip():  # nothing but a byte-order mark or blank lines, as a material upload says it
        raise FileRefused(EMPTY)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = tuple(_column_named(name) for name in next(reader, []))
    except csv.Error:
        raise FileRefused(Text("The file is not a readable CSV file.", "无法读取该CSV文件。")) from None
    if header[: len(COLUMNS)] != COLUMNS:
        raise FileRefused(
            Text(
                f"The first line must name the columns: {', '.join(COLUMNS)}. Download the template.",
                f"第一行须为列名：{'、'.join(HEADINGS)}（或{'、'.join(COLUMNS)}），请下载模板填写。",
            )
        )
    rows: list[tuple[int, dict[str, str]]] = []
    skipped = 0
    try:
        # numbered as a spreadsheet numbers them: the header is row 1, a blank row counts
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                skipped += 1  # a blank row (",,," or an empty line) reports nothing
                continue
            row = dict(zip(header[: len(COLUMNS)], (cell.strip() for cell in cells), strict=False))
            rows.append((number, {name: row.get(name, "") for name in COLUMNS}))
            if len(rows) > MAX_ROWS:
                raise FileRefused(
                    Text(
                        f"The file has more than {MAX_ROWS} reports; split it into several files.",
                        f"文件中的报告超过{MAX_ROWS}条，请拆分为多个文件。",
                    )
                )
    except csv.Error:
        raise FileRefused(Text("The file is not a readable CSV file.", "无法读取该CSV文件。")) from None
    if not rows:
        raise FileRefused(Text("The file has no reports under its header.", "文件中除列名外没有报告。"))
    return rows, skipped


def _people(unit: Unit, numbers: set[str]) -> dict[str, set[int]]:
    """The people on ``unit``'s roster (at any time) holding each travel document number."""
    on_roster = Affiliation.objects.filter(unit=unit).values("person")
    found: dict[str, set[int]] = {}
    for number, person_id in TravelDocument.objects.filter(
        number__in=numbers, person__in=on_roster
    ).values_list("number", "person_id"):
        found.setdefault(number, set()).add(person_id)
    return found


def _holder(row: dict[str, str], people: dict[str, set[int]]) -> int:
    number = row["travel_document_number"].upper()
    holders = people.get(number, set())
    if len(holders) == 1:
        return next(iter(holders))
    if not number:  # an empty cell is asked for, never quoted
        raise Refused(
            "travel_document_number",
            Text(
                "Give the person's travel document number; the roster's page and its download show each "
                "person's number.",
                "请填写旅行证件号码；名册页面及其下载文件列有每人的证件号码。",
            ),
        )
    raise Refused(
        "travel_document_number",
        Text(
            f"No one on the unit's roster holds travel document {number}; the roster's "
            "page and its download show each person's number.",
            f"本单位人员名册上无人持有证件{number}；名册页面及其下载文件列有每人的证件号码。",
        )
        if not holders
        else Text(
            f"Several people on the roster hold travel document {number}; file this one on the web form.",
            f"名册上有多人持有证件{number}，请通过网页表单逐一报告。",
        ),
    )


def holder(unit: Unit, number: str) -> int:
    """The id of the one person on ``unit``'s roster holding travel document ``number`` (the API's
    ``travel_document_number``); ``Refused`` as the column's cell is."""
    return _holder({"travel_document_number": number.strip()}, _people(unit, {number.strip().upper()}))


def _event_id(unit: Unit, written: str, on: date) -> str:
    """The id of the event ``written`` names by its name in either language (as the Chinese template
    writes it); anything else as written, for ``known_event`` to judge."""
    named = {name: e.id for e in law.events_for_unit(unit.kind, on) for name in (e.text.en, e.text.zh)}
    return named.get(written, written)


def _day(row: dict[str, str]) -> date:
    try:
        return date.fromisoformat(row["happened_on"])
    except ValueError:
        raise Refused(
            "happened_on",
            Text("Give the date as YYYY-MM-DD, e.g. 2026-11-30.", "日期格式为YYYY-MM-DD，例如2026-11-30。"),
        ) from None


def _draft(
    unit: Unit, row: dict[str, str], people: dict[str, set[int]], on: date
) -> tuple[Draft | None, list]:
    """The row's report and every fault found in it: each column on its own, then, when they all read,
    the report as filing would check it (roster on the day, event for the relation, the note, no
    duplicate)."""
    readers = {
        "person_id": lambda: _holder(row, people),
        "event": lambda: known_event(unit, _event_id(unit, row["event"], on), on),
        "happened_on": lambda: _day(row),
        "note": lambda: row["note"],
    }
    values, faults = {}, []
    for name, read in readers.items():
        try:
            values[name] = read()
        except Refused as refused:
            faults.append(refused)
    if faults:
        return None, faults
    draft = Draft(**values)
    try:
        check(unit, draft, on)
    except Refused as refused:
        return None, [refused]
    return draft, []


def checked(unit: Unit, content: bytes) -> tuple[list[Draft], int]:
    """The file's reports, each checked as filing would check it, and how many blank rows were skipped;
    ``FileRefused`` or ``RowsRefused`` with every fault of every wrong row."""
    rows, skipped = _rows(content)
    people = _people(unit, {r["travel_document_number"].upper() for _, r in rows})
    on = beijing_today()
    drafts: list[Draft] = []
    errors: list[RowError] = []
    seen: dict[tuple[int, str, date], int] = {}
    for number, row in rows:
        draft, faults = _draft(unit, row, people, on)
        errors.extend(RowError(number, column(f.field), f.message) for f in faults)
        if draft is None:
            continue
        key = (draft.person_id, draft.event, draft.happened_on)
        if key in seen:
            errors.append(
                RowError(
                    number,
                    "event",
                    Text(f"The same report as row {seen[key]}.", f"与第{seen[key]}行的报告相同。"),
                )
            )
            continue
        seen[key] = number
        drafts.append(draft)
    if errors:
        raise RowsRefused(errors, skipped)
    return drafts, skipped


def upload(actor: Actor, unit: Unit, content: bytes) -> Uploaded:
    """Check the file and file all its reports in one transaction (``source`` csv), or none."""
    drafts, skipped = checked(unit, content)
    try:
        return Uploaded(file_reports(actor, unit, drafts, source=UnitReport.Source.CSV), skipped)
    except Refused as refused:  # something changed between the check and the filing
        raise RowsRefused([RowError(0, column(refused.field), refused.message)], skipped) from None
