"""A case's documents as PDFs, and the public check of their QR tokens through the case's life."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from case_helpers import (
    accepted,
    approval_validity,
    hall_accepts,
    hall_receives,
    sign_in,
    submitted,
    upload_everything,
    without_tokens,
)
from exitentry.accounts.models import AuditEntry, Role
from exitentry.appointments.opening import hall_changes
from exitentry.cases import services
from exitentry.cases.models import Receipt
from exitentry.documents.tokens import make_token
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.text import day_text
from exitentry.verification.documents import check
from factories import (
    PersonFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    actor,
    applicant,
    eligible_facts,
    hall_day,
    officer,
)
from verification.helpers import desk

TODAY = beijing_today()  # the page and the API check against the real today
HALL_DAY = hall_day(TODAY)  # the counter's steps: the last day the hall opened

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def accepted_case(procedure_id: str = "rp-work", passport: str | None = None):
    """An application accepted after a one-time notice was answered; ``passport``: the applicant's
    travel document number, recorded before the hall receives it."""
    user = applicant()
    if passport is not None:
        TravelDocumentFactory(person=user.person, number=passport)
    case = submitted(user, procedure_id)
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=HALL_DAY)
    services.notify_deficiency(clerk, case, on=TODAY)
    upload_everything(user, case)
    services.resubmit(actor(user), case, on=TODAY)
    hall_accepts(clerk, case, on=HALL_DAY)
    return user, case, clerk


def test_the_applicant_downloads_the_receipt_notice_and_decision_as_bilingual_pdfs() -> None:
    user, case, clerk = accepted_case()
    services.decide(clerk, case, "refused", ground_id="first-refusal-law-art-31", on=TODAY)
    client = Client()
    sign_in(client, user)
    receipt = client.get(f"/api/v1/cases/{case.pk}/documents/receipt")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    words = text_of(receipt.content)
    assert "受理回执" in words and "Acceptance Receipt" in words and case.receipt.number in words
    until = day_text(case.receipt.valid_until)
    assert until.en in " ".join(words.split()) and until.zh in words
    assert "有效护照或其他国际旅行证件" in words.replace("\n", "")  # received items in the law's words
    assert re.search(r"http://testserver/verify/\S+", words.replace("\n", ""))
    notice = text_of(client.get(f"/api/v1/cases/{case.pk}/documents/deficiency").content)
    first = case.deficiency_notices.get()
    assert "一次性告知书" in notice and first.number in notice
    assert first.items[0]["text"]["zh"][:6] in notice.replace("\n", "")
    decision = text_of(client.get(f"/api/v1/cases/{case.pk}/documents/decision").content)
    assert "不予批准" in decision and "Art. 31" in decision and "Art. 34(4)" not in decision


def test_a_permanent_residence_receipt_says_what_of_the_fee_is_paid_when() -> None:
    """Seed 001, Fees: 1,500 yuan for accepting the application, 300 for the card when it is issued; the
    receipt says so, not the total alone (an ordinary residence permit's fee is one part, named as before)."""
    user = applicant()
    case, _ = accepted(user, "pr-application")
    client = Client()
    sign_in(client, user)
    words = " ".join(text_of(client.get(f"/api/v1/cases/{case.pk}/documents/receipt").content).split())
    assert (
        "CNY 1,800: CNY 1,500 paid when the application is accepted; CNY 300 paid when the permit is issued, on collection"
        in (words)
    )
    # the one money wording (``bilingual.cny``), in Chinese too
    flat = "".join(text_of(client.get(f"/api/v1/cases/{case.pk}/documents/receipt").content).split())
    assert "1,800元：受理申请时缴纳1,500元；" in flat and "人民币1800元" not in flat
    _, ordinary, _ = accepted_case()
    sign_in(client, ordinary.submitted_by)
    plain = " ".join(text_of(client.get(f"/api/v1/cases/{ordinary.pk}/documents/receipt").content).split())
    assert "paid when" not in plain


SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
REFUSAL_IS_FINAL = ("A decision not to issue", "不予签发居留证件或不予延长居留期限的决定为最终决定")


def decision_text(case) -> tuple[str, str]:
    """The decision PDF's words, and the same with no whitespace (Chinese wraps mid-phrase)."""
    client = Client()
    sign_in(client, case.submitted_by)
    text = text_of(client.get(f"/api/v1/cases/{case.pk}/documents/decision").content)
    return " ".join(text.split()), "".join(text.split())


def test_an_approval_decision_carries_no_sentence_about_refusals_being_final() -> None:
    case, clerk = accepted(applicant(), "rp-personal-affairs")
    services.decide(clerk, case, "approved", validity=approval_validity(case), on=TODAY)
    words, flat = decision_text(case)
    assert "The application meets the requirements and is approved." in words
    assert "经审查，申请符合规定，决定予以批准。" in flat
    assert REFUSAL_IS_FINAL[0] not in words and REFUSAL_IS_FINAL[1] not in flat


def test_a_refusal_decision_says_it_is_final_citing_the_guide_in_both_languages() -> None:
    case, clerk = accepted(applicant(), "rp-personal-affairs")
    services.decide(clerk, case, "refused", ground_id="first-refusal-law-art-31", on=TODAY)
    words, flat = decision_text(case)
    assert REFUSAL_IS_FINAL[0] in words and REFUSAL_IS_FINAL[1] in flat
    assert "Beijing guide to personal affairs residence permits, Legal Reminders 6" in words
    assert "《北京市外国人私人事务类居留许可及延期办事指南》法律提示第6项" in flat


@pytest.mark.parametrize(
    ("procedure", "ground_id"),
    [("visa-extension", "refusal-fraud"), ("rp-work", "first-refusal-law-art-31")],
)
def test_a_refused_visa_extension_or_work_permit_is_final_too_as_both_guides_say(
    procedure: str, ground_id: str
) -> None:
    # Seed 000 Legal Reminders 6 and seed 002 Notes (5) name refusals of visa extensions and of residence
    # permits, not only of the personal-affairs permit.
    case, clerk = accepted(applicant(), procedure)
    services.decide(clerk, case, "refused", ground_id=ground_id, on=TODAY)
    words, flat = decision_text(case)
    assert "not to extend, renew or reissue an ordinary visa" in words and "is final" in words
    assert "不予办理普通签证延期、换发、补发" in flat and "的决定为最终决定" in flat
    assert "Legal Reminders 6" in words and "6. Notes (5)" in words
    assert "法律提示第6项" in flat


def test_the_receipt_and_notice_of_a_case_cite_by_title_and_article_never_by_file_name() -> None:
    user, case, clerk = accepted_case()
    client = Client()
    sign_in(client, user)
    for kind in ("receipt", "deficiency"):
        text = text_of(client.get(f"/api/v1/cases/{case.pk}/documents/{kind}").content)
        words, flat = " ".join(text.split()), "".join(text.split())
        assert (
            "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 18"
            in words
        ), kind
        assert "《中华人民共和国外国人入境出境管理条例》第十八条" in flat, kind
        assert not SEED_FILE.search(flat), kind


def test_someone_elses_documents_are_404_and_reading_ones_own_is_audited() -> None:
    user, case, _ = accepted_case()
    stranger = Client()
    sign_in(stranger, applicant())
    assert stranger.get(f"/api/v1/cases/{case.pk}/documents/receipt").status_code == 404
    client = Client()
    sign_in(client, user)
    client.get(f"/api/v1/cases/{case.pk}/documents/receipt")
    assert AuditEntry.objects.filter(actor=user, action="document.read", object_type="receipt").exists()


def test_a_receipt_is_in_force_while_the_passport_is_held_and_until_its_last_day() -> None:
    _, case, clerk = accepted_case()
    token = make_token("receipt", case.receipt.number)
    verdict = check(token, TODAY)
    assert (verdict.genuine, verdict.in_force) == (True, True)
    assert verdict.holder.startswith(case.person.surname[0]) and case.person.surname not in verdict.holder
    assert [c.section for c in verdict.cite] == ["Art. 18 para. 3"]  # the passport's stand-in
    assert "reside legally" in verdict.reason.en and "合法居留" in verdict.reason.zh
    late = check(token, case.receipt.valid_until + timedelta(days=1))
    assert (late.genuine, late.in_force) == (True, False) and "expired" in late.reason.en


def test_a_visa_extensions_receipt_says_stay_citing_art_13_para_3_on_the_pdf_the_page_and_the_check() -> None:
    """Seed 004, Art. 13 para. 3: with a visa extension's receipt the holder may *stay* (停留); only Art. 18
    (residence permits) says reside (居留). The PDF, the case page and the public check say the same."""
    user = applicant()
    case, _ = accepted(user, "visa-extension")
    client = Client()
    sign_in(client, user)
    pdf = text_of(client.get(f"/api/v1/cases/{case.pk}/documents/receipt").content)
    words, flat = " ".join(pdf.split()), "".join(pdf.split())
    assert "the holder may stay legally in China with this receipt." in words and "reside" not in words
    assert "可以凭本回执在中国境内合法停留。" in flat and "合法居留" not in flat
    assert "Art. 13 para. 3" in words and "Art. 18" not in words and "第十三条第三款" in flat
    page = client.get(f"/en/my/{case.pk}/").content.decode()
    assert "may stay legally in China with this receipt" in page and "Art. 13 para. 3" in page
    assert "may reside legally in China with this receipt" not in page and "Art. 18 para. 3" not in page
    zh = client.get(f"/zh-hans/my/{case.pk}/").content.decode()
    assert "可以凭本回执在中国境内合法停留" in zh and "第十三条第三款" in zh
    verdict = check(make_token("receipt", case.receipt.number), case.receipt.issued_on)
    assert (verdict.genuine, verdict.in_force) == (True, True)
    assert "stay legally" in verdict.reason.en and "合法停留" in verdict.reason.zh
    assert "reside" not in verdict.reason.en and "居留" not in verdict.reason.zh
    assert [c.section for c in verdict.cite] == ["Art. 13 para. 3"]
    late = check(make_token("receipt", case.receipt.number), TODAY)  # expired: still cites its article
    assert [c.section for c in late.cite] == ["Art. 13 para. 3"]


def test_a_permanent_residence_receipt_is_checked_by_analogy_as_its_pdf_says() -> None:
    """No source gives a permanent residence receipt its effect: the public check says the law core's
    by-analogy sentence and citations, as the PDF and the case page do."""
    case, _ = accepted(applicant(), "pr-application")
    verdict = check(make_token("receipt", case.receipt.number), TODAY)
    assert verdict.in_force and "by analogy" in verdict.reason.en and "参照" in verdict.reason.zh
    assert {c.section.split(" (")[0] for c in verdict.cite} == {"Art. 13 para. 3", "Art. 18 para. 3"}
    assert all("by analogy" in c.section for c in verdict.cite)


def test_a_receipt_no_longer_serves_once_the_application_is_refused() -> None:
    _, case, clerk = accepted_case()
    services.decide(clerk, case, "refused", ground_id="first-refusal-law-art-31", on=TODAY)
    verdict = check(make_token("receipt", case.receipt.number), TODAY)
    assert (verdict.genuine, verdict.in_force) == (True, False) and "closed" in verdict.reason.en


def test_a_tampered_token_is_not_genuine_and_the_page_says_so_in_both_languages() -> None:
    _, case, _ = accepted_case()
    token = make_token("receipt", case.receipt.number)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    page = Client().get(f"/verify/{forged}")
    assert page.status_code == 404
    body = page.content.decode()
    assert "无效" in body and "altered" in body
    good = Client().get(f"/verify/{token}")
    assert good.status_code == 200 and "合法居留" in good.content.decode()
    # each language's words carry their own lang, so a screen reader speaks both right on either page
    assert '<span lang="zh-Hans">持有人</span> <span lang="en">Holder</span>' in good.content.decode()


def test_the_api_check_answers_json_and_each_check_is_audited() -> None:
    _, case, _ = accepted_case()
    r = Client().get(f"/api/v1/verify/{make_token('receipt', case.receipt.number)}")
    assert r.status_code == 200 and r.json()["in_force"] is True and r.json()["number"] == case.receipt.number
    assert AuditEntry.objects.filter(action="document.verify", object_id=case.receipt.number).exists()


# --- a decision answers from its permit as it stands now ------------------------------------------


def issued_case(procedure_id: str = "rp-personal-affairs", **kwargs):
    """A case approved and its permit issued today, the officer who took it, and the decision's token."""
    case, clerk = accepted(applicant(), procedure_id, **kwargs)
    services.decide(clerk, case, "approved", validity=approval_validity(case), on=TODAY)
    services.issue(clerk, case, on=TODAY)
    case.refresh_from_db()
    return case, clerk, make_token("decision", case.decision.number)


def post_json(client: Client, path: str, body: dict):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_an_approved_decision_verifies_in_force_while_its_permit_is() -> None:
    case, _, token = issued_case()
    body = Client().get(f"/api/v1/verify/{token}").json()
    assert (body["genuine"], body["in_force"], body["ended_on"]) == (True, True, None)
    assert body["valid_until"] == case.permit.valid_until.isoformat()


@pytest.mark.parametrize(
    ("ending", "ground_id", "en", "zh", "article"),
    [
        ("void", "void-damaged-lost-stolen-robbed", "declared void", "宣布作废", "Art. 34(1)"),
        ("cancel", "cancel-obtained-illegally", "cancelled or confiscated", "注销或收缴", "Art. 35(2)"),
    ],
)
def test_a_permit_voided_or_cancelled_through_the_api_no_longer_verifies_in_force_by_its_qr_code(
    ending: str, ground_id: str, en: str, zh: str, article: str
) -> None:
    case, clerk, token = issued_case()
    assert check(token, TODAY).in_force
    hall = Client()
    sign_in(hall, clerk.user)
    assert (
        post_json(hall, f"/api/v1/permits/{case.permit_id}/{ending}", {"ground_id": ground_id}).status_code
        == 200
    )
    body = Client().get(f"/api/v1/verify/{token}").json()
    assert (body["genuine"], body["in_force"], body["ended_on"]) == (True, False, TODAY.isoformat())
    assert en in body["reason"]["en"] and zh in body["reason"]["zh"]
    assert [c["section"] for c in body["cite"]] == [article]
    page = Client().get(f"/verify/{token}").content.decode()
    ended = f'<span lang="zh-Hans">终止日期</span> <span lang="en">Ended on</span></dt><dd><span lang="zh-Hans">{day_text(TODAY).zh}</span> <span lang="en">{day_text(TODAY).en}</span>'
    assert zh in page and en in page and ended in page


def permit_note(body: str, number: str) -> str:
    """The case page's line on permit ``number`` (a link to its page on the officer's), tags stripped."""
    dd = re.search(rf"<dd>(?:<a [^>]*>)?{re.escape(number)}.*?</dd>", body, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", dd.group(0)).split()) if dd else ""


def test_the_holders_and_the_officers_case_pages_show_a_voided_permit_with_its_ground_and_date() -> None:
    case, clerk, _ = issued_case()
    hall = Client()
    sign_in(hall, clerk.user)
    holder = Client()
    sign_in(holder, case.submitted_by)
    for client, path in ((holder, f"my/{case.pk}/"), (hall, f"console/cases/{case.pk}/")):
        assert "void" not in permit_note(client.get(f"/en/{path}").content.decode(), case.permit.number)
    post_json(
        hall, f"/api/v1/permits/{case.permit_id}/void", {"ground_id": "void-damaged-lost-stolen-robbed"}
    )
    for client, path in ((holder, f"my/{case.pk}/"), (hall, f"console/cases/{case.pk}/")):
        en = permit_note(client.get(f"/en/{path}").content.decode(), case.permit.number)
        assert (
            case.permit.number in en
            and "Declared void (Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 34)"
            in en
        ), path
        assert f"{TODAY.day} " in en and "damaged, lost, stolen or robbed" in en, path
        assert "Art. 34(1)" in en, path
        zh = permit_note(client.get(f"/zh-hans/{path}").content.decode(), case.permit.number)
        assert (
            "已宣布作废（《中华人民共和国外国人入境出境管理条例》第三十四条）" in zh
            and f"{TODAY.year}年{TODAY.month}月{TODAY.day}日" in zh
        ), path
        assert "损毁、遗失、被盗抢" in zh and "第三十四条第（一）项" in zh, path
    permit = hall.get(f"/api/v1/permits/{case.permit_id}").json()
    assert (permit["state"], permit["ended_on"], permit["ground"]["id"]) == (
        "void",
        TODAY.isoformat(),
        "void-damaged-lost-stolen-robbed",
    )


def test_an_approved_decision_is_no_longer_in_force_after_its_permit_expires() -> None:
    case, _, token = issued_case()
    last = case.permit.valid_until
    assert check(token, last).in_force
    verdict = check(token, last + timedelta(days=1))
    assert (verdict.genuine, verdict.in_force, verdict.ended_on) == (True, False, last)
    assert "expired" in verdict.reason.en and "期满" in verdict.reason.zh


def approved_renewal():
    """A work permit issued and collected, and its renewal approved today but not yet issued: the first
    case, the first decision's token, the renewal and the officer who took it."""
    first, clerk, old = issued_case("rp-work")
    user = first.submitted_by
    services.mark_ready(clerk, first, on=TODAY)  # collected: one application at a time on a permit
    if due := services.fee_of(first, TODAY).due:
        services.record_payment(clerk, first, due, "cash", on=TODAY)
    services.collect(clerk, first, on=TODAY)
    renewal = services.start_case(
        actor(user),
        procedure_id="rp-renewal",
        person=first.person,
        facts=eligible_facts("rp-renewal"),
        permit=first.permit,
        on=TODAY,
    )
    services.submit(
        actor(user),
        renewal,
        services.hall_choices(catalog().procedure("rp-renewal"), renewal.facts)[0],
        on=TODAY,
    )
    renewal_clerk = actor(officer(renewal.hall_id))
    hall_receives(renewal_clerk, renewal, on=HALL_DAY)
    upload_everything(user, renewal)
    hall_accepts(renewal_clerk, renewal, on=HALL_DAY)
    services.decide(renewal_clerk, renewal, "approved", validity=approval_validity(renewal), on=TODAY)
    return first, old, renewal, renewal_clerk


def test_a_renewal_approved_but_not_yet_issued_says_the_permit_runs_to_its_old_day_until_then() -> None:
    first, _, renewal, _ = approved_renewal()
    renewal.refresh_from_db()
    verdict = check(make_token("decision", renewal.decision.number), TODAY)
    old = day_text(first.permit.valid_until)
    assert verdict.in_force and verdict.valid_until == first.permit.valid_until
    assert f"in force until {old.en}" in verdict.reason.en and "takes effect when" in verdict.reason.en
    assert old.zh in verdict.reason.zh and "签发后生效" in verdict.reason.zh
    page = Client().get(f"/verify/{make_token('decision', renewal.decision.number)}").content.decode()
    assert old.en in page and old.zh in page and first.permit.valid_until.isoformat() not in page


def test_a_decision_whose_permit_was_renewed_under_a_later_decision_no_longer_describes_it() -> None:
    _, old, renewal, renewal_clerk = approved_renewal()
    services.issue(renewal_clerk, renewal, on=TODAY)
    verdict = check(old, TODAY)
    assert (verdict.genuine, verdict.in_force, verdict.ended_on) == (True, False, TODAY)
    assert "renewed" in verdict.reason.en and "换发" in verdict.reason.zh
    renewal.refresh_from_db()
    assert check(make_token("decision", renewal.decision.number), TODAY).in_force


def test_the_documents_and_the_qr_check_name_the_holders_nationality_never_its_code() -> None:
    user, case, _ = accepted_case()
    case.person.nationality = "DEU"
    case.person.save(update_fields=["nationality"])
    client = Client()
    sign_in(client, user)
    flat = "".join(text_of(client.get(f"/api/v1/cases/{case.pk}/documents/receipt").content).split())
    assert "德国" in flat and "Germany" in flat and "DEU" not in flat
    page = Client().get(f"/verify/{make_token('receipt', case.receipt.number)}").content.decode()
    assert "<dd>德国 Germany</dd>" in page and "DEU" not in without_tokens(page)


@pytest.mark.parametrize("role", ["institution", "anonymous"])
def test_a_document_not_found_is_a_page_of_the_site_with_a_way_back(role) -> None:
    """Garbage typed at the desk's "Check a document": the site's menu, the verdict, and a link back to the
    desk for an institution's account, home for anyone else."""
    client = Client(headers={"accept-language": "en"})
    if role == "institution":
        with translation.override("en"):  # signed in on the English site: the account reads English
            sign_in(client, UserFactory(role=Role.INSTITUTION, unit=UnitFactory()))
    page = client.get("/verify/not-a-token")
    body = page.content.decode()
    assert page.status_code == 404
    assert 'class="site-nav"' in body and "Document not found" in body and "未找到该文书" in body
    with translation.override("en"):
        back = reverse("web:institution" if role == "institution" else "web:home")
    assert f'<a href="{back}">' in body


def test_strangers_checking_on_the_page_are_rate_limited_as_on_the_api_before_any_audit_entry(
    settings,
) -> None:
    """Each check appends to the audit trail: the public page holds strangers to the API's rate per address
    (``EXITENTRY_ANON_RATE``), so nobody can flood the trail through it; another address still checks."""
    settings.EXITENTRY_ANON_RATE = "3/h"
    token = make_token("receipt", "BJ202600000001-R")
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    assert [stranger.get(f"/verify/{token}").status_code for _ in range(3)] == [404, 404, 404]
    audited = AuditEntry.objects.filter(action="document.verify").count()
    limited = stranger.get(f"/verify/{token}")
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 3600
    body = limited.content.decode()
    assert "核验次数过多" in body and "Too many checks" in body
    assert AuditEntry.objects.filter(action="document.verify").count() == audited == 3
    assert Client(REMOTE_ADDR="198.51.100.4").get(f"/verify/{token}").status_code == 404


def test_a_signed_in_account_checking_on_the_page_is_held_to_its_own_rate_before_any_audit_entry(
    settings,
) -> None:
    """A session is no stranger, yet its checks are audited too: an account past ``EXITENTRY_USER_RATE`` is
    refused (429, in both languages) before the check, from whatever address; another account still checks."""
    settings.EXITENTRY_USER_RATE = "3/h"
    token = make_token("receipt", "BJ202600000001-R")
    user = applicant()
    first = Client(REMOTE_ADDR="203.0.113.9")
    sign_in(first, user)
    assert [first.get(f"/verify/{token}").status_code for _ in range(3)] == [404, 404, 404]
    audited = AuditEntry.objects.filter(action="document.verify").count()
    second = Client(REMOTE_ADDR="198.51.100.4")
    sign_in(second, user)
    limited = second.get(f"/verify/{token}")
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 3600
    body = limited.content.decode()
    assert "核验次数过多" in body and "Too many checks" in body
    assert AuditEntry.objects.filter(action="document.verify").count() == audited == 3
    other = Client(REMOTE_ADDR="198.51.100.4")
    sign_in(other, applicant())
    assert other.get(f"/verify/{token}").status_code == 404


def test_the_desk_checks_a_receipt_by_its_code_with_a_way_back_in_both_languages() -> None:
    _, case, _ = accepted_case()
    number = Receipt.objects.get(case=case).number
    client = Client(headers={"accept-language": "zh-hans"})
    sign_in(client, UserFactory(role=Role.INSTITUTION, unit=UnitFactory()))
    page = client.get("/zh-hans/institution/", {"code": make_token("receipt", number)}, follow=True)
    body = page.content.decode()
    assert page.status_code == 200 and number in body and "未找到该文书" not in body
    assert "返回核查窗口" in body and "Back to the verification desk" in body


def test_the_one_time_notice_names_the_hall_it_was_submitted_to_not_accepted_at() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    clerk = actor(officer(case.hall_id))
    services.receive(
        clerk, case, applicant_present=True, on=HALL_DAY, changes=hall_changes(case.hall_id, HALL_DAY)
    )
    services.notify_deficiency(clerk, case, on=TODAY)
    client = Client()
    sign_in(client, user)
    notice = " ".join(text_of(client.get(f"/api/v1/cases/{case.pk}/documents/deficiency").content).split())
    assert "Submitted to" in notice and "递交至" in notice
    assert "Accepted at" not in notice and "受理单位" not in notice


@pytest.mark.parametrize(
    ("procedure", "cited", "not_cited"),
    [
        ("rp-personal-affairs", "Art. 18 para. 2", "Art. 13 para. 2"),
        ("visa-extension", "Art. 13 para. 2", "Art. 18 para. 2"),
        (
            "pr-zhongguancun",
            "Art. 18 para. 2 (applied by analogy: the sources do not say this for this application)",
            "Art. 13 para. 2",
        ),
        ("pr-zhongguancun", "第十八条第二款（参照适用：依据文件对本事项未作规定）", "第十三条"),
    ],
)
def test_the_one_time_notice_cites_the_article_of_its_procedure(procedure, cited, not_cited) -> None:
    """Regulations Art. 18 para. 2 for a residence permit, Art. 13 para. 2 for a visa (seed 004); for
    permanent residence, whose sources require no notice at one time, Art. 18 para. 2 applied by analogy,
    printed as the recorded choice it is."""
    user = applicant()
    case = submitted(user, procedure)
    clerk = actor(officer(case.hall_id))
    services.receive(
        clerk, case, applicant_present=True, on=HALL_DAY, changes=hall_changes(case.hall_id, HALL_DAY)
    )
    services.notify_deficiency(clerk, case, on=TODAY)
    client = Client()
    sign_in(client, user)
    notice = " ".join(text_of(client.get(f"/api/v1/cases/{case.pk}/documents/deficiency").content).split())
    assert cited in notice and not_cited not in notice


# --- a document names the passport it was issued on -------------------------------------------------


def test_documents_and_their_check_name_the_passport_the_case_was_made_on_not_a_later_one() -> None:
    """A paper printed before the holder's new passport and the online check of it say the same: the
    passport the hall received the application on; the check says in words that the holder has another
    one since, without showing its number."""
    user, case, clerk = accepted_case("rp-personal-affairs", passport="C4D100001")
    services.decide(clerk, case, "approved", validity=approval_validity(case), on=TODAY)
    TravelDocumentFactory(
        person=user.person, number="C4D100009", issued_on=TODAY, expires_on=TODAY + timedelta(days=3652)
    )
    client = Client()
    sign_in(client, user)
    for kind in ("receipt", "deficiency", "decision"):
        words = text_of(client.get(f"/api/v1/cases/{case.pk}/documents/{kind}").content)
        assert "C4D100001" in words and "C4D100009" not in words, kind
    token = make_token("decision", case.decision.number)
    body = Client().get(f"/api/v1/verify/{token}").json()
    assert body["passport_ends"] == "0001"
    assert "another passport" in body["passport_note"]["en"] and "其他护照" in body["passport_note"]["zh"]
    page = Client().get(f"/verify/{token}").content.decode()
    assert "<dd>0001</dd>" in page and "<dd>0009</dd>" not in page
    assert body["passport_note"]["en"] in page and body["passport_note"]["zh"] in page


def test_the_check_says_nothing_of_a_passport_when_the_holder_still_has_the_one_the_case_was_made_on() -> (
    None
):
    user = applicant()
    TravelDocumentFactory(person=user.person, number="C4D100001")
    case, _ = accepted(user, "rp-personal-affairs")
    body = Client().get(f"/api/v1/verify/{make_token('receipt', case.receipt.number)}").json()
    assert body["passport_ends"] == "0001" and body["passport_note"] is None


def test_an_approval_names_the_permit_its_number_the_fee_and_where_to_collect_it() -> None:
    """The decision says what was granted (the permit's kind and type, its number once issued), the fee
    the law core sets with its source, and the next step: pay and collect at the hall applied to."""
    case, _, _ = issued_case()
    words, flat = decision_text(case)
    assert "Residence permit" in words and "居留证件" in flat
    assert "Private affairs" in words and "私人事务" in flat
    assert case.permit.number in words
    fee = services.fee_of(case, case.received_on).due
    assert f"CNY {fee:,}" in words and f"{fee:,}元" in flat
    assert "Residence permit fee by validity" in words and "居留许可证件费" in flat
    assert "Beijing guide to personal affairs residence permits, Timeline and Fees" in words
    assert "Pay the fee and collect the permit at the hall where you applied" in words
    assert "在受理大厅缴费并领取证件" in flat
    hall = catalog().halls[case.hall_id]
    assert hall.name.en in words and "".join(hall.name.zh.split()) in flat
    assert "".join(hall.address.zh.split()) in flat


def test_an_approval_not_yet_issued_says_the_permit_number_comes_with_the_permit() -> None:
    case, clerk = accepted(applicant(), "rp-personal-affairs")
    services.decide(clerk, case, "approved", validity=approval_validity(case), on=TODAY)
    words, flat = decision_text(case)
    assert "Residence permit" in words and "Given when the permit is issued" in words
    assert "签发证件时" in flat


# --- the check page follows the visitor's language ----------------------------------------------------


def html_lang(body: str) -> str:
    return re.search(r'<html lang="([^"]+)"', body).group(1)


def test_the_desk_in_chinese_opens_the_check_in_chinese_whatever_the_browser_says() -> None:
    """The Chinese desk's "Check a document" opens the check with the site around it in Chinese (its
    menu, its way back), though the browser asks for English."""
    _, case, _ = accepted_case()
    client = sign_in(Client(headers={"accept-language": "en"}), desk())
    page = client.get(
        "/zh-hans/institution/", {"code": make_token("receipt", case.receipt.number)}, follow=True
    )
    body = page.content.decode()
    assert page.status_code == 200 and html_lang(body) == "zh-Hans"
    with translation.override("zh-hans"):
        assert f'<a href="{reverse("web:institution")}">' in body and reverse("web:home") in body
    english = client.get(
        "/en/institution/", {"code": make_token("receipt", case.receipt.number)}, follow=True
    )
    assert html_lang(english.content.decode()) == "en"


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        ({"headers": {"accept-language": "en"}}, "en"),
        ({"headers": {"accept-language": "zh-CN,zh;q=0.9"}}, "zh-Hans"),
        ({"headers": {"accept-language": "zh-hans"}, "query": "?lang=en"}, "en"),
        ({"headers": {"accept-language": "en"}, "query": "?lang=zh"}, "zh-Hans"),
        ({"headers": {"accept-language": "en"}, "cookie": "zh-hans"}, "zh-Hans"),
        ({"headers": {"accept-language": "en"}, "query": "?lang=xx"}, "en"),  # an unknown one: ignored
    ],
)
def test_a_stranger_gets_the_check_in_the_language_asked_for(asked, shown) -> None:
    client = Client(headers=asked["headers"])
    if "cookie" in asked:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = asked["cookie"]
    token = make_token("receipt", "BJ202600000001-R")
    assert html_lang(client.get(f"/verify/{token}{asked.get('query', '')}").content.decode()) == shown


