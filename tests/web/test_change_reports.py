"""A holder's report of a change of the reason for residence (Exit and Entry Administration Law Art. 33)
against the Art. 34(3) notice and voiding, over HTTP: the holder's page says what to do and by when once a
unit reported the change, takes the report and shows its receipt; the officers' permit page records one
at the counter and says, in both languages, whether a notice may be published and whether voiding may
follow; the person's page says it beside the follow-up alert."""

from __future__ import annotations

import io
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from page_world import client_for, html  # noqa: F401 - autouse fixture pages_today
from pypdf import PdfReader

import unit_world
from exitentry.accounts.models import AuditEntry
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.compliance import change_reports, unit_reports
from exitentry.compliance.models import Alert, ChangeReport, PublicNotice, UnitReport
from exitentry.compliance.report_receipts import change_document
from exitentry.compliance.unit_reports import Draft, file_report
from exitentry.documents.tokens import make_token
from exitentry.law.rules.duties import particulars_change_due
from exitentry.law.rules.public_notice import NOTICE_GROUND, notice_period_ends
from exitentry.law.sources import Citation
from exitentry.law.text import day_text
from exitentry.registry import services as registry
from exitentry.registry.models import Permit
from factories import (
    TODAY,
    AffiliationFactory,
    PermitFactory,
    PersonFactory,
    TravelDocumentFactory,
    actor,
    applicant,
    officer,
    unit_handler,
)
from holder_roles import who

pytestmark = pytest.mark.django_db
CHANGED = TODAY - timedelta(days=40)
DUE = particulars_change_due(CHANGED)
PUBLISHED = DUE + timedelta(days=5)
VOIDABLE = notice_period_ends(PUBLISHED) + timedelta(days=1)


def reason_changed(permit: Permit, on: date) -> UnitReport:
    """The holder's employer reported that they resigned on ``on``, with the hall's follow-up alert."""
    alert = Alert.objects.create(
        person=permit.person,
        ground_id="follow-up-reason-for-residence-changed",
        cause_key=f"report:{permit.pk}",
        source_id="regulations",
        section="Art. 34(3)",
        opened_on=on,
    )
    return unit_world.reason_changed(permit, on, follow_up=alert)


def applied_at_the_hall(user) -> Case:
    """An application of the holder's under way at the reception hall: the hall reads them whatever becomes
    of the follow-up alert (a holder's report closes it)."""
    return Case.objects.create(
        reference="BJ202670000009",
        procedure_id="rp-work",
        person=user.person,
        submitted_by=user,
        acting_as="self",
        hall_id="reception-hall",
        state=State.SUBMITTED,
        submitted_on=CHANGED - timedelta(days=60),
    )


@pytest.fixture(autouse=True)
def reports_today(monkeypatch):
    monkeypatch.setattr("exitentry.compliance.change_reports.beijing_today", lambda *_: TODAY)


@pytest.fixture
def holder():
    user = applicant(person=PersonFactory(given_names="Anna", surname="Schmidt"))
    permit = PermitFactory(person=user.person, issued_on=date(2025, 12, 1), valid_until=date(2027, 12, 1))
    return user, permit


def on_day(monkeypatch, day: date) -> None:
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: day)
    monkeypatch.setattr("exitentry.compliance.change_reports.beijing_today", lambda *_: day)


def report(client, permit: Permit, changed_on: date, lang: str = "en", particular: str = "reason"):
    return client.post(
        f"/{lang}/my/permits/{permit.pk}/change-report/",
        {"particular": particular, "changed_on": changed_on.isoformat(), "note": "Left the company."},
    )


# --- the scenarios: the holder reports (or not), the officer publishes and voids ---------------------

