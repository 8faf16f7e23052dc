"""A unit's Art. 26 report pages over HTTP: filing from the roster, the receipt and its PDF, the CSV upload
(all or nothing), the officer's view on the person page and the alerts list, and who may see what."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pypdf import PdfReader

from case_helpers import client_for
from chinese_text import stray
from exitentry.accounts.models import AuditEntry, Role, Unit
from exitentry.compliance.models import Alert, UnitReport
from exitentry.compliance.report_receipts import document as document_of
from exitentry.compliance.unit_reports import Draft, file_report
from exitentry.documents.tokens import make_token
from exitentry.law.calendar import beijing_today
from exitentry.law.rules.grounds import ground_kind
from exitentry.law.rules.unit_reports import CANCELLED_ON_DEATH, FOLLOW_UP_GROUND, RUNNING_PERMIT
from exitentry.law.text import Text
from factories import (
    AffiliationFactory,
    PermitFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    actor,
    applicant,
    officer,
    unit_handler,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    """The page's English address (the Chinese one is ``/zh-hans/`` instead of ``/en/``)."""
    with translation.override("en"):
        return reverse(f"web:{name}", args=args)


@pytest.fixture
def today():
    return beijing_today()


@pytest.fixture
def handler():
    return unit_handler(UnitFactory(name="Acme Robotics", name_zh="艾克米机器人"))


@pytest.fixture
def place(handler):
    place = AffiliationFactory(unit=handler.unit, person__surname="Weber", person__given_names="Anna")
    TravelDocumentFactory(
        person=place.person,
        number="C01X00T47",
        issued_on=beijing_today() - timedelta(days=400),
        expires_on=beijing_today() + timedelta(days=2000),
    )
    return place


@pytest.fixture
def permit(place, today):
    return PermitFactory(
        person=place.person, issued_on=today - timedelta(days=100), valid_until=today + timedelta(days=200)
    )


def test_the_form_lists_the_roster_and_its_events_with_their_articles(handler, place):
    page = client_for(handler).get(url("unit_report_new"))
    body = page.content.decode()
    assert page.status_code == 200
    assert f'value="{place.person_id}"' in body and "WEBER Anna" in body
    assert "Art. 26(1)" in body and "Art. 34(3)" in body and "promptly on discovering it" in body
    # an employer's roster holds employees: the students' events of Art. 26(2) are not offered
    assert 'value="employee-resigned"' in body and 'value="student-graduated"' not in body
    AffiliationFactory(unit=handler.unit, relation="student")  # a school's roster holds students too
    body = client_for(handler).get(url("unit_report_new")).content.decode()
    assert 'value="employee-resigned"' in body and 'value="student-graduated"' in body


@pytest.mark.parametrize("page", ["unit_report_new", "unit_report_upload"])
def test_the_events_table_says_a_change_of_work_location_is_only_reported(handler, place, page):
    body = client_for(handler).get(url(page)).content.decode()
    rows = {re.sub(r"<[^>]+>", "", r.split("</td>", 1)[0]): r for r in body.split("<tr><td>")[1:]}
    moved = next(r for k, r in rows.items() if "changed work location" in k)
    resigned = next(r for k, r in rows.items() if "resigned" in k)
    assert "has changed: the hall follows it up" in resigned  # Art. 34(3)
    assert "has changed" not in moved and "The person stays on the roster" in moved  # Art. 26(1)


def test_a_handler_files_a_resignation_and_gets_the_receipt_and_its_pdf(handler, place, permit, today):
    client = client_for(handler)
    day = today - timedelta(days=2)
    response = client.post(
        url("unit_report_new"),
        {
            "person": place.person_id,
            "event": "employee-resigned",
            "happened_on": day.isoformat(),
            "note": "Last day",
        },
    )
    report = UnitReport.objects.get()
    assert response.status_code == 302 and response["Location"] == url("unit_report", report.pk)
    assert report.source == "web" and report.follow_up.ground_id == FOLLOW_UP_GROUND
    place.refresh_from_db()
    assert place.ended_on == day
    receipt = client.get(url("unit_report", report.pk))
    assert receipt.status_code == 200 and report.number in receipt.content.decode()
    document = client.get(url("unit_report_pdf", report.pk))
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    assert document.content.startswith(b"%PDF")
    filed_by = document_of(report).filed_by  # the unit and its handler, never the handler's account
    assert (
        filed_by.en == f"{report.unit.names.en}, unit handler" and report.filed_by.username not in filed_by.zh
    )
    listing = client.get(url("unit_reports")).content.decode()
    assert report.number in listing and permit.number in listing
    assert AuditEntry.objects.filter(action="document.read", object_type="unitreport").exists()