def test_the_language_switch_on_the_check_page_changes_its_language() -> None:
    token = make_token("receipt", "BJ202600000001-R")
    client = Client(headers={"accept-language": "en"})
    body = client.get(f"/verify/{token}?lang=zh-hans").content.decode()
    assert html_lang(body) == "zh-Hans"
    switch = re.search(r'<div id="language-switch".*?</div>', body, re.S).group(0)
    target = re.search(r'name="next" type="hidden" value="([^"]+)"', switch).group(1)
    assert target.startswith(f"/verify/{token}") and "lang=zh-hans" not in target
    switched = client.post(reverse("set_language"), {"language": "en", "next": target}, follow=True)
    assert switched.status_code == 404 and html_lang(switched.content.decode()) == "en"  # no such receipt
    assert html_lang(client.get(f"/verify/{token}").content.decode()) == "en"  # and it stays so


# --- the decision prints the fee the hall charges -----------------------------------------------------


def approved_case():
    case, clerk = accepted(applicant(), "rp-personal-affairs")
    services.decide(clerk, case, "approved", validity=approval_validity(case), on=TODAY)
    return case, clerk, services.fee_of(case, case.received_on).due


def test_a_fee_the_hall_waived_prints_as_waived_with_its_reason_and_the_laws_fee_cited() -> None:
    case, clerk, due = approved_case()
    services.exempt_fee(clerk, case, "Hardship: no income this year", on=TODAY)
    words, flat = decision_text(case)
    assert f"CNY {due:,}:" not in words and f"{due:,}元：" not in flat  # the law's fee, not charged
    assert f"The fee is waived: nothing is charged (the law's fee is CNY {due})." in words
    assert f"免收费用：不收取费用（依规定应缴{due:,}元）。" in flat
    # The officer's free text is printed once, labelled as written, never passed off as a translation.
    assert "理由（原文照录） Reason (as written): Hardship: no income this year" in words
    assert words.count("Hardship: no income this year") == 1
    assert "Beijing guide to personal affairs residence permits, Timeline and Fees" in words