SCENARIOS = [
    # (the day the holder reports, or None; the notice is tried on PUBLISHED and voiding on VOIDABLE)
    pytest.param(CHANGED + timedelta(days=3), 409, 409, "within the period", id="reported-in-time"),
    pytest.param(DUE + timedelta(days=2), 409, 409, "before any public notice", id="late-before-notice"),
    pytest.param(PUBLISHED + timedelta(days=2), 302, 409, "after the public notice", id="after-notice"),
    pytest.param(None, 302, 302, "may be declared void", id="never"),
]


@pytest.mark.parametrize(("reported", "publish", "void", "words"), SCENARIOS)
def test_who_is_noticed_and_voided_after_reporting_or_not(
    monkeypatch, holder, reported, publish, void, words
):
    user, permit = holder
    alert = reason_changed(permit, CHANGED).follow_up
    applied_at_the_hall(user)
    desk = client_for(officer("reception-hall"))
    url = f"/en/console/permits/{permit.pk}/"
    if reported is not None and reported < PUBLISHED:
        on_day(monkeypatch, reported)
        assert report(client_for(user), permit, CHANGED).status_code == 302
    on_day(monkeypatch, PUBLISHED)
    assert desk.post(url + "notice/", {"confirm": "on"}).status_code == publish
    if reported is not None and reported >= PUBLISHED:
        on_day(monkeypatch, reported)
        assert report(client_for(user), permit, CHANGED).status_code == 302
    on_day(monkeypatch, VOIDABLE)
    page = html(desk.get(url))
    assert words in page
    assert "needs a public notice first" not in page  # a notice was published, or none is due
    voided = desk.post(url + "void/", {"ground_id": NOTICE_GROUND, "confirm": "on"})
    assert voided.status_code == void
    if void == 409:
        assert words in html(voided)
    permit.refresh_from_db()
    assert permit.status == (Permit.Status.VOID if void == 302 else Permit.Status.VALID)
    alert.refresh_from_db()  # the holder's report or none, the officer decides on the basis (Art. 34(3))
    assert (alert.closed_on, alert.resolution) == (None, "")


def test_a_report_of_an_earlier_change_does_not_stop_the_notice_for_a_later_one(monkeypatch, holder):
    """The holder reported a change months before; the unit's later report is of another change, which
    nobody reported: the notice may be published."""
    user, permit = holder
    earlier = CHANGED - timedelta(days=120)
    on_day(monkeypatch, earlier + timedelta(days=2))
    assert report(client_for(user), permit, earlier).status_code == 302
    reason_changed(permit, CHANGED)
    on_day(monkeypatch, PUBLISHED)
    desk = client_for(officer("reception-hall"))
    assert desk.post(f"/en/console/permits/{permit.pk}/notice/", {"confirm": "on"}).status_code == 302
    assert PublicNotice.objects.filter(permit=permit).exists()


def test_applying_to_renew_the_permit_reports_the_change_on_its_filing_day(monkeypatch, holder):
    user, permit = holder
    reason_changed(permit, CHANGED)
    Case.objects.create(
        reference="BJ202670000001",
        procedure_id="rp-renewal",
        person=user.person,
        submitted_by=user,
        acting_as="self",
        hall_id="reception-hall",
        state=State.SUBMITTED,
        submitted_on=CHANGED + timedelta(days=4),
        permit=permit,
    )
    on_day(monkeypatch, PUBLISHED)
    desk = client_for(officer("reception-hall"))
    refused = desk.post(f"/en/console/permits/{permit.pk}/notice/", {"confirm": "on"})
    assert refused.status_code == 409 and not PublicNotice.objects.exists()
    assert day_text(CHANGED + timedelta(days=4)).en in html(refused)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_person_page_says_beside_the_alert_whether_a_notice_may_follow(monkeypatch, holder, lang):
    user, permit = holder
    reason_changed(permit, CHANGED)
    applied_at_the_hall(user)
    on_day(monkeypatch, CHANGED + timedelta(days=2))
    report(client_for(user), permit, CHANGED)
    on_day(monkeypatch, PUBLISHED)
    page = html(client_for(officer("reception-hall")).get(f"/{lang}/console/people/{permit.person_id}/"))
    assert (
        "Art. 34(3) does not reach them"
        if lang == "en"
        else "不适用《中华人民共和国外国人入境出境管理条例》第三十四条第（三）项"
    ) in page