def test_the_receipts_qr_code_checks_as_a_genuine_unit_report(handler, place, today):
    report = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "violation", today), source="web"
    )
    page = client_for(None).get(f"/verify/{make_token('unit-report', report.number)}")
    assert (
        page.status_code == 200 and "第二十六条第（三）项" in page.content.decode()
    )  # Art. 26(3): a violation


@pytest.mark.parametrize(
    ("posted", "field", "status"),
    [
        ({"event": "violation", "happened_on": "tomorrow"}, "happened_on", 422),
        ({"event": "student-left"}, "event", 422),
        ({"event": "violation", "person": "0"}, "person", 422),
        ({"event": "violation", "person": str(10**20)}, "person", 422),
        ({"event": "violation", "happened_on": "99999-01-01"}, "happened_on", 422),
        ({"event": "violation", "note": "a\x00b"}, "note", 422),
        ({"event": "violation", "note": "x" * 2001}, "note", 422),
    ],
    ids=[
        "a day that is not a date",
        "a student's event for an employee",
        "a person not on the roster",
        "a number larger than any id",
        "a year of five digits",
        "a NUL character in the note",
        "a note too long",
    ],
)
def test_a_refused_report_is_the_form_again_with_the_reason_and_nothing_filed(
    handler, place, today, posted, field, status
):
    data = {"person": place.person_id, "happened_on": today.isoformat(), **posted}
    response = client_for(handler).post(url("unit_report_new"), data)
    assert response.status_code == status
    assert f'id="{field}-error"' in response.content.decode()
    assert not UnitReport.objects.exists()


def test_a_day_after_today_is_refused_in_chinese_too(handler, place, today):
    data = {
        "person": place.person_id,
        "event": "violation",
        "happened_on": (today + timedelta(days=1)).isoformat(),
    }
    response = client_for(handler).post(url("unit_report_new").replace("/en/", "/zh-hans/"), data)
    assert response.status_code == 422 and "事件发生日期不能晚于今天" in response.content.decode()


def csv_file(*rows: str) -> bytes:
    return ("travel_document_number,event,happened_on,note\r\n" + "".join(r + "\r\n" for r in rows)).encode()


