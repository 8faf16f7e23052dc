"""The applicant's pages over HTTP: my applications, one application, starting one from the advisor,
uploading, resubmitting and withdrawing; who may open which page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from advisor_forms import as_answers, form_with_class, hidden_fields
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from page_world import (  # noqa: F401 - pages_today is an autouse fixture
    APPLICANT_SIDE,
    HALL_SIDE,
    ROLES,
    client_for,
    html,
    make_world,
    pages_today,
    pdf,
)
from test_advisor import FAMILY_VISIT, click_through

from case_helpers import accepted, hall_accepts, hall_receives, started, submitted, upload_everything
from exitentry.accounts.models import AuditEntry, Role
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, Material
from exitentry.law.catalog import catalog
from exitentry.law.rules.residence import receipt_validity
from factories import TODAY, PermitFactory, PersonFactory, actor, applicant, eligible_facts, officer

pytestmark = pytest.mark.django_db


SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def linked(page: str, lang: str = "en") -> list[int]:
    """The case pages a page links to, in order."""
    return [int(pk) for pk in re.findall(rf'href="/{lang}/my/(\d+)/"', page)]


def received_with_notice(user, procedure_id: str = "rp-personal-affairs"):
    """A case at the hall with a one-time notice listing what is missing (nothing uploaded yet)."""
    case = submitted(user, procedure_id)
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    services.notify_deficiency(clerk, case, on=TODAY)
    return Case.objects.get(pk=case.pk)


# --- my applications ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["My applications", "Work-type residence permit", "Materials received at the hall", "Draft"]),
        ("zh-hans", ["我的申请", "工作类居留许可", "大厅已收件", "草稿，尚未提交"]),
    ],
)
def test_my_applications_lists_my_cases_newest_first_with_state_title_reference_and_deadline(lang, words):
    user = applicant()
    older = submitted(user, "rp-personal-affairs")
    hall_receives(actor(officer(older.hall_id)), older, on=TODAY)
    newer = started(user, "rp-work")
    submitted(applicant(), "rp-work")  # someone else's
    response = client_for(user).get(f"/{lang}/my/")
    assert response.status_code == 200
    page = html(response)
    for word in words:
        assert word in page, word
    assert linked(page, lang) == [newer.pk, older.pk]
    assert older.reference in page
    # the nearest deadline: processing started on receipt (TODAY), 7 working days -> Wed 11 Nov 2026
    expected = (
        "Expected ready on: <strong>Wed 11 November 2026</strong>" if lang == "en" else "2026年11月11日"
    )
    assert expected in page
    # running and not yet past its day: the status says so in each language, not a bare "due"
    status = {"en": "not yet due", "zh-hans": "未到期"}[lang]
    assert f'<span class="status status-due">{status}</span>' in page


def test_my_applications_records_which_cases_were_listed():
    user = applicant()
    case = submitted(user, "rp-work")
    client_for(user).get("/en/my/")
    entry = AuditEntry.objects.get(actor=user, action="case.list")
    assert entry.new == {"cases": [case.pk]}


def test_my_applications_is_paginated_by_fifty():
    handler_case = None
    user = applicant()
    for n in range(51):
        handler_case = started(user, "rp-work")
        if n < 50:  # one open draft per person and procedure: the earlier ones withdrawn
            services.withdraw(actor(user), handler_case, on=TODAY)
    first = html(client_for(user).get("/en/my/"))
    assert len(linked(first)) == 50 and "Page 1 of 2" in first
    second = html(client_for(user).get("/en/my/?page=2"))
    assert len(linked(second)) == 1
    assert linked(first)[0] == handler_case.pk


# --- one application ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Waiting for missing materials", "One-time notice", "missing", "History", "paused"]),
        ("zh-hans", ["待补正材料", "一次性告知书", "缺少", "办理记录", "暂停计时"]),
    ],
)
def test_the_case_page_shows_status_notice_items_deadlines_and_history(lang, words):
    user = applicant()
    case = received_with_notice(user)
    response = client_for(user).get(f"/{lang}/my/{case.pk}/")
    assert response.status_code == 200
    page = html(response)
    for word in words:
        assert word in page, word
    notice = case.deficiency_notices.get()
    assert notice.number in page
    for item in notice.items:
        assert item["text"]["en" if lang == "en" else "zh"] in page
    assert 'class="cite"' in page  # each item with its citation
    assert str(case.person) in page


def test_reading_a_case_page_writes_an_audit_entry_naming_the_reader():
    user = applicant()
    case = submitted(user, "rp-work")
    client_for(user).get(f"/en/my/{case.pk}/")
    entry = AuditEntry.objects.filter(action="case.read").get()
    assert (entry.actor, entry.actor_name, entry.object_type, entry.object_id) == (
        user,
        user.username,
        "case",
        str(case.pk),
    )


def test_the_receipt_shows_its_number_its_last_day_and_that_the_holder_resides_legally_with_it():
    user = applicant()
    case, clerk = accepted(user, "rp-work")
    receipt = case.receipt
    page = html(client_for(user).get(f"/en/my/{case.pk}/"))
    assert receipt.number in page
    # 15 working days from Mon 2 Nov 2026
    assert "<strong>Mon 23 November 2026</strong>" in page
    assert "resides legally while the passport is held" in page  # the law's own line, cited
    reside = receipt_validity(
        case.receipt.valid_until, catalog().procedure("rp-work")
    ).reside  # the law core's sentence, as the PDF prints it
    assert reside.en.replace("'", "&#x27;") in page and "Art. 18 para. 3" in page
    assert "Art. 13 para. 3" not in page  # Art. 13 is on visas and stay permits
    zh = html(client_for(user).get(f"/zh-hans/my/{case.pk}/"))
    assert "受理回执" in zh and "合法居留" in zh


def test_a_receipt_without_a_period_says_it_serves_while_the_passport_is_held_and_cites_why():
    user = applicant()
    case, _ = accepted(user, "pr-application")
    assert case.receipt.valid_until is None
    page = html(client_for(user).get(f"/en/my/{case.pk}/"))
    assert "the sources set no validity" not in page
    rule = receipt_validity(
        None, catalog().procedure("pr-application")
    )  # the law core's one wording, as the receipt (PDF) prints it
    assert rule.text.en.replace("'", "&#x27;") in page
    assert "Art. 18 para. 3" in page and "Art. 13 para. 3" in page
    assert rule.reside.en.replace("'", "&#x27;") in page and "by analogy" in page
    zh = html(client_for(user).get(f"/zh-hans/my/{case.pk}/"))
    assert "资料未规定有效期" not in zh and rule.text.zh in zh and "第十八条第三款" in zh
    assert rule.reside.zh in zh


def test_the_decision_is_shown_with_its_validity():
    user = applicant()
    case, clerk = accepted(user, "rp-work")
    decision = services.decide(clerk, case, "approved", validity="P2Y", on=TODAY)
    page = html(client_for(user).get(f"/en/my/{case.pk}/"))
    assert decision.number in page and "Approved" in page and "2 years" in page
    assert "Withdraw this application" not in page


def test_an_unknown_case_is_404_and_shows_the_not_found_page():
    response = client_for(applicant()).get("/en/my/987654/")
    assert response.status_code == 404
    assert "Page not found" in html(response)
    assert "Traceback" not in html(response)


# --- starting an application --------------------------------------------------------------------


def test_the_advisors_answers_start_a_draft_for_my_own_person_and_i_submit_it_to_a_hall(client, beijing_at):
    """The answers travel as the advisor's forms carry them (hidden fields, here as query parameters)."""
    checklist = click_through(client, "en", FAMILY_VISIT)
    carried = hidden_fields(form_with_class(checklist, "optional-dates"))
    carried.pop("csrfmiddlewaretoken", None)
    user = applicant(person=PersonFactory(birth_date=date.fromisoformat(FAMILY_VISIT["birth_date"])))
    browser = client_for(user)
    offer = browser.get("/en/apply/rp-personal-affairs/", carried)
    assert offer.status_code == 200
    page = html(offer)
    assert "Start the application" in page and "Your answers" in page and "Visiting family" in page
    answers = hidden_fields(form_with_class(page, "start-application"))
    response = browser.post("/en/apply/rp-personal-affairs/", answers)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/my/{case.pk}/"
    assert (case.state, case.person, case.submitted_by) == (State.DRAFT, user.person, user)
    assert case.facts["ground"] == "family" and case.facts["validity"] == "P2Y"
    draft = html(browser.get(response["Location"]))
    assert "Your draft is saved" in draft and "Choose a hall and submit" in draft
    assert 'value="zhongguancun"' in draft
    confirmed = {"hall_id": "zhongguancun", "missing_confirmed": "on"}  # nothing uploaded yet
    submitted_ = browser.post(f"/en/my/{case.pk}/submit/", confirmed)
    assert submitted_.status_code == 302
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.hall_id == "zhongguancun" and case.reference