@pytest.mark.parametrize("holder_first", [True, False], ids=["holder-first", "unit-first"])
def test_one_follow_up_names_both_reports_in_the_alerts_list_and_on_the_person_page(
    monkeypatch, holder, holder_first
):
    user, permit = holder
    monkeypatch.setattr("exitentry.compliance.unit_reports.beijing_today", lambda *_: TODAY)
    handler = unit_handler()
    AffiliationFactory(unit=handler.unit, person=user.person)
    applied_at_the_hall(user)
    resigned = Draft(user.person_id, "employee-resigned", TODAY - timedelta(days=3))
    for side in ("holder", "unit") if holder_first else ("unit", "holder"):
        if side == "holder":
            assert report(client_for(user), permit, TODAY - timedelta(days=4)).status_code == 302
        else:
            unit = file_report(actor(handler), handler.unit, resigned, source="web")
    told = ChangeReport.objects.get(permit=permit)
    alert = Alert.objects.get(ground_id="follow-up-reason-for-residence-changed")
    assert told.follow_up == alert == unit.follow_up
    desk = client_for(officer("reception-hall"))
    status = "open"  # either order: open for the officer's decision on the basis (Art. 34(3))
    for lang, unit_words, holder_words in (
        ("en", "Unit's report ", "Holder's report "),
        ("zh-hans", "单位报告", "持证人报告"),
    ):
        listed = html(desk.get(f"/{lang}/console/alerts/?status={status}"))
        assert listed.count("data-alert=") == 1
        assert unit_words + unit.number in listed and holder_words + told.number in listed
        page = html(desk.get(f"/{lang}/console/people/{user.person_id}/"))
        assert page.count('class="alert-card') == 1
        card = page[page.index('class="alert-card') : page.index("</article>")]
        assert unit.number in card and told.number in card
    page = html(desk.get(f"/en/console/people/{user.person_id}/"))
    said = "decide whether the permit still has a basis" if holder_first else "of the same change"
    assert said in page
    # unit-first: the note that the holder's report joined is in the alert's history, in both languages
    joined = change_reports.joined_note(told, unit)
    for lang, heading, note in (
        ("en", "The holder's report joined this follow-up", joined.en),
        ("zh-hans", "持证人报告已并入本次跟进", joined.zh),
    ):
        page = html(desk.get(f"/{lang}/console/people/{user.person_id}/"))
        history = unescape(page[page.index('class="alert-card') : page.index("</article>")])
        assert (heading in history and note in history) is not holder_first, lang
    assert "No public notice follows" in joined.en and "不再发布公告" in joined.zh


def test_an_officer_records_the_holders_report_at_the_counter(monkeypatch, holder):
    user, permit = holder
    reason_changed(permit, CHANGED)
    applied_at_the_hall(user)
    on_day(monkeypatch, DUE)
    desk = officer("reception-hall")
    url = f"/en/console/permits/{permit.pk}/"
    post = {"particular": "reason", "changed_on": CHANGED.isoformat()}
    assert client_for(desk).post(url + "change-report/", post).status_code == 302
    made = ChangeReport.objects.get(permit=permit)
    assert (made.source, made.filed_by, made.reported_on) == ("counter", desk, DUE)
    assert made.number in html(client_for(desk).get(url))
    filed_by = change_document(made).filed_by  # the receipt names the hall, never the officer's account
    assert "Reception Hall" in filed_by.en and "counter" in filed_by.en and "窗口" in filed_by.zh
    assert desk.username not in filed_by.en + filed_by.zh
    stranger = officer("shijingshan")
    assert client_for(stranger).post(url + "change-report/", post).status_code == 404