def upload(client, content: bytes, name: str = "reports.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url("unit_report_upload"), {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_a_csv_file_of_good_rows_is_filed_whole_with_a_receipt_each(handler, place, today):
    other = AffiliationFactory(unit=handler.unit)
    TravelDocumentFactory(
        person=other.person, number="E12345678", issuing_country="FRA", issued_on=today, expires_on=today
    )
    response = upload(
        client_for(handler),
        csv_file(f"c01x00t47,violation,{today},", f"E12345678,employee-resigned,{today},moved away"),
    )
    assert response.status_code == 200
    reports = UnitReport.objects.order_by("pk")
    assert [r.source for r in reports] == ["csv", "csv"]
    assert all(r.number in response.content.decode() for r in reports)
    other.refresh_from_db()
    assert other.ended_on == today


def test_one_bad_row_files_nothing_and_each_error_shows_its_row_number(handler, place, today):
    response = upload(
        client_for(handler),
        csv_file(
            f"C01X00T47,violation,{today},",
            f"X99999999,violation,{today},",
            "C01X00T47,employee-resigned,30/11/2026,",
            f"C01X00T47,violation,{today},again",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert not UnitReport.objects.exists()
    rows = re.findall(r"<tr><td>(\d+)</td><td>([a-z_]+)</td>", body)
    assert rows == [("3", "travel_document_number"), ("4", "happened_on"), ("5", "event")]


def test_every_fault_of_a_row_is_shown_not_only_the_first(handler, place, today):
    response = upload(client_for(handler), csv_file("X99999999,quit,2026-13-40,"))
    body = response.content.decode()
    assert response.status_code == 422 and not UnitReport.objects.exists()
    rows = re.findall(r"<tr><td>(\d+)</td><td>([a-z_]+)</td>", body)
    assert rows == [("2", "travel_document_number"), ("2", "event"), ("2", "happened_on")]
    assert "the roster&#x27;s page and its download show each person&#x27;s number" in body


@pytest.mark.parametrize(
    ("lang", "skipped"), [("en", "2 blank rows were skipped."), ("zh-hans", "已跳过2个空行。")]
)
def test_blank_rows_are_skipped_and_counted_and_rows_keep_their_numbers(handler, place, today, lang, skipped):
    """A newcomer's finding: a row ",,," gave three errors, one quoting an empty event ("“”")."""
    client = client_for(handler)
    address = url("unit_report_upload").replace("/en/", f"/{lang}/", 1)
    wrong = csv_file(",,,", "", f"X99999999,violation,{today},")
    refused = client.post(address, {"file": SimpleUploadedFile("r.csv", wrong, "text/csv")})
    body = refused.content.decode()
    assert refused.status_code == 422 and not UnitReport.objects.exists()
    assert re.findall(r"<tr><td>(\d+)</td>", body) == ["4"]  # the row as the spreadsheet numbers it
    assert skipped in body
    good = csv_file(f"C01X00T47,violation,{today},", ",,,", " , ,, ")
    filed = client.post(address, {"file": SimpleUploadedFile("r.csv", good, "text/csv")})
    body = filed.content.decode()
    assert filed.status_code == 200 and UnitReport.objects.count() == 1 and skipped in body


def test_an_empty_cell_is_asked_for_never_quoted_as_empty(handler, place, today):
    body = upload(client_for(handler), csv_file(f",,{today},note")).content.decode()
    errors = body.split('role="alert"', 1)[1].split("</table>", 1)[0]  # the page's markup has href="" too
    assert "“”" not in errors and "(empty)" not in errors and '""' not in errors
    assert "Give the event; the events this unit reports are:" in body
    assert "Give the person&#x27;s travel document number; the roster&#x27;s page" in body
    zh = client_for(handler).post(
        url("unit_report_upload").replace("/en/", "/zh-hans/", 1),
        {"file": SimpleUploadedFile("r.csv", csv_file(f",,{today},"), "text/csv")},
    )
    said = zh.content.decode()
    assert "“”" not in said and "（空）" not in said
    assert "请填写报告事项；本单位的报告事项有：" in said and "请填写旅行证件号码；" in said


def test_a_file_of_blank_rows_only_has_no_reports(handler):
    response = upload(client_for(handler), csv_file(",,,", ",,,"))
    assert response.status_code == 422 and "no reports" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "The file is empty."),
        (
            b"name,date\r\nx,y\r\n",
            "first line must name the columns: travel_document_number, event, happened_on, note.",
        ),
        (b"travel_document_number,event,date,note\r\n", "no reports"),
        ("travel_document_number,event,date,note\r\nä,b,c,d\r\n".encode("latin-1"), "not UTF-8"),
        (
            b"travel_document_number,event,date,note\r\n" + b"A,violation,2026-01-01,\r\n" * 1001,
            "more than 1000",
        ),
        (b"travel_document_number,event,date,note\r\n" + b"x" * (512 * 1024), "larger than 512 KB"),
        (b"travel_document_number,event,date,note\r\nX1\x002,violation,2026-01-01,\r\n", "NUL"),
        (b'travel_document_number,event,date,note\r\n"' + b"x" * 200_000 + b'",violation,,\r\n', "readable"),
    ],
    ids=[
        "empty",
        "wrong header",
        "no rows",
        "not UTF-8",
        "too many rows",
        "too large",
        "a NUL",
        "a huge field",
    ],
)
def test_a_wrong_file_is_refused_with_a_clear_reason(handler, content, said):
    response = upload(client_for(handler), content)
    body = response.content.decode()
    assert response.status_code == 422 and said in body, body[body.find("<main") : body.find("</main>")]
    assert not UnitReport.objects.exists()


