"""The staff expiries downloaded as CSV and XLSX: the list's filter and order, one line per permit,
headings in the page's language, dates as dates, formula-looking text made inert; audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from page_world import client_for, pages_today  # noqa: F401 - pages_today is an autouse fixture

from exitentry.accounts.models import AuditEntry
from exitentry.registry import countries
from exitentry.web.unit_exports import safe
from factories import TODAY, PermitFactory, TravelDocumentFactory
from unit_world import Roster, on_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster():
    return Roster()


def csv_lines(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_csv_honours_the_filter_with_one_line_per_permit(roster):
    response = client_for(roster.handler).get("/en/unit/people.csv?filter=60&sort=expiry")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="staff-expiries-{TODAY.isoformat()}-60.csv"'
    )
    heading, *lines = csv_lines(response)
    assert heading[:2] == ["Surname", "Given names"]
    until, left, state = (heading.index(h) for h in ("Valid until", "Days left", "This permit's state"))
    assert [(line[0], line[until], line[left], line[state]) for line in lines] == [
        ("TWENTY", "2026-11-22", "20", "Expiring"),
        ("FORTYFIVE", "2026-12-17", "45", "In force"),
    ]
    entry = AuditEntry.objects.get(action="unit.people.download")
    assert entry.new == {"format": "csv", "filter": "60", "people": [roster.in_20.pk, roster.in_45.pk]}


def test_the_csv_headings_follow_the_page_language(roster):
    heading = csv_lines(client_for(roster.handler).get("/zh-hans/unit/people.csv"))[0]
    assert heading[0] == "姓" and "剩余天数" in heading and "在册起始日" in heading


@pytest.mark.parametrize(
    "language, person, permit",
    [
        ("en", "Person's standing (all permits)", "This permit's state"),
        ("zh-hans", "人员整体状态（全部证件）", "本证件状态"),
    ],
)
def test_no_two_headings_read_alike_and_each_says_what_it_is_about(roster, language, person, permit):
    heading = csv_lines(client_for(roster.handler).get(f"/{language}/unit/people.csv"))[0]
    assert len(set(heading)) == len(heading)
    assert heading.index(person) < heading.index(permit)


def test_each_line_names_the_nationality_and_the_travel_document_a_report_file_takes(roster):
    TravelDocumentFactory(
        person=roster.in_20, number="E12345678", issuing_country="FRA", issued_on=TODAY, expires_on=TODAY
    )
    heading, *lines = csv_lines(client_for(roster.handler).get("/en/unit/people.csv?filter=60&sort=expiry"))
    nationality, number = heading.index("Nationality"), heading.index("Travel document number")
    assert [(line[0], line[number]) for line in lines] == [("TWENTY", "E12345678"), ("FORTYFIVE", "")]
    assert lines[0][nationality] == countries.name(roster.in_20.nationality, "en")
    assert lines[0][nationality] != roster.in_20.nationality  # a name, not the registry's code
    page = client_for(roster.handler).get("/en/unit/").content.decode()
    assert "E12345678" in page


def test_text_a_spreadsheet_would_run_as_a_formula_is_made_inert(roster):
    on_roster(roster.unit, '=HYPERLINK("http://evil.example","x")', 10)
    on_roster(roster.unit, "+cmd|' /C calc'!A0", 11)
    lines = csv_lines(client_for(roster.handler).get("/en/unit/people.csv?filter=30"))[1:]
    surnames = [line[0] for line in lines]
    assert '\'=HYPERLINK("HTTP://EVIL.EXAMPLE","X")' in surnames and "'+CMD|' /C CALC'!A0" in surnames
    book = load_workbook(io.BytesIO(client_for(roster.handler).get("/en/unit/people.xlsx?filter=30").content))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    assert '\'=HYPERLINK("HTTP://EVIL.EXAMPLE","X")' in [c.value for c in cells]


def test_a_formula_after_a_semicolon_stays_in_its_quoted_cell_where_a_spreadsheet_splits_on_semicolons(
    roster,
):
    """Spreadsheets of many locales (German, French) split a CSV line on ``;``: every cell is quoted, so
    a name holding ``;=...`` is one cell there too, not a second one starting with ``=``."""
    on_roster(roster.unit, "Smith;=1+cmd|' /C calc'!A0", 10)
    text = client_for(roster.handler).get("/en/unit/people.csv?filter=30").content.decode().lstrip("\ufeff")
    cells = [cell for line in csv.reader(io.StringIO(text), delimiter=";") for cell in line]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    assert "SMITH;=1+CMD|' /C CALC'!A0" in [line[0] for line in csv.reader(io.StringIO(text))]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Müller", "Müller"),
        (3, 3),
    ],
)
def test_a_cell_is_made_safe_only_where_it_would_be_read_as_a_formula(value, cell):
    assert safe(value) == cell


@pytest.mark.parametrize(("lang", "expiring"), [("en", "Expiring"), ("zh-hans", "即将到期")])
def test_a_work_permit_ending_with_its_residence_permit_stands_as_that_one_does_on_every_download(
    roster, lang, expiring
):
    """The one-stop service renews the two permits together: a work permit ending the day the work-type
    residence permit does reads as expiring beside it, on the page and in both files, in both languages."""
    PermitFactory(
        person=roster.in_20,
        kind="work-permit",
        permit_type="",
        number="DWP0000023",
        issued_on=TODAY - timedelta(days=340),
        valid_until=roster.in_20.permits.get(kind="residence-permit").valid_until,
    )
    browser = client_for(roster.handler)
    heading, *lines = csv_lines(browser.get(f"/{lang}/unit/people.csv"))
    state = next(i for i, h in enumerate(heading) if h in ("This permit's state", "本证件状态"))
    assert [line[state] for line in lines if line[0] == "TWENTY"] == [expiring, expiring]
    sheet = load_workbook(io.BytesIO(browser.get(f"/{lang}/unit/people.xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[state] for r in rows[1:] if r[0] == "TWENTY"] == [expiring, expiring]
    page = browser.get(f"/{lang}/unit/").content.decode()
    row = page[page.index(f'data-person="{roster.in_20.pk}"') :].split("</tr>")[0]
    line = next(li for li in row.split("<li") if "DWP0000023" in li)
    assert expiring in line


def test_the_xlsx_holds_the_same_lines_with_dates_as_dates(roster):
    response = client_for(roster.handler).get("/en/unit/people.xlsx?filter=90")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Surname" and sheet.title == "Staff expiries"
    until, left = rows[0].index("Valid until"), rows[0].index("Days left")
    assert [(r[0], r[until].date().isoformat(), r[left]) for r in rows[1:]] == [
        ("TWENTY", "2026-11-22", 20),
        ("FORTYFIVE", "2026-12-17", 45),
        ("EIGHTY", "2027-01-21", 80),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_control_characters_in_a_name_are_left_out_of_both_files(roster, fmt):
    """A spreadsheet cannot hold them (openpyxl refuses the file): dropped, the rest of the name kept."""
    on_roster(roster.unit, "Bell\x07man\x1b", 20)
    response = client_for(roster.handler).get(f"/en/unit/people.{fmt}?sort=name")
    assert response.status_code == 200
    if fmt == "csv":
        surnames = [line[0] for line in csv_lines(response)[1:]]
    else:
        surnames = [
            r[0] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        ]
    assert "BELLMAN" in surnames


def test_an_unknown_format_is_404_and_another_unit_downloads_only_its_own(roster):
    assert client_for(roster.handler).get("/en/unit/people.pdf").status_code == 404
    assert not AuditEntry.objects.filter(action="unit.people.download").exists()  # nothing was shown
    lines = csv_lines(client_for(roster.other_handler).get("/en/unit/people.csv"))[1:]
    assert [line[0] for line in lines] == ["THEIRS"]


HAN = re.compile(r"[\u3400-\u9fff]")
SAID_IN_WORDS = {  # the columns that hold words (not names, numbers or dates), by their heading
    "en": (
        "Nationality",
        "Relation to the unit",
        "Person's standing (all permits)",
        "Permit",
        "Type",
        "This permit's state",
    ),
    "zh-hans": ("国籍", "与单位的关系", "人员整体状态（全部证件）", "证件", "类型", "本证件状态"),
}


def download(handler, language: str, fmt: str) -> list[list[str]]:
    response = client_for(handler).get(f"/{language}/unit/people.{fmt}")
    if fmt == "csv":
        return csv_lines(response)
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("language", "employee", "student"),
    [("en", "Foreign employee", "Foreign student"), ("zh-hans", "聘用的外国人", "留学生")],
)
def test_the_relation_reads_as_the_roster_says_it_and_every_word_is_in_the_downloads_language(
    roster, fmt, language, employee, student
):
    on_roster(roster.unit, "Learner", 30, relation="student", permit_type="study")
    heading, *lines = download(roster.handler, language, fmt)
    relation = heading.index(SAID_IN_WORDS[language][1])
    by_name = {line[0]: line[relation] for line in lines}
    assert by_name["LEARNER"] == student and by_name["TWENTY"] == employee
    page = client_for(roster.handler).get(f"/{language}/unit/").content.decode()
    assert f"<br>{student} · " in page and f"<br>{employee} · " in page
    words = [heading.index(h) for h in SAID_IN_WORDS[language]]
    said = {line[i] for line in lines for i in words if line[i]}
    if language == "en":
        chinese_name = heading.index("Chinese name")
        assert [
            cell
            for line in [heading, *lines]
            for i, cell in enumerate(line)
            if i != chinese_name and HAN.search(cell)
        ] == []
    else:
        assert [cell for cell in said | set(heading) if not HAN.search(cell)] == []