# --- the holder's pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_holder_sees_what_to_do_and_by_when_then_the_receipt(monkeypatch, holder, lang):
    user, permit = holder
    changed = TODAY - timedelta(days=3)
    reason_changed(permit, changed)
    client = client_for(user)
    due = day_text(particulars_change_due(changed))
    for url in (f"/{lang}/my/permits/{permit.pk}/", f"/{lang}/my/people/{user.person_id}/permits/"):
        page = html(client.get(url))
        assert (due.en if lang == "en" else due.zh) in page
        assert ("Art. 33" if lang == "en" else "第三十三条") in page
    answer = report(client, permit, changed, lang)
    assert answer.status_code == 302
    made = ChangeReport.objects.get(permit=permit)
    assert (made.particular, made.changed_on, made.reported_on, made.source) == (
        "reason",
        changed,
        TODAY,
        "web",
    )
    page = html(client.get(answer.url))
    assert made.number in page
    assert ("was reported on" if lang == "en" else "已于") in page
    # the receipt is not the change itself: the holder is told how the permit is changed
    assert ("changed only by applying for its change" if lang == "en" else "申请办理变更") in page
    entry = AuditEntry.objects.get(action="permit.change_report")
    assert entry.object_id == str(permit.pk) and entry.new["number"] == made.number


@pytest.mark.parametrize(
    ("changed_on", "particular", "words"),
    [
        (TODAY + timedelta(days=1), "reason", "cannot be after today"),
        (date(2025, 11, 30), "reason", "cannot be earlier"),
        (TODAY, "shoe-size", "Choose what changed"),
    ],
)
def test_a_wrong_report_is_refused_in_both_languages(holder, changed_on, particular, words):
    user, permit = holder
    answer = report(client_for(user), permit, changed_on, particular=particular)
    assert answer.status_code == 422 and words in html(answer)
    zh = report(client_for(user), permit, changed_on, "zh-hans", particular=particular)
    assert zh.status_code == 422 and "变更" in html(zh)
    assert not ChangeReport.objects.exists()


def test_a_bad_date_and_the_same_report_twice_are_refused(holder):
    user, permit = holder
    client = client_for(user)
    url = f"/en/my/permits/{permit.pk}/change-report/"
    assert client.post(url, {"particular": "reason", "changed_on": "not a day"}).status_code == 422
    assert report(client, permit, TODAY).status_code == 302
    again = report(client, permit, TODAY)
    number = ChangeReport.objects.get().number
    assert again.status_code == 422 and number in html(again)


def test_a_stranger_gets_404_and_an_ended_permit_takes_no_report(holder):
    user, permit = holder
    assert report(client_for(applicant()), permit, TODAY).status_code == 404
    expired = PermitFactory(
        person=user.person, issued_on=date(2025, 1, 2), valid_until=TODAY - timedelta(days=1)
    )
    assert report(client_for(user), expired, TODAY - timedelta(days=5)).status_code == 422
    registry.end_permit(permit, Permit.Status.VOID, "void-damaged-lost-stolen-robbed", on=TODAY)
    assert report(client_for(user), permit, TODAY).status_code == 422
    assert not ChangeReport.objects.exists()