@pytest.mark.parametrize("kind, event", [("employer", "employee-resigned"), ("school", "student-graduated")])
def test_the_template_has_the_header_and_one_example_row_of_the_units_kind(kind, event, today):
    handler = unit_handler(UnitFactory(kind=kind))
    response = client_for(handler).get(url("unit_report_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["travel_document_number", "event", "happened_on", "note"]
    assert example[1] == event and date.fromisoformat(example[2]) <= today and "replace" in example[3].lower()
    page = client_for(handler).get(url("unit_report_upload")).content.decode()
    assert "one example row: replace it with your reports" in page
    zh = client_for(handler).get(url("unit_report_upload").replace("/en/", "/zh-hans/")).content.decode()
    assert "示例行" in zh


def test_an_error_names_the_column_as_the_file_does(handler, place, today):
    response = upload(
        client_for(handler),
        csv_file(f"C01X00T47,violation,{today + timedelta(days=1)},", "C01X00T47,violation,2020-01-01,"),
    )
    body = response.content.decode()
    rows = re.findall(r"<tr><td>(\d+)</td><td>([a-z_]+)</td>", body)
    assert rows == [("2", "happened_on"), ("3", "travel_document_number")]
    assert "<td>person</td>" not in body and "<td>person_id</td>" not in body


def test_a_bad_event_lists_only_the_events_the_units_kind_files(handler, place, today):
    response = upload(
        client_for(handler), csv_file(f"C01X00T47,quit,{today},", f"C01X00T47,student-left,{today},")
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert re.findall(r"<tr><td>(\d+)</td><td>([a-z_]+)</td>", body) == [("2", "event"), ("3", "event")]
    errors = body[body.index("Nothing was filed") :]
    errors = errors[: errors.index("</table>")]
    assert "employee-resigned" in errors and "other-circumstance" in errors
    assert "student-graduated" not in errors and "student-completed" not in errors
    zh = client_for(handler).post(
        url("unit_report_upload").replace("/en/", "/zh-hans/"),
        {"file": SimpleUploadedFile("r.csv", csv_file(f"C01X00T47,quit,{today},"), "text/csv")},
    )
    assert (
        "（employee-resigned）、聘用的外国人变更工作地域（employee-changed-work-location）"
        in zh.content.decode()
    )


def test_the_officer_sees_the_follow_up_in_the_alerts_and_the_report_on_the_person_page(
    handler, place, permit, today
):
    report = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "employee-resigned", today), source="web"
    )
    hall = officer("reception-hall")  # a person with no case nor address is the central hall's
    client = client_for(hall)
    alerts = client.get(url("alerts") + f"?ground={FOLLOW_UP_GROUND}").content.decode()
    assert f'data-alert="{report.follow_up_id}"' in alerts
    person = client.get(url("console_person", place.person_id)).content.decode()
    assert report.number in person and "Acme Robotics" in person
    assert url("console_permit", permit.pk) in person
    assert Alert.objects.get().closed_on is None


PAGES = ["unit_reports", "unit_report_new", "unit_report_upload", "unit_report_template"]
ONE = ["unit_report", "unit_report_pdf"]


def other_handler():
    return unit_handler()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("applicant", 403),
        ("officer", 403),
        ("institution", 403),
        ("agency", 403),
        ("own", 200),
        ("own admin", 200),
        ("other", 200),
        ("other admin", 200),
        ("removed", 302),
        ("our institution", 403),
        ("supervisor", 403),
    ],
)
def test_who_may_open_the_report_pages(handler, place, today, who, status):
    report = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "violation", today), source="web"
    )
    user = {
        "anonymous": None,
        "applicant": applicant(),
        "officer": officer("reception-hall"),
        "institution": UserFactory(role=Role.INSTITUTION),
        "agency": unit_handler(UnitFactory(kind=Unit.Kind.AGENCY)),
        "own": handler,
        "own admin": unit_handler(handler.unit, is_unit_admin=True),
        "other": other_handler(),
        "other admin": unit_handler(is_unit_admin=True),
        "removed": unit_handler(handler.unit, is_active=False),
        "our institution": UserFactory(role=Role.INSTITUTION, unit=handler.unit),
        "supervisor": officer("reception-hall", role=Role.SUPERVISOR),
    }[who]
    client = client_for(user)
    for name in PAGES:
        assert client.get(url(name)).status_code == status, name
    one = {"own": 200, "own admin": 200, "other": 404, "other admin": 404}.get(who, status)
    for name in ONE:
        assert client.get(url(name, report.pk)).status_code == one, name
    if who in ("other", "other admin"):
        assert report.number not in client.get(url("unit_reports")).content.decode()
        assert "WEBER" not in client.get(url("unit_report_new")).content.decode()
        response = client.post(
            url("unit_report_new"),
            {"person": place.person_id, "event": "died", "happened_on": today.isoformat()},
        )
        assert response.status_code == 422 and UnitReport.objects.count() == 1


