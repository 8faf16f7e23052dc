"""The booking confirmation: a page in either language, a bilingual PDF, and the check-in QR code."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from case_helpers import client_for
from exitentry.accounts.models import AuditEntry
from exitentry.appointments.confirmation import check_in_url
from exitentry.cases.models import Case
from exitentry.law.catalog import catalog
from exitentry.law.text import day_text
from factories import applicant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]


def test_the_page_says_when_where_who_and_what_to_bring_in_both_languages(booked_case) -> None:
    client = client_for(booked_case.booked_by)
    hall = catalog().halls["reception-hall"]
    en = client.get(f"/en/my/bookings/{booked_case.reference}/").content.decode()
    zh = client.get(f"/zh-hans/my/bookings/{booked_case.reference}/").content.decode()
    for html, lang in ((en, "en"), (zh, "zh")):
        assert booked_case.reference in html
        assert hall.name.get(lang) in html and hall.address.get(lang) in html
        assert "09:00–09:30" in html and f"/my/bookings/{booked_case.reference}/qr.svg" in html
    assert "Bring the originals of" in en and "Beijing time" in en and "counter 1" in en
    assert "请携带以下材料原件" in zh and "北京时间" in zh and "出示此二维码" in zh
    assert AuditEntry.objects.filter(action="booking.read", object_id=booked_case.reference).exists()


def test_the_pdf_is_bilingual_and_prints_the_reference_its_code_carries_not_the_halls_address(
    booked_case,
) -> None:
    client = client_for(booked_case.booked_by)
    response = client.get(f"/en/my/bookings/{booked_case.reference}/confirmation.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace("\n", "")
    assert "预约确认单" in text and "Appointment Confirmation" in text and booked_case.reference in text
    assert check_in_url("http://testserver", booked_case.reference) not in compact
    assert f"预约号：{booked_case.reference}" in compact and "/console/" not in compact
    assert "北京时间" in text and "Beijing time" in text
    svg = client.get(f"/en/my/bookings/{booked_case.reference}/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


@pytest.mark.parametrize("suffix", ["", "confirmation.pdf", "qr.svg"])
def test_another_applicant_cannot_read_someone_elses_confirmation(booked_case, suffix) -> None:
    response = client_for(applicant()).get(f"/en/my/bookings/{booked_case.reference}/{suffix}")
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(booked_case, client) -> None:
    response = client.get(f"/en/my/bookings/{booked_case.reference}/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_pdf_prints_no_passport_number_nor_date_of_birth(booked_case) -> None:
    client = client_for(booked_case.booked_by)
    response = client.get(f"/en/my/bookings/{booked_case.reference}/confirmation.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "护照号码" not in text and "Passport No." not in text and "Date of birth" not in text
    born = day_text(booked_case.case.person.birth_date)
    assert born.en not in text and born.zh not in text
    assert str(booked_case.case.person) in text


def test_the_api_serves_the_same_pdf_to_the_booker_only(booked_case) -> None:
    url = f"/api/v1/bookings/{booked_case.reference}/confirmation"
    mine = client_for(booked_case.booked_by).get(url)
    assert mine.status_code == 200 and mine.content.startswith(b"%PDF-")
    assert client_for(applicant()).get(url).status_code == 404


PENDING_ITEM = re.compile(r'<li class="pending">(.*?)</li>', re.S)


@pytest.mark.parametrize(
    ("lang", "tag", "needed_if", "condition"),
    [
        ("en", "Bring if it applies", "Needed if:", "more than 1 year"),
        ("zh-hans", "如适用请携带", "以下情形需要：", "超过1年"),
    ],
)
def test_a_material_still_waiting_for_an_answer_is_listed_to_bring_if_it_applies(
    booked_case, lang, tag, needed_if, condition
) -> None:
    """The law core's ``Advice.pending``: a material whose condition waits for an unanswered fact (the
    health certificate, Regulations Art. 16, for a permit of more than one year) is neither dropped nor
    required; the confirmation lists it to bring if it applies, with when it is needed, in the page's words
    and the PDF's alike: the booked case's answers are no longer the applicant's to give.

    Submitting refuses while the rules still ask a fact, so a booked case lacks one only where a rule came
    to ask it after filing (as ``case_helpers.filed_before_a_fact_was_needed``): no route leads there, so
    the facts are saved as they were before the rule asked the validity."""
    case = booked_case.case
    Case.objects.filter(pk=case.pk).update(facts={k: v for k, v in case.facts.items() if k != "validity"})
    client = client_for(booked_case.booked_by)
    page = client.get(f"/{lang}/my/bookings/{booked_case.reference}/")
    bring = page.content.decode().split('class="bring-originals"')[1]
    (pending,) = PENDING_ITEM.findall(bring)
    assert tag in pending and needed_if in pending and condition in pending
    assert "answer" not in pending and "答复" not in pending
    response = client.get(f"/{lang}/my/bookings/{booked_case.reference}/confirmation.pdf")
    text = "".join(
        "".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "【如适用请携带】" in text and "[Bringifitapplies]" in text and "Dependsonyouranswer" not in text


def test_the_qr_code_carries_one_address_without_a_language_whatever_the_pages_language(
    booked_case, monkeypatch
) -> None:
    """The hall's scanner must not depend on the language the applicant read the confirmation in: the QR
    code carries ``CHECK_IN_PATH`` with no language prefix, and that path is the one the check-in link is
    served at (the URL conf takes it from there) in each language."""
    from django.urls import reverse
    from django.utils import translation

    from exitentry.appointments import confirmation
    from exitentry.documents import pdf

    drawn: list[str] = []
    real = pdf.qr_drawing
    monkeypatch.setattr(
        pdf, "qr_drawing", lambda text, size=pdf.QR_SIZE: drawn.append(text) or real(text, size)
    )
    client = client_for(booked_case.booked_by)
    for lang in ("en", "zh-hans"):
        assert client.get(f"/{lang}/my/bookings/{booked_case.reference}/qr.svg").status_code == 200
    expected = f"http://testserver{confirmation.CHECK_IN_PATH}?reference={booked_case.reference}"
    assert drawn == [expected, expected]
    for lang in ("en", "zh-hans"):
        with translation.override(lang):
            assert reverse("web:check_in_link") == f"/{lang}{confirmation.CHECK_IN_PATH}"


def test_the_page_says_when_check_in_opens_as_the_halls_choice_not_law(booked_case) -> None:
    """The check-in window (``tickets.CHECK_IN_EARLY``: the seeds say nothing of when to come) is told with
    the appointment, in both languages, as the hall's arrangement; the check-in desk refuses by the same."""
    client = client_for(booked_case.booked_by)
    en = client.get(f"/en/my/bookings/{booked_case.reference}/").content.decode()
    zh = client.get(f"/zh-hans/my/bookings/{booked_case.reference}/").content.decode()
    assert "Check-in opens at 08:00, 60 minutes before your appointment, and closes at 09:30" in en
    assert "not a rule of the law" in en
    assert "08:00（预约时间前60分钟）开始签到，09:30截止" in zh and "并非法律规定" in zh