def test_the_counter_offers_no_change_report_form_on_a_visa():
    visa = PermitFactory(kind="visa", permit_type="", valid_until=TODAY + timedelta(days=90))
    Alert.objects.create(
        person=visa.person, ground_id="follow-up-reason-for-residence-changed", cause_key="report:visa",
        source_id="regulations", section="Art. 34(3)", opened_on=TODAY,
    )  # fmt: skip
    page = html(client_for(officer("reception-hall")).get(f"/en/console/permits/{visa.pk}/"))
    # a report of a change is a residence permit's (Exit and Entry Administration Law Art. 33): no section
    assert "/change-report/" not in page and "The holder's reports of a change" not in page


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_change_duty_is_dated_from_the_day_the_unit_reported(holder, lang):
    """My permits' Art. 33 duty, undated while nothing is on record, runs from the unit's day once a unit
    reported the change, and says what changed."""
    user, permit = holder
    client = client_for(user)
    url = f"/{lang}/my/people/{user.person_id}/permits/"
    undated = "No date here" if lang == "en" else "此处无日期"
    assert undated in html(client.get(url))
    changed = TODAY - timedelta(days=3)
    reason_changed(permit, changed)
    page = html(client.get(url))
    due = day_text(particulars_change_due(changed))
    duty = page.split('<ul class="duties">', 1)[1].split("</ul>", 1)[0]
    assert undated not in page
    assert (due.en if lang == "en" else due.zh) in duty
    assert ("Art. 33" if lang == "en" else "第三十三条") in duty
    changed_words = day_text(changed)
    assert ("reason for residence" if lang == "en" else "居留事由") in duty
    assert (changed_words.en if lang == "en" else changed_words.zh) in duty


def test_the_holder_gets_the_reports_bilingual_receipt_whose_code_checks_as_genuine(holder):
    user, permit = holder
    client = client_for(user)
    changed = TODAY - timedelta(days=2)
    reason_changed(permit, changed)
    assert report(client, permit, changed).status_code == 302
    made = ChangeReport.objects.get()
    pdf_url = f"/en/my/permits/{permit.pk}/change-reports/{made.pk}/receipt.pdf"
    assert pdf_url in html(client.get(f"/en/my/permits/{permit.pk}/"))
    document = client.get(pdf_url)
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(document.content)).pages)
    for words in (made.number, permit.number, "Reason for residence", "居留事由", "第三十三条", "/verify/"):
        assert words in text, words
    assert "The holder (online)" in text and "持证人本人（网上）" in text and user.username not in text
    assert AuditEntry.objects.filter(action="document.read", object_type="changereport").exists()
    token = make_token("change-report", made.number)
    assert token.split(":")[0] in text.replace("\n", "")
    check = html(client_for(None).get(f"/verify/{token}"))
    assert "Genuine" in check or "真实" in check
    assert client_for(applicant()).get(pdf_url).status_code == 404


def test_the_receipt_marks_a_passport_awaiting_the_hall_s_check_and_its_basis_lists_every_article(holder):
    user, permit = holder
    TravelDocumentFactory(
        person=user.person, number="E77123456", issued_on=TODAY - timedelta(days=5), claim=True
    )
    changed = TODAY - timedelta(days=2)
    reason_changed(permit, changed)
    assert report(client_for(user), permit, changed).status_code == 302
    made = ChangeReport.objects.get()
    cited = (Citation("exit-entry-law", "Art. 33"), Citation("regulations", "Art. 34(3)"))
    assert change_document(made).cite == tuple(c.label for c in cited)  # each article an item cites
    document = client_for(officer("reception-hall")).get(
        f"/en/console/permits/{permit.pk}/change-reports/{made.pk}/receipt.pdf"
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(document.content)).pages).replace("\n", "")
    assert "E77123456" in text and "awaiting the hall's check" in text and "待大厅核验" in text
    basis = text.split("第三十三条", 1)[1]
    assert "第三十四条第三项" in basis or "第三十四条第（三）项" in basis or "34(3)" in basis


def reported_with_a_passport_given_online(user, permit) -> None:
    """The holder (passport E77100001 on record) gave a new passport online (E77123456, a claim) and then
    reported the reason for residence changed two days ago."""
    TravelDocumentFactory(person=user.person, number="E77100001", issued_on=TODAY - timedelta(days=400))
    TravelDocumentFactory(
        person=user.person,
        number="E77123456",
        issued_on=TODAY - timedelta(days=5),
        expires_on=TODAY + timedelta(days=3652),
        claim=True,
    )
    changed = TODAY - timedelta(days=2)
    reason_changed(permit, changed)
    assert report(client_for(user), permit, changed).status_code == 302