def test_a_fee_the_hall_reduced_prints_what_was_charged_and_that_the_rest_is_waived() -> None:
    case, clerk, due = approved_case()
    services.record_payment(clerk, case, 100, "cash", on=TODAY)
    services.exempt_fee(clerk, case, "Fee reduced for a returning student", on=TODAY)
    words, flat = decision_text(case)
    assert f"CNY 100 is charged; the rest of the law's fee of CNY {due} is waived." in words
    assert f"收取100元；依规定应缴{due:,}元，其余部分免收。" in flat
    assert "Reason (as written): Fee reduced for a returning student" in words
    assert words.count("Fee reduced for a returning student") == 1
    assert "Beijing guide to personal affairs residence permits, Timeline and Fees" in words
    assert "Paid when the permit is issued, on collection; CNY 100 paid, the rest waived." in words
    assert "发证时（领取证件时）缴纳；已缴100元，其余免收。" in flat


def test_a_decision_whose_card_fee_the_hall_waived_says_the_application_fee_was_paid_and_the_card_fee_waived():
    case, clerk = pr_approved()
    services.exempt_fee(clerk, case, "Card fee waived for a returning expert", on=TODAY)
    words, flat = decision_text(case)
    assert "CNY 1,500 is charged; the rest of the law's fee of CNY 1,800 is waived." in words
    assert (
        "Paid when the application is accepted; paid in full. Paid when the permit is issued, on collection; waived."
        in words
    )
    assert "受理申请时缴纳；已全额缴纳。发证时（领取证件时）缴纳；已免收。" in flat