def test_the_list_reads_the_same_number_of_queries_for_1_and_10_reports(handler, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        client = client_for(handler)
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url("unit_reports")).status_code == 200
        return len(seen)

    def add(n: int) -> None:
        for _ in range(n):
            place = AffiliationFactory(unit=handler.unit)
            file_report(
                actor(handler), handler.unit, Draft(place.person_id, "violation", today), source="web"
            )

    add(1)
    one = queries()
    add(9)
    assert queries() == one


@pytest.mark.parametrize(
    "language, row",
    [
        ("en", "<dt>Relation to the unit</dt><dd>Foreign employee</dd>"),
        ("zh-hans", "<dt>与单位的关系</dt><dd>聘用的外国人</dd>"),
    ],
)
def test_the_receipt_says_in_words_how_the_person_relates_to_the_unit(handler, place, today, language, row):
    client = client_for(handler)
    client.post(
        url("unit_report_new"),
        {"person": place.person_id, "event": "employee-resigned", "happened_on": today.isoformat()},
    )
    page = client.get(url("unit_report", UnitReport.objects.get().pk).replace("/en/", f"/{language}/"))
    html = page.content.decode()
    assert row in html and ">employee<" not in html


def test_the_events_table_says_whom_each_event_concerns_in_words(handler, place):
    page = client_for(handler).get(url("unit_report_upload")).content.decode()
    assert '<th scope="col">Concerns</th>' in page and "<td>Foreign employee</td>" in page
    assert ">Of<" not in page and "<td>employee</td>" not in page


def test_the_list_says_what_art_26_obliges_a_unit_to_report_item_by_item_from_the_law_core(handler):
    page = client_for(handler).get(url("unit_reports")).content.decode()
    items = [g for g in ground_kind("unit-report").grounds if g.in_force_on(beijing_today())]
    assert len(items) == 4
    for item in items:
        assert escape(item.text.en) in page and item.cite[0].section in page


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_roster_shows_a_report_filed_for_a_person_still_on_it(handler, place, permit, today, lang):
    """Resigned today, the person is on today's roster still: the row says what was reported, when,
    with the receipt linked."""
    report = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "employee-resigned", today), source="web"
    )
    page = client_for(handler).get(url("unit_people").replace("/en/", f"/{lang}/")).content.decode()
    row = re.search(rf'<tr data-person="{place.person_id}".*?</tr>', page, re.S).group(0)
    assert report.number in row and url("unit_report", report.pk).replace("/en/", f"/{lang}/") in row
    assert ("The employee resigned" if lang == "en" else "聘用的外国人离职") in row


def test_a_chinese_file_with_chinese_column_names_and_event_names_is_filed(handler, place, today):
    """The Chinese page's template has Chinese column names and the event's Chinese name; such a file, or
    one mixing the two languages, is read as the English one is."""
    zh_url = url("unit_report_template").replace("/en/", "/zh-hans/")
    template = client_for(handler).get(zh_url).content
    assert template.startswith("\ufeff".encode())  # so Excel reads the Chinese column names as UTF-8
    refused = upload(client_for(handler), template)  # its header is read; the example passport is no one's
    assert refused.status_code == 422 and "E12345678" in refused.content.decode()
    header, example = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    assert header == ["旅行证件号码", "报告事项", "发生日期", "备注"]
    assert example[1] == "聘用的外国人离职"
    content = (f"旅行证件号码,报告事项,发生日期,备注\r\nC01X00T47,违反出境入境管理规定,{today},\r\n").encode()
    response = upload(client_for(handler), content)
    assert response.status_code == 200, response.content.decode()
    assert UnitReport.objects.get().event == "violation"
    # the former column "date" of the templates downloaded before it was the API's "happened_on"
    mixed = f"travel_document_number,报告事项,date,note\r\nC01X00T47,The person died,{today},\r\n"
    assert upload(client_for(handler), mixed.encode()).status_code == 200
    assert set(UnitReport.objects.values_list("event", flat=True)) == {"violation", "died"}