def test_eligible_facts_as_query_parameters_start_a_draft():
    user = applicant()
    browser = client_for(user)
    page = browser.get("/zh-hans/apply/rp-work/", as_answers(eligible_facts("rp-work")))
    assert page.status_code == 200 and "开始办理" in html(page)
    answers = hidden_fields(form_with_class(html(page), "start-application"))
    assert browser.post("/zh-hans/apply/rp-work/", answers).status_code == 302
    assert Case.objects.get().procedure_id == "rp-work"


def test_a_hall_that_does_not_take_the_procedure_is_refused_beside_the_field():
    user = applicant()
    case = started(user, "rp-journalist")
    response = client_for(user).post(
        f"/en/my/{case.pk}/submit/", {"hall_id": "chaoyang", "missing_confirmed": "on"}
    )
    assert response.status_code == 422
    assert (
        "cannot be submitted to Exit-Entry Administration &amp; Foreigner Service Center of Chaoyang"
        in html(response)
    )
    assert "choose one of: Exit-Entry Administration Reception Hall" in html(response)
    case.refresh_from_db()
    assert case.state == State.DRAFT


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "Personal-affairs residence permit (first application) cannot be submitted to One-stop"),
        ("zh-hans", "不受理“私人事务类居留许可（首次申请）”"),
    ],
)
def test_a_hand_edited_hall_is_refused_in_a_sentence_that_reads_right(lang, says):
    user = applicant()
    case = started(user, "rp-personal-affairs")
    response = client_for(user).post(
        f"/{lang}/my/{case.pk}/submit/", {"hall_id": "one-stop-counter", "missing_confirmed": "on"}
    )
    assert response.status_code == 422 and says in html(response)