def test_the_check_of_a_report_names_the_registrys_passport_not_one_awaiting_the_halls_check(holder):
    """An institution checking the receipt sees the passport on record: a passport given online and not
    yet checked by the hall (a claim) shows neither its digits nor a note of another passport."""
    user, permit = holder
    reported_with_a_passport_given_online(user, permit)
    token = make_token("change-report", ChangeReport.objects.get().number)
    check = client_for(None).get(f"/api/v1/verify/{token}").json()
    assert check["passport_ends"] == "0001" and check["passport_note"] is None


def test_the_receipt_names_the_passport_the_check_names_and_notes_the_one_given_online(holder):
    """The receipt and its check name the same passport, the registry's on the filing day (the check shows
    its last four characters); the one the holder gave online is on the receipt beside it, awaiting the
    hall's check, and never in its place."""
    user, permit = holder
    reported_with_a_passport_given_online(user, permit)
    made = ChangeReport.objects.get()
    printed = pdf_pages(
        client_for(user).get(f"/en/my/permits/{permit.pk}/change-reports/{made.pk}/receipt.pdf")
    )
    check = client_for(None).get(f"/api/v1/verify/{make_token('change-report', made.number)}").json()
    assert check["passport_ends"] == "0001"
    passport = printed[0].split("Passport No.", 1)[1].split("Date of birth", 1)[0]
    assert passport.split()[0].startswith("E77100001"), passport
    assert "E77123456" in passport and "awaiting the hall's check" in passport and "待大厅核验" in passport
    assert passport.index("E77100001") < passport.index("E77123456")


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_hall_follows_up_a_reason_change_only_the_holder_reported(holder, lang):
    user, permit = holder
    applied_at_the_hall(user)
    assert report(client_for(user), permit, TODAY - timedelta(days=1)).status_code == 302
    made = ChangeReport.objects.get()
    duty = html(client_for(user).get(f"/{lang}/my/permits/{permit.pk}/")).split('<ul class="duties">')[1]
    said = day_text(TODAY - timedelta(days=1))
    assert ("as the holder reported it" if lang == "en" else "持证人报告") in duty
    assert (said.en if lang == "en" else said.zh) in duty.split("</ul>")[0]
    alert = Alert.objects.get(ground_id="follow-up-reason-for-residence-changed")
    assert alert.closed_on is None and alert.person_id == user.person_id
    page = html(client_for(officer("reception-hall")).get(f"/{lang}/console/people/{permit.person_id}/"))
    assert made.number in page and f"/console/permits/{permit.pk}/#change-reports" in page
    assert ("decide whether the permit still has a basis" if lang == "en" else "是否仍有居留依据") in page
    assert ("The holder reported that the reason" if lang == "en" else "持证人报告在有效期内") in page
    alerts = html(client_for(officer("reception-hall")).get(f"/{lang}/console/alerts/"))
    row = alerts.split(f"/console/people/{permit.person_id}/", 1)[1].split("</tr>", 1)[0]
    assert ("The holder reported that the reason" if lang == "en" else "持证人报告在有效期内") in row
    assert ("A unit reported" if lang == "en" else "单位报告") not in row