def test_the_chinese_upload_page_names_the_chinese_columns():
    handler = unit_handler(UnitFactory(kind="employer"))
    zh = client_for(handler).get(url("unit_report_upload").replace("/en/", "/zh-hans/")).content.decode()
    assert "<code>旅行证件号码</code>（travel_document_number）" in zh and "编号或名称之一" in zh


def test_a_chinese_files_errors_name_its_chinese_columns_and_the_events_chinese_names(handler, place, today):
    content = f"旅行证件号码,报告事项,发生日期,备注\r\nX99999999,辞职,{today},\r\n".encode()
    zh_upload = url("unit_report_upload").replace("/en/", "/zh-hans/")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(handler).post(zh_upload, {"file": SimpleUploadedFile("r.csv", content, "text/csv")})
    body = response.content.decode()
    assert response.status_code == 422
    assert (
        "<td>旅行证件号码</td>" in body
        and "<td>报告事项</td>" in body
        and "<td>travel_document_number</td>" not in body
    )
    assert "聘用的外国人离职（employee-resigned）" in body


def test_the_receipt_and_its_check_name_the_passport_the_report_was_made_on_not_a_later_one(
    handler, place, today
) -> None:
    """A receipt printed after the person's new passport, and its online check, name the passport the
    person held when the unit reported; the check says in words that there is another one since."""
    report = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "violation", today), source="web"
    )
    TravelDocumentFactory(
        person=place.person, number="C01X00T99", issued_on=today, expires_on=today + timedelta(days=3652)
    )
    words = "".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(client_for(handler).get(url("unit_report_pdf", report.pk)).content)
        ).pages
    )
    assert "C01X00T47" in words and "C01X00T99" not in words
    body = client_for(None).get(f"/api/v1/verify/{make_token('unit-report', report.number)}").json()
    assert body["passport_ends"] == "0T47" and "another passport" in body["passport_note"]["en"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_events_table_and_a_death_receipt_say_the_law_cores_one_cancellation(
    handler, place, permit, today, language
):
    """Exit and Entry Administration Law Art. 40 para. 2, as ``law.rules.unit_reports`` words it once."""
    client = client_for(handler)
    side = "zh" if language == "zh-hans" else "en"
    table = client.get(url("unit_report_new").replace("/en/", f"/{language}/")).content.decode()
    assert escape(CANCELLED_ON_DEATH.format(permit=RUNNING_PERMIT).get(side)) in table
    client.post(
        url("unit_report_new"),
        {"person": place.person_id, "event": "died", "happened_on": today.isoformat()},
    )
    effects = [line.text.get(side) for line in document_of(UnitReport.objects.get()).effects]
    said = CANCELLED_ON_DEATH.format(
        permit=Text(f"residence permit {permit.number}", f"居留证件{permit.number}")
    )
    assert said.get(side) in effects


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_roster_and_a_receipt_name_the_registrys_passport_not_one_awaiting_the_halls_check(
    handler, place, today, lang
) -> None:
    """A passport given online that runs longer (a claim, ``TravelDocument.claim``) is not the registry's
    until the hall checks it: the unit's report names, and its roster shows, the one on record."""
    TravelDocumentFactory(
        person=place.person,
        number="C01X00T99",
        issued_on=today - timedelta(days=1),
        expires_on=today + timedelta(days=3652),
        claim=True,
    )
    report = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "violation", today), source="web"
    )
    assert report.travel_document.number == "C01X00T47"
    client = client_for(handler)
    words = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(client.get(url("unit_report_pdf", report.pk)).content)).pages
    )
    assert "C01X00T47" in words and "C01X00T99" not in words
    page = client.get(url("unit_people").replace("/en/", f"/{lang}/")).content.decode()
    row = re.search(rf'<tr data-person="{place.person_id}".*?</tr>', page, re.S).group(0)
    assert "C01X00T47" in row and "C01X00T99" not in row
    check = client_for(None).get(f"/api/v1/verify/{make_token('unit-report', report.number)}").json()
    assert check["passport_ends"] == "0T47" and check["passport_note"] is None  # the claim changes nothing