def test_missing_answers_send_the_applicant_back_to_the_advisor_and_nothing_is_stored():
    browser = client_for(applicant())
    page = browser.get("/en/apply/rp-work/", {"validity": "P2Y"})
    assert page.status_code == 200 and "/en/advisor/rp-work/" in html(page)
    assert browser.post("/en/apply/rp-work/", {"validity": "P2Y"}).status_code == 422
    assert not Case.objects.exists()


def test_a_renewal_names_the_permit_it_acts_on():
    user = applicant()
    permit = PermitFactory(person=user.person, kind="residence-permit", permit_type="work")
    facts = as_answers(eligible_facts("rp-renewal"))
    browser = client_for(user)
    page = html(browser.get("/en/apply/rp-renewal/", facts))
    assert permit.number in page
    answers = hidden_fields(form_with_class(page, "start-application"))
    assert browser.post("/en/apply/rp-renewal/", answers | {"permit": str(permit.pk)}).status_code == 302
    assert Case.objects.get().permit == permit


@pytest.mark.parametrize(
    ("procedure", "kind", "permit_type", "en", "zh"),
    [
        (
            "rp-renewal",
            "residence-permit",
            "work",
            "<dt>Residence permit · Work</dt>",
            "<dt>居留证件 · 工作类</dt>",
        ),
        ("visa-extension", "visa", "", "<dt>Visa</dt>", "<dt>签证</dt>"),
    ],
)
def test_the_case_page_names_the_document_it_acts_on_by_its_kind(procedure, kind, permit_type, en, zh):
    """A visa extension's case names the visa a visa, not a permit (a walk found "Permit: VA…")."""
    user = applicant()
    permit = PermitFactory(person=user.person, kind=kind, permit_type=permit_type)
    case = services.start_case(
        actor(user),
        procedure_id=procedure,
        facts=eligible_facts(procedure),
        person=user.person,
        permit=permit,
    )
    browser = client_for(user)
    for lang, said in (("en", en), ("zh-hans", zh)):
        page = html(browser.get(f"/{lang}/my/{case.pk}/"))
        assert f"{said}<dd>{permit.number}" in page


def test_an_unknown_procedure_is_404():
    assert client_for(applicant()).get("/en/apply/no-such-thing/").status_code == 404


# --- the checklist of materials and submitting without some ------------------------------------------