def pr_approved():
    """A permanent residence application approved by the ministry's supervisor: its application fee paid
    when it was accepted, its card fee not yet."""
    case, clerk = accepted(applicant(), "pr-application")
    services.forward_to_ministry(clerk, case)
    supervisor = actor(officer(case.hall_id, role=Role.SUPERVISOR))
    services.decide(supervisor, case, "approved", validity="P10Y", on=TODAY)
    case.refresh_from_db()
    return case, clerk


def test_a_decision_says_when_each_fee_part_is_paid_and_what_of_it_is_paid_in_both_languages() -> None:
    """Permanent residence (seed "Fees"): 1,500 for the application, paid when it was accepted, and 300 for
    the card, paid when it is issued, each part with what of it is paid in the case page's words, on one
    page."""
    case, clerk = pr_approved()
    words, flat = decision_text(case)
    application = "CNY 1,500: Fee for accepting the permanent residence application (per person)"
    assert (
        f"{application} 状态：受理申请时缴纳；已全额缴纳。 Status: Paid when the application is accepted; paid in full."
        in words
    )
    assert "1,500元：永久居留申请受理费（每人）" in flat and "受理申请时缴纳；已全额缴纳。" in flat
    assert (
        "Paid when the permit is issued, on collection; due now." in words
        and "发证时（领取证件时）缴纳；现应缴纳。" in flat
    )
    services.record_payment(clerk, case, 100, "cash", on=TODAY)
    words, flat = decision_text(case)
    assert (
        "Paid when the permit is issued, on collection; CNY 100 paid, CNY 200 outstanding; due now." in words
    )
    assert "发证时（领取证件时）缴纳；已缴100元，尚欠200元；现应缴纳。" in flat
    services.record_payment(clerk, case, 200, "cash", on=TODAY)
    client = Client()
    sign_in(client, case.submitted_by)
    pdf = PdfReader(io.BytesIO(client.get(f"/api/v1/cases/{case.pk}/documents/decision").content))
    assert len(pdf.pages) == 1
    assert " ".join(pdf.pages[0].extract_text().split()).count("paid in full") == 2