@pytest.mark.parametrize(("lang", "said"), [("en", "The file is empty."), ("zh-hans", "文件为空。")])
def test_an_empty_file_is_said_to_be_empty_as_a_material_upload_is(handler, lang, said):
    address = url("unit_report_upload").replace("/en/", f"/{lang}/", 1)
    for content in (b"", "\ufeff".encode(), b"\r\n \r\n"):
        response = client_for(handler).post(
            address, {"file": SimpleUploadedFile("reports.csv", content, "text/csv")}
        )
        assert response.status_code == 422
        body = response.content.decode()
        assert said in body and "first line" not in body and "第一行" not in body


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "Choose the event to report."), ("zh-hans", "请选择报告事项。")]
)
def test_the_empty_form_says_every_missing_field_the_event_too(handler, place, lang, said):
    response = client_for(handler).post(url("unit_report_new").replace("/en/", f"/{lang}/", 1), {})
    assert response.status_code == 422
    body = response.content.decode()
    assert said in body and 'id="event-error"' in body
    assert 'id="person-error"' in body and 'id="happened_on-error"' in body
    assert not UnitReport.objects.exists()


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_resignation_filed_in_another_tab_keeps_the_form_and_links_the_receipt(handler, place, today, lang):
    """The second tab's report is refused; the form keeps the person, the event and the day (the person left
    the roster with the first report), and the refusal links the receipt already filed."""
    day = today - timedelta(days=2)
    data = {"person": place.person_id, "event": "employee-resigned", "happened_on": day.isoformat()}
    client = client_for(handler)
    assert client.post(url("unit_report_new"), data).status_code == 302
    earlier = UnitReport.objects.get()
    response = client.post(url("unit_report_new").replace("/en/", f"/{lang}/"), data)
    body = response.content.decode()
    assert response.status_code == 422 and UnitReport.objects.count() == 1
    assert f'<option value="{place.person_id}" selected>' in body
    assert 'value="employee-resigned" selected' in body and f'value="{day.isoformat()}"' in body
    receipt = reverse("web:unit_report", args=[earlier.pk]).replace("/en/", f"/{lang}/")
    assert f'<a href="{receipt}">{earlier.number}</a>' in body


@pytest.mark.parametrize(
    ("lang", "label", "heading"),
    [
        ("en", "The employee resigned", "What to write in the file’s column “event”"),
        ("zh-hans", "聘用的外国人离职", "在文件的“报告事项”列中填写"),
    ],
)
def test_the_upload_page_names_each_event_in_the_pages_language_its_file_value_in_a_column_of_its_own(
    handler, place, lang, label, heading
):
    response = client_for(handler).get(url("unit_report_upload").replace("/en/", f"/{lang}/"))
    table = response.content.decode().split('class="events-to-report"', 1)[1]
    assert heading in table
    row = next(r for r in table.split("<tr>")[1:] if "employee-resigned" in r)
    first, value = row.split("</td>")[:2]
    assert label in first and "employee-resigned" not in first
    assert value.endswith('<code class="file-value">employee-resigned</code>')
    if lang == "zh-hans":
        assert "resigned" not in first and stray(response) == []


def test_a_wrong_header_is_refused_in_chinese_with_the_columns_after_a_colon(handler):
    client = client_for(handler)
    response = client.post(
        url("unit_report_upload").replace("/en/", "/zh-hans/"),
        {"file": SimpleUploadedFile("r.csv", b"name,date\r\nx,y\r\n", content_type="text/csv")},
    )
    assert response.status_code == 422
    assert "第一行须为列名：旅行证件号码、报告事项、发生日期、备注" in response.content.decode()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "<code>happened_on</code>"),
        ("zh-hans", "<code>发生日期</code>（happened_on）"),
    ],
)
def test_the_upload_page_names_each_column_as_the_apis_field(handler, lang, said):
    page = client_for(handler).get(f"/{lang}/unit/reports/upload/").content.decode()
    assert said in page and "/api/v1/units/me/reports" in page