def test_the_checklist_shows_each_item_uploaded_or_missing_with_its_files_and_submitting_asks_first():
    """The items are the hall's (``services.outstanding``, the law core's list for the case's facts)."""
    user = applicant()
    case = started(user, "rp-personal-affairs")
    items = [d.item for d in services.outstanding(case, TODAY)]
    first, rest = items[0], items[1:]
    services.upload_material(actor(user), case, first.id, pdf("application-form"), on=TODAY)
    browser = client_for(user)
    page = html(browser.get(f"/en/my/{case.pk}/"))
    listed = page[page.index('id="materials-h"') : page.index('id="submit-h"')]
    row = listed[listed.index(f'id="item-{first.id}"') :]
    assert row.index(">uploaded<") < row.index("application-form.pdf") < row.index("</li>")
    for item in rest:
        assert f'id="item-{item.id}"><span class="tag kind-missing">missing</span> {item.text.en}' in listed
    confirm = page[page.index('id="submit-h"') :]
    assert "These required materials are not uploaded yet:" in confirm and rest[0].text.en in confirm
    assert "one-time notice" in confirm and "Art. 18" in confirm
    # at submission no time limit has started (and some procedures have none): nothing said of a pause
    assert "nothing is decided until they are in" in confirm and "pause" not in confirm
    refused = browser.post(f"/en/my/{case.pk}/submit/", {"hall_id": "reception-hall"})
    assert refused.status_code == 422
    assert "Confirm that you submit without the missing materials" in html(refused)
    case.refresh_from_db()
    assert case.state == State.DRAFT
    zh = html(browser.post(f"/zh-hans/my/{case.pk}/submit/", {"hall_id": "reception-hall"}))
    assert "以下必需材料尚未上传" in zh and "缺少" in zh and rest[0].text.zh in zh
    done = browser.post(f"/en/my/{case.pk}/submit/", {"hall_id": "reception-hall", "missing_confirmed": "on"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


@pytest.mark.parametrize(
    ("lang", "promised", "basis"),
    [
        (
            "en",
            "the hall lists everything missing or defective at one time, in a one-time notice",
            "Art. 18 para. 2 (applied by analogy: the sources do not say this for this application)",
        ),
        ("zh-hans", "一次性告知", "第十八条第二款（参照适用：依据文件对本事项未作规定）"),
    ],
)
def test_a_permanent_residence_draft_promises_the_one_time_notice_on_its_recorded_basis(
    lang, promised, basis
):
    """Seeds 001 and 003 require no notice at one time for permanent residence: the promise names the
    recorded choice (Regulations Art. 18 para. 2 applied by analogy) as its basis, not nothing."""
    user = applicant()
    case = started(user, "pr-zhongguancun")
    page = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    confirm = page[page.index('id="submit-h"') :]
    promise = confirm[confirm.index(promised) :]
    assert basis in promise[: promise.index("</p>")]


def test_with_every_item_uploaded_submitting_asks_nothing():
    user = applicant()
    case = started(user, "rp-personal-affairs")
    upload_everything(user, case)
    page = html(client_for(user).get(f"/en/my/{case.pk}/"))
    assert "not uploaded yet" not in page and 'class="tag kind-missing"' not in page
    assert (
        client_for(user).post(f"/en/my/{case.pk}/submit/", {"hall_id": "reception-hall"}).status_code == 302
    )


def test_a_case_past_intake_lists_its_files_not_today_s_checklist():
    """The checklist is what the hall still takes; once accepted (or closed) the case shows the files it has,
    never "missing" from what today's rules would ask."""
    user = applicant()
    case, _ = accepted(user, "rp-personal-affairs")
    page = html(client_for(user).get(f"/en/my/{case.pk}/"))
    listed = page[page.index('id="materials-h"') :]
    assert 'class="checklist"' not in page and "kind-missing" not in page and "kind-uploaded" not in page
    assert case.materials.first().original_name in listed
    # each file under the item it is for, as the catalog names it (a walk found file names alone)
    passport = case.materials.get(material_id="passport")
    name = catalog().procedure("rp-personal-affairs").rules["materials"]
    said = next(r.text for r in name if r.id == "passport")
    for lang, text in (("en", said.en), ("zh-hans", said.zh)):
        shown = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
        colon = ": " if lang == "en" else "："
        assert f"{escape(text)}{colon}<a " in shown[shown.index('id="materials-h"') :], lang
        assert passport.original_name in shown


# --- uploading ----------------------------------------------------------------------------------


def test_uploading_a_missing_item_stores_it_and_it_leaves_the_list():
    user = applicant()
    case = received_with_notice(user)
    browser = client_for(user)
    page = html(browser.get(f"/en/my/{case.pk}/"))
    form = form_with_class(page, "upload-form")
    assert form["attrs"]["enctype"] == "multipart/form-data"
    first = services.outstanding(case, TODAY)[0].item.id
    assert f'<option value="{first}"' in page
    response = browser.post(
        f"/en/my/{case.pk}/upload/",
        {"material_id": first, "file": pdf("passport")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    panel = html(response)
    assert panel.startswith('<section id="case-panel"') and "<html" not in panel
    assert "Received: passport.pdf" in panel
    assert f'<option value="{first}"' not in panel
    assert Material.objects.get(case=case).material_id == first


@pytest.mark.parametrize("htmx", [False, True], ids=["plain post", "htmx"])
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        pytest.param(
            lambda: pdf("big", size=2000),
            "The file is too large (2 KB); the largest file allowed is 1000 bytes.",
            id="oversize",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("passport.jpg", b"%PDF-1.4 not a jpeg", "image/jpeg"),
            "The file says it is image/jpeg but its content is application/pdf.",
            id="mislabelled",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("notes.txt", b"hello", "text/plain"),
            "Upload only PDF, JPEG and PNG files.",
            id="not a document",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("passport.pdf", b"", "application/pdf"),
            "The file is empty.",
            id="empty",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("passport.pdf", b"<html>not a pdf</html>", "application/pdf"),
            "The file is not a readable PDF.",
            id="fake pdf",
        ),
        pytest.param(
            lambda: SimpleUploadedFile("passport.png", b"GIF89a not a png", "image/png"),
            "The file is not a readable image.",
            id="fake image",
        ),
    ],
)
def test_a_refused_upload_shows_the_reason_beside_the_file_and_stores_nothing(
    settings, upload, message, htmx
):
    settings.EXITENTRY_UPLOAD_MAX_BYTES = 1000
    user = applicant()
    case = submitted(user, "rp-work")
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_for(user).post(
        f"/en/my/{case.pk}/upload/", {"material_id": "passport", "file": upload()}, headers=headers
    )
    assert response.status_code == 422
    page = html(response)
    assert f'<p class="error" id="file-error">{message}' in page
    assert page.count(message) == 1  # beside the file, not again at the top
    assert 'aria-invalid="true"' in page
    assert ("<html" in page) is not htmx
    assert not Material.objects.exists()


def test_a_refused_upload_in_chinese():
    user = applicant()
    case = submitted(user, "rp-work")
    upload = SimpleUploadedFile("passport.jpg", b"%PDF-1.4 not a jpeg", "image/jpeg")
    response = client_for(user).post(
        f"/zh-hans/my/{case.pk}/upload/", {"material_id": "passport", "file": upload}
    )
    assert response.status_code == 422
    assert "文件标明为image/jpeg，但实际内容为application/pdf" in html(response)


def test_an_upload_without_a_file_is_refused():
    user = applicant()
    case = submitted(user, "rp-work")
    response = client_for(user).post(f"/en/my/{case.pk}/upload/", {"material_id": "passport"})
    assert response.status_code == 422 and "Choose a file to upload." in html(response)


# --- resubmitting and withdrawing ---------------------------------------------------------------


def test_resubmitting_is_offered_only_while_the_case_waits_for_materials():
    user = applicant()
    case = submitted(user, "rp-work")
    browser = client_for(user)
    assert "Resubmit the missing materials" not in html(browser.get(f"/en/my/{case.pk}/"))
    refused = browser.post(f"/en/my/{case.pk}/resubmit/")
    assert refused.status_code == 422
    assert "is not possible for this application now: it is Submitted" in html(refused)
    case = received_with_notice(user)
    upload_everything(user, case)
    assert "Resubmit the missing materials" in html(browser.get(f"/en/my/{case.pk}/"))
    assert browser.post(f"/en/my/{case.pk}/resubmit/").status_code == 302
    case.refresh_from_db()
    assert case.state == State.RECEIVED


@pytest.mark.parametrize(
    ("lang", "warns", "tick"),
    [
        (
            "en",
            "Confirm that you resubmit without the missing materials listed above.",
            "Resubmit without the missing materials",
        ),
        ("zh-hans", "请确认在缺少上列材料的情况下重新提交。", "在缺少材料的情况下重新提交"),
    ],
)
def test_resubmitting_with_items_still_missing_asks_for_the_tick_listing_them(lang, warns, tick):
    user = applicant()
    case = received_with_notice(user)
    first = services.outstanding(case, TODAY)[0].item
    services.upload_material(actor(user), case, first.id, pdf("one"), on=TODAY)
    browser = client_for(user)
    assert tick in html(browser.get(f"/{lang}/my/{case.pk}/"))
    refused = browser.post(f"/{lang}/my/{case.pk}/resubmit/")
    page = html(refused)
    assert refused.status_code == 422 and warns in page and tick in page
    still = [r.item.text for r in services.outstanding(case, TODAY)]
    assert still and all((t.zh if lang == "zh-hans" else t.en) in page for t in still)
    case.refresh_from_db()
    assert case.state == State.DEFICIENT
    assert browser.post(f"/{lang}/my/{case.pk}/resubmit/", {"missing_confirmed": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.RECEIVED


def test_withdrawing_asks_for_confirmation_then_closes_the_case():
    user = applicant()
    case = submitted(user, "rp-work")
    browser = client_for(user)
    confirm = browser.get(f"/en/my/{case.pk}/withdraw/")
    assert confirm.status_code == 200
    assert "This cannot be undone" in html(confirm) and "Yes, withdraw it" in html(confirm)
    assert f"Application {case.reference} will be closed" in html(confirm)
    draft = Case.objects.create(
        procedure_id="rp-work", person=user.person, submitted_by=user, acting_as="self"
    )
    for lang, words in (("en", "This draft application will be closed"), ("zh-hans", "此申请草稿将被关闭")):
        assert words in html(browser.get(f"/{lang}/my/{draft.pk}/withdraw/"))
    case.refresh_from_db()
    assert case.state == State.SUBMITTED  # the confirmation page changes nothing
    done = browser.post(f"/en/my/{case.pk}/withdraw/")
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == State.WITHDRAWN
    assert "Your application is withdrawn." in html(browser.get(done["Location"]))


def test_a_decided_case_cannot_be_withdrawn():
    user = applicant()
    case, clerk = accepted(user, "rp-work")
    services.decide(clerk, case, "refused", ground_id="first-refusal-law-grounds", on=TODAY)
    browser = client_for(user)
    assert browser.get(f"/en/my/{case.pk}/withdraw/").status_code == 422
    response = browser.post(f"/en/my/{case.pk}/withdraw/")
    assert response.status_code == 422 and "“Withdraw” is not possible" in html(response)
    case.refresh_from_db()
    assert case.state == State.REFUSED


# --- who may open which page --------------------------------------------------------------------

PAGES = {
    "my applications": lambda case: "/en/my/",
    "case page": lambda case: f"/en/my/{case.pk}/",
    "withdraw page": lambda case: f"/en/my/{case.pk}/withdraw/",
    "apply": lambda case: "/en/apply/rp-work/",
    "material file": lambda case: f"/en/materials/{case.materials.first().pk}/",
    "your details": lambda case: "/en/my/details/",
}


def expected_status(page: str, role: str, whose: str) -> int:
    if role == "anonymous":
        return 302
    if page == "your details":  # an applicant's own record, entered once: this one has it already
        return 409 if role == "applicant" else 403
    if page == "material file" and role in HALL_SIDE:  # the hall reads the files of its cases
        return 200 if whose == "own" else 404
    if role not in APPLICANT_SIDE:
        return 403
    if page == "my applications":
        return 200
    if page == "apply":
        return 200  # for oneself, or for the people one acts for
    return 200 if whose == "own" else 404


@pytest.fixture
def world():
    world = make_world()
    for case in [*world.own.values(), world.other]:
        if not case.materials.exists():
            services.upload_material(
                actor(case.submitted_by), case, "passport", pdf(f"passport-{case.pk}"), on=TODAY
            )
    return world


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("whose", ["own", "other"])
def test_each_role_gets_what_the_policy_says_on_each_applicant_page(world, page, role, whose):
    case = world.own[role] if whose == "own" else world.other
    response = world.client(role).get(PAGES[page](case))
    assert response.status_code == expected_status(page, role, whose)
    if response.status_code == 302:
        assert response["Location"].startswith("/en/sign-in/?next=/en/")
    if response.status_code == 403:
        assert "Not allowed" in html(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_applicant_side_may_post_a_step_and_only_on_its_own_case(world, role):
    for whose, case in (("own", world.own[role]), ("other", world.other)):
        response = world.client(role).post(f"/en/my/{case.pk}/resubmit/")
        expected = {302: 302, 403: 403, 200: 422, 404: 404}[expected_status("case page", role, whose)]
        assert response.status_code == expected, (whose, response.status_code)
        case.refresh_from_db()
        assert case.state == State.SUBMITTED


def test_the_403_page_speaks_chinese_too(world):
    response = world.client("officer").get("/zh-hans/my/")
    assert response.status_code == 403 and "无权访问" in html(response)


def test_a_unit_handler_sees_the_units_cases():
    world = make_world()
    assert linked(html(world.client("unit").get("/en/my/"))) == [world.own["unit"].pk]
    assert world.users["unit"].role == Role.UNIT


def test_the_applicant_downloads_the_notice_and_the_receipt_from_their_case_page():
    from factories import hall_day

    beijing_today = hall_day  # the counter's steps on the last day the hall opened
    user = applicant()
    case = submitted(user, "rp-work")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=beijing_today())
    notice = services.notify_deficiency(clerk, case, on=beijing_today())
    upload_everything(user, case)
    services.resubmit(actor(user), case, on=beijing_today())
    hall_accepts(clerk, case, on=beijing_today())
    client = client_for(user)
    page = html(client.get(f"/zh-hans/my/{case.pk}/"))
    for link in (
        f"/api/v1/cases/{case.pk}/documents/receipt",
        f"/api/v1/cases/{case.pk}/documents/deficiency?number={notice.number}",
    ):
        assert link in page
        pdf = client.get(link)
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "下载受理回执（PDF）" in page


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        (
            "en",
            [
                "Beijing guide to personal affairs residence permits, Materials",
                "Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 18",
            ],
        ),
        (
            "zh-hans",
            [
                "《北京市外国人私人事务类居留许可及延期办事指南》申请材料",
                "《中华人民共和国外国人入境出境管理条例》第十八条",
            ],
        ),
    ],
)
def test_my_case_page_cites_by_document_title_and_section_in_its_language_never_by_file_name(lang, labels):
    user = applicant()
    case = received_with_notice(user)
    body = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    for label in labels:
        assert label in body
    assert not SEED_FILE.search(body)


def test_submitting_in_place_also_replaces_the_drafts_subtitle_with_the_reference():
    """htmx swaps the case panel; the heading above it follows by an out-of-band swap."""
    user = applicant()
    case = started(user, "rp-work")
    browser = client_for(user)
    assert 'id="case-subtitle" class="subtitle">draft, not submitted<' in html(
        browser.get(f"/en/my/{case.pk}/")
    )
    panel = html(
        browser.post(
            f"/en/my/{case.pk}/submit/",
            {"hall_id": "reception-hall", "missing_confirmed": "on"},
            HTTP_HX_REQUEST="true",
        )
    )
    case.refresh_from_db()
    assert f'<span id="case-subtitle" class="subtitle" hx-swap-oob="true">{case.reference}</span>' in panel
    assert "draft, not submitted" not in panel


def test_a_hostile_file_name_reaches_neither_the_file_system_nor_the_download_header(tmp_path, settings):
    """The stored file is named by its SHA-256 under the media directory; the name as given is kept
    without its path and served back only inside a quoted, escaped ``attachment`` header."""
    settings.MEDIA_ROOT = str(tmp_path)
    user = applicant()
    case = received_with_notice(user)
    first = services.outstanding(case, TODAY)[0].item.id
    hostile = pdf("x")
    hostile.name = '../../../tmp/evil"; x=".pdf'
    browser = client_for(user)
    browser.post(f"/en/my/{case.pk}/upload/", {"material_id": first, "file": hostile})
    material = Material.objects.get(case=case)
    stored = (tmp_path / material.file.name).resolve()
    assert stored.is_relative_to(tmp_path) and stored.name.startswith(material.sha256)
    assert "/" not in material.original_name and ".." not in material.original_name
    served = browser.get(f"/en/materials/{material.pk}/")
    disposition = served["Content-Disposition"]
    assert (
        disposition.startswith('attachment; filename="')
        and disposition.count('"') - disposition.count('\\"') == 2
    )


def test_a_body_past_any_upload_is_refused_as_it_arrives_not_spooled_to_disk(settings, monkeypatch):
    """Django caps a body's fields, not its files: one far past ``EXITENTRY_UPLOAD_MAX_BYTES`` is refused
    before a temporary file holds it (``exitentry.upload_limit``), on the page and in the API."""
    from django.core.files.uploadhandler import TemporaryFileUploadHandler
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    settings.EXITENTRY_UPLOAD_MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000, 1000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # any file reaches the temporary file's handler
    spooled = []
    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", lambda self, *a, **k: spooled.append(a))
    user = applicant()
    case = received_with_notice(user)
    first = services.outstanding(case, TODAY)[0].item.id
    browser = client_for(user)
    body = encode_multipart(BOUNDARY, {"material_id": first, "file": pdf("big", size=50_000)})
    page = browser.generic("POST", f"/en/my/{case.pk}/upload/", body, MULTIPART_CONTENT)
    api = browser.generic("POST", f"/api/v1/cases/{case.pk}/materials", body, MULTIPART_CONTENT)
    assert (page.status_code, api.status_code) == (413, 413)  # the form again, with the limit
    assert spooled == [] and not Material.objects.filter(case=case).exists()


@pytest.mark.parametrize("procedure", ["rp-work", "pr-application"])
def test_the_officers_case_page_speaks_of_the_applicant_not_to_them(procedure):
    case, _ = accepted(applicant(), procedure)
    hall = client_for(officer(case.hall_id))
    page = html(hall.get(f"/en/console/cases/{case.pk}/"))
    assert case.receipt.number in page
    assert "your passport" not in page and "you reside" not in page
    zh = html(hall.get(f"/zh-hans/console/cases/{case.pk}/"))
    assert (
        "受理回执" in zh
        and "您" not in zh[zh.index('class="receipt"') : zh.index("</section>", zh.index('class="receipt"'))]
    )


@pytest.mark.parametrize(
    ("lang", "missing", "uploaded"),
    [("en", ">missing<", "uploaded, to be checked"), ("zh-hans", ">缺少<", "已上传，待审核")],
)
def test_the_notice_table_says_an_item_uploaded_since_is_to_be_checked(lang, missing, uploaded):
    user = applicant()
    case = received_with_notice(user)
    notice = case.deficiency_notices.get()
    first = next(item for item in notice.items if item["kind"] == "missing")
    services.upload_material(
        actor(user),
        case,
        first["id"],
        pdf("uploaded-since"),
        on=TODAY,
    )
    page = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    table = page[page.index('class="notice-items"') :]
    table = table[: table.index("</table>")]
    row = next(r for r in table.split("<tr>") if first["text"]["en" if lang == "en" else "zh"] in r)
    assert uploaded in row and missing not in row
    assert missing in table  # the items not uploaded are still missing


@pytest.mark.parametrize(
    ("lang", "since"), [("en", "uploaded after this notice"), ("zh-hans", "本通知后已上传")]
)
def test_once_the_hall_accepts_an_item_uploaded_after_the_notice_is_no_longer_to_be_checked(lang, since):
    """A walk found a collected case's notice still saying "uploaded, to be checked" of every item."""
    user = applicant()
    case = received_with_notice(user)
    upload_everything(user, case)
    services.resubmit(actor(user), Case.objects.get(pk=case.pk), on=TODAY)
    hall_accepts(actor(officer(case.hall_id)), Case.objects.get(pk=case.pk), on=TODAY)
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED
    page = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    table = page[page.index('class="notice-items"') :]
    table = table[: table.index("</table>")]
    assert since in table and "to be checked" not in table and "待审核" not in table


@pytest.mark.parametrize(
    ("lang", "paused", "prefix"),
    [
        ("en", "paused until the missing materials are resubmitted", "Expected ready on:"),
        ("zh-hans", "暂停计时，待补正材料后恢复", "预计取证日期："),
    ],
)
def test_my_applications_says_the_clock_waits_for_the_missing_materials_without_an_expected_day(
    lang, paused, prefix
):
    """Under a one-time notice the processing clock has no last day: the list says what it waits for, not
    "Expected ready on: paused" (Regulations Art. 18 para. 2: the notice; the clock stands until resubmission)."""
    from tests.web.test_defect_languages import received_with_files

    case, hall, mine = received_with_files()
    material = case.materials.order_by("pk").first()
    hall.post(f"/en/console/materials/{material.pk}/review/", {"defect": "Blurred", "defect_zh": "模糊"})
    assert hall.post(f"/en/console/cases/{case.pk}/notify_deficiency/").status_code == 302
    page = html(mine.get(f"/{lang}/my/"))
    assert paused in page and prefix not in page


@pytest.mark.parametrize(
    ("lang", "said", "cited", "late"),
    [
        (
            "en",
            "The receipt no longer stands in for your passport; ask the hall.",
            "Art. 18 para. 3",
            ">late<",
        ),
        ("zh-hans", "本回执已不能代替您的护照使用，请向受理大厅咨询。", "第十八条第三款", ">已超期<"),
    ],
)
def test_an_expired_receipt_tells_the_applicant_what_it_means_not_that_they_are_late(
    monkeypatch, lang, said, cited, late
):
    """A walk found an expired receipt labelled "late" on the applicant's pages, read as their own lateness:
    it is the hall's decision that was due. The applicant is told the receipt no longer stands in for the
    passport (Regulations Art. 18 para. 3), citing it; the hall's panel keeps its "late"."""
    user = applicant()
    case, clerk = accepted(user, "rp-work")  # receipt valid until Mon 23 November 2026
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: date(2026, 12, 7))
    page = html(client_for(user).get(f"/{lang}/my/{case.pk}/"))
    (row,) = [r for r in page.split('<tr class="clock-row')[1:] if "status-expired" in r]
    row = row[: row.index("</tr>")]
    assert said in row and cited in row and late not in row
    hall = html(client_for(clerk.user).get(f"/{lang}/console/cases/{case.pk}/"))
    assert late in hall and said not in hall