# --- a refusal says what of the fee is owed, and why ------------------------------------------------

PAID_ON_COLLECTION = (
    "Beijing guide to personal affairs residence permits, Steps",
    "《北京市外国人私人事务类居留许可及延期办事指南》办理步骤",
)
NOT_CHARGED_ON_REFUSAL = (
    "The application was refused: no permit is issued, so what is paid when the permit is issued is not charged.",
    "申请不予批准：不发放证件，发证时缴纳的费用不收取。",
)


def test_a_refused_residence_permit_says_nothing_is_owed_and_why_citing_the_step_in_both_languages() -> None:
    """A personal-affairs permit's fee is paid on collection (seed personal affairs guide, "Steps"): refused,
    no permit is issued, so the decision says, on one page, that its fee is not charged and nothing is due,
    citing that step by the guide's title, in both languages, as the case page says it."""
    case, clerk = accepted(applicant(), "rp-personal-affairs")
    services.decide(clerk, case, "refused", ground_id="first-refusal-law-art-31", on=TODAY)
    words, flat = decision_text(case)
    assert "收费情况 Fee charged" in words and "费用 Fee" not in words
    # the sentence, in Chinese then in English, the part's status, then its one source (in Chinese, in English)
    assert f"无需缴费。{NOT_CHARGED_ON_REFUSAL[1]}Nothing" in flat
    source = " ".join(PAID_ON_COLLECTION[::-1])
    assert (
        f"Nothing is due. {NOT_CHARGED_ON_REFUSAL[0]} 状态：发证时（领取证件时）缴纳；不收取。"
        f" Status: Paid when the permit is issued, on collection; not charged. {source} 法律依据" in words
    )
    said = services.fee_of(case, TODAY).summary
    assert (said.with_why.en, said.with_why.zh) == (
        f"Nothing is due. {NOT_CHARGED_ON_REFUSAL[0]}",
        f"无需缴费。{NOT_CHARGED_ON_REFUSAL[1]}",
    )  # the case page's words
    client = Client()
    sign_in(client, case.submitted_by)
    pdf = client.get(f"/api/v1/cases/{case.pk}/documents/decision").content
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_a_refused_permanent_residence_says_its_application_fee_was_paid_and_its_card_fee_not() -> None:
    """Permanent residence (seed "Fees"): the application fee was paid when the hall accepted the application;
    the card fee is charged during the issuance of the card, so a refusal does not charge it: the decision
    says so citing that rule alone, not the application fee's."""
    case, clerk = accepted(applicant(), "pr-application")
    services.forward_to_ministry(clerk, case)
    supervisor = actor(officer(case.hall_id, role=Role.SUPERVISOR))
    services.decide(supervisor, case, "refused", ground_id="refusal-conditions-not-met", on=TODAY)
    words, flat = decision_text(case)
    assert f"应缴1,500元，已缴1,500元。300元不收取。{NOT_CHARGED_ON_REFUSAL[1]}Due" in flat
    assert "状态：受理申请时缴纳；已全额缴纳。发证时（领取证件时）缴纳；不收取。" in flat
    assert (
        f"Due CNY 1,500, paid CNY 1,500. CNY 300 is not charged. {NOT_CHARGED_ON_REFUSAL[0]}"
        " 状态：受理申请时缴纳；已全额缴纳。发证时（领取证件时）缴纳；不收取。"
        " Status: Paid when the application is accepted; paid in full. Paid when the permit is issued, on"
        " collection; not charged."
        " 《北京市外国人永久居留办事指南》收费标准（制证） Beijing guide to foreign permanent residence, Fees (Issuance)"
        " 法律依据" in words
    )


