"""A proxy filing for an adult whose procedure allows no proxy for them is told, before the hall refuses
it at intake, that the applicant must come in person, why, and the sources (Regulations Art. 19)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from tests.appointments.helpers import hall_with_slots

from case_helpers import client_for, submitted
from exitentry.accounts.models import Role
from exitentry.appointments import services as appointments
from exitentry.appointments.models import Slot
from exitentry.cases import services
from factories import PersonFactory, UnitFactory, UserFactory, actor, applicant, eligible_facts, officer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]


def agency_case(birth: str):
    """An agency's submitted personal-affairs application for an applicant born on ``birth``, booked."""
    hall_with_slots("reception-hall", 30)
    agency = UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency"))
    person = PersonFactory(birth_date=date.fromisoformat(birth))
    facts = {
        "household_registration_in_china": False,
        "ground": "family",
        "family_relation": "spouse",
        "birth_date": birth,
        "validity": "P2Y",
        "visa_category": "C",
        "documents_issued_abroad": False,
        "limited_mobility": False,
        "high_level_talent": False,
        "documents_in_other_language": False,
        "visa_requires_residence_permit": False,
    }
    case = submitted(agency, "rp-personal-affairs", person=person, facts=facts)
    booking = appointments.book(actor(agency), case, Slot.objects.order_by("starts_at").first().pk)
    return client_for(agency), case, booking


def test_the_case_booking_and_confirmation_pages_say_an_adult_must_come_in_person() -> None:
    client, case, booking = agency_case("1985-06-01")  # 41: no proxy rule covers them
    for url in (f"/my/{case.pk}/", f"/my/{case.pk}/booking/", f"/my/bookings/{booking.reference}/"):
        en = client.get(f"/en{url}").content.decode()
        assert "The applicant must come in person" in en, url
        assert "Someone else may apply for them only where" in en and "under 16" in en, url
        assert "Art. 19" in en and "Book a time the applicant can attend" in en, url  # what to do next
        zh = client.get(f"/zh-hans{url}").content.decode()
        assert "申请人须本人到大厅办理" in zh and "仅在以下情形可由他人代为申请" in zh, url
        assert "第十九条" in zh and "请预约申请人本人能够到场的时间" in zh, url


def test_no_such_notice_where_a_proxy_is_allowed_or_the_applicant_applies_themself() -> None:
    client, case, booking = agency_case("1950-06-01")  # over 60: a proxy may apply
    for url in (f"/en/my/{case.pk}/", f"/en/my/{case.pk}/booking/", f"/en/my/bookings/{booking.reference}/"):
        assert "The applicant must come in person" not in client.get(url).content.decode(), url
    assert "The applicant must come in person" not in pdf_text(client, booking)
    user = applicant()
    own = submitted(user, "rp-work")
    assert (
        "The applicant must come in person" not in client_for(user).get(f"/en/my/{own.pk}/").content.decode()
    )


def pdf_text(client, booking) -> str:
    response = client.get(f"/en/my/bookings/{booking.reference}/confirmation.pdf")
    assert response.status_code == 200
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace("\n", "")


def test_the_confirmation_pdf_says_in_both_languages_that_the_applicant_must_come_in_person() -> None:
    client, case, booking = agency_case("1985-06-01")
    text = pdf_text(client, booking)
    assert "The applicant must come in person" in text and "申请人须本人到场" in text
    assert "申请人须本人到大厅办理" in text and "Someone else may apply for them only where" in text
    assert "第十九条" in text and "Art. 19" in text


def test_a_relative_filing_a_one_stop_case_is_told_who_may_hand_it_in_not_that_the_applicant_must_come():
    """Seed 002, 6. Notes (1): the inviting unit or an agency may hand it in for an applicant aged 60 or over
    without them; a relative may not. That is who may hand it in, not a duty to come in person."""
    hall_with_slots("one-stop-counter", 30)
    relative = UserFactory(role=Role.PROXY)
    procedure = "one-stop-work-permits-renewal"
    facts = {**eligible_facts(procedure), "work_permit_category": "B"}  # the age is the person's, not asked
    case = submitted(relative, procedure, person=PersonFactory(birth_date=date(1950, 6, 1)), facts=facts)
    services.pre_examine(actor(officer("one-stop-counter")), case)
    client = client_for(relative)
    for url in (f"/my/{case.pk}/", f"/my/{case.pk}/booking/"):
        en = client.get(f"/en{url}").content.decode()
        assert "Who may hand it in" in en and "The applicant must come in person" not in en, url
        assert "inviting unit or a specialised service agency" in en, url
        zh = client.get(f"/zh-hans{url}").content.decode()
        assert "可代为递交的人" in zh and "申请人须本人到场" not in zh, url


def test_the_reasons_after_only_where_continue_the_sentence_in_both_languages() -> None:
    """After "only where:" the reason continues the sentence: lower case, one full stop at the end (not "only
    where: The applicant ..."); the Chinese reads on after its full-width colon with one full stop."""
    client, case, booking = agency_case("1985-06-01")
    en = client.get(f"/en/my/{case.pk}/booking/").content.decode()
    assert "only where: the applicant is a high-level" in en and "only where: The" not in en
    zh = client.get(f"/zh-hans/my/{case.pk}/booking/").content.decode()
    assert "仅在以下情形可由他人代为申请：申请人属于" in zh and "。。" not in zh
    text = pdf_text(client, booking)
    said = text.replace(" ", "")  # the PDF's lines are joined without their breaks
    assert "onlywhere:theapplicant" in said and "onlywhere:The" not in said