# --- the officers' permit page links each report's receipt -------------------------------------------


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_officer_opens_the_receipt_of_each_report_of_the_permit_from_its_page(holder, lang):
    """The holder's report and the unit's report that named the permit each link their receipt, as their
    filers got it, for the hall that reads the holder only; each reading is audited."""
    user, permit = holder
    unit_report = reason_changed(permit, CHANGED)
    applied_at_the_hall(user)
    assert report(client_for(user), permit, CHANGED).status_code == 302
    made = ChangeReport.objects.get(permit=permit)
    desk = officer("reception-hall")
    page = html(client_for(desk).get(f"/{lang}/console/permits/{permit.pk}/"))
    base = f"/{lang}/console/permits/{permit.pk}"
    change_url = f"{base}/change-reports/{made.pk}/receipt.pdf"
    unit_url = f"{base}/unit-reports/{unit_report.pk}/receipt.pdf"
    assert change_url in page and unit_url in page and unit_report.number in page
    assert ("Receipt (PDF, Chinese and English)" if lang == "en" else "回执（PDF，中英文）") in page
    for url, number, kind in (
        (change_url, made.number, "changereport"),
        (unit_url, unit_report.number, "unitreport"),
    ):
        printed = pdf_pages(client_for(desk).get(url))
        assert len(printed) == 1 and number in printed[0] and "/verify/" in printed[0]
        assert AuditEntry.objects.filter(action="document.read", object_type=kind, actor=desk).count() == 1
    handler = unit_report.filed_by  # the unit that reads the holder (its roster) and filed the report
    proxy = who("proxy with a case", user.person)
    assert client_for(proxy).get(f"/{lang}/my/permits/{permit.pk}/").status_code == 200  # reads the person
    strangers = ((officer("shijingshan"), 404), (applicant(), 403), (user, 403), (handler, 403), (proxy, 403))
    for stranger, status in strangers:
        for url in (change_url, unit_url):
            assert client_for(stranger).get(url).status_code == status, (stranger.username, url)
    other = PermitFactory(person=user.person, issued_on=permit.issued_on, valid_until=permit.valid_until)
    assert client_for(desk).get(change_url.replace(f"/{permit.pk}/", f"/{other.pk}/")).status_code == 404


def test_the_console_receipts_read_the_rule_of_the_api_and_the_passport_with_the_report(holder, monkeypatch):
    """The console's receipts are found as the API's (``change_reports.readable_by``,
    ``unit_reports.receipts_for``), the unit report's passport read with it (no query of its own)."""
    user, permit = holder
    unit_report = reason_changed(permit, CHANGED)
    passport = TravelDocumentFactory(person=user.person)
    UnitReport.objects.filter(pk=unit_report.pk).update(travel_document=passport)
    applied_at_the_hall(user)
    assert report(client_for(user), permit, CHANGED).status_code == 302
    made = ChangeReport.objects.get(permit=permit)
    desk = client_for(officer("reception-hall"))
    base = f"/en/console/permits/{permit.pk}"
    unit_url, change_url = (
        f"{base}/unit-reports/{unit_report.pk}/receipt.pdf",
        f"{base}/change-reports/{made.pk}/receipt.pdf",
    )
    with CaptureQueriesContext(connection) as read:
        printed = pdf_pages(desk.get(unit_url))
    assert passport.number in printed[0]
    alone = [q["sql"] for q in read.captured_queries if 'FROM "registry_traveldocument"' in q["sql"]]
    assert not alone, alone
    monkeypatch.setattr(change_reports, "readable_by", lambda user: ChangeReport.objects.none())
    monkeypatch.setattr(unit_reports, "receipts_for", lambda user: UnitReport.objects.none())
    assert desk.get(change_url).status_code == 404 and desk.get(unit_url).status_code == 404


@pytest.mark.parametrize(
    ("lang", "by", "label"),
    [
        ("en", "The holder (online)", "As written in the report:"),
        ("zh-hans", "持证人本人（网上）", "报告原文："),
    ],
)
def test_the_officers_page_says_who_filed_a_report_in_words_and_labels_its_note(holder, lang, by, label):
    """As the receipt does (``report_receipts.filed_by``): never an account's name; the note is quoted
    after a label saying it is the report's own words."""
    user, permit = holder
    reason_changed(permit, CHANGED)
    applied_at_the_hall(user)
    assert report(client_for(user), permit, CHANGED).status_code == 302
    page = html(client_for(officer("reception-hall")).get(f"/{lang}/console/permits/{permit.pk}/"))
    line = page.split('class="change-reports"', 1)[1].split("</li>", 1)[0]
    assert by in line and user.username not in line
    assert f'{label}{"" if lang == "zh-hans" else " "}<q class="as-written">Left the company.</q>' in line