def test_a_refusal_whose_fee_the_sources_do_not_state_says_so() -> None:
    _, case, clerk = accepted_case("rp-work")  # the one-stop service: its fees are not stated
    services.decide(clerk, case, "refused", ground_id="first-refusal-law-art-31", on=TODAY)
    words, _ = decision_text(case)
    assert "收费情况 Fee charged 收费金额 Fee 资料未载明 Not stated by the sources" in words


# --- the longest decision still fits on one page --------------------------------------------------

HARDSHIP = (
    "Hardship recorded at the counter: the applicant lost their income when the employer closed, supports"
    " two children at school in Beijing and showed the bank statements of the last six months; the duty"
    " officer and the hall's supervisor agreed to waive the whole fee under the hall's hardship practice."
)


def test_an_approved_extension_issued_with_its_fee_waived_prints_on_one_page_code_and_all() -> None:
    """The longest decision the hall makes: an extension (of the one with a fee to waive) approved and
    issued, its fee waived with a long reason as written, for a holder with a long name and a Chinese name."""
    person = PersonFactory(
        given_names="Maria Fernanda Alexandra Josefina",
        surname="Fernández de la Cruz-Villanueva",
        chinese_name="玛丽亚",
    )
    case, clerk = accepted(applicant(person=person), "rp-personal-affairs-extension")
    services.decide(clerk, case, "approved", validity=approval_validity(case), on=TODAY)
    services.exempt_fee(clerk, case, HARDSHIP, on=TODAY)
    services.issue(clerk, case, on=TODAY)
    case.refresh_from_db()
    client = Client()
    sign_in(client, case.submitted_by)
    pdf = PdfReader(io.BytesIO(client.get(f"/api/v1/cases/{case.pk}/documents/decision").content))
    text = " ".join(pdf.pages[0].extract_text().split())
    assert len(pdf.pages) == 1
    assert "Reason (as written)" in text and "Extended by" in text and case.permit.number in text
    assert "Legal basis" in text and "/verify/" in "".join(text.split())


def test_an_answered_notice_says_in_english_as_in_chinese_that_its_materials_were_supplied() -> None:
    _, case, _ = accepted_case()
    notice = case.deficiency_notices.get()
    verdict = check(make_token("deficiency", notice.number), TODAY)
    assert verdict.genuine and not verdict.in_force
    assert verdict.reason.en == "Genuine; the materials it lists have been supplied."
    assert verdict.reason.zh == "真实；所列材料已补正。"


def test_a_notice_left_unanswered_by_a_withdrawal_does_not_say_its_materials_were_supplied() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=HALL_DAY)
    notice = services.notify_deficiency(clerk, case, on=TODAY)
    services.withdraw(actor(user), case, on=TODAY)
    verdict = check(make_token("deficiency", notice.number), TODAY)
    assert verdict.genuine and not verdict.in_force
    assert "supplied" in verdict.reason.en and "withdrawn before" in verdict.reason.en
    assert "补正" in verdict.reason.zh and "已补正" not in verdict.reason.zh
